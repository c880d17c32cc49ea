"""The scene: one diagram's content composed with its page layout (the JSON export is this, serialised).

`compose` is a short pipeline: markers -> zones -> channels -> panel layout -> labels -> legend
-> page boxes. What each step makes lives in `items`, `layout` and `labels`; the types in
`scenetypes` (re-exported here, where callers have always found them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from bodymap.content import items
from bodymap.content.headline import headline
from bodymap.content.options import RenderOptions, check_choice, normalise_overlays, render_options
from bodymap.content.scenetypes import (
    DEFAULT_OVERLAYS,
    DISCLAIMER,
    LAYER_ORDER,
    OVERLAYS,
    SCENE_VERSION,
    SIDES,
    SOURCES_LINE,
    VIEWS,
    Box,
    Channel,
    Label,
    LegendEntry,
    Marker,
    PageLayout,
    PanelPlacement,
    Scene,
    Zone,
)
from bodymap.core import theme
from bodymap.core.vocabulary import Layer, Placement, Side, Therapy, View
from bodymap.data.catalog import Catalog
from bodymap.data.models import Acupoint, Complaint, Muscle
from bodymap.data.plan import SessionPlan, trigger_points
from bodymap.data.words import nearest_where, patient_name
from bodymap.figures.geometry import Panel
from bodymap.layout import page as layout
from bodymap.layout.declutter import drawn_at, set_apart
from bodymap.layout.labels import callouts, gutter, inline, mark_box, name_channels, place_labels, text_box
from bodymap.layout.leaders import Obstacles
from bodymap.layout.page import BODY_PANELS_BY_VIEW, page_layout, title_anchor

__all__ = ["BODY_PANELS_BY_VIEW", "DEFAULT_OVERLAYS", "DISCLAIMER", "LAYER_ORDER", "OVERLAYS", "SCENE_VERSION", "SIDES",
           "SOURCES_LINE", "VIEWS", "Box", "Channel", "Label", "LegendEntry", "Marker", "PageLayout", "PanelPlacement",
           "RenderOptions", "Scene", "Zone", "build_atlas", "build_scene", "check_choice", "compose", "normalise_overlays",
           "render_options"]

Points = tuple[tuple[Acupoint, str | None], ...]
LABELLED = (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE, Layer.LABELS)
REFERENCE = (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE, Layer.LABELS, Layer.PREGNANCY_CAUTIONS)  # what a page makes room for
__all__ += ["Request"]


def build_scene(catalog: Catalog, panels: Mapping[str, Panel], complaint_id: str,
                options: RenderOptions | None = None) -> Scene:
    """Everything one complaint's diagram shows, positioned, with stable ids and stable order.

    `options` (from `render_options`, default: RenderOptions()) says what to show: view "auto" is the fewest
    body views that show every point. Panels, close-ups and marks come from everything the complaint
    shows, so two diagrams of one complaint always share panels and scale. A narrower page_width stacks
    the panels (a phone, two figures side by side) and keeps every text at its size. With a session plan
    only its points are drawn, on their sides, labelled in patient words. The scene keeps `options`.
    """
    options = options if options is not None else RenderOptions()
    complaint = catalog.complaint(complaint_id)
    points: Points = catalog.points_for(complaint.id)
    muscles = catalog.muscles_for(complaint.id)
    if options.plan is not None:
        points, muscles = plan_items(catalog, complaint.id, options.plan)
    request = Request(catalog, panels, complaint.id, complaint.name, points, muscles, options.overlays, options.view,
                      options.side, options.id_prefix if options.id_prefix is not None else f"bm-{complaint.id}",
                      options.highlight, label_size=options.label_size, page_width=options.page_width, plan=options.plan,
                      labels=not options.draft)
    return replace(compose(request), options=options)


def plan_items(catalog: Catalog, complaint_id: str, plan: SessionPlan) -> tuple[Points, tuple[Muscle, ...]]:
    """The plan's acupoints (placed local or distal as the complaint's protocol places them) and its muscles."""
    # A point of the protocol keeps the protocol's placement and levels (EX-B2 at the levels it uses).
    used = {p.code: (p, where) for p, where in catalog.points_for(complaint_id)}
    points = tuple(used.get(e.code, (catalog.acupoints[e.code], None)) for e in plan.entries if e.code in catalog.acupoints)
    tps = trigger_points(catalog)
    muscles = {tps[e.code][0].id: tps[e.code][0] for e in plan.entries if e.code in tps}
    return points, tuple(muscles.values())


def _in_plan(markers: list[Marker], req: Request) -> list[Marker]:
    """Only the plan's marks, on the side each entry names, labelled in the patient's words.

    A one-sided panel (ear, foot, hand) draws the point whatever the side; its mark takes the entry's side.
    """
    if req.plan is None:
        return markers
    sides = {e.code: e.side for e in req.plan.entries}
    out = []
    for m in markers:
        side = sides.get(m.code)
        if side is None:
            continue
        one_sided = not req.panels[m.panel].two_sided
        if side == Side.BOTH or m.side in (side, "midline") or one_sided:
            out.append(replace(m, side=side if one_sided and side != Side.BOTH else m.side, label=_plan_label(req, m)))
    return out


def _plan_label(req: Request, m: Marker) -> str:
    """'Weizhong, back of the knee (BL40)': where is read at the mark (a point with many levels has many wheres)."""
    panel = req.panels[m.panel]
    near = nearest_where(panel.id, panel.landmarks, m.x, m.y, panel.mirror if panel.two_sided else None)
    name = patient_name(req.catalog, m.code, near)
    return f"{name} ({m.code})" if m.therapy == Therapy.ACUPUNCTURE else name


def build_atlas(catalog: Catalog, panels: Mapping[str, Panel], overlays: Iterable[str] | str | None = None,
                view: str = View.BOTH) -> Scene:
    """Every acupoint and trigger point the catalog knows, labelled: for checking positions (`view` "all" adds the side view)."""
    points = tuple((p, None) for p in catalog.acupoints.values())
    chosen = normalise_overlays(overlays if overlays is not None else LABELLED)
    return compose(Request(catalog, panels, "atlas", "Atlas of every point and trigger point", points,
                           tuple(catalog.muscles.values()), chosen, view, Side.BOTH, "bm-atlas", (), all_details=True))


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
    label_size: float = theme.LABEL_SIZE
    page_width: float = theme.PAGE_WIDTH
    plan: SessionPlan | None = None  # today's points only, when given
    labels: bool = True  # False: no label placed (a draft: what a document needs to choose its print size)
    callout_columns: int = 2  # a narrow page's close-up: labels on both sides (1: one column, on the right)


@dataclass(frozen=True)
class Page:
    """A complaint's page as laid out for everything it can show (the same whatever the overlays)."""

    plan: layout.Plan
    markers: tuple[Marker, ...]  # with their shifts and close-up panels
    placements: dict[str, PanelPlacement]
    labels: tuple[Label, ...]
    bottom: float
    width: float
    zones: tuple[Zone, ...] = ()  # of every layer, in drawing order; a scene keeps those of its overlays
    channels: tuple[Channel, ...] = ()  # named where their code covers no text


