"""The svgwrite backend: a draw list as one line of SVG (paths, circles, texts and titled groups).

The output is a single line (Streamlit's markdown would turn an indented or blank line into a
code block), every text is escaped by the XML serialiser, and characters that XML 1.0 forbids
are replaced, so no label can break out of its element.
"""

from __future__ import annotations

import re
from functools import lru_cache

import svgwrite
from svgwrite.base import Desc, Title

from bodymap.content.options import RenderOptions
from bodymap.content.scenetypes import Scene
from bodymap.core import theme
from bodymap.core.theme import Paint
from bodymap.draw.drawlist import Circle, DrawList, Group, Path, Primitive, Text, compile_scene

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
HATCH = "hatch"


def clean(text: str) -> str:
    """Text safe for XML 1.0 (the serialiser escapes <, > and &; this removes what it cannot)."""
    return _XML_FORBIDDEN.sub("\ufffd", text)


def _num(v: float) -> str:
    # A tenth of a page unit (1/960 inch) is finer than any printer or screen shows.
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def path_data(segments) -> str:
    # One f-string per segment: path data is most of an SVG's text and of its build time.
    out = []
    for seg in segments:
        op = seg[0]
        if op == "C":
            out.append(f"C{seg[1]:.1f},{seg[2]:.1f} {seg[3]:.1f},{seg[4]:.1f} {seg[5]:.1f},{seg[6]:.1f}")
        elif op == "Z":
            out.append("Z")
        else:
            out.append(f"{op}{seg[1]:.1f},{seg[2]:.1f}")
    return "".join(out)


_D_CACHE: dict[int, tuple[object, str]] = {}


def _cached_d(segments) -> str:
    """Outlines and zones recur render after render (their tuples are cached upstream): format each once, by identity."""
    hit = _D_CACHE.get(id(segments))
    if hit is not None and hit[0] is segments:
        return hit[1]
    if len(_D_CACHE) > 4096:
        _D_CACHE.clear()
    d = path_data(segments)
    _D_CACHE[id(segments)] = (segments, d)  # the entry keeps the tuple alive, so its id is not reused
    return d


@lru_cache(maxsize=512)
def _paint(paint: Paint, pfx: str, k: float = 1.0) -> dict[str, str | float]:
    """SVG presentation attributes; `k` is the transform's scale, which stroke widths are divided by.

    Cached (a theme has a few dozen paints); callers unpack it and never change it.
    """
    a: dict[str, str | float] = {"fill": f"url(#{pfx}-{paint.pattern})" if paint.pattern else paint.fill}
    if paint.fill_opacity != 1.0 and not paint.pattern:
        a["fill_opacity"] = paint.fill_opacity
    if paint.stroke != "none":
        a["stroke"] = paint.stroke
        a["stroke_width"] = _num(paint.width / k)
        if paint.stroke_opacity != 1.0:
            a["stroke_opacity"] = paint.stroke_opacity
        if paint.dash:
            a["stroke_dasharray"] = ",".join(_num(d / k) for d in paint.dash)
        if paint.join:
            a["stroke_linejoin"] = paint.join
        if paint.cap:
            a["stroke_linecap"] = paint.cap
    return a


def _clip_id(dwg: svgwrite.Drawing, box, pfx: str) -> str:
    """A clipPath for a page box, defined once per drawing."""
    key = f"{pfx}-clip-{_num(box.x)}-{_num(box.y)}-{_num(box.w)}-{_num(box.h)}".replace(".", "_")
    known: set[str] = getattr(dwg, "_bodymap_clips", set())
    if key not in known:
        clip = dwg.clipPath(id=key)
        clip.add(dwg.rect((box.x, box.y), (box.w, box.h)))
        dwg.defs.add(clip)
        known.add(key)
        dwg._bodymap_clips = known
    return key


