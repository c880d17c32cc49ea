"""The atlas scene: every acupoint and trigger point of the catalog on every panel, labelled.

Formats are dispatched by `bodymap.api.render_atlas`, as for a complaint.
"""

from __future__ import annotations

from pathlib import Path

from .catalog import Catalog
from .geometry import load_panels
from .loading import resolve_catalog
from .scene import Scene, build_atlas


def atlas_scene(data: Catalog | str | Path | None = None, overlays=None, view: str = "both") -> Scene:
    return build_atlas(resolve_catalog(data), load_panels(), overlays, view=view)
