"""What a diagram shows: markers, zones and channels of a set of points and muscles, in panel units.

Nothing here knows about the page; `bodymap.scene.build` composes these with the layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bodymap.content.scenetypes import Channel, Marker, Zone
from bodymap.core.vocabulary import Layer, Side, Therapy
from bodymap.data.catalog import Catalog
from bodymap.data.models import Acupoint, Muscle, Site
from bodymap.figures.curves import smooth
from bodymap.figures.geometry import Panel, Point
from bodymap.figures.placement import place, resolve


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


class Ids:
    """Unique element ids: the base, then base-2, base-3...; linear in the number of ids."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        if base not in self._used:
            self._used.add(base)
            return base
        n = self._next.get(base, 2)
        while f"{base}-{n}" in self._used:
            n += 1
        self._next[base] = n + 1
        self._used.add(f"{base}-{n}")
        return f"{base}-{n}"


@dataclass
class Context:
    """What every item builder needs: the data, the panels shown, the side and the id maker."""

    catalog: Catalog
    panels: Mapping[str, Panel]
    prefix: str
    side: str
    visible: Callable[[str], bool]
    ids: Ids = field(default_factory=Ids)

    def keep(self, side: str) -> bool:
        return self.side == Side.BOTH or side in (self.side, "midline") or side not in (Side.LEFT, Side.RIGHT)

    def side_on(self, panel_id: str, side: str) -> str:
        """A one-sided panel (ear, foot, hand, side view) shows the patient's left when the left is asked for."""
        return Side.LEFT if self.side == Side.LEFT and not self.panels[panel_id].two_sided else side


def needling(n: Any) -> dict[str, Any] | None:
    """The JSON scene's `needling`: the text keys, then (issue 18) where the tip goes, the depth in mm and the
    structure ids beneath (assets/data/safety.yaml). Keys are only added; older data gives null and []."""
    if n is None:
        return None
    depth_mm = getattr(n, "depth_mm", None)
    return {"angle": n.angle, "depth": n.depth, "caution": n.caution, "source": n.source,
            "direction": getattr(n, "direction", None), "depth_mm": list(depth_mm) if depth_mm else None,
            "beneath": list(getattr(n, "beneath", ())), "approach": getattr(n, "approach", None)}


def trigger_point_number(muscle: Muscle, tp_id: str) -> tuple[int, int] | None:
    """(k, n): the trigger point is the k-th of its muscle's n, in the order of the data file; None when the
    muscle has one. The figure's numbered marks and the app's cards both take their numbers from here."""
    ids = [tp.id for tp in muscle.trigger_points]
    return (ids.index(tp_id) + 1, len(ids)) if len(ids) > 1 and tp_id in ids else None


def trigger_point_heading(muscle: Muscle, tp_id: str) -> str:
    """'Quadratus lumborum, trigger point 2 of 3' (or the muscle's name alone): the mark's tooltip and the card."""
    number = trigger_point_number(muscle, tp_id)
    return f"{muscle.name}, trigger point {number[0]} of {number[1]}" if number else muscle.name


def trigger_markers(ctx: Context, muscle: Muscle) -> list[Marker]:
    out = []
    for tp in muscle.trigger_points:
        for site in tp.sites:
            if not ctx.visible(site.panel):
                continue
            for tside, (x, y) in place(site, ctx.panels, bilateral=True, who=f"{muscle.id}/{tp.id}"):
                tside = ctx.side_on(site.panel, tside)
                if ctx.keep(tside):
                    title = f"{trigger_point_heading(muscle, tp.id)}: {tp.name}. {tp.location}"
                    out.append(Marker(ctx.ids(f"{ctx.prefix}-dn-{tp.id}-{site.panel}-{tside}"),
                                      Layer.DRY_NEEDLING, Therapy.DRY_NEEDLING,
                                      tp.id, muscle.name, title, tp.location,
                                      site.panel, x, y, tside, None, muscle.source, muscle=muscle.id,
                                      needling=needling(getattr(tp, "needling", None)),
                                      number=trigger_point_number(muscle, tp.id)))
    return out


def _point_title(point: Acupoint, placement: str | None) -> str:
    hanzi = f" ({point.hanzi})" if point.hanzi else ""
    english = f", {point.english}" if point.english else ""
    where = f" {placement.capitalize()} point." if placement else ""
    return f"{point.code} {point.pinyin}{hanzi}{english}.{where} {point.location}"


