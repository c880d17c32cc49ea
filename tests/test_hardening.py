"""Bad input and abuse: property-based API/CLI calls, fuzzed URLs, mutated data files, hostile text."""

from __future__ import annotations

import copy
import json
import random
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bodymap
from bodymap.api import load_data_text
from bodymap.cli import main
from bodymap.core.errors import BodymapError, DataError
from bodymap.scene.build import OVERLAYS, SIDES, VIEWS

from .conftest import COMPLAINTS

junk = st.text(min_size=0, max_size=30)
overlay_names = st.one_of(st.sampled_from(OVERLAYS), junk)
complaint_ids = st.one_of(st.sampled_from(COMPLAINTS), junk)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complaint=complaint_ids, overlays=st.lists(overlay_names, max_size=5), view=st.one_of(st.sampled_from(VIEWS), junk),
       side=st.one_of(st.sampled_from(SIDES), junk), fmt=st.sampled_from(["svg", "json", "gif", ""]))
def test_public_api_raises_only_our_errors(complaint, overlays, view, side, fmt):
    try:
        out = bodymap.render(complaint, format=fmt, overlays=overlays, view=view, side=side)
    except BodymapError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert complaint in COMPLAINTS and set(overlays) <= set(OVERLAYS)
    if fmt == "svg":
        ET.fromstring(out)
    else:
        assert json.loads(out)["complaint"]["id"] == complaint


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(complaint=complaint_ids, overlay=overlay_names, view=st.one_of(st.sampled_from(VIEWS), junk),
       fmt=st.sampled_from(["svg", "json", "bmp"]))
