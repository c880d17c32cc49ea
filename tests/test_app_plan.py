"""Today's plan in the app (issue 19), driven headless with AppTest: the link, the panel, the chip, the downloads.

The switches themselves run in the browser (tests/test_browser_plan.py); here the app's side of them is
checked through what Python hands the figure component.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from .test_app import APP, figure_data, figure_svgs


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _panel_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown if "Today" in m.value)


def _labels(at: AppTest) -> list[str]:
    return [b.label for b in at.get("download_button")]


def test_without_a_plan_the_panel_says_so_and_the_handout_prints_the_protocol():
    at = _app()
    assert "none yet" in _panel_text(at)
    assert figure_data(at)["plan"] is None
    assert "Handout: protocol" in _labels(at)
    assert "plan" not in at.query_params


def test_a_link_with_a_plan_restores_it_and_names_a_bad_entry():
    at = _app(plan="BL40,NOPE1,BL23:Q,BL23:L")
    assert figure_data(at)["plan"] == [["BL40", "both"], ["BL23", "left"]]
    notices = " ".join(t.value for t in at.toast).replace("\\", "").replace("\u2060", "")  # md_text's escapes
    assert "NOPE1" in notices and "BL23:Q" in notices
    assert "rest of the plan is kept" in notices
    assert at.query_params["plan"] == "BL40,BL23:L"
    assert "2 points" in _panel_text(at)
    assert "Handout: plan (2)" in _labels(at) and "Reference: plan (2)" in _labels(at)
    # nothing else changes: the same complaint, layers and figure as without the plan
    plain = _app()
    assert figure_data(at)["layers"] == figure_data(plain)["layers"]
    assert figure_svgs(at) == figure_svgs(plain)


def test_start_from_the_protocol_then_clear():
    at = _app()
    at.button(key="plan-protocol").click().run()
    plan = figure_data(at)["plan"]
    assert len(plan) == 25 and ["BL40", "both"] in plan
    assert at.query_params["plan"].startswith("ql-superficial-upper,")
    at.button(key="plan-clear").click().run()
    assert figure_data(at)["plan"] is None
    assert "plan" not in at.query_params


def test_the_plans_revision_moves_only_when_python_changes_the_plan():
    at = _app(plan="BL40")
    before = figure_data(at)["plan_rev"]
    at.button(key="plan-protocol").click().run()
    assert figure_data(at)["plan_rev"] > before


def test_a_point_from_another_complaint_gets_a_row_and_a_chip_shows_only_the_plan():
    at = _app(plan="PC6:L,BL40")
    rows = {r["code"]: r for r in figure_data(at)["rows"]}
    assert rows["PC6"]["cells"][0] == "Added today"
    assert "plan-only" in [c[0] for c in figure_data(at)["chips"]]
    at.session_state["_plan_only"] = True
    at.run()
    svg = figure_svgs(at)[0]
    codes = set(re.findall(r'class="marker[^"]*"[^>]*data-code="([^"]+)"|data-code="([^"]+)"[^>]*class="marker', svg))
    found = {a or b for a, b in codes}
    assert found == {"PC6", "BL40"}, found
    assert "Weizhong, back of the knee" in svg  # the plan's labels are the patient's words


def test_the_clinic_line_is_not_in_the_link():
    at = _app(plan="BL40")
    at.text_input(key="clinic").input("Riverside Physio, 020 7946 0000").run()
    assert not at.exception
    assert all("Riverside" not in str(v) for v in at.query_params.values())


@pytest.mark.parametrize("raw", ["", ",,,", "x" * 5000, "<script>alert(1)</script>", "BL40:" + "L" * 300])
def test_hostile_plan_links_never_break_the_page(raw):
    at = _app(plan=raw)
    assert figure_data(at)["plan"] is not None
    assert all(len(code) <= 60 for code, _ in figure_data(at)["plan"])