def _element(dwg: svgwrite.Drawing, p: Primitive, pfx: str):
    if isinstance(p, Group):
        attrs = {"class_": p.cls} if p.cls else {}
        if p.clip is not None:
            attrs["clip_path"] = f"url(#{_clip_id(dwg, p.clip, pfx)})"
        g = dwg.g(id=p.id, **attrs) if p.id else dwg.g(**attrs)
        g.attribs.update(dict(p.data))
        if p.title is not None:
            g.add(Title(clean(p.title)))
        for child in p.children:
            g.add(_element(dwg, child, pfx))
        return g
    if isinstance(p, Circle):  # numbers formatted here: shorter text, and faster than svgwrite's own
        return dwg.circle((_num(p.cx), _num(p.cy)), _num(p.r), **_paint(p.paint, pfx))
    if isinstance(p, Path):
        if p.transform is None:
            return dwg.path(d=_cached_d(p.segments), **_paint(p.paint, pfx))
        dx, dy, sx, sy = p.transform
        attrs = {"class_": p.cls} if p.cls else {}
        scale = f"scale({sx:.5f})" if sx == sy else f"scale({sx:.5f},{sy:.5f})"
        return dwg.path(d=_cached_d(p.segments), transform=f"translate({_num(dx)},{_num(dy)}) {scale}",
                        **_paint(p.paint, pfx, abs(sy)), **attrs)
    return _text(dwg, p)


def _text(dwg: svgwrite.Drawing, t: Text):
    attrs: dict[str, str | float] = {"font_size": _num(t.size), "fill": t.fill}
    if t.bold:
        attrs["font_weight"] = "bold"
    if t.anchor != "start":
        attrs["text_anchor"] = t.anchor
    if t.spacing:
        attrs["letter_spacing"] = _num(t.spacing)
    if t.halo:  # a paper-coloured stroke under the glyphs keeps text legible where it crosses lines
        attrs.update(stroke=theme.PAPER, stroke_width=_num(t.halo), paint_order="stroke", stroke_linejoin="round")
    if t.cls:
        attrs["class_"] = t.cls
    return dwg.text(clean(t.text), insert=(_num(t.x), _num(t.y)), **attrs)


def _hatch(dwg: svgwrite.Drawing, pfx: str) -> None:
    s = theme.HATCH_SPACING
    fill, line = theme.ZONE_PAINT["danger"], theme.HATCH_LINE_PAINT
    pattern = dwg.pattern(id=f"{pfx}-{HATCH}", size=(s, s), patternUnits="userSpaceOnUse", patternTransform="rotate(45)")
    pattern.add(dwg.rect((0, 0), (s, s), fill=fill.fill, fill_opacity=fill.fill_opacity))
    pattern.add(dwg.line((s / 2, 0), (s / 2, s), stroke=line.stroke, stroke_width=line.width, stroke_opacity=line.stroke_opacity))
    dwg.defs.add(pattern)


def draw_svg(dl: DrawList) -> str:
    """The draw list as SVG text (one line, UTF-8 safe)."""
    pfx = dl.root_id
    x0, y0, x1, y1 = dl.bounds
    dwg = svgwrite.Drawing(size=(f"{_num(x1 - x0)}px", f"{_num(y1 - y0)}px"), debug=False, profile="full")
    dwg.viewbox(x0, y0, x1 - x0, y1 - y0)
    dwg.attribs.update({"role": "img", "aria-labelledby": f"{pfx}-title {pfx}-desc", "id": pfx, "class": "bodymap",
                        "font-family": theme.FONT_STACK})
    for n, (kind, text, suffix) in enumerate(((Title, dl.title, "title"), (Desc, dl.description, "desc"))):
        el = kind(clean(text))
        el.xml.set("id", f"{pfx}-{suffix}")
        dwg.elements.insert(n, el)
    _hatch(dwg, pfx)
    dwg.add(dwg.rect((x0, y0), (x1 - x0, y1 - y0), fill=dl.background, id=f"{pfx}-background"))
    for group in dl.items:
        dwg.add(_element(dwg, group, pfx))
    return dwg.tostring()


def render_svg(scene: Scene, options: RenderOptions | None = None) -> str:
    """The scene as SVG text (ids prefixed with scene.id_prefix).

    Every backend takes the render's options; none of them changes an SVG today (it has no
    resolution, and its background stays so that a page shows the figure as the PNG does).
    """
    return draw_svg(compile_scene(scene))
