"""Point cards and table rows for the interactive figure, built from the catalog and the JSON scene.

Plain data only (no Streamlit, no markup): the component writes every string with textContent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bodymap.content.items import trigger_point_heading
from bodymap.core.vocabulary import Placement, Therapy
from bodymap.data.catalog import Catalog
from bodymap.data.models import Acupoint, Muscle, SafetyModel
from bodymap.data.safety import needling_summary, safety_note
from bodymap.data.search import users

Card = dict[str, Any]


def _needling_fields(item: Any, safety: SafetyModel | None) -> list[list[str]]:
    # The words are the reference's (bodymap.data.safety), so the card and the printed page agree.
    needling = getattr(item, "needling", None)
    if needling is None:
        return []
    fields = [["Needling", needling_summary(item)]]
    note = safety_note(item, safety)
    if note:
        fields.append(["Beneath and safe depth", note])
    if needling.caution:
        fields.append(["Needling caution", needling.caution])
    fields.append(["Needling source", needling.source])
    return fields


def _links(cat: Catalog, complaint_ids: list[str], current: str) -> list[list[str]]:
    return [[cid, cat.complaints[cid].name] for cid in dict.fromkeys(complaint_ids) if cid != current]


def _channel(cat: Catalog, point: Acupoint) -> str:
    if point.system == "auricular":
        return "Ear (auricular point)"
    if point.meridian and point.meridian in cat.meridians:
        m = cat.meridians[point.meridian]
        return f"{m.name} ({m.english})" if m.english and m.english not in m.name else m.name
    return "Extra point (outside the 14 channels)"


def danger_zones_at(scene: Mapping[str, Any]) -> dict[str, list[str]]:
    """Names of the danger zones each marker code lies in, from the JSON scene (panel units)."""
    from matplotlib.path import Path  # a well-tested point-in-polygon; loaded only here

    zones = [(z["panel"], z["name"], Path(z["points"])) for z in scene.get("zones", []) if z.get("kind") == "danger"]
    hits: dict[str, list[str]] = {}
    for m in scene.get("markers", []):
        for panel, name, path in zones:
            if panel == m["panel"] and path.contains_point((m["x"], m["y"])):
                names = hits.setdefault(m["code"], [])
                if name not in names:
                    names.append(name)
    return hits


def referral_zone_ids(scene: Mapping[str, Any], cat: Catalog) -> dict[str, list[str]]:
    """For each trigger point id, the ids of its muscle's referral zones on the figure."""
    by_name: dict[str, list[str]] = {}
    for z in scene.get("zones", []):
        if z.get("kind") == "referral":
            by_name.setdefault(z["name"], []).append(z["id"])
    out: dict[str, list[str]] = {}
    for muscle in cat.muscles.values():
        ids = by_name.get(muscle.name, [])
        for tp in muscle.trigger_points:
            if ids:
                out[tp.id] = ids
    return out


def point_card(cat: Catalog, point: Acupoint, complaint_id: str | None, users: list[str],
               dangers: list[str]) -> Card:
    fields = [["Channel", _channel(cat, point)], ["Location (WHO 2008)", point.location]]
    fields += _needling_fields(point, cat.safety)
    plan = cat.acupuncture.get(complaint_id or "")
    use = next((u for u in plan.points if u.code == point.code), None) if plan else None
    if plan is not None and use is not None:
        why = f"{use.placement.capitalize()} point of this plan."
        fields.append(["Why it is in this plan", f"{why} {use.note}" if use.note else f"{why} {plan.rationale}"])
    cautions = []
    if use is not None:  # a point group such as EX-B2: the plan's levels decide whether its caution applies
        point = next((p for p, _ in cat.points_for(complaint_id or "") if p.code == point.code), point)
    if point.pregnancy_caution:
        cautions.append(f"Pregnancy (a traditional caution): {point.pregnancy_caution.note} "
                        f"Source: {point.pregnancy_caution.source}")
    cautions += [f"Lies in a danger zone: {name}" for name in dangers]
    fields += [["Caution", text] for text in cautions]
    fields.append(["Source", use.source if use is not None else point.source])
    if use is not None and use.source != point.source:
        fields.append(["Location source", point.source])
    names = " ".join(n for n in (point.code, point.pinyin, point.hanzi) if n)
    return {"kind": "acupoint", "code": point.code, "label": point.code, "heading": names, "subheading": point.english or "",
            "fields": fields, "links": _links(cat, users, complaint_id or ""), "zones": []}


