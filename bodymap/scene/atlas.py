"""The atlas scene: every acupoint and trigger point of the catalog on every panel, labelled.

Formats are dispatched by `bodymap.api.render_atlas`, as for a complaint.
"""

from __future__ import annotations

from pathlib import Path

from bodymap.core.vocabulary import View
from bodymap.data.catalog import Catalog
from bodymap.figures.geometry import load_panels
from bodymap.figures.loading import resolve_catalog
from bodymap.scene.build import Scene, build_atlas


def atlas_scene(data: Catalog | str | Path | None = None, overlays=None, view: str = View.BOTH) -> Scene:
    return build_atlas(resolve_catalog(data), load_panels(), overlays, view=view)
