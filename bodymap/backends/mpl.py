"""The matplotlib backend: a draw list as PNG or PDF, drawing paths, circles and texts and nothing else.

Its artists carry the draw list's group ids (gid) and keep its order (one z-level, insertion
order), so the picture is the SVG's; text comes from the same shipped DejaVu Sans files the
layout measured.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle as CirclePatch
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text as TextArtist
from matplotlib.transforms import Affine2D, Bbox, Transform, TransformedBbox

from bodymap.backends.glyphs import LOCK, text_path
from bodymap.content.options import RenderOptions
from bodymap.content.scenetypes import LAYER_ORDER, Scene
from bodymap.core import theme
from bodymap.core.errors import OptionError
from bodymap.core.theme import Paint
from bodymap.draw.drawlist import Circle, DrawList, Group, Path, Primitive, Text, compile_scene, symbol
from bodymap.layout.textmetrics import font_files, printable, text_width

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # matplotlib >= 3.9; for the checker only

__all__ = ["PDF_METADATA", "draw_list", "draw_scene", "draw_symbol", "drawn_items", "font", "font_files", "printable",
           "render_image", "scene_bounds", "style_context", "text_width"]

FORMATS = ("png", "pdf")
MIN_DPI, MAX_DPI = 9.0, 1200.0  # the command line's range (--scale 0.1 is 9.6 dpi)
MAX_PIXELS = 24_000_000  # ~7 bytes a pixel (RGBA, then RGB) over ~110 MB: 24 megapixels peak near 300 MB (measured)
PNG_COMPRESSION = 3  # zlib level: 6 takes about four times as long for files 15% smaller
PX = 96.0  # page units per inch (the SVG user unit is a CSS pixel)
Z = 2.0  # one z-level: matplotlib keeps insertion order within it, as SVG keeps document order
_CODES = {"M": MplPath.MOVETO, "L": MplPath.LINETO}

# The PDF drops the fields that would carry a version or a timestamp (the PNG writer writes no
# text chunks at all), so the same scene always gives the same bytes.
PDF_METADATA: dict[str, Any] = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}

# rcParams are global to the process: hold them for one render at a time, because the app renders
# from several threads. Reentrant: the handout draws a figure inside its own page.
_RC: dict[RcKeyType, Any] = {
    "pdf.fonttype": 42,  # TrueType, so the PDF's text can be searched and copied
    # matplotlib 3.11's PDF writer sizes its font subsets by ps.fonttype: with the default (3)
    # every character past U+00FF ("–", "’") starts a second embedded copy of the font.
    "ps.fonttype": 42,
    "pdf.compression": 6,
    "pdf.use14corefonts": False,
    "text.usetex": False,
    "text.parse_math": False,
    "lines.scale_dashes": True,  # _dashes relies on it
    "path.simplify": True,
}


@contextmanager
def style_context() -> Iterator[None]:
    """The rcParams every bodymap figure is drawn and saved under (held under a lock)."""
    with LOCK, matplotlib.rc_context(_RC):
        yield


def font(size_pt: float, bold: bool = False) -> FontProperties:
    """DejaVu Sans by file (the shipped copy), never a look-alike found on the system."""
    regular, bold_file = font_files()
    return FontProperties(fname=bold_file if bold else regular, size=size_pt)


def mpl_path(segments: Sequence[tuple]) -> MplPath:
    verts: list[tuple[float, float]] = []
    codes: list[np.uint8] = []
    start = (0.0, 0.0)
    for seg in segments:
        op = seg[0]
        if op == "C":
            verts.extend(((seg[1], seg[2]), (seg[3], seg[4]), (seg[5], seg[6])))
            codes.extend((MplPath.CURVE4,) * 3)
        elif op == "Z":
            verts.append(start)
            codes.append(MplPath.CLOSEPOLY)
        else:
            if op == "M":
                start = (seg[1], seg[2])
            verts.append((seg[1], seg[2]))
            codes.append(_CODES[op])
    return MplPath(verts, codes)


class Pen:
    """Draws primitives in page units: `to_display` maps page units (y down) to the canvas; `k`
    converts page units to points, for line widths and font sizes."""

    def __init__(self, add: Callable[[Any], Any], to_display: Transform, k: float, text_as_paths: bool) -> None:
        self.add, self.to_display, self.k, self.text_as_paths = add, to_display, k, text_as_paths

    clip: Any = None  # the page box of the close-up being drawn, as a display-space Bbox

    def put(self, artist: Any, gid: str | None, transform: Transform | None = None) -> None:
        artist.set_transform(transform or self.to_display)
        artist.set_zorder(Z)
        if self.clip is not None:
            artist.set_clip_box(self.clip)
        elif artist.get_clip_path() is None:
            artist.set_clip_on(False)  # an Axes would otherwise clip to its frame
        artist.set_gid(gid)
        self.add(artist)

    def style(self, paint: Paint) -> dict[str, Any]:
        face = "none" if paint.fill == "none" else to_rgba(paint.fill, paint.fill_opacity)
        if paint.stroke == "none" or not paint.width:
            return {"facecolor": face, "edgecolor": "none", "lw": 0}
        dashes = (0, tuple(d / paint.width for d in paint.dash)) if paint.dash else "solid"  # scaled by lw (scale_dashes)
        out = {"facecolor": face, "edgecolor": to_rgba(paint.stroke, paint.stroke_opacity), "lw": paint.width * self.k,
               "linestyle": dashes}
        if paint.join:
            out["joinstyle"] = paint.join
        if paint.cap:
            out["capstyle"] = paint.cap
        return out

    def draw(self, p: Primitive, gid: str | None = None) -> None:
        if isinstance(p, Group):
            outer = self.clip
            if p.clip is not None:
                self.clip = TransformedBbox(Bbox.from_bounds(p.clip.x, p.clip.y, p.clip.w, p.clip.h), self.to_display)
            for child in p.children:
                self.draw(child, p.id or gid)
            self.clip = outer
        elif isinstance(p, Circle):
            self.put(CirclePatch((p.cx, p.cy), p.r, **self.style(p.paint)), gid)
        elif isinstance(p, Path):
            self.path(p, gid)
        else:
            self.text(p, gid)

    def path(self, p: Path, gid: str | None) -> None:
        transform = None
        if p.transform is not None:
            dx, dy, sx, sy = p.transform
            transform = Affine2D().scale(sx, sy).translate(dx, dy) + self.to_display
        path = mpl_path(p.segments)
        if p.paint.pattern:
            self.hatched(path, p.paint, gid)
        else:
            self.put(PathPatch(path, **self.style(p.paint)), gid, transform)

    def hatched(self, path: MplPath, paint: Paint, gid: str | None) -> None:
        """The SVG's hatch: a pale fill under diagonal lines anchored to the page, clipped to the area."""
        # Drawn as clipped lines rather than a matplotlib hatch, whose spacing is fixed in inches
        # and whose PDF pattern loses the lines' opacity and shows seams between tiles.
        base = PathPatch(path, **self.style(paint))
        self.put(base, gid)
        (x0, y0), (x1, y1) = path.get_extents().get_points()
        step = theme.HATCH_SPACING * 2 ** 0.5  # along x + y, for lines running up to the right
        verts: list[tuple[float, float]] = []
        for n in range(int(np.floor((x0 + y0) / step)), int(np.ceil((x1 + y1) / step)) + 1):
            verts.extend(((n * step - y0, y0), (n * step - y1, y1)))
        if verts:
            codes = [MplPath.MOVETO, MplPath.LINETO] * (len(verts) // 2)
            lines = PathPatch(MplPath(verts, codes), **self.style(theme.HATCH_LINE_PAINT))
            lines.set_clip_path(base)
            self.put(lines, gid)

    def text(self, t: Text, gid: str | None) -> None:
        """One line of literal text (never mathtext), baseline at y, with its halo under it."""
        if t.halo or self.text_as_paths:
            # Letter spacing only in outlines: a PDF's Text stays searchable, a few tenths of a unit narrower.
            path = text_path(t.x, t.y, t.text, t.size, t.bold, t.anchor, t.spacing if self.text_as_paths else 0.0)
            if path is None:
                return
            if t.halo:  # the stroke goes under the glyphs, as SVG's paint-order="stroke" does
                self.put(PathPatch(path, facecolor="none", edgecolor=theme.PAPER, lw=t.halo * self.k, joinstyle="round",
                                   capstyle="round"), gid)
            if self.text_as_paths:
                self.put(PathPatch(path, facecolor=t.fill, edgecolor="none", lw=0), gid)
                return
        ha = {"start": "left", "middle": "center", "end": "right"}[t.anchor]
        self.put(TextArtist(t.x, t.y, printable(t.text), fontproperties=font(t.size * self.k, t.bold), color=t.fill, ha=ha,
                            va="baseline", usetex=False, parse_math=False), gid)


def scene_bounds(scene: Scene, header: bool = True, legend: bool = True, notes: bool = True) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1): the page area draw_scene shows with these parts switched on."""
    return scene.page().bounds(header, legend, notes)


def _pen_for(target: Axes | Figure, bounds: tuple[float, float, float, float], box: tuple[float, float, float, float] | None,
             text_as_paths: bool) -> Pen:
    x0, y0, x1, y1 = bounds
    if isinstance(target, Axes):
        target.set_axis_off()
        target.set_xlim(x0, x1)
        target.set_ylim(y1, y0)  # y points down, as in the scene and the SVG
        target.set_aspect("equal", adjustable="box", anchor="N")
        target.set_autoscale_on(False)
        target.apply_aspect()
        parent = target.figure
        fig = cast(Figure, getattr(parent, "figure", parent))  # the root figure, when the Axes sits in a SubFigure
        pos = target.get_position()
        k = min(pos.width * fig.get_figwidth() * 72.0 / (x1 - x0), pos.height * fig.get_figheight() * 72.0 / (y1 - y0))
        # add_artist, not add_patch: the limits are fixed, and add_patch's data-limit update costs more than drawing.
        return Pen(target.add_artist, target.transData, k, text_as_paths)
    # Straight onto the figure, without an Axes: `box` is (left, top, width, height) in inches from the top left.
    fig_w, fig_h = target.get_figwidth(), target.get_figheight()
    left, top, width, height = box if box is not None else (0.0, 0.0, fig_w, fig_h)
    inch_per_unit = min(width / (x1 - x0), height / (y1 - y0))
    page_to_inches = Affine2D().translate(-x0, -y0).scale(inch_per_unit, -inch_per_unit).translate(left, fig_h - top)
    return Pen(target.add_artist, page_to_inches + target.dpi_scale_trans, inch_per_unit * 72.0, text_as_paths)


def draw_list(target: Axes | Figure, dl: DrawList, *, box: tuple[float, float, float, float] | None = None,
              text_as_paths: bool = False) -> None:
    """Draw a draw list on a Figure (whole, or within `box`: left, top, width, height in inches) or an Axes."""
    with style_context():
        pen = _pen_for(target, dl.bounds, box, text_as_paths)
        for group in dl.items:
            pen.draw(group)


def draw_scene(target: Axes | Figure, scene: Scene, *, box: tuple[float, float, float, float] | None = None,
               header: bool = True, legend: bool = True, notes: bool = True, text_as_paths: bool = False) -> dict[str, list[str]]:
    """Draw the scene's draw list; returns, per layer present, the ids of the items in it.

    The drawing keeps its proportions at any size: line widths and fonts scale with it. Text is
    matplotlib Text (searchable in a PDF) unless `text_as_paths`, which is faster for raster output.
    """
    dl = compile_scene(scene, header=header, legend=legend, notes=notes)
    draw_list(target, dl, box=box, text_as_paths=text_as_paths)
    return {layer: [item.id for item in scene.layer_items(layer)] for layer in LAYER_ORDER if layer in scene.overlays}


def draw_symbol(add: Callable[[Any], Any], points_to_display: Transform, key: str, x: float, y: float, scale: float,
                zorder: float = Z) -> None:
    """A marker or legend symbol of the theme centred at (x, y) in points (y down), `scale` points per page unit."""
    pen = Pen(add, Affine2D().scale(scale).translate(x, y) + points_to_display, scale, False)
    for prim in symbol(key, 0.0, 0.0, theme.LEGEND_SCALE.get(key, 1.0)):
        pen.draw(prim)


def drawn_items(scene: Scene, text_as_paths: bool = False) -> dict[str, list[str]]:
    """Per layer present, the distinct gids of the artists the renderer put on the figure (read back from it)."""
    with style_context():
        fig = Figure(figsize=(scene.width / PX, scene.height / PX), dpi=PX)
        draw_scene(fig, scene, text_as_paths=text_as_paths)
        layer_of = {item.id: layer for layer in LAYER_ORDER for item in scene.layer_items(layer)}
        out: dict[str, list[str]] = {layer: [] for layer in LAYER_ORDER if layer in scene.overlays}
        seen: set[str] = set()
        for artist in fig.get_children():
            gid = artist.get_gid()
            if isinstance(gid, str) and gid in layer_of and gid not in seen and artist.get_visible():
                seen.add(gid)
                out.setdefault(layer_of[gid], []).append(gid)
        return out


def _check_options(width: float, height: float, fmt: str, dpi: Any) -> float:
    if fmt not in FORMATS:
        raise OptionError(f"unknown image format {fmt!r}; valid: {', '.join(FORMATS)}")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not MIN_DPI <= float(dpi) <= MAX_DPI:
        raise OptionError(f"dpi must be a number from {MIN_DPI:g} to {MAX_DPI:g}, not {dpi!r}")
    pixels = (width * dpi / PX) * (height * dpi / PX)
    if fmt == "png" and pixels > MAX_PIXELS:
        most = int(PX * (MAX_PIXELS / (width * height)) ** 0.5)
        raise OptionError(f"dpi {dpi:g} would make a {pixels / 1e6:.0f}-megapixel image; at most {most} dpi for this diagram")
    return float(dpi)


def render_image(scene: Scene, fmt: str, options: RenderOptions | None = None) -> bytes:
    """The scene as PNG or PDF bytes; the same scene always gives the same bytes.

    From `options` it takes `dpi` and `transparent` (None: the options the scene was built with,
    else the defaults). The figure is scene.width/96 by scene.height/96 inches, so dpi=96 gives
    the SVG's pixel size. The PDF is vector, its text searchable TrueType (fonttype 42).
    """
    options = options or scene.options or RenderOptions()
    dpi = _check_options(scene.width, scene.height, fmt, options.dpi)
    transparent = options.transparent
    face = "none" if transparent else theme.PAPER
    dl = compile_scene(scene)
    with style_context():
        fig = Figure(figsize=(scene.width / PX, scene.height / PX), dpi=dpi, facecolor=face)
        # The object-oriented canvases, not pyplot: no global figure manager, safe in threads.
        buf = io.BytesIO()
        if fmt == "png":
            canvas = FigureCanvasAgg(fig)
            draw_list(fig, dl, text_as_paths=True)
            canvas.draw()
            # Pillow (a matplotlib dependency) encodes it: RGB when opaque, which is smaller and what
            # print workflows expect, and no text chunks (no software name, no date): deterministic.
            from PIL import Image

            img = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
            (img if transparent else img.convert("RGB")).save(buf, format="PNG", compress_level=PNG_COMPRESSION, dpi=(dpi, dpi))
            return buf.getvalue()
        FigureCanvasPdf(fig)
        draw_list(fig, dl)
        fig.savefig(buf, format="pdf", dpi=dpi, metadata=PDF_METADATA, transparent=transparent, facecolor=face)
        return buf.getvalue()
