"""Labels as callouts: set in a column beside their panel, stacked apart, each joined to its marks.

Labels sit in a gutter left or right of the panel's box (reserved by the layout), so they never
cover a marker or another panel; within a column they are stacked a line apart in the order of
their marks, and neighbours swap places where that removes a crossing of their leader lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from bodymap.content.items import slug
from bodymap.content.regions import inside
from bodymap.content.scenetypes import Box, Channel, Label, Marker, PanelPlacement
from bodymap.core import theme
from bodymap.core.vocabulary import Layer, Therapy
from bodymap.layout.declutter import drawn_at
from bodymap.layout.leaders import Obstacles, grid_routes, route
from bodymap.layout.spatial import BoxIndex, index
from bodymap.layout.textmetrics import face, label_width, text_width

LEADER_ROOM = 6.0  # page units between a column of labels and the box it serves, beyond the gap
BESIDE_MIDLINE = 20.0  # page units: a mark this near the midline does not make a close-up two-sided
SLOT_STEP = 1.5  # page units between the baselines a label may try
SLOT_REACH = 160.0  # page units: how far from its marks' height a label may go
BESIDE_RADIUS = 7.5  # page units: half a mark, where a name set beside its mark starts
CROWD = 60  # labels in one panel beyond which they are simply stacked (the atlas), not routed one by one
CROWD_MARKS = 48  # marks named in one panel beyond which the same (built-in: at most 21; routing grows faster)
FALLBACK_LINES = 40  # label lines a label with no clear way tries, for the most leaders routed clear
TWO_GUTTERS = 260.0  # page units a narrow page's close-up may give to two gutters of labels
OUTER_PART = 2 / 3  # a phone's close-up: a point whose marks all lie this far out is named in the outer gutter
NEAR_REACH = 2.4  # label heights: how far from another of its marks a body-view name may go before the others have theirs
RETRIES = 2  # tries at a panel's labels, each putting the labels that found no clear line first


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
        return "left" if (m.therapy == Therapy.DRY_NEEDLING or (m.panel, m.code) in go_left) else "right"
    return "right"


def callouts(markers: list[Marker], placements: Mapping[str, PanelPlacement], prefix: str,
             balance: bool = False, one_side: bool = False, columns: int = 2) -> list[Callout]:
    """One callout per point (or muscle) and gutter, joined by a leader to each of its marks on that side.

    On a close-up showing both sides, a therapy keeps its side (dry needling left, acupuncture right)
    and names the marks on that side (the others mirror them); on a close-up of one side each mark is
    named in the nearer gutter, so leaders run outward instead of across the other therapy.
    """
    go_left: set[tuple[str, str]] = set()
    if balance:  # the atlas: acupuncture labels alternate sides, top to bottom, so neither side overfills
        acu = sorted({(m.panel, m.code, round(m.y, 1)) for m in markers if m.layer == Layer.ACUPUNCTURE},
                     key=lambda t: (t[0], t[2], t[1]))
        go_left = {(panel, code) for i, (panel, code, _) in enumerate(acu) if i % 2}
    groups: dict[tuple[str, str, str], list[Marker]] = {}
    for m in markers:
        if m.layer in (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE):
            named = (m.muscle or m.code) if m.therapy == Therapy.DRY_NEEDLING else m.code
            groups.setdefault((m.layer, named, m.panel), []).append(m)
    both = _both_sides(markers, placements)
    crowded = _too_wide_for_two(groups, columns) if one_side else set()
    out = []
    for (layer, key, panel_id), group in sorted(groups.items()):
        pp = placements[panel_id]
        # "-side2", not "-2": a close-up's panel id may itself end in "-2" (body-anterior-closeup-2).
        by_side = _by_side(group, pp, go_left, one_side and panel_id not in crowded, panel_id in both)
        if one_side and panel_id in crowded:
            by_side = {"right": group}
        for n, (side, marks) in enumerate(sorted(by_side.items())):
            marks = sorted(marks, key=lambda m: drawn_at(m, pp)[1])
            label_id = f"{prefix}-label-{slug(layer)}-{slug(key)}-{panel_id}{f'-side{n + 1}' if n else ''}"
            anchors = [drawn_at(m, pp) for m in marks]
            out.append(Callout(label_id, named_text(marks), marks[0].therapy, key, panel_id, side, anchors))
    return out


def _too_wide_for_two(groups: Mapping[tuple[str, str, str], list[Marker]], columns: int = 2) -> set[str]:
    """Every panel of a narrow page when one's codes and muscle names would not leave its close-up room
    between two gutters (or one column is asked for): they keep one gutter, on the right."""
    widest: dict[tuple[str, str], float] = {}
    for (layer, _, panel_id), group in groups.items():
        w = label_width(named_text(group), theme.LABEL_SIZE)
        widest[panel_id, layer] = max(widest.get((panel_id, layer), 0.0), w)
    room = 2 * (theme.LABEL_GAP + LEADER_ROOM + theme.LABEL_GAP)
    panels = {pid for pid, _ in widest}
    need = [widest.get((pid, Layer.DRY_NEEDLING), 0.0) + widest.get((pid, Layer.ACUPUNCTURE), 0.0) + room for pid in panels]
    wide = columns < 2 or any(n > TWO_GUTTERS for n in need)
    return panels if wide else set()  # all or none: the close-ups share one column and its gutters


def _midline(pp: PanelPlacement) -> float | None:
    return pp.to_page((pp.panel.midline_x, 0.0))[0] if pp.panel.two_sided and pp.panel.midline_x is not None else None


def _both_sides(markers: list[Marker], placements: Mapping[str, PanelPlacement]) -> set[str]:
    """The panels whose labelled marks lie on both sides of the midline (beside the spine does not count)."""
    seen: dict[str, set[bool]] = {}
    for m in markers:
        pp = placements[m.panel]
        mid = _midline(pp)
        needled = m.layer in (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE)
        if mid is not None and needled and abs(drawn_at(m, pp)[0] - mid) > BESIDE_MIDLINE:
            seen.setdefault(m.panel, set()).add(drawn_at(m, pp)[0] < mid)
    return {pid for pid, sides in seen.items() if len(sides) == 2}


def _by_side(group: list[Marker], pp: PanelPlacement, go_left: set[tuple[str, str]], one_side: bool,
             both: bool) -> dict[str, list[Marker]]:
    """Which gutter names which of a point's marks."""
    if one_side and not pp.crop:
        return {"right": group}
    mid = _midline(pp)
    if one_side:  # a phone's close-up of one side: muscles' names outside, short codes by the spine unless far out
        spine = "left" if mid is None or mid < pp.box.x + pp.box.w / 2 else "right"
        outside = {"left": "right", "right": "left"}[spine]
        if group[0].therapy == Therapy.DRY_NEEDLING:
            return {outside: group}
        across = [(drawn_at(m, pp)[0] - pp.box.x) / pp.box.w for m in group]  # 0 at the spine's edge, 1 outside
        out = min(across) if spine == "left" else 1 - max(across)
        return {outside if out > OUTER_PART else spine: group}
    if pp.crop and not both:  # a close-up of one side: the gutter nearer the marks (one name per muscle or point)
        mean = sum(drawn_at(m, pp)[0] for m in group) / len(group)
        return {"left" if mean < pp.box.x + pp.box.w / 2 else "right": group}
    side = _side(group[0], pp, go_left)
    near = [m for m in group if mid is None or _on_side(drawn_at(m, pp)[0], mid, side)]
    return {side: near or group}


