"""How handout pages are drawn: a page in points, wrapped text, blocks, and the hand-written page flow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Transform

from bodymap.backends.mpl import draw_scene, draw_symbol, font, scene_bounds
from bodymap.core import theme
from bodymap.layout.textmetrics import printable, wrap
from bodymap.scene.build import Scene

# Paper sizes in points (1/72 inch): A4 is 210 x 297 mm.
PAPERS = {"a4": (595.276, 841.89), "letter": (612.0, 792.0)}

MIN_PT = theme.PRINT_MIN_PT
CONTINUED = " (continued)"
LEADING = theme.PRINT_LEADING

# The documents' palette, from the theme (one definition for the figure and the paper).
INK, MUTED, PAPER = theme.INK, theme.PRINT_MUTED, theme.PAPER
RULE, HEAD_FILL, ZEBRA = theme.PRINT_RULE, theme.PRINT_HEAD_FILL, theme.PRINT_ZEBRA
BOX_FILL, BOX_EDGE = theme.PRINT_BOX_FILL, theme.PRINT_BOX_EDGE

def line_height(size: float) -> float:
    return size * LEADING


class _Line(Text):
    """One line of literal text, left-aligned at its baseline, drawn without measuring it first.

    matplotlib's Text measures every string (a FreeType layout of each glyph) only to align it; a
    line anchored at its left baseline needs no offset, and a reference page draws hundreds of
    them. The renderer is given exactly what Text.draw gives it for such a line.
    """

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.get_text():
            return
        renderer.open_group("text", self.get_gid())
        x, y = self.get_transform().transform(tuple(map(float, self.get_position())))
        if renderer.flipy():  # pragma: no cover - the PDF renderer does not flip
            y = renderer.get_canvas_width_height()[1] - y
        gc = renderer.new_gc()
        gc.set_foreground(to_rgba(self.get_color()), isRGBA=True)
        gc.set_alpha(self.get_alpha())
        gc.set_url(self.get_url())
        gc.set_antialiased(self.get_antialiased())
        gc.set_snap(self.get_snap())
        self._set_gc_clip(gc)  # type: ignore[attr-defined]  # Artist's own, as Text.draw calls it
        renderer.draw_text(gc, x, y, self.get_text(), self.get_fontproperties(), 0.0, ismath=False, mtext=self)
        gc.restore()
        renderer.close_group("text")
        self.stale = False


class Page:
    """One page's figure, drawn in points from the top-left corner (y down)."""

    def __init__(self, paper: tuple[float, float]) -> None:
        self.width, self.height = paper
        self.fig = Figure(figsize=(self.width / 72.0, self.height / 72.0), dpi=72, facecolor=PAPER)
        FigureCanvasPdf(self.fig)
        points_to_inches = Affine2D().scale(1 / 72.0, -1 / 72.0).translate(0, self.height / 72.0)
        self.to_display: Transform = points_to_inches + self.fig.dpi_scale_trans

    def add(self, artist: Any, zorder: float = 2.0) -> Any:
        artist.set_transform(self.to_display)
        artist.set_zorder(zorder)
        self.fig.add_artist(artist)
        return artist

    def text(self, x: float, y: float, s: str, size: float, *, bold: bool = False, colour: str = INK,
             ha: str = "left") -> None:
        """One line, baseline at y; literal text (never mathtext)."""
        kind = _Line if ha == "left" else Text  # centred and right-aligned text is measured by matplotlib, as before
        self.add(kind(x, y, printable(s), fontproperties=font(max(size, MIN_PT), bold), color=colour, ha=ha,
                      va="baseline", usetex=False, parse_math=False), 3.0)

    def lines(self, x: float, y: float, lines: Sequence[str], size: float, **kw: Any) -> float:
        """Lines from `y` (the top of the first); returns the y under the last."""
        lh = line_height(size)
        for i, s in enumerate(lines):
            self.text(x, y + size + i * lh - 0.1 * size, s, size, **kw)
        return y + len(lines) * lh

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = "none", edge: str = "none", lw: float = 0.0,
             rounded: float = 0.0, zorder: float = 1.0) -> None:
        patch: Patch
        if rounded:
            patch = FancyBboxPatch((x, y), w, h, boxstyle=f"round,pad=0,rounding_size={rounded}", facecolor=fill,
                                   edgecolor=edge, lw=lw)
        else:
            patch = Rectangle((x, y), w, h, facecolor=fill, edgecolor=edge, lw=lw)
        self.add(patch, zorder)

    def rule(self, x: float, y: float, w: float, colour: str = RULE, lw: float = 0.6) -> None:
        self.rect(x, y - lw / 2, w, lw, fill=colour, zorder=1.5)

    def symbol(self, key: str, x: float, y: float, scale: float = 0.55) -> None:
        draw_symbol(self.fig.add_artist, self.to_display, key, x, y, scale, zorder=4.0)

    def figure(self, scene: Scene, x: float, y: float, width: float, height: float) -> None:
        """The scene's drawing (no header, legend or notes) fitted into the box, centred."""
        # The scene's label size was chosen for this box (handout.readable): its text is drawn as laid out.
        draw_scene(self.fig, scene, box=(x / 72, y / 72, width / 72, height / 72), header=False, legend=False, notes=False)


