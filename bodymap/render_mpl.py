"""Draw a Scene with matplotlib as PNG or PDF, looking like the SVG renderer of the same scene."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Any

import matplotlib
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Circle, FancyBboxPatch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

from . import style
from .curves import catmull_rom
from .errors import OptionError
from .geometry import Detail, Point
from .scene import FOOTER_HEIGHT, HEADER_HEIGHT, LAYER_ORDER, Channel, Label, Marker, PanelPlacement, Scene, Zone

FORMATS = ("png", "pdf")
MIN_DPI, MAX_DPI = 20.0, 600.0  # a huge dpi would allocate gigabytes; 600 is print quality
PX = 96.0  # page units per inch (the SVG user unit is a CSS pixel)
PT_PER_UNIT = 72.0 / PX

# Both formats drop the fields that would otherwise carry a version or a timestamp, so the
# same scene always gives the same bytes.
PDF_METADATA: dict[str, Any] = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}
PNG_METADATA: dict[str, Any] = {"Software": None}

# The line under the legend, as the SVG renderer writes it.
NOTES = ("Acupoint locations: WHO Standard Acupuncture Point Locations in the Western Pacific Region (2008). "
         "Trigger points: Travell & Simons' Trigger Point Manual.")

HATCH_INK = "#7A5A00"
LABEL_BLUE = "#005A8C"  # a darker blue than the markers, so small bold text keeps its contrast

# Bottom to top. Within one z-level matplotlib keeps insertion order, as SVG document order does.
Z_PANEL, Z_DETAIL, Z_PANEL_TITLE = 1.0, 1.1, 1.2
Z_LAYER = {layer: 2.0 + i for i, layer in enumerate(LAYER_ORDER)}
Z_HIGHLIGHT = 2.0 + len(LAYER_ORDER)
Z_TEXT = Z_HIGHLIGHT + 1

_FONT_DIR = FilePath(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_REGULAR = str(_FONT_DIR / "DejaVuSans.ttf")
FONT_BOLD = str(_FONT_DIR / "DejaVuSans-Bold.ttf")

# rcParams are global to the process: hold them (and matplotlib's font caches) for one render at
# a time, because the app renders from several threads. Reentrant: the handout calls draw_scene.
_LOCK = threading.RLock()
_RC = {
    "pdf.fonttype": 42,  # TrueType, so the PDF's text can be searched and copied
    "pdf.compression": 6,
    "pdf.use14corefonts": False,
    "text.usetex": False,
    "text.parse_math": False,
    "text.antialiased": True,
    "lines.scale_dashes": True,  # _dashes() below relies on it
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "path.simplify": True,
}


@contextmanager
def style_context() -> Iterator[None]:
    """The rcParams every bodymap figure is drawn and saved under (held under a lock)."""
    with _LOCK, matplotlib.rc_context(_RC):
        yield


# --- text ---------------------------------------------------------------------------------

_WHITESPACE = re.compile("[\t\n\r]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@lru_cache(maxsize=1)
def _coverage() -> frozenset[int]:
    """Code points both bundled DejaVu faces can draw."""
    return frozenset(FT2Font(FONT_REGULAR).get_charmap()) & frozenset(FT2Font(FONT_BOLD).get_charmap())


def printable(text: Any) -> str:
    """Text that draws literally in DejaVu Sans: no control characters, no glyph the font lacks.

    Whitespace controls become spaces (as a browser shows them); others and glyphs DejaVu does
    not have become U+FFFD, so a hostile label is visible as such instead of raising or warning.
    """
    s = _UNPRINTABLE.sub("\ufffd", _WHITESPACE.sub(" ", str(text)))
    if s.isascii():
        return s
    cover = _coverage()
    return "".join(c if ord(c) in cover else "\ufffd" for c in s)


def font(size_pt: float, bold: bool = False) -> FontProperties:
    """The bundled DejaVu file itself, never a look-alike found on the system."""
    return FontProperties(fname=FONT_BOLD if bold else FONT_REGULAR, size=size_pt)


def add_text(ax: Axes, x: float, y: float, text: Any, size_pt: float, colour: str, *, bold: bool = False,
             ha: str = "left", va: str = "baseline", zorder: float = Z_TEXT, halo_pt: float = 0.0,
             gid: str | None = None) -> Text:
    """A literal text (never mathtext or TeX), optionally with a white halo."""
    t = Text(x, y, printable(text), fontproperties=font(size_pt, bold), color=colour, ha=ha, va=va,
             zorder=zorder, usetex=False, parse_math=False, clip_on=False, gid=gid)
    if halo_pt:
        t.set_path_effects([patheffects.withStroke(linewidth=halo_pt, foreground=style.PAPER, joinstyle="round")])
    ax.add_artist(t)
    return t


# --- geometry -----------------------------------------------------------------------------


def smooth_path(points: Sequence[Point], closed: bool) -> Path:
    """A Catmull-Rom curve through the points, as cubic Bezier segments (like the SVG's C)."""
    verts: list[Point] = [tuple(points[0])]  # type: ignore[list-item]
    codes = [Path.MOVETO]
    for c1, c2, end in catmull_rom(list(points), closed=closed):
        verts.extend((c1, c2, end))
        codes.extend((Path.CURVE4, Path.CURVE4, Path.CURVE4))
    if closed:
        verts.append(verts[0])
        codes.append(Path.CLOSEPOLY)
    return Path(verts, codes)


def _polyline(points: Sequence[Point], closed: bool) -> tuple[list[Point], list[int]]:
    verts = [tuple(p) for p in points]
    codes = [Path.MOVETO] + [Path.LINETO] * (len(verts) - 1)
    if closed:
        verts.append(verts[0])
        codes.append(Path.CLOSEPOLY)
    return verts, codes  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _panel_paths(outlines: tuple[tuple[Point, ...], ...], details: tuple[Detail, ...]) -> tuple[tuple[Path, ...], Path | None]:
    """Outline paths and one compound detail path, in panel units; read-only, so shareable.

    Keyed by the (hashable) outline and detail tuples rather than the Panel, whose landmark
    dicts make it unhashable.
    """
    outline_paths = tuple(Path(*_polyline(poly, True), readonly=True) for poly in outlines if len(poly) >= 2)
    verts: list[Point] = []
    codes: list[int] = []
    for d in details:
        v, c = _polyline(d.points, d.closed)
        verts.extend(v)
        codes.extend(c)
    return outline_paths, (Path(verts, codes, readonly=True) if verts else None)


# --- the drawing --------------------------------------------------------------------------


class _Pen:
    """Draws in page units on one Axes; `k` converts page units to points (line widths, fonts)."""

    def __init__(self, ax: Axes, k: float) -> None:
        self.ax = ax
        self.k = k

    def lw(self, units: float) -> float:
        return units * self.k

    @staticmethod
    def dashes(pattern: Sequence[float], width_units: float) -> Any:
        # With lines.scale_dashes, matplotlib multiplies the pattern by the line width; the
        # SVG's pattern is in page units, like the width, so the ratio is what we pass.
        return (0, tuple(d / width_units for d in pattern)) if pattern else "solid"

    def patch(self, artist: Any, zorder: float, gid: str | None = None) -> Any:
        artist.set_zorder(zorder)
        if gid is not None:
            artist.set_gid(gid)
        # add_artist, not add_patch: the limits are fixed, and add_patch's data-limit update
        # (Bezier extrema of every curve) costs more than drawing them.
        self.ax.add_artist(artist)
        return artist

    def text(self, x: float, y: float, text: Any, size: float, colour: str, *, bold: bool = False, ha: str = "left",
             zorder: float = Z_TEXT, halo: float = 0.0, gid: str | None = None) -> Text:
        return add_text(self.ax, x, y, text, size * self.k, colour, bold=bold, ha=ha, zorder=zorder,
                        halo_pt=halo * self.k, gid=gid)


def marker_shapes(pen: _Pen, key: str, x: float, y: float, zorder: float, gid: str | None = None) -> list[Any]:
    """The symbol of a marker (or of its legend entry), in page units, centred on (x, y)."""
    k = pen.k
    out: list[Any] = []
    if key == "pregnancy-caution":
        r = style.CAUTION_RADIUS if gid is not None else 7.0
        out.append(Circle((x, y), r, facecolor="none", edgecolor=style.PURPLE, lw=2.2 * k, linestyle=pen.dashes((3, 2), 2.2)))
    elif key == "dry-needling":
        r = style.DIAMOND_RADIUS
        out.append(Polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], closed=True, facecolor=style.VERMILLION,
                           edgecolor=style.INK, lw=style.MARKER_EDGE * k, joinstyle="round"))
    elif key == "acupuncture-distal":
        out.append(Circle((x, y), style.MARKER_RADIUS + 1.5, facecolor=style.INK, edgecolor="none", lw=0))
        out.append(Circle((x, y), style.MARKER_RADIUS + 0.2, facecolor=style.PAPER, edgecolor=style.BLUE, lw=style.DISTAL_RING * k))
        out.append(Circle((x, y), 2.2, facecolor=style.BLUE, edgecolor="none", lw=0))
    elif key == "acupuncture-local":
        out.append(Circle((x, y), style.MARKER_RADIUS, facecolor=style.BLUE, edgecolor=style.INK, lw=style.MARKER_EDGE * k))
    elif key == "referral-zone":
        out.append(FancyBboxPatch((x - 9, y - 6), 18, 12, boxstyle="round,pad=0,rounding_size=5",
                                  facecolor=to_rgba(style.VERMILLION, 0.2), edgecolor=style.VERMILLION, lw=k,
                                  linestyle=pen.dashes((4, 3), 1.0)))
    elif key == "meridian":
        path = Path([(x - 10, y + 3), (x - 4, y - 6), (x + 4, y + 8), (x + 10, y - 3)], [Path.MOVETO] + [Path.CURVE4] * 3)
        out.append(PathPatch(path, facecolor="none", edgecolor=style.BLUE, lw=style.CHANNEL_WIDTH * k))
    elif key == "danger-zone":
        out.extend(_hatched(pen, Path.unit_rectangle().transformed(Affine2D().scale(18, 12).translate(x - 9, y - 6)), 1.0))
    for a in out:
        pen.patch(a, zorder, gid)
    return out


