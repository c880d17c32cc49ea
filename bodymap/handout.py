"""A printable PDF handout of one complaint: the diagram, its points and muscles, rationales, comparison and sources."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Transform

from . import __version__, style
from .catalog import Catalog
from .errors import OptionError
from .render_mpl import PDF_METADATA, draw_scene, draw_symbol, font, printable, scene_bounds, style_context, text_width
from .scene import Scene

# Paper sizes in points (1/72 inch): A4 is 210 x 297 mm.
PAPERS = {"a4": (595.276, 841.89), "letter": (612.0, 792.0)}

MARGIN_X = 40.0
MARGIN_TOP = 36.0
MARGIN_BOTTOM = 44.0
GAP = 12.0  # between blocks

TITLE_SIZE = 20.0
SUBTITLE_SIZE = 9.5
HEADING_SIZE = 10.5
BODY_SIZE = 7.8
TABLE_SIZE = 6.8
SMALL_SIZE = 6.0
LEADING = 1.28  # line height as a multiple of the font size

# Greys chosen to stay distinct from each other and from the ink in greyscale print.
RULE = "#BDB7AE"
HEAD_FILL = "#E7E3DC"
ZEBRA = "#F6F4F0"
BOX_FILL = "#FFF5D1"
BOX_EDGE = "#7A5A00"

# The diagram may shrink to this fraction of the text width to keep the handout on one page; its
# labels (11 page units) then print at about 3.7 pt on a two-view diagram, the least that reads.
MIN_DIAGRAM_FRACTION = 0.8


# --- text measurement ---------------------------------------------------------------------


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Lines of `text` no wider than `width` points, measured with the font's own advances.

    (textwrap counts characters; a proportional font needs widths.) A word longer than a
    line is broken between characters.
    """
    space = text_width(" ", size, bold)
    lines: list[str] = []
    current, current_w = "", 0.0
    for word in printable(text).split(" "):
        if not word:
            continue
        w = text_width(word, size, bold)
        if current and current_w + space + w <= width:
            current, current_w = f"{current} {word}", current_w + space + w
            continue
        if current:
            lines.append(current)
        current, current_w = word, w
        if w > width:
            pieces = _break_word(word, width, size, bold)
            lines.extend(pieces[:-1])
            current = pieces[-1]
            current_w = text_width(current, size, bold)
    if current:
        lines.append(current)
    return lines or [""]


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    pieces, piece, piece_w = [], "", 0.0
    for ch in word:
        w = text_width(ch, size, bold)
        if piece and piece_w + w > width:
            pieces.append(piece)
            piece, piece_w = "", 0.0
        piece, piece_w = piece + ch, piece_w + w
    return pieces + [piece]


def line_height(size: float) -> float:
    return size * LEADING


# --- pages --------------------------------------------------------------------------------


class Page:
    """One page's figure, drawn in points from the top-left corner (y down)."""

    def __init__(self, paper: tuple[float, float]) -> None:
        self.width, self.height = paper
        self.fig = Figure(figsize=(self.width / 72.0, self.height / 72.0), dpi=72, facecolor=style.PAPER)
        FigureCanvasPdf(self.fig)
        points_to_inches = Affine2D().scale(1 / 72.0, -1 / 72.0).translate(0, self.height / 72.0)
        self.to_display: Transform = points_to_inches + self.fig.dpi_scale_trans

    def add(self, artist: Any, zorder: float = 2.0) -> Any:
        artist.set_transform(self.to_display)
        artist.set_zorder(zorder)
        self.fig.add_artist(artist)
        return artist

    def text(self, x: float, y: float, s: str, size: float, *, bold: bool = False, colour: str = style.INK,
             ha: str = "left") -> None:
        """One line, baseline at y; literal text (never mathtext)."""
        self.add(Text(x, y, printable(s), fontproperties=font(size, bold), color=colour, ha=ha, va="baseline",
                      usetex=False, parse_math=False), 3.0)

    def lines(self, x: float, y: float, lines: Sequence[str], size: float, **kw: Any) -> float:
        """Lines from `y` (the top of the first); returns the y under the last."""
        lh = line_height(size)
        for i, s in enumerate(lines):
            self.text(x, y + size + i * lh - 0.1 * size, s, size, **kw)
        return y + len(lines) * lh

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = "none", edge: str = "none", lw: float = 0.0,
             rounded: float = 0.0, zorder: float = 1.0) -> None:
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


