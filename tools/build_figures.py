#!/usr/bin/env python3
"""Generate the panel figure files `assets/figures/<panel-id>.json` from `assets/figures-src/*.yaml`.

This is a build-time tool: the runtime code (bodymap.geometry) only reads the JSON it writes.
The format is the contract in docs/design.md; the landmark / measure vocabulary is
`assets/figures-src/vocabulary.yaml` (docs/design.md is checked against it by a test).

How the figures are made
------------------------
* Every number of the drawings lives in `assets/figures-src/`: control points, hand-placed
  landmarks, the measures, the anthropometric table. This file holds the construction.
* The front and back views are one adult figure whose heights and breadths are fractions of
  stature H (Drillis & Contini 1966, as reproduced in Winter's *Biomechanics and Motor Control of
  Human Movement*). Each body part is a smooth shapely polygon (limbs are swept profiles of
  half-widths along a bent axis, the torso a profile of half-widths at landmark heights); the
  parts are unioned, then rounded with a morphological closing (`buffer(r).buffer(-r)`) so the
  armpits, the crotch and the neck read as soft anatomical junctions. Hands and feet are built
  separately, with a smaller rounding radius, so that fingers and toes stay separate.
* Landmarks are placed from the same numbers (joint centres, vertebral levels), so the views
  agree on every height. The side view (body-lateral) is the same figure in profile, facing +x,
  with the arm, hanging a little forward, as a second outline drawn over the trunk.
* The ear, foot, hand and head panels are drawn from hand-placed control points passed through a
  centripetal Catmull-Rom spline.
* Every panel is validated before it is written: the vocabulary is present, every landmark lies
  inside the silhouette, midline landmarks sit exactly on the midline, the midline levels run
  downwards, the pelvic plane is level, and the side view runs head to foot, faces +x, hides no
  trunk landmark behind the arm and shares its landmark heights with the front and back views.

Output is deterministic (coordinates rounded to 0.1, keys sorted): re-running gives the same bytes.

Usage:  python tools/build_figures.py [--out assets/figures] [--check]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import unary_union

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figure_geometry import (  # noqa: E402 - the tools folder is not a package on the script path
    ROUND_SEGMENTS, Spec, add, capsule, catmull_rom, chain, close_open, cut_below, det, ellipse, exterior, largest, load,
    mirror_pts, mirror_x, smooth_polygon, swept,
)

BODY = load("body")
A = BODY["anthro"]
BODY_W, BODY_H = BODY["frame"]["width"], BODY["frame"]["height"]
STATURE, VERTEX_Y = BODY["frame"]["stature"], BODY["frame"]["vertex_y"]
FLOOR_Y = VERTEX_Y + STATURE
MID = BODY_W / 2
ANGLES = BODY["angles"]
HAND = BODY["hand"]
BODY_TOLERANCE = 0.12          # outline simplification of the body views
SOURCE = f"{BODY['source']['anthropometry']}; measures: {BODY['source']['who']}"


def height_y(fraction: float) -> float:
    """y of a height given as a fraction of stature above the floor."""
    return FLOOR_Y - fraction * STATURE


def span(fraction: float) -> float:
    """Length in panel units of a segment given as a fraction of stature."""
    return fraction * STATURE


def unit(angle_deg: float):
    """Unit vector pointing down the page, turned `angle_deg` towards -x (anterior view: lateral)."""
    a = math.radians(angle_deg)
    return (-math.sin(a), math.cos(a))


def fwd(angle_deg: float):
    """Unit vector down the page turned `angle_deg` forwards (+x)."""
    a = math.radians(angle_deg)
    return (math.sin(a), math.cos(a))


def frame_point(joint, d, u: float, v: float, sign: float):
    """`u` along direction d from joint and `v` along its normal (sign 1: turned clockwise on screen)."""
    n = (-d[1] * sign, d[0] * sign)
    return (joint[0] + d[0] * u + n[0] * v, joint[1] + d[1] * u + n[1] * v)


# --------------------------------------------------------------------------------------------
# The full-body figure, built in the ANTERIOR frame for the patient's RIGHT half (x < MID) and
# mirrored: a standing body is bilaterally symmetric, and the posterior view is the anterior one
# mirrored across the midline (with heels instead of toes).
# --------------------------------------------------------------------------------------------


class Skeleton:
    """Joint centres and vertebral levels of the figure (anterior frame, patient's right)."""

    def __init__(self) -> None:
        s, y = BODY["skeleton"], height_y
        self.chin_y = y(A["chin"])
        self.shoulder = (MID + s["shoulder"][0], y(A["shoulder"]) + s["shoulder"][1])
        self.arm_dir, self.forearm_dir, self.hand_dir = (unit(ANGLES[k]) for k in ("upper_arm", "forearm", "hand"))
        self.elbow = add(self.shoulder, self.arm_dir, span(A["upper_arm"]))
        self.wrist = add(self.elbow, self.forearm_dir, span(A["forearm"]))
        self.hip = (MID + s["hip_dx"], y(A["hip"]))
        self.knee = (MID + s["knee_dx"], y(A["knee"]))
        self.ankle = (MID + s["ankle_dx"], y(A["ankle"]))
        self.c7_y, self.crest_y = y(s["c7_height"]), y(s["crest_height"])
        self.levels = self._spine(s)
        self.hiatus_y = self.levels[f"s{s['sacral']}"] + s["hiatus_below_s4"]
        self.coccyx_y = self.levels[f"s{s['sacral']}"] + s["coccyx_below_s4"]

    def _spine(self, s: dict) -> dict:
        """Lower borders of the spinous processes t1 ... l5 and the sacral foramina s1 ... s4."""
        step_t = (self.crest_y - self.c7_y) / (s["thoracic"] + s["lumbar_steps_to_crest"] * s["lumbar_to_thoracic"])
        step_l = s["lumbar_to_thoracic"] * step_t
        levels = {f"t{i}": self.c7_y + i * step_t for i in range(1, s["thoracic"] + 1)}
        last_t = levels[f"t{s['thoracic']}"]
        levels.update({f"l{i}": last_t + i * step_l for i in range(1, s["lumbar"] + 1)})
        s1 = levels[f"l{s['lumbar']}"] + s["s1_below_l5"] * step_l
        levels.update({f"s{i}": s1 + (i - 1) * s["sacral_step"] * step_l for i in range(1, s["sacral"] + 1)})
        return levels

    def hand_frame(self, u: float, v: float):
        """Point of the right hand: u along the hand axis from the wrist, v towards the thumb."""
        return frame_point(self.wrist, self.hand_dir, u, v, 1)

    def arm_frame(self, joint, direction, v: float, u: float = 0.0):
        """Point at `u` along `direction` from `joint` and `v` towards the lateral side."""
        return frame_point(joint, direction, u, v, 1)


SK = Skeleton()
FINGERTIP_Y = height_y(A["fingertip"])  # middle fingertip with the arm hanging at the side
VERTEBRAE = list(SK.levels)


def finger_tip(i: int, back: float = 0.0, fingers=None):
    """(u, v) of finger i's tip centre (0 = index), `back` hand units short of the end."""
    v, u, length, ang, _rb, rt = (fingers or HAND["fingers"])[i]
    a = math.radians(ang)
    return (u + (length - rt - back) * math.cos(a), v + (length - rt - back) * math.sin(a))


def closed_fingers() -> list:
    """The fingers held together, as in a relaxed hand hanging at the side (lateral view)."""
    return [[v, u, length, spread * HAND["closed_spread"], rb, rt] for v, u, length, spread, rb, rt in HAND["fingers"]]


def hand_shape(f, k: float = 1.0, fingers=None) -> Polygon:
    """Right hand: palm, four fingers and the thumb, through the mapping f(u, v); k: units per hand unit."""
    fingers = fingers or HAND["fingers"]
    parts = [smooth_polygon([f(u, v) for u, v in HAND["palm"]])]
    for i, (v, u, length, ang, rb, rt) in enumerate(fingers):
        a = math.radians(ang)
        knuckle = (u + 0.5 * length * math.cos(a), v + 0.5 * length * math.sin(a))
        parts.append(chain([(f(u, v), rb * k), (f(*knuckle), ((rb + rt) / 2 + HAND["knuckle_widen"]) * k),
                            (f(*finger_tip(i, fingers=fingers)), rt * k)]))
    parts.append(chain([(f(u, v), r * k) for (u, v), r in HAND["thumb"]]))
    close_r, open_r = HAND["rounding"]
    return close_open(unary_union(parts), close_r * k, open_r * k)


def knuckle(f, u: float, v: float, shape) -> list:
    """A knuckle hint: a shallow chevron over the metacarpal head at (u, v)."""
    du, dv, du_mid = shape
    return [f(u + du, v - dv), f(u + du_mid, v), f(u + du, v + dv)]


def snuffbox(f) -> dict:
    return det("snuffbox", [f(u, v) for u, v in HAND["snuffbox"]])


def body_levels(apex) -> dict:
    """The named levels the body data files use (see body-anterior.yaml)."""
    ics = BODY["ics"]
    lv = {"mid": MID, "vertex": VERTEX_Y, "chin": SK.chin_y, "c7": SK.c7_y, "crest": SK.crest_y,
          "hiatus": SK.hiatus_y, "coccyx": SK.coccyx_y, "fingertip": FINGERTIP_Y, "notch": ics["notch"],
          "xiphisternal": ics["xiphisternal"], **BODY["levels"], **SK.levels}
    for n in ics["spaces"]:
        lv[f"ics{n}"] = ics["notch"] + (ics["first"] + ics["per_space"] * n) * (ics["xiphisternal"] - ics["notch"]) \
            / ics["sternum_cun"]
    joints = {"shoulder": SK.shoulder, "elbow": SK.elbow, "wrist": SK.wrist, "hip": SK.hip, "knee": SK.knee,
              "ankle": SK.ankle, "armpit": apex}
    for name, (x, y) in ((k, p) for k, p in joints.items() if p is not None):
        lv[f"{name}.x"], lv[f"{name}.y"] = x, y
    post = load("body-posterior")
    hair_y = post["hairline_y"]
    hair_cun = (SK.c7_y - hair_y) / BODY["shared_measures"]["hairline-c7"]["cun"]
    lv["hairline-posterior"] = hair_y
    for name, cun in post["above_hairline_cun"].items():
        lv[name] = hair_y - cun * hair_cun
    return lv


def body_spec(apex) -> Spec:
    frames = {
        "mid": lambda dx, y: (MID + dx, y),
        "elbow": lambda v, u: SK.arm_frame(SK.elbow, SK.arm_dir, v, u),
        "wrist": lambda v, u: SK.arm_frame(SK.wrist, SK.forearm_dir, v, u),
        "hand": SK.hand_frame,
    }
    spec = Spec(body_levels(apex), frames, BODY["curves"])
    cl = BODY["clavicle_lower"]
    spec.levels["clavicle-lower"] = spec._curve_x(["clavicle", MID + cl["dx"]])[1] + cl["half_thickness"]
    return spec


def body_head(spec: Spec) -> Polygon:
    """Head (frontal outline, cranium to chin) with the ears."""
    h = BODY["head"]
    half = spec.points(h["half"])
    head = smooth_polygon([(MID, VERTEX_Y)] + half + [(MID, SK.chin_y)] + mirror_pts(half, MID)[::-1], samples=h["samples"])
    ear = smooth_polygon(spec.points(h["ear"]))
    return unary_union([head, ear, mirror_x(ear, MID)])


def body_trunk() -> Polygon:
    """The trunk from its profile of half-widths, neck to crotch."""
    right_side = catmull_rom([(MID - w, y) for y, w in BODY["trunk"]], samples=BODY["trunk_samples"])
    return Polygon(right_side + [(MID, BODY["levels"]["crotch"])] + mirror_pts(right_side, MID)[::-1]).buffer(0)


def limb(axis, stations: list, named: dict) -> Polygon:
    """A limb swept along its axis; station distances may be named (see body.yaml)."""
    spec = Spec(named, {})
    return swept(axis, [(spec.num(d), wa, wb) for d, wa, wb in stations])


def body_arm() -> Polygon:
    """Upper arm and forearm, palms forward, swept along shoulder-elbow-wrist, with the deltoid cap."""
    s, e, w, arm = SK.shoulder, SK.elbow, SK.wrist, BODY["arm"]
    # the sweep starts at the joint, inside the shoulder cap, so its top edge never shows
    ue = arm["lead"] + span(A["upper_arm"])
    uw = ue + span(A["forearm"])
    shape = limb([s, e, w, add(w, SK.forearm_dir, arm["axis_beyond_wrist"])], arm["stations"], {"ue": ue, "uw": uw})
    cap = arm["cap"]
    centre = Point(s[0] + cap["offset"][0], s[1] + cap["offset"][1])
    return unary_union([shape, centre.buffer(cap["radius"], quad_segs=cap["segments"])])


def body_leg() -> Polygon:
    h, k, a, leg = SK.hip, SK.knee, SK.ankle, BODY["leg"]
    lead = leg["lead"]
    uk = lead + span(A["thigh"])
    ua = uk + span(A["leg"])
    axis = [(h[0], h[1] - lead), h, k, a, (a[0], a[1] + leg["axis_beyond_ankle"])]
    return limb(axis, leg["stations"], {"lead": lead, "uk": uk, "ua": ua})


def body_foot(view: str) -> Polygon:
    """Right foot seen from the front (toes towards the viewer) or from behind (the heel)."""
    ax, ay = SK.ankle
    foot = BODY["foot"][view]

    def f(dx, dy):
        return (ax + dx, ay + dy)

    if view == "anterior":
        parts = [smooth_polygon([f(*p) for p in foot["body"]])]
        parts += [Point(f(dx, dy)).buffer(r, quad_segs=ROUND_SEGMENTS) for dx, dy, r in foot["toes"]]
    else:
        parts = [smooth_polygon([f(*p) for p in foot["heel"]]), smooth_polygon([f(*p) for p in foot["forefoot"]])]
    return close_open(unary_union(parts), *foot["rounding"])


def body_silhouette(view: str, spec: Spec) -> Polygon:
    sil = BODY["silhouette"]
    core = unary_union([body_head(spec), body_trunk(), body_arm(), body_leg()])
    core = unary_union([core, mirror_x(core, MID)])
    # round the armpits, the crotch and the neck-shoulder junction, then soften convex corners
    core = close_open(core, *sil["rounding"])
    # a wider rounding where the trapezius runs into the deltoid, so the shoulder reads as one curve
    x0, y0, x1, y1 = sil["shoulder_box"]
    for sign in (1, -1):
        box = Polygon([(MID + sign * x0, y0), (MID + sign * x1, y0), (MID + sign * x1, y1), (MID + sign * x0, y1)])
        core = unary_union([core, close_open(core, sil["shoulder_rounding"]).intersection(box)])
    extremities = unary_union([hand_shape(SK.hand_frame), body_foot(view)])
    extremities = unary_union([extremities, mirror_x(extremities, MID)])
    body = largest(close_open(unary_union([core, extremities]), sil["final_rounding"]))
    return mirror_x(body, MID) if view == "posterior" else body


def armpit_apex(body: Polygon):
    """Top of the gap between the right arm and the trunk (anterior frame)."""
    (x0, x1), (y0, y1) = BODY["silhouette"]["armpit_x"], BODY["silhouette"]["armpit_y"]
    ring = np.array(body.exterior.coords)
    sel = ring[(ring[:, 0] > MID + x0) & (ring[:, 0] < MID + x1) & (ring[:, 1] > y0) & (ring[:, 1] < y1)]
    k = int(np.argmin(sel[:, 1]))
    return (float(sel[k, 0]), float(sel[k, 1]))


def lateral_edge(body: Polygon, y: float, x_range: tuple[float, float]) -> float:
    """x of the silhouette's boundary at height y within x_range (anterior frame)."""
    half, grow = 0.01, 0.02
    line = Polygon([(x_range[0], y - half), (x_range[1], y - half), (x_range[1], y + half), (x_range[0], y + half)])
    hit = body.exterior.intersection(line.buffer(grow))
    xs = [c[0] for g in getattr(hit, "geoms", [hit]) for c in getattr(g, "coords", [])]
    if not xs:
        raise SystemExit(f"lateral_edge: no outline at y={y} in {x_range}")
    return min(xs)


def body_landmarks(view: str, spec: Spec, src: dict, body_anterior: Polygon) -> dict:
    """Landmarks in the anterior frame (patient's right at x < MID); mirrored later if needed."""
    lm = dict(spec.resolve_landmarks({**BODY["common_landmarks"], **src["landmarks"]}))
    edge = BODY["thigh_edge"]
    thigh = lateral_edge(body_anterior, FINGERTIP_Y, (MID + edge["search_x"][0], MID + edge["search_x"][1]))
    lm["fingertip-level-thigh"] = (thigh + edge["inset"], FINGERTIP_Y)
    lm["fingertip-middle"] = SK.hand_frame(*finger_tip(HAND["middle_finger"], back=HAND["fingertip_back"]))
    if view == "posterior":
        lm.update({name: (MID, y) for name, y in SK.levels.items()})
        lm.update({name: SK.hand_frame(u, v) for name, (u, v) in HAND["landmarks"].items()})
        g, (kx, ky) = src["gastrocnemius_junction"], SK.knee
        lm["gastrocnemius-junction"] = (kx + g["dx"], ky + g["cun"] * (lm["lateral-malleolus"][1] - ky) / g["of"])
    return lm


def measures(src: dict) -> dict:
    """A panel's measures; `shared` ones come from body.yaml."""
    return {name: BODY["shared_measures"][name] if m == "shared" else m for name, m in src["measures"].items()}


def hand_details(view: str, spec: Spec) -> list:
    """Finger separations from the webs, and a palm crease or knuckle hints."""
    f = SK.hand_frame
    out = [det(f"finger-gap-{i + 1}", [f(u0, v0), f(u1, v1)]) for i, ((v0, u0), (v1, u1)) in enumerate(HAND["webs"])]
    if view == "anterior":
        return out + [det("thenar-crease", spec.points(HAND["thenar_crease"])),
                      det("palm-crease", spec.points(HAND["palm_crease"]))]
    return out + [det(f"knuckle-{i + 1}", knuckle(f, u, v, HAND["knuckle_shape"]))
                  for i, (v, u) in enumerate(HAND["knuckles"])]


def toe_gaps(src: dict) -> list:
    """Front view: a short line between neighbouring toes."""
    ax, ay, g = SK.ankle[0], SK.ankle[1], src["toe_gaps"]
    return [det(f"toe-gap-{i + 1}", [(ax + dx, ay + dy), (ax + dx + g["slant"], ay + dy + g["length"])])
            for i, (dx, dy) in enumerate(g["starts"])]


def expand(items: list, spec: Spec, special: dict) -> list:
    """Detail lines of a data file; an entry with only an id is made by code (`special`)."""
    out = []
    for d in items:
        out += special[d["id"]]() if d.keys() == {"id"} else [spec.detail(d)]
    return out


def body_details(view: str, spec: Spec, src: dict) -> list:
    """Interior lines, anterior frame; each bilateral one is given for the right side and mirrored."""
    special = {"hand": lambda: hand_details(view, spec), "toe-gaps": lambda: toe_gaps(src)}
    out = []
    for d in expand(src["details"]["right"], spec, special):
        out.append({**d, "id": f"{d['id']}-right"})
        out.append({**d, "id": f"{d['id']}-left", "points": mirror_pts(d["points"], MID)})
    out += expand(src["details"]["mid"], spec, special)
    if view == "posterior":
        out = [{**d, "points": mirror_pts(d["points"], MID)} for d in out]
    return out


def body_panel(view: str) -> dict:
    src = load(f"body-{view}")
    spec0 = body_spec(None)
    anterior = body_silhouette("anterior", spec0)
    spec = body_spec(armpit_apex(anterior))
    body = body_silhouette(view, spec)
    lm = body_landmarks(view, spec, src, anterior)
    if view == "posterior":
        lm = {k: (2 * MID - x, y) for k, (x, y) in lm.items()}
    values = {"upper_arm": ANGLES["upper_arm"], "carrying": ANGLES["forearm"] - ANGLES["upper_arm"],
              "trochanter": BODY["levels"]["trochanter"], "pubis": BODY["levels"]["pubis"], "coccyx": SK.coccyx_y}
    return {
        "id": f"body-{view}", "kind": "body", "view": view, "title": src["title"], "width": BODY_W, "height": BODY_H,
        "midline_x": MID, "side": "both", "lateral_measure": src["lateral_measure"], "source": SOURCE,
        "outlines": [exterior(body, BODY_TOLERANCE)], "details": body_details(view, spec, src), "regions": {},
        "landmarks": lm, "measures": measures(src), "notes": [n.format(**values) for n in BODY["notes"] + src["notes"]],
    }


# --------------------------------------------------------------------------------------------
# Foot panels: one B-cun is FOOT_CUN units on all of them (feet.yaml)
# --------------------------------------------------------------------------------------------

FEET = load("feet")
FS = FEET["side"]
FOOT_CUN = FEET["cun"]
FOOT_LEN = A["foot_length"] / (A["ankle"] / FEET["malleolus_sole_cun"]) * FOOT_CUN      # 351 units
SOLE_Y = FS["sole_y"]
MALL_Y = SOLE_Y - FEET["malleolus_sole_cun"] * FOOT_CUN - FS["mall_inside_sole"]
FOOT_NOTES = [n.format(cun=FOOT_CUN, foot_cun=FOOT_LEN / FOOT_CUN) for n in FEET["notes"]]


def foot_spec(medial: bool, frames: dict | None = None) -> Spec:
    """Levels of the side foot panels: sole, mall, mx, top, cut, leg-<n> (see feet.yaml)."""
    mx = FS["heel_x"] + FS["mall_fraction"]["medial" if medial else "lateral"] * FOOT_LEN
    top = MALL_Y - FS["top_cun"] * FOOT_CUN
    lv = {"sole": SOLE_Y, "mall": MALL_Y, "mx": mx, "top": top, "cut": top + FS["cut_above_top"]}
    lv.update({f"leg-{n}": MALL_Y - n * FOOT_CUN for n in FS["leg_cun"]})
    return Spec(lv, frames or {})


def lateral_foot_contour() -> list:
    """Outline of the lateral foot from the front of the ankle over the toes and the sole round the
    heel to the back of the ankle (foot-panel units)."""
    sp, shape = foot_spec(False), FS["lateral"]
    return ([sp.point(FS["ankle_front"])] + sp.points(shape["dorsum"])[::-1] + sp.points(shape["toes"])[::-1]
            + sp.points(shape["sole"])[::-1] + sp.points(FS["heel"]))


# --------------------------------------------------------------------------------------------
# The full-body lateral view (body-lateral): the patient's right side, seen from the right
# --------------------------------------------------------------------------------------------

LAT = load("body-lateral")
PLUMB_X = LAT["plumb_x"]
LAT_MALL_DX, LAT_MALL_Y = LAT["malleolus"]


def L(dx: float, y: float):
    """A point `dx` in front of the plumb line (+x is anterior) at height y."""
    return (PLUMB_X + dx, y)


def lat_foot(x: float, y: float):
    """Foot-panel point (foot-lateral panel) -> body-lateral point.

    The foot keeps the body's proportions: 0.152H long, and the malleolus as high above the lowest
    point of the sole as on the front and back views (the foot panel's 3 B-cun are a little more).
    """
    mx = foot_spec(False).levels["mx"]
    sx = span(A["foot_length"]) / FOOT_LEN
    sy = (FLOOR_Y - LAT_MALL_Y) / (SOLE_Y + FS["lowest_sole"] - MALL_Y)
    return (PLUMB_X + LAT_MALL_DX + (x - mx) * sx, LAT_MALL_Y + (y - MALL_Y) * sy)


class LateralArm:
    """Joint centres of the hanging right arm and frames on its segments (v > 0 is anterior)."""

    def __init__(self) -> None:
        self.shoulder = (PLUMB_X + LAT["shoulder"][0], LAT["shoulder"][1])
        self.arm_dir, self.forearm_dir, self.hand_dir = (fwd(LAT["angles"][k]) for k in ("upper_arm", "forearm", "hand"))
        self.elbow = add(self.shoulder, self.arm_dir, span(A["upper_arm"]))
        self.wrist = add(self.elbow, self.forearm_dir, span(A["forearm"]))

    def arm(self, u, v):
        return frame_point(self.shoulder, self.arm_dir, u, v, -1)

    def forearm(self, u, v):
        return frame_point(self.elbow, self.forearm_dir, u, v, -1)

    def hand(self, u, v):
        """The hand frame of hand_shape: u from the wrist crease to the fingertips, v to the thumb."""
        return frame_point(self.wrist, self.hand_dir, u, v, -1)


LA = LateralArm()


def lateral_spec() -> Spec:
    ue, uf = span(A["upper_arm"]), span(A["forearm"])
    foot = foot_spec(False).levels
    lv = {"plumb": PLUMB_X, "ue": ue, "uf": uf, "u-fold": (LAT["axillary_fold_y"] - LA.shoulder[1]) / LA.arm_dir[1],
          "vertex": VERTEX_Y, "thyroid": BODY["levels"]["thyroid"], "hiatus": SK.hiatus_y,
          "trochanter": BODY["levels"]["trochanter"], "fingertip": FINGERTIP_Y, "knee.y": SK.knee[1],
          "malleolus": LAT_MALL_Y, "malleolus.dx": LAT_MALL_DX, "wrist.x": LA.wrist[0], "wrist.y": LA.wrist[1],
          "sole": SOLE_Y, "mall": MALL_Y, "mx": foot["mx"]}
    frames = {"L": L, "arm": LA.arm, "arm_frac": lambda f, v: LA.arm(f * ue, v), "forearm": LA.forearm,
              "hand": LA.hand, "foot": lat_foot}
    return Spec(lv, frames, LAT["curves"])


def lateral_silhouette(spec: Spec):
    """(whole silhouette, arm outline drawn over the trunk)."""
    foot = [lat_foot(*p) for p in lateral_foot_contour()]
    profile = smooth_polygon(spec.points(LAT["front"]) + foot + spec.points(LAT["back"]), samples=LAT["samples"])
    arm = lateral_arm_shape(spec)
    body = largest(close_open(unary_union([profile, arm]), LAT["rounding"]["body"]))
    return body, largest(arm.intersection(body))


def lateral_arm_shape(spec: Spec) -> Polygon:
    """Right arm hanging slightly forward: deltoid cap, arm, forearm (mid-position), hand (dorsum)."""
    e, w, fa = LA.elbow, LA.wrist, LAT["forearm"]
    upper = smooth_polygon(spec.points(LAT["upper_arm"]))
    forearm = limb([e, w, add(w, LA.forearm_dir, fa["axis_beyond_wrist"])], fa["stations"], spec.levels)
    shape = close_open(unary_union([upper, forearm]), *LAT["rounding"]["limb"])
    hand = hand_shape(LA.hand, fingers=closed_fingers())
    return largest(close_open(unary_union([shape, hand]), *LAT["rounding"]["arm"]))


def occluded(lines: list, cover: Polygon, gap: float = 1.4, shortest: float = 6.0) -> list:
    """Detail lines with the parts hidden behind `cover` (the arm) taken out."""
    mask = cover.buffer(gap, quad_segs=ROUND_SEGMENTS)
    out = []
    for d in lines:
        pts = d["points"] + ([d["points"][0]] if d.get("closed") else [])
        seen = LineString(pts).difference(mask)
        pieces = [g for g in getattr(seen, "geoms", [seen]) if not g.is_empty and g.length > shortest]
        if len(pieces) == 1 and seen.equals(LineString(pts)):
            out.append(d)
            continue
        pieces.sort(key=lambda g: (round(g.coords[0][1], 3), round(g.coords[0][0], 3)))
        for i, g in enumerate(pieces):
            out.append({"id": d["id"] if i == 0 else f"{d['id']}-{i + 1}", "points": list(g.coords), "closed": False})
    return out


def lateral_finger_gaps() -> list:
    """The fingers lie together: a line between neighbours from the web to where their tips part."""
    fingers, g, out = closed_fingers(), LAT["finger_gap"], []
    for i, (f0, f1) in enumerate(zip(fingers, fingers[1:])):
        (u0, v0), (u1, v1) = finger_tip(i, fingers=fingers), finger_tip(i + 1, fingers=fingers)
        start = ((f0[1] + f1[1]) / 2 + g["from_base"], (f0[0] + f1[0]) / 2)
        end = ((u0 + u1) / 2 + g["before_tip"], (v0 + v1) / 2)
        out.append(det(f"finger-gap-{i + 1}", [LA.hand(*start), LA.hand(*end)]))
    return out


def lateral_details(spec: Spec, arm: Polygon) -> list:
    sp = foot_spec(False)
    special = {
        "foot-lines": lambda: [det(f"foot-{name}", [lat_foot(*p) for p in sp.points(pts)], closed=name.endswith("nail"))
                               for name, pts in FS["lines"].items()],
        "knuckles": lambda: [det(f"knuckle-{i + 2}", knuckle(LA.hand, u, v, HAND["knuckle_shape"]))
                             for i, (v, u) in enumerate(HAND["knuckles"])],
        "finger-gaps": lateral_finger_gaps,
        "snuffbox": lambda: [snuffbox(LA.hand)],
    }
    trunk = expand(LAT["details"]["trunk"], spec, special)
    return occluded(trunk, arm) + expand(LAT["details"]["limb"], spec, special)


def lateral_panel() -> dict:
    spec = lateral_spec()
    body, arm = lateral_silhouette(spec)
    lm = dict(spec.resolve_landmarks(LAT["landmarks"]))
    lm.update({name: LA.hand(u, v) for name, (u, v) in HAND["landmarks"].items()})
    lm["fingertip-middle"] = LA.hand(*finger_tip(HAND["middle_finger"], back=HAND["fingertip_back"],
                                                 fingers=closed_fingers()))
    ang = LAT["angles"]
    values = {"plumb_x": PLUMB_X, "upper_arm": ang["upper_arm"], "elbow_bend": ang["forearm"] - ang["upper_arm"]}
    return {
        "id": "body-lateral", "kind": "body", "view": "lateral", "title": LAT["title"], "width": LAT["width"],
        "height": BODY_H, "midline_x": None, "side": "right", "lateral_measure": None, "source": SOURCE,
        "outlines": [exterior(body, BODY_TOLERANCE), exterior(arm, BODY_TOLERANCE)],
        "details": lateral_details(spec, arm), "regions": {}, "landmarks": lm, "measures": measures(LAT),
        "notes": [n.format(**values) for n in LAT["notes"]],
    }


def side_foot(medial: bool) -> dict:
    """Right foot from the lateral side (toes to the right) or the medial side (toes to the left).

    Both are drawn toes-right and the medial one is mirrored at the end, so the shared parts
    (heel, calcaneal tendon, shin) are the same curves.
    """
    key = "foot-medial" if medial else "foot-lateral"
    sp, shape, src = foot_spec(medial), FS["medial" if medial else "lateral"], FEET[key]
    # clockwise on screen: top of the shin, down the front, over the dorsum to the toes, back along
    # the sole to the heel and up the calcaneal tendon and calf
    pts = sp.points(FS["shin"]) + [sp.point(FS["ankle_front"])] + sp.points(shape["dorsum"])[::-1]
    pts += sp.points(shape["toes"])[::-1] + sp.points(shape["sole"])[::-1] + sp.points(FS["heel"])
    pts += sp.points(shape["calf"])[::-1] + [sp.point(shape["calf_cut"])]
    # the leg is cropped with a straight cut a little above the top landmark
    top = sp.levels["top"]
    outline = cut_below(smooth_polygon(pts, samples=FS["samples"]), top + FS["crop_above_top"], FS["width"], FS["height"])
    lm = sp.resolve_landmarks({**FS["landmarks"], **src["landmarks"]})
    lines = {"line": lambda d: det(d["id"], sp.points(FS["lines"][d["line"]]), closed=d.get("closed", False))}
    details = [sp.detail(d) for d in FS["details"]]
    details += [lines["line"](d) if "line" in d else sp.detail(d) for d in src["details"]]
    if medial:
        outline = mirror_x(outline, FS["width"] / 2)
        lm = {k: (FS["width"] - x, y) for k, (x, y) in lm.items()}
        details = [{**d, "points": mirror_pts(d["points"], FS["width"] / 2)} for d in details]
    return {
        "id": key, "kind": "foot", "view": src["view"], "title": src["title"], "width": FS["width"],
        "height": FS["height"], "midline_x": None, "side": "right", "lateral_measure": "malleolus-sole",
        "source": SOURCE, "outlines": [exterior(outline)], "details": details, "regions": {}, "landmarks": lm,
        "measures": src["measures"], "notes": FOOT_NOTES + src["notes"],
    }


def foot_lateral_panel() -> dict:
    return side_foot(medial=False)


def foot_medial_panel() -> dict:
    return side_foot(medial=True)


def toe_shapes(P, base, tip) -> list:
    """(base centre, base radius, tip centre, tip radius) of each toe, little toe first; P(x, along)
    maps a toe's x offset and a position along the foot to the panel. Neighbouring toes touch along
    their length; only the tips show separately."""
    t = FEET["toes"]
    last = len(t["x"]) - 1
    return [(P(x, b), rb, P(x + (t["big_toe_shift"] if i == last else 0.0), e), rt)
            for i, (x, b, e, (rb, rt)) in enumerate(zip(t["x"], base, tip, t["radii"]))]


def toe_outline(body: Polygon, toes: list):
    return close_open(unary_union([body] + [capsule(a, ra, b, rb) for a, ra, b, rb in toes]), *FEET["toes"]["rounding"])


def dorsum_spec(d: dict) -> Spec:
    """The dorsum's levels and its {P: [x, y]} frame, which compresses the midfoot (feet.yaml)."""
    cx, ankle_y, c = d["cx"], d["ankle_y"], d["compress"]
    web_y = ankle_y + d["web"][1] + math.sqrt((d["ankle_to_web_cun"] * FOOT_CUN) ** 2 - d["web"][0] ** 2)
    near, grid, gap = c["from_below_ankle"], c["grid_toe_base"], c["web_below_base"]

    def Y(y: float) -> float:
        if y <= ankle_y + near:
            return y
        if y <= grid:
            return ankle_y + near + (y - ankle_y - near) * (web_y - gap - ankle_y - near) / (grid - ankle_y - near)
        return y - grid + web_y - gap

    return Spec({"cx": cx, "ankle": ankle_y, "web": web_y}, {"P": lambda x, y: (x, Y(y))})


def foot_dorsum_panel() -> dict:
    """Right foot from above: ankle and malleoli at the top, toes at the bottom, big toe on the
    right (medial), as the patient's right foot looks to someone facing the patient."""
    d, n, g = FEET["foot-dorsum"], FEET["foot-dorsum"]["nail"], FEET["foot-dorsum"]["toe_gap"]
    sp = dorsum_spec(d)
    cx, P = d["cx"], sp.frames["P"]
    toes = toe_shapes(lambda x, y: P(cx + x, y), d["toe_bases"], d["toe_tips"])
    body = smooth_polygon(sp.points(d["outline"]), samples=d["samples"])
    outline = cut_below(toe_outline(body, toes), d["crop_y"], d["width"], d["height"])
    lm = sp.resolve_landmarks(d["landmarks"])
    for name, i in d["nail_landmarks"].items():
        (tx, ty), rt = toes[i][2], toes[i][3]
        lm[name] = (tx + n["shift"] - n["corner_across"] * rt, ty - n["corner_back"] * rt)
    details = [sp.detail(x) for x in d["details"]]
    for i, (_b, _rb, (tx, ty), rt) in enumerate(toes):
        nail = ellipse(tx + n["shift"], ty - n["back"] * rt, n["rx"] * rt, n["ry"] * rt, n=n["n"])
        details.append(det(f"nail-{len(toes) - i}", nail, closed=True))
    for i, (a, b) in enumerate(zip(toes, toes[1:])):
        # the line where two neighbouring toes touch, from the web to where their tips part
        x = (a[2][0] + a[3] + b[2][0] - b[3]) / 2
        y0, y1 = max(a[0][1], b[0][1]) + g["below_base"], min(a[2][1], b[2][1]) + g["above_tip"]
        details.append(det(f"toe-gap-{len(toes) - 1 - i}", [(x + g["slant"], y0), (x, y1)]))
    cun = d["ankle_to_web_cun"]
    return {
        "id": "foot-dorsum", "kind": "foot", "view": "dorsum", "title": d["title"], "width": d["width"],
        "height": d["height"], "midline_x": None, "side": "right", "lateral_measure": "foot-dorsum", "source": SOURCE,
        "outlines": [exterior(outline)], "details": details, "regions": {}, "landmarks": lm,
        "measures": {"foot-dorsum": {"from": "ankle-front", "to": "second-third-web", "cun": cun,
                                     "note": d["measure_note"].format(cun=FOOT_CUN)}},
        "notes": FOOT_NOTES + [x.format(ankle_to_web=cun) for x in d["notes"]],
    }


def foot_plantar_panel() -> dict:
    """Sole of the right foot, toes up, big toe on the right (+x, medial)."""
    p = FEET["foot-plantar"]
    cx, hb = p["cx"], p["heel_back_y"]

    def S(w: float, s: float):
        """w across (+ medial), s from the back of the heel towards the toes."""
        return (cx + w, hb - s)

    sp = Spec({}, {"S": S})
    toes = toe_shapes(S, p["toe_bases"], p["toe_tips"])
    outline = largest(toe_outline(smooth_polygon(sp.points(p["outline"]), samples=p["samples"]), toes))
    heel_back = S(*p["heel_back"])
    cun = p["heel_to_web_cun"]
    dx = p["web_dx"] - p["heel_back"][0]
    lm = {"heel-back": heel_back, **sp.resolve_landmarks(p["landmarks"]),
          "second-third-web": (cx + p["web_dx"], heel_back[1] - math.sqrt((cun * FOOT_CUN) ** 2 - dx ** 2))}
    details = [sp.detail(x) for x in p["details"]] + plantar_toe_details(toes, p)
    return {
        "id": "foot-plantar", "kind": "foot", "view": "plantar", "title": p["title"], "width": p["width"],
        "height": p["height"], "midline_x": None, "side": "right", "lateral_measure": "sole-length", "source": SOURCE,
        "outlines": [exterior(outline)], "details": details, "regions": {}, "landmarks": lm,
        "measures": {"sole-length": {"from": "heel-back", "to": "second-third-web", "cun": cun,
                                     "note": p["measure_note"].format(cun=FOOT_CUN)}},
        "notes": FOOT_NOTES[:1] + p["notes"],
    }


def plantar_toe_details(toes: list, p: dict) -> list:
    """The crease at the base of each toe and its pad."""
    c, pad, out = p["toe_crease"], p["toe_pad"], []
    for i, ((bx, by), rb, (tx, ty), rt) in enumerate(toes):
        k = len(toes) - i
        out.append(det(f"toe-crease-{k}", [(bx - c["across"] * rb, by - c["ends"] * rb), (bx, by - c["middle"] * rb),
                                           (bx + c["across"] * rb, by - c["ends"] * rb)]))
        out.append({"id": f"toe-pad-{k}", "points": ellipse(tx, ty + pad["shift"] * rt, pad["rx"] * rt, pad["ry"] * rt,
                                                            n=pad["n"]), "closed": True})
    return out


# --------------------------------------------------------------------------------------------
# Hand and ear panels
# --------------------------------------------------------------------------------------------


def hand_dorsum_panel() -> dict:
    """Right hand from the back, fingers down, thumb on the right (as on the posterior view)."""
    h = load("hand-dorsum")
    cun, shown = h["cun"], h["forearm_shown"]
    k = h["hand_cun"] * cun / span(A["hand"])
    wx, wy = h["wrist"][0], h["wrist"][1] + shown * cun + h["wrist"][2]

    def f(u, v):
        return (wx + k * v, wy + k * u)

    top = wy - shown * cun + h["forearm_top_extra"]
    sp = Spec({"wx": wx, "wy": wy, "top": top}, {"f": f})
    forearm = smooth_polygon(sp.points(h["forearm"]))
    outline = cut_below(close_open(unary_union([hand_shape(f, k), forearm]), *h["rounding"]), top + h["crop_below_top"],
                        h["width"], h["height"])
    lm = {"wrist-dorsal": (wx, wy), "forearm-top": (wx + h["forearm_top_dx"], wy - shown * cun),
          **{name: f(u, v) for name, (u, v) in HAND["landmarks"].items()}}
    return {
        "id": "hand-dorsum", "kind": "hand", "view": "dorsum", "title": h["title"], "width": h["width"],
        "height": h["height"], "midline_x": None, "side": "right", "lateral_measure": "forearm-dorsal", "source": SOURCE,
        "outlines": [exterior(outline)], "details": hand_panel_details(h, sp, f, k), "regions": {}, "landmarks": lm,
        "measures": {"forearm-dorsal": {"from": "wrist-dorsal", "to": "forearm-top", "cun": shown,
                                        "note": f"the distal {shown} of the 12 B-cun from the dorsal wrist crease to the "
                                                "elbow (WHO)"}},
        "notes": [n.format(forearm_shown=shown, cun=cun) for n in h["notes"]],
    }


def hand_panel_details(h: dict, sp: Spec, f, k: float) -> list:
    """Wrist crease, ulnar head, extensor tendons, knuckles, nails, finger gaps and the snuffbox."""
    t, nail = h["tendon"], h["nail"]
    details = [sp.detail(d) for d in h["details"]]
    for i, (v, u, *_rest) in enumerate(HAND["fingers"]):
        details.append(det(f"extensor-tendon-{i + 2}", [f(t["start_u"], t["start_v"] + t["spread"] * v),
                                                        f(u * t["mid"], t["mid_spread"] * v + t["mid_shift"]),
                                                        f(u + t["end_du"], v)]))
        details.append(det(f"knuckle-{i + 2}", knuckle(f, u, v, h["knuckle_shape"])))
        tu, tv = finger_tip(i, back=nail["back"])
        rt = HAND["fingers"][i][5]
        details.append(det(f"nail-{i + 2}", ellipse(*f(tu, tv), nail["rx"] * rt * k, nail["ry"] * rt * k, n=nail["n"]),
                           closed=True))
    details += [det(f"finger-gap-{i + 1}", [f(u0, v0), f(u1, v1)]) for i, ((v0, u0), (v1, u1)) in enumerate(HAND["webs"])]
    (tu, tv), r = HAND["thumb"][-1]
    tn = h["thumb_nail"]
    details.append(det("nail-1", ellipse(*f(tu + tn["shift"][0], tv + tn["shift"][1]), tn["rx"] * r * k, tn["ry"] * r * k,
                                         n=nail["n"]), closed=True))
    return details + [snuffbox(f)]


def ear_panel() -> dict:
    """The right auricle with the GB/T 13734-2008 zones as regions and their centres as landmarks."""
    e = load("ear")
    outline = smooth_polygon(e["outline"], samples=e["samples"]["outline"])
    regions, crus = ear_regions(e, outline)
    for name, lm in e["landmarks"].items():
        if not regions[lm["in"]].contains(Point(*lm["at"])):
            raise SystemExit(f"ear: {name} is not inside the {lm['in']} region")
    landmarks = {k: tuple(v["at"]) for k, v in e["landmarks"].items()}
    for row, (y, xs) in enumerate(e["lobe_grid"]):
        landmarks.update({f"lo{len(xs) * row + col + 1}": (x, y) for col, x in enumerate(xs)})
    names = ["helix_inner", "ah_posterior", "sc_anterior", "ic_upper", "ic_lower_ah_anterior", "helix_crus_line",
             "tragus_edge", "antitragus_edge", "intertragic_notch"]
    ids = ["helix-inner", "antihelix-posterior", "superior-crus-anterior", "inferior-crus-upper", "inferior-crus-lower",
           "helix-crus", "tragus-edge", "antitragus-edge", "intertragic-notch"]
    m = e["meatus"]
    details = [det(i, [tuple(p) for p in e[n]]) for i, n in zip(ids, names)]
    details.append({"id": "meatus", "points": ellipse(*m["center"], *m["radii"], angle_deg=m["angle"], n=m["n"]),
                    "closed": True})
    tol = e["tolerance"]
    return {
        "id": "ear", "kind": "ear", "view": "lateral", "title": e["title"], "width": e["width"], "height": e["height"],
        "midline_x": None, "side": "right", "lateral_measure": None, "source": e["source"],
        "outlines": [exterior(outline, tol)], "details": details,
        "regions": {k: exterior(v, tol) for k, v in sorted(regions.items())}, "landmarks": landmarks, "measures": {},
        "notes": e["notes"],
    }


def ear_regions(e: dict, outline: Polygon):
    """The zones in priority order (each loses what the earlier ones cover); the helix is the rest."""
    regions: dict[str, Polygon] = {}
    taken = Polygon()
    opening = e["opening"]
    for name, pts in e["regions"].items():
        reg = smooth_polygon(pts, samples=e["samples"]["regions"]).intersection(outline).difference(taken)
        regions[name] = largest(close_open(reg, 0.0, opening))
        taken = unary_union([taken, regions[name]])
    crus = smooth_polygon(e["helix_crus"], samples=e["samples"]["regions"])
    helix = unary_union([outline.difference(taken), crus.difference(regions["tragus"])])
    regions["helix"] = largest(close_open(helix, 0.0, opening))
    for name in ("cymba-conchae", "cavum-conchae"):
        regions[name] = largest(close_open(regions[name].difference(crus), 0.0, opening))
    return regions, crus


def head_panel() -> dict:
    """The head and face in profile: body-lateral's head, larger, with the detail of head-lateral.yaml."""
    h = load("head-lateral")
    (x0, y0), k = h["origin"], h["scale"]

    def H(dx: float, y: float):
        return (x0 + k * dx, y0 + k * (y - VERTEX_Y))

    thyroid = BODY["levels"]["thyroid"]
    spec = Spec({"vertex": VERTEX_Y, "thyroid": thyroid, "thyroid-on-panel": H(0, thyroid)[1]}, {"H": H}, h["curves"])
    cut = H(0, h["cut_y"])[1]
    keep = Polygon([(0, 0), (h["width"], 0), (h["width"], cut), (0, cut)])
    outline = largest(smooth_polygon(spec.points(h["outline"]), samples=h["samples"]["outline"]).intersection(keep))
    regions = {name: largest(smooth_polygon(spec.points(pts), samples=h["samples"]["regions"]).intersection(outline))
               for name, pts in h["regions"].items()}
    tol = h["tolerance"]
    return {
        "id": "head-lateral", "kind": "head", "view": "lateral", "title": h["title"], "width": h["width"],
        "height": h["height"], "midline_x": None, "side": "right", "lateral_measure": h["lateral_measure"],
        "source": SOURCE, "outlines": [exterior(outline, tol)], "details": [spec.detail(d) for d in h["details"]],
        "regions": {name: exterior(r, tol) for name, r in sorted(regions.items())},
        "landmarks": dict(spec.resolve_landmarks(h["landmarks"])), "measures": measures(h),
        "notes": [n.format(scale=k) for n in h["notes"]],
    }


# --------------------------------------------------------------------------------------------
# Validation against the vocabulary (vocabulary.yaml) and the drawing rules (checks.yaml)
# --------------------------------------------------------------------------------------------

VOCABULARY = load("vocabulary")
CHECKS = load("checks")


def required(pid: str) -> dict:
    """The vocabulary of one panel, with `vertebrae: true` expanded to t1 ... s4."""
    req = dict(VOCABULARY[pid])
    if req.pop("vertebrae", False):
        req["midline"] = req["midline"][:-2] + VERTEBRAE + req["midline"][-2:]
    return req


def chain_of(pid: str) -> list:
    return [n for name in CHECKS["head_to_foot"].get(pid, []) for n in (VERTEBRAE if name == "vertebrae" else [name])]


def validate(panel: dict) -> list[str]:
    """Problems with a panel (empty when it honours the vocabulary and the drawing rules)."""
    pid, lm, req = panel["id"], panel["landmarks"], required(panel["id"])
    problems = [f"{pid}: missing landmark {name}" for name in req["midline"] + req["landmarks"] if name not in lm]
    problems += [f"{pid}: midline landmark {name} is off the midline"
                 for name in req["midline"] if name in lm and lm[name][0] != panel["midline_x"]]
    problems += landmark_problems(panel, req)
    problems += measure_problems(panel, req)
    ys = [lm[n][1] for n in chain_of(pid) if pid != "body-lateral"]
    if any(b <= a for a, b in zip(ys, ys[1:])):
        problems.append(f"{pid}: landmarks do not run head to foot ({', '.join(chain_of(pid))})")
    problems += [f"{pid}: {front} should lie in front of (+x of) {back}"
                 for front, back in CHECKS["front_back"].get(pid, []) if lm[front][0] <= lm[back][0]]
    problems += pelvis_problems(panel)
    if pid == "body-lateral":
        problems += validate_lateral(panel)
    problems += [f"{pid}: region {name} is not a valid polygon" for name, pts in panel.get("regions", {}).items()
                 if not Polygon(pts).is_valid]
    if panel["lateral_measure"] and panel["lateral_measure"] not in panel["measures"]:
        problems.append(f"{pid}: lateral_measure is not a measure")
    return problems


def landmark_problems(panel: dict, req: dict) -> list[str]:
    """Every landmark inside the silhouette, and on the patient's right unless on the midline."""
    pid, problems = panel["id"], []
    silhouette = unary_union([Polygon(o) for o in panel["outlines"]])
    for name, (x, y) in panel["landmarks"].items():
        if not silhouette.contains(Point(x, y)):
            problems.append(f"{pid}: landmark {name} ({x}, {y}) is outside the silhouette")
        if panel["midline_x"] is not None and name not in req["midline"] and x == panel["midline_x"]:
            problems.append(f"{pid}: bilateral landmark {name} sits on the midline")
        if panel["side"] == "both" and name not in req["midline"]:
            if (x > panel["midline_x"]) != (panel["view"] != "anterior"):
                problems.append(f"{pid}: landmark {name} is not on the patient's right")
    return problems


def measure_problems(panel: dict, req: dict) -> list[str]:
    pid, problems = panel["id"], []
    for name, cun in req["measures"].items():
        m = panel["measures"].get(name)
        if m is None:
            problems.append(f"{pid}: missing measure {name}")
            continue
        if cun is not None and m["cun"] != cun:
            problems.append(f"{pid}: measure {name} has {m['cun']} B-cun, the vocabulary says {cun}")
        problems += [f"{pid}: measure {name} uses unknown landmark {end}"
                     for end in (m["from"], m["to"]) if end not in panel["landmarks"]]
    return problems


def pelvis_problems(panel: dict) -> list[str]:
    """The pelvic plane: trochanter top level with the pubic symphysis / coccyx, well below the PSIS."""
    pid, lm, rule = panel["id"], panel["landmarks"], CHECKS["pelvis"]
    if pid not in rule["level_with"]:
        return []
    troch, other = lm["greater-trochanter"][1], lm[rule["level_with"][pid]][1]
    problems = []
    if abs(troch - other) > rule["tolerance"]:
        problems.append(f"{pid}: greater trochanter ({troch}) is not level with the pubic symphysis / coccyx ({other})")
    if pid == "body-posterior" and troch - lm["psis"][1] < rule["below_psis"]:
        problems.append(f"{pid}: greater trochanter is not well below the PSIS")
    return problems


def validate_lateral(panel: dict) -> list[str]:
    """The side view faces +x, runs head to foot, and nothing on the trunk hides behind the arm."""
    problems, lm, chain_ = [], panel["landmarks"], chain_of("body-lateral")
    ys = [lm[n][1] for n in chain_]
    if any(b <= a for a, b in zip(ys, ys[1:])):
        problems.append("body-lateral: landmarks do not run head to foot: "
                        + ", ".join(f"{a} ({ya}) / {b} ({yb})" for (a, ya), (b, yb) in
                                    zip(zip(chain_, ys), zip(chain_[1:], ys[1:])) if yb <= ya))
    whole, arm = Polygon(panel["outlines"][0]), Polygon(panel["outlines"][1])
    if not whole.buffer(0.6).contains(arm):
        problems.append("body-lateral: the arm outline runs outside the silhouette")
    on_arm = set(CHECKS["arm_landmarks"]) | set(HAND["landmarks"])
    problems += [f"body-lateral: {name} is hidden behind the arm" for name, (x, y) in lm.items()
                 if name not in on_arm and arm.buffer(0.5).contains(Point(x, y))]
    return problems


def validate_across(panels: dict) -> list[str]:
    """Shared landmarks at the same heights on the front, back and side views, and the head view's
    landmarks where the side view has them."""
    problems, rule = same_place_problems(panels), CHECKS["same_height"]
    side = panels["body-lateral"]["landmarks"]
    for other in ("body-anterior", "body-posterior"):
        lm = panels[other]["landmarks"]
        for entry in rule[other]:
            mine, theirs = entry if isinstance(entry, list) else (entry, entry)
            if abs(side[mine][1] - lm[theirs][1]) > rule["tolerance"]:
                problems.append(f"body-lateral: {mine} (y={side[mine][1]}) is not level with {theirs} on {other} "
                                f"(y={lm[theirs][1]})")
    return problems


def same_place_problems(panels: dict) -> list[str]:
    """head-lateral is body-lateral's head enlarged: shared landmark names at the same place."""
    rule = CHECKS["same_place"]
    h = load(rule["panel"])
    (x0, y0), k = h["origin"], h["scale"]
    near, far = panels[rule["panel"]]["landmarks"], panels[rule["as_on"]]["landmarks"]
    problems = []
    for name in sorted(set(near) & set(far)):
        x, y = (near[name][0] - x0) / k + PLUMB_X, (near[name][1] - y0) / k + VERTEX_Y
        if math.dist((x, y), far[name]) > rule["tolerance"]:
            problems.append(f"{rule['panel']}: {name} is not where {rule['as_on']} has it ({x:.1f}, {y:.1f} vs {far[name]})")
    return problems


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _r(v: float) -> float:
    v = round(float(v), 1)
    return 0.0 if v == 0 else v


def rounded(panel: dict) -> dict:
    """Round every coordinate to 0.1 (and drop consecutive duplicates that rounding creates)."""

    def pts(seq):
        out = []
        for x, y in seq:
            p = [_r(x), _r(y)]
            if not out or out[-1] != p:
                out.append(p)
        return out

    p = dict(panel)
    p["outlines"] = [pts(o) for o in panel["outlines"]]
    p["details"] = [{**d, "points": pts(d["points"])} for d in panel["details"]]
    p["regions"] = {k: pts(v) for k, v in panel.get("regions", {}).items()}
    p["landmarks"] = {k: [_r(x), _r(y)] for k, (x, y) in panel["landmarks"].items()}
    return p


def to_json(panel: dict) -> str:
    text = json.dumps(panel, indent=1, sort_keys=True, ensure_ascii=False)
    # one [x, y] pair per line keeps the files readable and diffs small
    text = re.sub(r"\[\s+(-?[0-9.]+),\s+(-?[0-9.]+)\s+\]", r"[\1, \2]", text)
    return text + "\n"


PANELS = [lambda: body_panel("anterior"), lambda: body_panel("posterior"), lateral_panel, ear_panel,
          foot_lateral_panel, foot_medial_panel, foot_dorsum_panel, foot_plantar_panel, hand_dorsum_panel, head_panel]


def build_all() -> dict[str, dict]:
    return {p["id"]: p for p in (build() for build in PANELS)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "assets" / "figures"))
    ap.add_argument("--check", action="store_true", help="only check that the files on disk are up to date")
    args = ap.parse_args(argv)
    out = Path(args.out)
    built = {pid: rounded(panel) for pid, panel in build_all().items()}
    problems = [p for panel in built.values() for p in validate(panel)] + validate_across(built)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    texts = {pid: to_json(panel) for pid, panel in built.items()}
    if args.check:
        stale = [f"{pid}.json" for pid, text in texts.items()
                 if not (out / f"{pid}.json").exists() or (out / f"{pid}.json").read_text(encoding="utf-8") != text]
        if stale:
            print("out of date: " + ", ".join(stale) + " (run python tools/build_figures.py)", file=sys.stderr)
            return 1
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for pid, text in texts.items():
        (out / f"{pid}.json").write_text(text, encoding="utf-8")
        print(f"wrote {out / f'{pid}.json'} ({sum(len(o) for o in built[pid]['outlines'])} outline points, "
              f"{len(built[pid]['landmarks'])} landmarks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
