"""The draw list: a scene compiled with its layout and the theme into paths, circles, texts and groups.

Backends (render_svg, render_mpl) draw these primitives and nothing else, the way matplotlib's
RendererBase draws paths and text: every position, symbol, colour and size is decided here.
Coordinates are page units (y down). Panel art keeps its panel units and a (dx, dy, scale)
transform, so its long outlines are formatted once per panel, not per render.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Union

from bodymap.content.scenetypes import LAYER_ORDER, Box, Channel, Label, Marker, PanelPlacement, Scene, Segment, Zone
from bodymap.core import theme
from bodymap.core.theme import Paint, Shape
from bodymap.core.vocabulary import Layer
from bodymap.figures.geometry import Panel
from bodymap.layout.page import headline_lines, side_letter_size, side_letters, title_anchor, title_lines
from bodymap.layout.textmetrics import label_runs


@dataclass(frozen=True, slots=True)
class Path:
    segments: tuple[Segment, ...]
    paint: Paint
    transform: tuple[float, float, float, float] | None = None  # page = (dx + sx * x, dy + sy * y)
    cls: str | None = None


@dataclass(frozen=True, slots=True)
class Circle:
    cx: float
    cy: float
    r: float
    paint: Paint


@dataclass(frozen=True, slots=True)
class Text:
    x: float  # the anchor on the baseline
    y: float
    text: str
    size: float
    fill: str
    bold: bool = False
    anchor: str = "start"  # start | middle | end
    halo: float = 0.0  # width of a paper-coloured outline under the glyphs
    spacing: float = 0.0  # letter spacing
    cls: str | None = None
    # The text in runs of their own sizes, one after the other from the anchor (a patient label's code is
    # smaller than its words); empty: one run of `size`. `text` stays the whole text.
    runs: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    children: tuple[Primitive, ...]
    id: str | None = None
    cls: str | None = None
    title: str | None = None
    data: tuple[tuple[str, str], ...] = ()
    clip: Box | None = None  # draw only inside this page box (a close-up's window)


Primitive = Union[Path, Circle, Text, Group]


@dataclass(frozen=True)
class DrawList:
    width: float
    height: float
    bounds: tuple[float, float, float, float]  # the page area shown (x0, y0, x1, y1)
    root_id: str
    title: str
    description: str
    items: tuple[Group, ...]
    background: str = theme.PAPER


@lru_cache(maxsize=8192)
def symbol(key: str, x: float, y: float, scale: float = 1.0) -> tuple[Primitive, ...]:
    """A theme symbol as primitives centred on (x, y): the same for markers, legend and tables (cached: marks recur)."""
    return tuple(_shape(s, x, y, scale) for s in theme.SYMBOLS[key])


def _shape(s: Shape, x: float, y: float, k: float) -> Primitive:
    paint = s.paint if k == 1.0 else _scaled(s.paint, k)
    if s.kind == "circle":
        ox, oy = s.points[0] if s.points else (0.0, 0.0)  # a circle may sit off the symbol's centre
        return Circle(x + ox * k, y + oy * k, s.r * k, paint)
    if s.kind == "box":
        return Path(_box(x - s.size[0] * k / 2, y - s.size[1] * k / 2, s.size[0] * k, s.size[1] * k, s.r * k), paint)
    pts = [(x + px * k, y + py * k) for px, py in s.points]
    if s.kind == "curve":
        return Path((("M", *pts[0]), ("C", *pts[1], *pts[2], *pts[3])), paint)
    return Path((("M", *pts[0]), *(("L", *p) for p in pts[1:]), ("Z",)), paint)


def _scaled(paint: Paint, k: float) -> Paint:
    return replace(paint, width=paint.width * k, dash=tuple(d * k for d in paint.dash))


def _box(x: float, y: float, w: float, h: float, r: float) -> tuple[Segment, ...]:
    if not r:
        return (("M", x, y), ("L", x + w, y), ("L", x + w, y + h), ("L", x, y + h), ("Z",))
    c = r * 0.5523  # the cubic that best follows a quarter circle
    return (("M", x + r, y), ("L", x + w - r, y), ("C", x + w - r + c, y, x + w, y + r - c, x + w, y + r),
            ("L", x + w, y + h - r), ("C", x + w, y + h - r + c, x + w - r + c, y + h, x + w - r, y + h),
            ("L", x + r, y + h), ("C", x + r - c, y + h, x, y + h - r + c, x, y + h - r),
            ("L", x, y + r), ("C", x, y + r - c, x + r - c, y, x + r, y), ("Z",))


@lru_cache(maxsize=64)
def _panel_segments(outlines: tuple, details: tuple) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """One path for the silhouette and one for every detail line (they share a style), per panel."""
    def poly(points, closed=True):
        return (("M", *points[0]), *(("L", *p) for p in points[1:]), *((("Z",),) if closed else ()))

    outline = tuple(seg for p in outlines if len(p) >= 2 for seg in poly(p))
    detail = tuple(seg for d in details for seg in poly(d.points, d.closed))
    return outline, detail


def _panel(pp: PanelPlacement, pfx: str, locators: list[Box], page_width: float) -> Group:
    panel: Panel = pp.panel
    outline, detail = _panel_segments(panel.outlines, panel.details)
    box = pp.box
    x, anchor = title_anchor(pp, page_width)
    children: list[Primitive] = [Text(x, box.y - theme.PANEL_TITLE_DROP, pp.title, pp.title_size, theme.MUTED,
                                      anchor=anchor, spacing=theme.PANEL_TITLE_SPACING)]
    art: list[Primitive] = [Path(outline, theme.SKIN_PAINT, pp.transform, "outline")]
    if detail:
        art.append(Path(detail, theme.DETAIL_PAINT, pp.transform, "details"))
    children.append(Group(tuple(art), cls="art", clip=box if pp.crop else None))
    for x, y, letter, anchor in side_letters(pp):  # the patient's left and right, so a mirrored view reads
        children.append(Text(x, y, letter, side_letter_size(pp), theme.MUTED, bold=True, anchor=anchor, cls="side-letter"))
    for loc in locators:  # the part of this body view its close-up shows
        children.append(Group((Path(_box(loc.x, loc.y, loc.w, loc.h, 0.0), theme.LOCATOR_PAINT),), cls="locator",
                              title="Shown larger in the close-up"))
    cls = f"panel panel-{panel.kind}" + (" panel-closeup" if pp.crop else "")
    return Group(tuple(children), f"{pfx}-panel-{pp.id}", cls)


def _on_page(path: tuple[Segment, ...], pp: PanelPlacement) -> tuple[Segment, ...]:
    return _transformed(path, pp.transform)


@lru_cache(maxsize=4096)
def _transformed(path: tuple[Segment, ...], t: tuple[float, float, float, float]) -> tuple[Segment, ...]:
    """A path in panel units placed on the page; cached, as the same zones recur render after render."""
    dx, dy, sx, sy = t
    return tuple((seg[0], *(dx + sx * v if i % 2 == 0 else dy + sy * v for i, v in enumerate(seg[1:]))) for seg in path)


def _clip(pp: PanelPlacement) -> Box | None:
    return pp.box if pp.crop else None


def _zone(z: Zone, pp: PanelPlacement) -> Group:
    return Group((Path(_on_page(z.path, pp), theme.ZONE_PAINT[z.kind]),), z.id, f"zone zone-{z.kind}", z.title, clip=_clip(pp))


def _channel(ch: Channel, pp: PanelPlacement, name_size: float) -> Group:
    paint = theme.channel_paint(ch.style)
    children: list[Primitive] = [Path(_on_page(ch.path, pp), paint)]
    if ch.name_at is not None:  # the channel's code beside the path, so it reads without the legend
        x, y = pp.to_page(ch.points[ch.name_at])
        dx, dy = theme.CHANNEL_NAME_OFFSET
        children.append(Text(x + dx, y + dy, ch.meridian, name_size, paint.stroke, bold=True,
                             halo=theme.CHANNEL_NAME_HALO))
    return Group(tuple(children), ch.id, "channel", ch.name, (("data-meridian", ch.meridian),), clip=_clip(pp))


def _marker(m: Marker, pp: PanelPlacement, number_size: float = theme.LABEL_SIZE) -> Group:
    x, y = pp.to_page((m.x, m.y))
    cls = f"marker marker-{m.therapy}" + (f" marker-{m.placement}" if m.placement else "")
    key = theme.marker_symbol(m.layer, m.therapy, m.placement)
    data = (("data-code", m.code), ("data-side", m.side), ("data-therapy", m.therapy), ("data-layer", m.layer))
    drawn: tuple[Primitive, ...] = symbol(key, x + m.shift[0], y + m.shift[1])
    if m.number is not None and m.layer == Layer.DRY_NEEDLING:  # inside the mark's group: selecting it lights its own number
        drawn += (Text(x + m.shift[0], y + m.shift[1] + 0.36 * number_size, str(m.number[0]), number_size, theme.PAPER,
                       bold=True, anchor="middle"),)
    return Group(drawn, m.id, cls, m.title, data)


def _set_aside(m: Marker, pp: PanelPlacement) -> Group:
    """A mark set aside to stay visible: a thin line from its exact spot (a dot) to where it is drawn."""
    x, y = pp.to_page((m.x, m.y))
    line = Path((("M", x, y), ("L", x + m.shift[0], y + m.shift[1])), theme.SET_ASIDE_PAINT)
    return Group((line, *symbol("spot", x, y)), cls="set-aside", data=(("data-code", m.code),))


def _label(lab: Label) -> Group:
    ink = theme.LABEL_INK.get(lab.colour, theme.INK)
    paint = theme.LEADER_PAINT.get(lab.colour, theme.LEADER_PAINT[Layer.ACUPUNCTURE])
    ex, ey = theme.LEADER_END
    end = (lab.tx + {"right": -ex, "left": ex}.get(lab.align, 0.0), lab.ty + ey)
    # A thin line from each mark the label names, under the text's halo.
    lines = lab.routes or tuple(((ax, ay), end) for ax, ay in (lab.anchors or ((lab.px, lab.py),)))
    children: list[Primitive] = [Path((("M", *ln[0]), *(("L", *p) for p in ln[1:])), paint) for ln in lines if lab.leader]
    anchor = {"right": "start", "left": "end"}.get(lab.align, "middle")
    runs = label_runs(lab.text, lab.size)
    children.append(Text(lab.tx, lab.ty, lab.text, lab.size, ink, bold=True, anchor=anchor, halo=theme.LABEL_HALO,
                         runs=runs if len(runs) > 1 else ()))
    data = (("data-code", lab.code), ("data-therapy", lab.colour))
    return Group(tuple(children), lab.id, f"label label-{lab.colour}", None, data)


def _layer(scene: Scene, layer: str, placements: dict[str, PanelPlacement]) -> Group:
    out: list[Primitive] = []
    for item in scene.layer_items(layer):
        if isinstance(item, Zone):
            out.append(_zone(item, placements[item.panel]))
        elif isinstance(item, Channel):
            out.append(_channel(item, placements[item.panel], theme.channel_name_size(scene.label_size)))
        elif isinstance(item, Marker):
            if item.shift != (0.0, 0.0) and item.layer != Layer.PREGNANCY_CAUTIONS:
                out.append(_set_aside(item, placements[item.panel]))
            out.append(_marker(item, placements[item.panel], scene.label_size))  # numbers as large as the labels
        elif isinstance(item, Label):
            out.append(_label(item))
    return Group(tuple(out), f"{scene.id_prefix}-layer-{layer}", f"layer layer-{layer}", data=(("data-layer", layer),))


def _highlights(scene: Scene, placements: dict[str, PanelPlacement]) -> Group:
    wanted = {h.lower() for h in scene.highlight}
    rings: list[Primitive] = []
    for m in scene.markers:
        if m.code.lower() in wanted or (m.muscle or "").lower() in wanted:
            x, y = placements[m.panel].to_page((m.x, m.y))
            rings.extend(symbol("highlight", x + m.shift[0], y + m.shift[1]))
    return Group(tuple(rings), f"{scene.id_prefix}-layer-highlight", "layer layer-highlight", data=(("data-layer", "highlight"),))


def _header(scene: Scene) -> Group:
    box = scene.page().box("header")
    titles = title_lines(scene.title, scene.width)
    texts = [Text(box.x + theme.MARGIN, box.y + theme.TITLE_BASELINE + n * theme.TITLE_LINE, line, theme.TITLE_SIZE, theme.INK,
                  bold=True) for n, line in enumerate(titles)]
    below = box.y + theme.SUBTITLE_BASELINE + (len(titles) - 1) * theme.TITLE_LINE
    texts += [Text(box.x + theme.MARGIN, below + n * theme.HEADLINE_LINE, line, theme.SUBTITLE_SIZE, theme.MUTED, cls="headline")
              for n, line in enumerate(headline_lines(scene.headline or scene.subtitle, scene.width))]
    return Group(tuple(texts), f"{scene.id_prefix}-header", "header")


def legend_items(scene: Scene) -> tuple[Primitive, ...]:
    """The legend's symbols and texts, in the rows the layout measured."""
    box = scene.page().box("legend")
    entries = iter(scene.legend)
    out: list[Primitive] = []
    for r, row in enumerate(scene.page().legend_rows):
        cy = box.y + theme.LEGEND_ROW / 2 + r * theme.LEGEND_ROW
        for _key, dx in row:
            entry = next(entries)
            cx = box.x + dx
            parts = (*symbol(entry.key, cx + theme.LEGEND_SWATCH_DX, cy, theme.LEGEND_SCALE.get(entry.key, 1.0)),
                     Text(cx + theme.LEGEND_TEXT_DX, cy + 4, entry.text, theme.LEGEND_SIZE, theme.INK))
            layer = theme.LEGEND_LAYER.get(entry.key)  # so a page that hides a layer can hide its entry too
            out.append(Group(parts, cls="legend-entry", data=(("data-layer", layer),) if layer else ()))
    return tuple(out)