_PAGES: dict[tuple, tuple[Catalog, Mapping[str, Panel], Page]] = {}


def page_for(req: Request) -> Page:
    """The laid-out page, cached: it depends on the data, the view, the side and the sizes, never on the overlays."""
    key = (id(req.catalog), id(req.panels), req.scene_id, req.view, req.side, req.id_prefix, req.all_details,
           req.label_size, req.page_width, req.plan.tokens() if req.plan is not None else None, req.labels)
    hit = _PAGES.get(key)
    if hit is not None and hit[0] is req.catalog and hit[1] is req.panels:
        return hit[2]
    page = _lay_out(req)
    if len(_PAGES) >= 64:
        _PAGES.clear()
    _PAGES[key] = (req.catalog, req.panels, page)  # the entry keeps both alive, so their ids are not reused
    return page


def planned(req: Request) -> tuple[layout.Plan, list[Marker]]:
    """The panels and close-ups the page shows, and its markers on them (labels and sizes aside)."""
    prefix = items.slug(req.id_prefix)
    everything = items.Context(req.catalog, req.panels, prefix, req.side, lambda pid: pid in req.panels)
    markers, _ = _markers_and_zones(everything, replace(req, chosen=REFERENCE))
    markers = _in_plan(markers, req)
    narrow = req.page_width < theme.NARROW_PAGE and not req.all_details
    plan = layout.plan(req.view, markers, req.panels, _detail_panels(req, markers), closeups=not req.all_details, narrow=narrow,
                       side=req.side)
    shown = set(plan.bodies) | set(plan.details) | set(plan.plates)
    absorbed = {(b, code) for b, codes, _ in plan.absorbed for code in codes}
    markers = [m for m in markers if m.panel in shown and not ((m.panel, m.code) in absorbed and layout.is_local(m))]
    markers = _into_closeups(markers, plan)
    if narrow:  # a narrow page's close-up shows one side: the local marks of the other side mirror it
        bodies = {body for _, body, _ in plan.closeups}
        markers = [m for m in markers if not (m.panel in bodies and layout.is_local(m))]
    # Print-sized labels: a number that large would not fit in its mark. The atlas names every trigger point
    # on its own card and keeps its measured columns (a numbered name overran its page).
    if req.label_size > theme.MARK_NUMBER_MAX or req.all_details:
        markers = [replace(m, number=None) for m in markers]
    return plan, markers


