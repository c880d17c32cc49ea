"""The scene: a renderer-agnostic description of one diagram (panels, layers, markers, zones).

`build_scene` decides *what* is drawn and *where* (in each panel's own units, plus where each
panel sits on the page); the renderers decide only *how* it looks. The JSON export is this
scene serialised, and is a public contract (see README).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .catalog import Catalog
from .errors import OptionError
from .geometry import Panel, Point
from .models import Acupoint, Muscle
from .placement import place, resolve
from . import style

SCENE_VERSION = 1

OVERLAYS = (
    "dry-needling",
    "acupuncture",
    "referral-zones",
    "meridians",
    "labels",
    "danger-zones",
    "pregnancy-cautions",
)
DEFAULT_OVERLAYS = ("dry-needling", "acupuncture", "labels")
# Drawing order, bottom to top: areas under lines under markers under text.
LAYER_ORDER = ("danger-zones", "referral-zones", "meridians", "dry-needling", "acupuncture", "pregnancy-cautions", "labels")
VIEWS = ("both", "posterior", "anterior", "lateral", "all")
BODY_PANELS_BY_VIEW = {
    "both": ("body-posterior", "body-anterior"),
    "posterior": ("body-posterior",),
    "anterior": ("body-anterior",),
    "lateral": ("body-lateral",),
    "all": ("body-posterior", "body-anterior", "body-lateral"),
}
SIDES = ("both", "left", "right")

DISCLAIMER = "Educational illustration, not medical advice. See a qualified practitioner before any needling."
SOURCES_LINE = "Acupoints: WHO Standard Acupuncture Point Locations (2008). Trigger points: Travell & Simons."

BODY_WIDTH_GAP = 24.0  # page units between panels
DETAIL_COLUMN_WIDTH = 250.0
HEADER_HEIGHT = 70.0
LEGEND_ROW = 24.0
NOTES_HEIGHT = 64.0  # the sources line and the disclaimer under the legend


def footer_height(legend_entries: int) -> float:
    return 16.0 + LEGEND_ROW * ((legend_entries + 1) // 2) + NOTES_HEIGHT


@dataclass(frozen=True)
class PanelPlacement:
    """A panel and where it sits on the page: page = (offset + scale * panel units)."""

    panel: Panel
    x: float
    y: float
    scale: float

    def to_page(self, p: Point) -> Point:
        return (self.x + self.scale * p[0], self.y + self.scale * p[1])


@dataclass(frozen=True)
class Marker:
    id: str
    layer: str
    therapy: str  # dry-needling | acupuncture
    code: str  # WHO code, or the trigger point id
    name: str
    title: str  # tooltip: code or muscle, name, one-line location
    location: str
    panel: str
    x: float
    y: float
    side: str
    placement: str | None  # local | distal (acupuncture only)
    source: str
    meridian: str | None = None
    muscle: str | None = None
    caution: str | None = None  # the pregnancy caution note, when the point carries one


@dataclass(frozen=True)
class Zone:
    id: str
    layer: str
    kind: str  # referral | danger | muscle (a faint outline of a muscle that is needled)
    name: str
    title: str
    panel: str
    points: tuple[Point, ...]
    source: str


@dataclass(frozen=True)
class Channel:
    id: str
    layer: str
    meridian: str
    name: str
    panel: str
    side: str
    points: tuple[Point, ...]
    style: int  # index into the renderer's channel styles, stable per meridian
    name_at: int | None = None  # index of the point the channel's code is written beside (one side only)


@dataclass(frozen=True)
class Label:
    id: str
    layer: str
    text: str
    panel: str
    x: float  # anchor point in panel units (the marker)
    y: float
    align: str  # left | right: which side of the anchor the text goes
    colour: str  # dry-needling | acupuncture
    tx: float = 0.0  # where the text's baseline anchor sits on the page (after de-overlapping)
    ty: float = 0.0
    px: float = 0.0  # the marker on the page, where a leader line starts
    py: float = 0.0
    leader: bool = False  # the text was moved away from its marker: draw a line to it


@dataclass(frozen=True)
class LegendEntry:
    key: str
    text: str


@dataclass(frozen=True)
class Scene:
    complaint_id: str
    complaint_name: str
    title: str
    subtitle: str
    id_prefix: str
    overlays: tuple[str, ...]
    view: str
    side: str
    width: float
    height: float
    panels: tuple[PanelPlacement, ...]
    markers: tuple[Marker, ...]
    zones: tuple[Zone, ...]
    channels: tuple[Channel, ...]
    labels: tuple[Label, ...]
    legend: tuple[LegendEntry, ...]
    disclaimer: str = DISCLAIMER
    highlight: tuple[str, ...] = field(default=())

    def layer_items(self, layer: str) -> list[Any]:
        items: list[Any] = []
        for group in (self.zones, self.channels, self.markers, self.labels):
            items.extend(i for i in group if i.layer == layer)
        return items

    def placement(self, panel_id: str) -> PanelPlacement:
        for p in self.panels:
            if p.panel.id == panel_id:
                return p
        raise KeyError(panel_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON scene: a stable contract (keys are only ever added)."""
        return {
            "version": SCENE_VERSION,
            "complaint": {"id": self.complaint_id, "name": self.complaint_name},
            "overlays": list(self.overlays),
            "view": self.view,
            "side": self.side,
            "width": round(self.width, 2),
            "height": round(self.height, 2),
            "disclaimer": self.disclaimer,
            "panels": [
                {
                    "id": pp.panel.id,
                    "kind": pp.panel.kind,
                    "view": pp.panel.view,
                    "title": pp.panel.title,
                    "width": pp.panel.width,
                    "height": pp.panel.height,
                    "outline": [list(p) for p in pp.panel.outlines[0]],
                    "outlines": [[list(p) for p in poly] for poly in pp.panel.outlines],
                    "page": {"x": round(pp.x, 3), "y": round(pp.y, 3), "scale": round(pp.scale, 6)},
                }
                for pp in self.panels
            ],
            "markers": [
                {
                    "id": m.id,
                    "therapy": m.therapy,
                    "code": m.code,
                    "name": m.name,
                    "panel": m.panel,
                    "x": round(m.x, 2),
                    "y": round(m.y, 2),
                    "side": m.side,
                    "placement": m.placement,
                    "source": m.source,
                    "location": m.location,
                    "meridian": m.meridian,
                    "muscle": m.muscle,
                    "pregnancy_caution": m.caution,
                }
                for m in self.markers
            ],
            "zones": [
                {**asdict(z), "points": [[round(x, 2), round(y, 2)] for x, y in z.points]} for z in self.zones
            ],
            "channels": [
                {**asdict(c), "points": [[round(x, 2), round(y, 2)] for x, y in c.points]} for c in self.channels
            ],
            "legend": [asdict(e) for e in self.legend],
        }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def check_choice(value: Any, valid: Iterable[str], what: str) -> str:
    valid = tuple(valid)
    if not isinstance(value, str) or value not in valid:
        raise OptionError(f"unknown {what} {value!r}; valid: {', '.join(valid)}")
    return value


