"""The page layout: close-ups, views by content, a layout that toggles never move, the left side, leaders."""

from __future__ import annotations

import json
from itertools import combinations

import pytest

import bodymap
from bodymap.api import scene_for
from bodymap.core import theme
from bodymap.layout.labels import _cross
from bodymap.scene.atlas import atlas_scene
from bodymap.scene.build import OVERLAYS

COMPLAINTS = [cid for cid, _ in bodymap.list_complaints()]
OVERLAY_SETS = (None, ["dry-needling"], ["acupuncture", "labels"], ["dry-needling", "meridians"], list(OVERLAYS),
                ["referral-zones"])


def leaders(scene):
    """Every straight piece of the labels' leader lines, as (panel, start, end, label), the way the draw list draws them."""
    out = []
    for lab in scene.labels:
        if not lab.leader:
            continue
        ex, ey = theme.LEADER_END
        end = (lab.tx + {"right": -ex, "left": ex}.get(lab.align, 0.0), lab.ty + ey)
        for line in lab.routes or tuple((a, end) for a in lab.anchors):  # a routed leader may turn corners
            out.extend((lab.panel, p, q, lab.id) for p, q in zip(line, line[1:], strict=False))
    return out


@pytest.mark.parametrize("complaint", COMPLAINTS)
@pytest.mark.parametrize("options", [{}, {"overlays": list(OVERLAYS), "view": "all"}], ids=["default", "everything"])
def test_leader_lines_never_cross(complaint, options):
    scene = scene_for(complaint, **options)
    lines = leaders(scene)
    crossing = [(a, b) for a, b in combinations(lines, 2) if a[3] != b[3] and _cross(a[1], a[2], b[1], b[2])]
    assert not crossing


def test_the_crossing_check_can_fail():
    assert _cross((0, 0), (10, 10), (0, 10), (10, 0))
    assert not _cross((0, 0), (10, 0), (0, 5), (10, 5))


@pytest.mark.parametrize("complaint", COMPLAINTS)
@pytest.mark.parametrize("view", ["auto", "both", "all"])
def test_toggling_overlays_never_moves_a_panel(complaint, view):
    layouts = set()
    for overlays in OVERLAY_SETS:
        scene = scene_for(complaint, overlays, view=view)
        boxes = tuple(scene.layout.box(name) for name in ("header", "figures"))
        layouts.add((scene.width, boxes, scene.layout.box("legend").y,
                     tuple((pp.id, round(pp.x, 3), round(pp.y, 3), round(pp.scale, 6)) for pp in scene.panels)))
    assert len(layouts) == 1  # only the legend's height follows what is switched on, below everything else


@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_marks_keep_their_place_when_the_other_therapy_is_off(complaint):
    both = {m.id: (m.panel, m.shift) for m in scene_for(complaint).markers}
    for therapy in ("dry-needling", "acupuncture"):
        alone = scene_for(complaint, [therapy, "labels"])
        assert all(both[m.id] == (m.panel, m.shift) for m in alone.markers)


@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_default_views_show_only_panels_with_marks(complaint):
    scene = scene_for(complaint)
    drawn = {m.panel for m in scene.markers}
    assert all(pp.id in drawn for pp in scene.panels if pp.role == "body" and not any(loc[0] == pp.id for loc in scene.locators))


def test_an_asked_for_view_is_kept_even_when_empty():
    scene = scene_for("plantar-heel-pain", view="both")
    assert {"body-posterior", "body-anterior"} <= {pp.id for pp in scene.panels}


@pytest.mark.parametrize("complaint", ["low-back-pain", "neck-pain", "knee-osteoarthritis", "lateral-elbow-pain", "sciatica"])
def test_the_region_has_a_close_up_with_its_local_points_and_a_locator(complaint):
    scene = scene_for(complaint)
    closeups = [pp for pp in scene.panels if pp.role == "closeup"]
    assert closeups
    for pp in closeups:
        inside = [m for m in scene.markers if m.panel == pp.id]
        assert inside and all(m.therapy == "dry-needling" or m.placement == "local" for m in inside)
        assert any(loc[1] == pp.id for loc in scene.locators)
        assert pp.scale > scene.placement(pp.panel.id).scale * 2  # drawn at least twice as large as on the body view
    # the body views keep the distal points
    assert any(m.placement == "distal" for m in scene.markers if scene.placement(m.panel).role != "closeup")


