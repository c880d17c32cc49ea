"""'Where does it hurt?' in the app (AppTest): the picker, the ranked complaints and the outlined figure."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

from streamlit.testing.v1 import AppTest

from bodymap.regions import region_shapes
from bodymap_app.regions import draw_picker, key_of, label_of, picker_svg, regions_of

APP = "../app.py"


def figure_svgs(at: AppTest) -> list[str]:
    (figure,) = [c for c in at.get("bidi_component") if c.proto.bytes]
    data = json.loads(figure.proto.bytes)
    return [f["svg"] + f["narrow"] for f in data["figures"]]


def open_picker(picked: list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.session_state["picker"] = True  # what opening the expander does
    at.session_state["_picked"] = picked  # what the component reports for these taps
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_picker_is_not_drawn_until_opened():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.session_state["picker"]  # the popover starts closed
    assert len(at.get("bidi_component")) == 1  # the figure only


def test_the_lower_back_lists_low_back_pain_first_then_sciatica_and_opens_it_outlined():
    at = open_picker(["lower-back:midline:back"])
    assert len(at.get("bidi_component")) == 2
    names = [b.label for b in at.main.button if b.key and b.key.startswith("pick-") and b.key != "pick-clear"]
    assert names[0] == "Low back pain" and "Sciatica" in names
    assert any("quadratus lumborum" in c.value and "refer here" in c.value for c in at.caption)
    next(b for b in at.main.button if b.label == "Sciatica").click().run()
    assert at.title[0].value == "Sciatica"
    assert at.session_state["picker"] is False  # closed, so the figure is in view
    assert dict(at.query_params) == {"complaint": "sciatica"}
    (svg,) = figure_svgs(at)
    assert svg.count('class="pain-region"') >= 3  # the back panel, its close-up and the phone's drawing
    # another complaint: the outline belongs to the choice, not to the page
    at.selectbox(key="complaint").set_value("neck-pain").run()
    assert "pain-region" not in figure_svgs(at)[0]


def test_the_lateral_hip_lists_lateral_hip_pain_first():
    at = open_picker(["hip:left:back"])
    first = next(b for b in at.main.button if b.key == "pick-0")
    assert first.label.startswith("Lateral hip pain")


def test_an_area_with_no_complaint_says_so():
    at = open_picker(["abdomen:midline:front"])
    assert any("No complaint in bodymap is felt there" in c.value for c in at.caption)


def test_taps_that_are_not_areas_are_ignored():
    assert regions_of(["hip:right:back", "hip:left:back", "nowhere:left:back", 3, "knee:right:front"]) == ["hip", "knee"]


def test_every_area_is_a_named_focusable_button_in_the_picker_svg():
    root = ET.fromstring(picker_svg())
    areas = [e for e in root.iter("{http://www.w3.org/2000/svg}path") if e.get("class") == "bmp-region"]
    assert len(areas) == len(region_shapes()) == 55
    assert all(a.get("tabindex") == "0" and a.get("role") == "button" and a.get("aria-label") for a in areas)
    assert {a.get("data-key") for a in areas} == {key_of(s) for s in region_shapes()}


def test_names_are_escaped_in_the_picker_and_the_outline():
    hostile = replace(region_shapes()[0], name='<script>alert(1)</script>"><svg onload=x>')
    svg = draw_picker((hostile,))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'onload=x>' not in svg
    ET.fromstring(svg)  # still well-formed
    assert label_of(hostile).startswith("<script>")  # the text itself is kept, only escaped when drawn
