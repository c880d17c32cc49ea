"""The atlas: every acupoint and trigger point of the catalog on every panel, labelled."""

from __future__ import annotations

import json
from pathlib import Path

from .api import resolve_catalog
from .catalog import Catalog
from .errors import OptionError
from .geometry import load_panels
from .scene import Scene, build_atlas


def atlas_scene(data: Catalog | str | Path | None = None, overlays=None) -> Scene:
    return build_atlas(resolve_catalog(data), load_panels(), overlays)


def render_atlas(fmt: str = "svg", dpi: float = 150, data: Catalog | str | Path | None = None, overlays=None) -> str | bytes:
    scene = atlas_scene(data, overlays)
    if fmt == "svg":
        from .render_svg import render_svg

        return render_svg(scene)
    if fmt == "json":
        return json.dumps(scene.to_dict(), ensure_ascii=False, indent=1)
    if fmt in ("png", "pdf"):
        from .render_mpl import render_image

        return render_image(scene, fmt, dpi=dpi)
    raise OptionError(f"the atlas exports as svg, png, pdf or json, not {fmt!r}")
