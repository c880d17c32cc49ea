"""Where things go on the page: panel placement and the named page boxes, sized with real text metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import theme
from .geometry import Panel
from .scenetypes import Box, LegendEntry, PageLayout, PanelPlacement
from .textmetrics import text_width

BODY_PANELS_BY_VIEW = {
    "both": ("body-posterior", "body-anterior"),
    "posterior": ("body-posterior",),
    "anterior": ("body-anterior",),
    "lateral": ("body-lateral",),
    "all": ("body-posterior", "body-anterior", "body-lateral"),
}


def panel_ids(view: str, wanted_details: set[str], panels: Mapping[str, Panel]) -> list[str]:
    """The body panels of the view, then the detail panels wanted, in the catalog's panel order."""
    bodies = BODY_PANELS_BY_VIEW[view]
    details = [pid for pid, p in panels.items() if p.kind != "body" and pid in wanted_details]
    return [b for b in bodies if b in panels] + details


def place_panels(ids: Sequence[str], panels: Mapping[str, Panel]) -> tuple[list[PanelPlacement], float, float]:
    """Bodies side by side at full scale; detail panels in a column (two if needed) beside them.

    Returns the placements, the right edge and the bottom of the figures.
    """
    gap, top = theme.MARGIN, theme.HEADER_HEIGHT
    bodies = [panels[p] for p in ids if panels[p].kind == "body"]
    details = [panels[p] for p in ids if panels[p].kind != "body"]
    placed: list[PanelPlacement] = []
    x = gap
    body_height = max((b.height for b in bodies), default=600.0)
    for body in bodies:
        placed.append(PanelPlacement(body, x, top, 1.0))
        x += body.width + gap
    if details:
        col_w = theme.DETAIL_COLUMN_WIDTH
        # Detail panels are scaled to a common width; use a second column if one is too tall.
        heights = [d.height * col_w / d.width for d in details]
        columns = 1 if sum(heights) + gap * (len(details) - 1) <= body_height else 2
        per_col = -(-len(details) // columns)
        for c in range(columns):
            col = details[c * per_col: (c + 1) * per_col]
            col_heights = heights[c * per_col: (c + 1) * per_col]
            total = sum(col_heights) + gap * (len(col) - 1)
            shrink = min(1.0, body_height / total) if total else 1.0
            y = top
            for panel, h in zip(col, col_heights):
                scale = col_w / panel.width * shrink
                placed.append(PanelPlacement(panel, x + (col_w - panel.width * scale) / 2, y, scale))
                y += h * shrink + gap
            x += col_w + gap
    bottom = max([top + body_height] + [p.y + p.panel.height * p.scale for p in placed])
    return placed, x, bottom


def legend_columns(entries: Sequence[LegendEntry], width: float) -> tuple[int, float]:
    """Two columns when every entry fits its column, else one; and the column width."""
    column = max(theme.LEGEND_COLUMN, (width - 2 * theme.MARGIN) / 2)
    room = column - theme.LEGEND_TEXT_DX - theme.EDGE_ROOM
    fits = all(text_width(e.text, theme.LEGEND_SIZE) <= room for e in entries)
    return (2, column) if fits else (1, width - 2 * theme.MARGIN)


def page_layout(width: float, figures_bottom: float, legend: Sequence[LegendEntry], notes: Sequence[str]) -> PageLayout:
    """The named boxes of a page whose figures end at `figures_bottom`; the width grows to fit the notes."""
    widest_note = max((text_width(n, theme.NOTE_SIZE, bold=True) for n in notes), default=0.0)
    width = max(width, theme.MIN_PAGE_WIDTH, widest_note + 2 * theme.MARGIN)
    columns, column_width = legend_columns(legend, width)
    rows = -(-len(legend) // columns)
    legend_top = figures_bottom + theme.LEGEND_TOP - theme.LEGEND_ROW / 2
    legend_box = Box(theme.MARGIN, legend_top, width - 2 * theme.MARGIN, rows * theme.LEGEND_ROW)
    # The notes sit a fixed distance under the legend's reserved rows, as a footer.
    reserved = 16.0 + theme.LEGEND_ROW * rows
    notes_box = Box(theme.MARGIN, figures_bottom + reserved, width - 2 * theme.MARGIN, theme.NOTES_HEIGHT)
    height = notes_box.bottom
    boxes = (("header", Box(0.0, 0.0, width, theme.HEADER_HEIGHT)),
             ("figures", Box(0.0, theme.HEADER_HEIGHT, width, figures_bottom - theme.HEADER_HEIGHT)),
             ("legend", legend_box), ("notes", notes_box))
    return PageLayout(width, height, boxes, columns, column_width)
