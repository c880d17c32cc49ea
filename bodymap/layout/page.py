"""Where things go on the page: which panels, close-ups of the complaint's region, panel boxes, page boxes.

A complaint's page is PAGE_WIDTH units wide (the app shows it about that many pixels wide), so
every text keeps its size in page units on screen. Panels are chosen and sized from everything
the complaint can show (both therapies), so toggling a layer never moves a panel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bodymap.content.scenetypes import Box, LegendEntry, Marker, PageLayout, PanelPlacement
from bodymap.core import theme
from bodymap.core.vocabulary import Placement, Therapy, View
from bodymap.figures.geometry import Panel
from bodymap.layout.textmetrics import text_width, wrap

BODY_PANELS_BY_VIEW: dict[str, tuple[str, ...]] = {
    View.AUTO: ("body-posterior", "body-anterior", "body-lateral"),
    View.BOTH: ("body-posterior", "body-anterior"),
    View.POSTERIOR: ("body-posterior",),
    View.ANTERIOR: ("body-anterior",),
    View.LATERAL: ("body-lateral",),
    View.ALL: ("body-posterior", "body-anterior", "body-lateral"),
}
VIEW_WORD: dict[str, str] = {View.POSTERIOR: "back", View.ANTERIOR: "front", View.LATERAL: "side"}


@dataclass(frozen=True)
class Plan:
    """The panels of a page: close-ups (body panel id, crop), body panels and detail panels."""

    closeups: tuple[tuple[str, str, tuple[float, float, float, float]], ...]  # (close-up id, body panel id, crop)
    bodies: tuple[str, ...]
    details: tuple[str, ...]
    plates: tuple[str, ...] = ()  # detail panels of a region (the head) drawn as large as a close-up
    # Marks a plate shows that body views leave out: per body panel, the codes and the box they were in.
    absorbed: tuple[tuple[str, frozenset[str], tuple[float, float, float, float]], ...] = ()


def closeup_id(body_id: str, n: int = 0) -> str:
    return f"{body_id}-closeup" + (f"-{n + 1}" if n else "")


def is_local(m: Marker) -> bool:
    return m.therapy == Therapy.DRY_NEEDLING or m.placement in (Placement.LOCAL, None)


def choose_bodies(view: str, markers: Sequence[Marker], panels: Mapping[str, Panel]) -> tuple[str, ...]:
    """The body views asked for; for "auto", the fewest that show every point no detail panel shows."""
    order = BODY_PANELS_BY_VIEW["all"]
    if view != "auto":
        return tuple(b for b in BODY_PANELS_BY_VIEW[view] if b in panels)
    shows = {b: {m.code for m in markers if m.panel == b} for b in order if b in panels}
    need = set().union(*shows.values()) - {m.code for m in markers if m.panel not in shows}
    chosen: list[str] = []
    while need:
        best = max(shows, key=lambda b: (len(shows[b] & need), -order.index(b)))
        if not shows[best] & need:
            break
        chosen.append(best)
        need -= shows[best]
    return tuple(sorted(chosen, key=order.index)) or (next(b for b in order if b in panels),)


def regions(markers: Sequence[Marker], panel: Panel) -> list[tuple[float, float, float, float]]:
    """The crops (panel units) round the local marks on a body panel, if there are enough to need one.

    Marks in two groups well apart from the midline (both elbows, both knees) get a crop each,
    rather than one that spends most of its room on the trunk between them.
    """
    local = [m for m in markers if is_local(m)]
    if len({m.code for m in local}) < theme.CLOSEUP_MIN_POINTS:
        return []
    mid = panel.midline_x
    if panel.two_sided and mid is not None and min(abs(m.x - mid) for m in local) > theme.CLOSEUP_SPLIT:
        sides = [[m for m in local if m.x < mid], [m for m in local if m.x > mid]]
        if all(sides):
            return [_bbox(group, panel, theme.CLOSEUP_PAD, theme.CLOSEUP_MIN) for group in sides]
    return [_bbox(local, panel, theme.CLOSEUP_PAD, theme.CLOSEUP_MIN)]


def half(crop: tuple[float, float, float, float], panel: Panel, side: str) -> tuple[float, float, float, float]:
    """The crop cut to one side of the body (with a little of the other), for a narrow page."""
    if not panel.two_sided or panel.midline_x is None or crop[0] >= panel.midline_x or crop[2] <= panel.midline_x:
        return crop
    plus = panel.right_is_plus_x if side != "left" else not panel.right_is_plus_x
    over = theme.CLOSEUP_PAD / 2
    return (panel.midline_x - over, crop[1], crop[2], crop[3]) if plus else (crop[0], crop[1], panel.midline_x + over, crop[3])


def plan(view: str, markers: Sequence[Marker], panels: Mapping[str, Panel], details: set[str], closeups: bool,
         narrow: bool = False, side: str = "both") -> Plan:
    """Body views, close-ups of their local marks, and detail panels; a head panel with the region's
    points becomes a plate, and body views then leave those points to it."""
    bodies = choose_bodies(view, markers, panels)
    shown = [pid for pid, p in panels.items() if p.kind != "body" and pid in details]
    plates = tuple(pid for pid in shown if closeups and panels[pid].kind in theme.PLATE_KINDS
                   and len({m.code for m in markers if m.panel == pid and is_local(m)}) >= theme.CLOSEUP_MIN_POINTS)
    on_plates = {m.code for m in markers if m.panel in plates}
    crops, absorbed = [], []
    for b in bodies if closeups else ():
        mine = [m for m in markers if m.panel == b]
        taken = [m for m in mine if m.code in on_plates and is_local(m)]
        if taken:
            absorbed.append((b, frozenset(m.code for m in taken), _bbox(taken, panels[b], theme.CLOSEUP_PAD / 3, 0.0)))
        found = regions([m for m in mine if m not in taken], panels[b])
        if narrow and len(found) == 2:  # a narrow page shows one side: the patient's right, or the side asked for
            right = panels[b].right_is_plus_x if side != "left" else not panels[b].right_is_plus_x
            found = [found[1] if right else found[0]]
        for n, crop in enumerate(found):
            crops.append((closeup_id(b, n), b, half(crop, panels[b], side) if narrow else crop))
    return Plan(tuple(crops), bodies, tuple(pid for pid in shown if pid not in plates), plates, tuple(absorbed))


def _bbox(markers: Sequence[Marker], panel: Panel, pad: float, least: float) -> tuple[float, float, float, float]:
    xs, ys = [m.x for m in markers], [m.y for m in markers]
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    grow_x, grow_y = max(0.0, least - (x1 - x0)) / 2, max(0.0, least - (y1 - y0)) / 2
    x0, x1, y0, y1 = x0 - grow_x, x1 + grow_x, y0 - grow_y, y1 + grow_y
    return max(0.0, x0), max(0.0, y0), min(panel.width, x1), min(panel.height, y1)


def in_closeup(m: Marker, crop: tuple[float, float, float, float]) -> bool:
    return crop[0] <= m.x <= crop[2] and crop[1] <= m.y <= crop[3]


def closeup_of(m: Marker, plan: Plan) -> str | None:
    """The close-up a body view's mark is drawn in, if any."""
    return next((cid for cid, body, crop in plan.closeups if body == m.panel and in_closeup(m, crop)), None)


