"""Label placement: one label per point (or muscle) per panel, set in columns beside its cluster."""

from __future__ import annotations

from collections.abc import Mapping

from . import theme
from .items import slug
from .scenetypes import Label, Marker, PanelPlacement
from .textmetrics import text_width

Item = tuple[str, str, Marker, float, float]  # label id, text, marker, marker's page x and y


def _representatives(markers: list[Marker], placed: Mapping[str, PanelPlacement], go_left: set[tuple[str, str]]) -> dict:
    """The one marker each label names: per layer, point (or muscle) and panel, the one on the label's side."""
    chosen: dict[tuple[str, str, str], Marker] = {}
    for m in markers:
        if m.layer not in ("dry-needling", "acupuncture"):
            continue
        two_sided = placed[m.panel].panel.two_sided
        key = (m.layer, (m.muscle or m.code) if m.therapy == "dry-needling" else m.code, m.panel)
        prev = chosen.get(key)
        want_left = m.therapy == "dry-needling" or (m.panel, m.code) in go_left
        if prev is None or (two_sided and ((m.x < prev.x - 0.5) if want_left else (m.x > prev.x + 0.5))):
            chosen[key] = m
        elif abs(m.x - prev.x) <= 0.5 and m.y < prev.y:
            chosen[key] = m
    return chosen


def _groups(chosen: dict, placed: Mapping[str, PanelPlacement], prefix: str, go_left) -> dict[tuple[str, str], list[Item]]:
    groups: dict[tuple[str, str], list[Item]] = {}
    for (layer, key, panel_id), m in chosen.items():
        pp = placed[panel_id]
        text = m.code if m.therapy == "acupuncture" else m.name
        if pp.panel.two_sided and pp.panel.midline_x is not None:
            align = "left" if (m.therapy == "dry-needling" or (m.panel, m.code) in go_left) else "right"
        else:
            align = "right" if m.x < pp.panel.width * 0.6 else "left"
        px, py = pp.to_page((m.x, m.y))
        groups.setdefault((panel_id, align), []).append((f"{prefix}-label-{slug(layer)}-{slug(key)}-{panel_id}", text, m, px, py))
    return groups


def _column(panel_id: str, align: str, items: list[Item], page_marks: dict, size: float) -> list[list]:
    """Stack one side's labels of one panel: clusters share a text column clear of every marker."""
    gap, line = theme.LABEL_GAP, size + theme.LABEL_LEADING
    items.sort(key=lambda d: (d[4], d[0]))
    clusters: list[list[Item]] = []
    for item in items:  # anchors closer than a few lines share one text column
        if clusters and item[4] - clusters[-1][-1][4] < 3 * line:
            clusters[-1].append(item)
        else:
            clusters.append([item])
    placed_text: list[list] = []  # [lid, text, marker, px, py, column, ty]
    last_y = -1e9
    for cluster in clusters:
        xs = [c[3] for c in cluster]
        top, bottom = cluster[0][4] - 8.0, cluster[-1][4] + 8.0
        band = [x for x, y in page_marks.get(panel_id, ()) if top <= y <= bottom]
        if align == "right":
            column = max([x for x in band if x >= min(xs) - 1.0] + xs) + gap
        else:
            column = min([x for x in band if x <= max(xs) + 1.0] + xs) - gap
        for lid, text, m, px, py in cluster:
            ty = max(py + theme.LABEL_BASELINE_DROP, last_y + line)
            last_y = ty
            placed_text.append([lid, text, m, px, py, column, ty])
    return placed_text


def place_labels(markers: list[Marker], placed: Mapping[str, PanelPlacement], prefix: str, size: float = theme.LABEL_SIZE,
                 balance: bool = False) -> list[Label]:
    """Labels for the markers, pushed apart vertically, with a leader line where one was moved.

    On two-sided panels dry-needling labels go to the viewer's left and acupuncture labels to
    the right, each on the marker of that side, so the two therapies never compete for room.
    With `balance` (the atlas, where one side cannot hold every label) acupuncture labels
    alternate between the two sides, top to bottom.
    """
    go_left: set[tuple[str, str]] = set()
    if balance:
        acu = sorted({(m.panel, m.code, round(m.y, 1)) for m in markers if m.layer == "acupuncture"}, key=lambda t: (t[0], t[2], t[1]))
        go_left = {(panel, code) for i, (panel, code, _) in enumerate(acu) if i % 2}
    groups = _groups(_representatives(markers, placed, go_left), placed, prefix, go_left)
    page_marks: dict[str, list[tuple[float, float]]] = {}  # so a label column also clears the other therapy's markers
    for m in markers:
        page_marks.setdefault(m.panel, []).append(placed[m.panel].to_page((m.x, m.y)))
    line = size + theme.LABEL_LEADING
    out = []
    for (panel_id, align), items in sorted(groups.items()):
        stack = _column(panel_id, align, items, page_marks, size)
        pp = placed[panel_id]
        floor = pp.y + pp.panel.height * pp.scale
        for item in reversed(stack):  # pushed past the panel's foot? pull the stack back up from the bottom
            item[6] = max(min(item[6], floor), pp.y + line)  # never above the panel either
            floor = item[6] - line
        for lid, text, m, px, py, column, ty in stack:
            home = px + (theme.LABEL_GAP if align == "right" else -theme.LABEL_GAP)
            moved = abs(ty - (py + theme.LABEL_BASELINE_DROP)) > 2.0 or abs(column - home) > 2.0
            out.append(Label(lid, "labels", text, m.panel, m.x, m.y, align, m.therapy, round(column, 2), round(ty, 2),
                             round(px, 2), round(py, 2), moved, code=(m.muscle or m.code), size=size))
    out.sort(key=lambda lab: lab.id)
    return out


def extent(labels: list[Label]) -> tuple[float, float]:
    """The leftmost and rightmost page x any label's text reaches (measured with the font's advances)."""
    if not labels:
        return 0.0, 0.0
    lefts = [lab.tx - text_width(lab.text, lab.size, bold=True) if lab.align == "left" else lab.tx for lab in labels]
    rights = [lab.tx + text_width(lab.text, lab.size, bold=True) if lab.align == "right" else lab.tx for lab in labels]
    return min(lefts), max(rights)
