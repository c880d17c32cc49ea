"""A phone's one-side close-up names its points in two columns, one each side (issue 20, item 3)."""

from __future__ import annotations

import math

import bodymap.api


def _closeup(scene):
    return next(pp for pp in scene.panels if pp.crop)


def test_the_low_back_close_up_on_a_phone_has_labels_on_both_sides_with_short_leaders():
    scene = bodymap.api.scene_for("low-back-pain", page_width=400)
    box = _closeup(scene).box
    labels = [lab for lab in scene.labels if lab.panel == _closeup(scene).id]
    left = [lab for lab in labels if lab.tx <= box.x]
    right = [lab for lab in labels if lab.tx >= box.right]
    assert left and right and len(left) + len(right) == len(labels)
    assert all(lab.colour == "acupuncture" for lab in left)  # short codes by the spine, muscles' names outside
    runs = [sum(math.dist(a, b) for a, b in zip(r, r[1:], strict=False)) for lab in labels for r in lab.routes]
    # One column on the right drew lines across the whole close-up (up to 359 units on this page).
    assert max(runs) < 0.6 * scene.width


def test_no_label_on_the_spine_side_names_marks_that_all_lie_at_the_far_side():
    for cid in ("low-back-pain", "sciatica", "neck-pain", "thoracic-back-pain"):
        scene = bodymap.api.scene_for(cid, page_width=400)
        pp = _closeup(scene)
        for lab in scene.labels:
            if lab.panel == pp.id and lab.tx <= pp.box.x:
                assert min(x for x, _ in lab.anchors) < pp.box.x + 2 / 3 * pp.box.w, (cid, lab.id)