def _lay_out(req: Request) -> Page:
    """markers -> panels and close-ups -> page layout -> marks set apart -> labels.

    A narrow page tries its close-up's labels in two columns, one each side; when some leader then finds
    no clear way and one column on the right leaves fewer such leaders, it takes the one column."""
    missed: list[int] = []
    page = _lay_out_as(req, missed)
    if missed and missed[-1] and _columns(req) == 2:  # a draft places no label
        one = _lay_out_as(replace(req, callout_columns=1), missed)
        page = one if missed[-1] < missed[-2] else page
    return page


def _columns(req: Request) -> int:
    """Callout columns of a close-up: two on a phone's page; one on a side-by-side page, whose packed layout
    needs the room a second gutter would take (its detail panels sit beside the close-ups), and on a wide page."""
    phone = req.page_width < theme.PACKED_PAGE and not req.all_details
    return req.callout_columns if phone else 1


def _lay_out_as(req: Request, missed: list[int]) -> Page:
    prefix = items.slug(req.id_prefix)
    plan, markers = planned(req)
    placements, bottom, width = placements_for(req, plan, markers)
    req = replace(req, page_width=width)
    markers = set_apart(markers, placements)
    labels = _labels(req, prefix, markers, placements, bottom, missed) if req.labels else []
    numbered = [mark_box(m, placements[m.panel]) for m in markers if m.number is not None]  # texts in their marks
    zones, channels = _areas_and_lines(replace(req, chosen=OVERLAYS), plan, placements, labels, numbered)
    return Page(plan, tuple(markers), placements, tuple(labels), bottom, width, tuple(zones), tuple(channels))


def _areas_and_lines(req: Request, plan: layout.Plan, placements: dict[str, PanelPlacement],
                     labels: list[Label], numbered: list | None = None) -> tuple[list[Zone], list[Channel]]:
    """Every zone and channel of the page (close-ups get their own copies), channels named where there is room."""
    prefix = items.slug(req.id_prefix)
    shown = set(plan.bodies) | set(plan.details) | set(plan.plates)
    ctx = items.Context(req.catalog, req.panels, prefix, req.side, lambda pid: pid in shown)
    _, zones = _markers_and_zones(ctx, req)
    zones += items.danger_zones(ctx)
    channels = items.channels(ctx, req.points)
    zones, channels = _copy_into_closeups(zones, plan, prefix), _copy_into_closeups(channels, plan, prefix)
    taken = [lab_box(lab) for lab in labels] + _title_boxes(placements, req.page_width) + list(numbered or [])
    return zones, name_channels(channels, placements, taken, theme.channel_name_size(req.label_size))