def figure_scale(scene: Scene, width: float, height: float) -> float:
    """Points per scene page unit when the scene's drawing is fitted into width x height points."""
    x0, y0, x1, y1 = scene_bounds(scene, header=False, legend=False, notes=False)
    return min(width / (x1 - x0), height / (y1 - y0))


# --- blocks of the reference's page flow ----------------------------------------------------
#
# A block knows its height for a given width and draws itself at a given top; blocks that can
# break across pages (tables, lists) also know how to split. reportlab's platypus does the
# same and was measured against this (benchmarks/handout_flow.py; README, dependencies).


class Block:
    height: float = 0.0

    def draw(self, page: Page, x: float, y: float) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def split(self, room: float) -> tuple[Block | None, Block | None]:
        """(the part that fits in `room`, the rest); (None, self) when nothing useful fits."""
        return None, self


@dataclass
class Lines(Block):
    """Wrapped lines of one size and weight."""

    lines_: list[str]
    size: float
    bold: bool = False
    colour: str = INK

    def __post_init__(self) -> None:
        self.height = len(self.lines_) * line_height(self.size)

    def draw(self, page: Page, x: float, y: float) -> None:
        page.lines(x, y, self.lines_, self.size, bold=self.bold, colour=self.colour)


@dataclass
class NoticeBox(Block):
    """A line in a box that cannot be missed, with a warning mark that reads without colour."""

    lines_: list[str]
    width: float
    size: float = 8.5
    pad: float = 5.0

    def __post_init__(self) -> None:
        self.height = len(self.lines_) * line_height(self.size) + 2 * self.pad

    def draw(self, page: Page, x: float, y: float) -> None:
        page.rect(x, y, self.width, self.height, fill=BOX_FILL, edge=BOX_EDGE, lw=1.0, rounded=3)
        page.lines(x + 20, y + self.pad, self.lines_, self.size, bold=True)
        page.text(x + 10, y + self.height / 2 + 3.6, "!", 11, bold=True, colour=BOX_EDGE, ha="center")


@dataclass
class Heading(Block):
    text: str
    width: float
    size: float = 10.5

    def __post_init__(self) -> None:
        self.height = line_height(self.size) + 4

    def draw(self, page: Page, x: float, y: float) -> None:
        page.lines(x, y, [self.text], self.size, bold=True)
        page.rule(x, y + self.height - 1.5, self.width)


@dataclass
class Diagram(Block):
    """The scene's drawing, centred in `width` x `art_height` points, with its legend in page type under it."""

    scene: Scene
    width: float
    art_height: float
    legend_size: float = 8.0

    def __post_init__(self) -> None:
        self.height = self.art_height + 4 + legend_height(self.scene, self.width, self.legend_size)

    def draw(self, page: Page, x: float, y: float) -> None:
        x0, y0, x1, y1 = scene_bounds(self.scene, header=False, legend=False, notes=False)
        k = figure_scale(self.scene, self.width, self.art_height)
        page.figure(self.scene, x + (self.width - (x1 - x0) * k) / 2, y, (x1 - x0) * k, (y1 - y0) * k)
        draw_legend(page, self.scene, x, y + (y1 - y0) * k + 4, self.width, self.legend_size)


def _legend_rows(scene: Scene, width: float, size: float) -> list[list[tuple[str, list[str]]]]:
    """The legend in two columns, each entry's text wrapped to its column: [(key, lines), ...] per row."""
    entries = [(e.key, wrap(e.text, width / 2 - 20, size)) for e in scene.legend]
    return [entries[i:i + 2] for i in range(0, len(entries), 2)]


def _row_height(row: list[tuple[str, list[str]]], size: float) -> float:
    return max(len(lines) for _, lines in row) * line_height(size) + 0.375 * size + 0.75


def legend_height(scene: Scene, width: float, size: float) -> float:
    return sum(_row_height(row, size) for row in _legend_rows(scene, width, size))


def draw_legend(page: Page, scene: Scene, x: float, y: float, width: float, size: float) -> float:
    """The scene's legend in two columns of `width`; returns the y under it."""
    for row in _legend_rows(scene, width, size):
        for i, (key, lines) in enumerate(row):
            cx = x + i * width / 2
            page.symbol(key, cx + 7, y + _row_height([(key, lines[:1])], size) / 2, 0.5)
            page.lines(cx + 17, y + 0.19 * size + 0.375, lines, size)
        y += _row_height(row, size)
    return y


@dataclass
class Column:
    title: str
    width: float  # points
    bold: bool = False


@dataclass
class TableRow:
    cells: list[list[str]]  # wrapped lines per column
    symbol: str | None = None  # a marker key drawn in the first column
    caption: bool = False  # a group caption spanning the table
    height: float = 0.0


