"""Today's session plan (issue 19): the model, render(plan=...), the CLI's --points and --plan, and the handout it prints."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

import bodymap
from bodymap.cli import main
from bodymap.core.errors import BodymapError, PlanError
from bodymap.data.catalog import load_catalog
from bodymap.data.plan import (
    MAX_ENTRIES,
    PlanEntry,
    SessionPlan,
    closest,
    parse_lenient,
    parse_points,
    plan_from_json,
    plan_schema,
    plan_to_json,
    protocol,
    schema_path,
)
from bodymap.documents.content import load_handout_text
from tests.test_handout import bbox_per_pt as _bbox_per_pt
from tests.test_handout import pdfinfo, smallest_pt, text

bbox_per_pt = _bbox_per_pt  # the fixture, measured once per module here too

POINTS = "BL40,BL23:L,ql-superficial-upper:R"
CODE = re.compile(r"\b(?:LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)\d{1,2}\b"  # WHO body points
                  r"|\bEX-[A-Z]+\d+\b|\b(?:HX|SF|AH|TF|CO|TG|AT|LO)\d+[a-z]?\b")  # extra and ear points


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def handout() -> bytes:
    return bodymap.render("low-back-pain", format="handout", plan=POINTS, clinic="Riverside Physio, 020 7946 0000")


def protocol_codes(cat, complaint: str) -> set[str]:
    return {p.code for p, _ in cat.points_for(complaint)} | {tp.id for m in cat.muscles_for(complaint) for tp in m.trigger_points}


# --- the model ---------------------------------------------------------------------------------


def test_points_parse_to_entries_with_sides(cat):
    plan = parse_points(cat, "BL40, bl23:L, ql-superficial-upper:right")
    assert [(e.code, e.side) for e in plan.entries] == [("BL40", "both"), ("BL23", "left"), ("ql-superficial-upper", "right")]
    assert plan.tokens() == POINTS


@pytest.mark.parametrize("bad, words", [
    ("BL99", ["unknown point 'BL99'", "BL1"]),
    ("ql-superficial", ["ql-superficial-upper", "ql-superficial-lower"]),
    ("BL23:X", ["unknown side 'X'", "L, R or B"]),
    ("GV3:L", ["midline", "no left side"]),
    ("BL40,BL40:L", ["twice"]),
    ("<script>:L", ["not a point code"]),
])
def test_bad_points_are_one_line_errors_naming_them(cat, bad, words):
    with pytest.raises(PlanError) as err:
        parse_points(cat, bad)
    message = str(err.value)
    assert "\n" not in message
    for w in words:
        assert w in message


def test_closest_codes_prefer_the_same_channel(cat):
    assert all(c.startswith("BL") for c in closest(cat, "BL99"))
    assert closest(cat, "zzzzzz") == []


def test_more_than_200_entries_are_refused(cat):
    with pytest.raises(PlanError, match="at most 200"):
        parse_points(cat, ",".join(["BL40"] * (MAX_ENTRIES + 1)))
    with pytest.raises(ValidationError):
        SessionPlan(entries=tuple(PlanEntry(code=f"BL{n % 60 + 1}") for n in range(MAX_ENTRIES + 1)))


def test_protocol_is_every_point_and_trigger_point_once(cat):
    plan = protocol(cat, "low-back-pain")
    assert set(plan.codes()) == protocol_codes(cat, "low-back-pain")
    assert len(plan.codes()) == len(set(plan.codes()))
    assert all(e.side == "both" for e in plan.entries)


def test_with_entry_and_without(cat):
    plan = parse_points(cat, "BL40")
    plan = plan.with_entry(PlanEntry(code="BL23", side="left")).with_entry(PlanEntry(code="BL40", side="right"))
    assert plan.tokens() == "BL40:R,BL23:L"
    assert plan.without("BL40").tokens() == "BL23:L"


def test_lenient_parse_keeps_the_good_entries(cat):
    plan, bad = parse_lenient(cat, "BL40,NOPE1,BL23:Q,BL23:L,BL40")
    assert plan.tokens() == "BL40,BL23:L"
    assert bad == ["NOPE1", "BL23:Q"]


def test_shipped_schema_is_the_generated_one():
    assert json.loads(schema_path().read_text(encoding="utf-8")) == plan_schema()
    schema = plan_schema()
    assert schema["properties"]["entries"]["maxItems"] == MAX_ENTRIES
    assert schema["additionalProperties"] is False


def test_plan_json_round_trips(cat):
    plan = parse_points(cat, POINTS).model_copy(update={"complaint": "low-back-pain"})
    again = plan_from_json(cat, plan_to_json(plan))
    assert again == plan


@pytest.mark.parametrize("payload, words", [
    ("{", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"entries": [{"code": "BL40", "side": "up"}]}', "entries.0.side"),
    ('{"entries": [{"code": "BL40"}], "extra": 1}', "extra"),
    ('{"entries": [{"code": "NOPE1"}]}', "unknown point"),
    ('{"entries": [' + ",".join(['{"code": "BL40"}'] * 201) + "]}", "at most 200"),
    ("[" * 100_000 + "]" * 100_000, "bytes"),
    ('{"entries": [{"code": "BL40", "note": "a\\nb"}]}', "note"),
    ("\udcff", "not valid JSON"),
])
def test_bad_plan_files_are_refused_with_one_line(cat, payload, words):
    with pytest.raises(PlanError) as err:
        plan_from_json(cat, payload.encode("utf-8", "surrogateescape") if "\udcff" in payload else payload)
    assert "\n" not in str(err.value)
    if words != "not valid JSON" or "\udcff" not in payload:
        assert words in str(err.value)


# --- render(plan=...) and the JSON scene --------------------------------------------------------


def _markers(doc: dict) -> list[tuple[str, str]]:
    return sorted((m["code"], m["side"]) for m in doc["markers"])


def test_json_has_the_plans_four_markers_and_no_others():
    doc = json.loads(bodymap.render("low-back-pain", format="json", plan=POINTS))
    assert _markers(doc) == [("BL23", "left"), ("BL40", "left"), ("BL40", "right"), ("ql-superficial-upper", "right")]
    assert doc["plan"]["entries"][1] == {"code": "BL23", "side": "left"}


def test_render_accepts_every_plan_form(cat):
    as_text = bodymap.render("low-back-pain", format="json", plan=POINTS)
    as_list = bodymap.render("low-back-pain", format="json", plan=POINTS.split(","))
    as_model = bodymap.render("low-back-pain", format="json", plan=parse_points(cat, POINTS))
    as_dicts = bodymap.render("low-back-pain", format="json", plan=[{"code": "BL40"}, {"code": "BL23", "side": "left"},
                                                                     {"code": "ql-superficial-upper", "side": "right"}])
    assert _markers(json.loads(as_text)) == _markers(json.loads(as_list)) == _markers(json.loads(as_model)) \
        == _markers(json.loads(as_dicts))
    with pytest.raises(PlanError):
        bodymap.render("low-back-pain", format="json", plan=42)


def test_a_point_from_another_complaint_is_drawn():
    doc = json.loads(bodymap.render("low-back-pain", format="json", plan="PC6:L"))
    assert _markers(doc) == [("PC6", "left")]


def test_a_plan_labels_in_patient_words():
    svg = bodymap.render("low-back-pain", plan=POINTS)
    assert "Weizhong, back of the knee" in svg
    assert "Shenshu, low back" in svg


def test_without_a_plan_the_scene_is_unchanged():
    doc = json.loads(bodymap.render("low-back-pain", format="json"))
    assert "plan" not in doc
    assert all("label" not in m for m in doc["markers"])


def test_empty_plan_draws_no_marker():
    doc = json.loads(bodymap.render("low-back-pain", format="json", plan=[]))
    assert doc["markers"] == []


# --- the patient handout -------------------------------------------------------------------------


def test_handout_names_exactly_the_plans_points(handout, cat):
    flat = text(handout)
    named = set(CODE.findall(flat))
    assert named == {"BL40", "BL23"}, named
    others = protocol_codes(cat, "low-back-pain") - {"BL40", "BL23", "ql-superficial-upper"}
    assert not [c for c in others if re.search(rf"\b{re.escape(c)}\b", flat)]
    assert "Weizhong, back of the knee, both sides" in flat
    assert "Shenshu, low back, left side (BL23)" in flat
    assert "Trigger point, low back, right side" in flat
    assert "quadratus" not in flat.lower()  # no Latin muscle name for the patient


def test_handout_bl23_is_marked_once_on_the_left():
    svg = bodymap.render("low-back-pain", plan=POINTS)
    assert len(re.findall(r'data-code="BL23"', svg)) >= 1
    doc = json.loads(bodymap.render("low-back-pain", format="json", plan=POINTS))
    assert [m["side"] for m in doc["markers"] if m["code"] == "BL23"] == ["left"]


def test_handout_fits_one_page_and_nothing_under_7pt(handout, bbox_per_pt):
    assert pdfinfo(handout)["Pages"].strip() == "1"
    size, word = smallest_pt(handout, bbox_per_pt)
    assert size >= 7.0 - 0.05, (size, word)


def test_handout_footer_names_clinic_and_date_not_the_program(handout):
    flat = text(handout)
    assert "Riverside" in flat and "Date:" in flat
    assert "bodymap" not in flat.lower()
    assert "-f " not in flat and "command" not in flat.lower()
    protocol_sheet = text(bodymap.render("neck-pain", format="handout"))
    assert "bodymap" not in protocol_sheet.lower()


def test_carpal_tunnel_handout_does_not_mention_the_lung():
    flat = text(bodymap.render("carpal-tunnel-syndrome", format="handout")).lower()
    assert "lung" not in flat and "chest" not in flat


def _with_beneath(cat, code: str, structures: tuple[str, ...]):
    """The catalog with `code` needled over `structures` (a fixture until every point carries its data)."""
    point = cat.acupoints[code]
    needling = point.needling
    if "beneath" not in type(needling).model_fields:
        pytest.skip("the Needling model has no 'beneath' field yet")
    points = dict(cat.acupoints)
    points[code] = point.model_copy(update={"needling": needling.model_copy(update={"beneath": structures})})
    return dataclasses.replace(cat, acupoints=points)


def test_a_plan_with_lung_beneath_mentions_the_lung(cat):
    fixture = _with_beneath(cat, "BL15", ("lung-pleura",))
    with_bl15 = text(bodymap.render("carpal-tunnel-syndrome", format="handout", plan="BL15,PC6", data=fixture)).lower()
    without = text(bodymap.render("carpal-tunnel-syndrome", format="handout", plan="PC6", data=fixture)).lower()
    assert "collapse a lung" in with_bl15
    assert "lung" not in without
    assert "xinshu, upper back" in with_bl15


def test_built_in_bl15_has_lung_beneath(cat):
    needling = cat.acupoints["BL15"].needling
    if not getattr(needling, "beneath", None):
        pytest.skip("the built-in data does not carry needling.beneath yet (branch safety-needling)")
    assert "lung-pleura" in needling.beneath
    assert "collapse a lung" in text(bodymap.render("carpal-tunnel-syndrome", format="handout", plan="BL15")).lower()


def test_every_handout_statement_says_when_it_applies():
    raw = (schema_path().parents[2] / "assets" / "data" / "handout.yaml").read_text(encoding="utf-8")
    statements = raw.count("- text:") + raw.count("  - id:")
    assert len(re.findall(r"^\s+when: ", raw, re.MULTILINE)) == statements
    handout_text = load_handout_text()
    pregnancy = next(c for c in handout_text.cautions if c.id == "pregnancy")
    assert pregnancy.when == "always"


def test_empty_plan_says_no_points_and_keeps_the_advice():
    flat = text(bodymap.render("low-back-pain", format="handout", plan=""))
    assert "No points were chosen" in flat
    assert "When to get help" in flat and "Pregnant" in flat


def test_reference_prints_the_plan_first_then_the_protocol(cat):
    flat = text(bodymap.render("low-back-pain", format="reference", plan=POINTS)).replace("&apos;", "'")
    plan_at, protocol_at = flat.index("Today's plan: 3 points"), flat.index("The full protocol")
    assert plan_at < protocol_at
    assert "BL25" not in flat[:protocol_at] and "BL25" in flat[protocol_at:]


# --- the CLI -------------------------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_points_json_four_markers():
    result = _run("export", "low-back-pain", "-f", "json", "--points", POINTS, "-o", "-")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["markers"]) == 4


@pytest.mark.parametrize("points, expect", [("BL99,BL23:L", "closest: BL1"), ("BL23:Q", "unknown side"),
                                            ("GV3:R", "midline"), ("ql-superficail-upper", "ql-superficial-upper")])
def test_cli_bad_points_exit_2_one_line(points, expect, tmp_path):
    out = tmp_path / "h.pdf"
    result = _run("export", "low-back-pain", "-f", "handout", "--points", points, "-o", str(out))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0] and "Traceback" not in result.stderr
    assert not out.exists()


def test_cli_plan_file(tmp_path, cat):
    plan = tmp_path / "plan.json"
    plan.write_text(plan_to_json(parse_points(cat, POINTS)), encoding="utf-8")
    result = _run("export", "low-back-pain", "-f", "json", "--plan", str(plan), "-o", "-")
    assert result.exit_code == 0, result.output
    assert _markers(json.loads(result.stdout)) == [("BL23", "left"), ("BL40", "left"), ("BL40", "right"),
                                                   ("ql-superficial-upper", "right")]


@pytest.mark.parametrize("content", ["not json", '{"entries": 5}', '{"entries": [' + ",".join(['{"code":"BL40"}'] * 300) + "]}",
                                     "x" * 70_000])
def test_cli_bad_plan_file_exit_2_one_line(tmp_path, content):
    plan = tmp_path / "plan.json"
    plan.write_text(content, encoding="utf-8")
    result = _run("export", "low-back-pain", "-f", "handout", "--plan", str(plan), "-o", str(tmp_path / "h.pdf"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "h.pdf").exists()


def test_cli_plan_options_conflict(tmp_path):
    plan = tmp_path / "p.json"
    plan.write_text('{"entries": []}', encoding="utf-8")
    both = _run("export", "low-back-pain", "--points", "BL40", "--plan", str(plan), "-o", "-")
    assert both.exit_code == 2 and "not both" in both.stderr
    every = _run("export", "--all", "--points", "BL40", "-o", str(tmp_path / "out") + "/")
    assert every.exit_code == 2 and "--all" in every.stderr
    assert isinstance(PlanError("x"), BodymapError)


# --- where a point is, in plain words -------------------------------------------------------------


def test_every_landmark_in_patient_words_is_on_a_figure(panels):
    from bodymap.data.words import patient_words

    words = patient_words()
    known = {name for p in panels.values() for name in p.landmarks}
    missing = sorted(set(words.lookup()) - known)
    assert not missing, missing
    assert set(words.panels) <= set(panels)


def test_where_is_read_at_the_mark():
    doc = json.loads(bodymap.render("low-back-pain", format="json", plan="EX-B2,KI3,BL60,TF4"))
    labels = {m["label"] for m in doc["markers"]}
    assert labels == {"Jiaji, low back (EX-B2)", "Taixi, the ankle (KI3)", "Kunlun, the ankle (BL60)", "Shenmen, the ear (TF4)"}
