"""The pain-region picker's drawing and the outline of the chosen regions on a complaint's figure.

The picker SVG is built here from bodymap's region data and figure outlines; every name goes
through XML escaping. Python decides what a tap means (bodymap.regions.complaints_for).
"""

from __future__ import annotations

import functools
import re
from xml.sax.saxutils import escape, quoteattr

from bodymap.core.theme import APP_COLOURS, PAPER, SKIN, SKIN_EDGE
from bodymap.figures.geometry import load_panels
from bodymap.regions import RegionShape, region_shapes

# The front figure on the left, the back on the right, as paper body maps print them.
FIGURES = (("body-anterior", "Front", 0.0), ("body-posterior", "Back", 450.0))
VIEW_NAME = {"body-anterior": "front", "body-posterior": "back"}
TOP = 30.0  # room for the figure titles
OUTLINE_STROKE = APP_COLOURS["region-chosen-edge"]  # the chosen regions on a figure: dark enough on skin and on paper (>= 3:1)


def key_of(shape: RegionShape) -> str:
    """One tappable area: `hip:right:back`."""
    return f"{shape.region}:{shape.side}:{VIEW_NAME[shape.panel]}"


def label_of(shape: RegionShape) -> str:
    side = "" if shape.side == "midline" else f"{shape.side.capitalize()} "
    name = shape.name if not side else shape.name[0].lower() + shape.name[1:]
    return f"{side}{name} ({VIEW_NAME[shape.panel]})"


def path_d(points, dx: float = 0.0, dy: float = 0.0) -> str:
    return "M" + "L".join(f"{x + dx:.1f},{y + dy:.1f}" for x, y in points) + "Z"


@functools.cache
def picker_svg() -> str:
    return draw_picker(region_shapes())


def draw_picker(shapes: tuple[RegionShape, ...]) -> str:
    """Front and back bodies with one focusable, named path per area, clipped to the body's outline."""
    panels = load_panels()
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="bmp-svg" viewBox="0 0 890 {1000 + TOP:.0f}" '
             'role="group" aria-label="Body map: front and back. Choose where it hurts.">']
    for panel_id, title, dx in FIGURES:
        panel = panels[panel_id]
        outline = path_d(panel.outlines[0], dx, TOP)
        clip = f"bmp-clip-{VIEW_NAME[panel_id]}"
        parts.append(f'<clipPath id="{clip}"><path d="{outline}"/></clipPath>')
        parts.append(f'<text class="bmp-title" x="{dx + panel.width / 2:.0f}" y="22" text-anchor="middle">{escape(title)}</text>')
        parts.append(f'<path class="bmp-body" d="{outline}" fill="{SKIN}" stroke="{SKIN_EDGE}" stroke-width="1.5"/>')
        parts.append(f'<g clip-path="url(#{clip})">')
        for shape in (s for s in shapes if s.panel == panel_id):
            label = label_of(shape)
            parts.append(f'<path class="bmp-region" d="{path_d(shape.points, dx, TOP)}" fill="{PAPER}" fill-opacity="0.01" '
                         f'stroke="{SKIN_EDGE}" stroke-width="1" data-key={quoteattr(key_of(shape))} '
                         f'data-region={quoteattr(shape.region)} tabindex="0" role="button" aria-pressed="false" '
                         f'aria-label={quoteattr(label)}><title>{escape(label)}</title></path>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def regions_of(keys: list[str]) -> list[str]:
    """Region ids of tapped keys, in tap order, once each; anything that is not a drawn area is dropped."""
    known = {key_of(s): s.region for s in region_shapes()}
    return list(dict.fromkeys(known[k] for k in keys if isinstance(k, str) and k in known))


def outline_regions(svg: str, prefix: str, keys: list[str]) -> str:
    """The figure with the tapped areas outlined on its body panels (drawn in the panel's own units)."""
    if not keys:  # every rerun of a complaint's page passes through here; most have nothing picked
        return svg
    shapes = {key_of(s): s for s in region_shapes()}
    chosen = [shapes[k] for k in keys if k in shapes]
    if not chosen:
        return svg
    for panel_id in VIEW_NAME:
        mine = [s for s in chosen if s.panel == panel_id]
        if not mine:
            continue
        # The panel and its close-up, if any: after each one's body outline, whose transform maps panel units onto the page.
        heads = re.compile(rf'<g class="panel panel-body( panel-closeup)?" id="{re.escape(prefix)}-panel-{panel_id}(-closeup)?">')
        for head in reversed(list(heads.finditer(svg))):
            art = re.compile(r'<path class="outline" [^>]*/>').search(svg, head.end())
            if art is None:
                continue
            found = re.search(r' transform="[^"]*"', art.group(0))
            transform = found.group(0) if found else ""
            svg = svg[:art.end()] + "".join(_outline(s, transform) for s in mine) + svg[art.end():]
    return svg


def _outline(shape: RegionShape, transform: str) -> str:
    scale = _scale(transform)
    return (f'<path class="pain-region" d="{path_d(shape.points)}"{transform} fill="{OUTLINE_STROKE}" fill-opacity="0.1" '
            f'stroke="{OUTLINE_STROKE}" stroke-width="{2.5 / scale:.2f}" stroke-linejoin="round">'
            f'<title>{escape("Where it hurts: " + label_of(shape))}</title></path>')


def _scale(transform: str) -> float:
    """The scale of a `translate(..) scale(s)` transform, so the outline keeps its width on the page."""
    m = re.search(r"scale\(([0-9.]+)", transform)
    return float(m.group(1)) if m and float(m.group(1)) > 0 else 1.0


__all__ = ["draw_picker", "key_of", "label_of", "outline_regions", "picker_svg", "regions_of"]