@dataclass
class Table(Block):
    columns: list[Column]
    rows: list[TableRow]
    size: float = 7.2
    pad: float = 2.4

    def __post_init__(self) -> None:
        lh = line_height(self.size)
        self.header_lines = [wrap(c.title, c.width - 2 * self.pad, self.size, bold=True) for c in self.columns]
        self.head_height = max(len(h) for h in self.header_lines) * lh + 2 * self.pad
        for row in self.rows:
            row.height = max(len(c) for c in row.cells) * lh + 2 * self.pad
        self.height = self.head_height + sum(r.height for r in self.rows)

    @property
    def width(self) -> float:
        return sum(c.width for c in self.columns)

    def split(self, room: float) -> tuple[Block | None, Block | None]:
        used, n = self.head_height, 0
        for row in self.rows:
            if used + row.height > room:
                break
            used, n = used + row.height, n + 1
        while n and self.rows[n - 1].caption:  # keep a caption with its first row
            n -= 1
        if n == 0:
            return None, self
        return replace(self, rows=self.rows[:n]), replace(self, rows=self.rows[n:])

    def draw(self, page: Page, x: float, y: float) -> None:
        page.rect(x, y, self.width, self.head_height, fill=HEAD_FILL)
        cx = x
        for col, lines in zip(self.columns, self.header_lines, strict=True):
            page.lines(cx + self.pad, y + self.pad, lines, self.size, bold=True)
            cx += col.width
        y += self.head_height
        body = 0
        for row in self.rows:
            if row.caption:
                page.rule(x, y, self.width, colour=INK, lw=0.5)
                page.lines(x + self.pad, y + self.pad, row.cells[0], self.size + 0.4, bold=True)
            else:
                self._draw_row(page, x, y, row, body % 2 == 1)
            body = 0 if row.caption else body + 1
            y += row.height
        page.rule(x, y, self.width)

    def _draw_row(self, page: Page, x: float, y: float, row: TableRow, zebra: bool) -> None:
        if zebra:
            page.rect(x, y, self.width, row.height, fill=ZEBRA)
        cx = x
        for i, (col, lines) in enumerate(zip(self.columns, row.cells, strict=True)):
            if i == 0 and row.symbol:
                page.symbol(row.symbol, cx + col.width / 2, y + self.pad + line_height(self.size) / 2 + 0.3, 0.5)
            else:
                page.lines(cx + self.pad, y + self.pad, lines, self.size, bold=col.bold)
            cx += col.width


@dataclass
class NumberedList(Block):
    items: list[tuple[str, list[str]]]  # (number, wrapped lines)
    size: float = 7.2
    indent: float = 16.0

    def __post_init__(self) -> None:
        self.height = sum(self._item_height(lines) for _, lines in self.items)

    def _item_height(self, lines: list[str]) -> float:
        return len(lines) * line_height(self.size) + 1.2

    def split(self, room: float) -> tuple[Block | None, Block | None]:
        used, n = 0.0, 0
        for _, lines in self.items:
            if used + self._item_height(lines) > room:
                break
            used, n = used + self._item_height(lines), n + 1
        if n == 0:
            return None, self
        return replace(self, items=self.items[:n]), replace(self, items=self.items[n:])

    def draw(self, page: Page, x: float, y: float) -> None:
        for number, lines in self.items:
            page.text(x + self.indent - 3, y + 0.9 * self.size, number, self.size, colour=MUTED, ha="right")
            y = page.lines(x + self.indent, y, lines, self.size) + 1.2


@dataclass
class Section(Block):
    """A heading kept with (the start of) its body."""

    heading: Heading
    body: Block

    def __post_init__(self) -> None:
        self.height = self.heading.height + 4 + self.body.height

    def split(self, room: float) -> tuple[Block | None, Block | None]:
        first, rest = self.body.split(room - self.heading.height - 4)
        if first is None:
            return None, self
        title = self.heading.text if self.heading.text.endswith(CONTINUED) else self.heading.text + CONTINUED
        cont = Heading(title, self.heading.width, self.heading.size)
        return Section(self.heading, first), (Section(cont, rest) if rest is not None else None)

    def draw(self, page: Page, x: float, y: float) -> None:
        self.heading.draw(page, x, y)
        self.body.draw(page, x, y + self.heading.height + 4)


def paginate(blocks: list[Block], top: float, bottom: float, gap: float) -> list[list[tuple[Block, float]]]:
    """Blocks placed on pages: [(block, y), ...] per page, splitting what can be split."""
    pages: list[list[tuple[Block, float]]] = [[]]
    y, queue = top, list(blocks)
    while queue:
        block = queue.pop(0)
        if block.height <= bottom - y:
            pages[-1].append((block, y))
            y += block.height + gap
            continue
        first, rest = block.split(bottom - y)
        if first is not None:
            pages[-1].append((first, y))
        elif not pages[-1]:  # taller than an empty page and unsplittable: let it run over
            pages[-1].append((block, y))
            rest = None
        pages.append([])
        y = top
        if rest is not None:
            queue.insert(0, rest)
    return [p for p in pages if p]