def _hatched(pen: _Pen, path: Path, edge_opacity: float) -> list[Any]:
    """The SVG's hatch pattern: pale yellow under dark diagonal lines, 7 units apart."""
    # Two patches: in PDF a hatch pattern takes the fill's opacity, so the pale fill and the
    # stronger lines each get their own artist.
    k = pen.k
    base = PathPatch(path, facecolor=to_rgba(style.YELLOW, 0.35), edgecolor=to_rgba(HATCH_INK, 0.8 * edge_opacity), lw=k)
    lines = PathPatch(path, facecolor="none", edgecolor="none", lw=0, hatch="//", hatchcolor=to_rgba(HATCH_INK, 0.7))
    lines.set_hatch_linewidth(max(0.4, 1.6 * k))
    return [base, lines]


def _draw_panel(pen: _Pen, pp: PanelPlacement) -> None:
    panel = pp.panel
    outlines, details = _panel_paths(panel.outlines, panel.details)
    to_page = Affine2D().scale(pp.scale).translate(pp.x, pp.y) + pen.ax.transData
    for path in outlines:
        pen.patch(PathPatch(path, facecolor=style.SKIN, edgecolor=style.SKIN_EDGE, lw=pen.lw(style.OUTLINE_WIDTH),
                            joinstyle="round", transform=to_page), Z_PANEL)
    if details is not None:
        pen.patch(PathPatch(details, facecolor="none", edgecolor=style.DETAIL, lw=pen.lw(style.DETAIL_WIDTH),
                            joinstyle="round", capstyle="round", transform=to_page), Z_DETAIL)
    pen.text(pp.x + 2, pp.y + 10, panel.title, style.PANEL_TITLE_SIZE, style.MUTED, zorder=Z_PANEL_TITLE)


