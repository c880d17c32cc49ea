"""A point in a patient's words: its name and where it is ("Weizhong, back of the knee"), from patient-words.yaml."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bodymap.core.assets import assets_dir
from bodymap.data.catalog import Catalog, read_document, validate_one
from bodymap.data.models import ShortText, Slug, Source, Text


class _Group(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    where: ShortText
    landmarks: tuple[Slug, ...] = Field(min_length=1)


class PatientWords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    source: Source
    uncertain: Text | None = None
    panels: dict[Slug, ShortText]
    groups: tuple[_Group, ...]

    def lookup(self) -> dict[str, str]:
        return {landmark: g.where for g in self.groups for landmark in g.landmarks}


@cache
def patient_words() -> PatientWords:
    path = assets_dir() / "data" / "patient-words.yaml"
    return validate_one(PatientWords, read_document(path), path.name)


def where(sites: Any) -> str:
    """Where the first location rule puts a point, in plain words ('back of the knee')."""
    words = patient_words()
    for site in sites:
        landmark = getattr(site, "from_", None)
        if landmark and landmark in words.lookup():
            return words.lookup()[landmark]
        if site.panel in words.panels:
            return words.panels[site.panel]
    return "the body"


def nearest_where(panel_id: str, landmarks: Any, x: float, y: float, mirror: Any = None) -> str | None:
    """The words of the named landmark nearest (x, y) on a panel (both sides of a two-sided panel), else the panel's."""
    words = patient_words()
    lookup = words.lookup()
    best: tuple[float, str] | None = None
    for name, (lx, ly) in landmarks.items():
        if name not in lookup:
            continue
        for px, py in ((lx, ly), *((mirror((lx, ly)),) if mirror is not None else ())):
            d = (px - x) ** 2 + (py - y) ** 2
            if best is None or d < best[0]:
                best = (d, lookup[name])
    return best[1] if best else words.panels.get(panel_id)


def patient_name(catalog: Catalog, code: str, where_words: str | None = None) -> str:
    """'Weizhong, back of the knee' for an acupoint; 'Trigger point, low back' for a trigger point."""
    point = catalog.acupoints.get(code)
    if point is not None:
        return f"{point.pinyin}, {where_words or where(point.sites)}"
    for muscle in catalog.muscles.values():
        for tp in muscle.trigger_points:
            if tp.id == code:
                return f"Trigger point, {where_words or where(tp.sites)}"
    return code
