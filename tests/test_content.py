"""The clinical content meets the minimums the project promises, for every complaint."""

from __future__ import annotations

import re

import pytest

from bodymap.api import scene_for

from .conftest import COMPLAINTS


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_dry_needling_plan_minimums(catalog, cid):
    plan = catalog.dry_needling[cid]
    assert len(plan.muscles) >= 3
    assert len(plan.rationale) > 80
    for use in plan.muscles:
        muscle = catalog.muscles[use.muscle]
        assert muscle.trigger_points, muscle.id
        assert muscle.referral, f"{muscle.id} has no referral zone"


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_acupuncture_plan_minimums(catalog, cid):
    plan = catalog.acupuncture[cid]
    points = [(catalog.acupoints[u.code], u.placement) for u in plan.points]
    assert len(points) >= 4
    assert any(placement == "distal" for _, placement in points)
    assert sum(p.system == "auricular" for p, _ in points) >= 2
    assert len(plan.rationale) > 80 and len(plan.foot_points) > 10
    for point, _ in points:
        assert point.location and point.source
        if point.system == "body":
            assert point.hanzi and re.search(r"[\u4e00-\u9fff]", point.hanzi), point.code


def test_low_back_pain_has_distal_body_and_foot_points(catalog):
    pts = [(catalog.acupoints[u.code], u.placement) for u in catalog.acupuncture["low-back-pain"].points]
    distal_body = [p for p, placement in pts if placement == "distal" and p.system == "body"]
    assert len(distal_body) >= 2
    assert any(s.panel.startswith("foot-") for p in distal_body for s in p.sites)


def test_meridians_are_the_fourteen_channels(catalog):
    assert set(catalog.meridians) == {"LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV"}
    assert catalog.meridians["BL"].count == 67 and catalog.meridians["GB"].count == 44
    assert catalog.meridians["BL"].codes[0] == "BL1" and catalog.meridians["BL"].codes[-1] == "BL67"


def test_pregnancy_cautions_are_flagged_with_a_source(catalog):
    for code in ("LI4", "SP6", "BL60", "BL67", "GB21"):
        caution = catalog.acupoints[code].pregnancy_caution
        assert caution is not None and "tradition" in caution.note.lower(), code
        assert re.search(r"(19|20)\d\d", caution.source)


def test_danger_zones_cover_the_regions_that_need_care(catalog):
    text = " ".join(f"{z.id} {z.name}".lower() for z in catalog.danger_zones)
    for word in ("lung", "suboccipital", "neck", "popliteal", "sciatic", "kidney"):
        assert word in text, word
    assert all(z.reason and z.source for z in catalog.danger_zones)


def test_comparison_covers_the_article_facts(catalog):
    aspects = " ".join(r.aspect.lower() for r in catalog.comparison.rows)
    for word in ("origin", "model", "where", "feel", "how long", "relief", "who"):
        assert word in aspects, word
    rows = {r.aspect: r for r in catalog.comparison.rows}
    assert "20 minutes" in rows["How long needles stay in"].acupuncture
    assert "twitch" in rows["What the patient feels"].dry_needling


def test_muscle_outlines_follow_the_dry_needling_overlay():
    on = scene_for("low-back-pain", ["dry-needling"])
    off = scene_for("low-back-pain", ["acupuncture"])
    assert [z for z in on.zones if z.kind == "muscle"]
    assert not [z for z in off.zones if z.kind == "muscle"]
    assert any(e.key == "muscle-outline" for e in on.legend)