def _draw_zone(pen: _Pen, zone: Zone, pp: PanelPlacement, z: float) -> None:
    path = smooth_path([pp.to_page(p) for p in zone.points], closed=True)
    if zone.kind == "referral":
        pen.patch(PathPatch(path, facecolor=to_rgba(style.VERMILLION, 0.2), edgecolor=to_rgba(style.VERMILLION, 0.8),
                            lw=pen.lw(1.0), linestyle=pen.dashes((4, 3), 1.0)), z, zone.id)
    else:
        for a in _hatched(pen, path, 1.0):
            pen.patch(a, z, zone.id)


def _draw_channel(pen: _Pen, ch: Channel, pp: PanelPlacement, z: float) -> None:
    pts = [pp.to_page(p) for p in ch.points]
    colour, dash = style.channel_style(ch.style)
    pen.patch(PathPatch(smooth_path(pts, closed=False), facecolor="none", edgecolor=to_rgba(colour, 0.75),
                        lw=pen.lw(style.CHANNEL_WIDTH), capstyle="round", linestyle=pen.dashes(dash, style.CHANNEL_WIDTH)),
              z, ch.id)
    # Name the channel at its first point, as the SVG does, so it reads without the legend.
    x, y = pts[0]
    pen.text(x + 5, y - 5, ch.meridian, 9, colour, bold=True, zorder=z, gid=ch.id)


