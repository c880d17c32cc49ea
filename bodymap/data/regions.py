"""The pain-region map (`assets/data/pain-regions.yaml`): named body areas and where each complaint is felt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from bodymap.core.assets import assets_dir
from bodymap.core.errors import DataError
from bodymap.data.catalog import read_document, validate_entries, validate_one
from bodymap.data.models import Area, Model, ShortText, Slug, Source, Text

FILENAME = "pain-regions.yaml"


class BodyMapSource(Model):
    """The published body map the regions follow, and what of it was and was not checked."""

    name: ShortText
    source: Source
    areas: int = Field(ge=1, le=200)
    verified: Text
    uncertain: Text | None = None


class PainRegion(Model):
    """One kind of area (`hip`); a bilateral one is a left and a right area of the published map."""

    id: Slug
    name: ShortText
    mbm: tuple[ShortText, ...] = Field(min_length=1, max_length=2)
    mbm_figure: Literal["front", "back"]
    bilateral: bool
    areas: tuple[Area, ...] = Field(min_length=1)
    source: Source
    uncertain: Text | None = None


class ComplaintRegions(Model):
    complaint: Slug
    regions: tuple[Slug, ...] = Field(min_length=1)
    source: Source


@dataclass(frozen=True)
class PainRegions:
    map: BodyMapSource
    regions: Mapping[str, PainRegion]
    complaints: Mapping[str, ComplaintRegions]

    def region(self, region_id: str) -> PainRegion:
        try:
            return self.regions[region_id]
        except (KeyError, TypeError):
            raise DataError(f"unknown region {str(region_id)[:40]!r}; valid regions: {', '.join(self.regions)}") from None


def _check(data: PainRegions, name: str) -> None:
    counted = sum(2 if r.bilateral else 1 for r in data.regions.values())
    if counted != data.map.areas:
        raise DataError(f"{name}: the regions make {counted} areas, but {data.map.name} has {data.map.areas}")
    for entry in data.complaints.values():
        unknown = [r for r in entry.regions if r not in data.regions]
        if unknown:
            raise DataError(f"{name}: complaints[{entry.complaint}]: unknown region(s) {', '.join(unknown)}")


def load_pain_regions(path: Path | None = None) -> PainRegions:
    path = path or assets_dir() / "data" / FILENAME
    raw = read_document(path)
    if not isinstance(raw, dict) or set(raw) != {"map", "regions", "complaints"}:
        raise DataError(f"{path.name}: expected a mapping with the keys map, regions and complaints")
    regions = validate_entries(PainRegion, raw["regions"], path.name)
    complaints = validate_entries(ComplaintRegions, raw["complaints"], path.name)
    data = PainRegions(validate_one(BodyMapSource, raw["map"], path.name), {r.id: r for r in regions},
                       {c.complaint: c for c in complaints})
    if len(data.regions) != len(regions) or len(data.complaints) != len(complaints):
        raise DataError(f"{path.name}: a region or complaint is listed twice")
    _check(data, path.name)
    return data


@cache
def builtin_pain_regions() -> PainRegions:
    return load_pain_regions()
