"""The Streamlit app, driven headless with AppTest.

AppTest runs no JavaScript, so the interactive figure is checked here by what Python hands
it (the component's `data`: the SVG, the visible layers, the selected point, the cards and the
table rows). What the browser does with it (clicks, instant layers, cards) is checked in
tests/test_browser.py with a real Chromium.
"""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from bodymap import api
from bodymap.data import search

from .conftest import SVG_NS, layer_group, parse_svg

APP = "../app.py"  # AppTest resolves paths against this test file
# Each is harmless as plain text and harmful as markdown/HTML: a link, an image, a data: link,
# KaTeX, raw HTML and a blank line.
HOSTILE = ("[phish](https://example.invalid/login) ![x](https://example.invalid/img.png) "
           "[d](data:text/html;base64,PHNjcmlwdD4=) $\\frac{a}{b}$ <b>bold</b> <script>window.__pwned=1</script>"
           "\n\nafter a blank line")
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")


def figure_data(at: AppTest) -> dict:
    """What the app handed to the interactive figure component on the last run."""
    (component,) = at.get("bidi_component")
    return json.loads(component.proto.bytes)


def figure_svgs(at: AppTest) -> list[str]:
    return [f["svg"] for f in figure_data(at)["figures"]]


def hostile_yaml(text: str = HOSTILE) -> bytes:
    quoted = json.dumps(text)  # a JSON string is a valid YAML scalar
    return (
        "complaints:\n"
        f"  - id: hostile\n    name: {json.dumps('hostile ' + text[:150])}\n    summary: {quoted}\n"
        "acupuncture:\n"
        f"  - complaint: hostile\n    rationale: {quoted}\n    foot_points: none\n    source: 'Test source 2024'\n"
        "    points: [{code: LI4, placement: distal, source: 'Test source 2024'}]\n"
    ).encode("utf-8")


@pytest.fixture()
def in_process_uploads(monkeypatch):
    """Parse uploads in this process instead of bodymap.sandbox's time-limited child.

    These tests check what the app shows for a file, not the sandbox (tests of its own cover
    that); on a busy test machine the child's wall-clock limit could refuse a valid file.
    AppTest runs app.py in this process, so the app's module is patched here.
    """
    from bodymap_app import cache

    monkeypatch.setattr(cache, "parse_upload", lambda raw, name: api.load_data_text(raw.decode("utf-8"), name))


@pytest.fixture()
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_opens_on_low_back_pain_with_both_therapies(app):
    assert app.title[0].value == "Low back pain"
    data = figure_data(app)
    assert data["layers"] == ["dry-needling", "acupuncture", "labels"]
    root = parse_svg(data["figures"][0]["svg"])
    assert layer_group(root, "bm-low-back-pain", "dry-needling") is not None
    assert layer_group(root, "bm-low-back-pain", "acupuncture") is not None
    assert [c[0] for c in data["chips"]] == ["dry-needling", "acupuncture", "referral-zones", "meridians", "labels",
                                             "danger-zones", "pregnancy-cautions"]


def test_every_layer_is_in_the_figure_so_the_browser_can_toggle_it_at_once(app):
    root = parse_svg(figure_svgs(app)[0])
    for layer in ("dry-needling", "acupuncture", "referral-zones", "meridians", "labels", "danger-zones"):
        assert layer_group(root, "bm-low-back-pain", layer) is not None, layer


def test_a_link_with_dn_false_starts_with_dry_needling_hidden():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dn"] = "false"
    at.query_params["meridians"] = "true"
    at.run()
    assert not at.exception
    assert figure_data(at)["layers"] == ["acupuncture", "meridians", "labels"]
    assert at.query_params["dn"] == "false" and at.query_params["meridians"] == "true"


def test_switching_complaint_changes_the_diagram(app):
    app.selectbox(key="complaint").set_value("neck-pain").run()
    assert not app.exception
    assert app.title[0].value == "Neck pain"
    assert 'id="bm-neck-pain"' in figure_svgs(app)[0]
    assert {r["cells"][0] for r in figure_data(app)["rows"]} == {"Dry needling", "Acupuncture"}


