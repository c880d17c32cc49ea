"""The scene: one diagram's content composed with its page layout (the JSON export is this, serialised).

`compose` is a short pipeline: markers -> zones -> channels -> panel layout -> labels -> legend
-> page boxes. What each step makes lives in `items`, `layout` and `labels`; the types in
`scenetypes` (re-exported here, where callers have always found them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from . import items, theme
from .catalog import Catalog
from .errors import OptionError
from .geometry import Panel
from .labels import extent, place_labels
from .layout import BODY_PANELS_BY_VIEW, page_layout, panel_ids, place_panels
from .models import Acupoint, Muscle
from .scenetypes import (DEFAULT_OVERLAYS, DISCLAIMER, LAYER_ORDER, OVERLAYS, SCENE_VERSION, SIDES, SOURCES_LINE, VIEWS,
                         Box, Channel, Label, LegendEntry, Marker, PageLayout, PanelPlacement, Scene, Zone)

__all__ = ["BODY_PANELS_BY_VIEW", "DEFAULT_OVERLAYS", "DISCLAIMER", "LAYER_ORDER", "OVERLAYS", "SCENE_VERSION", "SIDES",
           "SOURCES_LINE", "VIEWS", "Box", "Channel", "Label", "LegendEntry", "Marker", "PageLayout", "PanelPlacement",
           "Scene", "Zone", "build_atlas", "build_scene", "check_choice", "compose", "normalise_overlays"]

Points = tuple[tuple[Acupoint, str | None], ...]
LABELLED = ("dry-needling", "acupuncture", "labels")


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


def build_scene(catalog: Catalog, panels: Mapping[str, Panel], complaint_id: str, overlays: Iterable[str] | str | None = None,
                view: str = "both", side: str = "both", id_prefix: str | None = None, highlight: Iterable[str] = (),
                fixed_layout: bool = False, label_size: float | None = None) -> Scene:
    """Everything one complaint's diagram shows, positioned, with stable ids and stable order.

    fixed_layout: lay out every panel either therapy of this complaint uses, whatever the
    overlays, so two diagrams shown side by side have the same panels at the same scale.
    label_size: the labels' font size in page units (default theme.LABEL_SIZE); larger for print.
    """
    complaint = catalog.complaint(complaint_id)
    request = Request(catalog, panels, complaint.id, complaint.name, catalog.points_for(complaint.id),
                      catalog.muscles_for(complaint.id), normalise_overlays(overlays), view, side,
                      id_prefix if id_prefix is not None else f"bm-{complaint.id}", tuple(highlight),
                      fixed_layout=fixed_layout, label_size=_label_size(label_size))
    return compose(request)


def build_atlas(catalog: Catalog, panels: Mapping[str, Panel], overlays: Iterable[str] | str | None = None,
                view: str = "both") -> Scene:
    """Every acupoint and trigger point the catalog knows, labelled: for checking positions."""
    points = tuple((p, None) for p in catalog.acupoints.values())
    chosen = normalise_overlays(overlays if overlays is not None else LABELLED)
    return compose(Request(catalog, panels, "atlas", "Atlas of every point and trigger point", points,
                           tuple(catalog.muscles.values()), chosen, view, "both", "bm-atlas", (), all_details=True))


def _label_size(size: float | None) -> float:
    if size is None:
        return theme.LABEL_SIZE
    if isinstance(size, bool) or not isinstance(size, (int, float)) or not 4.0 <= float(size) <= 40.0:
        raise OptionError(f"label_size must be a number from 4 to 40 page units, not {size!r}")
    return float(size)


@dataclass(frozen=True)
class Request:
    """What to compose: the data, the points and muscles, and the reader's choices."""

    catalog: Catalog
    panels: Mapping[str, Panel]
    scene_id: str
    scene_name: str
    points: Points
    muscles: tuple[Muscle, ...]
    chosen: tuple[str, ...]
    view: str
    side: str
    id_prefix: str
    highlight: tuple[str, ...] = ()
    all_details: bool = False
    fixed_layout: bool = False
    label_size: float = theme.LABEL_SIZE


