"""Numbered trigger points (issue 20, item 2): a muscle with several trigger points is named once per panel, its
marks carry their numbers, and the card gives the same number (one function in the library counts them)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import bodymap
import bodymap.api
from bodymap.content.items import trigger_point_heading, trigger_point_number
from bodymap.data.catalog import load_catalog
from bodymap_app.cards import build_cards

from .test_figure_contract import SVG_NS, contract, matches


def test_trigger_points_are_counted_in_the_order_of_the_data_file():
    ql = load_catalog().muscles["quadratus-lumborum"]
    assert [trigger_point_number(ql, tp.id) for tp in ql.trigger_points] == [(1, 3), (2, 3), (3, 3)]
    assert trigger_point_heading(ql, ql.trigger_points[1].id) == "Quadratus lumborum, trigger point 2 of 3"
    single = next(m for m in load_catalog().muscles.values() if len(m.trigger_points) == 1)
    assert trigger_point_number(single, single.trigger_points[0].id) is None
    assert trigger_point_heading(single, single.trigger_points[0].id) == single.name


def test_the_card_the_mark_and_the_label_give_the_same_number():
    cat = load_catalog()
    scene = bodymap.api.scene_for("sciatica")
    cards = build_cards(cat, scene.to_dict(), "sciatica")
    lower = cat.muscles["quadratus-lumborum"].trigger_points[1]
    assert cards[lower.id]["subheading"] == f"Quadratus lumborum, trigger point 2 of 3: {lower.name}"
    marks = [m for m in scene.markers if m.code == lower.id]
    assert marks and {m.number for m in marks} == {(2, 3)}
    names = [lab.text for lab in scene.labels if lab.code == "quadratus-lumborum" and lab.panel == "body-posterior-closeup"]
    assert names == ["Quadratus lumborum 1\u20133"]


def test_selecting_one_trigger_point_lights_only_its_own_number():
    """figure.js lights `codeMarker` for the selected code: those groups hold its number and no other."""
    svg = ET.fromstring(bodymap.render("sciatica", "svg"))
    ql = load_catalog().muscles["quadratus-lumborum"]
    for k, tp in enumerate(ql.trigger_points, start=1):
        lit = matches(svg, contract()["codeMarker"].replace("CODE", tp.id))
        numbers = {t.text for g in lit for t in g.iter(f"{SVG_NS}text")}
        assert lit and numbers == {str(k)}, (tp.id, numbers)
    labels = [g for g in matches(svg, contract()["codeLabel"].replace("CODE", "quadratus-lumborum"))]
    panels = [g.get("id").rsplit("-label-dry-needling-quadratus-lumborum-", 1)[1] for g in labels]
    assert len(panels) == len(set(panels))  # one label per panel: selecting one point lights one name, not three


def test_numbers_are_as_large_as_the_labels_and_left_out_where_they_would_not_fit_the_mark():
    svg = ET.fromstring(bodymap.render("sciatica", "svg"))
    mark = matches(svg, contract()["codeMarker"].replace("CODE", "ql-deep"))[0]
    assert {t.get("font-size") for t in mark.iter(f"{SVG_NS}text")} == {"11"}  # the labels' size: it prints as large
    printed = bodymap.api.scene_for("sciatica", label_size=15)  # a handout's print-sized labels
    assert all(m.number is None for m in printed.markers)
    assert "Quadratus lumborum" in {lab.text for lab in printed.labels}