def test_side_by_side_shows_two_diagrams_on_one_scale(app):
    app.session_state["mode"] = "side-by-side"
    app.run()
    assert not app.exception
    left, right = (parse_svg(s) for s in figure_svgs(app))
    assert layer_group(left, "bm-low-back-pain-dry-needling", "acupuncture") is None
    assert layer_group(right, "bm-low-back-pain-acupuncture", "dry-needling") is None
    width = [re.split(r"[ ,]+", root.get("viewBox"))[2] for root in (left, right)]
    assert width[0] == width[1]  # same width: the same scale on screen
    panels = [sorted(g.get("id").split("-panel-")[1] for g in root.iter() if "-panel-" in (g.get("id") or ""))
              for root in (left, right)]
    assert panels[0] == panels[1] and "ear" in panels[0]


def test_search_result_is_a_button_that_selects_the_point(app):
    app.text_input(key="q").set_value("weizhong").run()
    assert not app.exception
    assert layer_group(parse_svg(figure_svgs(app)[0]), "bm-low-back-pain", "highlight") is not None
    (button,) = [b for b in app.sidebar.button if "BL40" in b.label]
    button.click().run()
    assert figure_data(app)["selected"] == "BL40"
    assert app.query_params["point"] == "BL40"


def test_hanzi_search_finds_the_point(app, catalog):
    if not search.find(catalog, "委中", "low-back-pain").in_complaint:
        pytest.xfail("bodymap.data.search does not find a two-character hanzi name yet (issue 12's search)")
    app.text_input(key="q").set_value("委中").run()
    assert not app.exception
    assert any("BL40" in b.label for b in app.sidebar.button)


def test_search_elsewhere_switches_the_complaint(app):
    app.text_input(key="q").set_value("GB20").run()  # neck and headache, not low back pain
    far = [b for b in app.sidebar.button if "GB20" in b.label]
    assert far
    far[0].click().run()  # three plans use GB20: the app asks which (tests/test_app_search_choice.py)
    next(b for b in app.sidebar.button if b.key == "ask-0").click().run()
    assert app.title[0].value != "Low back pain"
    assert figure_data(app)["selected"] == "GB20"


def test_a_shared_link_with_a_point_opens_its_card():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["point"] = "BL40"
    at.run()
    data = figure_data(at)
    assert data["selected"] == "BL40"
    card = data["cards"]["BL40"]
    text = json.dumps(card, ensure_ascii=False)
    assert "Weizhong" in text and "委中" in text and "popliteal crease" in text
    labels = [label for label, _ in card["fields"]]
    assert "Source" in labels and "Why it is in this plan" in labels and "Channel" in labels
    assert ["sciatica", "Sciatica"] in card["links"]  # other complaints that use it


def test_trigger_point_card_names_its_muscle_and_referral_zone(app):
    data = figure_data(app)
    svgs = data["figures"][0]["svg"] + data["figures"][0]["narrow"]  # the desktop's drawing and the phone's
    card = next(c for c in data["cards"].values() if c["kind"] == "trigger-point" and c["zones"])
    assert dict(card["fields"])["Muscle"] == card["heading"]
    for zone_id in card["zones"]:
        assert f'id="{zone_id}"' in svgs or "-phone-" in zone_id  # the phone shows one side: some zones are not on it
    assert any(f'id="{zone_id}"' in data["figures"][0]["svg"] for zone_id in card["zones"])


def test_every_marker_on_the_figure_has_a_card(app):
    data = figure_data(app)
    root = parse_svg(data["figures"][0]["svg"])
    codes = {g.get("data-code") for g in root.iter(f"{SVG_NS}g") if "marker" in (g.get("class") or "").split()}
    assert codes and codes <= set(data["cards"])


def test_disclaimer_is_shown(app):
    assert any("not medical advice" in c.value for c in app.caption)


def test_download_buttons_follow_the_formats_the_library_has(app):
    labels = [b.label for b in app.get("download_button")]
    assert labels[:3] == ["SVG", "PNG", "PDF"] and labels[-1] == "JSON"
    # The document buttons also say what they print: today's plan, or the protocol (issue 19).
    assert ("Handout: protocol" in labels) == ("handout" in api.FORMATS)
    assert ("Reference: protocol" in labels) == ("reference" in api.FORMATS)


