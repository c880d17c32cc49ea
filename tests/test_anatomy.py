"""Anatomy checks: markers inside the body, mirror symmetry, and anatomical ordering."""

from __future__ import annotations

import pytest
from matplotlib.path import Path as MplPath

from bodymap.api import scene_for
from bodymap.scene.atlas import atlas_scene
from bodymap.scene.build import OVERLAYS

from .conftest import COMPLAINTS


def _inside(panel, x, y) -> bool:
    return any(MplPath(poly).contains_point((x, y), radius=-0.5) or MplPath(poly).contains_point((x, y), radius=0.5)
               for poly in panel.outlines)


def _scenes():
    yield "atlas", atlas_scene(overlays=list(OVERLAYS))
    for cid in COMPLAINTS:
        yield cid, scene_for(cid, list(OVERLAYS))


def _figures(scene, panels) -> dict:
    """The figure each scene panel shows, by its id: a close-up keeps its body view's coordinates."""
    return {**panels, **{pp.id: pp.panel for pp in scene.panels if pp.id}}


@pytest.mark.parametrize("name, scene", list(_scenes()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_marker_and_zone_vertex_is_inside_its_panel(name, scene, panels):
    figures = _figures(scene, panels)
    outside = [f"{m.id} ({m.x:.0f},{m.y:.0f})" for m in scene.markers if not _inside(figures[m.panel], m.x, m.y)]
    assert not outside, f"{name}: markers outside the silhouette: {outside}"
    for zone in scene.zones:
        if zone.kind == "referral":
            stray = [p for p in zone.points if not _inside(figures[zone.panel], *p)]
            assert not stray, f"{name}: {zone.id} has vertices off the body: {stray}"


def test_every_landmark_is_inside_its_panel(panels):
    for panel in panels.values():
        stray = [n for n, (x, y) in panel.landmarks.items() if not _inside(panel, x, y)]
        assert not stray, f"{panel.id}: landmarks outside the outline: {stray}"


def test_bilateral_markers_mirror_and_midline_markers_sit_on_it(panels):
    scene = atlas_scene(overlays=["acupuncture", "dry-needling"])
    by_key: dict[tuple, dict[str, object]] = {}
    for m in scene.markers:
        panel = panels[m.panel]
        if not panel.two_sided:
            continue
        if m.side == "midline":
            assert abs(m.x - panel.midline_x) < 0.6, m.id
        by_key.setdefault((m.layer, m.code, m.panel), {})[m.side] = m
    pairs = [(v["left"], v["right"]) for v in by_key.values() if "left" in v and "right" in v]
    assert len(pairs) > 20
    for left, right in pairs:
        mid = panels[left.panel].midline_x
        assert left.x + right.x == pytest.approx(2 * mid, abs=0.01), left.id
        assert left.y == pytest.approx(right.y, abs=0.01), left.id


def test_governor_and_conception_points_are_on_the_midline(catalog, panels):
    scene = atlas_scene(overlays=["acupuncture"])
    for m in scene.markers:
        if m.meridian in ("GV", "CV") and panels[m.panel].two_sided:
            assert m.side == "midline", m.id


def test_posterior_landmarks_run_head_to_foot(panels):
    lm = panels["body-posterior"].landmarks
    chain = ["vertex", "inion", "c7", "t3", "t7", "t12", "l2", "l4", "s2", "gluteal-fold", "popliteal-center",
             "gastrocnemius-junction", "lateral-malleolus", "heel"]
    ys = [lm[n][1] for n in chain]
    assert ys == sorted(ys) and len(set(ys)) == len(ys), dict(zip(chain, ys, strict=True))
    vertebrae = [f"t{i}" for i in range(1, 13)] + [f"l{i}" for i in range(1, 6)] + [f"s{i}" for i in range(1, 5)]
    vy = [lm[v][1] for v in vertebrae]
    assert vy == sorted(vy) and len(set(vy)) == len(vy)


def test_anterior_landmarks_run_head_to_foot(panels):
    lm = panels["body-anterior"].landmarks
    chain = ["vertex", "hairline-anterior", "glabella", "chin", "suprasternal-notch", "nipple-level", "xiphisternal",
             "umbilicus", "pubic-symphysis", "patella-base", "patella-apex", "tibial-tuberosity", "medial-malleolus"]
    ys = [lm[n][1] for n in chain]
    assert ys == sorted(ys), dict(zip(chain, ys, strict=True))


def test_views_share_landmark_heights(panels):
    front, back = panels["body-anterior"].landmarks, panels["body-posterior"].landmarks
    for name in ("vertex", "acromion", "greater-trochanter", "lateral-malleolus", "medial-malleolus"):
        assert front[name][1] == pytest.approx(back[name][1], abs=4), name


def test_point_ordering_on_the_back(catalog, panels):
    scene = atlas_scene(overlays=["acupuncture"])
    y = {}
    for m in scene.markers:
        if m.panel == "body-posterior" and m.side in ("right", "midline"):
            y[m.code] = m.y
    # Lumbar above the back of the knee above the ankle; neck above the shoulder blade.
    assert y["BL23"] < y["BL40"] < y["BL60"]
    assert y["GB20"] < y["GB21"] < y["BL23"]
    assert y["BL10"] < y["SI11"]


def test_ear_points_sit_in_their_zones(catalog, panels):
    ear = panels["ear"]
    regions = {k: MplPath(v) for k, v in ear.regions.items()}
    scene = scene_for("low-back-pain", ["acupuncture"])
    pos = {m.code: (m.x, m.y) for m in scene.markers if m.panel == "ear"}
    assert regions["triangular-fossa"].contains_point(ear.landmarks["tf4"])
    assert regions["antihelix"].contains_point(ear.landmarks["ah9"])
    for code, xy in pos.items():
        assert _inside(ear, *xy), code


def test_cun_rules_compute_who_distances(catalog, panels):
    """BL23 is 1.5 B-cun from the midline; ST36 is 3 B-cun below ST35."""
    back = panels["body-posterior"]
    scene = atlas_scene(overlays=["acupuncture"])
    bl23 = next(m for m in scene.markers if m.code == "BL23" and m.panel == "body-posterior" and m.side == "right")
    cun = back.cun_size("scapula-midline")
    assert abs(bl23.x - back.midline_x) == pytest.approx(1.5 * cun, rel=0.02)
    assert bl23.y == pytest.approx(back.landmarks["l2"][1], abs=0.5)


@pytest.mark.slow
def test_figure_files_are_what_the_builder_makes():
    """The committed outlines are generated, not hand-edited: rebuilding gives the same bytes."""
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("shapely")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, str(root / "tools" / "build_figures.py"), "--check"], capture_output=True,
                          text=True, cwd=root)
    assert done.returncode == 0, done.stdout[-1500:] + done.stderr[-1500:]