def _notes(scene: Scene) -> Group:
    """The sources line and the disclaimer (bold), as the layout wrapped them."""
    box = scene.page().box("notes")
    y = box.y + theme.NOTES_PAD / 2 + theme.NOTE_SIZE
    out = []
    for n, (line, bold) in enumerate(scene.page().notes):
        out.append(Text(box.x, y + n * theme.NOTE_LINE, line, theme.NOTE_SIZE, theme.INK if bold else theme.MUTED, bold=bold,
                        cls="disclaimer" if bold else None))
    return Group(tuple(out), f"{scene.id_prefix}-notes", "notes")


def compile_scene(scene: Scene, *, header: bool = True, legend: bool = True, notes: bool = True) -> DrawList:
    """The scene as primitives, bottom to top, with the parts asked for."""
    pfx = scene.id_prefix
    placements = {pp.id: pp for pp in scene.panels}
    groups: list[Group] = [_header(scene)] if header else []
    locators: dict[str, list[Box]] = {}
    for body, _closeup, crop in scene.locators:
        pp = placements[body]
        (x0, y0), (x1, y1) = pp.to_page(crop[:2]), pp.to_page(crop[2:])
        locators.setdefault(body, []).append(Box(min(x0, x1), y0, abs(x1 - x0), y1 - y0))
    groups.append(Group(tuple(_panel(pp, pfx, locators.get(pp.id, []), scene.width) for pp in scene.panels), f"{pfx}-figures",
                        "figures"))
    groups.extend(_layer(scene, layer, placements) for layer in LAYER_ORDER if layer in scene.overlays)
    if scene.highlight:
        groups.append(_highlights(scene, placements))
    if legend:
        groups.append(Group(legend_items(scene), f"{pfx}-legend", "legend"))
    if notes:
        groups.append(_notes(scene))
    counts: dict[str, int] = {t: sum(1 for m in scene.markers if m.layer == t) for t in (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE)}
    description = (f"Body diagram for {scene.complaint_name}. {counts['dry-needling']} dry-needling markers, "
                   f"{counts['acupuncture']} acupuncture markers. {scene.disclaimer}")
    return DrawList(scene.width, scene.height, scene.page().bounds(header, legend, notes), pfx,
                    f"{scene.title}: {scene.subtitle}", description, tuple(groups))
