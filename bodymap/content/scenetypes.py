"""The scene's types: what one diagram holds (markers, zones, channels, labels, legend, page boxes).

A Scene is renderer-agnostic; its JSON form (`Scene.to_dict`) is a public contract whose keys
are only ever added, never renamed or removed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bodymap.content.options import RenderOptions
from bodymap.core.vocabulary import DEFAULT_LAYERS, Layer, Side, Therapy, View
from bodymap.data.models import Evidence
from bodymap.figures.geometry import Panel, Point

SCENE_VERSION = 1

# Plain strings (the vocabulary's values), as the JSON, the CLI and older callers use them.
OVERLAYS = Layer.values()
DEFAULT_OVERLAYS = tuple(layer.value for layer in DEFAULT_LAYERS)
# Drawing order, bottom to top: areas under lines under markers under text.
LAYER_ORDER = tuple(layer.value for layer in (Layer.DANGER_ZONES, Layer.REFERRAL_ZONES, Layer.MERIDIANS, Layer.DRY_NEEDLING,
                                              Layer.ACUPUNCTURE, Layer.PREGNANCY_CAUTIONS, Layer.LABELS))
VIEWS = View.values()
SIDES = Side.values()

DISCLAIMER = "Educational illustration, not medical advice. See a qualified practitioner before any needling."
SOURCES_LINE = "Acupoints: WHO Standard Acupuncture Point Locations (2008). Trigger points: Travell & Simons."

# A path as drawn: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y) and ("Z",) segments.
Segment = tuple[Any, ...]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def intersects(self, other: Box) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom


@dataclass(frozen=True)
class PanelPlacement:
    """A panel and where it sits on the page: page = (offset + scale * panel units).

    A close-up shows the part `crop` (x0, y0, x1, y1 in panel units) of a body panel, larger;
    its `id` differs from the panel's, and markers inside the crop belong to it.
    """

    panel: Panel
    x: float
    y: float
    scale: float
    id: str = ""
    crop: tuple[float, float, float, float] | None = None
    title: str = ""
    mirrored: bool = False  # a one-sided panel drawn for the patient's left: x runs the other way
    title_size: float = 11.0  # grows with the labels (a printed figure's titles stay as readable as its labels)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.panel.id)
        if not self.title:
            object.__setattr__(self, "title", self.panel.title)

    @property
    def role(self) -> str:
        return "closeup" if self.crop else ("body" if self.panel.kind == "body" else "detail")

    def to_page(self, p: Point) -> Point:
        x = self.panel.width - p[0] if self.mirrored else p[0]
        return (self.x + self.scale * x, self.y + self.scale * p[1])

    @property
    def window(self) -> tuple[float, float, float, float]:
        """The shown part in panel units (the crop, or the whole panel)."""
        return self.crop or (0.0, 0.0, self.panel.width, self.panel.height)

    @property
    def box(self) -> Box:
        """Where the shown part sits on the page."""
        x0, y0, x1, y1 = self.window
        if self.mirrored:
            x0, x1 = self.panel.width - x1, self.panel.width - x0
        return Box(self.x + self.scale * x0, self.y + self.scale * y0, self.scale * (x1 - x0), self.scale * (y1 - y0))

    @property
    def transform(self) -> tuple[float, float, float, float]:
        """(dx, dy, sx, sy): page = (dx + sx * x, dy + sy * y) for panel units x, y."""
        if self.mirrored:
            return self.x + self.scale * self.panel.width, self.y, -self.scale, self.scale
        return self.x, self.y, self.scale, self.scale



@dataclass(frozen=True)
class PageLayout:
    """Named page boxes: header, figures, legend, notes (and one per panel in the placements)."""

    width: float
    height: float
    boxes: tuple[tuple[str, Box], ...]
    legend_rows: tuple[tuple[tuple[str, float], ...], ...] = ()  # per row: (legend key, x offset in the legend box)
    notes: tuple[tuple[str, bool], ...] = ()  # the notes' lines, each with whether it is set in bold

    def box(self, name: str) -> Box:
        return dict(self.boxes)[name]

    def bounds(self, header: bool = True, legend: bool = True, notes: bool = True) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1): the page area shown with these parts switched on."""
        top = 0.0 if header else self.box("figures").y - 4
        if notes:
            bottom = self.height
        elif legend and self.box("legend").h > 0:
            bottom = self.box("legend").bottom
        else:
            bottom = self.box("figures").bottom + 16
        return 0.0, top, self.width, bottom


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
    english: str | None = None
    hanzi: str | None = None
    needling: dict[str, Any] | None = None  # angle, depth, caution, source, direction, depth_mm, beneath, approach
    shift: tuple[float, float] = (0.0, 0.0)  # page units the mark is drawn aside from its spot (a leader joins them)
    label: str | None = None  # the label's text when not the code or muscle (a plan's patient words)
    number: tuple[int, int] | None = None  # trigger point k of n of its muscle, when the muscle has several


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
    path: tuple[Segment, ...] = ()  # the drawn (smoothed) outline, in panel units