@pytest.mark.parametrize("complaint", ["tension-headache", "migraine", "temporomandibular-disorder"])
def test_head_complaints_have_a_head_panel(complaint):
    doc = json.loads(bodymap.render(complaint, "json"))
    assert any(p["kind"] == "head" for p in doc["panels"])


def test_left_side_mirrors_one_sided_panels_and_keeps_their_points():
    right, left = scene_for("plantar-heel-pain", side="right"), scene_for("plantar-heel-pain", side="left")
    one_sided = [pp for pp in left.panels if not pp.panel.two_sided]
    assert one_sided and all(pp.mirrored and pp.title.startswith("Left") for pp in one_sided)
    for pp in one_sided:
        assert len([m for m in left.markers if m.panel == pp.id]) == len([m for m in right.markers if m.panel == pp.id]) > 0
        assert all(m.side == "left" for m in left.markers if m.panel == pp.id)


def test_mirrored_marks_are_drawn_mirrored():
    right, left = scene_for("plantar-heel-pain", side="right"), scene_for("plantar-heel-pain", side="left")
    pid = next(pp.id for pp in left.panels if pp.mirrored)
    r = {m.code: m for m in right.markers if m.panel == pid}
    lpp, rpp = left.placement(pid), right.placement(pid)
    for m in (m for m in left.markers if m.panel == pid):
        assert m.x == pytest.approx(r[m.code].x)  # the same spot in the figure's units...
        lx = (lpp.to_page((m.x, m.y))[0] - lpp.box.x) / lpp.box.w
        rx = (rpp.to_page((m.x, m.y))[0] - rpp.box.x) / rpp.box.w
        assert lx == pytest.approx(1 - rx, abs=1e-6)  # ...drawn on the other side of the panel


def test_headline_counts_spots_and_names_distal_places():
    scene = scene_for("low-back-pain")
    assert scene.headline.startswith("Dry needling: ") and " · Acupuncture: " in scene.headline
    assert "distal (" in scene.headline and "ear" in scene.headline
    assert scene_for("low-back-pain", ["acupuncture"]).headline.startswith("Acupuncture:")


def test_atlas_with_all_views_has_three_body_views_and_says_acupoint():
    scene = atlas_scene(view="all")
    assert {"body-posterior", "body-anterior", "body-lateral"} <= {pp.id for pp in scene.panels}
    assert any(e.text == "Acupoint" for e in scene.legend)
    assert not any("near the pain" in e.text for e in scene.legend)


def test_symbols_are_at_least_12_units_across():
    for key in ("dry-needling", "acupuncture-local", "acupuncture-distal"):
        assert 2 * theme.symbol_radius(key) >= 12
    assert theme.symbol_radius("acupuncture-distal") > theme.symbol_radius("acupuncture-local") + 2  # distal reads stronger


def test_json_says_where_each_item_is_drawn():
    doc = json.loads(bodymap.render("low-back-pain", "json", list(OVERLAYS)))
    panels = {p["id"]: p for p in doc["panels"]}
    closeup = next(p for p in doc["panels"] if p["role"] == "closeup")
    assert closeup["source_panel"] == "body-posterior" and len(closeup["crop"]) == 4
    inside = [m for m in doc["markers"] if m["drawn_on"] == closeup["id"]]
    assert inside and all(m["panel"] == "body-posterior" for m in inside)
    assert all(z["drawn_on"] in panels for z in doc["zones"])
    assert set(doc["layout"]) == {"header", "figures", "legend", "notes"}