def test_atlas_mode_shows_every_point_with_four_downloads(app, catalog):
    app.session_state["mode"] = "atlas"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Atlas"
    root = parse_svg(figure_svgs(app)[0])
    acu = layer_group(root, "bm-atlas", "acupuncture")
    codes = {g.get("data-code") for g in acu.iter() if g.get("data-code")}
    assert codes == set(catalog.acupoints)
    assert [b.label for b in app.get("download_button")] == ["SVG", "PNG", "PDF", "JSON"]


def test_bad_link_settings_are_ignored_with_an_escaped_notice():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "sideways"
    at.query_params["[phish](https://example.invalid)"] = "1"
    at.run()
    assert not at.exception
    (toast,) = at.toast
    assert "Ignored unknown or invalid link setting" in toast.value
    assert "](" not in ESCAPE.sub("", toast.value)
    assert "[phish](https://example.invalid)" not in at.query_params


def _literal(value: str) -> bool:
    """No markdown-active character is left once the escaped ones are taken out."""
    return not re.search(r"[\[\]()<>$!*_`|~:]|\n", ESCAPE.sub("", value))


def test_hostile_upload_is_shown_as_text_everywhere(app, in_process_uploads):
    app.sidebar.file_uploader[0].upload("hostile.yaml", hostile_yaml(), "application/x-yaml").run()
    assert not app.exception
    app.selectbox(key="complaint").set_value("hostile").run()
    assert not app.exception
    shown = [e.value for e in [*app.title, *app.caption, *app.markdown, *app.success, *app.error, *app.warning]]
    shown += [b.label for b in app.button]
    hits = [s for s in shown if "phish" in s or "after a blank line" in s]
    assert len(hits) >= 3  # the title, the caption and the rationale at least
    assert all(_literal(s) for s in hits), [s for s in hits if not _literal(s)]
    # The figure gets the raw text in JSON (the browser writes it with textContent) and the SVG
    # stays one well-formed document: a blank line cannot break it.
    root = parse_svg(figure_svgs(app)[0])
    assert root.get("id") == "bm-hostile"


def test_hostile_search_text_is_shown_as_text(app):
    app.text_input(key="q").set_value("[phish](https://example.invalid/login) $x$").run()
    assert not app.exception
    notes = [c.value for c in app.sidebar.caption if "phish" in c.value]
    assert notes and all(_literal(n) for n in notes)


def test_refused_upload_leaves_builtin_data_and_is_dropped_from_the_uploader(app, in_process_uploads):
    app.sidebar.file_uploader[0].upload("broken.yaml", b"complaints:\n  - id: Not A Slug\n    name: x\n    summary: y\n",
                                        "application/x-yaml").run()
    assert not app.exception
    (error,) = app.sidebar.error
    said = re.sub(r"\\(.)", r"\1", error.value).replace("\u2060", "")  # as the reader sees it
    assert said.startswith("broken.yaml: complaints: entry 1") and said.endswith("Showing the built-in data.")
    assert "id: must be lower-case letters, digits and single hyphens" in said
    assert "pattern" not in said and "[a-z" not in said  # no regex for a person to decode
    assert app.title[0].value == "Low back pain"
    # The next interaction does not parse the file again: the uploader is a fresh, empty one.
    (uploader,) = app.sidebar.file_uploader
    assert uploader.key == "upload-1" and uploader.value is None
    app.radio(key="view").set_value("posterior").run()
    assert not app.exception
    assert len(app.sidebar.error) == 1 and app.title[0].value == "Low back pain"


def test_uploads_are_parsed_by_the_sandbox(monkeypatch):
    sandbox = pytest.importorskip("bodymap.sandbox")
    from bodymap_app import cache

    seen = []
    monkeypatch.setattr(sandbox, "load_upload", lambda data, name: seen.append((data, name)) or "catalog")
    assert cache.parse_upload(b"complaints: []", "mine.yaml") == "catalog"
    assert seen == [(b"complaints: []", "mine.yaml")]


def test_link_keys_round_trip_and_keep_defaults_out():
    from bodymap_app.links import layers_from_url, write_url

    params: dict[str, str] = {"dn": "false", "meridians": "true", "labels": "maybe"}
    layers, bad = layers_from_url(params)
    assert layers == ["acupuncture", "meridians", "labels"] and bad == ["labels"]
    write_url(params, ["acupuncture", "labels"], "BL40")
    assert params == {"dn": "false", "point": "BL40"}  # only what differs from the default
