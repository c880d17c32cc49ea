"""Draw a Scene with matplotlib as PNG or PDF, looking like the SVG renderer of the same scene."""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib import ft2font
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Circle, FancyBboxPatch, PathPatch, Polygon
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Transform

from . import style
from .curves import catmull_rom
from .errors import OptionError
from .geometry import Detail, Point
from .scene import (
    HEADER_HEIGHT,
    LAYER_ORDER,
    LEGEND_ROW,
    SOURCES_LINE,
    Channel,
    Label,
    Marker,
    PanelPlacement,
    Scene,
    Zone,
    footer_height,
)

FORMATS = ("png", "pdf")
MIN_DPI, MAX_DPI = 9.0, 1200.0  # the command line's range (--scale 0.1 is 9.6 dpi)
MAX_PIXELS = 80_000_000  # a PNG this large already needs 320 MB to draw; more is a mistake or an attack
PNG_COMPRESSION = 3  # zlib level: 6 takes about four times as long for files 15% smaller
PX = 96.0  # page units per inch (the SVG user unit is a CSS pixel)

# The PDF drops the fields that would carry a version or a timestamp (the PNG writer writes no
# text chunks at all), so the same scene always gives the same bytes.
PDF_METADATA: dict[str, Any] = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}


HATCH_INK = "#7A5A00"
HATCH_SPACING = 7.0  # page units between hatch lines, as in the SVG's pattern
HATCH_WIDTH = 0.8  # as the SVG pattern's line

# Bottom to top. Within one z-level matplotlib keeps insertion order, as SVG document order does.
Z_PANEL, Z_DETAIL, Z_PANEL_TITLE = 1.0, 1.1, 1.2
Z_LAYER = {layer: 2.0 + i for i, layer in enumerate(LAYER_ORDER)}
Z_HIGHLIGHT = 2.0 + len(LAYER_ORDER)
Z_TEXT = Z_HIGHLIGHT + 1

_FONT_DIR = FilePath(matplotlib.get_data_path()) / "fonts" / "ttf"
BUNDLED_REGULAR = str(_FONT_DIR / "DejaVuSans.ttf")
BUNDLED_BOLD = str(_FONT_DIR / "DejaVuSans-Bold.ttf")

# rcParams are global to the process: hold them (and matplotlib's font caches) for one render at
# a time, because the app renders from several threads. Reentrant: the handout calls draw_scene.
_LOCK = threading.RLock()
_RC = {
    "pdf.fonttype": 42,  # TrueType, so the PDF's text can be searched and copied
    # matplotlib 3.11's PDF writer sizes its font subsets by ps.fonttype: with the default (3)
    # every character past U+00FF ("–", "’") starts a second embedded copy of the font.
    "ps.fonttype": 42,
    "pdf.compression": 6,
    "pdf.use14corefonts": False,
    "text.usetex": False,
    "text.parse_math": False,
    "text.antialiased": True,
    "lines.scale_dashes": True,  # _Pen.dashes relies on it
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "path.simplify": True,
}


@contextmanager
def style_context() -> Iterator[None]:
    """The rcParams every bodymap figure is drawn and saved under (held under a lock)."""
    with _LOCK, matplotlib.rc_context(_RC):
        yield


# --- fonts --------------------------------------------------------------------------------
#
# The PDF embeds its fonts as TrueType subsets, made by fontTools from the font file. From the
# full DejaVu files (6,000 glyphs, large layout tables) that costs about 80 ms per face and
# subset; from a slim copy of the same fonts (the scripts and symbols clinical text uses, no
# layout or hinting tables) about 15 ms. The slim copies are derived once, deterministically,
# and kept in matplotlib's cache folder, so every process embeds byte-identical fonts.

SLIM_VERSION = "4"
SLIM_RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x024F),  # Latin, Latin-1, Latin Extended-A/B (pinyin tones)
    (0x02B0, 0x02FF), (0x0370, 0x03FF), (0x0400, 0x04FF),  # modifier letters, Greek, Cyrillic
    (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20CF),  # Latin Ext. Additional, punctuation, ...
    (0x2100, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x23FF),  # letterlike, numbers, arrows, maths, technical
    (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF),  # enclosed, boxes, shapes, symbols, dingbats
    (0xFFFD, 0xFFFD),
)