def trigger_cards(cat: Catalog, muscle: Muscle, complaint_id: str | None, users: list[str],
                  dangers: Mapping[str, list[str]], zones: Mapping[str, list[str]]) -> list[Card]:
    plan = cat.dry_needling.get(complaint_id or "")
    use = next((u for u in plan.muscles if u.muscle == muscle.id), None) if plan else None
    cards = []
    for tp in muscle.trigger_points:
        fields = [["Muscle", muscle.name], ["Location", tp.location]]
        fields += _needling_fields(tp, cat.safety)
        if plan is not None and use is not None:
            fields.append(["Why it is in this plan", use.note or plan.rationale])
        if zones.get(tp.id):
            areas = "; ".join(a.description for a in muscle.referral if a.description)
            fields.append(["Referral zone", "Shaded on the figure." + (f" {areas}" if areas else "")])
        fields += [["Caution", f"Lies in a danger zone: {name}"] for name in dangers.get(tp.id, [])]
        fields.append(["Source", use.source if use is not None else muscle.source])
        # "label": the figure labels a muscle once, with the muscle's id as its data-code.
        # The number is the one drawn in the mark and listed on the label ("Quadratus lumborum 1-3").
        cards.append({"kind": "trigger-point", "code": tp.id, "label": muscle.id, "heading": muscle.name,
                      "subheading": f"{trigger_point_heading(muscle, tp.id)}: {tp.name}",
                      "fields": fields, "links": _links(cat, users, complaint_id or ""),
                      "zones": list(zones.get(tp.id, []))})
    return cards


def build_cards(cat: Catalog, scene: Mapping[str, Any], complaint_id: str | None) -> dict[str, Card]:
    """A card for every marker code on the figure (acupoint code or trigger point id)."""
    point_users, muscle_users = users(cat)
    dangers = danger_zones_at(scene)
    zones = referral_zone_ids(scene, cat)
    codes = {m["code"] for m in scene.get("markers", [])}
    muscle_ids = {m["muscle"] for m in scene.get("markers", []) if m.get("muscle")}
    cards: dict[str, Card] = {}
    for code in codes & set(cat.acupoints):
        cards[code] = point_card(cat, cat.acupoints[code], complaint_id, point_users.get(code, []), dangers.get(code, []))
    for mid in muscle_ids & set(cat.muscles):
        for card in trigger_cards(cat, cat.muscles[mid], complaint_id, muscle_users.get(mid, []), dangers, zones):
            if card["code"] in codes:
                cards[card["code"]] = card
    return cards


def table_rows(cat: Catalog, complaint_id: str) -> list[dict[str, Any]]:
    """The points-and-muscles table: one row per trigger point and per acupoint, keyed by marker code."""
    rows = []
    dn = cat.dry_needling.get(complaint_id)
    for use in dn.muscles if dn else ():
        m = cat.muscles[use.muscle]
        for tp in m.trigger_points:
            cells = [Therapy.DRY_NEEDLING.label, m.name, tp.name, tp.location, Placement.LOCAL.value, "", use.source]
            rows.append({"code": tp.id, "cells": cells})
    ac = cat.acupuncture.get(complaint_id)
    for puse in ac.points if ac else ():
        p = cat.acupoints[puse.code]
        channel = p.meridian or ("ear" if p.system == "auricular" else "extra")
        name = " ".join(n for n in (p.pinyin, p.hanzi, f"({p.english})" if p.english else "") if n)
        rows.append({"code": p.code, "cells": ["Acupuncture", p.code, name, p.location, puse.placement, channel, puse.source]})
    return rows


TABLE_COLUMNS = ["Therapy", "Code or muscle", "Name", "Location", "Local/distal", "Channel", "Source"]
