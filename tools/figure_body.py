"""The full-body figure (front and back views) and the shared body frame, from assets/figures-src/body*.yaml."""

from __future__ import annotations

import math

import numpy as np
from figure_geometry import (
    ROUND_SEGMENTS,
    Spec,
    add,
    catmull_rom,
    chain,
    close_open,
    det,
    exterior,
    largest,
    load,
    mirror_pts,
    mirror_x,
    smooth_polygon,
    swept,
)
from shapely.geometry import Point, Polygon
from shapely.ops import unary_union

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
