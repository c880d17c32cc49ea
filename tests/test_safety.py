"""The needling safety model (assets/data/safety.yaml) and the rule check over the atlas and every plan."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bodymap.core.errors import DataError
from bodymap.data.catalog import Catalog, load_catalog, load_custom_text
from bodymap.data.models import NEEDLE_ANGLES, Acupoint, Complaint
from bodymap.data.safety import ONE_SIDE, check_catalog, limits, parse_depth, safety_note

STRUCTURES = ("lung-pleura", "spinal-cord", "medulla", "vertebral-artery", "carotid-artery", "popliteal-vessels", "median-nerve",
              "ulnar-nerve", "sciatic-nerve", "facial-nerve", "kidney")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _entries(cat: Catalog):
    yield from ((p.code, p.needling) for p in cat.acupoints.values())
    yield from ((tp.id, tp.needling) for m in cat.muscles.values() for tp in m.trigger_points)


def _with_point(cat: Catalog, code: str, **needling) -> Catalog:
    point = cat.acupoints[code]
    changed = point.model_copy(update={"needling": point.needling.model_copy(update=needling)})
    return replace(cat, acupoints={**cat.acupoints, code: changed})


def test_the_structure_ids_are_the_agreed_ones(catalog):
    assert tuple(s.id for s in catalog.safety.structures) == STRUCTURES
    for structure in catalog.safety.structures:
        assert structure.regions, structure.id
        for region in structure.regions:
            assert region.population and region.source, region.id
            assert region.depth_mm is not None or region.uncertain, region.id  # unmeasured says so


def test_every_region_names_entries_that_exist(catalog):
    keys = {key for key, _ in _entries(catalog)}
    missing = [(r.id, e) for s in catalog.safety.structures for r in s.regions for e in r.entries if e not in keys]
    assert not missing


def test_every_point_and_trigger_point_has_structured_needling(catalog):
    mm_per_cun = catalog.safety.conversion.mm_per_cun[1]  # the upper bound, for safety
    for key, needling in _entries(catalog):
        assert needling is not None, key
        assert needling.angle in NEEDLE_ANGLES, key
        assert needling.direction, key
        assert needling.depth_mm == parse_depth(needling.depth, mm_per_cun), (key, needling.depth, needling.depth_mm)


def test_the_rule_check_passes_for_the_atlas_and_every_plan(catalog):
    assert [str(f) for f in check_catalog(catalog)] == []


def test_gb21_set_back_to_perpendicular_0_8_cun_fails_the_check(catalog):
    mutated = _with_point(catalog, "GB21", angle="perpendicular", depth="0.5-0.8 cun", depth_mm=(12.5, 20.0))
    problems = {(f.where, f.key, f.problem.split()[0]) for f in check_catalog(mutated)}
    assert ("atlas", "GB21", "angle") in problems and ("atlas", "GB21", "depth") in problems
    assert ("neck-pain", "GB21", "angle") in problems  # the plan that uses it is flagged too


def test_bl43_directed_medially_fails_the_check(catalog):
    mutated = _with_point(catalog, "BL43", direction="medially, towards the spine")
    assert any(f.key == "BL43" and "medial" in f.problem for f in check_catalog(mutated))


def test_beneath_must_match_the_model(catalog):
    mutated = _with_point(catalog, "GB21", beneath=())
    assert any(f.key == "GB21" and f.problem.startswith("beneath") for f in check_catalog(mutated))


def test_a_plan_with_a_one_side_rule_must_say_so(catalog):
    complaint = catalog.complaints["thoracic-back-pain"]
    kept = tuple(c for c in complaint.cautions if ONE_SIDE not in c.lower())
    assert len(kept) < len(complaint.cautions)
    mutated = replace(catalog, complaints={**catalog.complaints, complaint.id: Complaint.model_validate(
        {**complaint.model_dump(), "cautions": kept})})
    assert [(f.where, f.key) for f in check_catalog(mutated)] == [("thoracic-back-pain", "cautions")]


def test_the_strictest_rule_wins(catalog):
    gb20 = limits(catalog.safety)["GB20"]  # medulla (25 mm) and vertebral artery (40 mm)
    assert gb20.max_depth_mm == 25
    assert {"upward", "lateral"} <= set(gb20.forbidden)
    gb25 = limits(catalog.safety)["GB25"]  # lung (oblique or transverse) and kidney (perpendicular or oblique)
    assert gb25.angles == ("oblique",) and set(gb25.structures) == {"lung-pleura", "kidney"}


def test_no_chest_wall_trigger_point_goes_deeper_than_the_safe_depth(catalog):
    region = next(r for s in catalog.safety.structures for r in s.regions if r.id == "chest-wall-dry-needling")
    tps = {tp.id: tp for m in catalog.muscles.values() for tp in m.trigger_points}
    for key in region.entries:
        needling = tps[key].needling
        assert needling.depth_mm[1] <= region.rule.max_depth_mm, key
        assert "onto bone" not in needling.depth and "rib" not in needling.depth, key


def test_corrected_entries_match_their_sources(catalog):
    gb21, bl43, gb20 = (catalog.acupoints[c].needling for c in ("GB21", "BL43", "GB20"))
    assert gb21.angle != "perpendicular" and gb21.depth_mm[1] <= 0.5 * 25 and "posterior" in gb21.direction
    assert "medial" not in bl43.direction and bl43.depth == "0.3-0.5 cun"
    assert gb20.depth.startswith("0.5-1 cun") and "nose" in gb20.direction
    ls = next(tp for tp in catalog.muscles["levator-scapulae"].trigger_points if tp.id == "ls-neck-angle").needling
    assert ls.depth_mm[1] < 33  # the lung lies about 3.3 cm deep at the angle of the neck


DEPTHS = [("0.3-0.5 cun", (7.5, 12.5)), ("usually 4-7 cm", (40.0, 70.0)), ("1-2 mm, into", (1.0, 2.0)),
          ("0.5-1 cun, or oblique 1-1.5 cun", (12.5, 37.5)), ("within the pinched fold", None)]


@pytest.mark.parametrize(("text", "expected"), DEPTHS)
def test_depth_texts_convert_to_mm(text, expected):
    assert parse_depth(text, 25) == expected


def test_the_note_names_what_lies_beneath_and_the_safe_depth(catalog):
    note = safety_note(catalog.acupoints["GB21"], catalog.safety)
    assert "lung and pleura" in note and "12.5 mm" in note and "never medially or downwards" in note
    assert safety_note(catalog.acupoints["LI4"], catalog.safety) == ""


def test_a_custom_file_with_an_unknown_structure_is_refused(catalog):
    point = catalog.acupoints["LI4"].model_dump(by_alias=True, exclude_none=True)
    point["code"] = "LI3"
    point["needling"]["beneath"] = ["spleen"]
    with pytest.raises(DataError, match="beneath 'spleen' is not a structure"):
        load_custom_text(__import__("json").dumps({"acupoints": [point]}), "mine.json", catalog)
    assert Acupoint.model_validate(point).needling.beneath == ("spleen",)  # the model alone cannot know the ids


def test_json_markers_carry_direction_depth_mm_and_beneath(catalog):
    import json

    import bodymap

    scene = json.loads(bodymap.render("thoracic-back-pain", format="json"))
    for marker in scene["markers"]:
        needling = marker["needling"]
        assert {"angle", "depth", "caution", "source", "direction", "depth_mm", "beneath"} <= set(needling), marker["id"]
        assert len(needling["depth_mm"]) == 2 and needling["depth_mm"][0] <= needling["depth_mm"][1], marker["id"]
    bl43 = next(m for m in scene["markers"] if m["code"] == "BL43")["needling"]
    assert bl43["beneath"] == ["lung-pleura"] and bl43["depth_mm"] == [7.5, 12.5] and "medial" not in bl43["direction"]


def test_the_card_and_the_reference_say_the_same(catalog):
    from bodymap.documents.content import needling_text
    from bodymap_app.cards import point_card

    card = point_card(catalog, catalog.acupoints["GB21"], "neck-pain", [], [])
    fields = dict((k, v) for k, v in card["fields"])
    row = needling_text(catalog.acupoints["GB21"], catalog.safety)
    assert fields["Needling"] in row and fields["Beneath and safe depth"] in row
    assert "12.5 mm" in fields["Beneath and safe depth"]


def test_a_plan_draws_a_point_group_at_its_own_levels(catalog):
    thoracic = dict((p.code, p) for p, _ in catalog.points_for("thoracic-back-pain"))["EX-B2"]
    lumbar = dict((p.code, p) for p, _ in catalog.points_for("low-back-pain"))["EX-B2"]
    assert {s.from_ for s in thoracic.sites} == {"t3", "t5", "t7", "t9"}
    assert {s.from_ for s in lumbar.sites} == {"l1", "l2", "l3", "l4", "l5"}
    assert len(catalog.acupoints["EX-B2"].sites) == 9  # the atlas draws every level


def test_a_plan_level_without_a_site_is_refused(catalog):
    import json

    plan = {"complaint": "low-back-pain-mine", "rationale": "r", "foot_points": "none", "source": "Book, 2007 edition",
            "points": [{"code": "EX-B2", "placement": "local", "at": ["t2"], "source": "Book, 2007 edition"}]}
    complaint = {"id": "low-back-pain-mine", "name": "Mine", "summary": "s"}
    with pytest.raises(DataError, match="EX-B2 has no site at 't2'"):
        load_custom_text(json.dumps({"complaints": [complaint], "acupuncture": [plan]}), "mine.json", catalog)


def _ex_b2(cat: Catalog, complaint_id: str) -> Acupoint:
    return next(p for p, _ in cat.points_for(complaint_id) if p.code == "EX-B2")


def test_the_jiaji_have_lung_beneath_only_at_thoracic_levels(catalog):
    # one entry spans T1-L5; the thoracic region covers it at T-levels only, so the lumbar plans lose the lung
    assert catalog.acupoints["EX-B2"].needling.beneath == ("lung-pleura",)
    assert _ex_b2(catalog, "thoracic-back-pain").needling.beneath == ("lung-pleura",)
    for cid in ("low-back-pain", "sciatica"):
        lumbar = _ex_b2(catalog, cid)
        assert {s.from_ for s in lumbar.sites} <= {"l1", "l2", "l3", "l4", "l5"}
        assert lumbar.needling.beneath == () and safety_note(lumbar, catalog.safety) == ""
    assert safety_note(_ex_b2(catalog, "thoracic-back-pain"), catalog.safety).startswith("Beneath: lung and pleura")


def test_the_breath_warning_follows_the_levels_drawn(catalog):
    from bodymap.api import scene_for
    from bodymap.documents.content import session

    lumbar = session(scene_for("low-back-pain", data=catalog), catalog)
    thoracic = session(scene_for("thoracic-back-pain", data=catalog), catalog)
    assert "lung-pleura" not in lumbar.beneath and "lung-pleura" in thoracic.beneath


def test_levels_must_name_a_listed_entry(catalog):
    region = catalog.safety.structures[0].regions[0].model_dump(by_alias=True)
    region["levels"] = {"ZZ99": ["t3"]}
    with pytest.raises(ValueError, match="levels given for ZZ99"):
        type(catalog.safety.structures[0].regions[0]).model_validate(region)
