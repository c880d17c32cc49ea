"""The side view (body-lateral) carries the trigger points and acupoints a profile shows, in anatomical order."""

from __future__ import annotations

import pytest
from matplotlib.path import Path as MplPath

from bodymap.api import scene_for
from bodymap.figures.placement import resolve

from .conftest import COMPLAINTS

SIDE = "body-lateral"
# Complaints whose side view had no dry needling before the side-view sites came (issue 11, item 7).
DRY_NEEDLING_ON_THE_SIDE = ("neck-pain", "tension-headache", "lateral-elbow-pain", "plantar-heel-pain")
# Lateral acupoints given a side-view site, and a complaint whose plan uses each.
LATERAL_POINTS = {"GV20": "tension-headache", "BL10": "neck-pain", "SI9": "shoulder-pain",
                  "EX-LE5": "knee-osteoarthritis", "EX-UE7": "low-back-pain"}
# Side-view sites of the trunk, neck and leg: the arm hangs differently on each view, these do not.
SAME_HEIGHT = ("ut-1", "ut-2", "ls-neck-angle", "ls-superior-angle", "spc-c2", "spcv-upper", "spcv-lower",
               "tmin-lateral-border", "ql-superficial-upper", "ql-superficial-lower", "bf-distal", "gas-lateral",
               "sol-proximal", "pir-lateral", "BL10", "SI9", "GV20")


def _sites(catalog) -> dict:
    """Every acupoint code and trigger-point id with its location rules by panel."""
    found = {code: {s.panel: s for s in p.sites} for code, p in catalog.acupoints.items()}
    for muscle in catalog.muscles.values():
        found.update({tp.id: {s.panel: s for s in tp.sites} for tp in muscle.trigger_points})
    return found


def _side_xy(catalog, panels) -> dict[str, tuple[float, float]]:
    return {name: resolve(by[SIDE], panels, name) for name, by in _sites(catalog).items() if SIDE in by}


def _side_markers(cid: str):
    """The markers drawn on the side view or on a close-up of it, with `view="lateral"`."""
    scene = scene_for(cid, ["dry-needling", "acupuncture"], view="lateral")
    figure = {pp.id: pp.panel.id for pp in scene.panels}
    return [m for m in scene.markers if figure[m.panel] == SIDE]


@pytest.mark.parametrize("cid", DRY_NEEDLING_ON_THE_SIDE)
def test_the_side_view_shows_the_dry_needling(catalog, cid):
    muscle_of = {tp.id: mu.id for mu in catalog.muscles_for(cid) for tp in mu.trigger_points}
    codes = {m.code for m in _side_markers(cid) if m.therapy == "dry-needling"}
    assert codes <= set(muscle_of), f"{cid}: trigger points from outside the plan: {codes - set(muscle_of)}"
    assert len({muscle_of[c] for c in codes}) >= 2, f"{cid}: side view shows the trigger points {sorted(codes)}"


@pytest.mark.parametrize("code, cid", LATERAL_POINTS.items())
def test_lateral_acupoints_appear_on_the_side_view(code, cid):
    assert code in {m.code for m in _side_markers(cid) if m.therapy == "acupuncture"}


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_every_side_view_marker_is_on_the_body(panels, cid):
    outlines = [MplPath(poly) for poly in panels[SIDE].outlines]
    off = [f"{m.code} ({m.x:.0f},{m.y:.0f})" for m in _side_markers(cid)
           if not any(o.contains_point((m.x, m.y), radius=r) for o in outlines for r in (-0.5, 0.5))]
    assert not off, f"{cid}: side-view markers off the body: {off}"


def test_side_view_keeps_the_back_view_heights(catalog, panels):
    """Both body views share their landmarks' heights, so a point's height agrees within one trunk B-cun."""
    unit = panels[SIDE].cun_size("axilla-rib11")
    sites = _sites(catalog)
    for name in SAME_HEIGHT:
        back = resolve(sites[name]["body-posterior"], panels, name)[1]
        side = resolve(sites[name][SIDE], panels, name)[1]
        assert abs(side - back) <= unit, f"{name}: side view y {side:.0f}, back view y {back:.0f}"


def test_side_view_places_muscles_front_to_back(catalog, panels):
    """+x is forwards: sternocleidomastoid in front of the posterior neck muscles; brachioradialis at the
    front of the forearm; the hamstring behind the iliotibial band (GB31); gastrocnemius behind soleus,
    soleus behind the fibular head (GB34)."""
    x = {name: xy[0] for name, xy in _side_xy(catalog, panels).items()}
    neck_back = ("ut-1", "ut-2", "ls-neck-angle", "ls-superior-angle", "spc-c2", "spcv-upper", "spcv-lower", "BL10",
                 "GB20")
    assert min(x["scm-sternal"], x["scm-clavicular"]) > max(x[n] for n in neck_back)
    assert x["sup-ventral"] > x["br-upper"] > x["ecrl-elbow"]
    assert x["br-upper"] > max(x["ecrb-belly"], x["ed-middle-finger"])
    assert x["bf-distal"] < x["GB31"] < x["vl-mid"]
    assert x["gas-lateral"] < x["sol-proximal"] < x["GB34"]


def test_side_view_places_the_neck_top_to_bottom(catalog, panels):
    y = {name: xy[1] for name, xy in _side_xy(catalog, panels).items()}
    chain = ["GV20", "GB20", "spc-c2", "spcv-upper", "ls-neck-angle", "spcv-lower", "ut-1", "ut-2"]
    assert [y[n] for n in chain] == sorted(y[n] for n in chain), {n: round(y[n]) for n in chain}


def test_head_muscles_sit_where_the_head_view_draws_them(catalog, panels):
    """The head view is the side view's head enlarged: temporalis and the sternal SCM trigger point match."""
    head, side = panels["head-lateral"], panels[SIDE]
    (hx0, hy0), (sx0, sy0) = head.landmarks["vertex"], side.landmarks["vertex"]
    k = (head.landmarks["c7"][1] - hy0) / (side.landmarks["c7"][1] - sy0)
    sites = _sites(catalog)
    for name in ("tmp-anterior", "tmp-middle", "scm-sternal"):
        hx, hy = resolve(sites[name]["head-lateral"], panels, name)
        assert resolve(sites[name][SIDE], panels, name) == pytest.approx((sx0 + (hx - hx0) / k, sy0 + (hy - hy0) / k),
                                                                         abs=0.5), name


def test_side_view_estimates_say_so(catalog):
    """A trigger point whose side-view place is an estimate says so in its `uncertain`."""
    tps = {tp.id: tp for mu in catalog.muscles.values() for tp in mu.trigger_points}
    estimated = [n for n in SAME_HEIGHT if n in tps] + ["ecrl-elbow", "ecrb-belly", "ed-middle-finger", "sup-ventral",
                                                         "br-upper", "scm-clavicular", "bra-distal"]
    silent = [n for n in estimated if "side view" not in (tps[n].uncertain or "").lower()]
    assert not silent, silent