def compose(req: Request) -> Scene:
    """The laid-out page (`page_for`), with the overlays asked for: their marks, labels, zones, channels and legend.

    Layout decisions come from everything the complaint shows with both therapies labelled, so
    switching an overlay on or off never moves a panel, a mark or another label.
    """
    check_choice(req.view, VIEWS, "view")
    check_choice(req.side, SIDES, "side")
    page = page_for(req)
    plan, placements, prefix = page.plan, page.placements, items.slug(req.id_prefix)
    req = replace(req, page_width=page.width)
    labels = [lab for lab in page.labels if lab.colour in req.chosen] if Layer.LABELS in req.chosen else []
    zones = [z for z in page.zones if z.layer in req.chosen]
    channels = list(page.channels) if Layer.MERIDIANS in req.chosen else []
    markers = [m for m in page.markers if m.layer in req.chosen]
    legend = _legend(req.chosen, markers, zones, channels, plan)
    boxes = page_layout(req.page_width, layout.header_height(req.scene_name, req.page_width), page.bottom, legend,
                        (SOURCES_LINE, DISCLAIMER))
    complaint = req.catalog.complaints.get(req.scene_id)
    panels_by_id = {pid: pp.panel for pid, pp in placements.items()}
    return Scene(req.scene_id, req.scene_name, req.scene_name, _subtitle(req.chosen), prefix, req.chosen, req.view,
                 req.side, boxes.width, boxes.height, tuple(placements.values()), tuple(markers), tuple(zones), tuple(channels),
                 tuple(labels), tuple(legend), highlight=req.highlight, layout=boxes, label_size=req.label_size,
                 headline=_headline(req, markers, panels_by_id, complaint, boxes.width,
                                    one_side=bool(plan.closeups) and req.page_width < theme.NARROW_PAGE and not req.all_details),
                 plan=req.plan,
                 evidence=tuple(getattr(complaint, "evidence", ())),
                 cautions=tuple(getattr(complaint, "cautions", ())),
                 locators=tuple((b, cid, crop) for cid, b, crop in plan.closeups)
                 + tuple((b, plan.plates[0], box) for b, _, box in plan.absorbed))


def _headline(req: Request, markers: list[Marker], panels: dict[str, Panel], complaint: Complaint | None, width: float,
              one_side: bool = False) -> str:
    """The headline, then what the chosen view leaves out, when it leaves some spots out and there is room."""
    def fits(text: str) -> bool:
        return len(layout.headline_lines(text, width)) <= layout.headline_room(width)
    note = _left_out(req, markers)
    line = headline(markers, panels, req.chosen, complaint.region if complaint else None,
                    lambda t: fits(f"{t} · {note}" if note else t), rule_landmarks(req.catalog),
                    complaint.region_places if complaint else (), one_side)
    return f"{line} · {note}" if note and fits(f"{line} · {note}") else (note if note and fits(note) else line)


def _left_out(req: Request, shown: list[Marker]) -> str:
    """'Front view: 2 of 26 dry-needling spots; 24 are on the back view' when a chosen view hides spots."""
    if req.view in (View.AUTO, View.ALL) or req.all_details:
        return ""
    ctx = items.Context(req.catalog, req.panels, items.slug(req.id_prefix), req.side, lambda pid: pid in req.panels)
    every, _ = _markers_and_zones(ctx, replace(req, chosen=REFERENCE))
    views = " and ".join(layout.VIEW_WORD[req.panels[b].view] for b in BODY_PANELS_BY_VIEW.get(req.view, ()) if b in req.panels)
    out = []
    for therapy in (Therapy.DRY_NEEDLING, Therapy.ACUPUNCTURE):
        if therapy not in req.chosen:
            continue
        have = {(m.code, m.side) for m in shown if m.layer == therapy}
        spots: dict[tuple[str, str], set[str]] = {}  # each spot: the body views that show it
        for m in every:
            if m.layer == therapy:
                panel = req.panels[m.panel]
                spots.setdefault((m.code, m.side), set()).add(panel.view if panel.kind == "body" else "")
        missing = [k for k in spots if k not in have]
        if not missing:
            continue
        holding = [v for v in (View.POSTERIOR, View.ANTERIOR, View.LATERAL) if all(v in spots[k] for k in missing)]
        on = f"the {layout.VIEW_WORD[holding[0]]} view" if holding else "other views"
        out.append(f"{len(have)} of {len(spots)} {therapy} spots; {len(missing)} {'is' if len(missing) == 1 else 'are'} on {on}")
    return f"{views.capitalize()} view{'s' if ' and ' in views else ''}: " + "; ".join(out) if out else ""