def test_cli_exits_cleanly_on_any_input(complaint, overlay, view, fmt):
    result = CliRunner().invoke(main, ["export", complaint, "--overlay", overlay, "--view", view, "-f", fmt, "-o", "-"])
    # Exit 0, or 2 with our one-line message; click's own usage errors also exit 2. Never a traceback.
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def _url_sets(n: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    keys = ["complaint", "mode", "dn", "acu", "view", "side", "q", "labels", "meridians", "referral-zones",
            "danger-zones", "pregnancy-cautions", "bogus", ""]
    values = ["", "true", "false", "TRUE", "1", "neck-pain", "low-back-pain", "side-by-side", "overlay", "posterior",
              "left", "both", "<script>alert(1)</script>", "'\"><svg onload=alert(1)>", "%00", "\x00", "a" * 500,
              "🙂", "../../etc/passwd", "null", "[]", "{}", "BL40", "-1", "1e309"]
    out = []
    for _ in range(n):
        out.append({rng.choice(keys): rng.choice(values) for _ in range(rng.randint(1, 5))})
    return out


FUZZ_CHUNKS = 4  # the 200 links in four tests of 50, so that pytest-xdist runs them on every worker


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(FUZZ_CHUNKS))
def test_fuzzed_url_parameters_never_raise(chunk):
    from streamlit.testing.v1 import AppTest

    failures = []
    for params in _url_sets(200)[chunk::FUZZ_CHUNKS]:
        at = AppTest.from_file("../app.py", default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        if at.exception:
            failures.append((params, at.exception[0].message))
        elif not any(b"<svg" in c.proto.bytes for c in at.get("bidi_component")):  # the app's figure component
            failures.append((params, "no diagram"))
    assert not failures, failures[:3]


# --- mutated data files -----------------------------------------------------------------

VALID = {
    "complaints": [{"id": "jaw-pain", "name": "Jaw pain", "summary": "Pain at the jaw joint."}],
    "acupoints": [{"code": "EX-HN9", "system": "body", "pinyin": "Test", "location": "Test location",
                   "sites": [{"panel": "body-anterior", "from": "chin", "lateral": 1}], "source": "Test source 2024"}],
    "muscles": [{"id": "masseter-test", "name": "Masseter", "location": "Jaw", "source": "Test source 2024",
                 "trigger_points": [{"id": "masseter-test-tp", "name": "Belly", "location": "Mid belly",
                                     "sites": [{"panel": "body-anterior", "from": "mandible-angle"}]}]}],
    "acupuncture": [{"complaint": "jaw-pain", "rationale": "Because.", "foot_points": "None.",
                     "points": [{"code": "EX-HN9", "placement": "local", "source": "Test source 2024"},
                                {"code": "LI4", "placement": "distal", "source": "Test source 2024"}],
                     "source": "Test source 2024"}],
    "dry_needling": [{"complaint": "jaw-pain", "rationale": "Because.", "source": "Test source 2024",
                      "muscles": [{"muscle": "masseter-test", "source": "Test source 2024"}]}],
}


def _paths(doc, prefix=()):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _get_parent(doc, path):
    for p in path[:-1]:
        doc = doc[p]
    return doc


REQUIRED_LEAVES = {"id", "name", "summary", "code", "pinyin", "location", "sites", "panel", "from", "source",
                   "trigger_points", "complaint", "rationale", "foot_points", "points", "placement", "muscles", "muscle"}


def _mutations():
    """At least 100 broken variants of VALID, each with a description."""
    out = []
    for path in _paths(VALID):
        key = path[-1]
        if isinstance(key, str) and key in REQUIRED_LEAVES:
            doc = copy.deepcopy(VALID)
            del _get_parent(doc, path)[key]
            out.append((f"missing {'.'.join(map(str, path))}", doc))
            doc = copy.deepcopy(VALID)
            _get_parent(doc, path)[key] = {"nested": ["wrong", "type"]}
            out.append((f"wrong type {'.'.join(map(str, path))}", doc))
    for bad in ("BL99", "XX1", "EX-ZZ1", "bl23", ""):
        doc = copy.deepcopy(VALID)
        doc["acupuncture"][0]["points"][1]["code"] = bad
        out.append((f"unknown code {bad!r}", doc))
    for field in ("name", "summary"):
        doc = copy.deepcopy(VALID)
        doc["complaints"][0][field] = "x" * 5000
        out.append((f"huge {field}", doc))
    for bad_id in ("Jaw Pain", "jaw_pain", "jäw", "-jaw", "jaw--pain", "🙂", "a" * 200):
        doc = copy.deepcopy(VALID)
        doc["complaints"][0]["id"] = bad_id
        out.append((f"bad id {bad_id!r}", doc))
    doc = copy.deepcopy(VALID)
    doc["complaints"].append(dict(doc["complaints"][0]))
    out.append(("duplicate complaint", doc))
    doc = copy.deepcopy(VALID)
    doc["muscles"][0]["trigger_points"].append(dict(doc["muscles"][0]["trigger_points"][0]))
    out.append(("duplicate trigger point id", doc))
    for at in ([5000, 10], [-20, 100], [10, 99999]):
        doc = copy.deepcopy(VALID)
        doc["acupoints"][0]["sites"] = [{"panel": "body-anterior", "at": at, "why": "testing"}]
        out.append((f"outside the panel {at}", doc))
    for site in ({"panel": "body-anterior", "from": "no-such-landmark"}, {"panel": "moon", "from": "chin"},
                 {"panel": "body-anterior", "from": "chin", "along": "no-measure", "cun": 2},
                 {"panel": "body-anterior", "from": "chin", "to": "umbilicus"},
                 {"panel": "body-anterior", "from": "chin", "cun": 1e9, "along": "sternum"}):
        doc = copy.deepcopy(VALID)
        doc["muscles"][0]["trigger_points"][0]["sites"] = [site]
        out.append((f"bad site {site}", doc))
    doc = copy.deepcopy(VALID)
    doc["acupuncture"][0]["complaint"] = "not-defined"
    out.append(("plan for an unknown complaint", doc))
    doc = copy.deepcopy(VALID)
    doc["acupoints"][0]["code"] = "LI4"
    out.append(("redefines a built-in point", doc))
    doc = copy.deepcopy(VALID)
    doc["surprise"] = []
    out.append(("unknown top-level key", doc))
    return out


MUTATIONS = _mutations()


def test_valid_custom_file_loads():
    cat = load_data_text(json.dumps(VALID), "valid.json")
    assert "jaw-pain" in cat.complaints
    svg = bodymap.render("jaw-pain", data=cat)
    assert "Jaw pain" in svg


def test_there_are_at_least_100_mutations():
    assert len(MUTATIONS) >= 100


@pytest.mark.parametrize("what, doc", MUTATIONS, ids=[m[0][:60] for m in MUTATIONS])
def test_every_mutated_file_is_rejected_clearly(what, doc):
    with pytest.raises(DataError) as info:
        load_data_text(json.dumps(doc), "mutant.json")
    message = str(info.value)
    assert message.startswith("mutant.json") or "mutant.json" in message, message
    assert "\n" not in message


# --- hostile text everywhere ------------------------------------------------------------

HOSTILE = ['<script>alert(1)</script>', '"/><svg onload=alert(1)>', "]]>", "a\x00b\x1bc\x7f", "$\\frac{1}{0}$", "&amp;"]


def _hostile_doc(text: str) -> dict:
    doc = copy.deepcopy(VALID)
    for path in _paths(doc):
        parent = _get_parent(doc, path)
        value = parent[path[-1]]
        if isinstance(value, str) and path[-1] in ("name", "summary", "location", "rationale", "foot_points", "source",
                                                   "pinyin", "note"):
            parent[path[-1]] = f"{value} {text}"[:150] if path[-1] in ("name", "pinyin") else f"{value} {text}"
    return doc


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_every_field_stays_text(text):
    cat = load_data_text(json.dumps(_hostile_doc(text)), "hostile.json")
    svg = bodymap.render("jaw-pain", data=cat, overlays=list(OVERLAYS))
    root = ET.fromstring(svg)
    assert [e.tag for e in root.iter() if e.tag.endswith("}svg")] == [root.tag]
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    doc = json.loads(bodymap.render("jaw-pain", data=cat, format="json"))
    assert doc["complaint"]["name"].endswith(text.strip()[:20]) or "Jaw pain" in doc["complaint"]["name"]
    for fmt in ("png", "pdf"):
        assert bodymap.render("jaw-pain", data=cat, format=fmt, overlays=list(OVERLAYS))[:4] in (b"\x89PNG", b"%PDF")


# --- issue 15: bounded work and text that stays text ---------------------------------------

def _refused(doc_or_text, name="limits.json") -> str:
    text = doc_or_text if isinstance(doc_or_text, str) else json.dumps(doc_or_text)
    with pytest.raises(DataError) as info:
        load_data_text(text, name)
    message = str(info.value)
    assert "\n" not in message and message.startswith(name), message
    return message


def _point(code: str, sites: int) -> dict:
    return {"code": code, "pinyin": "Test", "location": "Test location", "source": "Test source 2024",
            "sites": [{"panel": "body-anterior", "from": "chin"}] * sites}


def test_caps_name_their_limit():
    from bodymap.data import catalog as c

    doc = copy.deepcopy(VALID)
    doc["acupoints"][0] = _point("EX-HN9", c.MAX_SITES + 1)
    assert f"the limit is {c.MAX_SITES} sites" in _refused(doc)
    doc = copy.deepcopy(VALID)
    doc["muscles"][0]["trigger_points"] = [dict(doc["muscles"][0]["trigger_points"][0], id=f"tp-{i}")
                                           for i in range(c.MAX_TRIGGER_POINTS + 1)]
    assert f"the limit is {c.MAX_TRIGGER_POINTS} trigger points" in _refused(doc)
    doc = copy.deepcopy(VALID)
    doc["complaints"] = [dict(doc["complaints"][0], id=f"c-{i}") for i in range(c.MAX_ENTRIES + 1)]
    assert f"the limit is {c.MAX_ENTRIES} entries per file" in _refused(doc)


def test_total_markers_are_capped():
    from bodymap.data import catalog as c

    codes = [f"EX-{zone}{n}" for zone in ("CA", "UE", "LE") for n in range(40, 100)]
    doc = {"acupoints": [_point(code, c.MAX_SITES) for code in codes[:c.MAX_MARKERS // (2 * c.MAX_SITES) + 1]]}
    assert f"the limit is {c.MAX_MARKERS} markers" in _refused(doc)


def test_yaml_anchors_aliases_and_deep_nesting_are_refused_before_any_value_is_built():
    assert "anchors and aliases" in _refused("complaints: &a [{id: x}]\nacupoints: *a\n", "alias.yaml")
    assert "anchors and aliases" in _refused("complaints:\n  - &a {id: x}\n", "anchor.yaml")
    assert "anchors and aliases" in _refused("a: &a [*a]\n", "loop.yaml")
    assert "nested more than" in _refused("- " * 100_000 + "x\n", "deep.yaml")  # libyaml would crash the process
    # Newer libyaml (PyYAML 6.0.4 wheels) stops flow nesting itself; either refusal is clean.
    assert re.search("nested more than|flow level", _refused("[" * 100_000, "deep2.yaml"))


def test_too_many_values_are_refused_before_validation():
    from bodymap.data.catalog import MAX_NODES

    assert f"the limit is {MAX_NODES}" in _refused({"complaints": [0] * (MAX_NODES + 1)}, "many.json")
    assert f"the limit is {MAX_NODES}" in _refused("complaints: [" + "0," * (MAX_NODES + 1) + "]\n", "many.yaml")


def test_duplicate_keys_are_refused_in_yaml_and_json():
    assert "line 3: duplicate key 'id'" in _refused("complaints:\n  - id: a\n    id: b\n", "dup.yaml")
    assert "duplicate key 'complaints'" in _refused('{"complaints": [], "complaints": []}', "dup.json")


def test_built_in_files_may_still_share_values_with_anchors():
    from bodymap.data.catalog import parse_document

    assert parse_document("a: &x {b: 1}\nc: *x\n", "built-in.yaml") == {"a": {"b": 1}, "c": {"b": 1}}


@pytest.mark.parametrize("raw", ["a\n\nb", "a\r\nb", "a\tb", "a\u2028b", "a\u2029b", "a\x00\x1b\x7fb", "a \x0b\x0c b"])
def test_text_is_one_line_at_load(raw):
    doc = copy.deepcopy(VALID)
    doc["complaints"][0]["name"] = f"Jaw {raw} pain"
    doc["complaints"][0]["summary"] = f"{raw}\n\n![x](http://example.invalid/x.png)"
    cat = load_data_text(json.dumps(doc), "lines.json")
    complaint = cat.complaints["jaw-pain"]
    for text in (complaint.name, complaint.summary):
        assert not any(ch in text for ch in "\n\r\t\x0b\x0c\u2028\u2029\x00\x1b\x7f"), repr(text)
        assert "  " not in text
    assert complaint.name in ("Jaw a b pain", "Jaw ab pain")
    svg = bodymap.render("jaw-pain", data=cat)
    assert "\n\n" not in svg and complaint.name in svg


def test_error_messages_are_one_line_and_cut_long_values():
    from bodymap.core.errors import OptionError

    message = str(OptionError("unknown thing " + "9" * 309 + "\nsecond line " + "x" * 5000))
    assert "\n" not in message and "9" * 200 not in message and len(message) <= 1100
    assert message.startswith("unknown thing 999") and "(309 characters)" in message


STRICT_PROBE = '''
import pytest

def test_needs_pdftotext():
    pytest.skip("pdftotext (poppler-utils) is not installed")

@pytest.mark.browser
def test_in_the_browser():
    pytest.skip("no Chromium on this machine")

def test_unrelated():
    pytest.skip("needs git")
'''


@pytest.mark.parametrize("ci, outcome", [("true", "2 failed, 1 skipped"), ("", "3 skipped")])
def test_on_ci_a_browser_or_pdf_text_test_that_cannot_run_fails(tmp_path, ci, outcome):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    shutil.copy(Path(__file__).with_name("conftest.py"), tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(STRICT_PROBE, encoding="utf-8")
    env = dict(os.environ, CI=ci)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False)
    assert outcome in done.stdout, done.stdout[-1500:]


def test_markers_per_complaint_are_capped_with_a_clear_refusal():
    from bodymap.data import catalog as c

    codes = [f"EX-{zone}{n}" for zone in ("CA", "UE", "LE") for n in range(40, 100)]
    per_point = 2 * c.MAX_SITES  # bilateral, every site drawn on both sides
    chosen = codes[:c.MAX_COMPLAINT_MARKERS // per_point + 1]
    doc = {"complaints": [{"id": "crowded", "name": "Crowded", "summary": "Many points in one plan."}],
           "acupoints": [_point(code, c.MAX_SITES) for code in chosen],
           "acupuncture": [{"complaint": "crowded", "rationale": "Synthetic.", "foot_points": "None.",
                            "source": "Synthetic test data 2026",
                            "points": [{"code": code, "placement": "local", "source": "Synthetic test data 2026"}
                                       for code in chosen]}]}
    message = _refused(doc)
    assert f"complaint 'crowded' would draw {len(chosen) * per_point} markers" in message
    assert f"the limit is {c.MAX_COMPLAINT_MARKERS} markers per complaint" in message and "\n" not in message
