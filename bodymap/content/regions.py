"""Pain regions in panel units, and which complaints a set of regions points to (felt there, or referred there)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from bodymap.data.catalog import Catalog, load_catalog
from bodymap.data.models import Site
from bodymap.data.regions import PainRegions, builtin_pain_regions
from bodymap.figures.geometry import Panel, Point, load_panels
from bodymap.figures.placement import resolve

BODY_PANELS = ("body-anterior", "body-posterior")
# A region counts as covered by a referral zone when the zone lies over this share of the region,
# or this region holds this share of the zone: a small zone inside a large region still counts.
COVER_REGION, COVER_ZONE = 0.12, 0.1
GRID = 20  # sample points per side of a bounding box when measuring an overlap


@dataclass(frozen=True)
class RegionShape:
    """One drawn area: a region on one panel and side ("midline" for one that spans it)."""

    region: str
    name: str
    panel: str
    side: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Match:
    """A complaint that a choice of regions points to, and why."""

    complaint: str
    name: str
    score: int
    felt_in: tuple[str, ...]  # region ids where the complaint itself is felt
    referred: Mapping[str, tuple[str, ...]]  # region id -> muscles of its plan that refer there
    why: str


def _polygon(sites: tuple[Site, ...], panels: Mapping[str, Panel], who: str) -> tuple[Point, ...]:
    return tuple(resolve(s, panels, who) for s in sites)


def region_shapes(data: PainRegions | None = None, panels: Mapping[str, Panel] | None = None) -> tuple[RegionShape, ...]:
    """Every area as drawn: bilateral regions right and mirrored left; the rest the right half joined with its mirror."""
    data, panels = data or builtin_pain_regions(), panels or load_panels()
    out = []
    for region in data.regions.values():
        for area in region.areas:
            panel = panels[area.panel]
            right = _polygon(area.points, panels, f"pain region {region.id}")
            left = tuple(panel.mirror(p) for p in right)
            if region.bilateral:
                out += [RegionShape(region.id, region.name, area.panel, "right", right),
                        RegionShape(region.id, region.name, area.panel, "left", tuple(reversed(left)))]
            else:  # the half runs from the midline round to the midline: add the mirror back up
                out.append(RegionShape(region.id, region.name, area.panel, "midline", right + tuple(reversed(left))[1:-1]))
    return tuple(out)


@cache
def _builtin_shapes() -> tuple[RegionShape, ...]:
    return region_shapes()


def inside(p: Point, poly: Sequence[Point]) -> bool:
    """Even-odd rule."""
    x, y = p
    hit = False
    j = len(poly) - 1
    for i in range(len(poly)):
        (xi, yi), (xj, yj) = poly[i], poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def _samples(poly: Sequence[Point]) -> list[Point]:
    xs, ys = [p[0] for p in poly], [p[1] for p in poly]
    x0, y0, dx, dy = min(xs), min(ys), (max(xs) - min(xs)) / GRID, (max(ys) - min(ys)) / GRID
    grid = ((x0 + (i + 0.5) * dx, y0 + (j + 0.5) * dy) for i in range(GRID) for j in range(GRID))
    return [p for p in grid if inside(p, poly)]


def _box(poly: Sequence[Point]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in poly], [p[1] for p in poly]
    return min(xs), min(ys), max(xs), max(ys)


def covers(zone: Sequence[Point], region: Sequence[Point], in_region: Sequence[Point] | None = None) -> bool:
    """Whether a referral zone lies over enough of a region (or enough of the zone lies in it).

    in_region: the region's sample points, when the caller has them already."""
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = _box(zone), _box(region)
    if ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0:
        return False
    in_region = _samples(region) if in_region is None else in_region
    in_zone = _samples(zone)
    if not in_region or not in_zone:
        return False
    share_of_region = sum(inside(p, zone) for p in in_region) / len(in_region)
    share_of_zone = sum(inside(p, region) for p in in_zone) / len(in_zone)
    return share_of_region >= COVER_REGION or share_of_zone >= COVER_ZONE


