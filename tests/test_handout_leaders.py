"""The handout's figure, laid out again at its print label size, keeps leaders off the panel captions and
other points' marks (issue 20, item 8: a BL60 leader crossed 'Right ear, lateral view')."""

from __future__ import annotations

import pytest

import bodymap.api
from bodymap.data.catalog import load_catalog
from bodymap.documents.content import patient
from bodymap.documents.handout import _PatientPlan, readable
from bodymap.documents.pages import PAPERS
from bodymap.draw.drawlist import compile_scene

from .test_legibility import figure_geometry, leader_faults


def handout_scene(cid: str, **options):
    """The scene the handout prints: built as the app or CLI builds it, then sized for the paper."""
    catalog = load_catalog()
    scene = bodymap.api.scene_for(cid, **options)
    return readable(scene, catalog, _PatientPlan(patient(scene, catalog, None), PAPERS["a4"]).room_for(scene))


@pytest.mark.parametrize("cid, options", [("low-back-pain", {}), ("low-back-pain", {"plan": "BL60,BL40,BL23,EX-UE7,AH9"}),
                                          ("low-back-pain", {"side": "left"}), ("sciatica", {}),
                                          ("sciatica", {"plan": "BL60,AH6,AH7,AH9"})])
def test_handout_leaders_cross_no_caption_and_no_other_point(cid, options):
    scene = handout_scene(cid, **options)
    assert scene.label_size > 11  # laid out again with print-sized labels: the case the app's figure never meets
    assert leader_faults(figure_geometry(compile_scene(scene))) == []


@pytest.mark.parametrize("options", [{}, {"plan": "BL60,BL40,BL23,EX-UE7,AH9"}])
def test_every_point_on_the_handout_is_named(options):
    """A name that found no place was dropped (the posterior BL60 had none; with a plan, whose words are long,
    every body-view name was): each drawn point has one, the code when the plan's words find no room."""
    scene = handout_scene("low-back-pain", **options)
    named = {(lab.panel, lab.code) for lab in scene.labels}
    missing = [m.id for m in scene.markers
               if m.layer in ("dry-needling", "acupuncture") and (m.panel, m.muscle or m.code) not in named]
    assert missing == []
