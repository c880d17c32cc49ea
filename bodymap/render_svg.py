"""Draw a Scene as SVG with svgwrite: one <g> per layer, one titled <g> per marker.

The output is a single line (Streamlit's markdown would turn an indented or blank line into
a code block), every text is escaped by the XML serialiser, and characters that XML 1.0
forbids are replaced, so no label can break out of its element.
"""

from __future__ import annotations

import re
import svgwrite
from svgwrite.base import Title

from . import style
from .curves import catmull_rom
from .geometry import Panel, Point
from .scene import SOURCES_LINE, Channel, Label, Marker, PanelPlacement, Scene, Zone

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text safe for XML 1.0 (the serialiser escapes <, > and &; this removes what it cannot)."""
    return _XML_FORBIDDEN.sub("\ufffd", text)


def _num(v: float) -> str:
    # A tenth of a page unit (1/960 inch) is finer than any printer or screen shows.
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _poly_d(points: tuple[Point, ...] | list[Point], closed: bool = True) -> str:
    head = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
    body = "".join(f"L{x:.1f},{y:.1f}" for x, y in points[1:])
    return head + body + ("Z" if closed else "")


def smooth_d(points: tuple[Point, ...] | list[Point], closed: bool) -> str:
    # One f-string per segment: path data is most of an SVG's text and of its build time.
    segs = catmull_rom(points, closed=closed)
    d = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    d.extend(f"C{a:.1f},{b:.1f} {c:.1f},{e:.1f} {x:.1f},{y:.1f}" for (a, b), (c, e), (x, y) in segs)
    return "".join(d) + ("Z" if closed else "")


_ART_CACHE: dict[int, tuple[Panel, str, str]] = {}


def _panel_art(panel: Panel) -> tuple[str, str]:
    """Outline and detail path data of a panel, computed once per panel object (panels are frozen).

    Keyed by identity because the model holds dicts and is not hashable; the entry keeps the
    panel alive, so an id cannot be reused while it is cached.
    """
    hit = _ART_CACHE.get(id(panel))
    if hit is not None and hit[0] is panel:
        return hit[1], hit[2]
    # One path for the silhouette and one for all detail lines: they share a style, and fewer
    # elements make a much smaller, faster SVG than one path per line.
    outlines = "".join(_poly_d(poly) for poly in panel.outlines)
    details = "".join(_poly_d(d.points, d.closed) for d in panel.details)
    if len(_ART_CACHE) > 64:
        _ART_CACHE.clear()
    _ART_CACHE[id(panel)] = (panel, outlines, details)
    return outlines, details


def _titled(dwg: svgwrite.Drawing, elem_id: str, title: str, class_: str, **attrs) -> svgwrite.container.Group:
    g = dwg.g(id=elem_id, class_=class_, **attrs)
    g.add(Title(clean(title)))
    return g


def render_svg(scene: Scene) -> str:
    """The scene as SVG text (one line, UTF-8 safe, ids prefixed with scene.id_prefix)."""
    pfx = scene.id_prefix
    dwg = svgwrite.Drawing(size=(f"{_num(scene.width)}px", f"{_num(scene.height)}px"), debug=False, profile="full")
    dwg.viewbox(0, 0, scene.width, scene.height)
    dwg.attribs.update({"role": "img", "aria-labelledby": f"{pfx}-title {pfx}-desc", "id": pfx, "class": "bodymap",
                        "font-family": style.FONT_STACK})
    title = Title(clean(f"{scene.title}: {scene.subtitle}"))
    title.xml.set("id", f"{pfx}-title")
    dwg.elements.insert(0, title)
    desc = svgwrite.base.Desc(clean(
        f"Body diagram for {scene.complaint_name}. {len([m for m in scene.markers if m.layer == 'dry-needling'])} dry-needling "
        f"markers, {len([m for m in scene.markers if m.layer == 'acupuncture'])} acupuncture markers. {scene.disclaimer}"))
    desc.xml.set("id", f"{pfx}-desc")
    dwg.elements.insert(1, desc)
    _defs(dwg, pfx)
    dwg.add(dwg.rect((0, 0), (scene.width, scene.height), fill=style.PAPER, id=f"{pfx}-background"))
    _header(dwg, scene)
    figures = dwg.g(id=f"{pfx}-figures", class_="figures")
    for pp in scene.panels:
        figures.add(_panel(dwg, pp, pfx))
    dwg.add(figures)

    placements = {pp.panel.id: pp for pp in scene.panels}
    for layer in _layers_present(scene):
        group = dwg.g(id=f"{pfx}-layer-{layer}", class_=f"layer layer-{layer}")
        for item in scene.layer_items(layer):
            pp = placements[item.panel]
            if isinstance(item, Zone):
                group.add(_zone(dwg, item, pp, pfx))
            elif isinstance(item, Channel):
                group.add(_channel(dwg, item, pp))
            elif isinstance(item, Marker):
                group.add(_marker(dwg, item, pp, pfx))
            elif isinstance(item, Label):
                group.add(_label(dwg, item))
        dwg.add(group)
    if scene.highlight:
        _highlights(dwg, scene, placements)
    _footer(dwg, scene)
    return dwg.tostring()


def _layers_present(scene: Scene) -> list[str]:
    from .scene import LAYER_ORDER

    return [layer for layer in LAYER_ORDER if layer in scene.overlays]


def _defs(dwg: svgwrite.Drawing, pfx: str) -> None:
    hatch = dwg.pattern(id=f"{pfx}-hatch", size=(7, 7), patternUnits="userSpaceOnUse", patternTransform="rotate(45)")
    hatch.add(dwg.rect((0, 0), (7, 7), fill=style.YELLOW, fill_opacity=0.35))
    hatch.add(dwg.line((3.5, 0), (3.5, 7), stroke="#7A5A00", stroke_width=0.8, stroke_opacity=0.7))
    dwg.defs.add(hatch)


def _header(dwg: svgwrite.Drawing, scene: Scene) -> None:
    g = dwg.g(id=f"{scene.id_prefix}-header", class_="header", fill=style.INK)
    g.add(dwg.text(clean(scene.title), insert=(24, 36), font_size=style.TITLE_SIZE, font_weight="bold"))
    g.add(dwg.text(clean(scene.subtitle), insert=(24, 58), font_size=style.SUBTITLE_SIZE, fill=style.MUTED))
    dwg.add(g)


def _panel(dwg: svgwrite.Drawing, pp: PanelPlacement, pfx: str) -> svgwrite.container.Group:
    panel = pp.panel
    outer = dwg.g(id=f"{pfx}-panel-{panel.id}", class_=f"panel panel-{panel.kind}")
    outer.add(dwg.text(clean(panel.title), insert=(pp.x + 2, pp.y + 10), font_size=style.PANEL_TITLE_SIZE,
                       fill=style.MUTED, letter_spacing="0.5"))
    art = dwg.g(transform=f"translate({_num(pp.x)},{_num(pp.y)}) scale({pp.scale:.5f})")
    outlines, details = _panel_art(panel)
    s = pp.scale
    art.add(dwg.path(d=outlines, fill=style.SKIN, stroke=style.SKIN_EDGE, stroke_width=_num(style.OUTLINE_WIDTH / s),
                     stroke_linejoin="round", class_="outline"))
    if details:
        art.add(dwg.path(d=details, fill="none", stroke=style.DETAIL, stroke_width=_num(style.DETAIL_WIDTH / s),
                         stroke_linecap="round", stroke_linejoin="round", class_="details"))
    outer.add(art)
    return outer


def _zone(dwg: svgwrite.Drawing, zone: Zone, pp: PanelPlacement, pfx: str):
    pts = [pp.to_page(p) for p in zone.points]
    g = _titled(dwg, zone.id, zone.title, f"zone zone-{zone.kind}")
    if zone.kind == "referral":
        g.add(dwg.path(d=smooth_d(pts, True), fill=style.VERMILLION, fill_opacity=0.2, stroke=style.VERMILLION,
                       stroke_width=1, stroke_dasharray="4,3", stroke_opacity=0.8))
    elif zone.kind == "muscle":
        g.add(dwg.path(d=smooth_d(pts, True), fill=style.VERMILLION, fill_opacity=style.MUSCLE_FILL_OPACITY,
                       stroke=style.VERMILLION, stroke_width=style.MUSCLE_EDGE, stroke_opacity=style.MUSCLE_EDGE_OPACITY))
    else:
        g.add(dwg.path(d=smooth_d(pts, True), fill=f"url(#{pfx}-hatch)", stroke="#7A5A00", stroke_width=1,
                       stroke_opacity=0.8))
    return g


def _channel(dwg: svgwrite.Drawing, ch: Channel, pp: PanelPlacement):
    pts = [pp.to_page(p) for p in ch.points]
    colour, dash = style.channel_style(ch.style)
    g = _titled(dwg, ch.id, ch.name, "channel", **{"data-meridian": ch.meridian})
    attrs = {"fill": "none", "stroke": colour, "stroke_width": style.CHANNEL_WIDTH, "stroke_opacity": 0.75,
             "stroke_linecap": "round"}
    if dash:
        attrs["stroke_dasharray"] = ",".join(_num(v) for v in dash)
    g.add(dwg.path(d=smooth_d(pts, False), **attrs))
    if ch.name_at is not None:  # the channel's code beside the path, so it reads without the legend
        x, y = pts[ch.name_at]
        g.add(dwg.text(ch.meridian, insert=(x + 5, y - 5), font_size=9, fill=colour, font_weight="bold",
                       stroke=style.PAPER, stroke_width=2.5, paint_order="stroke"))
    return g


def _marker(dwg: svgwrite.Drawing, m: Marker, pp: PanelPlacement, pfx: str):
    x, y = pp.to_page((m.x, m.y))
    classes = f"marker marker-{m.therapy}" + (f" marker-{m.placement}" if m.placement else "")
    g = _titled(dwg, m.id, m.title, classes, **{"data-code": m.code, "data-side": m.side})
    if m.layer == "pregnancy-cautions":
        g.add(dwg.circle((x, y), style.CAUTION_RADIUS, fill="none", stroke=style.PURPLE, stroke_width=2.2,
                         stroke_dasharray="3,2"))
    elif m.therapy == "dry-needling":
        r = style.DIAMOND_RADIUS
        g.add(dwg.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=style.VERMILLION, stroke=style.INK,
                          stroke_width=style.MARKER_EDGE, stroke_linejoin="round"))
    elif m.placement == "distal":
        g.add(dwg.circle((x, y), style.MARKER_RADIUS + 1.5, fill=style.INK))
        g.add(dwg.circle((x, y), style.MARKER_RADIUS + 0.2, fill=style.PAPER, stroke=style.BLUE, stroke_width=style.DISTAL_RING))
        g.add(dwg.circle((x, y), 2.2, fill=style.BLUE))
    else:
        g.add(dwg.circle((x, y), style.MARKER_RADIUS, fill=style.BLUE, stroke=style.INK, stroke_width=style.MARKER_EDGE))
    return g


def _label(dwg: svgwrite.Drawing, lab: Label):
    colour = style.label_colour(lab.colour)
    g = dwg.g(id=lab.id, class_="label")
    if lab.leader:
        end_x = lab.tx + (-2 if lab.align == "right" else 2)
        g.add(dwg.line((lab.px, lab.py), (end_x, lab.ty - 4), stroke=colour, stroke_width=0.8, stroke_opacity=0.7))
    # A white halo (paint-order stroke) keeps labels legible where they cross lines.
    g.add(dwg.text(clean(lab.text), insert=(lab.tx, lab.ty), font_size=style.LABEL_SIZE,
                   text_anchor="start" if lab.align == "right" else "end", fill=colour,
                   stroke=style.PAPER, stroke_width=3, paint_order="stroke", stroke_linejoin="round", font_weight="bold"))
    return g


def _highlights(dwg: svgwrite.Drawing, scene: Scene, placements) -> None:
    wanted = {h.lower() for h in scene.highlight}
    g = dwg.g(id=f"{scene.id_prefix}-layer-highlight", class_="layer layer-highlight")
    for m in scene.markers:
        if m.code.lower() in wanted or (m.muscle or "").lower() in wanted:
            x, y = placements[m.panel].to_page((m.x, m.y))
            g.add(dwg.circle((x, y), style.HIGHLIGHT_RADIUS, fill="none", stroke=style.INK, stroke_width=4))
            g.add(dwg.circle((x, y), style.HIGHLIGHT_RADIUS, fill="none", stroke=style.YELLOW, stroke_width=2.5))
    dwg.add(g)


def legend_swatch(dwg: svgwrite.Drawing, key: str, x: float, y: float, pfx: str):
    """The small symbol drawn in front of a legend entry (same shapes as the markers)."""
    g = dwg.g()
    if key == "dry-needling":
        r = style.DIAMOND_RADIUS
        g.add(dwg.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=style.VERMILLION, stroke=style.INK,
                          stroke_width=style.MARKER_EDGE))
    elif key == "acupuncture-local":
        g.add(dwg.circle((x, y), style.MARKER_RADIUS, fill=style.BLUE, stroke=style.INK, stroke_width=style.MARKER_EDGE))
    elif key == "acupuncture-distal":
        g.add(dwg.circle((x, y), style.MARKER_RADIUS + 1.5, fill=style.INK))
        g.add(dwg.circle((x, y), style.MARKER_RADIUS + 0.2, fill=style.PAPER, stroke=style.BLUE, stroke_width=style.DISTAL_RING))
        g.add(dwg.circle((x, y), 2.2, fill=style.BLUE))
    elif key == "referral-zone":
        g.add(dwg.rect((x - 9, y - 6), (18, 12), rx=5, fill=style.VERMILLION, fill_opacity=0.2, stroke=style.VERMILLION,
                       stroke_dasharray="4,3"))
    elif key == "muscle-outline":
        g.add(dwg.rect((x - 9, y - 6), (18, 12), rx=6, fill=style.VERMILLION, fill_opacity=style.MUSCLE_FILL_OPACITY,
                       stroke=style.VERMILLION, stroke_opacity=style.MUSCLE_EDGE_OPACITY, stroke_width=style.MUSCLE_EDGE))
    elif key == "meridian":
        g.add(dwg.path(d=f"M{x - 10},{y + 3} C{x - 4},{y - 6} {x + 4},{y + 8} {x + 10},{y - 3}", fill="none",
                       stroke=style.BLUE, stroke_width=style.CHANNEL_WIDTH))
    elif key == "danger-zone":
        g.add(dwg.rect((x - 9, y - 6), (18, 12), fill=f"url(#{pfx}-hatch)", stroke="#7A5A00"))
    elif key == "pregnancy-caution":
        g.add(dwg.circle((x, y), 7, fill="none", stroke=style.PURPLE, stroke_width=2.2, stroke_dasharray="3,2"))
    return g


def _footer(dwg: svgwrite.Drawing, scene: Scene) -> None:
    from .scene import LEGEND_ROW, footer_height

    top = scene.height - footer_height(len(scene.legend)) + 28
    g = dwg.g(id=f"{scene.id_prefix}-legend", class_="legend", fill=style.INK)
    col_width = max(330.0, (scene.width - 48) / 2)
    for i, entry in enumerate(scene.legend):
        cx = 24 + (i % 2) * col_width
        cy = top + (i // 2) * LEGEND_ROW
        g.add(legend_swatch(dwg, entry.key, cx + 10, cy, scene.id_prefix))
        g.add(dwg.text(clean(entry.text), insert=(cx + 28, cy + 4), font_size=style.LEGEND_SIZE))
    dwg.add(g)
    note = dwg.g(id=f"{scene.id_prefix}-notes", class_="notes", fill=style.MUTED, font_size=style.NOTE_SIZE)
    note.add(dwg.text(SOURCES_LINE, insert=(24, scene.height - 34)))
    note.add(dwg.text(clean(scene.disclaimer), insert=(24, scene.height - 16), font_weight="bold", fill=style.INK,
                      class_="disclaimer"))
    dwg.add(note)