@dataclass(frozen=True)
class Slot:
    """A panel to place: its id, the panel, its window (panel units), and the label gutters it needs."""

    id: str
    panel: Panel
    window: tuple[float, float, float, float]
    left: float
    right: float
    title: str = ""
    mirrored: bool = False
    need: float = 0.0  # the least box height that holds its labels in one column
    unit: float = 1.0  # body-panel units per unit of this panel (a head plate draws a head 1/unit larger)

    @property
    def aspect(self) -> float:
        x0, y0, x1, y1 = self.window
        return (x1 - x0) / (y1 - y0)


def _row_height(row: Sequence[Slot], width: float, cap: float) -> float:
    """The height at which a row of panels (with their gutters) fills `width`."""
    fixed = sum(s.left + s.right for s in row) + theme.MARGIN * (len(row) - 1)
    # Never below a small positive height: an over-full row overflows rather than turning inside out.
    return max(theme.MIN_PANEL_HEIGHT, min(cap, (width - fixed) / max(sum(s.aspect for s in row), 1e-6)))


def _place(s: Slot, x: float, top: float, height: float) -> tuple[PanelPlacement, float]:
    """The slot's placement with its box's left edge at x (after the left gutter); returns it and the right edge."""
    x0, y0, x1, y1 = s.window
    k = height / (y1 - y0)
    x += s.left
    crop = s.window if s.id != s.panel.id else None
    pp = PanelPlacement(s.panel, x - k * (s.panel.width - x1 if s.mirrored else x0), top - k * y0, k, id=s.id, crop=crop,
                        title=s.title, mirrored=s.mirrored)
    return pp, x + k * (x1 - x0) + s.right