# --- blocks -------------------------------------------------------------------------------
#
# A block knows its height for a given width and draws itself at a given top; blocks that can
# break across pages (tables, lists, paragraphs) also know how to split.


class Block:
    height: float = 0.0

    def draw(self, page: Page, x: float, y: float) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def split(self, room: float) -> tuple[Block | None, Block | None]:
        """(the part that fits in `room`, the rest); (None, self) when nothing useful fits."""
        return None, self


@dataclass
class Spacer(Block):
    height: float

    def draw(self, page: Page, x: float, y: float) -> None:
        pass


@dataclass
class Header(Block):
    title: list[str]
    subtitle: list[str]
    summary: list[str]
    width: float

    def __post_init__(self) -> None:
        self.height = (len(self.title) * line_height(TITLE_SIZE) + len(self.subtitle) * line_height(SUBTITLE_SIZE)
                       + len(self.summary) * line_height(BODY_SIZE) + 10)

    def draw(self, page: Page, x: float, y: float) -> None:
        y = page.lines(x, y, self.title, TITLE_SIZE, bold=True)
        y = page.lines(x, y + 1, self.subtitle, SUBTITLE_SIZE, colour=style.MUTED)
        y = page.lines(x, y + 2, self.summary, BODY_SIZE)
        page.rule(x, y + 6, self.width, colour=style.INK, lw=0.9)


@dataclass
class NoticeBox(Block):
    """The educational-use line in a box that cannot be missed."""

    lines_: list[str]
    width: float
    pad: float = 6.0

    def __post_init__(self) -> None:
        self.height = len(self.lines_) * line_height(BODY_SIZE + 0.4) + 2 * self.pad

    def draw(self, page: Page, x: float, y: float) -> None:
        page.rect(x, y, self.width, self.height, fill=BOX_FILL, edge=BOX_EDGE, lw=1.0, rounded=3)
        page.lines(x + 20, y + self.pad, self.lines_, BODY_SIZE + 0.4, bold=True)
        # A warning mark that reads without colour.
        cy = y + self.height / 2
        page.text(x + 10, cy + 3.6, "!", 11, bold=True, colour=BOX_EDGE, ha="center")


@dataclass
class Heading(Block):
    text: str
    width: float

    def __post_init__(self) -> None:
        self.height = line_height(HEADING_SIZE) + 4

    def draw(self, page: Page, x: float, y: float) -> None:
        page.lines(x, y, [self.text], HEADING_SIZE, bold=True)
        page.rule(x, y + self.height - 1.5, self.width)


