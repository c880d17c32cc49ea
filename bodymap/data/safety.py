"""The needling rule check: the safety model's rules over every point and trigger point, strictest wins."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bodymap.data.catalog import Catalog
from bodymap.data.models import NEEDLE_ANGLES, Needling, SafetyModel, SafetyRegion, Structure

# The complaint caution that a rule with `both_sides: false` requires (the chest-wall guideline).
ONE_SIDE = "one side per session"

# How a forbidden direction word reads in a sentence ("never medially or downwards").
_ADVERB = {"medial": "medially", "lateral": "laterally", "upward": "upwards", "downward": "downwards", "forward": "forwards",
           "posterior": "posteriorly", "anterior": "anteriorly"}

# "0.3-0.5 cun", "1-2 cm", "1.5 cun", "1-2 mm": the first number range with its unit in a depth text.
_DEPTH = re.compile(r"(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?\s*(cun|cm|mm)\b")


@dataclass(frozen=True)
class Limit:
    """The combined rule for one entry: the strictest of every region that covers it."""

    angles: tuple[str, ...]
    max_depth_mm: float
    forbidden: tuple[str, ...]
    both_sides: bool
    structures: tuple[str, ...]  # structure ids, in the model's order
    regions: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    where: str  # "atlas" or a complaint id
    key: str  # acupoint code, trigger-point id, or "cautions"
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.key}: {self.problem}"


def parse_depth(text: str, mm_per_cun: float) -> tuple[float, float] | None:
    """The depths a text states, in mm (cun times `mm_per_cun`): the shallowest to the deepest of every
    range it gives ("0.5-1 cun, or oblique 1-1.5 cun" spans both), or None if it states none."""
    spans = []
    for match in _DEPTH.finditer(text):
        scale = {"cun": mm_per_cun, "cm": 10.0, "mm": 1.0}[match.group(3)]
        spans.append((float(match.group(1)) * scale, float(match.group(2) or match.group(1)) * scale))
    if not spans:
        return None
    return round(min(s[0] for s in spans), 2), round(max(s[1] for s in spans), 2)


def regions_by_entry(model: SafetyModel) -> dict[str, list[tuple[Structure, SafetyRegion]]]:
    out: dict[str, list[tuple[Structure, SafetyRegion]]] = {}
    for structure in model.structures:
        for region in structure.regions:
            for key in region.entries:
                out.setdefault(key, []).append((structure, region))
    return out


def site_levels(item: Any) -> tuple[str, ...] | None:
    """The landmarks an entry's sites are drawn from (a plan keeps only its levels), or None for a trigger point."""
    sites = getattr(item, "sites", None)
    return None if sites is None else tuple(s.from_ for s in sites if s.from_)


def limit_for(model: SafetyModel, key: str, levels: tuple[str, ...] | None = None) -> Limit | None:
    """The combined rule of the regions that cover one entry at these site levels (None: at every level)."""
    pairs = [(s, r) for s, r in regions_by_entry(model).get(key, []) if r.covers(key, levels)]
    return _combine(pairs) if pairs else None


def _combine(pairs: list[tuple[Structure, SafetyRegion]]) -> Limit:
    rules = [region.rule for _, region in pairs]
    angles = tuple(a for a in NEEDLE_ANGLES if all(a in r.angles for r in rules))
    forbidden = tuple(dict.fromkeys(word for r in rules for word in r.forbidden_directions))
    structures = tuple(dict.fromkeys(s.id for s, _ in pairs))
    return Limit(angles, min(r.max_depth_mm for r in rules), forbidden, all(r.both_sides for r in rules),
                 structures, tuple(region.id for _, region in pairs))


def limits(model: SafetyModel) -> dict[str, Limit]:
    """The combined rule of every entry some region covers, by acupoint code or trigger-point id."""
    return {key: _combine(pairs) for key, pairs in regions_by_entry(model).items()}


