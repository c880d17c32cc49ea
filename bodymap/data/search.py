"""Find points and muscles by code, pinyin (with or without tones), hanzi, English name or muscle name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bodymap.data.catalog import Catalog
from bodymap.data.models import Acupoint

MIN_LATIN = 3  # shorter Latin queries ("li", "st") would match half the catalog
_TONE_DIGITS = re.compile(r"(?<=[a-z])[1-5]")  # "zu3san1li3" -> "zusanli"; codes keep their digits elsewhere


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


def _has_hanzi(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def point_text(point: Acupoint) -> str:
    """How a point is listed: code, pinyin and, when known, the English name."""
    return f"{point.code} {point.pinyin}" + (f" ({point.english})" if point.english else "")


def point_rank(point: Acupoint, q: str) -> int | None:
    """0 for the exact code, 1 for a name that starts with the query, 2 for one that contains it; None if no match."""
    if _fold(point.code) == q:
        return 0
    if _has_hanzi(q):  # one or two characters are a whole hanzi name, so no minimum length
        hanzi = _fold(point.hanzi or "")
        return None if q not in hanzi else (1 if hanzi.startswith(q) else 2)
    pairs = []  # (name, query form) to compare
    if len(q) >= MIN_LATIN:
        pairs += [(_fold(n), q) for n in (point.code, point.pinyin, point.english or "") if n]
    plain = _TONE_DIGITS.sub("", q)  # tone numbers apply to pinyin only: "bl4" must still find BL40
    if plain != q and len(plain) >= MIN_LATIN:
        pairs.append((_fold(point.pinyin), plain))
    if any(name.startswith(form) for name, form in pairs):
        return 1
    if any(form in name for name, form in pairs):
        return 2
    return None


def users(cat: Catalog) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Which complaints (ids, in catalog order) use each acupoint code and each muscle id: the one reverse index."""
    points: dict[str, list[str]] = {}
    for plan in cat.acupuncture.values():
        for use in plan.points:
            points.setdefault(use.code, []).append(plan.complaint)
    muscles: dict[str, list[str]] = {}
    for dplan in cat.dry_needling.values():
        for muse in dplan.muscles:
            muscles.setdefault(muse.muscle, []).append(dplan.complaint)
    return points, muscles


def _uses(cat: Catalog) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The same index by complaint name, as search hits show it."""
    points, muscles = users(cat)
    named = {cid: c.name for cid, c in cat.complaints.items()}
    return ({k: [named[c] for c in v] for k, v in points.items()}, {k: [named[c] for c in v] for k, v in muscles.items()})


def find(cat: Catalog, query: str, complaint_id: str, limit: int = 12) -> Hits:
    """Points and muscles matching `query`, split into this complaint's and the others', best first."""
    q = _fold(query)
    if not q:
        return Hits((), ())
    used_points, used_muscles = _uses(cat)
    here_points = {p.code for p, _ in cat.points_for(complaint_id)}
    here_muscles = {m.id for m in cat.muscles_for(complaint_id)}

    inside: list[tuple[int, Hit]] = []
    outside: list[tuple[int, Hit]] = []
    for point in cat.acupoints.values():
        rank = point_rank(point, q)
        if rank is not None:
            hit = Hit(point.code, point_text(point), tuple(used_points.get(point.code, ())))
            (inside if point.code in here_points else outside).append((rank, hit))
    if len(q) >= MIN_LATIN:
        for muscle in cat.muscles.values():
            if q in _fold(muscle.name) or q in _fold(muscle.id):
                hit = Hit(muscle.id, muscle.name, tuple(used_muscles.get(muscle.id, ())))
                (inside if muscle.id in here_muscles else outside).append((2, hit))
    inside.sort(key=lambda t: t[0])
    outside.sort(key=lambda t: t[0])
    return Hits(tuple(h for _, h in inside[:limit]), tuple(h for _, h in outside[:limit]))