def _marker_key(m: Marker) -> str:
    if m.layer == "pregnancy-cautions":
        return "pregnancy-caution"
    if m.therapy == "dry-needling":
        return "dry-needling"
    return "acupuncture-distal" if m.placement == "distal" else "acupuncture-local"


def _draw_label(pen: _Pen, lab: Label, z: float) -> None:
    colour = style.VERMILLION if lab.colour == "dry-needling" else LABEL_BLUE
    pen.text(lab.tx, lab.ty, lab.text, style.LABEL_SIZE, colour, bold=True, ha="left" if lab.align == "right" else "right",
             zorder=z, halo=3.0, gid=lab.id)


def _draw_highlights(pen: _Pen, scene: Scene, placements: dict[str, PanelPlacement]) -> None:
    wanted = {h.lower() for h in scene.highlight}
    for m in scene.markers:
        if m.code.lower() in wanted or (m.muscle or "").lower() in wanted:
            x, y = placements[m.panel].to_page((m.x, m.y))
            pen.patch(Circle((x, y), style.HIGHLIGHT_RADIUS, facecolor="none", edgecolor=style.INK, lw=pen.lw(4)), Z_HIGHLIGHT)
            pen.patch(Circle((x, y), style.HIGHLIGHT_RADIUS, facecolor="none", edgecolor=style.YELLOW, lw=pen.lw(2.5)), Z_HIGHLIGHT)