def rule_landmarks(catalog: Catalog) -> dict[tuple[str, str], str]:
    """(code or trigger point id, panel) -> the landmark its location rule is measured from (or towards, past
    halfway), or `along:<measure>` for a point several B-cun along a bone from its landmark."""
    out: dict[tuple[str, str], str] = {}
    sites = [(p.code, s) for p in catalog.acupoints.values() for s in p.sites]
    sites += [(tp.id, s) for m in catalog.muscles.values() for tp in m.trigger_points for s in tp.sites]
    for key, site in sites:
        name = site.to if site.to and site.t is not None and site.t > 0.5 else site.from_
        if site.along and site.cun is not None and abs(site.cun) >= 3:  # far along a bone: the segment names it
            name = f"along:{site.along}"
        if name:
            out.setdefault((key, site.panel), name)
    return out


def _labels(req: Request, prefix: str, markers: list[Marker], placements: dict[str, PanelPlacement],
            bottom: float, missed: list[int] | None = None) -> list[Label]:
    """Callouts in the gutters of close-ups (and of every atlas panel); elsewhere a label beside each mark."""
    columns = {pid for pid, pp in placements.items() if req.all_details or pp.role != "body"}
    one_side = req.page_width < theme.NARROW_PAGE  # a narrow page shows one side in its close-up
    titles = _title_boxes(placements, req.page_width) + [text_box(x, y, t, layout.side_letter_size(pp), a)
                                                         for pp in placements.values()
                                                         for x, y, t, a in layout.side_letters(pp)]
    obstacles = Obstacles([(mark_box(m, placements[m.panel]), drawn_at(m, placements[m.panel])) for m in markers], list(titles))
    out = place_labels(callouts([m for m in markers if m.panel in columns], placements, prefix, balance=req.all_details,
                                one_side=one_side, columns=_columns(req)), placements, _bands(placements, bottom),
                       req.label_size, obstacles, stacked=req.all_details, missed=missed)  # the atlas: stacked columns
    taken = [lab_box(lab) for lab in out] + titles
    head = layout.header_height(req.scene_name, req.page_width)
    page = Box(theme.EDGE_ROOM, head, req.page_width - 2 * theme.EDGE_ROOM, bottom + theme.LEGEND_GAP - head)
    return out + inline([m for m in markers if m.panel not in columns], placements, prefix, req.label_size, taken, page, [],
                        obstacles)


def _into_closeups(markers: list[Marker], plan: layout.Plan) -> list[Marker]:
    """Marks inside a close-up's window belong to the close-up (the body view keeps a locator box)."""
    return [replace(m, panel=cid) if (cid := layout.closeup_of(m, plan)) else m for m in markers]


def _copy_into_closeups(things: list, plan: layout.Plan, prefix: str) -> list:
    """Zones and channels are drawn on the body view and again, clipped, in its close-up."""
    out = list(things)
    for t in things:
        for cid, body, crop in plan.closeups:
            if body == t.panel and any(crop[0] <= x <= crop[2] and crop[1] <= y <= crop[3] for x, y in t.points):
                out.append(replace(t, id=f"{t.id}-{cid.removeprefix(body + '-')}", panel=cid))
    return out


