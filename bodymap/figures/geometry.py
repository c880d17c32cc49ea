"""Figure geometry: the panels (outlines, detail lines, landmarks, B-cun measures) from assets/figures.

Outlines are coordinate data built by `tools/build_figures.py`; this module only reads and
validates them, and answers geometric questions (mirroring, cun sizes, inside/outside).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bodymap.core.assets import assets_dir
from bodymap.core.errors import DataError
from bodymap.core.vocabulary import View
from bodymap.data.catalog import read_document, validate_one

Point = tuple[float, float]

# The order panels are laid out in when a diagram shows them all.
PANEL_ORDER = (
    "body-posterior",
    "body-anterior",
    "body-lateral",
    "head-lateral",
    "ear",
    "foot-lateral",
    "foot-medial",
    "foot-dorsum",
    "foot-plantar",
    "hand-dorsum",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Measure(_Frozen):
    """A WHO proportional bone-cun distance between two landmarks."""

    from_: str = Field(alias="from")
    to: str
    cun: float = Field(gt=0, le=40)
    note: str | None = None


class Detail(_Frozen):
    id: str
    points: tuple[Point, ...] = Field(min_length=2)
    closed: bool = False
    style: str | None = None


class Panel(_Frozen):
    """One drawing of the body or of a part of it, in its own units (origin top-left, y down)."""

    id: str
    kind: Literal["body", "ear", "foot", "hand", "head"]
    view: Literal["anterior", "posterior", "lateral", "medial", "dorsum", "plantar"]
    title: str
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    midline_x: float | None = None
    side: Literal["both", "right", "left"] = "both"
    lateral_measure: str | None = None
    source: str = Field(min_length=8)
    outlines: tuple[tuple[Point, ...], ...] = Field(min_length=1)
    details: tuple[Detail, ...] = ()
    regions: Mapping[str, tuple[Point, ...]] = Field(default_factory=dict)
    landmarks: Mapping[str, Point]
    measures: Mapping[str, Measure] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Panel:
        if self.side == "both" and self.midline_x is None:
            raise ValueError("a two-sided panel needs midline_x")
        for name, m in self.measures.items():
            for end in (m.from_, m.to):
                if end not in self.landmarks:
                    raise ValueError(f"measure {name!r} uses unknown landmark {end!r}")
            if self.cun_size(name) <= 0:
                raise ValueError(f"measure {name!r} has zero length")
        if self.lateral_measure and self.lateral_measure not in self.measures:
            raise ValueError(f"lateral_measure {self.lateral_measure!r} is not a measure of this panel")
        return self

    @property
    def two_sided(self) -> bool:
        return self.side == "both"

    @property
    def right_is_plus_x(self) -> bool:
        """Posterior views show the patient's right on the viewer's right; anterior the reverse."""
        return self.view != View.ANTERIOR

    def mirror(self, p: Point) -> Point:
        assert self.midline_x is not None
        return (2 * self.midline_x - p[0], p[1])

    def on_midline(self, p: Point, tol: float = 0.5) -> bool:
        return self.midline_x is not None and abs(p[0] - self.midline_x) <= tol

    def cun_size(self, measure: str) -> float:
        m = self.measures[measure]
        (x0, y0), (x1, y1) = self.landmarks[m.from_], self.landmarks[m.to]
        return math.hypot(x1 - x0, y1 - y0) / m.cun

    def cun_vector(self, measure: str) -> Point:
        """One B-cun along the measure, as a vector in panel units."""
        m = self.measures[measure]
        (x0, y0), (x1, y1) = self.landmarks[m.from_], self.landmarks[m.to]
        return ((x1 - x0) / m.cun, (y1 - y0) / m.cun)


def figures_dir() -> Path:
    return assets_dir() / "figures"


@cache
def load_panels(folder: Path | None = None) -> Mapping[str, Panel]:
    """Every panel under assets/figures, keyed by id, in layout order."""
    folder = folder or figures_dir()
    panels: dict[str, Panel] = {}
    for path in sorted(folder.glob("*.json")):
        panel = validate_one(Panel, read_document(path), f"figures/{path.name}")
        if panel.id != path.stem:
            raise DataError(f"figures/{path.name}: id {panel.id!r} does not match the file name")
        panels[panel.id] = panel
    rank = {pid: i for i, pid in enumerate(PANEL_ORDER)}
    return dict(sorted(panels.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))