def _row(row: Sequence[Slot], x: float, top: float, height: float) -> tuple[list[PanelPlacement], float]:
    placed = []
    for s in row:
        pp, x = _place(s, x, top, height)
        placed.append(pp)
        x += theme.MARGIN
    return placed, x - theme.MARGIN


def _flow(slots: Sequence[Slot], x0: float, top: float, width: float, height: float,
          band: float = theme.TITLE_BAND) -> tuple[list[PanelPlacement], float] | None:
    """Detail panels in rows of a common height within `width` x `height`; None if they do not fit at a useful size."""
    for base in (theme.DETAIL_HEIGHT, theme.DETAIL_HEIGHT * 0.85, theme.DETAIL_HEIGHT * 0.7, theme.DETAIL_HEIGHT * 0.55):
        placed, x, y, widest, row_h = [], x0, top, x0, 0.0
        for s in slots:
            h = max(base, s.need)  # a panel with many labels is drawn tall enough to stack them in one column
            half_title = (text_width(s.title or s.panel.title, band - theme.TITLE_BAND + theme.PANEL_TITLE_SIZE)
                          + theme.PANEL_TITLE_OFFSET[0]) / 2
            box_w = s.aspect * h
            lead = max(s.left, half_title - box_w / 2)  # room before the box: its labels, or half its centred title
            w = lead + box_w + max(s.right, half_title - box_w / 2)
            if x > x0 and x + w > x0 + width:
                x, y, row_h = x0, y + row_h + band, 0.0
            pp, right = _place(s, x + lead - s.left, y, h)
            placed.append(pp)
            row_h = max(row_h, h)
            x = max(right, x + w)
            widest = max(widest, x)
            x += theme.MARGIN
        if y + row_h <= top + height and widest <= x0 + width + 0.5:
            return placed, y + row_h
    return None


def headline_room(width: float) -> int:
    """Lines the headline may take: one, or two on a narrow page."""
    return 1 if width >= theme.NARROW_PAGE else 2


def title_lines(title: str, width: float) -> tuple[str, ...]:
    return tuple(wrap(title, width - 2 * theme.MARGIN, theme.TITLE_SIZE, bold=True))


def headline_lines(text: str, width: float) -> tuple[str, ...]:
    """The headline's parts ("Dry needling: ..." and "Acupuncture: ...") on one line, or a line each, wrapped."""
    inner = width - 2 * theme.MARGIN
    if text_width(text, theme.SUBTITLE_SIZE) <= inner:
        return (text,)
    return tuple(line for part in text.split(" · ") for line in wrap(part, inner, theme.SUBTITLE_SIZE))


def header_height(title: str, width: float) -> float:
    """The header: the title's lines, then room for the headline's."""
    extra = (len(title_lines(title, width)) - 1) * theme.TITLE_LINE + (headline_room(width) - 1) * theme.HEADLINE_LINE
    return theme.HEADER_HEIGHT + extra