@dataclass
class Diagram(Block):
    """The scene (without its own header, legend and notes) with a legend set in handout type."""

    scene: Scene
    width: float
    legend_columns: int = 2

    def __post_init__(self) -> None:
        x0, y0, x1, y1 = scene_bounds(self.scene, header=False, legend=False, notes=False)
        self.art_height = self.width * (y1 - y0) / (x1 - x0)
        self.legend_rows = -(-len(self.scene.legend) // self.legend_columns)
        self.height = self.art_height + 6 + self.legend_rows * 12

    def draw(self, page: Page, x: float, y: float) -> None:
        draw_scene(page.fig, self.scene, box=(x / 72, y / 72, self.width / 72, self.art_height / 72), header=False,
                   legend=False, notes=False)
        col = self.width / self.legend_columns
        for i, entry in enumerate(self.scene.legend):
            cx = x + (i % self.legend_columns) * col
            cy = y + self.art_height + 6 + (i // self.legend_columns) * 12 + 6
            page.symbol(entry.key, cx + 7, cy, 0.55)
            page.text(cx + 17, cy + 2.5, entry.text, BODY_SIZE)


@dataclass
class Column:
    title: str
    width: float  # points
    bold: bool = False
    colour: str = style.INK


@dataclass
class Row:
    cells: list[list[str]]  # wrapped lines per column
    symbol: str | None = None  # a marker key drawn in the first column
    caption: bool = False  # a group caption spanning the table
    height: float = 0.0


@dataclass
class Table(Block):
    columns: list[Column]
    rows: list[Row]
    size: float = TABLE_SIZE
    pad: float = 2.6
    continued: bool = False
    header_lines: list[list[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        lh = line_height(self.size)
        if not self.header_lines:
            self.header_lines = [wrap(c.title, c.width - 2 * self.pad, self.size, bold=True) for c in self.columns]
        self.head_height = max(len(h) for h in self.header_lines) * lh + 2 * self.pad
        for row in self.rows:
            row.height = max(len(c) for c in row.cells) * lh + 2 * self.pad
        self.height = self.head_height + sum(r.height for r in self.rows)

    @property
    def width(self) -> float:
        return sum(c.width for c in self.columns)

    def split(self, room: float) -> tuple[Block | None, Block | None]:
        used = self.head_height
        n = 0
        for row in self.rows:
            if used + row.height > room:
                break
            used += row.height
            n += 1
        # Keep a caption with its first row, and leave no table part without a body row.
        while n and self.rows[n - 1].caption:
            n -= 1
        if n == 0:
            return None, self
        first = replace(self, rows=self.rows[:n], header_lines=self.header_lines)
        rest = replace(self, rows=self.rows[n:], continued=True, header_lines=self.header_lines)
        return first, rest

    def draw(self, page: Page, x: float, y: float) -> None:
        lh = line_height(self.size)
        page.rect(x, y, self.width, self.head_height, fill=HEAD_FILL)
        cx = x
        for col, lines in zip(self.columns, self.header_lines):
            page.lines(cx + self.pad, y + self.pad, lines, self.size, bold=True)
            cx += col.width
        y += self.head_height
        body_rows = 0
        for row in self.rows:
            if row.caption:
                page.rule(x, y, self.width, colour=style.INK, lw=0.5)
                page.lines(x + self.pad, y + self.pad, row.cells[0], self.size + 0.4, bold=True)
                y += row.height
                body_rows = 0
                continue
            if body_rows % 2:
                page.rect(x, y, self.width, row.height, fill=ZEBRA)
            cx = x
            for i, (col, lines) in enumerate(zip(self.columns, row.cells)):
                if i == 0 and row.symbol:
                    page.symbol(row.symbol, cx + col.width / 2, y + self.pad + lh / 2 + 0.3, 0.5)
                else:
                    page.lines(cx + self.pad, y + self.pad, lines, self.size, bold=col.bold, colour=col.colour)
                cx += col.width
            y += row.height
            body_rows += 1
        page.rule(x, y, self.width, colour=RULE, lw=0.6)


@dataclass
class Paragraphs(Block):
    """Side-by-side columns of headed paragraphs (the two rationales)."""

    columns: list[tuple[str, str | None, list[str]]]  # (heading, symbol key, wrapped lines)
    column_width: float
    gutter: float

    def __post_init__(self) -> None:
        self.height = line_height(BODY_SIZE + 0.8) + 2 + max(len(lines) for _, _, lines in self.columns) * line_height(BODY_SIZE)

    def draw(self, page: Page, x: float, y: float) -> None:
        for i, (heading, symbol, lines) in enumerate(self.columns):
            cx = x + i * (self.column_width + self.gutter)
            tx = cx
            if symbol:
                page.symbol(symbol, cx + 5, y + (BODY_SIZE + 0.8) * 0.62, 0.5)
                tx = cx + 13
            page.lines(tx, y, [heading], BODY_SIZE + 0.8, bold=True)
            page.lines(cx, y + line_height(BODY_SIZE + 0.8) + 2, lines, BODY_SIZE)


@dataclass
class NumberedList(Block):
    items: list[tuple[str, list[str]]]  # (number, wrapped lines)
    size: float = SMALL_SIZE
    indent: float = 14.0

    def __post_init__(self) -> None:
        self.height = sum(len(lines) for _, lines in self.items) * line_height(self.size) + len(self.items) * 1.2

    def split(self, room: float) -> tuple[Block | None, Block | None]:
        used, n = 0.0, 0
        for _, lines in self.items:
            h = len(lines) * line_height(self.size) + 1.2
            if used + h > room:
                break
            used, n = used + h, n + 1
        if n == 0:
            return None, self
        return replace(self, items=self.items[:n]), replace(self, items=self.items[n:])

    def draw(self, page: Page, x: float, y: float) -> None:
        for number, lines in self.items:
            page.text(x + self.indent - 3, y + self.size - 0.1 * self.size, number, self.size, colour=style.MUTED, ha="right")
            y = page.lines(x + self.indent, y, lines, self.size, colour=style.INK) + 1.2


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
        cont = Heading(self.heading.text + " (continued)", self.heading.width)
        return Section(self.heading, first), (Section(cont, rest) if rest is not None else None)

    def draw(self, page: Page, x: float, y: float) -> None:
        self.heading.draw(page, x, y)
        self.body.draw(page, x, y + self.heading.height + 4)


# --- content ------------------------------------------------------------------------------


class Sources:
    """Deduplicated, numbered sources in first-use order."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def ref(self, source: str | None) -> str:
        if not source:
            return ""
        key = " ".join(source.split())
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return str(self.numbers[key])


def _therapies(scene: Scene) -> tuple[str, ...]:
    shown = tuple(t for t in ("dry-needling", "acupuncture") if t in scene.overlays)
    return shown or ("dry-needling", "acupuncture")


def _points_table(scene: Scene, catalog: Catalog, info: dict[str, Any], sources: Sources, width: float) -> Table | None:
    therapies = _therapies(scene)
    fractions = [("", 0.03, False), ("Point / muscle", 0.135, True), ("Name", 0.17, False), ("Location", 0.475, False),
                 ("Local / distal", 0.07, False), ("Channel", 0.075, False), ("Ref.", 0.045, False)]
    columns = [Column(t, f * width, bold=b) for t, f, b in fractions]
    pad = 2.6

    def cell(col: int, text: str, bold: bool = False) -> list[str]:
        return wrap(text, columns[col].width - 2 * pad, TABLE_SIZE, bold)

    rows: list[Row] = []
    dn_rows = [r for r in info["rows"] if r["therapy"] == "Dry needling"]
    ac_rows = [r for r in info["rows"] if r["therapy"] == "Acupuncture"]
    if "dry-needling" in therapies and dn_rows:
        rows.append(Row([wrap("Dry needling: trigger points in the muscles that refer pain to the area", width - 2 * pad,
                              TABLE_SIZE + 0.4, True)] + [[""]] * (len(columns) - 1), caption=True))
        previous = None
        for r in dn_rows:
            muscle = r["code"] if r["code"] != previous else ""  # name each muscle once
            previous = r["code"]
            rows.append(Row([[""], cell(1, muscle, True), cell(2, r["name"]), cell(3, r["location"]), cell(4, r["placement"]),
                             cell(5, "–"), cell(6, sources.ref(r["source"]))], symbol="dry-needling"))
    if "acupuncture" in therapies and ac_rows:
        rows.append(Row([wrap("Acupuncture: local points near the pain and distal points far from it", width - 2 * pad,
                              TABLE_SIZE + 0.4, True)] + [[""]] * (len(columns) - 1), caption=True))
        for r in ac_rows:
            point = catalog.acupoints.get(r["code"])
            # Pinyin and English; the hanzi are left out because DejaVu Sans has no CJK glyphs.
            name = r["name"]
            if point is not None:
                name = point.pinyin + (f", {point.english}" if point.english else "")
            key = "acupuncture-distal" if r["placement"] == "distal" else "acupuncture-local"
            rows.append(Row([[""], cell(1, r["code"], True), cell(2, name), cell(3, r["location"]), cell(4, r["placement"]),
                             cell(5, r["meridian"] or "–"), cell(6, sources.ref(r["source"]))], symbol=key))
    return Table(columns, rows) if rows else None


def _rationales(scene: Scene, info: dict[str, Any], sources: Sources, width: float) -> Paragraphs | None:
    therapies = _therapies(scene)
    gutter = 16.0
    parts: list[tuple[str, str, list[str]]] = []
    dn, ac = info["dry_needling"], info["acupuncture"]
    if "dry-needling" in therapies and dn["rationale"]:
        parts.append(("Dry needling", "dry-needling", [dn["rationale"] + _mark(sources, dn["source"])]))
    if "acupuncture" in therapies and ac["rationale"]:
        paragraphs = [ac["rationale"] + _mark(sources, ac["source"])]
        if ac.get("foot_points"):
            paragraphs.append(f"Foot and ankle points. {ac['foot_points']}")
        parts.append(("Acupuncture", "acupuncture-local", paragraphs))
    if not parts:
        return None
    column_width = (width - gutter * (len(parts) - 1)) / len(parts)
    columns = []
    for heading, symbol, paragraphs in parts:
        lines: list[str] = []
        for i, paragraph in enumerate(paragraphs):
            lines.extend(([""] if i else []) + wrap(paragraph, column_width, BODY_SIZE))
        columns.append((heading, symbol, lines))
    return Paragraphs(columns, column_width, gutter)


def _mark(sources: Sources, source: str | None) -> str:
    n = sources.ref(source)
    return f" [{n}]" if n else ""


def _comparison(catalog: Catalog, sources: Sources, width: float) -> tuple[str, Table] | None:
    comparison = catalog.comparison
    if comparison is None or not comparison.rows:
        return None
    fractions = [("Aspect", 0.16, True), ("Dry needling", 0.4, False), ("Acupuncture", 0.4, False), ("Ref.", 0.04, False)]
    columns = [Column(t, f * width, bold=b) for t, f, b in fractions]
    pad = 2.6
    rows = [Row([wrap(r.aspect, columns[0].width - 2 * pad, TABLE_SIZE, True),
                 wrap(r.dry_needling, columns[1].width - 2 * pad, TABLE_SIZE),
                 wrap(r.acupuncture, columns[2].width - 2 * pad, TABLE_SIZE),
                 [sources.ref(r.source)]]) for r in comparison.rows]
    return comparison.title, Table(columns, rows)


def _blocks(scene: Scene, catalog: Catalog, width: float, diagram_width: float) -> list[Block]:
    from .api import describe  # the API's own table rows, so the handout and the app agree

    info = describe(scene.complaint_id, data=catalog)
    sources = Sources()
    summary = info["complaint"].get("summary") or ""
    subtitle = "Where the needles go"
    if scene.subtitle != "Anatomy only":
        subtitle += f": {scene.subtitle.replace('  vs  ', ' and ').lower()}"
    blocks: list[Block] = [
        Header(wrap(scene.title, width, TITLE_SIZE, True), wrap(subtitle, width, SUBTITLE_SIZE), wrap(summary, width, BODY_SIZE),
               width),
        NoticeBox(wrap(scene.disclaimer, width - 28, BODY_SIZE + 0.4, True), width),
        Diagram(scene, diagram_width),
    ]
    table = _points_table(scene, catalog, info, sources, width)
    if table is not None:
        blocks.append(Section(Heading("Points and muscles on the diagram", width), table))
    paragraphs = _rationales(scene, info, sources, width)
    if paragraphs is not None:
        blocks.append(Section(Heading("Why these points", width), paragraphs))
    comparison = _comparison(catalog, sources, width)
    if comparison is not None:
        blocks.append(Section(Heading(comparison[0], width), comparison[1]))
    if sources.numbers:
        items = [(f"{n}.", wrap(text, width - 14, SMALL_SIZE)) for text, n in sources.numbers.items()]
        blocks.append(Section(Heading("Sources", width), NumberedList(items)))
    return blocks


# --- pagination ---------------------------------------------------------------------------


def paginate(blocks: list[Block], top: float, bottom: float) -> list[list[tuple[Block, float]]]:
    """Blocks placed on pages: [(block, y), ...] per page, splitting what can be split."""
    pages: list[list[tuple[Block, float]]] = [[]]
    y = top
    queue = list(blocks)
    while queue:
        block = queue.pop(0)
        room = bottom - y
        if block.height <= room:
            pages[-1].append((block, y))
            y += block.height + GAP
            continue
        first, rest = block.split(room)
        if first is not None:
            pages[-1].append((first, y))
        if first is None and not pages[-1]:
            # Taller than an empty page and unsplittable: place it and let it run over.
            pages[-1].append((block, y))
            rest = None
        pages.append([])
        y = top
        if rest is not None:
            queue.insert(0, rest)
    return [p for p in pages if p]


def _footer(page: Page, scene: Scene, number: int, total: int) -> None:
    y = page.height - MARGIN_BOTTOM + 18
    page.rule(MARGIN_X, y - 8, page.width - 2 * MARGIN_X)
    # Every page repeats the disclaimer and names the complaint, in case the pages are parted.
    page.text(MARGIN_X, y, scene.disclaimer, SMALL_SIZE, colour=style.MUTED)
    page.text(page.width - MARGIN_X, y, f"{scene.title} · bodymap {__version__} · page {number} of {total}", SMALL_SIZE,
              colour=style.MUTED, ha="right")


def layout(scene: Scene, catalog: Catalog, paper: str) -> tuple[tuple[float, float], list[list[tuple[Block, float]]]]:
    """The pages of the handout: one if the diagram can shrink a little to make it fit."""
    size = PAPERS[paper]
    width = size[0] - 2 * MARGIN_X
    top, bottom = MARGIN_TOP, size[1] - MARGIN_BOTTOM
    pages = paginate(_blocks(scene, catalog, width, width), top, bottom)
    if len(pages) > 1:
        for fraction in (0.9, MIN_DIAGRAM_FRACTION):
            smaller = paginate(_blocks(scene, catalog, width, width * fraction), top, bottom)
            if len(smaller) == 1:
                return size, smaller
    return size, pages


def render_handout(scene: Scene, catalog: Catalog, paper: str = "a4") -> bytes:
    """The handout as PDF bytes: deterministic (no dates), text searchable, grey-print safe."""
    if not isinstance(paper, str) or paper.lower() not in PAPERS:
        raise OptionError(f"unknown paper {paper!r}; valid: {', '.join(PAPERS)}")
    with style_context():
        size, pages = layout(scene, catalog, paper.lower())
        buf = io.BytesIO()
        with PdfPages(buf, metadata=PDF_METADATA) as pdf:
            for number, placed in enumerate(pages, 1):
                page = Page(size)
                for block, y in placed:
                    x = MARGIN_X
                    if isinstance(block, Diagram):
                        x += (size[0] - 2 * MARGIN_X - block.width) / 2  # centred when shrunk
                    block.draw(page, x, y)
                _footer(page, scene, number, len(pages))
                pdf.savefig(page.fig)
        return buf.getvalue()