def _referral_polygons(catalog: Catalog, complaint_id: str,
                       panels: Mapping[str, Panel]) -> list[tuple[str, str, tuple[Point, ...]]]:
    """(muscle name, panel, polygon) for every referral zone of the complaint's plan on a body figure, both sides."""
    out = []
    for muscle in catalog.muscles_for(complaint_id):
        for area in muscle.referral:
            if area.panel not in BODY_PANELS:
                continue
            right = _polygon(area.points, panels, f"{muscle.id} referral")
            left = tuple(panels[area.panel].mirror(p) for p in right)
            out += [(muscle.name, area.panel, right), (muscle.name, area.panel, left)]
    return out


_REFERRALS: dict[int, tuple[Catalog, Mapping[str, Mapping[str, tuple[str, ...]]]]] = {}


def _referral_map(catalog: Catalog) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """complaint id -> region id -> the plan's muscles that refer there (once per catalog; a catalog is immutable
    but not hashable, so it is kept by identity, together with the catalog so that its id is not reused)."""
    hit = _REFERRALS.get(id(catalog))
    if hit is not None and hit[0] is catalog:
        return hit[1]
    if len(_REFERRALS) >= 8:
        _REFERRALS.pop(next(iter(_REFERRALS)))
    _REFERRALS[id(catalog)] = (catalog, _compute_referrals(catalog))
    return _REFERRALS[id(catalog)][1]


def _compute_referrals(catalog: Catalog) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    panels = load_panels()
    shapes = [(shape, _samples(shape.points)) for shape in _builtin_shapes()]
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for complaint_id in catalog.complaints:
        zones = _referral_polygons(catalog, complaint_id, panels)
        found: dict[str, list[str]] = {}
        for shape, samples in shapes:
            for muscle, panel, zone in zones:
                if panel == shape.panel and muscle not in found.get(shape.region, []) and covers(zone, shape.points, samples):
                    found.setdefault(shape.region, []).append(muscle)
        out[complaint_id] = {region: tuple(muscles) for region, muscles in found.items()}
    return out


def _lower(name: str) -> str:
    """`Quadratus lumborum` -> `quadratus lumborum`; an acronym stays as it is."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _why(felt: Sequence[str], muscles: Sequence[str], names: Mapping[str, str], where: str | None) -> str:
    parts = []
    if felt:
        parts.append(f"Felt in the {_join([names[r].lower() for r in felt])}" + (f" ({where})" if where else ""))
    if muscles:
        verb = "refers" if len(muscles) == 1 else "refer"
        parts.append(f"{_join([_lower(m) for m in muscles])} {verb} here")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def complaints_for(region_ids: Iterable[str], catalog: Catalog | None = None,
                   data: PainRegions | None = None) -> list[Match]:
    """Complaints whose painful region or whose plan's referral zones cover the regions, best first.

    A region where the complaint is felt counts 2, one that its muscles refer to counts 1; ties go by
    the number of referring muscles, then by name. Unknown region ids raise DataError naming the valid ones.
    """
    catalog, data = catalog or load_catalog(), data or builtin_pain_regions()
    chosen = list(dict.fromkeys(data.region(r).id for r in region_ids))
    referral = _referral_map(catalog)
    names = {r.id: r.name for r in data.regions.values()}
    out = []
    for complaint in catalog.complaints.values():
        painful = data.complaints.get(complaint.id)
        felt = tuple(r for r in chosen if painful is not None and r in painful.regions)
        referred = {r: referral.get(complaint.id, {}).get(r, ()) for r in chosen}
        referred = {r: m for r, m in referred.items() if m}
        if not felt and not referred:
            continue
        muscles = list(dict.fromkeys(m for ms in referred.values() for m in ms))
        score = 2 * len(felt) + len(referred)
        out.append((score, len(muscles), complaint.name,
                    Match(complaint.id, complaint.name, score, felt, referred, _why(felt, muscles, names, complaint.region))))
    out.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [m for *_, m in out]
