"""A patient label's code is printed small beside its words (issue 19): "Weizhong, back of the knee (BL40)"."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import bodymap
from bodymap.api import scene_for
from bodymap.core import theme
from bodymap.draw.drawlist import Group, Text, compile_scene
from bodymap.layout.labels import text_box
from bodymap.layout.textmetrics import label_runs, label_width, text_width

from .conftest import SVG_NS
from .test_handout import MIN_PT, bbox_per_pt, smallest_pt, words  # noqa: F401 (bbox_per_pt is a fixture)

POINTS = "BL40,BL23:L,ql-superficial-upper:R"


def _texts(node) -> list[Text]:
    if isinstance(node, Text):
        return [node]
    return [t for c in node.children for t in _texts(c)] if isinstance(node, Group) else []


@pytest.fixture(scope="module")
def plan_scene():
    return scene_for("low-back-pain", plan=POINTS)


def test_a_patient_labels_code_is_its_own_smaller_run():
    assert label_runs("Weizhong, back of the knee (BL40)", 12.0) == (
        ("Weizhong, back of the knee ", 12.0), ("(BL40)", theme.label_code_size(12.0)))
    assert theme.label_code_size(12.0) < 12.0
    # A code, a muscle or a title with words in brackets stays one run.
    for text in ("BL40", "EX-B2", "Quadratus lumborum", "Close-up, back (one side)"):
        assert label_runs(text, 11.0) == ((text, 11.0),)


def test_the_layout_measures_the_label_as_drawn():
    text = "Weizhong, back of the knee (BL40)"
    drawn = text_width("Weizhong, back of the knee ", 11.0, bold=True) + text_width("(BL40)", 8.25, bold=True)
    assert label_width(text, 11.0) == pytest.approx(drawn)
    assert label_width(text, 11.0) < text_width(text, 11.0, bold=True)  # the smaller code takes less room
    assert text_box(0.0, 0.0, text, 11.0, "start").w == pytest.approx(drawn)


def test_the_draw_list_and_the_svg_carry_the_code_small(plan_scene):
    labels = [t for t in _texts(Group(compile_scene(plan_scene).items)) if t.text.endswith("(BL40)")]
    assert labels and all(t.runs[-1] == ("(BL40)", theme.label_code_size(t.size)) for t in labels)
    root = ET.fromstring(bodymap.render("low-back-pain", "svg", plan=POINTS))
    spans = [s for s in root.iter(f"{SVG_NS}tspan") if s.text == "(BL40)"]
    assert spans
    for span in spans:
        parent = next(t for t in root.iter(f"{SVG_NS}text") if span in list(t))
        assert float(span.get("font-size")) < float(parent.get("font-size"))
        assert "".join(parent.itertext()).startswith("Weizhong")


def test_the_handout_prints_the_code_smaller_and_nothing_under_7_pt(bbox_per_pt):  # noqa: F811
    pdf = bodymap.render("low-back-pain", "handout", plan=POINTS)
    found = words(pdf)
    # The figure's label comes first; the ticked list of today's points repeats the words at its own size.
    figure = dict(found[:next(i for i, (w, _) in enumerate(found) if w == "(BL40)") + 1])
    assert figure["(BL40)"] < 0.9 * figure["Weizhong,"], figure
    assert smallest_pt(found, bbox_per_pt)[0] >= MIN_PT - 0.01
