"""The figure's one-line headline: how many spots each therapy needles, and where the distal ones are."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence

from bodymap.content.scenetypes import Marker
from bodymap.figures.geometry import Panel

# A distal point is named by the body part of its nearest landmark (landmark names follow the WHO
# texts' structures); detail panels name themselves by their kind.
_PARTS = (
    ("knee", r"patell|popliteal|knee|tibia-medial-condyle|tibial-tuberosity|fibula-head"),
    ("ankle", r"malleol|heel|ankle|calcaneal|sole|navicular"),
    ("foot", r"toe|metatarsal|mtp|-mt-|web-foot"),
    ("hand", r"wrist|mc-|mcp|first-web|snuffbox|fingertip"),
    ("elbow", r"epicondyle|olecranon|cubital"),
    ("lower leg", r"calf|gastrocnemius"),
    ("thigh", r"trochanter|thigh|gluteal-fold|ischial"),
    ("head", r"vertex|hairline|inion|mastoid|ear|eye|temple|zygom|glabella|nose|mouth|chin|mandible|tragus"),
    ("shoulder", r"acromi|scapula|deltoid|axill|coracoid"),
    ("neck", r"c2|c7|scm|suboccipital|thyroid|supraclavicular"),
    ("abdomen", r"umbilic|pubic|asis|xiphi|rib1"),
)


def part(m: Marker, panel: Panel) -> str:
    if panel.kind != "body":
        return panel.kind
    name = min(panel.landmarks, key=lambda n: math.dist(panel.landmarks[n], (m.x, m.y)))
    return next((word for word, pattern in _PARTS if re.search(pattern, name)), "trunk")


def headline(markers: Sequence[Marker], panels: Mapping[str, Panel], chosen: Sequence[str], region: str | None,
             fits: Callable[[str], bool] = lambda text: True) -> str:
    """For example "Dry needling: 22 spots, all local (the low back) · Acupuncture: 10 local, 24 distal (ear, hand, knee)".

    The region, then the distal places, are left out until the line `fits`.
    """
    for with_region, with_places in ((True, True), (False, True), (False, False)):
        line = _line(markers, panels, chosen, region if with_region else None, with_places)
        if fits(line):
            return line
    return line


def _spots(n: int) -> str:
    return f"{n} spot" if n == 1 else f"{n} spots"


def _line(markers, panels, chosen, region: str | None, places: bool) -> str:
    parts = []
    dn = {(m.code, m.side) for m in markers if m.layer == "dry-needling"}
    if "dry-needling" in chosen and dn:
        all_local = ", all local" if any(m.placement for m in markers) else ""
        parts.append(f"Dry needling: {_spots(len(dn))}{all_local}" + (f" ({region})" if region else ""))
    acu = [m for m in markers if m.layer == "acupuncture"]
    if "acupuncture" in chosen and acu and all(m.placement is None for m in acu):  # the atlas: no plan, no local or distal
        parts.append(f"Acupuncture: {_spots(len({(m.code, m.side) for m in acu}))}")
    elif "acupuncture" in chosen and acu:
        local = {(m.code, m.side) for m in acu if m.placement != "distal"}
        distal = {(m.code, m.side) for m in acu if m.placement == "distal"}
        where = list(dict.fromkeys(part(m, panels[m.panel]) for m in acu if m.placement == "distal" and m.panel in panels))
        detail = f" ({', '.join(where)})" if where and places else ""
        parts.append(f"Acupuncture: {len(local)} local, {len(distal)} distal{detail}")
    return " · ".join(parts) or "Anatomy only"
