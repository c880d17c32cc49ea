"""Find points and muscles by code, pinyin, English name or muscle name."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .catalog import Catalog


@dataclass(frozen=True)
class Hit:
    key: str  # what the scene's highlight matches: an acupoint code or a muscle id
    text: str
    complaints: tuple[str, ...]  # complaint names whose plans use it


@dataclass(frozen=True)
class Hits:
    in_complaint: tuple[Hit, ...]
    elsewhere: tuple[Hit, ...]


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, so 'weizhong' finds 'Wěizhōng' and 'bl 40' finds BL40."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def find(cat: Catalog, query: str, complaint_id: str, limit: int = 12) -> Hits:
    q = _fold(query)
    if not q:
        return Hits((), ())
    used_points: dict[str, list[str]] = {}
    for plan in cat.acupuncture.values():
        for use in plan.points:
            used_points.setdefault(use.code, []).append(cat.complaints[plan.complaint].name)
    used_muscles: dict[str, list[str]] = {}
    for dplan in cat.dry_needling.values():
        for muse in dplan.muscles:
            used_muscles.setdefault(muse.muscle, []).append(cat.complaints[dplan.complaint].name)
    here_points = {p.code for p, _ in cat.points_for(complaint_id)}
    here_muscles = {m.id for m in cat.muscles_for(complaint_id)}

    inside, outside = [], []
    for point in cat.acupoints.values():
        names = [point.code, point.pinyin, point.english or "", point.hanzi or ""]
        exact = _fold(point.code) == q
        if exact or any(q in _fold(n) for n in names if n) and len(q) >= 3:
            hit = Hit(point.code, f"{point.code} {point.pinyin}", tuple(used_points.get(point.code, ())))
            (inside if point.code in here_points else outside).append((not exact, hit))
    for muscle in cat.muscles.values():
        if len(q) >= 3 and (q in _fold(muscle.name) or q in _fold(muscle.id)):
            hit = Hit(muscle.id, muscle.name, tuple(used_muscles.get(muscle.id, ())))
            (inside if muscle.id in here_muscles else outside).append((True, hit))
    inside.sort(key=lambda t: t[0])
    outside.sort(key=lambda t: t[0])
    return Hits(tuple(h for _, h in inside[:limit]), tuple(h for _, h in outside[:limit]))
