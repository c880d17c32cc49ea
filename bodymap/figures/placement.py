"""Turn location rules (landmark + B-cun offsets) into panel coordinates.

A position is computed for the patient's right side, the way the WHO texts describe it, and
mirrored across the midline for the left. Nothing here knows what a marker looks like.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from bodymap.core.errors import DataError
from bodymap.data.models import Muscle, Site
from bodymap.figures.geometry import Panel, Point


def resolve(site: Site, panels: Mapping[str, Panel], who: str = "") -> Point:
    """The position of `site` on its panel, for the patient's right side."""
    panel = panels.get(site.panel)
    if panel is None:
        raise DataError(f"{who}: unknown panel {site.panel!r}; panels: {', '.join(panels)}")
    if site.at is not None:
        return (float(site.at[0]), float(site.at[1]))
    assert site.from_ is not None  # guaranteed by Site's validator
    x, y = _landmark(panel, site.from_, who)
    if site.to is not None and site.t is not None:
        tx, ty = _landmark(panel, site.to, who)
        x, y = x + site.t * (tx - x), y + site.t * (ty - y)
    if site.along is not None and site.cun is not None:
        ux, uy = panel.cun_vector(_measure(panel, site.along, who))
        x, y = x + site.cun * ux, y + site.cun * uy
    return _offset(site, panel, (x, y), who)


def _landmark(panel: Panel, name: str, who: str) -> Point:
    try:
        return panel.landmarks[name]
    except KeyError:
        raise DataError(f"{who}: panel {panel.id!r} has no landmark {name!r}") from None


def _measure(panel: Panel, name: str, who: str) -> str:
    if name not in panel.measures:
        raise DataError(f"{who}: panel {panel.id!r} has no measure {name!r}")
    return name


def _offset(site: Site, panel: Panel, at: Point, who: str) -> Point:
    """`at` moved by the site's `lateral` and `shift`, in cun of the panel's measures."""
    x, y = at
    # Lateral means "away from the midline" on two-sided panels; +x on one-sided ones.
    outward = 1.0 if (not panel.two_sided or panel.right_is_plus_x) else -1.0
    if site.lateral:
        name = site.lateral_measure or panel.lateral_measure or site.along
        if name is None:
            raise DataError(f"{who}: 'lateral' needs a lateral_measure on panel {panel.id!r}")
        x += outward * site.lateral * panel.cun_size(_measure(panel, name, who))
    if site.shift is not None:
        name = site.along or site.lateral_measure or panel.lateral_measure
        if name is None:
            raise DataError(f"{who}: 'shift' needs 'along' or a lateral measure on panel {panel.id!r}")
        size = panel.cun_size(_measure(panel, name, who))
        x += outward * site.shift[0] * size
        y += site.shift[1] * size
    return (x, y)


def place(site: Site, panels: Mapping[str, Panel], *, bilateral: bool, who: str = "") -> list[tuple[str, Point]]:
    """(side, position) pairs: both sides for a bilateral point on a two-sided panel, else one."""
    panel = panels.get(site.panel)
    p = resolve(site, panels, who)
    assert panel is not None
    if not panel.two_sided:
        return [(panel.side, p)]
    if panel.on_midline(p) or not bilateral:
        return [("midline" if panel.on_midline(p) else "right", p)]
    return [("right", p), ("left", panel.mirror(p))]


def check_sites(catalog, panels: Mapping[str, Panel], only: Iterable[str] | None = None) -> None:
    """Resolve every location rule once, so a bad landmark or an off-panel point fails on load.

    `only` limits the check to some acupoint codes and muscle ids (a custom file's own entries).
    """
    wanted = set(only) if only is not None else None

    def check(site: Site, who: str) -> None:
        x, y = resolve(site, panels, who)
        panel = panels[site.panel]
        if not (0 <= x <= panel.width and 0 <= y <= panel.height):
            raise DataError(f"{who}: position ({x:.0f}, {y:.0f}) lies outside panel {panel.id!r} "
                            f"(0-{panel.width:.0f} x 0-{panel.height:.0f})")

    for site, who in _rules(catalog, wanted):
        check(site, who)


def _rules(catalog, wanted: set[str] | None) -> Iterator[tuple[Site, str]]:
    """Every location rule of the catalog (or of the wanted entries) with the path that names it in a message."""
    for point in catalog.acupoints.values():
        if wanted is None or point.code in wanted:
            for i, site in enumerate(point.sites):
                yield site, f"acupoint {point.code}: sites[{i}]"
    for muscle in catalog.muscles.values():
        if wanted is None or muscle.id in wanted:
            yield from _muscle_rules(muscle)
    if wanted is None:
        for dz in catalog.danger_zones:
            for n, area in enumerate(dz.areas):
                for i, site in enumerate(area.points):
                    yield site, f"danger zone {dz.id}: areas[{n}].points[{i}]"


def _muscle_rules(muscle: Muscle) -> Iterator[tuple[Site, str]]:
    for tp in muscle.trigger_points:
        for i, site in enumerate(tp.sites):
            yield site, f"muscle {muscle.id}: trigger point {tp.id}: sites[{i}]"
    for n, area in enumerate(muscle.referral):
        for i, site in enumerate(area.points):
            yield site, f"muscle {muscle.id}: referral[{n}].points[{i}]"
    for i, site in enumerate(muscle.outline):
        yield site, f"muscle {muscle.id}: outline[{i}]"