def _on_side(x: float, mid: float, side: str) -> bool:
    """A mark at x lies on the given side of the midline (half a unit of slack for a mark on it)."""
    return x <= mid + 0.5 if side == "left" else x >= mid - 0.5


def named_text(marks: list[Marker]) -> str:
    """A label's text: the point's code or the muscle's name, with the numbers of the trigger points it names when
    its muscle has several ("Quadratus lumborum 1-3": the numbers drawn in the marks and given on the cards)."""
    text = label_text(marks[0])
    numbers = sorted({m.number[0] for m in marks if m.number is not None})
    if marks[0].label is not None or not numbers:
        return text
    if len(numbers) > 2 and numbers[-1] - numbers[0] == len(numbers) - 1:
        return f"{text} {numbers[0]}\u2013{numbers[-1]}"
    return f"{text} {', '.join(map(str, numbers))}"


def label_text(m: Marker) -> str:
    """A point's code, or a muscle's name without its explanation in brackets (or the plan's patient words)."""
    if m.label is not None:
        return m.label
    return m.code if m.therapy == Therapy.ACUPUNCTURE else m.name.split(" (")[0]


def gutter(texts: list[str], size: float, band: float) -> float:
    """The width a column of these labels needs beside its box (more than one column when the band is short)."""
    if not texts:
        return 0.0
    line = size + theme.LABEL_LEADING
    columns = -(-len(texts) // max(1, int(band // line)))
    widest = max(label_width(t, size) for t in texts)
    return theme.LABEL_GAP + LEADER_ROOM + columns * (widest + theme.LABEL_GAP)


def _cross(p1, p2, q1, q2) -> bool:
    def turn(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (turn(p1, p2, q1) * turn(p1, p2, q2) < 0) and (turn(q1, q2, p1) * turn(q1, q2, p2) < 0)


def _panel_labels(items: list[Callout], box: Box, band: tuple[float, float], size: float,
                  obstacles: Obstacles) -> tuple[list[Label], int]:
    """Labels in the panel's gutters, each on the line nearest its marks where every leader can be routed clear.

    Placed one by one, nearest their gutter first (both gutters together, so neither walls the
    other's marks in); a label that finds no clear line goes first in the next try.
    """
    line = size + theme.LABEL_LEADING
    top, bottom = band[0] + size, band[1]
    capacity = max(1, int((bottom - top) // line) + 1)
    cols: dict[str, list[float]] = {}
    for side in ("left", "right"):
        texts = [c.text for c in items if c.side == side]
        if texts:
            widest = max(label_width(t, size) for t in texts)
            offsets = (theme.LABEL_GAP + LEADER_ROOM + k * (widest + theme.LABEL_GAP) for k in range(-(-len(texts) // capacity)))
            cols[side] = [box.x - off if side == "left" else box.right + off for off in offsets]
    order = sorted(items, key=lambda c: (min(abs(ax - cols[c.side][0]) for ax, _ in c.anchors), c.key_y, c.id))
    best = _tries(order, box, cols, top, bottom, size, obstacles)
    if best[0] and not obstacles.exhausted:  # a leader found no clear way: one-mark names first, so fans give way
        singles = sorted(order, key=lambda c: len(c.anchors) > 1)
        again = _tries(singles, box, cols, top, bottom, size, obstacles)
        best = again if again[0] < best[0] else best
    obstacles.replace(best[1])
    return [_callout_label(c, slot, size) for c, slot in best[2]], best[0]


def _stacked_labels(items: list[Callout], box: Box, band: tuple[float, float], size: float, obstacles: Obstacles) -> list[Label]:
    """A crowded panel (the atlas): columns stacked a line apart in the order of their marks, straight leaders."""
    line = size + theme.LABEL_LEADING
    top, bottom = band[0] + size, band[1]
    capacity = max(1, int((bottom - top) // line) + 1)
    ex, ey = theme.LEADER_END
    out = []
    for side in ("left", "right"):
        column = sorted((c for c in items if c.side == side), key=lambda c: (c.key_y, c.id))
        if not column:
            continue
        widest = max(label_width(c.text, size) for c in column)
        for k in range(0, len(column), capacity):
            chunk = column[k:k + capacity]
            off = theme.LABEL_GAP + LEADER_ROOM + (k // capacity) * (widest + theme.LABEL_GAP)
            x = box.x - off if side == "left" else box.right + off
            ys: list[float] = []
            for c in chunk:
                ys.append(max(c.key_y + theme.LABEL_BASELINE_DROP, (ys[-1] + line) if ys else top))
            floor = bottom
            for i in range(len(ys) - 1, -1, -1):  # pushed past the bottom? pull the stack back up
                ys[i] = min(ys[i], floor)
                floor = ys[i] - line
            for c, ty in zip(chunk, ys, strict=True):
                end = (x + (ex if side == "left" else -ex), ty + ey)
                out.append(_callout_label(c, (ty, x, [(a, end) for a in c.anchors], False), size))
    return out


def _other_gutter(c: Callout, cols: dict[str, list[float]], widest: dict[str, float], top: float, bottom: float,
                  size: float, obstacles: Obstacles):
    """No clear way to its own gutter: the other gutter, when the panel has one wide enough for the name."""
    other = "right" if c.side == "left" else "left"
    if other not in cols or label_width(c.text, size) > widest[other]:
        return None
    slot = _slot(c, cols[other][:1], top, bottom, other, size, obstacles)
    return (*slot, "end" if other == "left" else "start") if slot else None


def _fewer_leaders(c: Callout, xs: list[float], top: float, bottom: float, side: str, size: float, obstacles: Obstacles):
    """One label still, with leaders to as many of its marks as route clear (nearest the gutter first): the others
    are named by the label alone (a muscle's trigger points by the numbers in their marks, which the label lists)."""
    if len(c.anchors) < 2:
        return None
    kept: list[tuple[float, float]] = []
    found = None
    for a in sorted(c.anchors, key=lambda p: abs(p[0] - xs[0])):
        slot = _slot(replace(c, anchors=[*kept, a]), xs, top, bottom, side, size, obstacles)
        if slot is not None:
            kept.append(a)
            found = slot
    return found


def _tries(order: list[Callout], box: Box, cols: dict[str, list[float]], top: float, bottom: float, size: float,
           obstacles: Obstacles) -> tuple[int, Obstacles, list, list[Callout]]:
    """The column placed up to RETRIES times, each time with the labels that found no clear way first: the best try."""
    widest = {side: max(label_width(c.text, size) for c in order if c.side == side) for side in cols}
    best: tuple[int, Obstacles, list, list[Callout]] | None = None
    for _ in range(RETRIES):
        trial = obstacles.copy()
        placed, failed = [], []
        for c in order:
            xs, side = cols[c.side], c.side
            slot = (_fallback(c, xs, top, bottom, side, size, trial) if trial.exhausted  # no routing budget left
                    else _slot(c, xs, top, bottom, side, size, trial) or _routed_round(c, box, xs, top, bottom, side, size, trial)
                    or _other_gutter(c, cols, widest, top, bottom, size, trial)
                    or _fewer_leaders(c, xs, top, bottom, side, size, trial)
                    or _beside(c, box, size, trial) or _fallback(c, xs, top, bottom, side, size, trial))
            if slot[3]:
                failed.append(c)
            anchor = slot[4] if len(slot) > 4 else ("end" if side == "left" else "start")
            trial.add(slot[2], padded(text_box(slot[1], slot[0], c.text, size, anchor)))
            placed.append((c, slot))
        faults = sum(len(c.anchors) for c in failed)  # leaders that found no clear way
        if best is None or faults < best[0]:
            best = (faults, trial, placed, failed)
        if not failed or trial.exhausted:  # every leader clear, or no routing budget left for another try
            break
        order = failed + [c for c in order if c not in failed]
    assert best is not None
    return best


def _callout_label(c: Callout, slot: tuple, size: float) -> Label:
    ty, x, lines = slot[:3]
    align = {"start": "right", "end": "left", "middle": "center"}[slot[4]] if len(slot) > 4 else c.side
    px, py = c.anchors[0]
    return Label(c.id, Layer.LABELS, c.text, c.panel, px, py, align, c.therapy,
                 round(x, 2), round(ty, 2), round(px, 2), round(py, 2), bool(lines), code=c.code, size=size,
                 anchors=tuple((round(ax, 2), round(ay, 2)) for ax, ay in c.anchors),
                 routes=tuple(tuple((round(a, 2), round(b, 2)) for a, b in ln) for ln in lines))


def _baselines(c: Callout, top: float, bottom: float) -> list[float]:
    want = c.key_y + theme.LABEL_BASELINE_DROP
    steps = int((bottom - top) / SLOT_STEP) + 1
    near = [y for y in (top + i * SLOT_STEP for i in range(steps)) if abs(y - want) <= SLOT_REACH]
    return sorted(near, key=lambda y: abs(y - want))


def _slot(c: Callout, xs: list[float], top: float, bottom: float, side: str, size: float, obstacles: Obstacles):
    """(baseline, x, leaders, False) nearest the marks where the text is clear and every leader routes clear, or None."""
    anchor = "end" if side == "left" else "start"
    ex, ey = theme.LEADER_END
    own = set(c.anchors)
    for x in xs:
        end_x = x + (ex if side == "left" else -ex)
        for ty in _baselines(c, top, bottom):
            if not obstacles.text_is_clear(padded(text_box(x, ty, c.text, size, anchor))):
                continue
            lines = [route(a, (end_x, ty + ey), obstacles, own) for a in c.anchors]
            if all(ln is not None for ln in lines):
                return ty, x, [ln for ln in lines if ln is not None], False
    return None


def _routed_round(c: Callout, box: Box, xs: list[float], top: float, bottom: float, side: str, size: float,
                  obstacles: Obstacles):
    """No simple leader is clear: leaders found round the crowd on a grid, to the nearest line they all reach."""
    anchor = "end" if side == "left" else "start"
    ex, ey = theme.LEADER_END
    for x in xs:
        end_x = x + (ex if side == "left" else -ex)
        lines = [ty for ty in _baselines(c, top, bottom)
                 if obstacles.text_is_clear(padded(text_box(x, ty, c.text, size, anchor)))]
        left, right = min(box.x, end_x) - 2.0, max(box.right, end_x) + 2.0
        region = Box(left, top - size - 2.0, right - left, bottom - top + size + 4.0)
        found = grid_routes(list(c.anchors), [(end_x, ty + ey) for ty in lines], region, obstacles)
        if found is not None:
            return lines[found[0]], x, found[1], False
    return None


def _beside(c: Callout, box: Box, size: float, obstacles: Obstacles):
    """No leader finds a way out of the crowd: the name right beside its one mark, inside the panel, covering nothing."""
    if len(c.anchors) != 1:
        return None
    x, y = c.anchors[0]
    r = BESIDE_RADIUS
    lift = 0.35 * size
    for tx, ty, anchor in ((x + r + 3, y + lift, "start"), (x - r - 3, y + lift, "end"), (x, y - r - 3, "middle"),
                           (x, y + r + size, "middle")):
        t = padded(text_box(tx, ty, c.text, size, anchor))
        inside = box.x <= t.x and t.right <= box.right and box.y <= t.y and t.bottom <= box.bottom
        if inside and obstacles.text_is_clear(t):
            return ty, tx, [], False, anchor
    return None


def _fallback(c: Callout, xs: list[float], top: float, bottom: float, side: str, size: float, obstacles: Obstacles):
    """Nowhere clear for all its leaders: the nearest line where the text covers nothing and the most leaders
    route clear; the others straight (True: a fault)."""
    anchor = "end" if side == "left" else "start"
    ex, ey = theme.LEADER_END
    own = set(c.anchors)
    best = None
    for x in xs:
        for n, ty in enumerate(_baselines(c, top, bottom)):
            if n > FALLBACK_LINES and best is not None:
                break
            if obstacles.text_is_clear(padded(text_box(x, ty, c.text, size, anchor))):
                end = (x + (ex if side == "left" else -ex), ty + ey)
                lines = [route(a, end, obstacles, own) for a in c.anchors]
                clear = sum(ln is not None for ln in lines)
                if best is None or clear > best[0]:
                    best = (clear, (ty, x, [ln or (a, end) for ln, a in zip(lines, c.anchors, strict=True)], True))
    if best is not None:
        return best[1]
    ty = min(max(c.key_y + theme.LABEL_BASELINE_DROP, top), bottom)
    end = (xs[0] + (ex if side == "left" else -ex), ty + ey)
    return ty, xs[0], [(a, end) for a in c.anchors], True


def place_labels(items: list[Callout], placements: Mapping[str, PanelPlacement], bands: Mapping[str, tuple[float, float]],
                 size: float, obstacles: Obstacles | None = None, stacked: bool = False,
                 missed: list[int] | None = None) -> list[Label]:
    """Every callout set in its panel's gutter, inside the panel's vertical band, with leaders routed clear
    (the leaders that found no clear way are counted into `missed`, when given)."""
    obstacles = obstacles if obstacles is not None else Obstacles()
    panels: dict[str, list[Callout]] = {}
    for c in items:
        panels.setdefault(c.panel, []).append(c)
    out: list[Label] = []
    faults = 0
    for panel_id, chunk in sorted(panels.items()):
        box, band = placements[panel_id].box, bands[panel_id]
        crowded = len(chunk) > CROWD or sum(len(c.anchors) for c in chunk) > CROWD_MARKS
        if stacked or crowded or obstacles.exhausted:
            out.extend(_stacked_labels(chunk, box, band, size, obstacles))
            continue
        labels, n = _panel_labels(chunk, box, band, size, obstacles)
        out.extend(labels)
        faults += n
    if missed is not None:
        missed.append(faults)
    return sorted(out, key=lambda lab: lab.id)


def text_box(x: float, y: float, text: str, size: float, anchor: str, bold: bool = True) -> Box:
    """The page box a one-line text covers (baseline at y), from the font's advances and vertical metrics."""
    w = label_width(text, size) if bold else text_width(text, size)  # bold: a label (a patient label in two sizes)
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
            if inside and not _hits(padded(box), taken):
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
    for reach in (1.6, 2.4, 3.4, 4.6, 6.0, 7.5):
        for dy in (0.0, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0, -4.0, 4.0, -5.0, 5.0):
            for side in (1, -1):
                tx = x + side * (r + 4 + reach * size)
                ty = y + lift + dy * (size + 3)
                yield (tx, ty, "start" if side > 0 else "end"), reach


@dataclass
class _Room:
    """What an inline label must keep clear of, as the page fills up."""
    page: Box
    taken: list[Box]
    marks: BoxIndex
    keep_out: list[Box]
    placements: Mapping[str, PanelPlacement]
    obstacles: Obstacles
    leaders: list[tuple[tuple[float, float], tuple[float, float]]]


def inline(markers: list[Marker], placements: Mapping[str, PanelPlacement], prefix: str, size: float,
           taken: list[Box], page: Box, keep_out: list[Box], obstacles: Obstacles | None = None) -> list[Label]:
    """A label beside each point's mark (one of a bilateral pair), where it covers no text, mark or other panel,
    and its leader (if it needs one) runs through no other mark, caption, text or leader.

    A place off the body's silhouette, beside any of the point's marks, comes first: a name over the body
    reads as a part of it (EX-UE7, a hand point, named on the buttocks)."""
    groups: dict[tuple[str, str, str], list[Marker]] = {}
    for m in markers:
        if m.layer in (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE):
            named = (m.muscle or m.code) if m.therapy == Therapy.DRY_NEEDLING else m.code
            groups.setdefault((m.layer, named, m.panel), []).append(m)
    # the obstacle tests go through a grid: their cost no longer grows with every box placed
    room = _Room(page, index(taken), BoxIndex(mark_box(m, placements[m.panel]) for m in markers), keep_out, placements,
                 obstacles if obstacles is not None else Obstacles(), [])
    out = []
    order = sorted(groups.items(), key=lambda kv: (kv[0][2], min(m.y for m in kv[1]), kv[0][1]))
    left = []
    for (layer, key, panel_id), group in order:
        found = _name_group(group, placements[panel_id], size, room, others=False)
        if found is None:
            left.append(((layer, key, panel_id), group))
        else:
            out.append(_inline_label(prefix, layer, key, panel_id, size, found))
    for (layer, key, panel_id), group in left:  # then, where there is room left, beside the point's other marks
        found = _name_group(group, placements[panel_id], size, room, others=True)
        if found is not None:
            out.append(_inline_label(prefix, layer, key, panel_id, size, found))
    return out


_Found = tuple[Marker, str, tuple[tuple[float, float, str], float, tuple[float, float]]]


def _name_group(group: list[Marker], pp: PanelPlacement, size: float, room: _Room, others: bool) -> _Found | None:
    found = _named_beside(group, _preferred(group, pp), named_text(group), size, room, others)
    if found is None and group[0].label is not None:  # a plan's words found no room: the code, not nothing
        found = _named_beside(group, _preferred(group, pp), named_text([replace(g, label=None) for g in group]), size, room,
                              others)
    return found


def _inline_label(prefix: str, layer: str, key: str, panel_id: str, size: float, found: _Found) -> Label:
    m, text, ((tx, ty, anchor), reach, at) = found
    align = {"start": "right", "end": "left", "middle": "center"}[anchor]
    return Label(f"{prefix}-label-{slug(layer)}-{slug(key)}-{panel_id}", Layer.LABELS, text, panel_id, m.x, m.y, align, m.therapy,
                 round(tx, 2), round(ty, 2), *at, bool(reach), code=key, size=size, anchors=(at,))


def _named_beside(group: list[Marker], first: Marker, text: str, size: float, room: _Room,
                  others: bool = False) -> _Found | None:
    """Off the body beside whichever mark gives the shortest leader; else beside the preferred mark, as before,
    or beside another of its marks (the point's other side) rather than not at all."""
    marks = [first, *(g for g in group if g is not first)]
    near = [(f[1], n) for n, g in enumerate(marks)
            if (f := _beside_mark(g, group, text, size, room, True, commit=False))
            and (g is first or others or f[1] <= NEAR_REACH)]
    for m, off_body in [*([(marks[min(near)[1]], True)] if near else []), *((g, False) for g in (marks if others else [first]))]:
        found = _beside_mark(m, group, text, size, room, off_body)
        if found is not None:
            return m, text, found
    return None


def _beside_mark(m: Marker, group: list[Marker], text: str, size: float, room: _Room, off_body: bool,
                 commit: bool = True) -> tuple[tuple[float, float, str], float, tuple[float, float]] | None:
    """The nearest place round mark m where the text is clear (and off the body, if asked) and its leader too;
    taken (unless only asked about) as the page's next obstacle."""
    pp = room.placements[m.panel]
    x, y = drawn_at(m, pp)
    w = label_width(text, size)
    r = theme.symbol_radius(theme.marker_symbol(m.layer, m.therapy, m.placement))
    own = {drawn_at(g, pp) for g in group}  # the point's other marks (its other side) are its own
    ex, ey = theme.LEADER_END
    for (tx, ty, anchor), reach in _candidates(x, y, r, w, size):
        box = text_box(tx, ty, text, size, anchor)
        end = (tx - ex if anchor == "start" else tx + ex, ty + ey)
        if not (_free(box, room.page, room.taken, room.marks, room.keep_out, m.panel, room.placements)
                and room.obstacles.text_is_clear(padded(box))) or (off_body and _on_body(box, pp)):
            continue
        if not reach or (room.obstacles.line_is_clear(((x, y), end), own) and not _crosses((x, y), end, room.leaders)):
            if not commit:
                return (tx, ty, anchor), reach, (round(x, 2), round(y, 2))
            room.taken.append(box)
            room.obstacles.add([((x, y), end)] if reach else [], padded(box))
            if reach:
                room.leaders.append(((x, y), end))
            return (tx, ty, anchor), reach, (round(x, 2), round(y, 2))
    return None


def _on_body(box: Box, pp: PanelPlacement) -> bool:
    """Whether any of nine points of the box (corners, mid-edges, centre) lies inside the panel's silhouette."""
    def panel_xy(px: float, py: float) -> tuple[float, float]:
        x = (px - pp.x) / pp.scale
        return (pp.panel.width - x if pp.mirrored else x, (py - pp.y) / pp.scale)
    points = [panel_xy(box.x + fx * box.w, box.y + fy * box.h) for fx in (0, 0.5, 1) for fy in (0, 0.5, 1)]
    return any(inside(p, outline) for outline in pp.panel.outlines for p in points)


def _preferred(group: list[Marker], pp: PanelPlacement) -> Marker:
    """The mark a label names: on two-sided panels the one on the therapy's side (acupuncture right, dry needling left)."""
    if not pp.panel.two_sided:
        return min(group, key=lambda m: (m.y, m.x))
    right = group[0].therapy == Therapy.ACUPUNCTURE
    return max(group, key=lambda m: drawn_at(m, pp)[0] * (1 if right else -1))


def mark_box(m: Marker, pp: PanelPlacement) -> Box:
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
    if _hits(box, taken) or _hits(box, marks):
        return False
    return not any(box.intersects(pp.box) for pid, pp in placements.items() if pid != panel_id) and \
        not any(box.intersects(k) for k in keep_out)


def _hits(box: Box, boxes: list[Box]) -> bool:
    """Whether `box` intersects any of `boxes` (through their grid when they have one)."""
    return boxes.hits(box) if isinstance(boxes, BoxIndex) else any(box.intersects(t) for t in boxes)


def _crosses(a, b, leaders) -> bool:
    return any(_cross(a, b, p, q) for p, q in leaders)