def _slots(req: Request, plan: layout.Plan, markers: list[Marker]) -> tuple[list, list, list]:
    """Each panel to place, with the label gutters its labels need."""
    provisional = {}
    for cid, b, crop in plan.closeups:
        provisional[cid] = PanelPlacement(req.panels[b], 0, 0, 1.0, id=cid, crop=crop)
    for pid in (*plan.bodies, *plan.details, *plan.plates):
        provisional[pid] = PanelPlacement(req.panels[pid], 0, 0, 1.0)
    texts: dict[tuple[str, str], list[str]] = {}
    for c in callouts(markers, provisional, "x", balance=req.all_details, one_side=req.page_width < theme.NARROW_PAGE,
                      columns=_columns(req)):
        texts.setdefault((c.panel, c.side), []).append(c.text)
    band = theme.CONTENT_HEIGHT if not req.all_details else max(p.height for p in req.panels.values())

    def slot(pid: str, title: str = "") -> layout.Slot:
        pp = provisional[pid]
        mirrored = req.side == Side.LEFT and not pp.panel.two_sided
        if mirrored:
            title = title or _left_title(pp.panel.title)
        if pp.panel.kind == "body" and not (pp.crop or req.all_details):  # labels beside their marks: no gutters
            return layout.Slot(pid, pp.panel, pp.window, 0.0, 0.0, title, mirrored)
        left, right = texts.get((pid, "left"), []), texts.get((pid, "right"), [])
        need = 0.0 if pp.panel.kind == "body" else (max(len(left), len(right)) + 1) * (req.label_size + theme.LABEL_LEADING)
        room = band if pp.panel.kind == "body" or pid in plan.plates else need
        return layout.Slot(pid, pp.panel, pp.window, gutter(left, req.label_size, room), gutter(right, req.label_size, room),
                           title, mirrored, need)

    one_side = " (one side)" if req.page_width < theme.NARROW_PAGE else ""
    closeups = [slot(cid, f"Close-up, {_closeup_word(req.panels[b], crop)}{one_side}") for cid, b, crop in plan.closeups]
    plates = [replace(slot(p), need=0.0, unit=theme.PLATE_UNIT) for p in plan.plates]
    return closeups + plates, [slot(b) for b in plan.bodies], [slot(d) for d in plan.details]


def _closeup_word(panel: Panel, crop: tuple[float, float, float, float]) -> str:
    """'back', 'front', 'side', or with the side when the crop holds one side only ('back, left')."""
    word = layout.VIEW_WORD.get(panel.view, "body")
    mid = panel.midline_x
    if not panel.two_sided or mid is None or crop[0] < mid < crop[2]:
        return word
    right = (crop[0] >= mid) == panel.right_is_plus_x
    return f"{word}, {'right' if right else 'left'}"


def _left_title(title: str) -> str:
    """'Right foot, sole' -> 'Left foot, sole'; 'Head, right side view' -> 'Head, left side view'."""
    for right, left in (("Right", "Left"), ("right", "left")):
        if right in title:
            return title.replace(right, left, 1)
    return f"Left: {title}"


def placements_for(req: Request, plan: layout.Plan, markers: list[Marker]) -> tuple[dict[str, PanelPlacement], float, float]:
    """Where each panel goes (its gutters sized from its labels' measured text), the figures' bottom and the page width."""
    closeups, bodies, details = _slots(req, plan, markers)
    width = req.page_width
    if req.all_details:  # the atlas: full-size bodies, as wide as that takes
        width = (sum(s.aspect * theme.CONTENT_HEIGHT_ATLAS + s.left + s.right + theme.MARGIN for s in bodies)
                 + theme.DETAIL_COLUMN_WIDTH + max((s.left + s.right for s in details), default=0) + 3 * theme.MARGIN)
    title_size = _title_size(req)
    placed, bottom = layout.arrange(closeups, bodies, details, width, layout.header_height(req.scene_name, width),
                                    atlas=req.all_details, band=theme.TITLE_BAND + title_size - theme.PANEL_TITLE_SIZE)
    return {pp.id: replace(pp, title_size=title_size) for pp in placed}, bottom, width


def _title_size(req: Request) -> float:
    """Panel titles are never smaller than the labels (a figure enlarged for print enlarges both)."""
    return max(theme.PANEL_TITLE_SIZE, req.label_size)


def _bands(placements: dict[str, PanelPlacement], bottom: float) -> dict[str, tuple[float, float]]:
    """The height a panel's labels may use: from its box's top to the bottom of its row (or column)."""
    out = {}
    for pid, pp in placements.items():
        box = pp.box
        below = [q.box.y for q in placements.values() if q.box.y > box.bottom - 1 and q.box.x < box.right and box.x < q.box.right]
        out[pid] = (box.y, (min(below) - theme.TITLE_BAND) if below else max(bottom, box.bottom))
    return out


