"""The figure's one-line headline: how many spots each therapy needles, and where they lie."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from bodymap.content.scenetypes import Marker
from bodymap.core.vocabulary import Layer, Placement, View
from bodymap.data.models import BODY_PLACES
from bodymap.figures.geometry import Panel

# A place is named from the landmarks of the point's own location rule (the names follow the WHO
# texts' structures), never from what happens to lie nearest on a full-body view: a hand hanging by
# the hip is still a hand. First match wins; a rule matching nothing names no place at all.
# A point several B-cun along a measure lies on the segment the measure spans.
ALONG = (
    ("lower leg", r"popliteal-malleolus|knee-ankle|tibia-malleolus|leg-"),
    ("thigh", r"gluteal-popliteal|trochanter-popliteal|pubis-patella"),
    ("upper arm", r"^arm-"), ("forearm", r"forearm"), ("ankle", r"malleolus-sole"), ("neck", r"hairline-c7"),
    ("head", r"hairline-glabella|hairline-corner"), ("chest", r"sternum"), ("abdomen", r"umbilicus|xiphoid"),
    ("foot", r"sole-length|foot-dorsum"),
)
PLACES = (
    ("thigh", r"thigh|pubic-level"),
    ("head", (r"vertex|hairline-anterior|frontal|inion|temple|temporal|zygom|glabella|nose|mouth|chin|mandib|tragus|^eye-"
              r"|pupil|ear-|eyebrow|philtrum|mentolabial|masseter")),
    ("neck", r"^c[0-9]$|hairline-posterior|scm|suboccipital|thyroid|supraclavicular|mastoid"),
    ("shoulder blade", r"scapula|infraspinous"),
    ("upper back", r"^t([1-9]|1[0-2])$"),
    ("shoulder", r"acromi|coracoid|clavicle-mid|axill"),
    ("upper arm", r"deltoid|arm-axillary"),
    ("elbow", r"epicondyle|olecranon|cubital|biceps-tendon"),
    ("forearm", r"forearm"),
    ("hand", r"wrist|mc-|mcp|snuffbox|fingertip-middle|hand-web"),
    ("low back", r"^l[1-5]$|^s[1-4]$|psis|sacral|iliac-crest|coccyx|rib12"),
    ("buttock", r"gluteal|ischial"),
    ("hip", r"trochanter|asis"),
    ("knee", r"patell|popliteal|knee|tibia-medial-condyle|tibial-tuberosity|fibula-head"),
    ("lower leg", r"calf|gastrocnemius|leg-top|fibula-shaft|tibia-posterior"),
    ("ankle", r"malleol|heel-back|^heel$|ankle|calcaneal|sole-below"),
    ("foot", r"toe|metatarsal|mtp|-mt-|web|navicular|cuboid|arch|ball-|heel-center|heel-base|sole"),
    ("chest", r"ics|nipple|sternum|suprasternal|xiphi|clavicle-lower"),
    ("abdomen", r"umbilic|pubic-symphysis"),
)
assert tuple(sorted({n for n, _ in PLACES + ALONG})) == tuple(sorted(p for p in BODY_PLACES if p != "ear"))

# For each marker (by code and panel), the landmark its location rule starts from: `from`, or `to`
# when the point lies more than halfway towards it.
Landmarks = Mapping[tuple[str, str], str]


def place(m: Marker, panel: Panel, landmarks: Landmarks) -> str | None:
    """Where the point itself lies, or None when its rule names no known part."""
    if panel.kind == "ear":
        return "ear"
    name = landmarks.get((m.code, panel.id))  # a close-up's marks carry the close-up's id; the rule is the figure's
    if name == "first-web":  # the same name on the hand (back views) and between the toes (front view, foot)
        name = "toe-web" if panel.kind == "foot" or panel.view == View.ANTERIOR else "hand-web"
    table, key = (ALONG, name[6:]) if name and name.startswith("along:") else (PLACES, name)
    found = next((word for word, pattern in table if key and re.search(pattern, key)), None)
    return found or (panel.kind if panel.kind in ("head", "hand", "foot") else None)


def headline(markers: Sequence[Marker], panels: Mapping[str, Panel], chosen: Sequence[str], region: str | None,
             fits: Callable[[str], bool] = lambda text: True, landmarks: Landmarks | None = None,
             region_places: Sequence[str] = ()) -> str:
    """For example "Dry needling: 22 spots where it hurts (the low back) · Acupuncture: 10 local, 24 distal (ear, hand, knee)".

    The region, then the places, then the words on where the trigger points lie are left out until the line `fits`.
    """
    tries = ((True, True, False), (False, True, False), (False, False, False), (False, False, True))
    for with_region, with_places, terse in tries:
        line = _line(markers, panels, chosen, region if with_region else None, with_places, landmarks or {},
                     () if terse else region_places)
        if fits(line):
            return line
    return line


def _spots(n: int) -> str:
    return f"{n} spot" if n == 1 else f"{n} spots"


def _places(markers, panels, landmarks: Landmarks) -> list[str]:
    """Each point's place once, from a body view when it has one (a foot panel's crop says less)."""
    by_code: dict[str, list[Marker]] = {}
    for m in markers:
        if m.panel in panels:
            by_code.setdefault(m.code, []).append(m)
    found = []
    for ms in by_code.values():
        ms.sort(key=lambda m: panels[m.panel].kind != "body")
        found.append(next((p for p in (place(m, panels[m.panel], landmarks) for m in ms) if p), None))
    return [p for p in dict.fromkeys(found) if p]


def _dry_needling(markers, panels, region: str | None, landmarks: Landmarks, region_places) -> str:
    """Where it hurts, in muscles that refer pain to it, or both: from where the trigger points lie."""
    dn = [m for m in markers if m.layer == Layer.DRY_NEEDLING]
    spots = _spots(len({(m.code, m.side) for m in dn}))
    where = _places(dn, panels, landmarks)
    inside = [p for p in where if p in region_places]
    outside = [p for p in where if p not in region_places]
    if not region_places:  # the atlas, or a complaint whose data does not say where it hurts
        return f"Dry needling: {spots}" + (f" ({region})" if region else "")
    if not outside:
        return f"Dry needling: {spots} where it hurts" + (f" ({region})" if region else "")
    said = f" ({', '.join(outside)})" if region else ""
    if not inside:
        return f"Dry needling: {spots} in muscles that refer pain to the {', '.join(region_places)}{said}"
    return f"Dry needling: {spots} where it hurts and in muscles referring pain to it{said}"


def _line(markers, panels, chosen, region: str | None, places: bool, landmarks: Landmarks, region_places) -> str:
    parts = []
    if Layer.DRY_NEEDLING in chosen and any(m.layer == Layer.DRY_NEEDLING for m in markers):
        parts.append(_dry_needling(markers, panels, region, landmarks, region_places))
    acu = [m for m in markers if m.layer == Layer.ACUPUNCTURE]
    if Layer.ACUPUNCTURE in chosen and acu and all(m.placement is None for m in acu):  # the atlas: no plan, no local or distal
        parts.append(f"Acupuncture: {_spots(len({(m.code, m.side) for m in acu}))}")
    elif Layer.ACUPUNCTURE in chosen and acu:
        local = {(m.code, m.side) for m in acu if m.placement != Placement.DISTAL}
        distal = {(m.code, m.side) for m in acu if m.placement == Placement.DISTAL}
        where = _places([m for m in acu if m.placement == Placement.DISTAL], panels, landmarks)
        detail = f" ({', '.join(where)})" if where and places else ""
        parts.append(f"Acupuncture: {len(local)} local, {len(distal)} distal{detail}")
    return " · ".join(parts) or "Anatomy only"
