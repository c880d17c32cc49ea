"""Where does it hurt? Pain regions of a published body map, and the complaints they point to.

    >>> from bodymap.regions import complaints_for
    >>> [m.complaint for m in complaints_for(["lower-back"])][:1]
    ['low-back-pain']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bodymap.content.regions import Match, RegionShape, region_shapes
from bodymap.content.regions import complaints_for as _complaints_for
from bodymap.data.catalog import Catalog
from bodymap.data.regions import PainRegion, PainRegions, builtin_pain_regions
from bodymap.figures.loading import resolve_catalog

__all__ = ["Match", "PainRegion", "RegionShape", "complaints_for", "region_ids", "region_shapes", "regions"]


def regions() -> PainRegions:
    """The built-in region map: its source, its regions and where each complaint is felt."""
    return builtin_pain_regions()


def region_ids() -> tuple[str, ...]:
    return tuple(builtin_pain_regions().regions)


def complaints_for(region_ids: Iterable[str] | str, data: Catalog | str | Path | None = None) -> list[Match]:
    """The complaints whose painful region or referral zones cover the regions, best first, each with its `why`.

    region_ids: ids such as "lower-back" (a single id may be given as a string). data: a catalog or a
    custom data file, as for `bodymap.render`. An unknown region raises DataError naming the valid ones.
    """
    ids = [region_ids] if isinstance(region_ids, str) else list(region_ids)
    return _complaints_for(ids, resolve_catalog(data))