def normalise_overlays(overlays: Iterable[str] | str | None) -> tuple[str, ...]:
    if overlays is None:
        return DEFAULT_OVERLAYS
    if isinstance(overlays, str):
        overlays = [overlays]
    chosen = {check_choice(o, OVERLAYS, "overlay") for o in overlays}
    return tuple(o for o in OVERLAYS if o in chosen)


def _panel_ids(view: str, wanted_details: set[str], panels: Mapping[str, Panel]) -> list[str]:
    bodies = BODY_PANELS_BY_VIEW[view]
    details = [pid for pid, p in panels.items() if p.kind != "body" and pid in wanted_details]
    return [b for b in bodies if b in panels] + details


def layout(panel_ids: list[str], panels: Mapping[str, Panel]) -> tuple[list[PanelPlacement], float, float]:
    """Bodies side by side at full scale; detail panels in a column (two if needed) beside them."""
    bodies = [panels[p] for p in panel_ids if panels[p].kind == "body"]
    details = [panels[p] for p in panel_ids if panels[p].kind != "body"]
    placed: list[PanelPlacement] = []
    x = BODY_WIDTH_GAP
    body_height = max((b.height for b in bodies), default=600.0)
    for body in bodies:
        placed.append(PanelPlacement(body, x, HEADER_HEIGHT, 1.0))
        x += body.width + BODY_WIDTH_GAP
    if details:
        # Detail panels are scaled to a common width; use a second column if one is too tall.
        heights = [d.height * DETAIL_COLUMN_WIDTH / d.width for d in details]
        columns = 1 if sum(heights) + BODY_WIDTH_GAP * (len(details) - 1) <= body_height else 2
        per_col = -(-len(details) // columns)
        for c in range(columns):
            col = details[c * per_col : (c + 1) * per_col]
            col_heights = heights[c * per_col : (c + 1) * per_col]
            total = sum(col_heights) + BODY_WIDTH_GAP * (len(col) - 1)
            shrink = min(1.0, body_height / total) if total else 1.0
            y = HEADER_HEIGHT
            for panel, h in zip(col, col_heights):
                scale = DETAIL_COLUMN_WIDTH / panel.width * shrink
                placed.append(PanelPlacement(panel, x + (DETAIL_COLUMN_WIDTH - panel.width * scale) / 2, y, scale))
                y += h * shrink + BODY_WIDTH_GAP
            x += DETAIL_COLUMN_WIDTH + BODY_WIDTH_GAP
    content_height = max([body_height] + [p.y - HEADER_HEIGHT + p.panel.height * p.scale for p in placed])
    return placed, x, HEADER_HEIGHT + content_height


def _point_title(point: Acupoint, placement: str | None) -> str:
    hanzi = f" ({point.hanzi})" if point.hanzi else ""
    english = f", {point.english}" if point.english else ""
    where = f" {placement.capitalize()} point." if placement else ""
    return f"{point.code} {point.pinyin}{hanzi}{english}.{where} {point.location}"


def _keep_side(side_wanted: str, side: str) -> bool:
    return side_wanted == "both" or side in (side_wanted, "midline") or side not in ("left", "right")


def build_scene(
    catalog: Catalog,
    panels: Mapping[str, Panel],
    complaint_id: str,
    overlays: Iterable[str] | str | None = None,
    view: str = "both",
    side: str = "both",
    id_prefix: str | None = None,
    highlight: Iterable[str] = (),
    fixed_layout: bool = False,
) -> Scene:
    """Everything one complaint's diagram shows, positioned, with stable ids and stable order.

    fixed_layout: lay out every panel either therapy of this complaint uses, whatever the
    overlays, so two diagrams shown side by side have the same panels at the same scale.
    """
    complaint = catalog.complaint(complaint_id)
    return compose(catalog, panels, complaint.id, complaint.name, catalog.points_for(complaint.id),
                   catalog.muscles_for(complaint.id), overlays, view, side,
                   id_prefix if id_prefix is not None else f"bm-{complaint.id}", highlight, fixed_layout=fixed_layout)


def build_atlas(catalog: Catalog, panels: Mapping[str, Panel], overlays: Iterable[str] | str | None = None) -> Scene:
    """Every acupoint and trigger point the catalog knows, labelled: for checking positions."""
    points = tuple((p, None) for p in catalog.acupoints.values())
    chosen = overlays if overlays is not None else ("dry-needling", "acupuncture", "labels")
    return compose(catalog, panels, "atlas", "Atlas of every point and trigger point", points,
                   tuple(catalog.muscles.values()), chosen, "both", "both", "bm-atlas", (), all_details=True)


def compose(
    catalog: Catalog,
    panels: Mapping[str, Panel],
    scene_id: str,
    scene_name: str,
    points: tuple[tuple[Acupoint, str | None], ...],
    muscles: tuple[Muscle, ...],
    overlays: Iterable[str] | str | None,
    view: str,
    side: str,
    id_prefix: str,
    highlight: Iterable[str] = (),
    all_details: bool = False,
    fixed_layout: bool = False,
) -> Scene:
    chosen = normalise_overlays(overlays)
    check_choice(view, VIEWS, "view")
    check_choice(side, SIDES, "side")
    prefix = _slug(id_prefix)
    body_ids = set(_panel_ids(view, set(), panels))

    markers: list[Marker] = []
    zones: list[Zone] = []
    channels: list[Channel] = []
    used_ids: set[str] = set()

    def unique(base: str) -> str:
        candidate, n = base, 2
        while candidate in used_ids:
            candidate, n = f"{base}-{n}", n + 1
        used_ids.add(candidate)
        return candidate

    def visible(panel_id: str) -> bool:
        return panel_id in panels and (panels[panel_id].kind != "body" or panel_id in body_ids)

    if "dry-needling" in chosen or "referral-zones" in chosen:
        for muscle in muscles:
            if "dry-needling" in chosen:
                zones.extend(_muscle_outlines(muscle, panels, prefix, side, visible, unique))
                markers.extend(_trigger_markers(muscle, panels, prefix, side, visible, unique))
            if "referral-zones" in chosen:
                zones.extend(_referral_zones(muscle, panels, prefix, side, visible, unique))

    if "acupuncture" in chosen or "pregnancy-cautions" in chosen:
        for point, placement in points:
            for site in point.sites:
                if not visible(site.panel):
                    continue
                for pside, (x, y) in place(site, panels, bilateral=point.bilateral, who=point.code):
                    if not _keep_side(side, pside):
                        continue
                    caution = point.pregnancy_caution.note if point.pregnancy_caution else None
                    marker = Marker(
                        id=unique(f"{prefix}-acu-{_slug(point.code)}-{site.panel}-{pside}"),
                        layer="acupuncture",
                        therapy="acupuncture",
                        code=point.code,
                        name=point.pinyin,
                        title=_point_title(point, placement),
                        location=point.location,
                        panel=site.panel,
                        x=x,
                        y=y,
                        side=pside,
                        placement=placement,
                        source=point.source,
                        meridian=point.meridian,
                        caution=caution,
                    )
                    if "acupuncture" in chosen:
                        markers.append(marker)
                    if "pregnancy-cautions" in chosen and caution:
                        markers.append(
                            Marker(**{**asdict(marker), "id": unique(marker.id.replace("-acu-", "-preg-", 1)), "layer": "pregnancy-cautions",
                                      "title": f"{point.code} {point.pinyin}: traditional caution in pregnancy. {caution}",
                                      "source": point.pregnancy_caution.source})  # type: ignore[union-attr]
                        )

    if "meridians" in chosen:
        channels.extend(_channels(catalog, panels, points, prefix, side, visible))

    if "danger-zones" in chosen:
        for dz in catalog.danger_zones:
            for n, area in enumerate(dz.areas):
                if not visible(area.panel):
                    continue
                for zside, poly in _area_polygons(area.points, panels, f"danger zone {dz.id}"):
                    if not _keep_side(side, zside):
                        continue
                    zones.append(Zone(unique(f"{prefix}-danger-{dz.id}-{area.panel}-{n}-{zside}"), "danger-zones", "danger",
                                      dz.name, f"{dz.name}: {dz.reason}", area.panel, poly, dz.source))

    detail_panels = {m.panel for m in markers} | {z.panel for z in zones} | {c.panel for c in channels}
    if "acupuncture" in chosen:
        detail_panels |= {s.panel for p, _ in points for s in p.sites}
    if all_details:
        detail_panels |= set(panels)
    if fixed_layout:
        detail_panels |= {s.panel for p, _ in points for s in p.sites}
        for muscle in muscles:
            detail_panels |= {s.panel for tp in muscle.trigger_points for s in tp.sites}
            detail_panels |= {a.panel for a in muscle.referral}
    placed, width, content_bottom = layout(_panel_ids(view, detail_panels, panels), panels)
    shown = {p.panel.id for p in placed}
    markers = [m for m in markers if m.panel in shown]

    reference = None
    if fixed_layout and not {"dry-needling", "acupuncture", "labels"} <= set(chosen):
        # The page as it would be with both therapies labelled: panels and width come from it,
        # so the diagrams of one complaint share one scale whatever their overlays.
        reference = compose(catalog, panels, scene_id, scene_name, points, muscles,
                            tuple(set(chosen) | {"dry-needling", "acupuncture", "labels"}), view, side, id_prefix,
                            all_details=all_details, fixed_layout=True)
        placed, width = list(reference.panels), reference.width
    labels: list[Label] = []
    if "labels" in chosen and reference is not None:
        labels = _labels(markers, {p.panel.id: p for p in placed}, prefix, balance=all_details)
    elif "labels" in chosen:
        labels = _labels(markers, {p.panel.id: p for p in placed}, prefix, balance=all_details)
        # Long muscle names can run off the left edge: move the panels right to make room.
        left = min((lab.tx - style.label_width(lab.text) if lab.align == "left" else lab.tx) for lab in labels) if labels else 0
        if left < 6:
            dx = 6 - left
            placed = [replace(p, x=p.x + dx) for p in placed]
            width += dx
            labels = _labels(markers, {p.panel.id: p for p in placed}, prefix, balance=all_details)
        right = max((lab.tx + style.label_width(lab.text) if lab.align == "right" else lab.tx) for lab in labels) if labels else 0
        width = max(width, right + 6)
    legend = _legend(chosen, markers, zones, channels)
    width = max(width, 720.0)  # room for the legend's two columns and the notes line
    height = content_bottom + footer_height(len(legend))
    therapy_names = [t for t in ("dry-needling", "acupuncture") if t in chosen]
    subtitle = " vs ".join({"dry-needling": "Dry needling (local trigger points)", "acupuncture": "Acupuncture (local and distal points)"}[t] for t in therapy_names)
    return Scene(
        complaint_id=scene_id,
        complaint_name=scene_name,
        title=scene_name,
        subtitle=subtitle or "Anatomy only",
        id_prefix=prefix,
        overlays=chosen,
        view=view,
        side=side,
        width=width,
        height=height,
        panels=tuple(placed),
        markers=tuple(markers),
        zones=tuple(z for z in zones if z.panel in shown),
        channels=tuple(c for c in channels if c.panel in shown),
        labels=tuple(labels),
        legend=tuple(legend),
        highlight=tuple(highlight),
    )


def _trigger_markers(muscle: Muscle, panels, prefix, side, visible, unique) -> list[Marker]:
    out = []
    for tp in muscle.trigger_points:
        for site in tp.sites:
            if not visible(site.panel):
                continue
            for tside, (x, y) in place(site, panels, bilateral=True, who=f"{muscle.id}/{tp.id}"):
                if not _keep_side(side, tside):
                    continue
                out.append(
                    Marker(
                        id=unique(f"{prefix}-dn-{tp.id}-{site.panel}-{tside}"),
                        layer="dry-needling",
                        therapy="dry-needling",
                        code=tp.id,
                        name=muscle.name,
                        title=f"{muscle.name}: {tp.name}. {tp.location}",
                        location=tp.location,
                        panel=site.panel,
                        x=x,
                        y=y,
                        side=tside,
                        placement=None,
                        source=muscle.source,
                        muscle=muscle.id,
                    )
                )
    return out


def _area_polygons(sites, panels, who) -> list[tuple[str, tuple[Point, ...]]]:
    """A polygon for the right side and its mirror for the left (one if it spans the midline)."""
    poly = tuple(resolve(s, panels, who) for s in sites)
    panel = panels[sites[0].panel]
    if not panel.two_sided:
        return [(panel.side, poly)]
    xs = [p[0] for p in poly]
    assert panel.midline_x is not None
    if min(xs) < panel.midline_x - 0.5 < panel.midline_x + 0.5 < max(xs):
        return [("midline", poly)]
    return [("right", poly), ("left", tuple(panel.mirror(p) for p in poly))]


def _muscle_outlines(muscle: Muscle, panels, prefix, side, visible, unique) -> list[Zone]:
    """The muscle's faint outline, so a reader sees which muscle a trigger point sits in."""
    if not muscle.outline or not visible(muscle.outline[0].panel):
        return []
    out = []
    for mside, poly in _area_polygons(muscle.outline, panels, f"{muscle.id} outline"):
        if _keep_side(side, mside):
            out.append(Zone(unique(f"{prefix}-muscle-{muscle.id}-{muscle.outline[0].panel}-{mside}"), "dry-needling", "muscle",
                            muscle.name, f"{muscle.name}: {muscle.location}", muscle.outline[0].panel, poly, muscle.source))
    return out


def _referral_zones(muscle: Muscle, panels, prefix, side, visible, unique) -> list[Zone]:
    out = []
    for n, area in enumerate(muscle.referral):
        if not visible(area.panel):
            continue
        for zside, poly in _area_polygons(area.points, panels, f"{muscle.id} referral"):
            if not _keep_side(side, zside):
                continue
            text = f"Referred pain from {muscle.name}" + (f": {area.description}" if area.description else "")
            out.append(Zone(unique(f"{prefix}-ref-{muscle.id}-{area.panel}-{n}-{zside}"), "referral-zones", "referral",
                            muscle.name, text, area.panel, poly, muscle.source))
    return out


def _number(code: str, mid: str) -> int:
    return int(code[len(mid):])


def _branches_with(path: tuple[tuple[str, ...], ...], extra: list[str], mid: str) -> list[list[str]]:
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


def _channels(catalog: Catalog, panels, points, prefix, side, visible) -> list[Channel]:
    """The channels the complaint's points lie on, through the channel's skeleton points in order."""
    wanted = []
    for point, _ in points:
        if point.meridian and point.meridian not in wanted:
            wanted.append(point.meridian)
    order = list(catalog.meridians)
    out = []
    for mid in wanted:
        meridian = catalog.meridians.get(mid)
        if meridian is None:
            continue
        branches = _branches_with(meridian.path, [p.code for p, _ in points if p.meridian == mid], mid)
        # Where each point of the path sits, per body panel and side.
        where: dict[tuple[str, str], dict[str, Point]] = {}
        for code in {c for b in branches for c in b}:
            ap = catalog.acupoints[code]
            for site in ap.sites:
                if panels.get(site.panel) is None or panels[site.panel].kind != "body" or not visible(site.panel):
                    continue
                for pside, pt in place(site, panels, bilateral=ap.bilateral, who=code):
                    sides = ("left", "right") if pside == "midline" and ap.bilateral else (pside,)
                    for s in sides:
                        where.setdefault((site.panel, s), {})[code] = pt
        for (panel_id, pside), pos in sorted(where.items()):
            if not _keep_side(side, pside):
                continue
            # A run breaks where the channel leaves this view (e.g. BL runs from the inner eye
            # corner over the back: on the front view BL1 and BL67 must not be joined).
            runs: list[list[Point]] = []
            for branch in branches:
                runs.append([])
                for code in branch:
                    if code in pos:
                        runs[-1].append(pos[code])
                    elif runs[-1]:
                        runs.append([])
            runs = [r for r in runs if len(r) >= 2]
            for n, pts in enumerate(runs):
                # Name each channel once per panel (not on the mirrored path too), mid-way along its
                # longest run, so channels that start together do not stack their names.
                longest = max(range(len(runs)), key=lambda i: len(runs[i]))
                name_at = len(pts) // 2 if (pside != "left" and n == longest) else None
                suffix = f"-{n + 1}" if n else ""
                out.append(Channel(f"{prefix}-ch-{mid.lower()}-{panel_id}-{pside}{suffix}", "meridians", mid,
                                   f"{meridian.name} ({mid})", panel_id, pside, tuple(pts),
                                   order.index(mid) if mid in order else 0, name_at))
    return out


def _labels(markers: list[Marker], placed: Mapping[str, PanelPlacement], prefix: str, balance: bool = False) -> list[Label]:
    """One label per point (or per muscle) per panel, set in a column beside its cluster.

    On two-sided panels dry-needling labels go to the viewer's left and acupuncture labels to
    the right, each on the marker of that side, so the two therapies never compete for room.
    Labels are pushed apart vertically and keep a leader line to their marker when moved.
    With `balance` (the atlas, where one side cannot hold every label) acupuncture labels
    alternate between the two sides, top to bottom.
    """
    chosen: dict[tuple[str, str, str], Marker] = {}
    go_left: set[tuple[str, str]] = set()
    if balance:
        acu = sorted({(m.panel, m.code, round(m.y, 1)) for m in markers if m.layer == "acupuncture"},
                     key=lambda t: (t[0], t[2], t[1]))
        go_left = {(panel, code) for i, (panel, code, _) in enumerate(acu) if i % 2}
    for m in markers:
        if m.layer not in ("dry-needling", "acupuncture"):
            continue
        two_sided = placed[m.panel].panel.two_sided
        key = (m.layer, (m.muscle or m.code) if m.therapy == "dry-needling" else m.code, m.panel)
        prev = chosen.get(key)
        want_left = m.therapy == "dry-needling" or (m.panel, m.code) in go_left
        if prev is None:
            chosen[key] = m
        elif two_sided and ((m.x < prev.x - 0.5) if want_left else (m.x > prev.x + 0.5)):
            chosen[key] = m
        elif abs(m.x - prev.x) <= 0.5 and m.y < prev.y:
            chosen[key] = m
    groups: dict[tuple[str, str], list[tuple[str, str, Marker, float, float]]] = {}
    for (layer, key, panel_id), m in chosen.items():
        pp = placed[panel_id]
        panel = pp.panel
        text = m.code if m.therapy == "acupuncture" else m.name
        if panel.two_sided and panel.midline_x is not None:
            align = "left" if (m.therapy == "dry-needling" or (m.panel, m.code) in go_left) else "right"
        else:
            align = "right" if m.x < panel.width * 0.6 else "left"
        px, py = pp.to_page((m.x, m.y))
        groups.setdefault((panel_id, align), []).append((f"{prefix}-label-{_slug(layer)}-{_slug(key)}-{panel_id}", text, m, px, py))
    # Every marker on the page, so a label column also clears the other therapy's markers.
    page_marks: dict[str, list[tuple[float, float]]] = {}
    for m in markers:
        page_marks.setdefault(m.panel, []).append(placed[m.panel].to_page((m.x, m.y)))
    out = []
    gap, line = 12.0, style.LABEL_SIZE + 2.0
    for (panel_id, align), items in sorted(groups.items()):
        items.sort(key=lambda d: (d[4], d[0]))
        # Clusters: anchors closer than a few lines share one text column.
        clusters: list[list[tuple[str, str, Marker, float, float]]] = []
        for item in items:
            if clusters and item[4] - clusters[-1][-1][4] < 3 * line:
                clusters[-1].append(item)
            else:
                clusters.append([item])
        placed_text: list[list] = []  # [lid, text, marker, px, py, column, ty]
        last_y = -1e9
        for cluster in clusters:
            xs = [c[3] for c in cluster]
            top, bottom = cluster[0][4] - 8.0, cluster[-1][4] + 8.0
            band = [x for x, y in page_marks.get(panel_id, ()) if top <= y <= bottom]
            if align == "right":
                column = max([x for x in band if x >= min(xs) - 1.0] + xs) + gap
            else:
                column = min([x for x in band if x <= max(xs) + 1.0] + xs) - gap
            for lid, text, m, px, py in cluster:
                ty = max(py + 4.0, last_y + line)
                last_y = ty
                placed_text.append([lid, text, m, px, py, column, ty])
        # Pushed past the panel's foot (into the legend)? Pull the stack back up from the bottom.
        pp = placed[panel_id]
        floor = pp.y + pp.panel.height * pp.scale
        for item in reversed(placed_text):
            item[6] = max(min(item[6], floor), pp.y + line)  # never above the panel either
            floor = item[6] - line
        for lid, text, m, px, py, column, ty in placed_text:
            moved = abs(ty - (py + 4.0)) > 2.0 or abs(column - (px + (gap if align == "right" else -gap))) > 2.0
            out.append(Label(lid, "labels", text, m.panel, m.x, m.y, align, m.therapy, round(column, 2), round(ty, 2),
                             round(px, 2), round(py, 2), moved))
    out.sort(key=lambda lab: lab.id)
    return out


def _legend(chosen, markers, zones, channels) -> list[LegendEntry]:
    entries = []
    drawn = {(m.layer, m.placement) for m in markers}
    if any(layer == "dry-needling" for layer, _ in drawn):
        entries.append(LegendEntry("dry-needling", "Dry needling: myofascial trigger point"))
    if ("acupuncture", "local") in drawn or ("acupuncture", None) in drawn:
        entries.append(LegendEntry("acupuncture-local", "Acupuncture: local point (near the pain)"))
    if ("acupuncture", "distal") in drawn:
        entries.append(LegendEntry("acupuncture-distal", "Acupuncture: distal point (far from the pain)"))
    if any(z.kind == "muscle" for z in zones):
        entries.append(LegendEntry("muscle-outline", "Muscle that is needled (faint outline)"))
    if any(z.kind == "referral" for z in zones):
        entries.append(LegendEntry("referral-zone", "Referred pain zone of a trigger point"))
    if "meridians" in chosen and channels:
        entries.append(LegendEntry("meridian", "Meridian (channel) the points lie on"))
    if any(z.kind == "danger" for z in zones):
        entries.append(LegendEntry("danger-zone", "Needle with particular care"))
    if any(m.layer == "pregnancy-cautions" for m in markers):
        entries.append(LegendEntry("pregnancy-caution", "Traditionally cautioned in pregnancy"))
    return entries