def _derive_slim(source: str, target: FilePath) -> None:
    from fontTools import subset  # a matplotlib dependency

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH", "FFTM", "kern"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = True  # without names fontTools rebuilds them from the cmap on every subset: 3x slower
    options.notdef_outline = True
    options.recalc_timestamp = False  # a timestamp would make the bytes differ run to run
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for lo, hi in SLIM_RANGES for u in range(lo, hi + 1)])
    subsetter.subset(font)
    # One Windows-Unicode (3, 1) cmap is all FreeType needs for these BMP characters; the two
    # duplicate subtables would be parsed again by every PDF's subsetting.
    font["cmap"].tables = [t for t in font["cmap"].tables if (t.platformID, t.platEncID) == (3, 1)]
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    subset.save_font(font, str(tmp), options)
    os.replace(tmp, target)  # atomic: a concurrent process sees the old file or the whole new one


def _slim_copy(source: str) -> str:
    from fontTools import version as fonttools_version

    with open(source, "rb") as fh:
        digest = hashlib.sha256(fh.read() + f"{SLIM_VERSION}/{fonttools_version}/{SLIM_RANGES}".encode()).hexdigest()[:16]
    name = f"{FilePath(source).stem}-slim-{digest}.ttf"
    # matplotlib's cache folder first (shared by later processes), else a private temporary one:
    # the copy is the same either way, so the PDF's bytes do not depend on where it was made.
    for folder in (FilePath(matplotlib.get_cachedir()) / "bodymap-fonts", _private_folder()):
        target = folder / name
        try:
            if not target.exists():
                folder.mkdir(parents=True, exist_ok=True)
                _derive_slim(source, target)
                for stale in folder.glob(f"{FilePath(source).stem}-slim-*.ttf"):
                    if stale != target:  # copies made by an older bodymap or fontTools
                        stale.unlink(missing_ok=True)
            FT2Font(str(target))  # raises if the file is unreadable
            return str(target)
        except OSError:
            continue
    raise OSError("no folder to keep the slim font copies in")


