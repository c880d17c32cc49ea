"""The export formats, registered once: renderer, file suffix, MIME type, paper, atlas. api, the CLI and the app read it.

A new format is one `Format` entry here and one renderer `(scene, catalog, options) -> str | bytes`.
Renderers import their backend on first use, so `import bodymap` stays cheap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from bodymap.content.options import RenderOptions
from bodymap.content.scenetypes import Scene
from bodymap.core.errors import OptionError
from bodymap.data.catalog import Catalog
from bodymap.figures.loading import resolve_catalog

Renderer = Callable[[Scene, "Catalog | None", RenderOptions], "str | bytes"]


@dataclass(frozen=True)
class Format:
    name: str  # what -f and render(format=...) take
    label: str  # the app's download button
    suffix: str  # the file suffix it writes (the CLI infers the format from it when it is unique to one format)
    mime: str
    render: Renderer
    paper: bool = False  # takes --paper (a4, letter)
    atlas: bool = False  # the atlas exports in it
    stem: str = ""  # added to the default file name: neck-pain-handout.pdf

    @property
    def file_suffix(self) -> str:
        """The ending of a default file name: '.svg', '-handout.pdf'."""
        return f"{self.stem}{self.suffix}"


def _svg(scene: Scene, catalog: Catalog | None, options: RenderOptions) -> str:
    from bodymap.backends.svg import render_svg

    return render_svg(scene, options)


def _json(scene: Scene, catalog: Catalog | None, options: RenderOptions) -> str:
    return json.dumps(scene.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)


def _png(scene: Scene, catalog: Catalog | None, options: RenderOptions) -> bytes:
    from bodymap.backends.mpl import render_image

    return render_image(scene, "png", options)


def _pdf(scene: Scene, catalog: Catalog | None, options: RenderOptions) -> bytes:
    if options.paper in (None, "fit"):  # the free-size page -f pdf always gave
        from bodymap.backends.mpl import render_image

        return render_image(scene, "pdf", options)
    from bodymap.documents.handout import render_figure_pdf

    return render_figure_pdf(scene, options.paper)


def _handout(scene: Scene, catalog: Catalog | None, options: RenderOptions) -> bytes:
    from bodymap.documents.handout import render_handout

    cat = catalog if catalog is not None else resolve_catalog(None)
    return render_handout(scene, cat, paper=options.paper or "a4", clinic=options.clinic)


def _reference(scene: Scene, catalog: Catalog | None, options: RenderOptions) -> bytes:
    from bodymap.documents.handout import render_reference

    cat = catalog if catalog is not None else resolve_catalog(None)
    return render_reference(scene, cat, paper=options.paper or "a4", clinic=options.clinic)


# In the order of the app's download buttons.
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("svg", "SVG", ".svg", "image/svg+xml", _svg, atlas=True),
    Format("png", "PNG", ".png", "image/png", _png, atlas=True),
    Format("pdf", "PDF", ".pdf", "application/pdf", _pdf, paper=True, atlas=True),
    Format("handout", "Handout (patient)", ".pdf", "application/pdf", _handout, paper=True, stem="-handout"),
    Format("reference", "Reference (clinician)", ".pdf", "application/pdf", _reference, paper=True, stem="-reference"),
    Format("json", "JSON", ".json", "application/json", _json, atlas=True),
)}
ATLAS_FORMATS = tuple(name for name, f in FORMATS.items() if f.atlas)


def get_format(name: object) -> Format:
    """The registered format, or a one-line OptionError listing them."""
    if not isinstance(name, str) or name not in FORMATS:
        raise OptionError(f"unknown format {name!r}; valid: {', '.join(FORMATS)}")
    return FORMATS[name]
