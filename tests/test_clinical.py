"""Clinical depth (issue 14): needling, evidence, cautions and names hold for every complaint, in the catalog."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from bodymap.data.models import ACUPOINT_ANGLES, Acupoint, Complaint, Evidence, Needling
from bodymap.data.search import find

from .conftest import COMPLAINTS

# a year, an edition or a DOI: something to look up
CITABLE = re.compile(r"\b(1[89]\d\d|20\d\d)\b|ed\.|edition|\bdoi:10\.\d{4,}/")
NEW = ("migraine", "temporomandibular-disorder", "carpal-tunnel-syndrome", "lateral-hip-pain", "achilles-tendinopathy",
       "thoracic-back-pain")


def _planned_points(catalog):
    codes = {use.code for plan in catalog.acupuncture.values() for use in plan.points}
    return [catalog.acupoints[c] for c in sorted(codes)]


def _planned_trigger_points(catalog):
    ids = {use.muscle for plan in catalog.dry_needling.values() for use in plan.muscles}
    return [(m, tp) for m in ids for tp in catalog.muscles[m].trigger_points]


def test_the_six_new_complaints_are_in_the_catalog(catalog):
    assert set(NEW) <= set(catalog.complaints)
    assert set(COMPLAINTS) == set(catalog.complaints)


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_each_complaint_meets_the_minimums(catalog, cid):
    muscles = catalog.muscles_for(cid)
    assert len(muscles) >= 3 and all(m.trigger_points and m.referral for m in muscles)
    points = catalog.points_for(cid)
    body = [(p, placement) for p, placement in points if p.system == "body"]
    assert len(body) >= 4
    assert {placement for _, placement in body} == {"local", "distal"}
    assert sum(p.system == "auricular" for p, _ in points) >= 2


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_each_complaint_has_sourced_evidence_for_both_therapies(catalog, cid):
    complaint = catalog.complaints[cid]
    assert {e.therapy for e in complaint.evidence} == {"dry-needling", "acupuncture"}
    for e in complaint.evidence:
        assert CITABLE.search(e.source), e.source
        assert "\n" not in e.summary and len(e.summary) > 40


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_each_complaint_has_safety_notes_that_name_their_source(catalog, cid):
    cautions = catalog.complaints[cid].cautions
    assert cautions
    for note in cautions:
        assert CITABLE.search(note), note


def test_every_planned_body_point_has_names_and_needling(catalog):
    for point in _planned_points(catalog):
        assert point.english, point.code
        assert point.needling is not None, point.code
        assert point.needling.depth and CITABLE.search(point.needling.source), point.code
        if point.system == "body":
            assert point.hanzi and re.search(r"[\u4e00-\u9fff]", point.hanzi), point.code
            assert point.needling.angle in ACUPOINT_ANGLES, point.code
            assert re.search(r"cun|cm|mm", point.needling.depth), point.code


def test_every_point_has_an_english_name_without_doubling_the_pinyin(catalog):
    for point in catalog.acupoints.values():
        assert point.english, point.code
        assert point.english.casefold() != point.pinyin.casefold(), point.code
        # "Shenmen, Shenmen (spirit gate)" or "Shenmen (spirit gate)": the pinyin repeated as a gloss
        assert not re.search(rf"\b{re.escape(point.pinyin)}\b\s*[,(]", point.english, re.IGNORECASE), point.english


@pytest.mark.parametrize("code, word", [("GB21", "lung"), ("BL40", "popliteal"), ("GB30", "sciatic"),
                                        ("BL36", "sciatic"), ("BL54", "sciatic"), ("ST9", "carotid"),
                                        ("PC7", "median"), ("ST7", "facial nerve"), ("BL23", "kidney")])
def test_what_lies_beneath_is_named(catalog, code, word):
    needling = catalog.acupoints[code].needling
    assert needling is not None and needling.caution and word in needling.caution.lower()


def test_every_planned_trigger_point_has_an_approach_and_a_source(catalog):
    pairs = _planned_trigger_points(catalog)
    assert len(pairs) > 60
    for _muscle, tp in pairs:
        assert tp.needling is not None, tp.id
        assert tp.needling.angle and tp.needling.depth and CITABLE.search(tp.needling.source), tp.id


def test_piriformis_prefers_the_lateral_approach(catalog):
    tps = {tp.id: tp for tp in catalog.muscles["piriformis"].trigger_points}
    assert "lateral approach is preferred" in tps["pir-medial"].needling.caution
    assert "sciatic" in tps["pir-lateral"].needling.caution
    use = next(u for u in catalog.dry_needling["sciatica"].muscles if u.muscle == "piriformis")
    assert "lateral" in use.note and "Dommerholt" in use.source


@pytest.mark.parametrize("code", ["ST12", "CV2", "CV4", "CV6", "CV8", "LI4", "SP6", "BL60", "BL67", "GB21"])
def test_points_cautioned_in_pregnancy_are_flagged(catalog, code):
    caution = catalog.acupoints[code].pregnancy_caution
    assert caution is not None and "tradition" in caution.note.lower()
    assert CITABLE.search(caution.source)


@pytest.mark.parametrize("cid", ["low-back-pain", "sciatica"])
def test_lumbosacral_plans_carry_the_pregnancy_note(catalog, cid):
    assert any("lumbosacral" in c.lower() and "pregnan" in c.lower() for c in catalog.complaints[cid].cautions)


def test_plans_with_ear_points_carry_the_miscarriage_note(catalog):
    for cid in COMPLAINTS:
        if any(p.system == "auricular" for p, _ in catalog.points_for(cid)):
            assert any("miscarriage" in c for c in catalog.complaints[cid].cautions), cid


@pytest.mark.parametrize("cid, words", [("temporomandibular-disorder", ("facial nerve", "parotid")),
                                        ("carpal-tunnel-syndrome", ("median nerve",)),
                                        ("thoracic-back-pain", ("pneumothorax", "cm", "cun"))])
def test_region_safety_notes_of_the_new_complaints(catalog, cid, words):
    text = " ".join(catalog.complaints[cid].cautions).lower()
    for word in words:
        assert word in text, word


def test_review_fixes(catalog):
    assert all(s.panel != "body-anterior" for s in catalog.acupoints["GB21"].sites)  # not on the lung apex
    codes = {cid: [u.code for u in catalog.acupuncture[cid].points] for cid in COMPLAINTS}
    assert "BL54" in codes["sciatica"]
    assert "LI4" not in codes["shoulder-pain"] and "SI3" in codes["shoulder-pain"]
    assert "KI6" not in codes["plantar-heel-pain"]
    assert "gluteus-minimus" in {m.id for m in catalog.muscles_for("low-back-pain")}
    assert "levator-scapulae" in {m.id for m in catalog.muscles_for("shoulder-pain")}
    assert "supraepicondylar" in catalog.acupoints["LI12"].location
    assert "midway" in catalog.acupoints["EX-UE7"].location
    for muscle in ("quadratus-plantae", "flexor-digitorum-brevis"):
        assert any(s.panel == "foot-plantar" for tp in catalog.muscles[muscle].trigger_points for s in tp.sites)
    for plan in list(catalog.acupuncture.values()) + list(catalog.dry_needling.values()):
        assert "request" not in (plan.uncertain or "").lower(), plan.complaint


def test_ex_ue7_lies_between_the_wrist_crease_and_the_knuckles(catalog, panels):
    from bodymap.figures.placement import resolve

    hand = panels["hand-dorsum"]
    wrist_y, knuckle_y = hand.landmarks["wrist-dorsal"][1], hand.landmarks["fifth-mcp-ulnar"][1]
    for site in (s for s in catalog.acupoints["EX-UE7"].sites if s.panel == "hand-dorsum"):
        y = resolve(site, panels)[1]
        assert abs(y - (wrist_y + knuckle_y) / 2) < 0.15 * (knuckle_y - wrist_y)


def test_needling_angle_of_an_acupoint_is_validated():
    needling = {"angle": "diagonal", "depth": "1 cun", "source": "A textbook, 2nd ed. (2007)"}
    entry = {"code": "BL23", "pinyin": "Shenshu", "meridian": "BL", "location": "somewhere", "needling": needling,
             "sites": [{"panel": "body-posterior", "from": "l2"}], "source": "A source that is long enough"}
    with pytest.raises(ValidationError, match="perpendicular, oblique, transverse"):
        Acupoint.model_validate(entry)
    entry["needling"] = {**needling, "angle": "oblique"}
    assert Acupoint.model_validate(entry).needling.angle == "oblique"


def test_new_models_reject_unknown_keys_and_therapies():
    with pytest.raises(ValidationError):
        Needling.model_validate({"angle": "oblique", "depth": "1 cun", "source": "Book, 2007", "dept": "x"})
    with pytest.raises(ValidationError):
        Evidence.model_validate({"therapy": "cupping", "summary": "x", "source": "Trial 2009"})
    complaint = Complaint.model_validate({"id": "x", "name": "X", "summary": "y"})
    assert complaint.evidence == () and complaint.cautions == ()


@pytest.mark.parametrize("query, code", [("委中", "BL40"), ("肾俞", "BL23"), ("Wěizhōng", "BL40"), ("wei4zhong1", "BL40"),
                                         ("zu3 san1 li3", "ST36"), ("leg three miles", "ST36"),
                                         ("Middle of the Crook", "BL40"), ("jiache", "ST6")])
def test_points_are_found_by_hanzi_pinyin_and_english(catalog, query, code):
    hits = find(catalog, query, "low-back-pain")
    assert code in [h.key for h in hits.in_complaint + hits.elsewhere][:3]


def test_search_keeps_short_latin_queries_quiet_and_codes_exact(catalog):
    assert find(catalog, "li", "low-back-pain") == find(catalog, "", "low-back-pain")
    hits = find(catalog, "bl4", "low-back-pain")
    assert hits.in_complaint[0].key == "BL40"
    assert find(catalog, "GB20", "neck-pain").in_complaint[0].text.startswith("GB20 Fengchi (")


@pytest.mark.parametrize("cid", ["tension-headache", "migraine", "temporomandibular-disorder"])
def test_head_complaints_use_the_head_view(catalog, panels, cid):
    sites = [s for p, _ in catalog.points_for(cid) for s in p.sites]
    sites += [s for m in catalog.muscles_for(cid) for tp in m.trigger_points for s in tp.sites]
    head = {s.panel for s in sites if panels[s.panel].kind == "head"}
    assert head == {"head-lateral"}


def test_head_view_places_the_jaw_points_in_anatomical_order(catalog, panels):
    from bodymap.figures.placement import resolve

    def at(code):
        return resolve(next(s for s in catalog.acupoints[code].sites if s.panel == "head-lateral"), panels)

    # The face looks towards +x: SI19 in front of the tragus, ST7 further forward; GB2 below SI19;
    # ST6 below ST7 (near the jaw angle); GB8 above the ear; GB20 behind and below it.
    assert at("SI19")[0] < at("ST7")[0] and at("GB2")[1] > at("SI19")[1]
    assert at("ST6")[1] > at("ST7")[1] and at("GB8")[1] < at("SI19")[1] < at("GB20")[1]
    assert at("GB20")[0] < at("TE17")[0] < at("SI19")[0]


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_every_planned_point_with_a_pregnancy_caution_is_named_in_the_plan_notes(catalog, cid):
    text = " ".join(catalog.complaints[cid].cautions)
    for point, _ in catalog.points_for(cid):
        if point.pregnancy_caution is not None:
            assert re.search(rf"\b{point.code}\b", text), point.code