@lru_cache(maxsize=1)
def _private_folder() -> FilePath:
    folder = FilePath(tempfile.mkdtemp(prefix="bodymap-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@lru_cache(maxsize=1)
def font_files() -> tuple[str, str]:
    """(regular, bold): slim copies of matplotlib's bundled DejaVu Sans, or the originals."""
    with _LOCK:
        try:
            return _slim_copy(BUNDLED_REGULAR), _slim_copy(BUNDLED_BOLD)
        except Exception:  # noqa: BLE001 - fontTools missing or broken: slower PDFs, same look
            return BUNDLED_REGULAR, BUNDLED_BOLD


@lru_cache(maxsize=1)
def _coverage() -> frozenset[int]:
    """Code points both faces can draw."""
    regular, bold = font_files()
    return frozenset(FT2Font(regular).get_charmap()) & frozenset(FT2Font(bold).get_charmap())


_WHITESPACE = re.compile("[\t\n\r ]{2,}|[\t\n\r]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: Any) -> str:
    """Text that draws literally in DejaVu Sans: no control characters, no glyph the font lacks.

    Runs of whitespace become one space (as a browser shows SVG text); other controls and glyphs the
    font does not have become U+FFFD, so a hostile label shows as such instead of failing.
    """
    s = _UNPRINTABLE.sub("\ufffd", _WHITESPACE.sub(" ", str(text)))
    if s.isascii():
        return s
    cover = _coverage()
    return "".join(c if ord(c) in cover else "\ufffd" for c in s)


def font(size_pt: float, bold: bool = False) -> FontProperties:
    """DejaVu Sans by file, never a look-alike found on the system."""
    regular, bold_file = font_files()
    return FontProperties(fname=bold_file if bold else regular, size=size_pt)


_GLYPH_EM = 100.0  # glyph outlines are loaded at 100 pt and scaled
# The flag became an enum member in matplotlib 3.10; pyproject allows 3.8.
_NO_HINTING = ft2font.LoadFlags.NO_HINTING if hasattr(ft2font, "LoadFlags") else ft2font.LOAD_NO_HINTING


class _Glyphs:
    """Unhinted glyph outlines and advances of one face, loaded once each (read-only arrays)."""

    def __init__(self, path: str) -> None:
        self._font = FT2Font(path)
        self._font.set_size(_GLYPH_EM, 72)
        self._cache: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}

    def get(self, ch: str) -> tuple[np.ndarray, np.ndarray, float]:
        hit = self._cache.get(ch)
        if hit is None:
            g = self._font.load_char(ord(ch), flags=_NO_HINTING)
            verts, codes = self._font.get_path()
            verts = np.array(verts, dtype=float).reshape(-1, 2) / _GLYPH_EM
            verts[:, 1] *= -1.0  # page y points down
            codes = np.array(codes, dtype=np.uint8)
            verts.setflags(write=False)
            codes.setflags(write=False)
            hit = (verts, codes, g.linearHoriAdvance / 65536.0 / _GLYPH_EM)
            self._cache[ch] = hit
        return hit


@lru_cache(maxsize=2)
def _glyphs(bold: bool) -> _Glyphs:
    regular, bold_file = font_files()
    return _Glyphs(bold_file if bold else regular)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width of `text` at `size` (any unit: the result is in the same unit)."""
    glyphs = _glyphs(bold)
    with _LOCK:
        return size * sum(glyphs.get(c)[2] for c in printable(text))


def text_path(x: float, y: float, text: str, size: float, bold: bool = False, ha: str = "left") -> Path | None:
    """The outline of a one-line text, baseline at y, in the same units as x, y and size.

    Used for PNG: Agg rasterises each glyph of a Text separately (about 0.1 ms a glyph), while
    one compound path per text draws in a fraction of that, and looks like the browser's SVG.
    """
    glyphs = _glyphs(bold)
    parts_v: list[np.ndarray] = []
    parts_c: list[np.ndarray] = []
    pen_x = 0.0
    with _LOCK:
        for ch in printable(text):
            verts, codes, advance = glyphs.get(ch)
            if len(codes):
                parts_v.append(verts + (pen_x, 0.0))
                parts_c.append(codes)
            pen_x += advance
    if not parts_v:
        return None
    shift = {"left": 0.0, "center": -pen_x / 2, "right": -pen_x}[ha]
    verts = np.concatenate(parts_v) * size + (x + shift * size, y)
    return Path(verts, np.concatenate(parts_c))


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
    """Draws in page units into a figure or an axes.

    `to_display` maps page units (y down) to the canvas; `k` converts page units to points,
    for line widths and font sizes, so a scaled-down drawing keeps its proportions.
    """

    def __init__(self, add: Callable[[Any], Any], to_display: Transform, k: float, text_as_paths: bool) -> None:
        self.add = add
        self.to_display = to_display
        self.k = k
        self.text_as_paths = text_as_paths

    def lw(self, units: float) -> float:
        return units * self.k

    @staticmethod
    def dashes(pattern: Sequence[float], width_units: float) -> Any:
        # With lines.scale_dashes, matplotlib multiplies the pattern by the line width; the
        # SVG's pattern is in page units, like the width, so the ratio is what we pass.
        return (0, tuple(d / width_units for d in pattern)) if pattern else "solid"

    def patch(self, artist: Any, zorder: float, gid: str | None = None) -> Any:
        if not artist.is_transform_set():
            artist.set_transform(self.to_display)
        artist.set_zorder(zorder)
        if artist.get_clip_path() is None:
            artist.set_clip_on(False)  # an Axes would otherwise clip to its frame
        if gid is not None:
            artist.set_gid(gid)
        self.add(artist)
        return artist

    def text(self, x: float, y: float, text: Any, size: float, colour: str, *, bold: bool = False, ha: str = "left",
             zorder: float = Z_TEXT, halo: float = 0.0, gid: str | None = None) -> None:
        """One line of literal text, baseline at y; `halo` is the width of a white outline under it."""
        if halo or self.text_as_paths:
            path = text_path(x, y, text, size, bold, ha)
            if path is None:
                return
            if halo:
                # The stroke goes under the glyphs, as SVG's paint-order="stroke" does.
                self.patch(PathPatch(path, facecolor="none", edgecolor=style.PAPER, lw=self.lw(halo), joinstyle="round",
                                     capstyle="round"), zorder, gid)
            if self.text_as_paths:
                self.patch(PathPatch(path, facecolor=colour, edgecolor="none", lw=0), zorder, gid)
                return
        t = Text(x, y, printable(text), fontproperties=font(size * self.k, bold), color=colour, ha=ha, va="baseline",
                 usetex=False, parse_math=False)
        self.patch(t, zorder, gid)


def marker_shapes(pen: _Pen, key: str, x: float, y: float, zorder: float, gid: str | None = None) -> list[Any]:
    """The symbol of a marker (or of its legend entry), in page units, centred on (x, y)."""
    k = pen.k
    out: list[Any] = []
    if key == "pregnancy-caution":
        r = style.CAUTION_RADIUS if gid is not None else 7.0  # the legend's ring is smaller
        out.append(Circle((x, y), r, facecolor="none", edgecolor=style.PURPLE, lw=2.2 * k, linestyle=pen.dashes((3, 2), 2.2)))
    elif key == "dry-needling":
        r = style.DIAMOND_RADIUS
        out.append(Polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], closed=True, facecolor=style.VERMILLION,
                           edgecolor=style.INK, lw=style.MARKER_EDGE * k, joinstyle="round"))
    elif key == "acupuncture-distal":
        out.append(Circle((x, y), style.MARKER_RADIUS + 1.5, facecolor=style.INK, edgecolor="none", lw=0))
        out.append(Circle((x, y), style.MARKER_RADIUS + 0.2, facecolor=style.PAPER, edgecolor=style.BLUE,
                          lw=style.DISTAL_RING * k))
        out.append(Circle((x, y), 2.2, facecolor=style.BLUE, edgecolor="none", lw=0))
    elif key == "acupuncture-local":
        out.append(Circle((x, y), style.MARKER_RADIUS, facecolor=style.BLUE, edgecolor=style.INK, lw=style.MARKER_EDGE * k))
    elif key == "referral-zone":
        out.append(FancyBboxPatch((x - 9, y - 6), 18, 12, boxstyle="round,pad=0,rounding_size=5",
                                  facecolor=to_rgba(style.VERMILLION, 0.2), edgecolor=style.VERMILLION, lw=k,
                                  linestyle=pen.dashes((4, 3), 1.0)))
    elif key == "muscle-outline":
        out.append(FancyBboxPatch((x - 9, y - 6), 18, 12, boxstyle="round,pad=0,rounding_size=6",
                                  facecolor=to_rgba(style.VERMILLION, style.MUSCLE_FILL_OPACITY),
                                  edgecolor=to_rgba(style.VERMILLION, style.MUSCLE_EDGE_OPACITY), lw=style.MUSCLE_EDGE * k))
    elif key == "meridian":
        path = Path([(x - 10, y + 3), (x - 4, y - 6), (x + 4, y + 8), (x + 10, y - 3)], [Path.MOVETO] + [Path.CURVE4] * 3)
        out.append(PathPatch(path, facecolor="none", edgecolor=style.BLUE, lw=style.CHANNEL_WIDTH * k))
    elif key == "danger-zone":
        out.extend(_hatched(pen, Path.unit_rectangle().transformed(Affine2D().scale(18, 12).translate(x - 9, y - 6))))
    for a in out:
        pen.patch(a, zorder, gid)
    return out


def draw_symbol(add: Callable[[Any], Any], points_to_display: Transform, key: str, x: float, y: float, scale: float,
                zorder: float = Z_TEXT) -> None:
    """A marker or legend symbol centred at (x, y) in points (y down), `scale` points per page unit."""
    pen = _Pen(add, Affine2D().scale(scale).translate(x, y) + points_to_display, scale, False)
    marker_shapes(pen, key, 0.0, 0.0, zorder)


def _hatched(pen: _Pen, path: Path) -> list[Any]:
    """The SVG's hatch: pale yellow under dark diagonal lines 7 units apart, anchored to the page."""
    # Drawn as clipped lines rather than a matplotlib hatch, whose spacing is fixed in inches
    # and whose PDF pattern loses the lines' opacity and shows seams between tiles.
    base = PathPatch(path, facecolor=to_rgba(style.YELLOW, 0.35), edgecolor=to_rgba(HATCH_INK, 0.8), lw=pen.lw(1.0))
    (x0, y0), (x1, y1) = path.get_extents().get_points()
    step = HATCH_SPACING * 2**0.5  # along x + y, for lines running up to the right
    first = int(np.floor((x0 + y0) / step))
    last = int(np.ceil((x1 + y1) / step))
    verts = []
    for n in range(first, last + 1):
        c = n * step
        verts.extend(((c - y0, y0), (c - y1, y1)))
    codes = [Path.MOVETO, Path.LINETO] * (len(verts) // 2)
    lines = PathPatch(Path(verts, codes), facecolor="none", edgecolor=to_rgba(HATCH_INK, 0.7), lw=pen.lw(HATCH_WIDTH))
    out = [base]
    if verts:
        lines.set_transform(pen.to_display)
        base.set_transform(pen.to_display)
        lines.set_clip_path(base)
        out.append(lines)
    return out


def _draw_panel(pen: _Pen, pp: PanelPlacement) -> None:
    panel = pp.panel
    outlines, details = _panel_paths(panel.outlines, panel.details)
    to_display = Affine2D().scale(pp.scale).translate(pp.x, pp.y) + pen.to_display
    for path in outlines:
        pen.patch(PathPatch(path, facecolor=style.SKIN, edgecolor=style.SKIN_EDGE, lw=pen.lw(style.OUTLINE_WIDTH),
                            joinstyle="round", transform=to_display), Z_PANEL)
    if details is not None:
        pen.patch(PathPatch(details, facecolor="none", edgecolor=style.DETAIL, lw=pen.lw(style.DETAIL_WIDTH),
                            joinstyle="round", capstyle="round", transform=to_display), Z_DETAIL)
    pen.text(pp.x + 2, pp.y + 10, panel.title, style.PANEL_TITLE_SIZE, style.MUTED, zorder=Z_PANEL_TITLE)


def _draw_zone(pen: _Pen, zone: Zone, pp: PanelPlacement, z: float) -> None:
    path = smooth_path([pp.to_page(p) for p in zone.points], closed=True)
    if zone.kind == "referral":
        pen.patch(PathPatch(path, facecolor=to_rgba(style.VERMILLION, 0.2), edgecolor=to_rgba(style.VERMILLION, 0.8),
                            lw=pen.lw(1.0), linestyle=pen.dashes((4, 3), 1.0)), z, zone.id)
    elif zone.kind == "muscle":
        pen.patch(PathPatch(path, facecolor=to_rgba(style.VERMILLION, style.MUSCLE_FILL_OPACITY),
                            edgecolor=to_rgba(style.VERMILLION, style.MUSCLE_EDGE_OPACITY), lw=pen.lw(style.MUSCLE_EDGE)),
                  z, zone.id)
    else:
        for a in _hatched(pen, path):
            pen.patch(a, z, zone.id)


def _draw_channel(pen: _Pen, ch: Channel, pp: PanelPlacement, z: float) -> None:
    pts = [pp.to_page(p) for p in ch.points]
    colour, dash = style.channel_style(ch.style)
    pen.patch(PathPatch(smooth_path(pts, closed=False), facecolor="none", edgecolor=to_rgba(colour, 0.75),
                        lw=pen.lw(style.CHANNEL_WIDTH), capstyle="round", linestyle=pen.dashes(dash, style.CHANNEL_WIDTH)),
              z, ch.id)
    if ch.name_at is not None:  # where the scene says, as the SVG does
        x, y = pts[ch.name_at]
        pen.text(x + 5, y - 5, ch.meridian, 9, colour, bold=True, zorder=z, gid=ch.id)


def _marker_key(m: Marker) -> str:
    if m.layer == "pregnancy-cautions":
        return "pregnancy-caution"
    if m.therapy == "dry-needling":
        return "dry-needling"
    return "acupuncture-distal" if m.placement == "distal" else "acupuncture-local"


def _draw_label(pen: _Pen, lab: Label, z: float) -> None:
    colour = style.label_colour(lab.colour)
    if lab.leader:
        # The text was moved off its marker: a thin line back to it, under the text's halo.
        end_x = lab.tx + (-2 if lab.align == "right" else 2)
        pen.patch(PathPatch(Path([(lab.px, lab.py), (end_x, lab.ty - 4)]), facecolor="none", edgecolor=to_rgba(colour, 0.7),
                            lw=pen.lw(0.8)), z, lab.id)
    pen.text(lab.tx, lab.ty, lab.text, style.LABEL_SIZE, colour, bold=True, ha="left" if lab.align == "right" else "right",
             zorder=z, halo=3.0, gid=lab.id)


def _draw_highlights(pen: _Pen, scene: Scene, placements: dict[str, PanelPlacement]) -> None:
    wanted = {h.lower() for h in scene.highlight}
    for m in scene.markers:
        if m.code.lower() in wanted or (m.muscle or "").lower() in wanted:
            x, y = placements[m.panel].to_page((m.x, m.y))
            pen.patch(Circle((x, y), style.HIGHLIGHT_RADIUS, facecolor="none", edgecolor=style.INK, lw=pen.lw(4)), Z_HIGHLIGHT)
            pen.patch(Circle((x, y), style.HIGHLIGHT_RADIUS, facecolor="none", edgecolor=style.YELLOW, lw=pen.lw(2.5)),
                      Z_HIGHLIGHT)


def legend_rows(scene: Scene) -> int:
    return (len(scene.legend) + 1) // 2


def legend_top(scene: Scene) -> float:
    """Page y of the first legend row's centre (where the SVG renderer puts it)."""
    return scene.height - footer_height(len(scene.legend)) + 28


def _draw_legend(pen: _Pen, scene: Scene) -> None:
    top = legend_top(scene)
    col_width = max(330.0, (scene.width - 48) / 2)
    for i, entry in enumerate(scene.legend):
        cx = 24 + (i % 2) * col_width
        cy = top + (i // 2) * LEGEND_ROW
        marker_shapes(pen, entry.key, cx + 10, cy, Z_TEXT)
        pen.text(cx + 28, cy + 4, entry.text, style.LEGEND_SIZE, style.INK)


def _draw_notes(pen: _Pen, scene: Scene) -> None:
    pen.text(24, scene.height - 34, SOURCES_LINE, style.NOTE_SIZE, style.MUTED)
    pen.text(24, scene.height - 16, scene.disclaimer, style.NOTE_SIZE, style.INK, bold=True)


def scene_bounds(scene: Scene, header: bool = True, legend: bool = True, notes: bool = True) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1): the page area draw_scene shows with these parts switched on."""
    top = 0.0 if header else HEADER_HEIGHT - 4
    if notes:
        bottom = scene.height
    elif legend and scene.legend:
        bottom = legend_top(scene) + (legend_rows(scene) - 1) * LEGEND_ROW + 12
    else:
        bottom = scene.height - footer_height(len(scene.legend)) + 16
    return 0.0, top, scene.width, bottom


def _pen_for(target: Axes | Figure, bounds: tuple[float, float, float, float], box: tuple[float, float, float, float] | None,
             text_as_paths: bool) -> _Pen:
    x0, y0, x1, y1 = bounds
    if isinstance(target, Axes):
        target.set_axis_off()
        target.set_xlim(x0, x1)
        target.set_ylim(y1, y0)  # y points down, as in the scene and the SVG
        target.set_aspect("equal", adjustable="box", anchor="N")
        target.set_autoscale_on(False)
        target.apply_aspect()
        fig = target.figure
        fig = getattr(fig, "figure", fig)  # the root figure, when the Axes sits in a SubFigure
        pos = target.get_position()
        k = min(pos.width * fig.get_figwidth() * 72.0 / (x1 - x0), pos.height * fig.get_figheight() * 72.0 / (y1 - y0))
        # add_artist, not add_patch: the limits are fixed, and add_patch's data-limit update
        # (the Bezier extrema of every curve) costs more than drawing.
        return _Pen(target.add_artist, target.transData, k, text_as_paths)
    # Straight onto the figure, without an Axes (whose ticks and spines cost more than the
    # diagram's own artists): `box` is (left, top, width, height) in inches from the top left.
    fig_w, fig_h = target.get_figwidth(), target.get_figheight()
    left, top, width, height = box if box is not None else (0.0, 0.0, fig_w, fig_h)
    inch_per_unit = min(width / (x1 - x0), height / (y1 - y0))
    page_to_inches = Affine2D().translate(-x0, -y0).scale(inch_per_unit, -inch_per_unit).translate(left, fig_h - top)
    return _Pen(target.add_artist, page_to_inches + target.dpi_scale_trans, inch_per_unit * 72.0, text_as_paths)


def draw_scene(target: Axes | Figure, scene: Scene, *, box: tuple[float, float, float, float] | None = None,
               header: bool = True, legend: bool = True, notes: bool = True, text_as_paths: bool = False) -> dict[str, list[str]]:
    """Draw the scene on a Figure (whole, or within `box`: left, top, width, height in inches) or an Axes.

    The drawing keeps its proportions at any size: line widths and fonts scale with it. Text is
    matplotlib Text (searchable in a PDF) unless `text_as_paths`, which is faster for raster
    output and looks the same. Returns, per layer present, the ids of the items drawn.
    """
    with style_context():
        bounds = scene_bounds(scene, header, legend, notes)
        pen = _pen_for(target, bounds, box, text_as_paths)
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
                else:  # pragma: no cover - a scene holds only these four kinds
                    continue
                ids.append(item.id)
        if scene.highlight:
            _draw_highlights(pen, scene, placements)
        if legend:
            _draw_legend(pen, scene)
        if notes:
            _draw_notes(pen, scene)
        return drawn


def drawn_items(scene: Scene, text_as_paths: bool = False) -> dict[str, list[str]]:
    """Per layer present, the distinct gids of the artists the renderer put on the figure.

    Read back from the figure rather than from draw_scene's bookkeeping, so a test comparing
    this with the scene and the SVG checks what would be painted.
    """
    with style_context():
        fig = Figure(figsize=(scene.width / PX, scene.height / PX), dpi=PX)
        draw_scene(fig, scene, text_as_paths=text_as_paths)
        layer_of = {item.id: layer for layer in LAYER_ORDER for item in scene.layer_items(layer)}
        out: dict[str, list[str]] = {layer: [] for layer in LAYER_ORDER if layer in scene.overlays}
        seen: set[str] = set()
        for artist in fig.get_children():
            gid = artist.get_gid()
            if gid in layer_of and gid not in seen and artist.get_visible():
                seen.add(gid)
                out.setdefault(layer_of[gid], []).append(gid)
        return out


def _check_options(scene: Scene, fmt: str, dpi: Any) -> float:
    if fmt not in FORMATS:
        raise OptionError(f"unknown image format {fmt!r}; valid: {', '.join(FORMATS)}")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not MIN_DPI <= float(dpi) <= MAX_DPI:
        raise OptionError(f"dpi must be a number from {MIN_DPI:g} to {MAX_DPI:g}, not {dpi!r}")
    pixels = (scene.width * dpi / PX) * (scene.height * dpi / PX)
    if fmt == "png" and pixels > MAX_PIXELS:
        most = int(PX * (MAX_PIXELS / (scene.width * scene.height)) ** 0.5)
        raise OptionError(f"dpi {dpi:g} would make a {pixels / 1e6:.0f}-megapixel image; at most {most} dpi for this diagram")
    return float(dpi)


def render_image(scene: Scene, fmt: str, dpi: float = 150, transparent: bool = False) -> bytes:
    """The scene as PNG or PDF bytes; the same scene always gives the same bytes.

    The figure is scene.width/96 by scene.height/96 inches, so dpi=96 gives the SVG's pixel
    size. The PDF is vector, its text searchable TrueType (fonttype 42).
    """
    dpi = _check_options(scene, fmt, dpi)
    face = "none" if transparent else style.PAPER
    with style_context():
        fig = Figure(figsize=(scene.width / PX, scene.height / PX), dpi=dpi, facecolor=face)
        # The object-oriented canvases, not pyplot: no global figure manager, safe in threads.
        buf = io.BytesIO()
        if fmt == "png":
            canvas = FigureCanvasAgg(fig)
            draw_scene(fig, scene, text_as_paths=True)
            canvas.draw()
            # Pillow (a matplotlib dependency) encodes it: RGB when opaque, which is smaller and what
            # print workflows expect, and no text chunks (no software name, no date): deterministic.
            from PIL import Image

            img = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
            (img if transparent else img.convert("RGB")).save(buf, format="PNG", compress_level=PNG_COMPRESSION,
                                                             dpi=(dpi, dpi))
            return buf.getvalue()
        FigureCanvasPdf(fig)
        draw_scene(fig, scene)
        fig.savefig(buf, format="pdf", dpi=dpi, metadata=PDF_METADATA, transparent=transparent, facecolor=face)
        return buf.getvalue()