def compose(req: Request) -> Scene:
    check_choice(req.view, VIEWS, "view")
    check_choice(req.side, SIDES, "side")
    bodies = set(BODY_PANELS_BY_VIEW[req.view])
    ctx = items.Context(req.catalog, req.panels, items.slug(req.id_prefix), req.side,
                        lambda pid: pid in req.panels and (req.panels[pid].kind != "body" or pid in bodies))
    markers, zones = _markers_and_zones(ctx, req)
    channels = items.channels(ctx, req.points) if "meridians" in req.chosen else []
    if "danger-zones" in req.chosen:
        zones += items.danger_zones(ctx)
    placed, width, bottom = place_panels(panel_ids(req.view, _detail_panels(req, markers, zones, channels), req.panels),
                                         req.panels)
    if req.fixed_layout and not set(LABELLED) <= set(req.chosen):
        # The page as it would be with both therapies labelled: panels and width come from it,
        # so the diagrams of one complaint share one scale whatever their overlays.
        reference = compose(replace(req, chosen=tuple(o for o in OVERLAYS if o in set(req.chosen) | set(LABELLED)),
                                    highlight=()))
        placed, width = list(reference.panels), reference.width
        shift = None
    else:
        shift = 0.0
    shown = {p.panel.id for p in placed}
    markers = [m for m in markers if m.panel in shown]
    labels: list[Label] = []
    if "labels" in req.chosen:
        placed, width, labels = _labelled(req, ctx.prefix, markers, placed, width, may_shift=shift is not None)
    legend = _legend(req.chosen, markers, zones, channels)
    page = page_layout(width, bottom, legend, (SOURCES_LINE, DISCLAIMER))
    return Scene(req.scene_id, req.scene_name, req.scene_name, _subtitle(req.chosen), ctx.prefix, req.chosen, req.view,
                 req.side, page.width, page.height, tuple(placed), tuple(markers),
                 tuple(z for z in zones if z.panel in shown), tuple(c for c in channels if c.panel in shown),
                 tuple(labels), tuple(legend), highlight=req.highlight, layout=page,
                 label_size=req.label_size)


def _markers_and_zones(ctx: items.Context, req: Request) -> tuple[list[Marker], list[Zone]]:
    markers: list[Marker] = []
    zones: list[Zone] = []
    dn, ref = "dry-needling" in req.chosen, "referral-zones" in req.chosen
    for muscle in req.muscles if (dn or ref) else ():
        zones += items.muscle_zones(ctx, muscle, outline=dn, referral=False)
        if dn:
            markers += items.trigger_markers(ctx, muscle)
        zones += items.muscle_zones(ctx, muscle, outline=False, referral=ref)
    if "acupuncture" in req.chosen or "pregnancy-cautions" in req.chosen:
        for point, placement in req.points:
            markers += items.point_markers(ctx, point, placement, req.chosen)
    return markers, zones


def _detail_panels(req: Request, markers, zones, channels) -> set[str]:
    wanted = {m.panel for m in markers} | {z.panel for z in zones} | {c.panel for c in channels}
    if "acupuncture" in req.chosen or req.fixed_layout:
        wanted |= {s.panel for p, _ in req.points for s in p.sites}
    if req.all_details:
        wanted |= set(req.panels)
    if req.fixed_layout:
        for muscle in req.muscles:
            wanted |= {s.panel for tp in muscle.trigger_points for s in tp.sites} | {a.panel for a in muscle.referral}
    return wanted


def _labelled(req: Request, prefix: str, markers: list[Marker], placed: list[PanelPlacement], width: float,
              may_shift: bool) -> tuple[list[PanelPlacement], float, list[Label]]:
    """Labels for the markers; long ones at the left edge move the panels right to make room."""
    labels = place_labels(markers, {p.panel.id: p for p in placed}, prefix, req.label_size, balance=req.all_details)
    if not may_shift or not labels:
        return placed, width, labels
    left, _ = extent(labels)
    if left < theme.EDGE_ROOM:
        dx = theme.EDGE_ROOM - left
        placed = [replace(p, x=p.x + dx) for p in placed]
        width += dx
        labels = place_labels(markers, {p.panel.id: p for p in placed}, prefix, req.label_size, balance=req.all_details)
    return placed, max(width, extent(labels)[1] + theme.EDGE_ROOM), labels


def _subtitle(chosen: tuple[str, ...]) -> str:
    names = {"dry-needling": "Dry needling (local trigger points)", "acupuncture": "Acupuncture (local and distal points)"}
    return " vs ".join(names[t] for t in ("dry-needling", "acupuncture") if t in chosen) or "Anatomy only"


def _legend(chosen, markers, zones, channels) -> list[LegendEntry]:
    drawn = {(m.layer, m.placement) for m in markers}
    kinds = {z.kind for z in zones}
    rows = [
        ("dry-needling", "Dry needling: myofascial trigger point", any(layer == "dry-needling" for layer, _ in drawn)),
        ("acupuncture-local", "Acupuncture: local point (near the pain)",
         ("acupuncture", "local") in drawn or ("acupuncture", None) in drawn),
        ("acupuncture-distal", "Acupuncture: distal point (far from the pain)", ("acupuncture", "distal") in drawn),
        ("muscle-outline", "Muscle that is needled (faint outline)", "muscle" in kinds),
        ("referral-zone", "Referred pain zone of a trigger point", "referral" in kinds),
        ("meridian", "Meridian (channel) the points lie on", "meridians" in chosen and bool(channels)),
        ("danger-zone", "Needle with particular care", "danger" in kinds),
        ("pregnancy-caution", "Traditionally cautioned in pregnancy", any(m.layer == "pregnancy-cautions" for m in markers)),
    ]
    return [LegendEntry(key, text) for key, text, shown in rows if shown]
