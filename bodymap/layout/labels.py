"""Labels as callouts: set in a column beside their panel, stacked apart, each joined to its marks.

Labels sit in a gutter left or right of the panel's box (reserved by the layout), so they never
cover a marker or another panel; within a column they are stacked a line apart in the order of
their marks, and neighbours swap places where that removes a crossing of their leader lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from bodymap.content.items import slug
from bodymap.content.scenetypes import Box, Channel, Label, Marker, PanelPlacement
from bodymap.core import theme
from bodymap.layout.declutter import drawn_at
from bodymap.layout.textmetrics import face, text_width

LEADER_ROOM = 6.0  # page units between a column of labels and the box it serves, beyond the gap


@dataclass
class Callout:
    id: str
    text: str
    therapy: str
    code: str
    panel: str
    side: str  # left | right: which gutter
    anchors: list[tuple[float, float]]

    @property
    def key_y(self) -> float:
        return sum(y for _, y in self.anchors) / len(self.anchors)


def _side(m: Marker, pp: PanelPlacement, go_left: set[tuple[str, str]]) -> str:
    if pp.panel.two_sided:
        return "left" if (m.therapy == "dry-needling" or (m.panel, m.code) in go_left) else "right"
    return "right"


def callouts(markers: list[Marker], placements: Mapping[str, PanelPlacement], prefix: str,
             balance: bool = False, one_side: bool = False) -> list[Callout]:
    """One callout per mark on its therapy's side of the panel (a bilateral pair is named on one side).

    One mark each, so leaders run side by side instead of fanning across each other.
    """
    go_left: set[tuple[str, str]] = set()
    if balance:  # the atlas: acupuncture labels alternate sides, top to bottom, so neither side overfills
        acu = sorted({(m.panel, m.code, round(m.y, 1)) for m in markers if m.layer == "acupuncture"},
                     key=lambda t: (t[0], t[2], t[1]))
        go_left = {(panel, code) for i, (panel, code, _) in enumerate(acu) if i % 2}
    groups: dict[tuple[str, str, str], list[Marker]] = {}
    for m in markers:
        if m.layer in ("dry-needling", "acupuncture"):
            named = (m.muscle or m.code) if m.therapy == "dry-needling" else m.code
            groups.setdefault((m.layer, named, m.panel), []).append(m)
    out = []
    for (layer, key, panel_id), group in sorted(groups.items()):
        pp = placements[panel_id]
        label_id = f"{prefix}-label-{slug(layer)}-{slug(key)}-{panel_id}"
        side = "right" if one_side else _side(group[0], pp, go_left)
        mid = pp.panel.midline_x
        if pp.crop and (mid is None or not pp.crop[0] < mid < pp.crop[2]) and not one_side:
            # A close-up of one side of the body: each mark is named on the nearer side, so no leaders cross.
            for n, m in enumerate(group):
                x, y = drawn_at(m, pp)
                nearer = "left" if x < pp.box.x + pp.box.w / 2 else "right"
                suffix = f"-{n + 1}" if n else ""
                out.append(Callout(f"{label_id}{suffix}", label_text(m), m.therapy, key, panel_id, nearer, [(x, y)]))
            continue
        mid = pp.to_page((pp.panel.midline_x, 0.0))[0] if pp.panel.two_sided and pp.panel.midline_x is not None else None
        near = [m for m in group if mid is None or _on_side(drawn_at(m, pp)[0], mid, side)]
        first = group[0]
        text = label_text(first)
        marks = sorted((near or group), key=lambda m: drawn_at(m, pp)[1])
        for n, m in enumerate(marks):
            suffix = f"-{n + 1}" if n else ""
            out.append(Callout(f"{label_id}{suffix}", text, first.therapy, key, panel_id, side, [drawn_at(m, pp)]))
    return out


def _on_side(x: float, mid: float, side: str) -> bool:
    """A mark at x lies on the given side of the midline (half a unit of slack for a mark on it)."""
    return x <= mid + 0.5 if side == "left" else x >= mid - 0.5


def label_text(m: Marker) -> str:
    """A point's code, or a muscle's name without its explanation in brackets (or the plan's patient words)."""
    if m.label is not None:
        return m.label
    return m.code if m.therapy == "acupuncture" else m.name.split(" (")[0]


def gutter(texts: list[str], size: float, band: float) -> float:
    """The width a column of these labels needs beside its box (more than one column when the band is short)."""
    if not texts:
        return 0.0
    line = size + theme.LABEL_LEADING
    columns = -(-len(texts) // max(1, int(band // line)))
    widest = max(text_width(t, size, bold=True) for t in texts)
    return theme.LABEL_GAP + LEADER_ROOM + columns * (widest + theme.LABEL_GAP)


def _stack(items: list[Callout], top: float, bottom: float, line: float, drop: float) -> list[float]:
    """Baselines a line apart, as near their marks as they can be, inside [top, bottom]."""
    ys: list[float] = []
    for c in items:
        ys.append(max(c.key_y + drop, (ys[-1] + line) if ys else top))
    floor = bottom
    for i in range(len(ys) - 1, -1, -1):  # pushed past the bottom? pull the stack back up
        ys[i] = min(ys[i], floor)
        floor = ys[i] - line
    return ys


def _cross(p1, p2, q1, q2) -> bool:
    def turn(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (turn(p1, p2, q1) * turn(p1, p2, q2) < 0) and (turn(q1, q2, p1) * turn(q1, q2, p2) < 0)


def _crossings(a: Callout, ay: float, b: Callout, by: float, ax: float, bx: float, lift: float) -> int:
    return sum(_cross(p, (ax, ay - lift), q, (bx, by - lift)) for p in a.anchors for q in b.anchors)


def _uncross(items: list[Callout], ys: list[float], xs: list[float], lift: float) -> list[Callout]:
    """Swap neighbours in the column while that removes leader crossings (each swap removes one or more)."""
    for _ in range(len(items) * len(items)):
        changed = False
        for i in range(len(items) - 1):
            a, b = items[i], items[i + 1]
            now = _crossings(a, ys[i], b, ys[i + 1], xs[i], xs[i + 1], lift)
            swapped = _crossings(b, ys[i], a, ys[i + 1], xs[i], xs[i + 1], lift)
            if swapped < now:
                items[i], items[i + 1] = b, a
                changed = True
        if not changed:
            break
    return items


def _column(items: list[Callout], box: Box, band: tuple[float, float], side: str, size: float) -> list[Label]:
    line = size + theme.LABEL_LEADING
    top, bottom = band[0] + size, band[1]
    capacity = max(1, int((bottom - top) // line) + 1)
    widest = max(text_width(c.text, size, bold=True) for c in items)
    items = sorted(items, key=lambda c: (c.key_y, c.id))
    out: list[Label] = []
    for k in range(0, len(items), capacity):
        chunk = items[k:k + capacity]
        offset = theme.LABEL_GAP + LEADER_ROOM + (k // capacity) * (widest + theme.LABEL_GAP)
        x = box.x - offset if side == "left" else box.right + offset
        ys = _stack(chunk, top, bottom, line, theme.LABEL_BASELINE_DROP)
        end_x = x + (2.0 if side == "left" else -2.0)
        chunk = _uncross(chunk, ys, [end_x] * len(chunk), size * 0.35)
        for c, y in zip(chunk, ys, strict=True):
            px, py = c.anchors[0]
            out.append(Label(c.id, "labels", c.text, c.panel, px, py, "left" if side == "left" else "right", c.therapy,
                             round(x, 2), round(y, 2), round(px, 2), round(py, 2), True, code=c.code, size=size,
                             anchors=tuple((round(ax, 2), round(ay, 2)) for ax, ay in c.anchors)))
    return out


def place_labels(items: list[Callout], placements: Mapping[str, PanelPlacement], bands: Mapping[str, tuple[float, float]],
                 size: float) -> list[Label]:
    """Every callout set in its panel's gutter, inside the panel's vertical band."""
    columns: dict[tuple[str, str], list[Callout]] = {}
    for c in items:
        columns.setdefault((c.panel, c.side), []).append(c)
    out: list[Label] = []
    for (panel_id, side), chunk in sorted(columns.items()):
        out.extend(_column(chunk, placements[panel_id].box, bands[panel_id], side, size))
    return sorted(out, key=lambda lab: lab.id)


def text_box(x: float, y: float, text: str, size: float, anchor: str, bold: bool = True) -> Box:
    """The page box a one-line text covers (baseline at y), from the font's advances and vertical metrics."""
    w = text_width(text, size, bold)
    left = x if anchor == "start" else (x - w if anchor == "end" else x - w / 2)
    f = face(bold)  # the box a browser gives a text: the font's ascent above the baseline, its descent below
    return Box(left, y - f.ascent * size, w, (f.ascent + f.descent) * size)


def name_channels(channels: list[Channel], placements: Mapping[str, PanelPlacement], taken: list[Box],
                  size: float = theme.CHANNEL_NAME_SIZE) -> list[Channel]:
    """Put each channel's code beside its path where it covers no other text; else leave it to the legend."""
    out = []
    for ch in channels:
        name_at = ch.name_at
        if name_at is None:
            out.append(ch)
            continue
        pp = placements[ch.panel]
        order = sorted(range(len(ch.points)), key=lambda i: abs(i - name_at))
        chosen = None
        for i in order:
            x, y = pp.to_page(ch.points[i])
            dx, dy = theme.CHANNEL_NAME_OFFSET
            box = text_box(x + dx, y + dy, ch.meridian, size, "start")
            inside = pp.box.x <= box.x and box.right <= pp.box.right and pp.box.y <= box.y and box.bottom <= pp.box.bottom
            if inside and not any(padded(box).intersects(t) for t in taken):
                chosen = i
                taken.append(box)
                break
        out.append(replace(ch, name_at=chosen))
    return out


# --- labels beside their marks (body views and detail panels, where marks are few and far apart) ---


def _candidates(x: float, y: float, r: float, w: float, size: float):
    """Text anchors round a mark, nearest first: (text x, baseline y, anchor) with the leader's length."""
    lift = 0.35 * size
    near = [(x + r + 3, y + lift, "start"), (x - r - 3, y + lift, "end"), (x, y - r - 3, "middle"), (x, y + r + size, "middle")]
    for n, c in enumerate(near):
        yield c, n == 0 and 0.0 or 0.0
    for reach in (1.6, 2.4, 3.4, 4.6):
        for dy in (0.0, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0):
            for side in (1, -1):
                tx = x + side * (r + 4 + reach * size)
                ty = y + lift + dy * (size + 3)
                yield (tx, ty, "start" if side > 0 else "end"), reach


def inline(markers: list[Marker], placements: Mapping[str, PanelPlacement], prefix: str, size: float,
           taken: list[Box], page: Box, keep_out: list[Box]) -> list[Label]:
    """A label beside each point's mark (one of a bilateral pair), where it covers no text, mark or other panel."""
    groups: dict[tuple[str, str, str], list[Marker]] = {}
    for m in markers:
        if m.layer in ("dry-needling", "acupuncture"):
            groups.setdefault((m.layer, (m.muscle or m.code) if m.therapy == "dry-needling" else m.code, m.panel), []).append(m)
    marks = [_mark_box(m, placements[m.panel]) for m in markers]
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    out = []
    for (layer, key, panel_id), group in sorted(groups.items(), key=lambda kv: (kv[0][2], min(m.y for m in kv[1]), kv[0][1])):
        pp = placements[panel_id]
        m = _preferred(group, pp)
        x, y = drawn_at(m, pp)
        text = label_text(m)
        w = text_width(text, size, bold=True)
        r = theme.symbol_radius(theme.marker_symbol(m.layer, m.therapy, m.placement))
        for (tx, ty, anchor), reach in _candidates(x, y, r, w, size):
            box = text_box(tx, ty, text, size, anchor)
            end = (tx - 2 if anchor == "start" else tx + 2, ty - 0.35 * size)
            if _free(box, page, taken, marks, keep_out, panel_id, placements) and not (reach and _crosses((x, y), end, leaders)):
                taken.append(box)
                if reach:
                    leaders.append(((x, y), end))
                align = {"start": "right", "end": "left", "middle": "center"}[anchor]
                label_id = f"{prefix}-label-{slug(layer)}-{slug(key)}-{panel_id}"
                at = (round(x, 2), round(y, 2))
                out.append(Label(label_id, "labels", text, panel_id, m.x, m.y, align, m.therapy, round(tx, 2), round(ty, 2), *at,
                                 bool(reach), code=key, size=size, anchors=(at,)))
                break
    return out


def _preferred(group: list[Marker], pp: PanelPlacement) -> Marker:
    """The mark a label names: on two-sided panels the one on the therapy's side (acupuncture right, dry needling left)."""
    if not pp.panel.two_sided:
        return min(group, key=lambda m: (m.y, m.x))
    right = group[0].therapy == "acupuncture"
    return max(group, key=lambda m: drawn_at(m, pp)[0] * (1 if right else -1))


def _mark_box(m: Marker, pp: PanelPlacement) -> Box:
    x, y = drawn_at(m, pp)
    r = theme.symbol_radius(theme.marker_symbol(m.layer, m.therapy, m.placement))
    return Box(x - r, y - r, 2 * r, 2 * r)


def padded(box: Box, p: float = 1.5) -> Box:
    """A text's box with a little room round it: browsers draw glyphs a hair beyond their advances."""
    return Box(box.x - p, box.y - p / 2, box.w + 2 * p, box.h + p)


def _free(box: Box, page: Box, taken: list[Box], marks: list[Box], keep_out: list[Box], panel_id: str, placements) -> bool:
    box = padded(box)
    if box.x < page.x or box.right > page.right or box.y < page.y or box.bottom > page.bottom:
        return False
    if any(box.intersects(t) for t in taken) or any(box.intersects(mk) for mk in marks):
        return False
    return not any(box.intersects(pp.box) for pid, pp in placements.items() if pid != panel_id) and \
        not any(box.intersects(k) for k in keep_out)


def _crosses(a, b, leaders) -> bool:
    return any(_cross(a, b, p, q) for p, q in leaders)