def point_markers(ctx: Context, point: Acupoint, placement: str | None, chosen: tuple[str, ...]) -> list[Marker]:
    """The point's markers on every visible panel and side, and its pregnancy-caution rings."""
    caution = point.pregnancy_caution
    out = []
    for site in point.sites:
        if not ctx.visible(site.panel):
            continue
        for pside, (x, y) in place(site, ctx.panels, bilateral=point.bilateral, who=point.code):
            pside = ctx.side_on(site.panel, pside)
            if not ctx.keep(pside):
                continue
            marker = Marker(ctx.ids(f"{ctx.prefix}-acu-{slug(point.code)}-{site.panel}-{pside}"),
                            Layer.ACUPUNCTURE, Therapy.ACUPUNCTURE,
                            point.code, point.pinyin, _point_title(point, placement), point.location, site.panel, x, y,
                            pside, placement, point.source, meridian=point.meridian, caution=caution.note if caution else None,
                            english=point.english, hanzi=point.hanzi, needling=needling(getattr(point, "needling", None)))
            if Layer.ACUPUNCTURE in chosen:
                out.append(marker)
            if Layer.PREGNANCY_CAUTIONS in chosen and caution:
                out.append(replace(marker, id=ctx.ids(marker.id.replace("-acu-", "-preg-", 1)), layer=Layer.PREGNANCY_CAUTIONS,
                                   title=f"{point.code} {point.pinyin}: traditional caution in pregnancy. {caution.note}",
                                   source=caution.source))
    return out


def _area_polygons(ctx: Context, sites: tuple[Site, ...], who: str) -> list[tuple[str, tuple[Point, ...]]]:
    """A polygon for the right side and its mirror for the left (one if it spans the midline)."""
    poly = tuple(resolve(s, ctx.panels, who) for s in sites)
    panel = ctx.panels[sites[0].panel]
    if not panel.two_sided:
        return [(panel.side, poly)]
    xs = [p[0] for p in poly]
    assert panel.midline_x is not None
    if min(xs) < panel.midline_x - 0.5 < panel.midline_x + 0.5 < max(xs):
        return [("midline", poly)]
    return [("right", poly), ("left", tuple(panel.mirror(p) for p in poly))]


def _zones(ctx: Context, sites: tuple[Site, ...], who: str, base: str, **fields: Any) -> list[Zone]:
    panel = sites[0].panel
    if not ctx.visible(panel):
        return []
    out = []
    for zside, poly in _area_polygons(ctx, sites, who):
        zside = ctx.side_on(panel, zside)
        if ctx.keep(zside):
            out.append(Zone(ctx.ids(f"{base}-{zside}"), panel=panel, points=poly, path=smooth(poly, True), **fields))
    return out


def muscle_zones(ctx: Context, muscle: Muscle, outline: bool, referral: bool) -> list[Zone]:
    """The muscle's faint outline (so a reader sees which muscle a trigger point sits in) and its referral zones."""
    out: list[Zone] = []
    if outline and muscle.outline:
        out += _zones(ctx, muscle.outline, f"{muscle.id} outline", f"{ctx.prefix}-muscle-{muscle.id}-{muscle.outline[0].panel}",
                      layer=Layer.DRY_NEEDLING, kind="muscle", name=muscle.name, title=f"{muscle.name}: {muscle.location}",
                      source=muscle.source)
    for n, area in enumerate(muscle.referral if referral else ()):
        text = f"Referred pain from {muscle.name}" + (f": {area.description}" if area.description else "")
        out += _zones(ctx, area.points, f"{muscle.id} referral", f"{ctx.prefix}-ref-{muscle.id}-{area.panel}-{n}",
                      layer=Layer.REFERRAL_ZONES, kind="referral", name=muscle.name, title=text, source=muscle.source)
    return out


def danger_zones(ctx: Context) -> list[Zone]:
    out: list[Zone] = []
    for dz in ctx.catalog.danger_zones:
        for n, area in enumerate(dz.areas):
            out += _zones(ctx, area.points, f"danger zone {dz.id}", f"{ctx.prefix}-danger-{dz.id}-{area.panel}-{n}",
                          layer=Layer.DANGER_ZONES, kind="danger", name=dz.name, title=f"{dz.name}: {dz.reason}",
                          source=dz.source)
    return out