def arrange(closeups: Sequence[Slot], bodies: Sequence[Slot], details: Sequence[Slot], width: float, head: float,
            atlas: bool = False, band: float = theme.TITLE_BAND) -> tuple[list[PanelPlacement], float]:
    """The panels on a page `width` wide: close-ups at the left, body views and detail panels at the right.

    Without close-ups (or in the atlas) the body views share one row with a column of detail panels.
    """
    top = head + band
    inner = width - 2 * theme.MARGIN
    if atlas or not closeups:
        cap = theme.CONTENT_HEIGHT_ATLAS if atlas else theme.CONTENT_HEIGHT
        overhang = max((s.left for s in details), default=0.0) + max((s.right for s in details), default=0.0)
        column = theme.DETAIL_COLUMN_WIDTH + overhang
        room = inner - (column + theme.MARGIN if details else 0.0)
        height = _row_height(bodies, room, cap)
        placed, right = _row(bodies, theme.MARGIN, top, height)
        if details:
            left = (right + theme.MARGIN if bodies else theme.MARGIN) + max(s.left for s in details)
            col, bottom = _column(details, left, top, height if bodies else cap, band)
            return placed + col, max(top + height if bodies else 0.0, bottom)
        return placed, top + height
    packed = _packed(closeups, bodies, details, width, top, band) if theme.PACKED_PAGE <= width < theme.NARROW_PAGE else None
    if packed is not None:
        return packed
    for share in theme.CLOSEUP_SHARES:  # the close-ups as large as the body views and details allow
        placed, right, height = _closeups(closeups, top, inner * share, band)
        if height < theme.MIN_CLOSEUP_HEIGHT:
            continue
        rest = _beside(bodies, details, right + theme.MARGIN, top, width - theme.MARGIN - (right + theme.MARGIN), band=band)
        if rest is not None:
            return placed + rest[0], max(top + height, rest[1])
    # Last resort: the close-ups in a row of their own, the body views and details under them. Their gutters'
    # outer gap may reach into the page's margin (the labels keep EDGE_ROOM from the edge): on a phone
    # every unit of width is the close-up's.
    reach = theme.MARGIN - theme.EDGE_ROOM + theme.LABEL_GAP
    lean = (reach if any(s.left for s in closeups) else 0.0, reach if any(s.right for s in closeups) else 0.0)
    placed, right, height = _closeups(closeups, top, inner + sum(lean), band, x0=theme.MARGIN - lean[0])
    rest = _beside(bodies, details, theme.MARGIN, top + height + band + theme.MARGIN, inner, strict=False, band=band)
    assert rest is not None  # not strict: the body views are placed at whatever size fits
    return placed + rest[0], rest[1]


def _beside(bodies: Sequence[Slot], details: Sequence[Slot], x0: float, top: float, room: float,
            strict: bool = True, band: float = theme.TITLE_BAND) -> tuple[list[PanelPlacement], float] | None:
    """Body views with the details under them (or in a column beside them) in `room` x CONTENT_HEIGHT.

    None when the body views would be drawn smaller than MIN_BODY_HEIGHT (unless not `strict`).
    """
    area = theme.CONTENT_HEIGHT
    for share in (0.62, 0.54, 0.46):
        hb = min(area * share if details else area, _row_height(bodies, room, area))
        if strict and hb < theme.MIN_BODY_HEIGHT:
            break
        row, _ = _row(bodies, x0, top, hb)
        flow = _flow(details, x0, top + hb + band, room, area - hb - band, band) if details else ([], top + hb)
        if flow is not None:
            return row + flow[0], max(top + hb, flow[1])
    if not details:
        return None
    footprint = theme.DETAIL_COLUMN_WIDTH + max(s.left for s in details) + max(s.right for s in details)
    hb = _row_height(bodies, room - footprint - theme.MARGIN, area)
    if strict and hb < theme.MIN_BODY_HEIGHT:
        return None
    col, bottom = _column(details, x0 + max(s.left for s in details), top, area, band)
    row, _ = _row(bodies, x0 + footprint + theme.MARGIN, top, hb)
    return row + col, max(top + hb, bottom)


