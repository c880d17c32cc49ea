"""The scene's types: what one diagram holds (markers, zones, channels, labels, legend, page boxes).

A Scene is renderer-agnostic; its JSON form (`Scene.to_dict`) is a public contract whose keys
are only ever added, never renamed or removed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .geometry import Panel, Point

SCENE_VERSION = 1

OVERLAYS = ("dry-needling", "acupuncture", "referral-zones", "meridians", "labels", "danger-zones", "pregnancy-cautions")
DEFAULT_OVERLAYS = ("dry-needling", "acupuncture", "labels")
# Drawing order, bottom to top: areas under lines under markers under text.
LAYER_ORDER = ("danger-zones", "referral-zones", "meridians", "dry-needling", "acupuncture", "pregnancy-cautions", "labels")
VIEWS = ("both", "posterior", "anterior", "lateral", "all")
SIDES = ("both", "left", "right")

DISCLAIMER = "Educational illustration, not medical advice. See a qualified practitioner before any needling."
SOURCES_LINE = "Acupoints: WHO Standard Acupuncture Point Locations (2008). Trigger points: Travell & Simons."

# A path as drawn: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y) and ("Z",) segments.
Segment = tuple[Any, ...]


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
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class PageLayout:
    """Named page boxes: header, figures, legend, notes (and one per panel in the placements)."""

    width: float
    height: float
    boxes: tuple[tuple[str, Box], ...]
    legend_columns: int = 2
    legend_column_width: float = 330.0

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
            "panels": [_panel_dict(pp) for pp in self.panels],
            "markers": [_marker_dict(m) for m in self.markers],
            "zones": [_drawn_dict(z) for z in self.zones],
            "channels": [_drawn_dict(c) for c in self.channels],
            "legend": [asdict(e) for e in self.legend],
            "layout": _layout_dict(self.layout),
        }


def _rounded(points) -> list[list[float]]:
    return [[round(x, 2), round(y, 2)] for x, y in points]


def _panel_dict(pp: PanelPlacement) -> dict[str, Any]:
    p = pp.panel
    return {"id": p.id, "kind": p.kind, "view": p.view, "title": p.title, "width": p.width, "height": p.height,
            "outline": [list(q) for q in p.outlines[0]], "outlines": [[list(q) for q in poly] for poly in p.outlines],
            "page": {"x": round(pp.x, 3), "y": round(pp.y, 3), "scale": round(pp.scale, 6)}}


def _marker_dict(m: Marker) -> dict[str, Any]:
    return {"id": m.id, "therapy": m.therapy, "code": m.code, "name": m.name, "panel": m.panel, "x": round(m.x, 2),
            "y": round(m.y, 2), "side": m.side, "placement": m.placement, "source": m.source, "location": m.location,
            "meridian": m.meridian, "muscle": m.muscle, "pregnancy_caution": m.caution}


def _drawn_dict(item: Zone | Channel) -> dict[str, Any]:
    out = {k: v for k, v in asdict(item).items() if k != "path"}
    out["points"] = _rounded(item.points)
    # The drawn outline: the same cubic segments the SVG's path data holds, in panel units.
    out["path"] = [[seg[0], *(round(v, 2) for v in seg[1:])] for seg in item.path]
    return out


def _layout_dict(layout: PageLayout | None) -> dict[str, Any] | None:
    if layout is None:
        return None
    return {name: {"x": round(b.x, 2), "y": round(b.y, 2), "width": round(b.w, 2), "height": round(b.h, 2)}
            for name, b in layout.boxes}