def test_head_view_runs_top_to_bottom_and_faces_forward(panels):
    head = panels["head-lateral"]
    assert (head.kind, head.view, head.side) == ("head", "lateral", "right")
    lm = head.landmarks
    chain = ["vertex", "hairline-anterior", "eyebrow-lateral-end", "ear-apex", "eye-outer", "zygomatic-arch-lower",
             "tragus", "intertragic-notch", "mastoid", "ear-lobe", "masseter-prominence", "mandible-angle", "c7"]
    ys = [lm[n][1] for n in chain]
    assert ys == sorted(ys) and len(set(ys)) == len(ys), dict(zip(chain, ys, strict=True))
    # front (+x) to back: face, temple, the jaw joint, the ear, the mastoid, the GB20 hollow, the occiput
    front_to_back = ["glabella", "eye-outer", "temple", "mandibular-notch", "mandible-condyle", "tragus", "ear-lobe",
                     "mastoid", "scm-trapezius-gap", "inion"]
    xs = [lm[n][0] for n in front_to_back]
    assert xs == sorted(xs, reverse=True) and len(set(xs)) == len(xs), dict(zip(front_to_back, xs, strict=True))


def test_head_muscle_outlines_hold_what_lies_on_them(panels):
    head = panels["head-lateral"]
    lm, regions = head.landmarks, {k: MplPath(v) for k, v in head.regions.items()}
    assert set(regions) == {"masseter", "temporalis", "sternocleidomastoid"}
    assert regions["masseter"].contains_point(lm["masseter-prominence"])
    assert regions["temporalis"].contains_point(lm["temporal-fossa"])
    assert regions["temporalis"].contains_point(lm["temple"])
    between = tuple((a + b) / 2 for a, b in zip(lm["scm-anterior-border"], lm["scm-posterior-border"], strict=True))
    assert regions["sternocleidomastoid"].contains_point(between)
    for name in ("tragus", "ear-lobe", "eye-outer", "nose-wing"):
        assert not any(r.contains_point(lm[name]) for r in regions.values()), f"{name} lies on a muscle outline"
    for name, pts in head.regions.items():
        assert all(_inside(head, x, y) for x, y in pts), f"{name} leaves the head"


def test_head_view_is_the_side_view_enlarged(panels):
    """A landmark both lateral panels carry is at the same place on the figure, and the head's B-cun is
    the side view's, enlarged by the same factor."""
    head, side = panels["head-lateral"], panels["body-lateral"]
    shared = sorted(set(head.landmarks) & set(side.landmarks))
    assert len(shared) >= 15
    (hx0, hy0), (sx0, sy0) = head.landmarks["vertex"], side.landmarks["vertex"]
    k = (head.landmarks["c7"][1] - hy0) / (side.landmarks["c7"][1] - sy0)
    assert k == pytest.approx(head.cun_size("hairline-glabella") / side.cun_size("hairline-glabella"), rel=0.01)
    for name in shared:
        x, y = head.landmarks[name]
        assert (sx0 + (x - hx0) / k, sy0 + (y - hy0) / k) == pytest.approx(side.landmarks[name], abs=0.6), name
