"""Choosing a point from a search result (AppTest): keep the complaint, or ask which plan; every plan in full."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

APP = "../app.py"


def figure_data(at: AppTest) -> dict:
    (component,) = at.get("bidi_component")
    return json.loads(component.proto.bytes)


def searched(query: str, **link: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in link.items():
        at.query_params[key] = value
    at.run()
    at.text_input(key="q").set_value(query).run()
    assert not at.exception, at.exception
    return at


def test_a_point_of_the_current_complaint_keeps_it():
    at = searched("GB34", complaint="sciatica")
    (hit,) = [b for b in at.sidebar.button if "GB34" in b.label]
    hit.click().run()
    assert at.title[0].value == "Sciatica" and figure_data(at)["selected"] == "GB34"


def test_a_point_in_several_other_plans_asks_which_and_lists_them_all_in_full(catalog):
    at = searched("GB34")  # low back pain does not use GB34; five other plans do
    (hit,) = [b for b in at.sidebar.button if "GB34" in b.label]
    assert "5 plans" in hit.label
    hit.click().run()
    assert at.title[0].value == "Low back pain"  # nothing opened yet: the app asks
    users = [c.name for c in catalog.complaints.values()
             if any(u.code == "GB34" for u in catalog.acupuncture[c.id].points)]
    asked = [b for b in at.sidebar.button if b.key and b.key.startswith("ask-") and b.key != "ask-cancel"]
    offered = [b.label.replace("\\", "") for b in asked]
    assert sorted(offered) == sorted(users) and "Sciatica" in offered
    next(b for b in at.sidebar.button if b.label == "Sciatica").click().run()
    data = figure_data(at)
    assert at.title[0].value == "Sciatica" and data["selected"] == "GB34"
    assert data["drawer_rev"] == 1  # the phone's drawer is told to close
    others = {name for _, name in data["cards"]["GB34"]["links"]}
    assert others == set(users) - {"Sciatica"}  # the card lists every other plan, in full
    assert not [b for b in at.sidebar.button if b.key and b.key.startswith("ask-")]  # the question is gone


def test_a_point_in_one_other_plan_names_it_and_opens_it(catalog):
    uses: dict[str, list[str]] = {}
    for plan in catalog.acupuncture.values():
        for use in plan.points:
            uses.setdefault(use.code, []).append(plan.complaint)
    code, (target,) = next((c, u) for c, u in sorted(uses.items()) if len(u) == 1 and u != ["low-back-pain"])
    at = searched(code)
    far = [b for b in at.sidebar.button if b.label.startswith(code)]
    assert far and "plans" not in far[0].label and catalog.complaints[target].name.split(" (")[0] in far[0].label
    far[0].click().run()
    assert at.title[0].value.replace("\\", "") == catalog.complaints[target].name and figure_data(at)["selected"] == code
