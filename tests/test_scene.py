"""The scene: layers hold what the data says, ids are stable, options are checked."""

from __future__ import annotations

import json

import pytest

import bodymap
from bodymap.api import scene_for
from bodymap.core.errors import OptionError, UnknownComplaintError
from bodymap.scene.build import OVERLAYS

from .conftest import COMPLAINTS


def _expected_sides(panels, site, bilateral):
    panel = panels[site.panel]
    return 2 if (panel.two_sided and bilateral) else 1


def test_acupuncture_layer_matches_the_plan(catalog, panels):
    scene = scene_for("low-back-pain", ["acupuncture"])
    expected = 0
    for point, _placement in catalog.points_for("low-back-pain"):
        for site in point.sites:
            if site.panel in {p.panel.id for p in scene.panels}:
                expected += _expected_sides(panels, site, point.bilateral)
    markers = [m for m in scene.markers if m.layer == "acupuncture"]
    # Midline points are counted once even when the data calls them bilateral.
    assert len(markers) <= expected and len(markers) >= len(catalog.points_for("low-back-pain"))
    assert {m.code for m in markers} == {p.code for p, _ in catalog.points_for("low-back-pain")}
    assert not [m for m in scene.markers if m.layer == "dry-needling"]


def test_dry_needling_layer_has_every_trigger_point_on_both_sides(catalog):
    scene = scene_for("low-back-pain", ["dry-needling"])
    tp_ids = {tp.id for m in catalog.muscles_for("low-back-pain") for tp in m.trigger_points}
    markers = [m for m in scene.markers if m.layer == "dry-needling"]
    assert {m.code for m in markers} == tp_ids
    body = [m for m in markers if m.panel.startswith("body-")]
    assert {m.side for m in body} == {"left", "right"}


def test_side_filter_keeps_one_side(catalog):
    scene = scene_for("low-back-pain", ["dry-needling", "acupuncture"], side="left")
    assert scene.markers and all(m.side in ("left", "midline") or not m.panel.startswith("body-") for m in scene.markers)


def test_local_and_distal_points_for_low_back_pain(catalog):
    scene = scene_for("low-back-pain", ["acupuncture"])
    placements = {m.code: m.placement for m in scene.markers}
    assert "local" in placements.values() and "distal" in placements.values()
    ear = [m for m in scene.markers if m.panel == "ear"]
    foot = [m for m in scene.markers if m.panel.startswith("foot-")]
    assert len({m.code for m in ear}) >= 2 and foot


def test_ids_are_unique_and_prefixed():
    scene = scene_for("low-back-pain", list(OVERLAYS), id_prefix="fig-a")
    ids = [m.id for m in scene.markers] + [z.id for z in scene.zones] + [c.id for c in scene.channels]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("fig-a-") for i in ids)


def test_same_inputs_same_scene():
    assert scene_for("neck-pain", list(OVERLAYS)).to_dict() == scene_for("neck-pain", list(OVERLAYS)).to_dict()


@pytest.mark.parametrize("kwargs, fragment", [
    ({"overlays": ["sparkles"]}, "unknown overlay 'sparkles'; valid: dry-needling"),
    ({"view": "top"}, "unknown view 'top'"),
    ({"side": "middle"}, "unknown side 'middle'"),
    ({"format": "gif"}, "unknown format 'gif'"),
])
def test_bad_options_raise_clear_errors(kwargs, fragment):
    with pytest.raises(OptionError, match=fragment):
        bodymap.render("low-back-pain", **kwargs)


def test_unknown_complaint():
    with pytest.raises(UnknownComplaintError, match="unknown complaint 'gout'; valid ids: low-back-pain"):
        bodymap.render("gout")


def test_json_contract_keys_and_units(panels):
    doc = json.loads(bodymap.render("low-back-pain", format="json"))
    assert {"id": "low-back-pain", "name": "Low back pain"}.items() <= doc["complaint"].items()
    assert doc["complaint"]["evidence"] and all({"therapy", "summary", "source"} <= set(e) for e in doc["complaint"]["evidence"])
    assert isinstance(doc["complaint"]["cautions"], list)
    assert {"panels", "markers", "zones", "channels", "legend", "disclaimer"} <= set(doc)
    kinds = {p["kind"] for p in doc["panels"]}
    assert {"body", "ear", "foot"} <= kinds
    for p in doc["panels"]:
        assert {"id", "kind", "view", "width", "height", "outline"} <= set(p)
        assert all(len(pt) == 2 for pt in p["outline"])
    for m in doc["markers"]:
        assert {"id", "therapy", "code", "name", "panel", "x", "y", "side", "placement", "source"} <= set(m)
        assert m["therapy"] in ("dry-needling", "acupuncture")
        assert m["side"] in ("left", "right", "midline")
        if m["therapy"] == "acupuncture":
            assert m["placement"] in ("local", "distal")
        panel = panels[m["panel"]]  # the figure the coordinates are in, even when drawn in its close-up
        assert 0 <= m["x"] <= panel.width and 0 <= m["y"] <= panel.height
        assert m["drawn_on"] in {p["id"] for p in doc["panels"]}


def test_bilateral_points_appear_once_per_side():
    doc = json.loads(bodymap.render("low-back-pain", format="json", overlays=["acupuncture"]))
    bl23 = [m for m in doc["markers"] if m["code"] == "BL23" and m["panel"] == "body-posterior"]
    assert sorted(m["side"] for m in bl23) == ["left", "right"]


@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_every_complaint_renders_both_therapies(complaint):
    scene = scene_for(complaint, list(OVERLAYS))
    layers = {m.layer for m in scene.markers}
    assert {"dry-needling", "acupuncture"} <= layers
    assert any(z.kind == "referral" for z in scene.zones)
    assert scene.channels


def test_channels_break_where_they_leave_a_view():
    scene = scene_for("low-back-pain", ["acupuncture", "meridians"])
    # BL runs over the back: on the front view only BL1 (eye) and BL67 (toe) show, never joined.
    assert not [c for c in scene.channels if c.meridian == "BL" and c.panel == "body-anterior"]
    back = [c for c in scene.channels if c.meridian == "BL" and c.panel == "body-posterior"]
    assert {c.side for c in back} == {"left", "right"}
    assert sum(c.name_at is not None for c in back) >= 1 and all(c.name_at is None for c in back if c.side == "left")


def test_complaint_points_slot_into_the_channel_branches():
    from bodymap.content.items import branches_with as _branches_with

    branches = _branches_with((("BL1", "BL23", "BL40", "BL60"), ("BL41", "BL54", "BL40")), ["BL25", "BL52", "BL67"], "BL")
    assert branches == [["BL1", "BL23", "BL25", "BL40", "BL60", "BL67"], ["BL41", "BL52", "BL54", "BL40"]]


@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_fixed_layout_gives_both_therapies_the_same_page(complaint):
    with pytest.warns(DeprecationWarning, match="fixed_layout is deprecated"):
        dn = scene_for(complaint, ["dry-needling", "labels"], fixed_layout=True)
    acu = scene_for(complaint, ["acupuncture", "labels"])  # the same page without it: the flag does nothing
    assert dn.width == acu.width
    assert [(p.panel.id, p.x, p.y, p.scale) for p in dn.panels] == [(p.panel.id, p.x, p.y, p.scale) for p in acu.panels]
    assert {m.layer for m in dn.markers} == {"dry-needling"} and {m.layer for m in acu.markers} == {"acupuncture"}
