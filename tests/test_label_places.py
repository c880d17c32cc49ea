"""Where a label sits on a body view: off the body's silhouette where any place beside its marks allows
(issue 20, item 8: the EX-UE7 label sat on the buttocks, its leader running to a hand)."""

from __future__ import annotations

import math

import pytest

import bodymap.api
from bodymap.layout.labels import _on_body, text_box

from .test_legibility import COMPLAINTS, EXPORTS

# The names still on a body: the anterior view's gluteus minimus, whose hip marks the hands and arms wall in,
# and on the phone the low back page's BL60 between the crowded ankles.
ON_BODY_LEFT = {("default", "low-back-pain"): 1, ("phone", "low-back-pain"): 2, ("phone", "sciatica"): 1}


def on_body(scene) -> list[str]:
    panels = {pp.id: pp for pp in scene.panels}
    out = []
    for lab in scene.labels:
        pp = panels[lab.panel]
        if pp.role == "body" and not pp.crop:
            box = text_box(lab.tx, lab.ty, lab.text, lab.size, {"right": "start", "left": "end"}.get(lab.align, "middle"))
            if _on_body(box, pp):
                out.append(lab.text)
    return out


@pytest.mark.parametrize("export", ["default", "phone"])
def test_labels_on_body_views_sit_off_the_body(export):
    found = {cid: on_body(bodymap.api.scene_for(cid, **EXPORTS[export])) for cid in COMPLAINTS}
    assert {cid: names for cid, names in found.items() if len(names) > ON_BODY_LEFT.get((export, cid), 0)} == {}


def test_the_hand_point_is_named_beside_a_hand_not_on_the_buttocks():
    scene = bodymap.api.scene_for("low-back-pain")
    lab = next(lab for lab in scene.labels if lab.text == "EX-UE7" and lab.panel == "body-posterior")
    hands = [m for m in scene.markers if m.code == "EX-UE7" and m.panel == "body-posterior"]
    assert (lab.x, lab.y) in {(m.x, m.y) for m in hands}
    assert math.dist((lab.tx, lab.ty), lab.anchors[0]) < 40  # beside its mark, not across the body
    assert "EX-UE7" not in on_body(scene)
