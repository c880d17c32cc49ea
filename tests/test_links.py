"""Stable links: every link parameter takes the stable id (any case) or the old display label."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from bodymap_app.links import MODES, SIDES, VIEWS, choices_from_url, resolve, resolve_point, write_choices

APP = "../app.py"


def opened(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def figure_data(at: AppTest) -> dict:
    (component,) = at.get("bidi_component")
    return json.loads(component.proto.bytes)


def test_a_link_of_ids_opens_its_page_with_no_notice():
    at = opened(complaint="sciatica", mode="side-by-side", view="posterior", side="left", point="bl54")
    assert not at.toast
    assert at.title[0].value == "Sciatica"
    data = figure_data(at)
    assert len(data["figures"]) == 2  # side by side
    assert data["selected"] == "BL54"  # written as the catalog spells it
    assert at.radio(key="view").value == "posterior" and at.radio(key="side").value == "left"
    assert dict(at.query_params) == {"complaint": "sciatica", "mode": "side-by-side", "view": "posterior",
                                     "side": "left", "point": "BL54"}


def test_an_old_label_link_keeps_working_and_is_rewritten_with_ids():
    at = opened(complaint="Temporomandibular disorder (jaw pain)", mode="Side by side", view="Back", side="Left")
    assert not at.toast
    assert at.selectbox(key="complaint").value == "temporomandibular-disorder"
    assert dict(at.query_params) == {"complaint": "temporomandibular-disorder", "mode": "side-by-side",
                                     "view": "posterior", "side": "left"}


def test_an_unknown_value_drops_only_that_parameter_with_the_notice():
    at = opened(complaint="no-such-complaint", view="posterior", point="ZZ99")
    (toast,) = at.toast
    assert "complaint" in toast.value and "point" in toast.value and "view" not in toast.value
    assert at.title[0].value == "Low back pain"
    assert dict(at.query_params) == {"view": "posterior"}


def test_choices_made_in_the_app_are_written_as_ids():
    at = opened()
    at.selectbox(key="complaint").set_value("lateral-hip-pain").run()
    at.radio(key="view").set_value("anterior").run()
    assert dict(at.query_params) == {"complaint": "lateral-hip-pain", "view": "anterior"}
    at.radio(key="view").set_value("auto").run()
    assert dict(at.query_params) == {"complaint": "lateral-hip-pain"}  # a default stays out


@pytest.mark.parametrize("value", ["side-by-side", "Side by side", "SIDE-BY-SIDE", "side_by_side", "side by side"])
def test_mode_ids_and_labels_in_any_case(value):
    assert resolve(value, MODES) == "side-by-side"


def test_views_and_sides_resolve_by_id_or_label_and_nothing_else():
    assert resolve("Back", VIEWS) == resolve("POSTERIOR", VIEWS) == "posterior"
    assert resolve("left", SIDES) == "left"
    assert resolve("sideways", VIEWS) is None and resolve("", SIDES) is None


def test_choices_from_url_pops_only_the_bad_key(catalog):
    params = {"complaint": "Sciatica", "mode": "atlas", "view": "upside-down"}
    chosen, bad = choices_from_url(params, catalog)
    assert chosen == {"complaint": "sciatica", "mode": "atlas"} and bad == ["view"]
    assert "view" not in params


def test_points_resolve_in_any_case(catalog):
    codes = set(catalog.acupoints)
    assert resolve_point("bl40", codes) == "BL40" and resolve_point("Gb34", codes) == "GB34"
    assert resolve_point("bl4000", codes) is None and resolve_point(None, codes) is None


def test_write_choices_keeps_defaults_out():
    params = {"complaint": "Neck pain", "view": "Back"}
    write_choices(params, {"complaint": "neck-pain", "mode": "overlay", "view": "auto", "side": "right"})
    assert params == {"complaint": "neck-pain", "side": "right"}