def legend_rows(scene: Scene) -> int:
    return -(-len(scene.legend) // 2)


def _draw_legend(pen: _Pen, scene: Scene) -> None:
    top = scene.height - FOOTER_HEIGHT + 24
    col_width = max(330.0, (scene.width - 48) / 2)
    for i, entry in enumerate(scene.legend):
        cx = 24 + (i % 2) * col_width
        cy = top + (i // 2) * 24
        marker_shapes(pen, entry.key, cx + 10, cy, Z_TEXT)
        pen.text(cx + 28, cy + 4, entry.text, style.LEGEND_SIZE, style.INK)


def _draw_notes(pen: _Pen, scene: Scene) -> None:
    pen.text(24, scene.height - 34, NOTES, style.NOTE_SIZE, style.MUTED)
    pen.text(24, scene.height - 16, scene.disclaimer, style.NOTE_SIZE, style.INK, bold=True)


def scene_bounds(scene: Scene, header: bool = True, legend: bool = True, notes: bool = True) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the page area draw_scene shows with these parts switched on."""
    top = 0.0 if header else HEADER_HEIGHT - 4
    if notes:
        bottom = scene.height
    elif legend and scene.legend:
        bottom = scene.height - FOOTER_HEIGHT + 24 + (legend_rows(scene) - 1) * 24 + 12
    else:
        bottom = scene.height - FOOTER_HEIGHT + 16
    return 0.0, top, scene.width, bottom


def draw_scene(ax_or_fig: Axes | Figure, scene: Scene, *, header: bool = True, legend: bool = True, notes: bool = True,
               background: bool = False) -> dict[str, list[str]]:
    """Draw the scene on an Axes (or a new full-size Axes of a Figure), in page units, y down.

    On an Axes of any size the drawing keeps its proportions: line widths and fonts are scaled
    with it. Returns, per layer present, the ids of the items drawn (each artist's gid).
    """
    with style_context():
        if isinstance(ax_or_fig, Figure):
            ax = ax_or_fig.add_axes((0.0, 0.0, 1.0, 1.0))
        else:
            ax = ax_or_fig
        x0, y0, x1, y1 = scene_bounds(scene, header, legend, notes)
        ax.set_axis_off()
        ax.set_xlim(x0, x1)
        ax.set_ylim(y1, y0)  # y points down, as in the scene and the SVG
        ax.set_aspect("equal", adjustable="box", anchor="N")
        ax.set_autoscale_on(False)
        fig = ax.get_figure(root=True)
        ax.apply_aspect()
        box = ax.get_position()
        k = min(box.width * fig.get_figwidth() * 72.0 / (x1 - x0), box.height * fig.get_figheight() * 72.0 / (y1 - y0))
        pen = _Pen(ax, k)
        if background:
            pen.patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=style.PAPER, edgecolor="none", lw=0), 0.0)
        if header:
            pen.text(24, 36, scene.title, style.TITLE_SIZE, style.INK, bold=True)
            pen.text(24, 58, scene.subtitle, style.SUBTITLE_SIZE, style.MUTED)
        placements = {pp.panel.id: pp for pp in scene.panels}
        for pp in scene.panels:
            _draw_panel(pen, pp)
        drawn: dict[str, list[str]] = {}
        for layer in LAYER_ORDER:
            if layer not in scene.overlays:
                continue
            z = Z_LAYER[layer]
            ids = drawn.setdefault(layer, [])
            for item in scene.layer_items(layer):
                pp = placements[item.panel]
                if isinstance(item, Zone):
                    _draw_zone(pen, item, pp, z)
                elif isinstance(item, Channel):
                    _draw_channel(pen, item, pp, z)
                elif isinstance(item, Marker):
                    x, y = pp.to_page((item.x, item.y))
                    marker_shapes(pen, _marker_key(item), x, y, z, item.id)
                elif isinstance(item, Label):
                    _draw_label(pen, item, z)
                else:  # pragma: no cover - the scene only holds the four kinds
                    continue
                ids.append(item.id)
        if scene.highlight:
            _draw_highlights(pen, scene, placements)
        if legend:
            _draw_legend(pen, scene)
        if notes:
            _draw_notes(pen, scene)
        return drawn


def drawn_items(scene: Scene) -> dict[str, list[str]]:
    """Per layer, the distinct gids of the artists the renderer actually put on the Axes.

    Read back from the figure rather than from draw_scene's bookkeeping, so a test comparing
    this with the scene and the SVG checks what would be painted.
    """
    with style_context():
        fig = Figure(figsize=(scene.width / PX, scene.height / PX), dpi=PX)
        draw_scene(fig, scene)
        layer_of: dict[str, str] = {}
        for layer in LAYER_ORDER:
            for item in scene.layer_items(layer):
                layer_of[item.id] = layer
        out: dict[str, list[str]] = {layer: [] for layer in LAYER_ORDER if layer in scene.overlays}
        seen: set[str] = set()
        for artist in fig.axes[0].get_children():
            gid = artist.get_gid()
            if gid in layer_of and gid not in seen and artist.get_visible():
                seen.add(gid)
                out.setdefault(layer_of[gid], []).append(gid)
        return out


def _check_options(fmt: str, dpi: Any) -> float:
    if fmt not in FORMATS:
        raise OptionError(f"unknown image format {fmt!r}; valid: {', '.join(FORMATS)}")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not MIN_DPI <= float(dpi) <= MAX_DPI:
        raise OptionError(f"dpi must be a number from {MIN_DPI:g} to {MAX_DPI:g}, not {dpi!r}")
    return float(dpi)


def render_image(scene: Scene, fmt: str, dpi: float = 150, transparent: bool = False) -> bytes:
    """The scene as PNG or PDF bytes; same input, same bytes.

    The figure is scene.width/96 by scene.height/96 inches, so dpi=96 gives the SVG's pixel
    size. The PDF is vector with its text as searchable TrueType text.
    """
    dpi = _check_options(fmt, dpi)
    with style_context():
        fig = Figure(figsize=(scene.width / PX, scene.height / PX), dpi=dpi)
        # The object-oriented canvases, not pyplot: no global figure manager, safe in threads.
        FigureCanvasAgg(fig) if fmt == "png" else FigureCanvasPdf(fig)
        draw_scene(fig, scene)
        buf = io.BytesIO()
        face = "none" if transparent else style.PAPER
        metadata = PNG_METADATA if fmt == "png" else PDF_METADATA
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor=face, edgecolor="none", metadata=metadata, transparent=transparent)
        return buf.getvalue()