@dataclass(frozen=True)
class Channel:
    id: str
    layer: str
    meridian: str
    name: str
    panel: str
    side: str
    points: tuple[Point, ...]
    style: int  # index into the theme's channel styles, stable per meridian
    name_at: int | None = None  # index of the point the channel's code is written beside (one side only)
    path: tuple[Segment, ...] = ()  # the drawn (smoothed) line, in panel units


@dataclass(frozen=True)
class Label:
    id: str
    layer: str
    text: str
    panel: str
    x: float  # anchor point in panel units (the marker)
    y: float
    align: str  # left | right: which side of the anchor the text goes
    colour: str  # the therapy: dry-needling | acupuncture
    tx: float = 0.0  # where the text's baseline anchor sits on the page (after de-overlapping)
    ty: float = 0.0
    px: float = 0.0  # the marker on the page, where a leader line starts
    py: float = 0.0
    leader: bool = False  # the text was moved away from its marker: draw a line to it
    code: str = ""  # the point code or muscle id the label names
    size: float = 11.0  # font size in page units
    anchors: tuple[tuple[float, float], ...] = ()  # every mark the label names (page units); a leader joins each
    routes: tuple[tuple[tuple[float, float], ...], ...] = ()  # each leader's polyline, mark to text (page units)


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
    layout: PageLayout | None = None
    label_size: float = 11.0  # the labels' font size in page units

    def page(self) -> PageLayout:
        """The page's named boxes: every composed scene has them (None only in a scene made by hand)."""
        if self.layout is None:
            raise ValueError(f"scene {self.id_prefix!r} has no page layout")
        return self.layout

    def layer_items(self, layer: str) -> list[Any]:
        items: list[Any] = []
        for group in (self.zones, self.channels, self.markers, self.labels):
            items.extend(i for i in group if i.layer == layer)
        return items

    headline: str = ""  # one line: how many points each therapy uses, and where
    evidence: tuple[Evidence, ...] = ()
    cautions: tuple[str, ...] = ()
    locators: tuple[tuple[str, str, tuple[float, float, float, float]], ...] = ()  # (body panel, close-up id, crop)
    plan: Any = None  # today's SessionPlan when the scene shows a plan, else None (the protocol)
    options: RenderOptions | None = None  # what it was built from (None for a scene made by hand); not in the JSON

    def placement(self, panel_id: str) -> PanelPlacement:
        for p in self.panels:
            if p.id == panel_id:
                return p
        raise KeyError(panel_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON scene: a stable contract (keys are only ever added).

        An item's `panel` is always the figure whose units its coordinates are in; `drawn_on` names
        the panel of the page it is drawn on (a close-up of that figure, or the figure itself).
        """
        source = {pp.id: pp.panel.id for pp in self.panels}
        return {
            "version": SCENE_VERSION,
            "complaint": {"id": self.complaint_id, "name": self.complaint_name,
                          "evidence": [_evidence_dict(e) for e in self.evidence],
                          "cautions": list(self.cautions)},
            "headline": self.headline,
            "overlays": list(self.overlays),
            "view": self.view,
            "side": self.side,
            "width": round(self.width, 2),
            "height": round(self.height, 2),
            "disclaimer": self.disclaimer,
            "panels": [_panel_dict(pp) for pp in self.panels],
            "markers": [_marker_dict(m, source) for m in self.markers],
            "zones": [_drawn_dict(z, source) for z in self.zones],
            "channels": [_drawn_dict(c, source) for c in self.channels],
            "legend": [asdict(e) for e in self.legend],
            "layout": _layout_dict(self.layout),
            **({"plan": self.plan.model_dump(exclude_none=True)} if self.plan is not None else {}),
        }


def _evidence_dict(e: Evidence) -> dict[str, Any]:
    """`pmid` and `doi` only when they were read in the source; `checked`: "abstract", "full text" or false."""
    out: dict[str, Any] = {"therapy": e.therapy, "summary": e.summary, "source": e.source}
    out.update({k: v for k, v in (("pmid", e.pmid), ("doi", e.doi)) if v})
    out["checked"] = e.checked
    return out


def _rounded(points) -> list[list[float]]:
    return [[round(x, 2), round(y, 2)] for x, y in points]


def _panel_dict(pp: PanelPlacement) -> dict[str, Any]:
    p = pp.panel
    return {"id": pp.id, "kind": p.kind, "view": p.view, "title": pp.title, "width": p.width, "height": p.height,
            "outline": [list(q) for q in p.outlines[0]], "outlines": [[list(q) for q in poly] for poly in p.outlines],
            "page": {"x": round(pp.x, 3), "y": round(pp.y, 3), "scale": round(pp.scale, 6)},
            "role": pp.role, "crop": [round(v, 2) for v in pp.crop] if pp.crop else None, "source_panel": p.id,
            "mirrored": pp.mirrored}


def _marker_dict(m: Marker, source: dict[str, str]) -> dict[str, Any]:
    out = {"id": m.id, "therapy": m.therapy, "code": m.code, "name": m.name, "panel": source.get(m.panel, m.panel),
           "x": round(m.x, 2),
           "y": round(m.y, 2), "side": m.side, "placement": m.placement, "source": m.source, "location": m.location,
           "meridian": m.meridian, "muscle": m.muscle, "pregnancy_caution": m.caution, "needling": m.needling}
    if m.therapy == Therapy.ACUPUNCTURE:
        out.update(english=m.english, hanzi=m.hanzi)
    out["drawn_on"] = m.panel
    out["drawn_shift"] = [round(m.shift[0], 2), round(m.shift[1], 2)]
    if m.label is not None:
        out["label"] = m.label
    if m.number is not None:  # drawn in the mark and named on the card: "trigger point 2 of 3"
        out["number"], out["of"] = m.number
    return out


def _drawn_dict(item: Zone | Channel, source: dict[str, str]) -> dict[str, Any]:
    out = {k: v for k, v in asdict(item).items() if k != "path"}
    out["panel"], out["drawn_on"] = source.get(item.panel, item.panel), item.panel
    out["points"] = _rounded(item.points)
    # The drawn outline: the same cubic segments the SVG's path data holds, in panel units.
    out["path"] = [[seg[0], *(round(v, 2) for v in seg[1:])] for seg in item.path]
    return out


def _layout_dict(layout: PageLayout | None) -> dict[str, Any] | None:
    if layout is None:
        return None
    return {name: {"x": round(b.x, 2), "y": round(b.y, 2), "width": round(b.w, 2), "height": round(b.h, 2)}
            for name, b in layout.boxes}