def violations(key: str, needling: Needling | None, limit: Limit | None) -> list[str]:
    """What an entry's needling breaks: its `beneath`, angle, depth or direction against the rule."""
    if needling is None:
        return ["no needling"] if limit else []
    problems = []
    expected = set(limit.structures) if limit else set()
    if set(needling.beneath) != expected:
        problems.append(f"beneath {sorted(needling.beneath)} but the safety model places it over {sorted(expected)}")
    if limit is None:
        return problems
    if needling.angle not in limit.angles:
        problems.append(f"angle {needling.angle!r} is not allowed here (allowed: {', '.join(limit.angles) or 'none'})")
    if needling.depth_mm is None:
        problems.append("no depth_mm to check against the safe depth")
    elif needling.depth_mm[1] > limit.max_depth_mm:
        where = ", ".join(limit.regions)
        problems.append(f"depth up to {needling.depth_mm[1]:g} mm exceeds the safe {limit.max_depth_mm:g} mm ({where})")
    direction = (needling.direction or "").lower()
    for word in limit.forbidden:
        if re.search(rf"\b{re.escape(word.lower())}", direction):
            problems.append(f"direction {needling.direction!r} goes {word}, which the rule forbids")
    return problems


def _entries(cat: Catalog) -> Iterator[tuple[str, Needling | None]]:
    for point in cat.acupoints.values():
        yield point.code, point.needling
    for muscle in cat.muscles.values():
        for tp in muscle.trigger_points:
            yield tp.id, tp.needling


def _plan_entries(cat: Catalog, complaint_id: str) -> Iterator[tuple[str, Needling | None, tuple[str, ...] | None]]:
    for point, _ in cat.points_for(complaint_id):
        yield point.code, point.needling, site_levels(point)
    for muscle in cat.muscles_for(complaint_id):
        for tp in muscle.trigger_points:
            yield tp.id, tp.needling, None


def check_catalog(cat: Catalog, model: SafetyModel | None = None) -> list[Finding]:
    """Every rule broken by an atlas entry or a plan entry; a plan whose rules forbid needling both
    sides in one session must also say so in its complaint's cautions."""
    model = model or cat.safety
    if model is None:
        return []
    by_key = limits(model)
    findings = [Finding("atlas", key, p) for key, n in _entries(cat) for p in violations(key, n, by_key.get(key))]
    for cid, complaint in cat.complaints.items():
        one_side = False
        for key, needling, levels in _plan_entries(cat, cid):
            limit = by_key.get(key) if levels is None else limit_for(model, key, levels)
            findings += [Finding(cid, key, p) for p in violations(key, needling, limit)]
            one_side = one_side or (limit is not None and not limit.both_sides)
        if one_side and not any(ONE_SIDE in c.lower() for c in complaint.cautions):
            findings.append(Finding(cid, "cautions", f"a rule allows only one side per session but no caution says {ONE_SIDE!r}"))
    return findings


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _mm(value: float) -> str:
    return f"{value:g} mm"


def needling_summary(item: Any) -> str:
    """'oblique, posteriorly, away from the lung apex; 0.3-0.5 cun (7.5-12.5 mm)': how a point or
    trigger point is needled, as the reference and the app's card both print it."""
    n = getattr(item, "needling", None)
    if n is None:
        return ""
    how = n.approach or n.angle  # a trigger point's approach in words says more than its angle
    said, direction = _words(f"{how} {n.depth}"), _words(n.direction or "")
    if direction and direction not in said and not (n.angle == "perpendicular" and direction == "straight in"):
        how += f"; direction: {n.direction}" if n.approach else f", {n.direction}"
    depth = n.depth
    if n.depth_mm and "mm" not in depth:
        low, high = n.depth_mm
        depth += f" ({low:g}-{high:g} mm)" if low != high else f" ({high:g} mm)"
    return f"{how}; {depth}"


def safety_note(item: Any, model: SafetyModel | None) -> str:
    """'Beneath: lung and pleura. Safe: oblique or transverse, at most 12.5 mm, never medial; one side
    per session.' for a point or trigger point, or '' where nothing the model lists lies beneath."""
    needling = getattr(item, "needling", None)
    key = str(getattr(item, "code", None) or getattr(item, "id", ""))
    if model is None or needling is None or not needling.beneath:
        return ""
    names = {s.id: s.name[0].lower() + s.name[1:] for s in model.structures}
    limit = limit_for(model, key, site_levels(item))
    text = "Beneath: " + ", ".join(names.get(s, s) for s in needling.beneath) + "."
    if limit is None:
        return text
    rule = f" Safe: {' or '.join(limit.angles)}, at most {_mm(limit.max_depth_mm)}"
    rule += f", never {' or '.join(_ADVERB.get(w, w) for w in limit.forbidden)}" if limit.forbidden else ""
    rule += f"; {ONE_SIDE}" if not limit.both_sides else ""
    return text + rule + "."


def structure_names(model: SafetyModel | None) -> Mapping[str, str]:
    return {s.id: s.name for s in model.structures} if model else {}