def _number(code: str, mid: str) -> int:
    return int(code[len(mid):])


def branches_with(path: tuple[tuple[str, ...], ...], extra: list[str], mid: str) -> list[list[str]]:
    """The skeleton's branches with the complaint's own points of this channel slotted in.

    A point goes between two consecutive skeleton points whose numbers bracket it (channel
    order); a point no branch brackets stays a marker without joining the drawn path.
    """
    branches = [list(b) for b in path] or [[]]
    for code in sorted(set(extra) - {c for b in branches for c in b}, key=lambda c: _number(c, mid)):
        n = _number(code, mid)
        if _slot(branches, code, n, mid):
            continue
        main = branches[0]  # beyond either end of the main branch: extend it
        if not main or n > _number(main[-1], mid):
            main.append(code)
        elif n < _number(main[0], mid):
            main.insert(0, code)
    return branches


def _slot(branches: list[list[str]], code: str, n: int, mid: str) -> bool:
    """Insert between the closest bracketing pair (BL52 joins BL41-BL54, not BL40-BL60)."""
    best: tuple[int, list[str], int] | None = None
    for branch in branches:
        for i in range(len(branch) - 1):
            a, b = _number(branch[i], mid), _number(branch[i + 1], mid)
            if a < n < b and (best is None or b - a < best[0]):
                best = (b - a, branch, i + 1)
    if best is None:
        return False
    best[1].insert(best[2], code)
    return True


def _positions(ctx: Context, codes: set[str]) -> dict[tuple[str, str], dict[str, Point]]:
    """Where each point of a channel's path sits, per visible body panel and side."""
    where: dict[tuple[str, str], dict[str, Point]] = {}
    for code in codes:
        ap = ctx.catalog.acupoints[code]
        for site in ap.sites:
            if ctx.panels.get(site.panel) is None or ctx.panels[site.panel].kind != "body" or not ctx.visible(site.panel):
                continue
            for pside, pt in place(site, ctx.panels, bilateral=ap.bilateral, who=code):
                for s in (("left", "right") if pside == "midline" and ap.bilateral else (pside,)):
                    where.setdefault((site.panel, s), {})[code] = pt
    return where


def _runs(branches: list[list[str]], pos: dict[str, Point]) -> list[list[Point]]:
    # A run breaks where the channel leaves this view (e.g. BL runs from the inner eye corner
    # over the back: on the front view BL1 and BL67 must not be joined).
    runs: list[list[Point]] = []
    for branch in branches:
        runs.append([])
        for code in branch:
            if code in pos:
                runs[-1].append(pos[code])
            elif runs[-1]:
                runs.append([])
    return [r for r in runs if len(r) >= 2]


def channels(ctx: Context, points: tuple[tuple[Acupoint, str | None], ...]) -> list[Channel]:
    """The channels the points lie on, through each channel's skeleton points in order."""
    wanted = list(dict.fromkeys(p.meridian for p, _ in points if p.meridian))
    order = list(ctx.catalog.meridians)
    out = []
    for mid in wanted:
        meridian = ctx.catalog.meridians.get(mid)
        if meridian is None:
            continue
        branches = branches_with(meridian.path, [p.code for p, _ in points if p.meridian == mid], mid)
        for (panel_id, pside), pos in sorted(_positions(ctx, {c for b in branches for c in b}).items()):
            pside = ctx.side_on(panel_id, pside)
            if not ctx.keep(pside):
                continue
            runs = _runs(branches, pos)
            # Name each channel once per panel (not on the mirrored path too), mid-way along its
            # longest run, so channels that start together do not stack their names.
            longest = max(range(len(runs)), key=lambda i: len(runs[i]), default=0)
            for n, pts in enumerate(runs):
                name_at = len(pts) // 2 if (pside != "left" and n == longest) else None
                poly = tuple(pts)
                out.append(Channel(f"{ctx.prefix}-ch-{mid.lower()}-{panel_id}-{pside}{f'-{n + 1}' if n else ''}", Layer.MERIDIANS,
                                   mid, f"{meridian.name} ({mid})", panel_id, pside, poly,
                                   order.index(mid) if mid in order else 0, name_at, smooth(poly, False)))
    return out