def test_cli_atlas_with_view_all_has_the_side_view(tmp_path):
    from click.testing import CliRunner

    from bodymap.cli import main

    out = tmp_path / "atlas.json"
    result = CliRunner().invoke(main, ["export", "--atlas", "--view", "all", "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "body-lateral" in {p["id"] for p in json.loads(out.read_text())["panels"]}


def test_left_titles_name_the_left_side():
    from bodymap.scene.build import _left_title

    assert _left_title("Right foot, sole") == "Left foot, sole"
    assert _left_title("Head, right side view") == "Head, left side view"


def _random_bodies(rng, n: int, spread: float) -> list[dict]:
    bodies = []
    for i in range(n):
        x, y = rng.uniform(0, spread), rng.uniform(0, spread * 2)
        if i and rng.random() < 0.2:  # some coincide exactly, the case that parts them sideways
            x, y = bodies[-1]["x0"], bodies[-1]["y0"]
        bodies.append({"x": x, "y": y, "x0": x, "y0": y, "r": rng.choice((4.0, 5.5, 7.0)), "idx": [i],
                       "code": f"P{rng.randrange(n // 2 + 1)}"})
        bodies[-1]["group"] = bodies[-1]["code"]
    return sorted(bodies, key=lambda b: (b["y0"], b["x0"], b["code"]))


@pytest.mark.parametrize("seed", range(6))
def test_setting_marks_apart_through_the_grid_equals_the_full_scan(seed):
    """The grid only chooses which pairs to test: every round ends exactly where the quadratic scan ends."""
    import random

    from bodymap.layout import declutter

    rng = random.Random(seed)
    bodies = _random_bodies(rng, 60 + 40 * seed, 40.0 + 30 * seed)
    fast, slow = [dict(b) for b in bodies], [dict(b) for b in bodies]
    cell = 2 * 7.0 + declutter.CLEARANCE + 2 * declutter.SLACK
    for _ in range(40):
        moved_fast, _ = declutter._round(fast, cell)
        moved_slow, _ = declutter._full_scan(slow)
        assert moved_fast == moved_slow
        assert [(b["x"], b["y"]) for b in fast] == [(b["x"], b["y"]) for b in slow]
        if not moved_slow:
            break


def test_box_index_answers_as_testing_every_box():
    import random

    from bodymap.content.scenetypes import Box
    from bodymap.layout.spatial import BoxIndex, index

    rng = random.Random(7)
    boxes = [Box(rng.uniform(-50, 500), rng.uniform(-50, 500), rng.uniform(0.5, 90), rng.uniform(0.5, 30)) for _ in range(300)]
    held = BoxIndex(boxes[:150], cell=32.0)
    for probe in boxes[150:]:
        assert held.hits(probe) == any(probe.intersects(b) for b in held)
        held.append(probe)
    assert list(held) == boxes and index(held) is held
    touching = Box(boxes[0].right, boxes[0].y, 5, 5)  # edges that only touch do not intersect, as Box says
    assert BoxIndex([boxes[0]]).hits(touching) is boxes[0].intersects(touching)


@pytest.mark.parametrize("options", [{}, {"view": "all"}, {"page_width": 540}])
def test_two_marks_of_one_point_never_stack(options):
    """Left and right KI3 were both set aside toward the midline and drawn on top of each other, like one point.

    Close-ups are left out: there a point's spots still may not part (see bodymap.layout.declutter).
    """
    import math

    from bodymap.layout.declutter import _radius, drawn_at

    stacked, same_point_pairs = [], 0
    for cid, _ in bodymap.list_complaints():
        scene = scene_for(cid, **options)
        placements = {pp.id or pp.panel.id: pp for pp in scene.panels}
        marks = [m for m in scene.markers if m.layer in ("dry-needling", "acupuncture")]
        for a, b in combinations(marks, 2):
            if a.code != b.code or a.panel != b.panel or (a.x, a.y) == (b.x, b.y) or placements[a.panel].crop:
                continue
            same_point_pairs += 1
            gap = math.dist(drawn_at(a, placements[a.panel]), drawn_at(b, placements[b.panel]))
            if gap < _radius(a) + _radius(b):
                stacked.append((cid, a.code, a.panel, round(gap, 2)))
    assert same_point_pairs > 20 and not stacked  # (before: KI3, EX-UE7, SP6 and more stacked)