def lab_box(lab: Label):
    return text_box(lab.tx, lab.ty, lab.text, lab.size, {"right": "start", "left": "end"}.get(lab.align, "middle"))


def _title_boxes(placements: dict[str, PanelPlacement], page_width: float) -> list:
    out = []
    for pp in placements.values():
        x, anchor = title_anchor(pp, page_width)
        box = text_box(x, pp.box.y - theme.PANEL_TITLE_DROP, pp.title, pp.title_size, anchor, bold=False)
        spacing = len(pp.title) * theme.PANEL_TITLE_SPACING  # titles are letter-spaced
        out.append(Box(box.x - (spacing / 2 if anchor == "middle" else 0.0), box.y, box.w + spacing, box.h))
    return out


def _markers_and_zones(ctx: items.Context, req: Request) -> tuple[list[Marker], list[Zone]]:
    markers: list[Marker] = []
    zones: list[Zone] = []
    dn, ref = Layer.DRY_NEEDLING in req.chosen, Layer.REFERRAL_ZONES in req.chosen
    for muscle in req.muscles if (dn or ref) else ():
        zones += items.muscle_zones(ctx, muscle, outline=dn, referral=False)
        if dn:
            markers += items.trigger_markers(ctx, muscle)
        zones += items.muscle_zones(ctx, muscle, outline=False, referral=ref)
    if Layer.ACUPUNCTURE in req.chosen or Layer.PREGNANCY_CAUTIONS in req.chosen:
        for point, placement in req.points:
            markers += items.point_markers(ctx, point, placement, req.chosen)
    return markers, zones


def _detail_panels(req: Request, markers: list[Marker]) -> set[str]:
    wanted = {m.panel for m in markers} | {s.panel for p, _ in req.points for s in p.sites}
    for muscle in req.muscles:
        wanted |= {s.panel for tp in muscle.trigger_points for s in tp.sites} | {a.panel for a in muscle.referral}
    return set(req.panels) if req.all_details else wanted


def _subtitle(chosen: tuple[str, ...]) -> str:
    names = {Layer.DRY_NEEDLING: "Dry needling (local trigger points)",
             Layer.ACUPUNCTURE: "Acupuncture (local and distal points)"}
    return " vs ".join(names[t] for t in (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE) if t in chosen) or "Anatomy only"


def _legend(chosen, markers, zones, channels, plan: layout.Plan) -> list[LegendEntry]:
    drawn = {(m.layer, m.placement) for m in markers}
    kinds = {z.kind for z in zones}
    rows = [
        (Layer.DRY_NEEDLING, "Dry needling: myofascial trigger point", any(layer == Layer.DRY_NEEDLING for layer, _ in drawn)),
        ("acupuncture-local", "Acupuncture: local point (near the pain)", (Layer.ACUPUNCTURE, Placement.LOCAL) in drawn),
        ("acupuncture-local", "Acupoint", (Layer.ACUPUNCTURE, None) in drawn),
        ("acupuncture-distal", "Acupuncture: distal point (far from the pain)", (Layer.ACUPUNCTURE, Placement.DISTAL) in drawn),
        ("muscle-outline", "Muscle that is needled (faint outline)", "muscle" in kinds),
        ("referral-zone", "Referred pain zone of a trigger point", "referral" in kinds),
        ("meridian", "Meridian (channel) the points lie on", Layer.MERIDIANS in chosen and bool(channels)),
        ("danger-zone", "Needle with particular care", "danger" in kinds),
        ("pregnancy-caution", "Traditionally cautioned in pregnancy", any(m.layer == Layer.PREGNANCY_CAUTIONS for m in markers)),
        ("locator", "Area shown in the close-up", bool(plan.closeups or plan.absorbed)),
        ("set-aside", "Mark moved aside: the line leads to its exact spot", any(m.shift != (0.0, 0.0) for m in markers)),
    ]
    return [LegendEntry(key, text) for key, text, shown in rows if shown]