def _packed(closeups: Sequence[Slot], bodies: Sequence[Slot], details: Sequence[Slot], width: float, top: float,
            band: float) -> tuple[list[PanelPlacement], float] | None:
    """Close-ups at the left, the body views in a row under them and the detail panels in a column beside the
    close-ups, or else in rows beside the body views; None when neither leaves them room."""
    if not (closeups and details and bodies):
        return None
    inner = width - 2 * theme.MARGIN
    hb = _row_height(bodies, inner, theme.MIN_BODY_HEIGHT)
    cap = theme.PACKED_BOTTOM - top - hb - band - theme.MARGIN  # from the page's top: a two-line title takes its share
    lead, trail = max(s.left for s in details), max(s.right for s in details)
    first = 0.0
    # The details beside the close-ups, in room their gutters leave (close-ups side by side may leave some if
    # stacked, when not drawn much smaller); each detail tall enough for its labels.
    for share in theme.PACKED_CLOSEUP_SHARES:
        placed, right, height = _closeups(closeups, top, inner * share, band, cap=cap)
        first = first or height
        col_w = width - theme.MARGIN - (right + theme.MARGIN) - lead - trail
        if col_w <= 0 or height < theme.PACKED_CLOSEUP_KEEP * first:
            continue
        drawn, gaps = sum(col_w / s.aspect for s in details), band * (len(details) - 1)
        # _column shrinks its gaps with its panels: ask for the height that leaves the panels `height` less the gaps
        col, bottom = _column(details, right + theme.MARGIN + lead, top, (height - gaps) * (drawn + gaps) / drawn, band,
                              col_w=col_w)
        if all(pp.box.h >= max(s.need, theme.PACKED_DETAIL_HEIGHT) for pp, s in zip(col, details, strict=True)):
            below = max(top + height, bottom) + band + theme.MARGIN
            row, _ = _row(bodies, theme.MARGIN, below, hb)
            return placed + col + row, below + hb
    placed, right, height = _closeups(closeups, top, inner, band, cap=cap)
    below = top + height + band + theme.MARGIN
    row, x = _row(bodies, theme.MARGIN, below, hb)
    flow = _flow(details, x + theme.MARGIN, below, width - theme.MARGIN - (x + theme.MARGIN), hb, band)
    if flow is None:
        return None
    return placed + row + flow[0], max(below + hb, flow[1])


def _closeups(slots: Sequence[Slot], top: float, width: float, band: float = theme.TITLE_BAND,
              cap: float = theme.CONTENT_HEIGHT, x0: float = theme.MARGIN) -> tuple[list[PanelPlacement], float, float]:
    """Close-ups at one scale (they show one body): in one row, one column or rows of two, whichever draws them largest.

    Returns the placements, their right edge and the height they take.
    """
    def size(s: Slot) -> tuple[float, float]:
        x0, y0, x1, y1 = s.window
        return (x1 - x0) * s.unit, (y1 - y0) * s.unit

    def scale(rows: list[Sequence[Slot]]) -> float:
        across = min((width - sum(s.left + s.right for s in row) - theme.MARGIN * (len(row) - 1)) / sum(size(s)[0] for s in row)
                     for row in rows)
        down = (cap - band * (len(rows) - 1)) / sum(max(size(s)[1] for s in row) for row in rows)
        return min(across, down)

    shapes = [[slots[i:i + n] for i in range(0, len(slots), n)] for n in dict.fromkeys((len(slots), 2, 1)) if n]
    rows = max(shapes, key=scale)
    k = max(scale(rows), theme.MIN_PANEL_HEIGHT / max(size(s)[1] for s in slots))
    lefts = [max(row[c].left for row in rows if c < len(row)) for c in range(len(rows[0]))]
    placed: list[PanelPlacement] = []
    y, right = top, x0
    for row in rows:
        x = x0
        for c, s in enumerate(row):  # columns line up: each starts after the widest left gutter of its column
            pp, r = _place(s, x + lefts[c] - s.left, y, k * size(s)[1])
            placed.append(pp)
            right = max(right, r)
            x = r + theme.MARGIN
        y += k * max(size(s)[1] for s in row) + band
    return placed, right, y - band - top


