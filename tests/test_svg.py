"""The SVG: accessible structure, titled markers, layers as groups, and escaped text."""

from __future__ import annotations

import pytest

import bodymap
from bodymap.data.catalog import merge_custom
from bodymap.scene.build import OVERLAYS

from .conftest import SVG_NS, layer_group, markers_in, parse_svg

HOSTILE = '<script>alert(1)</script>"/><svg onload=alert(2)>]]>\x07'


def test_root_is_an_accessible_image():
    svg = bodymap.render("low-back-pain")
    root = parse_svg(svg)
    assert root.get("role") == "img"
    first, second = root.get("aria-labelledby").split()
    titles = {el.get("id"): el.text for el in root if el.tag in (f"{SVG_NS}title", f"{SVG_NS}desc")}
    assert first in titles and "Low back pain" in titles[first]
    assert second in titles and "not medical advice" in titles[second]


def test_single_line_output():
    svg = bodymap.render("low-back-pain", overlays=list(OVERLAYS))
    assert "\n" not in svg


def test_each_layer_is_a_group_and_each_marker_has_a_title():
    svg = bodymap.render("low-back-pain", overlays=list(OVERLAYS))
    root = parse_svg(svg)
    for layer in ("dry-needling", "acupuncture", "referral-zones", "meridians", "labels", "danger-zones"):
        assert layer_group(root, "bm-low-back-pain", layer) is not None, layer
    for layer in ("dry-needling", "acupuncture"):
        ms = markers_in(layer_group(root, "bm-low-back-pain", layer))
        assert ms
        for m in ms:
            title = m.find(f"{SVG_NS}title")
            assert title is not None and len(title.text) > 10
            assert m.get("id").startswith("bm-low-back-pain-")


def test_toggling_an_overlay_removes_its_group():
    root = parse_svg(bodymap.render("low-back-pain", overlays=["acupuncture"]))
    assert layer_group(root, "bm-low-back-pain", "dry-needling") is None
    assert markers_in(layer_group(root, "bm-low-back-pain", "acupuncture"))


def test_local_and_distal_markers_differ():
    root = parse_svg(bodymap.render("low-back-pain", overlays=["acupuncture"]))
    ms = markers_in(layer_group(root, "bm-low-back-pain", "acupuncture"))
    local = [m for m in ms if "marker-local" in m.get("class")]
    distal = [m for m in ms if "marker-distal" in m.get("class")]
    assert local and distal
    assert len(list(local[0])) != len(list(distal[0]))  # different drawing, not only a class


def test_two_diagrams_on_one_page_have_disjoint_ids():
    a = parse_svg(bodymap.render("low-back-pain", id_prefix="one"))
    b = parse_svg(bodymap.render("low-back-pain", id_prefix="two"))
    ids_a = {e.get("id") for e in a.iter() if e.get("id")}
    ids_b = {e.get("id") for e in b.iter() if e.get("id")}
    assert ids_a and not ids_a & ids_b


@pytest.fixture(scope="module")
def hostile_catalog(catalog):
    doc = {
        "complaints": [{"id": "hostile", "name": HOSTILE, "summary": HOSTILE}],
        "acupuncture": [{"complaint": "hostile", "rationale": HOSTILE, "foot_points": HOSTILE,
                         "points": [{"code": "LI4", "placement": "distal", "source": HOSTILE}], "source": HOSTILE}],
        "muscles": [{"id": "evil-muscle", "name": HOSTILE[:150], "location": HOSTILE, "source": HOSTILE,
                     "trigger_points": [{"id": "evil-tp", "name": HOSTILE[:150], "location": HOSTILE,
                                         "sites": [{"panel": "body-posterior", "from": "l3", "lateral": 2}]}]}],
        "dry_needling": [{"complaint": "hostile", "rationale": HOSTILE, "source": HOSTILE,
                          "muscles": [{"muscle": "evil-muscle", "source": HOSTILE}]}],
    }
    return merge_custom(catalog, doc, "hostile.yaml")


def test_hostile_text_is_escaped(hostile_catalog):
    svg = bodymap.render("hostile", data=hostile_catalog, overlays=list(OVERLAYS))
    root = parse_svg(svg)  # still well-formed XML
    assert "<script" not in svg and "<svg onload" not in svg
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert [e.tag for e in root.iter() if e.tag.endswith("}svg")] == [root.tag]
    assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    texts = " ".join((e.text or "") for e in root.iter())
    assert "<script>alert(1)</script>" in texts  # shown as text, not dropped
    assert "\x07" not in svg
