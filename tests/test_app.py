"""The Streamlit app, driven headless with AppTest: it opens on low back pain and toggles work."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import layer_group, parse_svg

APP = "../app.py"  # AppTest resolves paths against this test file


def _svgs(at: AppTest) -> list[str]:
    out = []
    for md in at.markdown:
        value = md.value
        if "<svg" in value:
            out.append(value[value.index("<svg"): value.rindex("</svg>") + 6])
    return out


@pytest.fixture()
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_opens_on_low_back_pain_with_both_therapies(app):
    assert app.title[0].value == "Low back pain"
    (svg,) = _svgs(app)
    root = parse_svg(svg)
    assert layer_group(root, "bm-low-back-pain", "dry-needling") is not None
    assert layer_group(root, "bm-low-back-pain", "acupuncture") is not None


def test_toggling_dry_needling_removes_its_group(app):
    app.toggle(key="dn").set_value(False).run()
    assert not app.exception
    root = parse_svg(_svgs(app)[0])
    assert layer_group(root, "bm-low-back-pain", "dry-needling") is None
    assert layer_group(root, "bm-low-back-pain", "acupuncture") is not None


def test_switching_complaint_changes_the_diagram(app):
    app.selectbox(key="complaint").set_value("neck-pain").run()
    assert not app.exception
    assert app.title[0].value == "Neck pain"
    assert 'id="bm-neck-pain"' in _svgs(app)[0]


def test_side_by_side_shows_two_diagrams(app):
    app.session_state["mode"] = "side-by-side"
    app.run()
    assert not app.exception
    svgs = _svgs(app)
    assert len(svgs) == 2
    assert layer_group(parse_svg(svgs[0]), "bm-low-back-pain-dry-needling", "acupuncture") is None
    assert layer_group(parse_svg(svgs[1]), "bm-low-back-pain-acupuncture", "dry-needling") is None


def test_search_highlights_a_point(app):
    app.text_input(key="q").set_value("weizhong").run()
    assert not app.exception
    root = parse_svg(_svgs(app)[0])
    assert layer_group(root, "bm-low-back-pain", "highlight") is not None
    assert any("BL40" in s.value for s in app.success)


def test_disclaimer_is_shown(app):
    assert any("not medical advice" in c.value for c in app.caption)


def test_atlas_mode_shows_every_point(app, catalog):
    app.session_state["mode"] = "atlas"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Atlas"
    svg = _svgs(app)[0]
    root = parse_svg(svg)
    acu = layer_group(root, "bm-atlas", "acupuncture")
    codes = {g.get("data-code") for g in acu.iter() if g.get("data-code")}
    assert codes == set(catalog.acupoints)



def test_side_by_side_figures_share_panels_and_scale(app):
    app.session_state["mode"] = "side-by-side"
    app.run()
    left, right = (parse_svg(s) for s in _svgs(app))
    width = [re.split(r"[ ,]+", root.get("viewBox"))[2] for root in (left, right)]
    assert width[0] == width[1]  # same width: the same scale on screen
    panels = [sorted(g.get("id").split("-panel-")[1] for g in root.iter() if "-panel-" in (g.get("id") or ""))
              for root in (left, right)]
    assert panels[0] == panels[1] and "ear" in panels[0]