def _column(slots: Sequence[Slot], x: float, top: float, height: float, band: float = theme.TITLE_BAND,
            col_w: float = theme.DETAIL_COLUMN_WIDTH) -> tuple[list[PanelPlacement], float]:
    """Detail panels stacked at a common width, shrunk together to fit `height`."""
    total = sum(col_w / s.aspect for s in slots) + band * (len(slots) - 1)
    shrink = min(1.0, height / total) if total else 1.0
    placed, y = [], top
    for s in slots:  # x is where the boxes' column starts (the left gutters lie before it)
        h = col_w / s.aspect * shrink
        pp, _ = _place(s, x + (col_w - s.aspect * h) / 2 - s.left, y, h)
        placed.append(pp)
        y += h + band
    return placed, y - band


def title_anchor(pp: PanelPlacement, page_width: float) -> tuple[float, str]:
    """Where a panel's title starts: centred over a small panel (so it cannot reach a neighbour's), kept on the page."""
    box = pp.box
    if pp.role != "detail":
        return box.x + theme.PANEL_TITLE_OFFSET[0], "start"
    half = (text_width(pp.title, pp.title_size) + len(pp.title) * theme.PANEL_TITLE_SPACING) / 2
    return min(max(box.x + box.w / 2, theme.EDGE_ROOM + half), page_width - theme.EDGE_ROOM - half), "middle"


def legend_rows(entries: Sequence[LegendEntry], width: float) -> list[list[tuple[LegendEntry, float]]]:
    """Entries flowed into rows across the page: (entry, x offset) per row, measured with the font."""
    rows: list[list[tuple[LegendEntry, float]]] = [[]]
    x = 0.0
    for e in entries:
        w = theme.LEGEND_TEXT_DX + text_width(e.text, theme.LEGEND_SIZE) + theme.LEGEND_SPACING
        if rows[-1] and x + w > width:
            rows.append([])
            x = 0.0
        rows[-1].append((e, x))
        x += w
    return [r for r in rows if r]


def page_layout(width: float, head: float, figures_bottom: float, legend: Sequence[LegendEntry],
                notes: Sequence[str]) -> PageLayout:
    """The named boxes of a page whose figures end at `figures_bottom`: legend rows, then the notes (wrapped to the width)."""
    inner = width - 2 * theme.MARGIN
    rows = legend_rows(legend, inner)
    legend_box = Box(theme.MARGIN, figures_bottom + theme.LEGEND_GAP, inner, len(rows) * theme.LEGEND_ROW)
    # The sources line, then the disclaimer in bold: each wrapped to the page.
    last = len(notes) - 1
    lines = tuple((line, n == last) for n, note in enumerate(notes) for line in wrap(note, inner, theme.NOTE_SIZE, n == last))
    notes_box = Box(theme.MARGIN, legend_box.bottom, inner, theme.NOTES_PAD + len(lines) * theme.NOTE_LINE)
    boxes = (("header", Box(0.0, 0.0, width, head)), ("figures", Box(0.0, head, width, figures_bottom - head)),
             ("legend", legend_box), ("notes", notes_box))
    legend_keys = tuple(tuple((e.key, x) for e, x in r) for r in rows)
    return PageLayout(width, float(math.ceil(notes_box.bottom)), boxes, legend_rows=legend_keys, notes=lines)


SIDE_LETTER_SIZE = 10.0  # page units: the L and R at a body view's lower corners
SIDE_LETTER_INSET = 4.0


def side_letter_size(pp: PanelPlacement) -> float:
    """The L and R take the panel title's size once titles grow (a figure fitted to paper), so they print as readable."""
    return SIDE_LETTER_SIZE if pp.title_size <= theme.PANEL_TITLE_SIZE else pp.title_size


def side_letters(pp: PanelPlacement) -> tuple[tuple[float, float, str, str], ...]:
    """'L' and 'R' (the patient's left and right) at the lower corners of a whole two-sided body view:
    (x, baseline y, letter, anchor). The back view has the patient's right on the viewer's right."""
    panel = pp.panel
    if panel.kind != "body" or not panel.two_sided or pp.crop:
        return ()
    box, k = pp.box, SIDE_LETTER_INSET
    left, right = ("L", "R") if panel.right_is_plus_x else ("R", "L")
    y = box.bottom - k
    return ((box.x + k, y, left, "start"), (box.right - k, y, right, "end"))
