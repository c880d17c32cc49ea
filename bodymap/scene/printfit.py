"""The label size a figure needs to print readable on paper, chosen before any label is placed.

A printed figure is scaled to its box on the paper, and larger labels widen the label gutters,
which can push panels onto another row and so shrink the whole figure (not monotonically). The
panel arrangement at a given label size is cheap: the gutters come from the labels' measured text
widths, and the figure's bounds follow from the arrangement alone. So each candidate size is
tried on the arrangement only, and the scene is then laid out once, labels placed once, at the
size chosen: nothing is rebuilt and no text is enlarged after its collisions were resolved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bodymap.core import theme
from bodymap.data.catalog import Catalog
from bodymap.figures.geometry import Panel
from bodymap.layout import page as layout
from bodymap.scene.build import Points, Request, Scene, placements_for, plan_items, planned

MAX_LABEL_UNITS = 24.0  # the largest label size the scene builder accepts
MIN_AREA = 0.5  # a larger label size may not shrink the panels' printed area below half of today's
# bounds(header=False, legend=False, notes=False) reach 4 units above the figures and 16 below them
_ABOVE, _BELOW = 4.0, 16.0


@dataclass(frozen=True)
class Trial:
    units: float
    scale: float  # points per page unit on the paper
    area: float  # square points of paper the panels cover: how large the anatomy prints
    sane: bool  # a drawable arrangement (large labels can squeeze one to nothing)
    codes: bool = False  # patient labels (a plan's), whose bracketed codes are drawn smaller still

    @property
    def smallest(self) -> float:
        """The smallest figure text, printed: the labels, the channel codes drawn a little smaller, or a patient
        label's code."""
        code = theme.label_code_size(self.units) if self.codes else self.units
        return min(self.units, theme.channel_name_size(self.units), code) * self.scale


def _request(catalog: Catalog, panels: Mapping[str, Panel], scene: Scene) -> Request:
    complaint = catalog.complaint(scene.complaint_id)
    points: Points = catalog.points_for(complaint.id)  # a plan's points may have no placement (None)
    muscles = catalog.muscles_for(complaint.id)
    if scene.plan is not None:  # the same points build_scene draws for a plan
        points, muscles = plan_items(catalog, complaint.id, scene.plan)
    return Request(catalog, panels, complaint.id, complaint.name, points, muscles, scene.overlays, scene.view, scene.side,
                   scene.id_prefix, scene.highlight, label_size=scene.label_size, page_width=scene.width, plan=scene.plan)


def trials(catalog: Catalog, panels: Mapping[str, Panel], scene: Scene, room: tuple[float, float],
           sizes: list[float]) -> list[Trial]:
    """The arrangement's print scale and panel area in `room` (points) at each label size."""
    req = _request(catalog, panels, scene)
    plan, markers = planned(req)
    out = []
    for units in sizes:
        # the markers as the scene at that size has them: print-sized labels leave the trigger point numbers out
        sized = [replace(m, number=None) for m in markers] if units > theme.MARK_NUMBER_MAX else markers
        placements, bottom, width = placements_for(replace(req, label_size=units), plan, sized)
        height = bottom + _BELOW - (layout.header_height(req.scene_name, width) - _ABOVE)
        k = min(room[0] / width, room[1] / height) if width > 1 and height > 1 else 0.0
        area = sum((k * p.scale) ** 2 * p.panel.width * p.panel.height for p in placements.values())
        out.append(Trial(units, k, area, k > 0 and all(p.scale > 0 for p in placements.values()), req.plan is not None))
    return out


WIDER = (1.0, 1.1, 1.2, 1.3, 1.4)  # page widths tried, as multiples of the scene's, when no label size prints readable


def print_label_size(catalog: Catalog, panels: Mapping[str, Panel], scene: Scene, room: tuple[float, float],
                     least_pt: float, aim_pt: float) -> tuple[float, float]:
    """(label size, page width) in page units at which the scene's smallest figure text prints at `least_pt` or more in `room`.

    The size that prints `aim_pt` at today's scale comes first; then every whole unit up to 24.
    Of the arrangements keeping MIN_AREA of today's panel area, the first candidate that reaches
    `least_pt` wins, else the one with the largest panels that does; if none does within that
    area, the largest panels that still reach it. Where no size reaches it (in a short, wide box a
    larger size can move the close-ups onto a row of their own and halve the scale), a somewhat
    wider page keeps the panels on one row; failing all, the size that prints largest.
    """
    (now,) = trials(catalog, panels, scene, room, [scene.label_size])
    if now.smallest >= least_pt:
        return scene.label_size, scene.width
    guess = min(math.ceil(aim_pt / (now.smallest / now.units) * 2) / 2, MAX_LABEL_UNITS)
    ladder = [float(n) for n in range(math.floor(scene.label_size) + 1, int(MAX_LABEL_UNITS) + 1)]
    fallback: Trial | None = None
    for widen in WIDER:
        width = round(scene.width * widen)
        found = [t for t in trials(catalog, panels, replace(scene, width=width), room, [guess, *ladder]) if t.sane]
        readable = [t for t in found if t.smallest >= least_pt]
        roomy = [t for t in readable if t.area >= MIN_AREA * now.area]
        if roomy and roomy[0].units == guess:
            return guess, width
        if roomy or readable:
            return max(roomy or readable, key=lambda t: t.area).units, width
        if widen == 1.0:
            fallback = max(found, key=lambda t: t.smallest, default=now)
    return (fallback or now).units, scene.width
