#!/usr/bin/env python3
"""Generate the panel figure files `assets/figures/<panel-id>.json` for bodymap.

This is a build-time tool: the runtime code (bodymap.geometry) only reads the JSON it writes.
The format and the landmark / measure vocabulary are the contract in docs/design.md.

How the figures are made
------------------------
* The two full-body panels are one adult figure whose heights and breadths are fractions of
  stature H from the anthropometric table below (Drillis & Contini 1966, as reproduced in
  Winter's *Biomechanics and Motor Control of Human Movement*).  Each body part is a smooth
  shapely polygon (limbs are swept profiles of half-widths along a bent axis, the torso is a
  profile of half-widths at landmark heights); the parts are unioned, then rounded with a
  morphological closing (`buffer(r).buffer(-r)`) so the armpits, the crotch and the neck read
  as soft anatomical junctions.  Hands and feet are built separately, with a smaller rounding
  radius, so that fingers and toes stay separate.
* Landmarks are placed from the same numbers (joint centres, vertebral levels), so anterior
  and posterior views agree on every height.
* The lateral view (body-lateral) is the same figure in profile, facing +x: one smooth profile
  polygon (head, trunk, leg, with the foot-lateral drawing scaled on as the foot) and the arm,
  hanging a little forward, as a second outline drawn over the trunk.  It takes its landmark
  heights from the front and back views and the build checks that they agree.
* Measures are WHO proportional bone-cun (B-cun) distances (WHO Standard Acupuncture Point
  Locations in the Western Pacific Region, 2008).
* The ear, foot and hand panels are drawn from hand-placed control points passed through a
  centripetal Catmull-Rom spline, in proportions taken from the same table.
* The landmarks are the structures the WHO (2008) location texts name (outer canthus, tragus,
  thyroid cartilage, intercostal spaces, free ends of the 11th and 12th ribs, midpoint of the
  spine of the scapula, fibular head, toenail corners ...), so a data rule can say what the text
  says instead of interpolating between unrelated landmarks.
* The foot panels (lateral, medial, dorsum, sole) share one scale, FOOT_CUN units per B-cun.
* Every panel is validated before it is written: all landmarks named in docs/design.md are
  present, every landmark lies inside the silhouette, midline landmarks sit exactly on the
  midline, the midline levels of both body views run strictly downwards, and the top of the
  greater trochanter is level with the pubic symphysis (front) and the tip of the coccyx (back);
  the side view runs head to foot, faces +x, hides no trunk landmark behind the arm and shares
  its landmark heights with the front and back views.

Output is deterministic (coordinates rounded to 0.1, keys sorted), so re-running the script
gives byte-identical files.

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
from shapely import affinity
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.ops import unary_union

# --------------------------------------------------------------------------------------------
# Anthropometry
# --------------------------------------------------------------------------------------------

ANTHRO_SOURCE = (
    "Drillis & Contini (1966) segment proportions, as tabulated in Winter, Biomechanics and Motor "
    "Control of Human Movement, 4th ed. (2009), ch. 4 (segment lengths as fractions of stature H)"
)
WHO_SOURCE = (
    "WHO Standard Acupuncture Point Locations in the Western Pacific Region (2008), proportional bone (B-cun) measurements"
)
EAR_SOURCE = (
    "Auricular zones after the Chinese national standard GB/T 13734-2008 (Nomenclature and location of "
    "auricular points); cross-checked with the WHO Lyon working group nomenclature (1990) and Oleson, "
    "Auriculotherapy Manual, 4th ed. (2014)"
)

# Fractions of stature H (Winter 2009, Fig. 4.1, after Drillis & Contini 1966).
# Heights are measured from the floor; breadths and segment lengths are absolute.
ANTHRO = {
    # heights above the floor
    "vertex": 1.000,
    "eye": 0.936,
    "chin": 0.870,
    "shoulder": 0.818,          # shoulder joint centre (acromion a little above)
    "chest": 0.720,             # chest / nipple region
    "elbow": 0.630,
    "hip": 0.530,               # greater trochanter / hip joint
    "wrist": 0.485,
    "fingertip": 0.377,         # hand hanging (0.485 - 0.108)
    "knee": 0.285,
    "ankle": 0.039,             # lateral malleolus
    # breadths
    "shoulder_width": 0.259,    # bideltoid
    "chest_width": 0.174,
    "hip_width": 0.191,
    "foot_width": 0.055,
    # segment lengths
    "head": 0.130,              # vertex to chin
    "upper_arm": 0.186,
    "forearm": 0.146,
    "hand": 0.108,
    "thigh": 0.245,
    "leg": 0.246,
    "foot_length": 0.152,
}

# Panel frame of the full-body views.
BODY_W = 440.0
BODY_H = 1000.0
STATURE = 920.0
VERTEX_Y = 40.0
FLOOR_Y = VERTEX_Y + STATURE         # 960: the soles
MID = BODY_W / 2                     # midline_x


def height_y(fraction: float) -> float:
    """y of a height given as a fraction of stature above the floor."""
    return FLOOR_Y - fraction * STATURE


def span(fraction: float) -> float:
    """Length in panel units of a segment given as a fraction of stature."""
    return fraction * STATURE


# --------------------------------------------------------------------------------------------
# Small geometry helpers
# --------------------------------------------------------------------------------------------


def catmull_rom(points, closed: bool = False, samples: int = 10, alpha: float = 0.5) -> list[tuple[float, float]]:
    """Dense points of a centripetal Catmull-Rom spline through `points`.

    Centripetal (alpha 0.5) parametrisation never overshoots into loops or cusps, which matters
    for tight anatomical curves (the helix rim, finger tips).
    """
    pts = [np.asarray(p, dtype=float) for p in points]
    n = len(pts)
    if n < 3:
        return [tuple(p) for p in pts]
    if closed:
        ext = [pts[-1]] + pts + [pts[0], pts[1]]
    else:
        # reflect the end points so the curve starts and ends on them with a natural tangent
        ext = [2 * pts[0] - pts[1]] + pts + [2 * pts[-1] - pts[-2]]
    out: list[tuple[float, float]] = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        t0 = 0.0
        t1 = t0 + max(np.linalg.norm(p1 - p0), 1e-6) ** alpha
        t2 = t1 + max(np.linalg.norm(p2 - p1), 1e-6) ** alpha
        t3 = t2 + max(np.linalg.norm(p3 - p2), 1e-6) ** alpha
        for t in np.linspace(t1, t2, samples, endpoint=False):
            a1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
            a2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
            a3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
            b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
            b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
            c = (t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2
            out.append((float(c[0]), float(c[1])))
    if not closed:
        out.append(tuple(map(float, pts[-1])))
    return out


def smooth_polygon(points, samples: int = 10) -> Polygon:
    """A closed smooth polygon through control points."""
    poly = Polygon(catmull_rom(points, closed=True, samples=samples))
    return poly if poly.is_valid else poly.buffer(0)


def ellipse(cx: float, cy: float, rx: float, ry: float, angle_deg: float = 0.0, n: int = 48):
    """Points of an ellipse (closed implicitly), rotated by angle_deg around its centre."""
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    pts = []
    for k in range(n):
        t = 2 * math.pi * k / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts


def capsule(p0, r0: float, p1, r1: float) -> Polygon:
    """Tapered capsule: convex hull of two circles (a finger, a toe, the thumb)."""
    return unary_union([Point(p0).buffer(r0, quad_segs=16), Point(p1).buffer(r1, quad_segs=16)]).convex_hull


def chain(points_radii) -> Polygon:
    """Union of tapered capsules along a chain of (point, radius): a jointed finger."""
    parts = [capsule(a[0], a[1], b[0], b[1]) for a, b in zip(points_radii, points_radii[1:])]
    return unary_union(parts)


def close_open(geom, close_r: float, open_r: float = 0.0):
    """Round concave corners (closing) and then convex ones (opening)."""
    g = geom.buffer(close_r, quad_segs=16).buffer(-close_r, quad_segs=16) if close_r else geom
    if open_r:
        g = g.buffer(-open_r, quad_segs=16).buffer(open_r, quad_segs=16)
    return g


def largest(geom) -> Polygon:
    """The largest polygon of a (multi)polygon: stray slivers from buffering are dropped."""
    if isinstance(geom, MultiPolygon):
        return max(geom.geoms, key=lambda g: g.area)
    return geom


def cut_below(geom, y: float, width: float, height: float):
    """Keep what lies below y: the straight edge where a limb drawing is cropped."""
    return largest(geom.intersection(Polygon([(-1, y), (width + 1, y), (width + 1, height + 1), (-1, height + 1)])))


def mirror_x(geom, mid: float):
    return affinity.scale(geom, xfact=-1.0, yfact=1.0, origin=(mid, 0.0))


def mirror_pts(pts, mid: float):
    return [(2 * mid - x, y) for x, y in pts]


def unit(angle_deg: float):
    """Unit vector pointing down the page, turned `angle_deg` towards -x (anterior view: lateral)."""
    a = math.radians(angle_deg)
    return (-math.sin(a), math.cos(a))


def add(p, v, k: float = 1.0):
    return (p[0] + v[0] * k, p[1] + v[1] * k)


def swept(axis, stations, samples: int = 8) -> Polygon:
    """A limb as a profile swept along a (bent) axis.

    axis: control points of the limb axis, first to last (proximal to distal).
    stations: (d, w_plus, w_minus) with d the distance along the axis from its first point
    (clamped to the axis) and w_plus / w_minus the
    half-widths on the +normal and -normal side, where +normal is the axis direction turned
    clockwise on screen (for an axis running down the page it points to -x).
    The two side contours pass through the offset stations with a Catmull-Rom spline, so
    muscle bellies and joints can be placed exactly where anatomy puts them.
    """
    dense = np.array(catmull_rom(axis, samples=24))
    seg = np.linalg.norm(np.diff(dense, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    total = arc[-1]
    side_a, side_b = [], []
    for d, wa, wb in stations:
        d = min(max(d, 0.0), total)
        x = np.interp(d, arc, dense[:, 0])
        y = np.interp(d, arc, dense[:, 1])
        i = int(np.clip(np.searchsorted(arc, d), 1, len(dense) - 1))
        tx, ty = dense[i] - dense[i - 1]
        norm = math.hypot(tx, ty)
        tx, ty = tx / norm, ty / norm
        nx, ny = -ty, tx            # +normal: direction turned clockwise on screen (y down)
        side_a.append((x + nx * wa, y + ny * wa))
        side_b.append((x - nx * wb, y - ny * wb))
    a = catmull_rom(side_a, samples=samples)
    b = catmull_rom(side_b, samples=samples)
    poly = Polygon(a + b[::-1])
    return poly if poly.is_valid else poly.buffer(0)


def exterior(poly: Polygon, tolerance: float = 0.12) -> list[tuple[float, float]]:
    """Outer boundary as a clockwise-on-screen point list (no repeated closing point)."""
    poly = largest(poly).simplify(tolerance, preserve_topology=True)
    ring = list(poly.exterior.coords)[:-1]
    # start at the top-most point (then left-most) so the output does not depend on how
    # shapely happened to start the ring
    k = min(range(len(ring)), key=lambda i: (round(ring[i][1], 1), round(ring[i][0], 1)))
    ring = ring[k:] + ring[:k]
    # one orientation for every file: counter-clockwise in x-right/y-up maths, which is
    # clockwise on screen (y down)
    if not Polygon(ring).exterior.is_ccw:
        ring = [ring[0]] + ring[1:][::-1]
    return ring


def det(id_: str, points, closed: bool = False, samples: int = 6) -> dict:
    """A detail line: a smooth curve through control points."""
    pts = catmull_rom(points, closed=closed, samples=samples) if len(points) > 2 else list(points)
    return {"id": id_, "points": pts, "closed": closed}


# --------------------------------------------------------------------------------------------
# The full-body figure
# --------------------------------------------------------------------------------------------
# Everything is built in the ANTERIOR frame for the patient's RIGHT half (x < MID, the viewer's
# left) and mirrored: the silhouette of a standing body is bilaterally symmetric, and the
# posterior view is the anterior one mirrored across the midline (with heels instead of toes).

UPPER_ARM_ANGLE = 10.0     # shoulder abduction, degrees from vertical
FOREARM_ANGLE = 13.0       # + the carrying angle of the elbow
HAND_ANGLE = 13.0


class Skeleton:
    """Joint centres and vertebral levels of the figure (anterior frame, patient's right)."""

    def __init__(self) -> None:
        y = height_y
        self.vertex = (MID, VERTEX_Y)
        self.eye_y = y(ANTHRO["eye"])
        self.chin_y = y(ANTHRO["chin"])
        # arm: joint centre a little medial to the acromion, 0.818H high
        self.shoulder = (MID - 102.0, y(ANTHRO["shoulder"]) + 4.0)
        self.elbow = add(self.shoulder, unit(UPPER_ARM_ANGLE), span(ANTHRO["upper_arm"]))
        self.wrist = add(self.elbow, unit(FOREARM_ANGLE), span(ANTHRO["forearm"]))
        # leg: hip joint at trochanter height; the legs converge slightly to the ankles
        self.hip = (MID - 46.0, y(ANTHRO["hip"]))
        self.knee = (MID - 42.0, y(ANTHRO["knee"]))
        self.ankle = (MID - 38.0, y(ANTHRO["ankle"]))
        # spinous processes: C7 at cervicale height (~0.857H, stature tables), L4 on the line of
        # the iliac crests (Tuffier's line); the thoracic spacing is 1/1.4 of the lumbar one
        self.c7_y = y(0.857)
        self.crest_y = y(0.594)
        step_t = (self.crest_y - self.c7_y) / (12 + 4 * 1.4)
        step_l = 1.4 * step_t
        self.levels = {}
        for i in range(1, 13):
            self.levels[f"t{i}"] = self.c7_y + i * step_t
        for i in range(1, 6):
            self.levels[f"l{i}"] = self.levels["t12"] + i * step_l
        s1 = self.levels["l5"] + 0.75 * step_l
        for i in range(1, 5):
            self.levels[f"s{i}"] = s1 + (i - 1) * 0.5 * step_l
        # the sacral hiatus just below the 4th foramen, the tip of the coccyx about 3 cm lower
        self.hiatus_y = self.levels["s4"] + 8.0
        self.coccyx_y = self.levels["s4"] + 16.0

    @property
    def arm_dir(self):
        return unit(UPPER_ARM_ANGLE)

    @property
    def forearm_dir(self):
        return unit(FOREARM_ANGLE)

    def hand_frame(self, u: float, v: float):
        """Point of the right hand: u along the hand axis from the wrist, v towards the thumb."""
        d = unit(HAND_ANGLE)
        nrm = (-d[1], d[0])         # +normal of a downward axis: -x, lateral on the anterior view
        return (self.wrist[0] + d[0] * u + nrm[0] * v, self.wrist[1] + d[1] * u + nrm[1] * v)

    def arm_frame(self, joint, direction, v: float, u: float = 0.0):
        """Point at `u` along `direction` from `joint` and `v` towards the lateral side."""
        nrm = (-direction[1], direction[0])
        return (joint[0] + direction[0] * u + nrm[0] * v, joint[1] + direction[1] * u + nrm[1] * v)


SK = Skeleton()

# Pelvic levels.  In the standing anatomical position the top of the greater trochanter, the
# upper border of the pubic symphysis and the tip of the coccyx lie at about one horizontal
# level, a hand's breadth below the iliac crest and well below the PSIS (S2).  Drillis &
# Contini's 0.530H "hip" line is the hip joint (SK.hip, which the leg is swept from); drawn as
# the trochanter it would sit at S3, so the trochanter gets its own level here.
PUBIS_Y = 486.0                          # upper border of the pubic symphysis (anterior view)
TROCHANTER_Y = 488.0                     # top / prominence of the greater trochanter (both views)
FINGERTIP_Y = height_y(ANTHRO["fingertip"])  # middle fingertip with the arm hanging at the side


def body_head() -> Polygon:
    """Head (frontal outline, cranium to chin) with the ears."""
    half = [
        (MID - 21.0, 43.2), (MID - 33.5, 52.0), (MID - 39.8, 66.0), (MID - 41.2, 84.0),
        (MID - 40.6, 104.0), (MID - 38.6, 120.0), (MID - 35.2, 133.0), (MID - 30.0, 144.0),
        (MID - 22.0, 153.0), (MID - 11.0, 158.6),
    ]
    pts = [(MID, VERTEX_Y)] + half + [(MID, SK.chin_y)] + mirror_pts(half, MID)[::-1]
    head = smooth_polygon(pts, samples=12)
    ear = smooth_polygon([
        (MID - 39.0, 94.0), (MID - 43.5, 92.5), (MID - 46.5, 97.0), (MID - 47.2, 106.0),
        (MID - 45.6, 116.0), (MID - 42.8, 123.5), (MID - 39.0, 126.0), (MID - 37.0, 110.0),
    ])
    return unary_union([head, ear, mirror_x(ear, MID)])


# (y, half-width) of the trunk: neck, trapezius slope, chest, waist, pelvis, down to the crotch.
TRUNK_PROFILE = [
    (128.0, 29.0), (150.0, 29.5), (160.0, 31.0), (168.0, 35.0), (176.0, 43.0), (184.0, 56.0),
    (191.0, 72.0), (196.5, 87.0), (201.0, 99.0), (207.0, 105.0), (222.0, 100.0), (236.0, 88.0),
    (250.0, 82.5), (268.0, 80.0), (290.0, 79.5), (310.0, 77.5), (335.0, 73.5), (362.0, 68.5),
    (382.0, 67.5), (402.0, 70.0), (424.0, 77.0), (448.0, 84.5), (472.0, 88.0), (486.0, 87.0),
    (500.0, 82.0), (512.0, 62.0), (520.0, 32.0),
]
CROTCH_Y = 525.0


def body_trunk() -> Polygon:
    half = [(MID - w, y) for y, w in TRUNK_PROFILE]
    right_side = catmull_rom(half, samples=8)
    left_side = mirror_pts(right_side, MID)[::-1]
    return Polygon(right_side + [(MID, CROTCH_Y)] + left_side).buffer(0)


def body_arm() -> Polygon:
    """Upper arm and forearm, palms forward, swept along shoulder-elbow-wrist."""
    s, e, w = SK.shoulder, SK.elbow, SK.wrist
    lead = 0.0
    # the sweep starts at the joint, inside the shoulder cap, so its top edge never shows
    axis = [s, e, w, add(w, SK.forearm_dir, 10.0)]
    ue = lead + span(ANTHRO["upper_arm"])
    uw = ue + span(ANTHRO["forearm"])
    # (distance, lateral half-width, medial half-width): deltoid, its insertion, biceps,
    # epicondyles, the brachioradialis / flexor mass below the elbow, the slim distal forearm
    stations = [
        (0, 19.0, 16.0), (20, 23.5, 18.0), (40, 22.8, 19.5), (64, 20.5, 19.5), (96, 19.5, 20.0),
        (135, 18.0, 18.5), (ue - 6, 18.5, 19.0), (ue, 19.0, 19.5), (ue + 24, 22.5, 20.5),
        (ue + 54, 20.0, 17.5), (ue + 90, 16.5, 15.0), (uw - 14, 15.0, 14.0), (uw, 15.3, 14.6),
        (uw + 6, 15.3, 14.6),
    ]
    arm = swept(axis, stations)
    # round shoulder cap: the deltoid over the head of the humerus
    cap = Point(s[0] - 5.0, s[1] + 11.0).buffer(21.5, quad_segs=24)
    return unary_union([arm, cap])


def body_leg() -> Polygon:
    h, k, a = SK.hip, SK.knee, SK.ankle
    lead = 20.0
    axis = [(h[0], h[1] - lead), h, k, a, (a[0], a[1] + 12.0)]
    uk = lead + span(ANTHRO["thigh"])
    ua = uk + span(ANTHRO["leg"])
    # (distance, lateral, medial): upper thigh, vastus medialis just above the knee, the knee,
    # tibial condyles, calf (medial head of gastrocnemius fuller and lower), slim ankle, malleoli
    stations = [
        (0, 40.0, 40.0), (lead, 42.3, 44.0), (lead + 40, 43.2, 44.0), (lead + 90, 41.5, 38.5),
        (lead + 140, 38.0, 33.0), (lead + 180, 33.5, 30.5), (lead + 205, 29.5, 30.0),
        (uk, 27.5, 26.8), (uk + 20, 27.0, 25.2), (uk + 44, 28.5, 29.0), (uk + 66, 28.8, 31.5),
        (uk + 96, 26.5, 28.5), (uk + 136, 21.5, 21.5), (uk + 176, 17.0, 16.5), (ua - 20, 15.8, 15.4),
        (ua - 2, 18.2, 17.4), (ua + 12, 17.0, 16.0),
    ]
    return swept(axis, stations)


# The hand in its own frame: u (hand units, 99 = hand length 0.108H) from the wrist crease towards
# the fingertips, v across the hand towards the thumb.  Proportions: metacarpophalangeal joints
# at about 0.47L from the wrist crease, middle finger 0.53L, palm breadth 0.45L; in the
# anatomical position the thumb lies along the radial border, its tip level with the proximal
# phalanx of the index.
HAND_PALM = [(-8, 15.5), (6, 17.0), (20, 18.5), (34, 18.5), (46, 19.6), (52, 12.0), (53, 0.0), (51, -10.0),
             (46, -19.0), (32, -20.5), (14, -17.5), (-8, -14.8)]
# (base v, base u, length, spread angle towards the thumb, base radius, tip radius)
HAND_FINGERS = [
    (14.8, 47.0, 46.0, 8.0, 5.2, 4.1),     # index
    (4.8, 48.0, 51.0, 2.5, 5.4, 4.3),      # middle
    (-5.2, 47.0, 48.0, -3.0, 5.1, 4.1),    # ring
    (-14.4, 43.5, 39.0, -9.0, 4.5, 3.6),   # little
]
HAND_THUMB = [((10, 11.0), 9.2), ((24, 19.5), 8.4), ((37, 25.5), 7.2), ((51, 29.5), 6.2), ((63, 31.5), 5.4)]


# The same fingers held together, as in a relaxed hand hanging at the side (lateral view).
HAND_FINGERS_CLOSED = [(v, u, length, spread * 0.35, rb, rt) for v, u, length, spread, rb, rt in HAND_FINGERS]


def finger_tip(i: int, back: float = 0.0, fingers=None):
    """(u, v) of finger i's tip centre (0 = index), `back` hand units short of the end."""
    v, u, length, ang, _rb, rt = (fingers or HAND_FINGERS)[i]
    a = math.radians(ang)
    return (u + (length - rt - back) * math.cos(a), v + (length - rt - back) * math.sin(a))


def hand_shape(f, k: float = 1.0, fingers=None) -> Polygon:
    """Right hand: palm, four slightly spread fingers and the thumb, through the mapping f(u, v).

    k is the panel units per hand unit, so radii and rounding scale with the drawing; `fingers`
    replaces HAND_FINGERS (e.g. HAND_FINGERS_CLOSED).
    """
    fingers = fingers or HAND_FINGERS
    parts = [smooth_polygon([f(u, v) for u, v in HAND_PALM])]
    for i, (v, u, length, ang, rb, rt) in enumerate(fingers):
        a = math.radians(ang)
        knuckle = (u + 0.5 * length * math.cos(a), v + 0.5 * length * math.sin(a))
        parts.append(chain([(f(u, v), rb * k), (f(*knuckle), ((rb + rt) / 2 + 0.25) * k),
                            (f(*finger_tip(i, fingers=fingers)), rt * k)]))
    parts.append(chain([(f(u, v), r * k) for (u, v), r in HAND_THUMB]))
    return close_open(unary_union(parts), 0.8 * k, 0.5 * k)


def body_hand() -> Polygon:
    return hand_shape(SK.hand_frame)


def body_foot(view: str) -> Polygon:
    """Right foot seen from the front (toes towards the viewer) or from behind (the heel)."""
    ax, ay = SK.ankle

    def f(dx, dy):
        return (ax + dx, ay + dy)

    if view == "anterior":
        body = smooth_polygon([
            f(-16.5, -8), f(-19.5, 6), f(-22.5, 20), f(-24.0, 30), f(-20, 35), f(0, 37), f(17, 37),
            f(20.5, 30), f(19.0, 15), f(16.5, 1), f(15.5, -8),
        ])
        toes = [(12.4, 39.2, 7.7), (2.6, 41.0, 4.9), (-5.3, 40.2, 4.5), (-12.2, 38.6, 4.2), (-18.6, 36.0, 3.8)]
        parts = [body] + [Point(f(dx, dy)).buffer(r, quad_segs=16) for dx, dy, r in toes]
        return close_open(unary_union(parts), 1.2, 0.5)
    heel = smooth_polygon([
        f(-16.5, -8), f(-17.8, 8), f(-16.5, 22), f(-12.5, 32), f(-4, 36.6), f(5, 36.6), f(11.5, 32),
        f(14.8, 22), f(15.6, 8), f(15.0, -8),
    ])
    # the forefoot, turned out a little, shows beside the heel
    fore = smooth_polygon([f(-13, 24), f(-23, 27), f(-27, 32), f(-23, 35.6), f(-8, 35.6), f(-6, 28)])
    return close_open(unary_union([heel, fore]), 2.5, 0.5)


def body_silhouette(view: str) -> Polygon:
    core = unary_union([body_head(), body_trunk(), body_arm(), body_leg()])
    core = unary_union([core, mirror_x(core, MID)])
    # round the armpits, the crotch and the neck-shoulder junction, then soften convex corners
    core = close_open(core, 5.0, 2.0)
    # a wider rounding where the trapezius runs into the deltoid, so the shoulder reads as one curve
    for sign in (1, -1):
        box = Polygon([(MID + sign * 78, 186), (MID + sign * 140, 186), (MID + sign * 140, 245), (MID + sign * 78, 245)])
        core = unary_union([core, close_open(core, 14.0).intersection(box)])
    extremities = unary_union([body_hand(), body_foot(view)])
    extremities = unary_union([extremities, mirror_x(extremities, MID)])
    body = unary_union([core, extremities])
    body = close_open(body, 1.0)
    body = largest(body)
    if view == "posterior":
        body = mirror_x(body, MID)
    return body


def armpit_apex(body: Polygon):
    """Top of the gap between the right arm and the trunk (anterior frame)."""
    ring = np.array(body.exterior.coords)
    sel = ring[(ring[:, 0] > MID - 102) & (ring[:, 0] < MID - 80) & (ring[:, 1] > 225) & (ring[:, 1] < 320)]
    k = int(np.argmin(sel[:, 1]))
    return (float(sel[k, 0]), float(sel[k, 1]))


# Curves shared by the detail lines and the landmarks placed on them (anterior frame, the
# patient's right half).  Posterior ones are mirrored with the rest of the posterior view.

def scapula_spine_curve():
    """Spine of the scapula, from its root (T3) to the acromial angle."""
    lv = SK.levels
    return [(MID - 37.5, lv["t3"]), (MID - 58.0, 209.0), (MID - 82.0, 205.5), (MID - 101.0, 205.0)]


def iliac_crest_curve():
    """Posterior iliac crest, from the PSIS up over its highest point to the flank."""
    return [(MID - 27.0, SK.levels["s2"] - 6.0), (MID - 33.0, 432.0), (MID - 47.0, 418.0), (MID - 64.0, SK.crest_y - 0.5),
            (MID - 76.0, 420.0)]


def sacrum_border_curve():
    """Lateral border of the sacrum and coccyx, from below the PSIS to the tip of the coccyx."""
    return [(MID - 27.0, SK.levels["s2"] + 2.0), (MID - 15.0, 476.0), (MID - 4.0, SK.coccyx_y)]


def rib12_curve():
    """12th rib, from beside the T12 spinous process down and out to its free end."""
    return [(MID - 10.0, 331.0), (MID - 34.0, 348.0), (MID - 57.0, 369.0)]


INGUINAL = [(MID - 62.0, 445.0), (MID - 46.0, 460.0), (MID - 29.0, 474.0), (MID - 12.0, PUBIS_Y - 1.0)]
# sternocleidomastoid on the front view: anterior border (mastoid region to the sternal head)
# and posterior border (behind the ear lobe to the middle of the clavicle)
SCM_ANTERIOR = [(MID - 32.0, 130.0), (MID - 26.0, 152.0), (MID - 16.0, 178.0), (MID - 7.5, 197.5)]
SCM_POSTERIOR = [(MID - 29.0, 150.0), (MID - 30.0, 164.0), (MID - 31.5, 178.0), (MID - 33.0, 190.0), (MID - 34.0, 202.0)]
THYROID_Y = 176.0      # upper border of the thyroid cartilage (laryngeal prominence), about C4
CLAVICLE = [(MID - 9.0, 201.0), (MID - 30.0, 203.5), (MID - 55.0, 205.5), (MID - 80.0, 203.2), (MID - 99.0, 205.5)]
CLAVICLE_HALF_THICKNESS = 4.5   # the drawn line is the middle of the bone, about 1.7 cm thick


def _dense(points, samples: int = 40) -> np.ndarray:
    return np.array(catmull_rom(points, samples=samples) if len(points) > 2 else points)


def curve_at_x(points, x: float) -> tuple[float, float]:
    """The point of a (roughly x-monotonic) detail curve at abscissa x."""
    d = _dense(points)
    for (x0, y0), (x1, y1) in zip(d, d[1:]):
        if min(x0, x1) <= x <= max(x0, x1) and x0 != x1:
            return (x, y0 + (y1 - y0) * (x - x0) / (x1 - x0))
    raise SystemExit(f"curve_at_x: {x} is outside the curve")


def curve_at_y(points, y: float) -> tuple[float, float]:
    """The point of a (roughly y-monotonic) detail curve at ordinate y."""
    d = _dense(points)
    for (x0, y0), (x1, y1) in zip(d, d[1:]):
        if min(y0, y1) <= y <= max(y0, y1) and y0 != y1:
            return (x0 + (x1 - x0) * (y - y0) / (y1 - y0), y)
    raise SystemExit(f"curve_at_y: {y} is outside the curve")


def curve_fraction(points, frac: float) -> tuple[float, float]:
    """The point at fraction `frac` of a detail curve's arc length."""
    d = _dense(points)
    seg = np.linalg.norm(np.diff(d, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    target = frac * arc[-1]
    return (float(np.interp(target, arc, d[:, 0])), float(np.interp(target, arc, d[:, 1])))


def lateral_edge(body: Polygon, y: float, x_range: tuple[float, float]) -> float:
    """x of the silhouette's boundary at height y within x_range (anterior frame)."""
    line = Polygon([(x_range[0], y - 0.01), (x_range[1], y - 0.01), (x_range[1], y + 0.01), (x_range[0], y + 0.01)])
    hit = body.exterior.intersection(line.buffer(0.02))
    xs = [c[0] for g in getattr(hit, "geoms", [hit]) for c in getattr(g, "coords", [])]
    if not xs:
        raise SystemExit(f"lateral_edge: no outline at y={y} in {x_range}")
    return min(xs)


def lerp(a, b, t: float):
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


# Intercostal spaces on the front of the chest: levels on the anterior median line, counted with
# the traditional 1.6 B-cun per space of the 9 B-cun sternal measure (CV21 1 B-cun below CV22, then
# CV20 ... CV16 each 1.6 B-cun lower): the 4th space is the nipple level and the 5th the
# xiphisternal junction.  Points "in the nth space, k B-cun from the midline" are placed
# horizontally from these levels, as the WHO figures draw them.
def ics_level(n: int) -> float:
    notch, xiph = 203.0, 296.0
    return notch + (1.0 + 1.6 * n) * (xiph - notch) / 9.0


# Hand landmarks shared by the hand-dorsum panel and the back of the hand on the posterior view,
# as (u, v) hand units: u from the wrist crease towards the fingertips, v towards the thumb.
HAND_DORSUM_LANDMARKS = {
    "first-second-mc-junction": (9.0, 12.5),
    "first-web": (45.5, 21.8),
    "second-mc-mid-radial": (27.0, 17.0),
    "fifth-mcp-ulnar": (39.0, -17.8),
    "second-third-mc-junction": (8.0, 8.0),
    "fourth-fifth-mc-junction": (8.0, -10.0),
}


def body_landmarks(view: str, body_anterior: Polygon) -> dict:
    """Landmarks in the anterior frame (patient's right at x < MID); mirrored later if needed."""
    e, w = SK.elbow, SK.wrist
    apex = armpit_apex(body_anterior)
    fold = (apex[0] + 1.0, apex[1] - 5.0)     # just above the armpit, on the fold
    knee, ankle = SK.knee, SK.ankle
    ax, ay = ankle
    # the thigh's outer edge at the height of the hanging middle fingertip (GB31), a little inside
    thigh_edge = lateral_edge(body_anterior, FINGERTIP_Y, (MID - 110.0, MID - 60.0))
    common = {
        "vertex": (MID, VERTEX_Y + 1.5),
        "acromion": (MID - 104.0, 206.0),
        "greater-trochanter": (MID - 84.5, TROCHANTER_Y),
        # lateral malleolus 0.039H above the floor; the medial one ~1 cm higher and less prominent
        "lateral-malleolus": (ankle[0] - 14.0, ankle[1] + 2.5),
        "medial-malleolus": (ankle[0] + 13.0, ankle[1] - 4.0),
        # humeral epicondyles a little above the level of the cubital crease; the medial one is
        # the more prominent
        "lateral-epicondyle": SK.arm_frame(e, SK.arm_dir, 15.0, -3.0),
        "medial-epicondyle": SK.arm_frame(e, SK.arm_dir, -17.0, -3.0),
        "fibula-head": (knee[0] - 21.0, 716.0),
        "fingertip-middle": SK.hand_frame(*finger_tip(1, back=1.5)),
        "fingertip-level-thigh": (thigh_edge + 4.0, FINGERTIP_Y),
    }
    if view == "anterior":
        notch_y, xiph_y = 203.0, 296.0
        lm = {
            "hairline-anterior": (MID, 61.0),
            "glabella": (MID, 91.0),
            "nose-tip": (MID, 118.0),
            "philtrum-mid": (MID, 126.0),              # midway between the nose base (121) and the lip (131)
            "mentolabial-groove": (MID, 145.0),
            "chin": (MID, SK.chin_y - 2.0),
            "thyroid-prominence": (MID, THYROID_Y),
            "suprasternal-notch": (MID, notch_y),
            # the level of the lower border of the medial half of the clavicle (2 B-cun from the midline)
            "clavicle-lower-level": (MID, curve_at_x(CLAVICLE, MID - 26.0)[1] + CLAVICLE_HALF_THICKNESS),
            "ics1-level": (MID, ics_level(1)),
            "ics2-level": (MID, ics_level(2)),
            "ics3-level": (MID, ics_level(3)),
            # 4th intercostal space; Winter's 0.720H "chest" line runs a little lower (see notes)
            "nipple-level": (MID, 280.0),
            "ics5-level": (MID, ics_level(5)),
            "ics6-level": (MID, ics_level(6)),
            "xiphisternal": (MID, xiph_y),
            "umbilicus": (MID, 403.0),                 # L3-L4 level, just above the iliac crests
            "pubic-symphysis": (MID, PUBIS_Y),         # upper border, level with the trochanters
            "frontal-hairline-corner": (MID - 29.0, 68.0),
            "eyebrow-lateral-end": (MID - 29.0, 90.0),
            "eyebrow-mid": (MID - 16.5, 88.5),         # the eyebrow directly above the pupil
            "eye-inner": (MID - 8.5, 99.0),
            "pupil": (MID - 16.5, 99.0),               # interpupillary distance 0.036H
            "eye-outer": (MID - 24.5, 98.0),
            # Taiyang: one finger-breadth behind the midpoint of the eyebrow end and the outer canthus
            "temple": (MID - 35.5, 94.5),
            "zygomatic-arch-mid": (MID - 37.0, 104.5),
            "zygoma-below-canthus": (MID - 24.5, 111.5),   # lower border of the zygoma under the outer canthus
            "tragus": (MID - 39.5, 109.5),
            "nose-wing": (MID - 9.0, 116.0),           # midpoint of the lateral border of the ala
            "mouth-corner": (MID - 12.0, 135.0),
            "mandible-angle": (MID - 27.5, 145.0),
            "scm-anterior-border": curve_at_y(SCM_ANTERIOR, THYROID_Y),
            "scm-posterior-border": curve_at_y(SCM_POSTERIOR, THYROID_Y),
            "supraclavicular-fossa": (MID - 52.0, 197.5),  # above the clavicle on the nipple line (4 B-cun)
            "clavicle-mid": (MID - 55.0, 205.5),
            "coracoid": (MID - 84.0, 219.0),
            "nipple": (MID - 52.0, 280.0),
            "axillary-fold-anterior": fold,
            "axilla-apex": (apex[0] + 0.5, apex[1] - 2.5),
            # free ends of the floating ribs at the flank
            "rib11-tip": (MID - 63.0, 372.0),
            "rib12-tip": (MID - 65.0, 382.0),
            "cubital-center": e,
            "cubital-lateral": SK.arm_frame(e, SK.arm_dir, 14.0),
            "cubital-medial": SK.arm_frame(e, SK.arm_dir, -14.0),
            # the edges of the biceps tendon on the cubital crease (LU5 lateral, PC3 medial)
            "biceps-tendon-lateral": SK.arm_frame(e, SK.arm_dir, 4.0),
            "biceps-tendon-medial": SK.arm_frame(e, SK.arm_dir, -3.0),
            "wrist-palmar": w,
            "asis": (MID - 60.0, 440.0),
            "femoral-artery-inguinal": curve_at_x(INGUINAL, MID - 30.0),
            "pubic-level-thigh": (knee[0] - 0.5, PUBIS_Y),
            "patella-base": (knee[0] - 0.5, 667.0),
            "patella-base-lateral": (knee[0] - 9.5, 671.0),
            "patella-base-medial": (knee[0] + 8.5, 671.0),
            "patella-apex": (knee[0] - 0.5, 693.0),
            "knee-eye-lateral": (knee[0] - 12.0, 701.0),
            "knee-eye-medial": (knee[0] + 11.0, 701.0),
            "tibial-tuberosity": (knee[0] + 0.5, 722.0),
            "tibia-medial-condyle": (knee[0] + 20.0, 718.0),
            "ankle-front": (ax, ay + 2.5),
            # the forefoot, foreshortened (seen from the front and a little above): the same
            # landmarks as on the dorsum panel, at the same fractions of the ankle-to-toe length
            "navicular-tuberosity": (ax + 15.5, ay + 8.0),
            "first-metatarsal-base": (ax + 17.0, ay + 17.0),
            "first-mtp": (ax + 18.0, ay + 29.0),
            "first-second-mt-junction": (ax + 6.5, ay + 18.0),
            "fourth-fifth-mt-junction": (ax - 15.5, ay + 20.0),
            "first-web": (ax + 7.2, ay + 36.5),
            "second-third-web": (ax - 1.4, ay + 37.0),
            "fourth-fifth-web": (ax - 15.8, ay + 34.0),
            "big-toe-tip": (ax + 12.0, ay + 44.0),
            # lateral corners of the toenails (the jing-well points)
            "big-toe-nail-lateral": (ax + 8.8, ay + 43.2),
            "toe-2-tip": (ax + 0.2, ay + 43.0),
            "toe-4-tip": (ax - 14.2, ay + 40.3),
            "little-toe-tip": (ax - 20.3, ay + 37.6),
        }
    else:
        lv = SK.levels
        hair_y = 132.0
        hair_cun = (SK.c7_y - hair_y) / 3          # hairline-c7 = 3 B-cun
        spine = scapula_spine_curve()
        spine_mid = curve_fraction(spine, 0.5)
        inferior_angle = (MID - 48.0, lv["t7"])
        crease_end = (apex[0] - 0.5, apex[1] - 2.5)
        lm = {
            "inion": (MID, 106.0),
            # GV16: the depression directly below the external occipital protuberance, between the
            # trapezius muscles (1 B-cun above the posterior hairline)
            "suboccipital-depression": (MID, hair_y - hair_cun),
            # upper border of the spinous process of the axis (GV15, BL10): 0.5 B-cun above the hairline
            "c2": (MID, hair_y - 0.5 * hair_cun),
            "hairline-posterior": (MID, hair_y),
            "c7": (MID, SK.c7_y),
            **{name: (MID, yv) for name, yv in lv.items()},
            "sacral-hiatus": (MID, SK.hiatus_y),
            "coccyx": (MID, SK.coccyx_y),
            "ear-apex": (MID - 43.5, 95.5),
            "mastoid": (MID - 35.0, 122.0),
            # GB20: the hollow between the upper ends of sternocleidomastoid and trapezius, under
            # the occipital bone at the level of the suboccipital depression
            "scm-trapezius-gap": (MID - 21.0, hair_y - hair_cun),
            "acromioclavicular-notch": (MID - 91.0, 202.0),
            "scapula-superior-angle": (MID - 46.0, lv["t2"]),
            "scapula-spine-root": (MID - 38.0, lv["t3"]),
            "scapula-spine-mid": spine_mid,
            # SI11: one third of the way from the middle of the spine to the inferior angle
            "infraspinous-fossa-center": lerp(spine_mid, inferior_angle, 1 / 3),
            "scapula-inferior-angle": inferior_angle,
            "axillary-fold-posterior": fold,
            "axillary-crease-posterior-end": crease_end,
            # SI10: under the lower border of the spine, straight above the end of the crease
            "scapula-spine-lateral-lower": (crease_end[0], curve_at_x(spine, crease_end[0])[1] + 4.5),
            "rib12-tip": rib12_curve()[-1],
            "olecranon": (e[0], e[1] - 2.0),
            "wrist-dorsal": w,
            **{name: SK.hand_frame(u, v) for name, (u, v) in HAND_DORSUM_LANDMARKS.items()},
            "iliac-crest": (MID - 64.0, SK.crest_y),
            "iliac-crest-posterior": curve_at_x(iliac_crest_curve(), MID - 43.0),
            "iliac-crest-lateral": curve_at_x(iliac_crest_curve(), MID - 73.0),
            "psis": (MID - 27.0, lv["s2"]),
            "sacral-border-lateral": curve_at_y(sacrum_border_curve(), lv["s3"]),
            "ischial-tuberosity": (MID - 30.0, 514.0),
            "gluteal-fold": (MID - 44.0, 527.0),
            "popliteal-center": knee,
            "popliteal-lateral": (knee[0] - 18.0, knee[1]),
            "popliteal-medial": (knee[0] + 17.0, knee[1]),
            "calf-bulge": (knee[0] + 1.0, 762.0),
            # BL57: about 8 B-cun below the popliteal crease on the 16 B-cun line
            "gastrocnemius-junction": (knee[0] + 2.0, knee[1] + 8 * (ankle[1] + 2.5 - knee[1]) / 16),
            "heel": (ankle[0], ankle[1] + 33.0),
        }
    lm.update(common)
    return lm


# WHO B-cun measures that more than one body view carries, defined once.
SHARED_MEASURES = {
    "hairline-glabella": {"from": "hairline-anterior", "to": "glabella", "cun": 3},
    "hairline-c7": {"from": "hairline-posterior", "to": "c7", "cun": 3},
    "knee-ankle-anterior": {
        "from": "knee-eye-lateral", "to": "ankle-front", "cun": 16,
        "note": "ST35 to ST41 (WHO: popliteal crease / knee joint line to the prominence of the lateral malleolus, 16)",
    },
}


def body_measures(view: str) -> dict:
    if view == "anterior":
        return {
            "hairline-glabella": SHARED_MEASURES["hairline-glabella"],
            "hairline-corner-midline": {
                "from": "hairline-anterior", "to": "frontal-hairline-corner", "cun": 4.5,
                "note": "WHO: between the two frontal hairline corners, 9; half of it from the midline",
            },
            "sternum": {"from": "suprasternal-notch", "to": "xiphisternal", "cun": 9},
            "xiphoid-umbilicus": {"from": "xiphisternal", "to": "umbilicus", "cun": 8},
            "umbilicus-pubis": {"from": "umbilicus", "to": "pubic-symphysis", "cun": 5},
            "nipple-midline": {"from": "nipple-level", "to": "nipple", "cun": 4},
            "arm-anterior": {"from": "axillary-fold-anterior", "to": "cubital-center", "cun": 9},
            "forearm-palmar": {"from": "cubital-center", "to": "wrist-palmar", "cun": 12},
            "pubis-patella": {
                "from": "pubic-level-thigh", "to": "patella-base", "cun": 18,
                "note": "WHO: the level of the upper border of the pubic symphysis to the base of the patella, measured "
                        "vertically down the thigh from the point at the pubic level straight above the patella",
            },
            "knee-ankle-anterior": SHARED_MEASURES["knee-ankle-anterior"],
            "tibia-malleolus": {"from": "tibia-medial-condyle", "to": "medial-malleolus", "cun": 13},
        }
    return {
        "hairline-c7": SHARED_MEASURES["hairline-c7"],
        "scapula-midline": {"from": "t3", "to": "scapula-spine-root", "cun": 3},
        "gluteal-popliteal": {"from": "gluteal-fold", "to": "popliteal-center", "cun": 14},
        "trochanter-popliteal": {"from": "greater-trochanter", "to": "popliteal-lateral", "cun": 19},
        "popliteal-malleolus": {"from": "popliteal-center", "to": "lateral-malleolus", "cun": 16},
        "arm-posterior": {"from": "axillary-fold-posterior", "to": "olecranon", "cun": 9},
        "forearm-dorsal": {"from": "olecranon", "to": "wrist-dorsal", "cun": 12},
    }


def hand_details(view: str) -> list:
    """Finger separations from the webs, and a palm crease or knuckle hints."""
    f = SK.hand_frame
    out = []
    webs = [((9.8, 52.5), (12.0, 63.0)), ((-0.2, 54.0), (-0.4, 64.5)), ((-9.8, 51.5), (-10.6, 61.0))]
    for i, ((v0, u0), (v1, u1)) in enumerate(webs):
        out.append(det(f"finger-gap-{i + 1}", [f(u0, v0), f(u1, v1)]))
    if view == "anterior":
        out.append(det("thenar-crease", [f(4, 4.0), f(16, 7.5), f(30, 11.5), f(42, 13.0)]))
        out.append(det("palm-crease", [f(36, -19.0), f(38, -8.0), f(40, 2.0), f(41, 8.0)]))
    else:
        for i, (v, u) in enumerate([(14.8, 44.5), (4.8, 45.5), (-5.2, 44.5), (-14.4, 41.0)]):
            out.append(det(f"knuckle-{i + 1}", [f(u + 1.5, v - 3.2), f(u - 0.4, v), f(u + 1.5, v + 3.2)]))
    return out


def body_details(view: str) -> list:
    """Interior lines, anterior frame, each bilateral one for the patient's right side."""
    e, w = SK.elbow, SK.wrist
    knee, ankle = SK.knee, SK.ankle
    ax, ay = ankle
    right: list[dict] = []     # bilateral details, right side; mirrored below
    mid: list[dict] = []       # midline details
    right.append(det("elbow-crease" if view == "anterior" else "olecranon",
                     [SK.arm_frame(e, SK.arm_dir, 11.0, 1.0), SK.arm_frame(e, SK.arm_dir, 0.0, 2.6),
                      SK.arm_frame(e, SK.arm_dir, -11.0, 1.0)] if view == "anterior" else
                     [SK.arm_frame(e, SK.arm_dir, 6.0, 2.0), SK.arm_frame(e, SK.arm_dir, 0.0, 6.5),
                      SK.arm_frame(e, SK.arm_dir, -6.0, 2.0)]))
    right.append(det("wrist-crease", [SK.arm_frame(w, SK.forearm_dir, 11.5, -1.0), SK.arm_frame(w, SK.forearm_dir, 0.0, 0.6),
                                      SK.arm_frame(w, SK.forearm_dir, -11.0, -1.0)]))
    right += hand_details(view)
    if view == "anterior":
        right.append(det("sternocleidomastoid", SCM_ANTERIOR))
        right.append(det("sternocleidomastoid-posterior", SCM_POSTERIOR))
        # eye, eyebrow and the wing of the nose, kept faint: they carry the facial landmarks
        right.append(det("eye", [(MID - 8.5, 99.0), (MID - 12.5, 96.6), (MID - 16.5, 95.9), (MID - 21.0, 96.5),
                                 (MID - 24.5, 98.0), (MID - 20.5, 100.6), (MID - 16.5, 101.2), (MID - 12.0, 100.7)],
                         closed=True))
        right.append(det("eyebrow", [(MID - 6.5, 90.5), (MID - 11.5, 88.4), (MID - 16.5, 87.6), (MID - 23.0, 88.0),
                                     (MID - 29.0, 90.0)]))
        right.append(det("nose-wing", [(MID - 6.5, 112.5), (MID - 9.3, 115.0), (MID - 9.0, 118.0), (MID - 6.0, 119.6)]))
        right.append(det("rib-11", [(MID - 57.0, 360.0), (MID - 60.5, 366.5), (MID - 63.0, 372.0)]))
        right.append(det("clavicle", CLAVICLE))
        right.append(det("deltopectoral", [(MID - 83.0, 211.0), (MID - 86.0, 226.0), (MID - 90.0, 242.0)]))
        right.append(det("pectoral", [(MID - 3.0, 284.0), (MID - 22.0, 297.0), (MID - 48.0, 299.0), (MID - 70.0, 289.0),
                                      (MID - 74.0, 279.0), (MID - 77.0, 271.0)]))
        right.append(det("costal-margin", [(MID - 4.0, 301.0), (MID - 20.0, 311.0), (MID - 38.0, 324.0), (MID - 54.0, 339.0),
                                           (MID - 63.0, 352.0)]))
        right.append(det("inguinal", INGUINAL))
        right.append(det("patella", [(knee[0] - 0.5, 667.0), (knee[0] - 9.5, 671.0), (knee[0] - 10.8, 681.0),
                                     (knee[0] - 6.0, 690.5), (knee[0] - 0.5, 693.0), (knee[0] + 5.0, 690.5),
                                     (knee[0] + 9.8, 681.0), (knee[0] + 8.5, 671.0)], closed=True))
        right.append(det("vastus-medialis", [(knee[0] + 21.0, 646.0), (knee[0] + 18.5, 660.0), (knee[0] + 14.0, 670.0),
                                             (knee[0] + 10.5, 676.0)]))
        right.append(det("patellar-ligament", [(knee[0] - 5.0, 697.0), (knee[0] - 3.8, 709.0), (knee[0] - 2.2, 719.0)]))
        right.append(det("tibial-crest", [(knee[0] + 2.5, 736.0), (knee[0] + 3.2, 790.0), (knee[0] + 4.2, 850.0)]))
        right.append(det("malleolus-lateral", [(ax - 16.0, 918.0), (ax - 11.5, 924.0), (ax - 12.5, 933.0)]))
        right.append(det("malleolus-medial", [(ax + 14.5, 912.0), (ax + 10.5, 917.0), (ax + 11.5, 925.0)]))
        # toes: a short line between neighbours
        for i, (dx, dy) in enumerate([(7.4, 38.0), (-1.6, 38.5), (-9.2, 37.2), (-16.0, 35.2)]):
            right.append(det(f"toe-gap-{i + 1}", [(ax + dx, ay + dy), (ax + dx - 0.3, ay + dy + 5.0)]))
        # a quiet face: only the base of the nose and the line of the lips
        mid.append(det("nose", [(MID - 5.0, 118.8), (MID - 2.0, 120.4), (MID + 2.0, 120.4), (MID + 5.0, 118.8)]))
        mid.append(det("mouth", [(MID - 10.0, 135.2), (MID, 135.6), (MID + 10.0, 135.2)]))
        mid.append(det("hairline", [(MID - 39.0, 86.0), (MID - 35.5, 73.0), (MID - 29.0, 66.0), (MID - 15.0, 61.8), (MID, 61.0),
                                    (MID + 15.0, 61.8), (MID + 29.0, 66.0), (MID + 35.5, 73.0), (MID + 39.0, 86.0)]))
        mid.append(det("sternal-notch", [(MID - 7.0, 199.0), (MID - 3.5, 202.6), (MID, 203.4), (MID + 3.5, 202.6),
                                         (MID + 7.0, 199.0)]))
        mid.append(det("linea-alba", [(MID, 302.0), (MID, 340.0), (MID, 394.0)]))
        mid.append({"id": "navel", "points": ellipse(MID, 403.0, 3.2, 4.2, n=20), "closed": True})
    else:
        lv = SK.levels
        right.append(det("scapula", [
            (MID - 46.0, lv["t2"]), (MID - 62.0, 198.0), (MID - 80.0, 203.0), (MID - 90.0, 213.0), (MID - 89.0, 228.0),
            (MID - 78.0, 248.0), (MID - 60.0, 264.0), (MID - 48.0, lv["t7"] + 1.5), (MID - 43.0, 255.0), (MID - 38.5, 232.0),
            (MID - 37.5, lv["t3"]), (MID - 40.0, 205.0),
        ], closed=True))
        right.append(det("scapula-spine", scapula_spine_curve()))
        right.append(det("iliac-crest", iliac_crest_curve()))
        right.append(det("sacrum", sacrum_border_curve()))
        right.append(det("rib-12", rib12_curve()))
        right.append(det("gluteal-fold", [(MID - 5.0, 520.0), (MID - 22.0, 526.5), (MID - 44.0, 528.5), (MID - 64.0, 524.0),
                                          (MID - 79.0, 514.0)]))
        right.append(det("popliteal-crease", [(knee[0] - 17.0, knee[1] - 2.0), (knee[0], knee[1] + 1.2),
                                              (knee[0] + 16.0, knee[1] - 2.0)]))
        right.append(det("gastrocnemius-medial", [(knee[0] + 22.0, 772.0), (knee[0] + 15.0, 796.0), (knee[0] + 4.5, 811.0)]))
        right.append(det("gastrocnemius-lateral", [(knee[0] - 20.0, 766.0), (knee[0] - 12.0, 790.0), (knee[0] - 3.5, 806.0)]))
        right.append(det("calcaneal-tendon-lateral", [(ax - 4.5, 826.0), (ax - 4.8, 880.0), (ax - 5.0, 940.0)]))
        right.append(det("calcaneal-tendon-medial", [(ax + 5.5, 826.0), (ax + 4.8, 880.0), (ax + 4.8, 940.0)]))
        right.append(det("malleolus-lateral", [(ax - 16.0, 918.0), (ax - 11.5, 925.0), (ax - 12.5, 934.0)]))
        right.append(det("malleolus-medial", [(ax + 15.0, 912.0), (ax + 11.0, 918.0), (ax + 11.5, 926.0)]))
        mid.append(det("spine", [(MID, SK.c7_y), (MID, 300.0), (MID, lv["s4"] + 5.0)]))
        mid.append(det("gluteal-cleft", [(MID, lv["s4"] - 2.0), (MID, 500.0), (MID, 519.0)]))
        mid.append(det("nape-hairline", [(MID - 30.0, 125.0), (MID - 15.0, 130.5), (MID, 132.0), (MID + 15.0, 130.5),
                                         (MID + 30.0, 125.0)]))
    out = []
    for d in right:
        base = d["id"]
        out.append({**d, "id": f"{base}-right"})
        out.append({**d, "id": f"{base}-left", "points": mirror_pts(d["points"], MID)})
    out += mid
    if view == "posterior":
        out = [{**d, "points": mirror_pts(d["points"], MID)} for d in out]
    return out


def body_panel(view: str) -> dict:
    anterior = body_silhouette("anterior")
    body = body_silhouette(view)
    lm = body_landmarks(view, anterior)
    if view == "posterior":
        lm = {k: (2 * MID - x, y) for k, (x, y) in lm.items()}
    notes = [
        "Stature H = 920 units (vertex y=40, soles y=960); heights and breadths from the Drillis & Contini "
        "fractions in ANTHRO (tools/build_figures.py).",
        f"Arms abducted {UPPER_ARM_ANGLE:g} degrees at the shoulder with a {FOREARM_ANGLE - UPPER_ARM_ANGLE:g} degree "
        "carrying angle at the elbow, palms forward (anatomical position).",
        "WHO B-cun measures are not mutually proportional on a real body; each measure is placed on its own "
        "landmarks, so one B-cun differs between regions (e.g. the 9 B-cun sternum is shorter per cun than the "
        "8 B-cun xiphoid-umbilicus distance).",
    ]
    notes.append(f"The top of the greater trochanter (y={TROCHANTER_Y:g}) is level with the upper border of the pubic "
                 f"symphysis (y={PUBIS_Y:g}) and the tip of the coccyx (y={SK.coccyx_y:.0f}), a hand's breadth below "
                 "the iliac crest; the hip joint the leg is drawn from stays on Drillis & Contini's 0.530H line.")
    notes.append("fingertip-middle is the drawn (slightly abducted) middle fingertip; fingertip-level-thigh is the point "
                 "on the outer thigh at the height of the middle fingertip with the arm hanging straight at the side "
                 "(0.377H), where GB31 is found.")
    if view == "anterior":
        notes.append("nipple-level sits at the 4th intercostal space (y=280), above Winter's 0.720H 'chest' line, to keep "
                     "it above the xiphisternal junction. The other ics<n>-level landmarks count 1.6 B-cun of the "
                     "sternal measure per space from 1 B-cun below the suprasternal notch, so the 5th space is level with "
                     "the xiphisternal junction; the 6th is the level of that space on the nipple line.")
        notes.append("Face: interpupillary distance and eye width from the head breadth; the outer canthus a little higher "
                     "than the inner. tragus and zygomatic-arch-mid sit at the side of the head, where the front view "
                     "shows them.")
        notes.append("The feet are drawn as if seen slightly from above, so the toes reach below the sole line; the forefoot "
                     "landmarks sit at the same fractions of the ankle-to-web length as on the dorsum panel. The toe *-tip "
                     "landmarks except big-toe-tip are the lateral corners of the toenails.")
    else:
        notes.append("Spinous processes: C7 at cervicale height (0.857H, a stature-table value rather than Winter's), L4 on "
                     "the line of the iliac crests (0.594H); thoracic spacing = lumbar spacing / 1.4; S1-S4 at the "
                     "posterior sacral foramina, S2 level with the PSIS. c2 is the upper border of the spinous process "
                     "of the axis (0.5 B-cun above the posterior hairline, the level of GV15 and BL10), unlike the "
                     "other vertebral landmarks, which mark the lower border.")
        notes.append("Scapula: superior angle at T2, root of the spine at T3, inferior angle at T7; scapula-spine-mid is the "
                     "midpoint of the drawn spine from its root to the acromial angle.")
        notes.append("The hand landmarks are those of the hand-dorsum panel, in the same hand proportions.")
    return {
        "id": f"body-{view}",
        "kind": "body",
        "view": view,
        "title": "Anterior view" if view == "anterior" else "Posterior view",
        "width": BODY_W,
        "height": BODY_H,
        "midline_x": MID,
        "side": "both",
        "lateral_measure": "nipple-midline" if view == "anterior" else "scapula-midline",
        "source": f"{ANTHRO_SOURCE}; measures: {WHO_SOURCE}",
        "outlines": [exterior(body)],
        "details": body_details(view),
        "regions": {},
        "landmarks": lm,
        "measures": body_measures(view),
        "notes": notes,
    }



# --------------------------------------------------------------------------------------------
# The full-body lateral view (body-lateral): the patient's right side, seen from the right
# --------------------------------------------------------------------------------------------
# The same figure as the front and back views (stature, vertex and sole lines, and every shared
# landmark at the same height), drawn in profile facing +x (the viewer's right), as the ear and
# the lateral foot panel are.  Drillis & Contini give lengths, not depths: the front-to-back
# depths are drawn to ordinary adult proportions (head length about 0.11H, chest depth about
# 0.12H, waist depth about 0.10H, knee 0.06H, ankle 0.04H).  The figure stands close to the
# ideal alignment of the postural plumb line as Kendall et al. describe it (Muscles: Testing and
# Function with Posture and Pain): a vertical through the external auditory meatus, the
# acromion and the greater trochanter passes close to the knee joint and in front of the
# lateral malleolus.
# The right arm hangs a little forward of that line, elbow slightly bent, so that the flank,
# the hip and the iliotibial band stay visible behind it; with the forearm in mid-position
# (thumb forward) the back of the hand and the dorsal forearm face the viewer.

LAT_W = 380.0
PLUMB_X = 150.0                       # the plumb line: ear canal, acromion, greater trochanter
LAT_UPPER_ARM_ANGLE = 14.0            # shoulder flexion, degrees forward of vertical
LAT_FOREARM_ANGLE = 22.0
LAT_HAND_ANGLE = 17.0
LAT_SHOULDER = (PLUMB_X + 6.0, 214.0)  # centre of the humeral head, just in front of the acromion
LAT_MALL_DX = -5.0                    # lateral malleolus, a little behind the plumb line
LAT_MALL_Y = 926.6                    # as on the front and back views


def L(dx: float, y: float):
    """A point `dx` in front of the plumb line (+x is anterior) at height y."""
    return (PLUMB_X + dx, y)


def lat_foot(p):
    """Foot-panel point (foot-lateral panel) -> body-lateral point.

    The foot keeps the body's proportions: 0.152H long, and the malleolus as high above the lowest
    point of the sole as on the front and back views (the foot panel's 3 B-cun are a little more).
    """
    mx = HEEL_X + 0.265 * FOOT_LEN
    sx = span(ANTHRO["foot_length"]) / FOOT_LEN
    sy = (FLOOR_Y - LAT_MALL_Y) / (SOLE_Y + 1.5 - MALL_Y)
    return (PLUMB_X + LAT_MALL_DX + (p[0] - mx) * sx, LAT_MALL_Y + (p[1] - MALL_Y) * sy)


def fwd(angle_deg: float):
    """Unit vector down the page turned `angle_deg` forwards (+x)."""
    a = math.radians(angle_deg)
    return (math.sin(a), math.cos(a))


class LateralArm:
    """Joint centres of the hanging right arm and frames on its segments (v > 0 is anterior)."""

    def __init__(self) -> None:
        self.shoulder = LAT_SHOULDER
        self.arm_dir = fwd(LAT_UPPER_ARM_ANGLE)
        self.forearm_dir = fwd(LAT_FOREARM_ANGLE)
        self.hand_dir = fwd(LAT_HAND_ANGLE)
        self.elbow = add(self.shoulder, self.arm_dir, span(ANTHRO["upper_arm"]))
        self.wrist = add(self.elbow, self.forearm_dir, span(ANTHRO["forearm"]))

    @staticmethod
    def frame(joint, d, u: float, v: float):
        n = (d[1], -d[0])            # anterior normal of a downward axis
        return (joint[0] + d[0] * u + n[0] * v, joint[1] + d[1] * u + n[1] * v)

    def arm(self, u, v):
        return self.frame(self.shoulder, self.arm_dir, u, v)

    def forearm(self, u, v):
        return self.frame(self.elbow, self.forearm_dir, u, v)

    def hand(self, u, v):
        """The hand frame of hand_shape: u from the wrist crease to the fingertips, v to the thumb."""
        return self.frame(self.wrist, self.hand_dir, u, v)


LA = LateralArm()

# Outline of the upper arm (u along the humerus from the joint centre, v forwards), round from
# the top of the shoulder down the front to the elbow and back up behind
_UE = span(ANTHRO["upper_arm"])
LAT_UPPER_ARM = [
    (-15.5, -3.0), (-12.5, 8.0), (-6.0, 17.0), (4.0, 25.0), (18.0, 28.0), (42.0, 24.5), (64.0, 21.5), (84.0, 21.0),
    (108.0, 22.4), (132.0, 21.4), (152.0, 19.4), (_UE - 4.0, 18.8), (_UE + 8.0, 19.5),
    (_UE + 8.0, -20.5), (_UE - 2.0, -22.6), (_UE - 14.0, -21.2), (140.0, -20.6), (112.0, -21.6), (86.0, -23.0),
    (60.0, -25.0), (36.0, -26.8), (16.0, -27.5), (0.0, -24.5), (-10.0, -16.0),
]

# Profile of the head, trunk and leg as (dx from the plumb line, y) control points, clockwise on
# screen: from the top of the head down the face, the front of the neck, chest, abdomen, thigh,
# knee and shin to the ankle; the foot; then up the back from the heel to the crown.
LAT_FRONT = [
    # crown, forehead, brow; the anterior hairline at y 61 and the glabella at y 91
    (4.0, 40.0), (22.0, 41.6), (37.0, 46.5), (48.0, 54.0), (55.0, 63.0), (59.0, 74.0), (61.0, 84.0), (61.2, 89.5),
    # nasion, nose, lips, chin: pronasale y 118, subnasale y 122, lips y 131-138, chin y 158
    (58.3, 95.5), (61.0, 101.5), (65.0, 108.5), (69.6, 115.5), (70.2, 118.6), (67.2, 121.3), (61.8, 122.6),
    (62.6, 127.0), (63.6, 130.8), (60.6, 134.0), (62.0, 137.6), (58.4, 142.0), (57.0, 145.4), (60.4, 150.6),
    (59.6, 156.0), (53.6, 160.4),
    # under the chin, throat (thyroid prominence y 176), base of the neck at the suprasternal notch
    (44.0, 162.6), (36.0, 165.4), (31.5, 169.5), (29.8, 175.0), (28.6, 181.0), (27.4, 189.0), (29.0, 198.5),
    # chest (pectoral), abdomen (navel y 403), groin
    (35.0, 208.0), (45.0, 222.0), (54.0, 240.0), (60.0, 258.0), (63.0, 275.0), (62.2, 290.0), (57.5, 303.0),
    (55.2, 318.0), (55.0, 340.0), (56.2, 362.0), (58.0, 384.0), (59.4, 404.0), (58.0, 425.0), (54.6, 447.0),
    (49.6, 466.0), (45.2, 481.0), (43.2, 492.0),
    # thigh (rectus femoris), the patella (base y 667, apex y 693), patellar ligament, tibial tuberosity
    (46.0, 506.0), (48.8, 528.0), (48.6, 560.0), (45.4, 595.0), (40.4, 628.0), (35.0, 652.0), (33.2, 663.0),
    (35.6, 675.0), (35.4, 688.0), (31.6, 699.5), (33.2, 716.0), (31.0, 740.0),
    # the shin, down to the front of the ankle
    (28.8, 790.0), (26.0, 840.0), (21.5, 882.0), (16.0, 905.0),
]
LAT_BACK = [
    # calcaneal tendon, calf, popliteal fossa (bottom to top)
    (-23.2, 898.0), (-24.5, 868.0), (-28.5, 832.0), (-33.5, 798.0), (-37.0, 768.0), (-35.2, 742.0), (-29.4, 718.0),
    (-24.6, 700.0),
    # back of the thigh (hamstrings), the gluteal fold, the buttock
    (-25.8, 680.0), (-29.4, 650.0), (-33.4, 615.0), (-37.4, 575.0), (-40.4, 545.0), (-43.8, 531.0),
    (-52.0, 523.5), (-57.8, 509.0), (-59.4, 492.0), (-57.6, 474.0), (-52.8, 456.0),
    # lumbar lordosis, thoracic kyphosis, the prominence of C7 (y 171.6)
    (-46.8, 437.0), (-40.4, 418.0), (-35.2, 398.0), (-33.0, 378.0), (-34.0, 358.0), (-38.0, 335.0), (-43.0, 310.0),
    (-47.2, 285.0), (-49.0, 260.0), (-48.0, 235.0), (-44.0, 212.0), (-37.0, 192.0), (-29.0, 174.0),
    # back of the neck, occiput (inion y 106), crown
    (-26.2, 160.0), (-25.2, 146.0), (-26.6, 134.0), (-31.0, 124.0), (-36.2, 116.0), (-40.2, 107.0), (-42.6, 96.0),
    (-42.6, 82.0), (-39.2, 66.0), (-32.2, 54.0), (-22.0, 45.0), (-10.0, 41.0),
]


def lateral_profile() -> Polygon:
    front = [L(*p) for p in LAT_FRONT]
    back = [L(*p) for p in LAT_BACK]
    foot = [lat_foot(p) for p in lateral_foot_contour()]
    return smooth_polygon(front + foot + back, samples=8)


def lateral_arm_shape() -> Polygon:
    """Right arm hanging slightly forward: deltoid cap, arm, forearm (mid-position), hand (dorsum)."""
    e, w = LA.elbow, LA.wrist
    uf = span(ANTHRO["forearm"])
    # the upper arm in its own frame (u down the humerus from the joint, v forwards): the deltoid
    # cap over the head of the humerus, narrowing to its insertion; biceps in front, triceps behind,
    # the olecranon at the back of the elbow
    upper = smooth_polygon([LA.arm(u, v) for u, v in LAT_UPPER_ARM])
    # forearm in mid-position, (distance, posterior = ulnar, anterior = radial half-width):
    # brachioradialis in front below the elbow, the slim wrist
    stations = [(0, 22.0, 19.0), (10, 21.4, 19.6), (28, 20.4, 22.4), (58, 18.4, 20.0), (92, 15.4, 16.4),
                (uf - 14, 14.4, 15.0), (uf, 14.6, 15.4), (uf + 6, 14.6, 15.4)]
    forearm = swept([e, w, add(w, LA.forearm_dir, 10.0)], stations)
    limb = close_open(unary_union([upper, forearm]), 5.0, 1.0)
    hand = hand_shape(LA.hand, fingers=HAND_FINGERS_CLOSED)
    return largest(close_open(unary_union([limb, hand]), 1.0, 0.5))


def lateral_silhouette():
    """(whole silhouette, arm outline drawn over the trunk)."""
    arm = lateral_arm_shape()
    body = largest(close_open(unary_union([lateral_profile(), arm]), 2.0))
    return body, largest(arm.intersection(body))


# Detail curves of the lateral view, as (dx, y) control points.
LAT_ILIAC_CREST = [(45.0, 440.0), (37.0, 428.0), (24.0, 420.0), (6.0, 417.6), (-15.0, 413.6), (-33.0, 419.0),
                   (-45.0, 436.0), (-50.0, 452.0)]
# the posterior border of the iliotibial band, continuing the anterior border of gluteus maximus
LAT_ITB_POSTERIOR = [(-10.0, 504.0), (-5.0, 540.0), (0.0, 613.2), (4.0, 660.0), (9.0, 690.0), (17.0, 712.0)]
LAT_SCM_ANTERIOR = [(-10.0, 125.0), (3.0, 148.0), (16.0, 172.0), (24.0, 190.0), (28.0, 201.0)]
LAT_SCM_POSTERIOR = [(-18.0, 128.0), (-7.0, 151.0), (6.0, 177.0), (15.0, 204.0)]


def lateral_landmarks() -> dict:
    ue = span(ANTHRO["upper_arm"])
    fold_y = 251.5                                        # the axillary folds, as on the other views
    u_fold = (fold_y - LA.shoulder[1]) / LA.arm_dir[1]
    crest = [L(*p) for p in LAT_ILIAC_CREST]
    scm_a = [L(*p) for p in LAT_SCM_ANTERIOR]
    scm_p = [L(*p) for p in LAT_SCM_POSTERIOR]
    lm = {
        # head and neck
        "vertex": L(4.0, VERTEX_Y + 1.5),
        "hairline-anterior": L(51.5, 61.0),
        "glabella": L(58.0, 91.0),
        "frontal-hairline-corner": L(37.0, 68.0),
        "eyebrow-lateral-end": L(44.0, 90.0),
        "eye-outer": L(45.5, 98.0),
        "temple": L(36.0, 94.5),
        "zygomatic-arch-mid": L(22.0, 104.5),
        "zygoma-below-canthus": L(45.5, 111.5),
        "nose-wing": L(61.0, 116.5),
        "mouth-corner": L(53.0, 135.0),
        "tragus": L(3.5, 109.5),
        "ear-apex": L(-8.0, 95.5),
        "mastoid": L(-15.0, 122.0),
        "mandible-angle": L(5.0, 145.0),
        "scm-trapezius-gap": L(-26.0, 118.8),
        "hairline-posterior": L(-24.2, 132.0),
        "c7": L(-26.0, 171.6),
        "thyroid-prominence": L(26.6, THYROID_Y),
        "scm-anterior-border": curve_at_y(scm_a, THYROID_Y),
        "scm-posterior-border": curve_at_y(scm_p, THYROID_Y),
        # shoulder and arm
        "acromioclavicular-notch": L(-5.0, 202.0),
        "acromion": L(0.0, 206.0),
        "arm-axillary-level": LA.arm(u_fold, 0.0),
        "deltoid-insertion": LA.arm(0.46 * ue, 1.0),
        "lateral-epicondyle": LA.arm(ue - 6.0, -2.0),
        "cubital-lateral": LA.arm(ue - 1.0, 9.0),
        "olecranon": LA.arm(ue - 5.0, -17.0),
        "wrist-dorsal": LA.wrist,
        "snuffbox": LA.forearm(span(ANTHRO["forearm"]) - 2.0, 12.0),
        **{name: LA.hand(u, v) for name, (u, v) in HAND_DORSUM_LANDMARKS.items()},
        "fingertip-middle": LA.hand(*finger_tip(1, back=1.5, fingers=HAND_FINGERS_CLOSED)),
        # trunk: the axilla itself is hidden by the arm; the point is on the midaxillary line
        # where it comes out behind the arm at the level of the axilla
        "axilla-midaxillary": L(-12.5, 256.0),
        "rib11-tip": L(13.0, 372.0),
        "rib12-tip": L(-8.0, 376.0),
        "iliac-crest": L(-15.0, 413.5),
        "iliac-crest-lateral": curve_at_x(crest, PLUMB_X + 6.0),
        "asis": L(44.0, 440.0),
        "psis": L(-50.0, 456.8),
        "sacral-hiatus": L(-53.5, SK.hiatus_y),
        "greater-trochanter": L(-1.0, TROCHANTER_Y),
        "gluteal-fold": L(-40.0, 527.0),
        # lower limb
        "fingertip-level-thigh": L(-2.0, FINGERTIP_Y),
        "patella-base": L(29.0, 667.0),
        "patella-apex": L(28.0, 693.0),
        "knee-crease-lateral": L(-18.5, SK.knee[1]),
        "knee-eye-lateral": L(25.0, 701.0),
        "fibula-head": L(-8.0, 716.0),
        "tibial-tuberosity": L(29.0, 722.0),
        "lateral-malleolus": L(LAT_MALL_DX, LAT_MALL_Y),
        # the middle of the front of the ankle, level with the malleolus as on the front view (the
        # hollow between shin and instep is a little higher in profile)
        "ankle-front": L(17.5, LAT_MALL_Y),
    }
    mx = HEEL_X + 0.265 * FOOT_LEN
    lm.update({
        "calcaneal-tendon": lat_foot((108.0, MALL_Y)),
        "heel": lat_foot((66.0, SOLE_Y - 28.0)),
        "sole-below-malleolus": lat_foot((mx, SOLE_Y - 3.0)),
        "fifth-metatarsal-base": lat_foot((mx + 78.0, SOLE_Y - 10.0)),
        "little-toe-tip": lat_foot((372.0, SOLE_Y - 12.0)),
    })
    return lm


def lateral_measures() -> dict:
    return {
        "hairline-glabella": SHARED_MEASURES["hairline-glabella"],
        "hairline-c7": SHARED_MEASURES["hairline-c7"],
        "arm-lateral": {
            "from": "arm-axillary-level", "to": "lateral-epicondyle", "cun": 9,
            "note": "WHO: the axillary folds to the cubital crease, 9; measured down the lateral arm from the level of the "
                    "folds to the lateral epicondyle",
        },
        "forearm-lateral": {
            "from": "lateral-epicondyle", "to": "wrist-dorsal", "cun": 12,
            "note": "WHO: the cubital crease to the dorsal wrist crease, 12; the epicondyle stands for the elbow crease",
        },
        "axilla-rib11": {
            "from": "axilla-midaxillary", "to": "rib11-tip", "cun": 12,
            "note": "WHO: the apex of the axillary fossa to the free end of the 11th rib, 12",
        },
        "trochanter-popliteal": {"from": "greater-trochanter", "to": "knee-crease-lateral", "cun": 19},
        "popliteal-malleolus-lateral": {"from": "knee-crease-lateral", "to": "lateral-malleolus", "cun": 16},
        "knee-ankle-anterior": SHARED_MEASURES["knee-ankle-anterior"],
        "malleolus-sole": {"from": "lateral-malleolus", "to": "sole-below-malleolus", "cun": 3},
    }


def occluded(lines: list, cover: Polygon, gap: float = 1.4) -> list:
    """Detail lines with the parts hidden behind `cover` (the arm) taken out."""
    mask = cover.buffer(gap, quad_segs=16)
    out = []
    for d in lines:
        pts = d["points"] + ([d["points"][0]] if d.get("closed") else [])
        seen = LineString(pts).difference(mask)
        pieces = [g for g in getattr(seen, "geoms", [seen]) if not g.is_empty and g.length > 6.0]
        if len(pieces) == 1 and seen.equals(LineString(pts)):
            out.append(d)
            continue
        for i, g in enumerate(sorted(pieces, key=lambda g: (round(g.coords[0][1], 3), round(g.coords[0][0], 3)))):
            out.append({"id": d["id"] if i == 0 else f"{d['id']}-{i + 1}", "points": list(g.coords), "closed": False})
    return out


def lateral_details(arm: Polygon) -> list:
    ue = span(ANTHRO["upper_arm"])
    uf = span(ANTHRO["forearm"])
    a, fa, h = LA.arm, LA.forearm, LA.hand

    def Lp(points):
        return [L(*p) for p in points]

    trunk = [
        # ear: rim, the inner margin of the helix, the antihelix and the concha round the meatus
        det("ear", Lp([(0.5, 99.0), (-3.0, 93.6), (-9.0, 92.6), (-15.0, 95.4), (-18.0, 101.5), (-18.4, 109.0),
                       (-16.4, 116.5), (-12.8, 122.5), (-8.0, 127.6), (-3.0, 127.4), (0.2, 123.0), (1.6, 118.5),
                       (4.6, 114.0), (5.0, 108.0), (3.2, 103.0)]), closed=True),
        det("helix-inner", Lp([(-1.0, 100.0), (-5.0, 96.6), (-10.0, 96.4), (-14.2, 100.5), (-15.2, 108.0),
                               (-13.4, 115.5), (-9.6, 120.5)])),
        det("antihelix", Lp([(-4.0, 101.5), (-9.0, 103.0), (-11.2, 109.0), (-9.2, 115.0), (-5.4, 118.4), (-2.2, 118.8)])),
        det("concha", Lp([(-1.0, 106.0), (-5.4, 108.2), (-5.6, 113.0), (-2.4, 115.6), (1.2, 115.0)])),
        # face: eye, eyebrow, wing of the nose, line of the lips, lower border of the jaw
        det("eye", Lp([(45.5, 98.0), (48.5, 96.2), (52.6, 96.6), (55.0, 98.4), (52.4, 100.6), (48.4, 100.4)]), closed=True),
        det("eyebrow", Lp([(42.0, 90.2), (47.5, 88.6), (53.0, 88.4), (58.0, 89.2)])),
        det("nose-wing", Lp([(63.8, 113.5), (60.2, 115.2), (59.8, 118.6), (62.6, 120.6)])),
        det("mouth", Lp([(60.4, 134.0), (56.5, 134.6), (52.5, 135.2)])),
        det("jaw", Lp([(1.6, 126.0), (3.0, 136.0), (5.0, 144.0), (11.0, 148.6), (24.0, 153.2), (38.0, 157.4),
                       (50.0, 159.0)])),
        det("hairline", Lp([(53.0, 60.4), (45.0, 63.0), (37.0, 67.4), (31.0, 75.0), (27.0, 86.0), (21.6, 99.0),
                            (16.0, 110.0), (13.0, 116.0)])),
        det("nape-hairline", Lp([(-13.0, 127.6), (-19.0, 130.6), (-26.0, 132.6)])),
        # neck: sternocleidomastoid (both borders), the anterior border of trapezius, the clavicle
        det("sternocleidomastoid", Lp(LAT_SCM_ANTERIOR)),
        det("sternocleidomastoid-posterior", Lp(LAT_SCM_POSTERIOR)),
        det("trapezius", Lp([(-30.0, 124.0), (-25.0, 146.0), (-18.0, 168.0), (-10.0, 186.0), (-4.0, 199.0)])),
        det("clavicle", Lp([(-4.0, 201.5), (6.0, 203.5), (16.0, 204.5), (24.0, 204.0), (30.5, 201.5)])),
        # trunk: pectoral fold, posterior axillary fold, costal margin, 12th rib, iliac crest,
        # groin, gluteal fold
        det("pectoral", Lp([(58.8, 300.0), (50.0, 290.0), (42.0, 276.0), (36.0, 262.0)])),
        det("axillary-fold-posterior", Lp([(-8.0, 262.0), (-16.0, 254.0), (-24.0, 244.0), (-30.0, 232.0)])),
        det("latissimus", Lp([(-16.0, 262.0), (-22.0, 300.0), (-26.0, 340.0), (-29.0, 380.0), (-32.0, 410.0)])),
        det("costal-margin", Lp([(55.0, 303.0), (47.0, 322.0), (36.0, 342.0), (25.0, 358.0), (13.0, 372.0)])),
        det("rib-12", Lp([(-30.0, 344.0), (-20.0, 360.0), (-8.0, 376.0)])),
        det("iliac-crest", Lp(LAT_ILIAC_CREST)),
        det("gluteal-fold", Lp([(-44.0, 531.0), (-36.0, 532.0), (-26.0, 529.0)])),
        det("gluteus-maximus", Lp([(-36.0, 423.0), (-27.5, 452.0), (-19.0, 479.0), (-13.0, 497.0), (-10.0, 504.0)])),
        # hip and thigh: greater trochanter, tensor fasciae latae, iliotibial band, biceps femoris
        det("greater-trochanter", Lp([(-12.5, 492.0), (-8.5, 482.5), (0.0, 478.6), (8.0, 481.5), (11.0, 490.0)])),
        det("tensor-fasciae-latae", Lp([(44.0, 446.0), (36.0, 480.0), (27.0, 515.0), (19.0, 548.0), (16.0, 565.0)])),
        det("iliotibial-band", Lp(LAT_ITB_POSTERIOR)),
        det("biceps-femoris", Lp([(-30.0, 600.0), (-24.0, 650.0), (-17.0, 690.0), (-9.0, 712.0)])),
        det("vastus-lateralis", Lp([(39.0, 600.0), (34.0, 640.0), (31.0, 660.0)])),
        # knee: patella, patellar ligament, head of the fibula, popliteal crease
        det("patella", Lp([(29.0, 665.0), (34.0, 668.0), (35.4, 680.0), (34.0, 692.0), (28.0, 695.0), (24.0, 688.0),
                           (23.4, 676.0), (25.0, 668.0)]), closed=True),
        det("patellar-ligament", Lp([(27.5, 696.0), (27.0, 708.0), (28.0, 718.0)])),
        det("fibula-head", [*(L(-8.0 + 5.5 * math.cos(t), 716.0 + 6.5 * math.sin(t)) for t in
                              np.linspace(0.0, 2 * math.pi, 18, endpoint=False))], closed=True),
        det("popliteal-crease", Lp([(-23.5, 699.0), (-18.5, 698.0), (-13.0, 699.2)])),
        # leg: gastrocnemius (lateral head), fibula, calcaneal tendon, lateral malleolus
        det("gastrocnemius", Lp([(-28.0, 722.0), (-22.0, 760.0), (-18.0, 800.0), (-17.0, 840.0)])),
        det("fibula", Lp([(-5.5, 723.5), (-3.5, 780.0), (-1.8, 840.0), (-2.2, 890.0), (-4.0, 916.0)])),
        det("tibialis-anterior", Lp([(20.0, 740.0), (18.0, 800.0), (14.0, 860.0)])),
        det("calcaneal-tendon", Lp([(-17.0, 850.0), (-16.0, 885.0), (-17.5, 912.0)])),
        det("malleolus-lateral", [*(L(LAT_MALL_DX + 1.0 + 5.5 * math.cos(t), LAT_MALL_Y + 0.5 + 7.2 * math.sin(t)) for t in
                                    np.linspace(0.0, 2 * math.pi, 20, endpoint=False))], closed=True),
    ]
    mx = HEEL_X + 0.265 * FOOT_LEN
    for name, pts in lateral_foot_lines(mx).items():
        trunk.append(det(f"foot-{name}", [lat_foot(p) for p in pts], closed=name.endswith("nail")))
    # the arm, drawn over the trunk: deltoid borders, the groove behind biceps, the elbow, the wrist
    # and the back of the hand
    limb = [
        det("deltoid-anterior", [a(8, 24.0), a(40, 21.0), a(66, 12.0), a(0.46 * ue, 1.0)]),
        det("deltoid-posterior", [a(10, -24.0), a(42, -19.0), a(64, -9.0), a(0.46 * ue, 1.0)]),
        det("biceps-groove", [a(0.52 * ue, 5.0), a(0.7 * ue, 6.0), a(ue - 16, 5.0)]),
        det("lateral-epicondyle", [a(ue - 6 + 4.2 * math.cos(t), -2.0 + 3.6 * math.sin(t)) for t in
                                   np.linspace(0.0, 2 * math.pi, 16, endpoint=False)], closed=True),
        det("elbow-crease", [a(ue - 2, 19.0), a(ue, 13.0), a(ue + 2, 8.0)]),
        det("brachioradialis", [fa(6, 8.0), fa(34, 8.0), fa(72, 5.0), fa(uf - 18, 4.0)]),
        det("ulnar-border", [fa(20, -12.0), fa(60, -9.0), fa(uf - 16, -7.0)]),
        det("ulnar-head", [fa(uf - 14, -12.0), fa(uf - 7, -15.5), fa(uf - 1, -12.0)]),
        det("wrist-crease", [fa(uf, 13.0), fa(uf + 1.0, 0.0), fa(uf, -13.0)]),
    ]
    for i, (v, u) in enumerate([(14.8, 44.5), (4.8, 45.5), (-5.2, 44.5), (-14.4, 41.0)]):
        limb.append(det(f"knuckle-{i + 2}", [h(u + 1.5, v - 3.2), h(u - 0.4, v), h(u + 1.5, v + 3.2)]))
    # the fingers lie together: a line between neighbours from the web to where their tips part
    for i, (f0, f1) in enumerate(zip(HAND_FINGERS_CLOSED, HAND_FINGERS_CLOSED[1:])):
        (u0, v0), (u1, v1) = finger_tip(i, fingers=HAND_FINGERS_CLOSED), finger_tip(i + 1, fingers=HAND_FINGERS_CLOSED)
        start = ((f0[1] + f1[1]) / 2 + 6.0, (f0[0] + f1[0]) / 2)
        end = ((u0 + u1) / 2 - 4.0, (v0 + v1) / 2)
        limb.append(det(f"finger-gap-{i + 1}", [h(*start), h(*end)]))
    limb.append(det("snuffbox", [h(2, 15.5), h(8, 18.5), h(14, 19.0)]))
    return occluded(trunk, arm) + limb


def lateral_panel() -> dict:
    body, arm = lateral_silhouette()
    notes = [
        "The patient's right side seen from the right: the figure faces +x (the viewer's right), as the ear and the "
        "lateral foot panel do. Same stature and frame as the front and back views (vertex y=40, soles y=960), and "
        "every landmark the views share at the same height.",
        "Standing close to the ideal alignment of the postural plumb line (after Kendall et al.): the vertical x="
        f"{PLUMB_X:g} passes through the ear canal, the acromion and the greater trochanter, close to the knee joint "
        "and in front of the lateral malleolus. Front-to-back depths are drawn to ordinary adult proportions "
        "(Drillis & Contini give no depths) and are approximate.",
        f"The right arm hangs {LAT_UPPER_ARM_ANGLE:g} degrees forward at the shoulder with the elbow bent "
        f"{LAT_FOREARM_ANGLE - LAT_UPPER_ARM_ANGLE:g} degrees and the forearm in mid-position (thumb forward), so the "
        "back of the hand, the dorsal forearm and the lateral elbow face the viewer and the flank, the hip and the "
        "thigh stay visible behind the arm. The second outline is the arm, drawn over the trunk; trunk detail "
        "lines stop where the arm covers them.",
        "Because the arm is drawn forward, the middle fingertip does not reach the thigh: fingertip-level-thigh is "
        "the point on the lateral thigh behind the iliotibial band at the height the middle fingertip reaches with "
        "the arm hanging straight (0.377H), as on the other views (GB31).",
        "axilla-midaxillary: the apex of the axilla is hidden by the arm; the landmark is on the midaxillary line "
        "where it comes out behind the arm at the level of the axilla. sacral-hiatus sits just inside the back "
        "contour (it lies in the natal cleft, seen edge-on), so greater-trochanter -> sacral-hiatus is the "
        "projection of the WHO line for GB30.",
        "rib12-tip is drawn at y=376, between its heights on the front (382) and back (369) views; rib11-tip is level "
        "with the front view (372).",
        "The foot is the foot-lateral drawing scaled to the body (0.152H long, the malleolus 3 B-cun above the sole).",
        "No lateral_measure: a rule with `shift` names its measure with `along` or `lateral_measure`; +x is anterior.",
    ]
    return {
        "id": "body-lateral",
        "kind": "body",
        "view": "lateral",
        "title": "Right side view",
        "width": LAT_W,
        "height": BODY_H,
        "midline_x": None,
        "side": "right",
        "lateral_measure": None,
        "source": f"{ANTHRO_SOURCE}; measures: {WHO_SOURCE}",
        "outlines": [exterior(body), exterior(arm)],
        "details": lateral_details(arm),
        "regions": {},
        "landmarks": lateral_landmarks(),
        "measures": lateral_measures(),
        "notes": notes,
    }



# --------------------------------------------------------------------------------------------
# The ear (right auricle, lateral view: the face is to the right, +x is anterior)
# --------------------------------------------------------------------------------------------
# Control points of the cartilage folds.  The auricle is about 0.5 as wide as it is long and its
# long axis leans back a little at the top, as on a real ear.

EAR_W, EAR_H = 300.0, 440.0

EAR_OUTLINE = [
    (140, 26), (100, 34), (68, 56), (46, 94), (35, 140), (34, 188), (41, 232), (54, 274), (70, 312),
    (84, 348), (98, 384), (118, 410), (146, 422), (172, 414), (187, 394), (194, 366), (197, 340),
    (205, 323), (222, 311), (238, 296), (247, 271), (248, 245), (242, 223), (231, 211), (230, 196),
    (236, 172), (240, 138), (236, 100), (219, 64), (186, 38),
]
# inner margin of the helix rim, from the helix root round the top and down to its tail
HELIX_INNER = [
    (221, 199), (225, 172), (227, 138), (222, 104), (205, 76), (178, 55), (144, 46), (110, 52),
    (82, 71), (62, 104), (52, 146), (52, 190), (58, 232), (70, 272), (84, 306), (96, 332),
]
# antihelix: posterior (scapha) edge from the antitragus up the body and the superior crus
AH_POSTERIOR = [(114, 300), (102, 264), (94, 222), (93, 178), (98, 134), (108, 96), (122, 64), (136, 49)]
# superior crus, anterior edge (back wall of the triangular fossa), from the fossa apex upwards
SC_ANTERIOR = [(140, 132), (146, 104), (158, 76), (174, 55)]
# inferior crus, upper edge (floor of the triangular fossa), from the fossa apex forwards
IC_UPPER = [(140, 132), (165, 134), (192, 130), (219, 122)]
# inferior crus lower edge, continuing as the anterior (concha) edge of the antihelix body
IC_LOWER_AH_ANTERIOR = [(222, 141), (192, 146), (164, 151), (146, 161), (138, 182), (136, 215), (140, 250), (150, 276),
                        (160, 289)]
# helix crus: the ridge dividing the cymba (above) from the cavum (below)
HELIX_CRUS = [(229, 195), (205, 192), (183, 196), (166, 205), (183, 212), (205, 212), (229, 211)]
# drawn as an open U: the crus runs on into the helix at the front
HELIX_CRUS_LINE = [(222, 195), (205, 192), (183, 196), (166, 205), (183, 212), (205, 212), (224, 211)]
TRAGUS_EDGE = [(232, 216), (229, 240), (230, 266), (226, 288), (217, 298)]
ANTITRAGUS_EDGE = [(116, 302), (134, 290), (154, 287), (172, 293), (186, 306)]
INTERTRAGIC_NOTCH = [(217, 298), (209, 311), (198, 315), (186, 306)]
MEATUS = ellipse(211, 248, 9.5, 15, angle_deg=-8, n=28)

EAR_REGIONS = {
    # in priority order: each region loses what the earlier ones already cover, so the later
    # (hollow) ones may be drawn generously up to and under the ridges around them
    "tragus": [(231, 209), (242, 223), (248, 245), (247, 271), (238, 296), (222, 308), (217, 298), (226, 288),
               (230, 266), (229, 240), (232, 216)],
    "antitragus": [(116, 302), (134, 290), (154, 287), (172, 293), (186, 306), (192, 318), (160, 322), (128, 322),
                   (108, 316)],
    "antihelix": [(114, 300), (102, 264), (94, 222), (93, 178), (98, 134), (108, 96), (122, 64), (136, 49),
                  (160, 50), (174, 55), (158, 76), (146, 104), (140, 132), (165, 134), (192, 130), (219, 122),
                  (226, 124), (226, 140), (222, 141), (192, 146), (164, 151), (146, 161), (138, 182), (136, 215),
                  (140, 250), (150, 276), (160, 289), (134, 290), (118, 302)],
    "triangular-fossa": [(140, 132), (146, 104), (158, 76), (174, 55), (178, 55), (205, 76), (222, 104), (226, 124),
                         (192, 130), (165, 134)],
    "scapha": [(136, 49), (110, 52), (82, 71), (62, 104), (52, 146), (52, 190), (58, 232), (70, 272), (84, 306),
               (100, 334), (116, 320), (114, 300), (102, 264), (94, 222), (93, 178), (98, 134), (108, 96), (122, 64)],
    "cymba-conchae": [(222, 141), (225, 172), (221, 199), (200, 194), (166, 205), (136, 200), (136, 180), (146, 161),
                      (164, 151), (192, 146)],
    "cavum-conchae": [(166, 205), (200, 206), (232, 212), (232, 250), (230, 280), (222, 300), (209, 311), (198, 315),
                      (186, 306), (172, 293), (154, 287), (146, 282), (136, 250), (134, 215)],
    "lobe": [(84, 340), (98, 326), (130, 316), (170, 312), (200, 312), (205, 323), (197, 340), (194, 366), (187, 394),
             (172, 414), (146, 422), (118, 410), (98, 384)],
}

# Zone centres, GB/T 13734-2008 codes (lower case).  Which region each must fall in is checked.
EAR_LANDMARKS = {
    # helix: HX1 on the helix crus, HX2-HX5 up the ascending helix, HX6/HX7 either side of the
    # apex, HX8 the tubercle, HX9-HX12 down the free margin to the lobe
    "hx1": ((199, 203), "helix"),
    "point-zero": ((178, 204), "helix"),
    "hx2": ((228, 186), "helix"),
    "hx3": ((232, 160), "helix"),
    "hx4": ((233, 134), "helix"),
    "hx5": ((229, 100), "helix"),
    "hx6": ((197, 56), "helix"),
    "hx7": ((110, 43), "helix"),
    "hx8": ((62, 84), "helix"),
    "hx9": ((43, 146), "helix"),
    "hx10": ((43, 196), "helix"),
    "hx11": ((55, 250), "helix"),
    "hx12": ((73, 300), "helix"),
    # scapha in six equal parts from the top: SF3 elbow, SF4-5 shoulder
    "sf3": ((73, 164), "scapha"),
    "sf4": ((74, 206), "scapha"),
    "sf5": ((81, 248), "scapha"),
    # triangular fossa: Shenmen in the posterior third (towards the apex), upper half
    "tf4": ((154, 110), "triangular-fossa"),
    # antihelix crura: superior crus AH1 heel (anterior-superior part), AH4 knee (middle third);
    # inferior crus AH6 sciatic (anterior 2/3), AH7 gluteus (posterior 1/3), AH6a sympathetic at its end
    "ah1": ((150, 70), "antihelix"),
    "ah4": ((130, 92), "antihelix"),
    "ah6": ((193, 138), "antihelix"),
    "ah6a": ((217, 132), "antihelix"),
    "ah7": ((152, 146), "antihelix"),
    # antihelix body in fifths from the bifurcation to the antihelix-antitragus notch: upper 2/5
    # AH8/AH9, middle 2/5 AH10/AH11, lower 1/5 AH12/AH13; the anterior quarter (concha side) holds
    # the trunk zones, the posterior three quarters the vertebral zones
    "ah8": ((132, 184), "antihelix"),
    "ah9": ((110, 184), "antihelix"),
    "ah10": ((134, 242), "antihelix"),
    "ah11": ((113, 242), "antihelix"),
    "ah12": ((144, 280), "antihelix"),
    "ah13": ((122, 284), "antihelix"),
    # antitragus: outer surface front / middle / back, AT4 on its inner (cavum-facing) side
    "at1": ((174, 306), "antitragus"),
    "at2": ((152, 305), "antitragus"),
    "at3": ((130, 308), "antitragus"),
    "at4": ((158, 295), "antitragus"),
    # concha: CO10 kidney under the inferior crus posteriorly, CO12 liver in the posterior-lower
    # cymba, CO13 spleen in the posterior-upper cavum, CO18 endocrine at the floor of the cavum
    # inside the intertragic notch
    "co10": ((166, 167), "cymba-conchae"),
    "co12": ((149, 189), "cymba-conchae"),
    "co13": ((153, 226), "cavum-conchae"),
    "co18": ((203, 304), "cavum-conchae"),
    # tragus: TG2 lower half; the adrenal point is at the tip of its lower free margin
    "tg2": ((234, 285), "tragus"),
}
# lobe: 3 x 3 grid below the line of the intertragic notch, numbered front to back, top to bottom
for _row, (_y, _xs) in enumerate([(342.0, (180.0, 144.0, 108.0)), (372.0, (178.0, 144.0, 110.0)),
                                  (402.0, (172.0, 149.0, 126.0))]):
    for _col, _x in enumerate(_xs):
        EAR_LANDMARKS[f"lo{3 * _row + _col + 1}"] = ((_x, _y), "lobe")


def ear_panel() -> dict:
    outline = smooth_polygon(EAR_OUTLINE, samples=14)
    regions: dict[str, Polygon] = {}
    taken = Polygon()
    for name, pts in EAR_REGIONS.items():
        reg = smooth_polygon(pts, samples=8).intersection(outline).difference(taken)
        # an opening removes the hair-thin slivers that differences leave along shared borders
        regions[name] = largest(close_open(reg, 0.0, 0.8))
        taken = unary_union([taken, regions[name]])
    # the helix: whatever of the auricle is left outside the folds, plus the helix crus
    crus = smooth_polygon(HELIX_CRUS, samples=8)
    helix = unary_union([outline.difference(taken), crus.difference(regions["tragus"])])
    regions["helix"] = largest(close_open(helix, 0.0, 0.8))
    for name in ("cymba-conchae", "cavum-conchae"):
        regions[name] = largest(close_open(regions[name].difference(crus), 0.0, 0.8))
    for name, ((x, y), region) in EAR_LANDMARKS.items():
        if not regions[region].contains(Point(x, y)):
            raise SystemExit(f"ear: {name} is not inside the {region} region")
    details = [
        det("helix-inner", HELIX_INNER),
        det("antihelix-posterior", AH_POSTERIOR),
        det("superior-crus-anterior", SC_ANTERIOR),
        det("inferior-crus-upper", IC_UPPER),
        det("inferior-crus-lower", IC_LOWER_AH_ANTERIOR),
        det("helix-crus", HELIX_CRUS_LINE),
        det("tragus-edge", TRAGUS_EDGE),
        det("antitragus-edge", ANTITRAGUS_EDGE),
        det("intertragic-notch", INTERTRAGIC_NOTCH),
        {"id": "meatus", "points": MEATUS, "closed": True},
    ]
    return {
        "id": "ear",
        "kind": "ear",
        "view": "lateral",
        "title": "Right ear, lateral view",
        "width": EAR_W,
        "height": EAR_H,
        "midline_x": None,
        "side": "right",
        "lateral_measure": None,
        "source": EAR_SOURCE,
        "outlines": [exterior(outline, 0.1)],
        "details": details,
        "regions": {k: exterior(v, 0.1) for k, v in sorted(regions.items())},
        "landmarks": {k: v[0] for k, v in EAR_LANDMARKS.items()},
        "measures": {},
        "notes": [
            "Anterior (the face) is +x. Zone centres follow the GB/T 13734-2008 division of each part "
            "(scapha in sixths, antihelix body in fifths with an anterior quarter, lobe 3 x 3, etc.).",
            "hx1 (ear centre, GB/T) and point-zero (Nogier/Oleson) both lie on the helix crus; point-zero is "
            "put nearer to where the crus rises out of the concha. Schools differ on the exact spot.",
            "GB/T puts the vertebral zones (ah9, ah11, ah13) on the posterior three quarters of the antihelix "
            "body and the trunk zones (ah8, ah10, ah12) on its concha edge; Nogier/Oleson charts put the spine "
            "along the concha edge instead.",
            "tg2 is the lower tragus; the adrenal point (GB/T TG2p) is drawn at the tip of its lower free margin.",
            "co18 (endocrine) is at the floor of the cavum inside the intertragic notch; at4 (subcortex) on the "
            "inner, cavum-facing side of the antitragus.",
            "hx2-hx12 are extra helix zone centres (not required by docs/design.md) for completeness.",
        ],
    }



# --------------------------------------------------------------------------------------------
# Foot panels
# --------------------------------------------------------------------------------------------
# One B-cun is FOOT_CUN units on all three foot panels.  The scale comes from the WHO rule
# "prominence of the malleolus to the sole = 3 B-cun" together with Winter's ankle height
# (0.039H): one B-cun = 0.013H, so the foot (0.152H) is 11.7 B-cun long and 4.2 B-cun wide
# (0.055H), as on the body panels.

FOOT_CUN = 30.0
FOOT_LEN = ANTHRO["foot_length"] / (ANTHRO["ankle"] / 3) * FOOT_CUN      # 351 units
FOOT_WIDTH = ANTHRO["foot_width"] / (ANTHRO["ankle"] / 3) * FOOT_CUN     # 127 units
SIDE_W, SIDE_H = 480.0, 500.0
SOLE_Y = 474.0
HEEL_X = 58.0                      # back of the heel on the lateral panel
MALL_Y = SOLE_Y - 3 * FOOT_CUN - 2.0   # sole-below-malleolus sits 2 units inside the sole line
FOOT_NOTES = [
    f"One B-cun = {FOOT_CUN:g} units on the foot panels (malleolus to sole = 3 B-cun with Winter's 0.039H ankle "
    f"height), so the foot is {FOOT_LEN / FOOT_CUN:.1f} B-cun long, as on the body.",
    "The leg is cut straight across above the top landmark; the cut is not an anatomical edge.",
]


# The lateral side of the right foot, toes to +x (foot-panel units), shared by the foot-lateral
# panel and, scaled, by the foot of the body-lateral view.  The lateral border rests on the
# ground; the little toe lies in front of the others.
LATERAL_FOOT_SOLE = [(130, SOLE_Y + 1.5), (200, SOLE_Y + 1.0), (262, SOLE_Y + 0.5), (318, SOLE_Y + 0.5), (342, SOLE_Y - 1.5)]
LATERAL_FOOT_TOES = [(352, SOLE_Y - 1), (382, SOLE_Y - 2), (404, SOLE_Y - 9), (409, SOLE_Y - 21), (396, SOLE_Y - 33),
                     (364, SOLE_Y - 40)]
LATERAL_FOOT_DORSUM = [(342, SOLE_Y - 45), (318, SOLE_Y - 55), (282, SOLE_Y - 72), (244, SOLE_Y - 90), (214, SOLE_Y - 104)]
FOOT_ANKLE_FRONT = (196, SOLE_Y - 118)
# the heel, from the sole up round the back to the calcaneal tendon at malleolus height
FOOT_HEEL = [(92, SOLE_Y + 0.5), (66, SOLE_Y - 8), (57, SOLE_Y - 26), (62, SOLE_Y - 46), (77, SOLE_Y - 68), (93, SOLE_Y - 92)]


def lateral_foot_contour() -> list:
    """Outline of the lateral foot from the front of the ankle over the toes and the sole round
    the heel to the back of the ankle (foot-panel units)."""
    return [FOOT_ANKLE_FRONT] + LATERAL_FOOT_DORSUM[::-1] + LATERAL_FOOT_TOES[::-1] + LATERAL_FOOT_SOLE[::-1] + FOOT_HEEL


def lateral_foot_lines(mx: float) -> dict:
    """Detail lines of the lateral foot below the ankle (foot-panel units, malleolus at x = mx)."""
    return {
        "fibularis-tendons": [(mx - 16, MALL_Y - 80), (mx - 20, MALL_Y - 6), (mx - 4, MALL_Y + 26), (mx + 40, SOLE_Y - 30),
                              (mx + 76, SOLE_Y - 12)],
        "extensor-tendons": [(196, MALL_Y - 20), (mx + 84, SOLE_Y - 84), (290, SOLE_Y - 52), (340, SOLE_Y - 40)],
        "toe-crease": [(324, SOLE_Y - 40), (322, SOLE_Y - 22), (326, SOLE_Y - 3)],
        "toe-line-1": [(352, SOLE_Y - 28), (382, SOLE_Y - 29), (404, SOLE_Y - 22)],
        "toe-line-2": [(346, SOLE_Y - 14), (372, SOLE_Y - 16), (392, SOLE_Y - 10)],
        "little-toe-nail": [(364, SOLE_Y - 18), (374, SOLE_Y - 17), (378, SOLE_Y - 12), (368, SOLE_Y - 11)],
    }


def side_foot(medial: bool) -> dict:
    """Right foot from the lateral side (toes to the right) or the medial side (toes to the left).

    Both are drawn toes-right and the medial one is mirrored at the end, so the shared parts
    (heel, calcaneal tendon, shin) are the same curves.
    """
    mx = HEEL_X + (0.30 if medial else 0.265) * FOOT_LEN      # the medial malleolus is further forward
    top = MALL_Y - 9.2 * FOOT_CUN                             # the cut, a little above 8 B-cun
    if medial:
        # medial arch raised off the ground; the big toe makes the front of the foot
        sole = [(130, SOLE_Y + 1.5), (178, SOLE_Y - 1.0), (215, SOLE_Y - 13.0), (252, SOLE_Y - 11.0),
                (292, SOLE_Y - 1.0), (330, SOLE_Y + 1.0), (348, SOLE_Y - 1.0)]
        toes = [(358, SOLE_Y - 1), (388, SOLE_Y - 2), (406, SOLE_Y - 10), (411, SOLE_Y - 24), (400, SOLE_Y - 37),
                (368, SOLE_Y - 42)]
        dorsum = [(342, SOLE_Y - 47), (318, SOLE_Y - 57), (282, SOLE_Y - 74), (244, SOLE_Y - 92), (214, SOLE_Y - 106)]
        calf = [(60, top), (62, top + 40), (74, top + 90), (90, top + 150), (98, top + 210), (100, top + 244)]
    else:
        sole, toes, dorsum = LATERAL_FOOT_SOLE, LATERAL_FOOT_TOES, LATERAL_FOOT_DORSUM
        calf = [(64, top), (68, top + 40), (80, top + 90), (94, top + 150), (101, top + 210), (102, top + 244)]
    # assemble clockwise on screen: top of the shin, down the front, over the dorsum to the toes,
    # back along the sole to the heel and up the calcaneal tendon and calf
    cut = top - 12.0
    pts = [(197, cut), (190, top + 60), (186, top + 140), (187, top + 200), (190, top + 236), FOOT_ANKLE_FRONT]
    pts += dorsum[::-1] + toes[::-1] + sole[::-1]
    pts += FOOT_HEEL
    pts += calf[::-1] + [(calf[0][0] - 1, cut)]
    # the leg is cropped with a straight cut a little above the top landmark
    outline = cut_below(smooth_polygon(pts, samples=12), top - 8.0, SIDE_W, SIDE_H)
    lm = {
        "calcaneal-tendon": (108.0, MALL_Y),
        "heel": (64.0, SOLE_Y - 28.0),
        "heel-base": (94.0, SOLE_Y - 3.0),
        "sole-below-malleolus": (mx, SOLE_Y - 2.0),
        "ankle-front": (196.0, SOLE_Y - 110.0),
    }
    details = [
        det("malleolus", ellipse(mx + 2, MALL_Y + 2, 15, 19, angle_deg=8, n=24), closed=True),
        det("calcaneal-tendon", [(118, top + 120), (114, top + 190), (112, MALL_Y - 25), (106, MALL_Y + 10), (96, SOLE_Y - 58)]),
    ]
    if medial:
        lm.update({
            "medial-malleolus": (mx, MALL_Y),
            "navicular-tuberosity": (mx + 58.0, SOLE_Y - 42.0),
            "first-metatarsal-base": (mx + 98.0, SOLE_Y - 34.0),
            "first-mtp": (330.0, SOLE_Y - 22.0),
            "big-toe-tip": (405.0, SOLE_Y - 22.0),
            "tibia-posterior-border": (mx - 14.0, MALL_Y - 3 * FOOT_CUN),
            "leg-top-medial": (mx, MALL_Y - 8 * FOOT_CUN),
        })
        details += [
            det("tibialis-posterior", [(mx - 18, MALL_Y - 70), (mx - 20, MALL_Y - 8), (mx - 4, MALL_Y + 28),
                                       (mx + 40, SOLE_Y - 46),
                                       (mx + 56, SOLE_Y - 42)]),
            det("tibialis-anterior", [(192, MALL_Y - 60), (198, MALL_Y - 16), (mx + 66, SOLE_Y - 76), (mx + 92, SOLE_Y - 44)]),
            det("tibia-medial-border", [(mx - 12, top + 20), (mx - 14, MALL_Y - 3 * FOOT_CUN), (mx - 10, MALL_Y - 30)]),
            det("arch", [(120, SOLE_Y - 10), (170, SOLE_Y - 16), (215, SOLE_Y - 26), (262, SOLE_Y - 22), (300, SOLE_Y - 12)]),
            det("big-toe-crease", [(336, SOLE_Y - 44), (334, SOLE_Y - 22), (338, SOLE_Y - 2)]),
            det("big-toe-nail", [(386, SOLE_Y - 37), (398, SOLE_Y - 35), (404, SOLE_Y - 30), (392, SOLE_Y - 29),
                                 (384, SOLE_Y - 32)], closed=True),
        ]
        title, view, pid = "Right foot, medial view", "medial", "foot-medial"
        measures = {
            "malleolus-sole": {"from": "medial-malleolus", "to": "sole-below-malleolus", "cun": 3},
            "leg-medial": {"from": "medial-malleolus", "to": "leg-top-medial", "cun": 8},
        }
    else:
        lm.update({
            "lateral-malleolus": (mx, MALL_Y),
            "cuboid": (mx + 52.0, SOLE_Y - 30.0),
            "fifth-metatarsal-base": (mx + 78.0, SOLE_Y - 9.0),
            "fifth-mtp": (312.0, SOLE_Y - 12.0),
            "little-toe-tip": (372.0, SOLE_Y - 12.0),
            "fibula-shaft": (mx + 8.0, MALL_Y - 7 * FOOT_CUN),
            "leg-top-lateral": (mx, MALL_Y - 8 * FOOT_CUN),
        })
        foot = lateral_foot_lines(mx)
        details += [
            det("fibularis-tendons", foot["fibularis-tendons"]),
            det("fibula-anterior-border", [(mx + 14, top + 24), (mx + 8, MALL_Y - 7 * FOOT_CUN), (mx + 6, MALL_Y - 40)]),
            *[det(name, foot[name]) for name in ("extensor-tendons", "toe-crease", "toe-line-1", "toe-line-2")],
            det("little-toe-nail", foot["little-toe-nail"], closed=True),
        ]
        title, view, pid = "Right foot, lateral view", "lateral", "foot-lateral"
        measures = {
            "malleolus-sole": {"from": "lateral-malleolus", "to": "sole-below-malleolus", "cun": 3},
            "leg-lateral": {"from": "lateral-malleolus", "to": "leg-top-lateral", "cun": 8},
        }
    if medial:
        outline = mirror_x(outline, SIDE_W / 2)
        lm = {k: (SIDE_W - x, y) for k, (x, y) in lm.items()}
        details = [{**d, "points": mirror_pts(d["points"], SIDE_W / 2)} for d in details]
    return {
        "id": pid,
        "kind": "foot",
        "view": view,
        "title": title,
        "width": SIDE_W,
        "height": SIDE_H,
        "midline_x": None,
        "side": "right",
        "lateral_measure": "malleolus-sole",
        "source": f"{ANTHRO_SOURCE}; measures: {WHO_SOURCE}",
        "outlines": [exterior(outline, 0.1)],
        "details": details,
        "regions": {},
        "landmarks": lm,
        "measures": measures,
        "notes": FOOT_NOTES + ([
            "Toes point to -x (anterior is to the left). The medial malleolus is drawn 3 B-cun above the sole like the "
            "lateral one (docs/design.md); anatomically it sits about 1 cm higher.",
        ] if medial else ["Toes point to +x (anterior is to the right)."]),
    }


def foot_lateral_panel() -> dict:
    return side_foot(medial=False)


def foot_medial_panel() -> dict:
    return side_foot(medial=True)


DORSUM_W, DORSUM_H = 320.0, 400.0
DORSUM_ANKLE_TO_WEB = 5          # B-cun, ankle-front to the 2nd-3rd web, at the side panels' scale

# Toe layout shared by the dorsum and plantar panels: x offset from the foot's centre line (big toe
# +x, medial), and per toe (base radius, tip radius).  Little toe first.
TOE_X = [-43.0, -24.0, -4.0, 17.0, 44.0]
TOE_R = [(9.0, 8.0), (10.0, 9.0), (10.5, 9.5), (11.0, 10.0), (16.5, 15.0)]


def foot_dorsum_panel() -> dict:
    """Right foot from above: ankle and malleoli at the top, toes at the bottom, big toe on the
    right (medial), as the patient's right foot looks to someone facing the patient.

    Lengths below the ankle are at the scale of the side panels (FOOT_CUN units per B-cun): the
    ankle crease to the 2nd-3rd web is 5 B-cun, as on the lateral and medial views, the toes
    reach about 6.4 B-cun beyond the ankle crease.
    """
    cx = 150.0
    ankle_y = 150.0
    web_y = ankle_y + 2.0 + math.sqrt((DORSUM_ANKLE_TO_WEB * FOOT_CUN) ** 2 - 6.5 ** 2)

    # the forefoot was designed on a longer grid; Y() compresses the midfoot (from just below
    # the ankle to the toe bases) so that the ankle-to-web distance comes out at 5 B-cun
    def Y(y: float) -> float:
        if y <= ankle_y + 10:
            return y
        if y <= 380.0:
            return ankle_y + 10 + (y - ankle_y - 10) * (web_y - 24.0 - ankle_y - 10) / (380.0 - ankle_y - 10)
        return y - 380.0 + web_y - 24.0

    def P(x: float, y: float):
        return (x, Y(y))

    body = smooth_polygon([
        (cx - 38, 30), (cx - 39, 100), (cx - 47, ankle_y - 12), (cx - 46, ankle_y + 10), P(cx - 41, ankle_y + 40),
        P(cx - 46, 240), P(cx - 54, 300), P(cx - 58, 350), P(cx - 57, 384), P(cx - 30, 396), P(cx + 20, 400),
        P(cx + 62, 394), P(cx + 66, 376), P(cx + 61, 330), P(cx + 50, 262), P(cx + 43, ankle_y + 44),
        P(cx + 46, ankle_y + 18), (cx + 45, ankle_y - 6), (cx + 39, 100), (cx + 38, 30),
    ], samples=12)
    # toes: (base centre, base radius, tip centre, tip radius), little toe first
    # neighbouring toes touch along their length; only the tips show separately
    bases = [380, 386, 390, 392, 388]
    tips = [402, 414, 424, 432, 436]
    toes = [(P(cx + x, b), rb, P(cx + x + (1.0 if i == 4 else 0.0), t), rt)
            for i, (x, b, t, (rb, rt)) in enumerate(zip(TOE_X, bases, tips, TOE_R))]
    parts = [body] + [capsule(a, ra, b, rb) for a, ra, b, rb in toes]
    outline = cut_below(close_open(unary_union(parts), 1.5, 1.0), 42.0, DORSUM_W, DORSUM_H)

    def nail_corner(i: int):
        """Lateral (-x) corner of toenail i (0 = little toe), just proximal to the corner."""
        (tx, ty), rt = toes[i][2], toes[i][3]
        return (tx + 0.4 - 0.55 * rt, ty - 0.2 * rt)

    lm = {
        "ankle-front": (cx, ankle_y + 2.0),
        "lateral-malleolus": (cx - 42.0, ankle_y - 4.0),     # further back (up) than the medial one
        "medial-malleolus": (cx + 41.0, ankle_y + 6.0),
        "first-second-mt-junction": P(cx + 26.0, 262.0),
        "fourth-fifth-mt-junction": P(cx - 34.0, 266.0),
        "first-web": P(cx + 30.5, 404.0),
        "second-third-web": (cx + 6.5, web_y),
        "fourth-fifth-web": P(cx - 33.5, 392.0),
        "big-toe-tip": P(cx + 45.0, 447.0),
        # lateral corners of the toenails (the jing-well points)
        "big-toe-nail-lateral": nail_corner(4),
        "toe-2-tip": nail_corner(3),
        "toe-4-tip": nail_corner(1),
        "little-toe-tip": nail_corner(0),
    }
    details = [
        det("malleolus-lateral", [(cx - 44, ankle_y - 22), (cx - 37, ankle_y - 4), (cx - 42, ankle_y + 14)]),
        det("malleolus-medial", [(cx + 42, ankle_y - 12), (cx + 36, ankle_y + 6), P(cx + 41, ankle_y + 22)]),
        det("ankle-crease", [(cx - 30, ankle_y + 6), (cx, ankle_y + 10), (cx + 30, ankle_y + 6)]),
        det("tibialis-anterior-tendon", [(cx + 14, 60), (cx + 18, ankle_y), P(cx + 32, 220), P(cx + 40, 252)]),
        det("extensor-hallucis-tendon", [(cx + 4, 70), P(cx + 8, ankle_y + 20), P(cx + 30, 300), P(cx + 44, 372)]),
        det("extensor-digitorum-tendon-3", [P(cx - 10, ankle_y + 24), P(cx - 10, 300), P(cx - 7, 378)]),
        det("extensor-digitorum-tendon-5", [P(cx - 18, ankle_y + 26), P(cx - 34, 300), P(cx - 45, 366)]),
    ]
    for i, ((bx, by), _ra, (tx, ty), rt) in enumerate(toes):
        details.append(det(f"nail-{5 - i}", ellipse(tx + 0.4, ty - 0.35 * rt, 0.55 * rt, 0.6 * rt, n=16), closed=True))
    for i, (a, b) in enumerate(zip(toes, toes[1:])):
        # the line where two neighbouring toes touch, from the web to where their tips part
        x = (a[2][0] + a[3] + b[2][0] - b[3]) / 2
        y0 = max(a[0][1], b[0][1]) + 8
        y1 = min(a[2][1], b[2][1]) + 2
        details.append(det(f"toe-gap-{4 - i}", [(x + 0.5, y0), (x, y1)]))
    return {
        "id": "foot-dorsum",
        "kind": "foot",
        "view": "dorsum",
        "title": "Right foot, dorsum",
        "width": DORSUM_W,
        "height": DORSUM_H,
        "midline_x": None,
        "side": "right",
        "lateral_measure": "foot-dorsum",
        "source": f"{ANTHRO_SOURCE}; measures: {WHO_SOURCE}",
        "outlines": [exterior(outline, 0.1)],
        "details": details,
        "regions": {},
        "landmarks": lm,
        "measures": {
            "foot-dorsum": {
                "from": "ankle-front", "to": "second-third-web", "cun": DORSUM_ANKLE_TO_WEB,
                "note": "not a WHO measure (WHO defines no B-cun on the dorsum of the foot): the ankle-crease-to-web "
                        f"distance at the scale of the lateral and medial foot panels ({FOOT_CUN:g} units per B-cun, "
                        "malleolus to sole = 3 B-cun), so offsets here match those panels",
            },
        },
        "notes": FOOT_NOTES + [
            "Seen from above with the toes towards the bottom; the big toe (medial) is on the right, as on the "
            "anterior body view. The lateral malleolus is drawn further back (higher) than the medial one.",
            f"Drawn at the side panels' scale: the ankle crease to the 2nd-3rd web is {DORSUM_ANKLE_TO_WEB} B-cun and "
            "the metatarsal junctions lie about 2 B-cun in front of the ankle crease, as on the lateral and medial "
            "views. Locate dorsal points by their landmarks (webs, metatarsal junctions, nail corners) first.",
            "big-toe-nail-lateral, toe-2-tip, toe-4-tip and little-toe-tip are the lateral corners of the toenails; "
            "big-toe-tip is the tip of the big toe.",
        ],
    }


PLANTAR_W, PLANTAR_H = 300.0, 440.0
PLANTAR_HEEL_TO_WEB = 9          # B-cun, back of the heel to the 2nd-3rd web, at the side panels' scale


def foot_plantar_panel() -> dict:
    """Sole of the right foot, toes up, big toe on the right (+x, medial): the foot as seen by
    someone standing at the end of the couch of a supine patient.

    Drawn at the side panels' scale (FOOT_CUN units per B-cun): 11.7 B-cun from heel to toe,
    4.2 B-cun across the ball, the heel about two thirds as wide; the toes are those of the
    dorsum panel seen from below.
    """
    cx = 150.0
    hb = 420.0                                   # back of the heel

    def S(w: float, s: float):
        """w across (+ medial), s from the back of the heel towards the toes."""
        return (cx + w, hb - s)

    sole = smooth_polygon([
        S(-4, 0), S(-30, 6), S(-41, 24), S(-45, 50), S(-47, 90), S(-50, 130), S(-54, 170), S(-59, 205), S(-62, 226),
        S(-57, 244), S(-46, 254), S(-28, 262), S(-8, 266), S(12, 266), S(34, 262), S(55, 254), S(62, 238), S(59, 218),
        S(50, 192), S(40, 160), S(34, 125), S(33, 90), S(35, 55), S(32, 25), S(20, 6),
    ], samples=12)
    bases = [246, 258, 266, 270, 256]
    tips = [292, 312, 325, 334, 334]
    toes = [(S(w, b), rb, S(w + (1.0 if i == 4 else 0.0), t), rt)
            for i, (w, b, t, (rb, rt)) in enumerate(zip(TOE_X, bases, tips, TOE_R))]
    parts = [sole] + [capsule(a, ra, b, rb) for a, ra, b, rb in toes]
    outline = largest(close_open(unary_union(parts), 1.5, 1.0))
    heel_back = S(-4, 4)
    web = (cx + 6.5, heel_back[1] - math.sqrt((PLANTAR_HEEL_TO_WEB * FOOT_CUN) ** 2 - 10.5 ** 2))
    lm = {
        "heel-back": heel_back,
        "heel-center": S(-5, 45),                # centre of the heel pad
        "second-third-web": web,
        "ball-first-mtp": S(40, 250),            # under the head of the 1st metatarsal
        "ball-fifth-mtp": S(-45, 222),           # under the head of the 5th metatarsal
        "arch-medial": S(24, 140),               # the hollow of the medial longitudinal arch
    }
    details = [
        # heel pad, the proximal edge of the ball of the foot, and the medial edge of the
        # weight-bearing footprint (the arch lies medial to it)
        {"id": "heel-pad", "points": ellipse(*S(-5, 46), 28, 37, n=40), "closed": True},
        det("ball", [S(58, 224), S(30, 212), S(0, 204), S(-30, 196), S(-54, 190)]),
        det("footprint-medial", [S(28, 62), S(18, 100), S(10, 140), S(16, 178), S(36, 206)]),
    ]
    for i, ((bx, by), rb, (tx, ty), rt) in enumerate(toes):
        # the crease at the base of each toe and its pad
        details.append(det(f"toe-crease-{5 - i}", [(bx - 0.7 * rb, by - 0.2 * rb), (bx, by - 0.45 * rb),
                                                   (bx + 0.7 * rb, by - 0.2 * rb)]))
        details.append({"id": f"toe-pad-{5 - i}", "points": ellipse(tx, ty + 0.15 * rt, 0.6 * rt, 0.75 * rt, n=16),
                        "closed": True})
    return {
        "id": "foot-plantar",
        "kind": "foot",
        "view": "plantar",
        "title": "Right foot, sole",
        "width": PLANTAR_W,
        "height": PLANTAR_H,
        "midline_x": None,
        "side": "right",
        "lateral_measure": "sole-length",
        "source": f"{ANTHRO_SOURCE}; measures: {WHO_SOURCE}",
        "outlines": [exterior(outline, 0.1)],
        "details": details,
        "regions": {},
        "landmarks": lm,
        "measures": {
            "sole-length": {
                "from": "heel-back", "to": "second-third-web", "cun": PLANTAR_HEEL_TO_WEB,
                "note": "not a WHO measure (WHO defines no B-cun on the sole): the heel-to-web distance at the scale of "
                        f"the lateral and medial foot panels ({FOOT_CUN:g} units per B-cun); KI1 is located by "
                        "proportion on this line (WHO)",
            },
        },
        "notes": FOOT_NOTES[:1] + [
            "The sole seen from below with the toes up; the big toe (medial) is on the right, as on the dorsum panel.",
            "heel-back is the back of the heel and second-third-web the web between the 2nd and 3rd toes: WHO locates "
            "KI1 at the junction of the anterior third and posterior two thirds of the line between them.",
            "The faint line inside the medial border is the edge of the weight-bearing footprint; the medial "
            "longitudinal arch (arch-medial) lies between it and the border.",
        ],
    }


# --------------------------------------------------------------------------------------------
# Hand panel
# --------------------------------------------------------------------------------------------

HAND_W, HAND_H = 340.0, 440.0
HAND_CUN = 26.0                                     # units per B-cun on this panel
HAND_K = 8.875 * HAND_CUN / span(ANTHRO["hand"])    # hand = 0.108H = 8.9 B-cun of a 12 B-cun (0.146H) forearm
FOREARM_SHOWN = 5                                   # B-cun of forearm drawn above the wrist crease


def hand_dorsum_panel() -> dict:
    """Right hand from the back, fingers down, thumb on the right (as on the posterior view)."""
    wx, wy = 150.0, 40.0 + FOREARM_SHOWN * HAND_CUN + 6.0

    def f(u, v):
        return (wx + HAND_K * v, wy + HAND_K * u)

    hand = hand_shape(f, HAND_K)
    top = wy - FOREARM_SHOWN * HAND_CUN - 12.0
    forearm = smooth_polygon([
        (wx - 33, top), (wx - 34, top + 60), (wx - 33, wy - 40), (wx - 34, wy + 4), (wx, wy + 14), (wx + 36, wy + 4),
        (wx + 37, wy - 40), (wx + 40, top + 60), (wx + 42, top),
    ])
    outline = cut_below(close_open(unary_union([hand, forearm]), 2.0, 1.0), top + 6.0, HAND_W, HAND_H)
    lm = {
        "wrist-dorsal": (wx, wy),
        "forearm-top": (wx + 2.0, wy - FOREARM_SHOWN * HAND_CUN),
        **{name: f(u, v) for name, (u, v) in HAND_DORSUM_LANDMARKS.items()},
    }
    details = [
        det("wrist-crease", [f(-1, -13.5), f(1.0, 0), f(-1, 14.5)]),
        det("ulnar-head", [f(-9, -9.5), f(-5.5, -12.5), f(-2, -9.5)]),
    ]
    # extensor tendons fanning from the wrist to the knuckles
    for i, (v, u, *_rest) in enumerate(HAND_FINGERS):
        details.append(det(f"extensor-tendon-{i + 2}", [f(4, 2.0 + 0.3 * v), f(u * 0.55, 0.75 * v + 1.0), f(u - 3.0, v)]))
        details.append(det(f"knuckle-{i + 2}", [f(u + 1.0, v - 3.2), f(u - 0.8, v), f(u + 1.0, v + 3.2)]))
        tu, tv = finger_tip(i, back=2.2)
        details.append(det(f"nail-{i + 2}", ellipse(*f(tu, tv), 0.55 * HAND_FINGERS[i][5] * HAND_K,
                                                    0.75 * HAND_FINGERS[i][5] * HAND_K, n=16), closed=True))
    for i, ((v0, u0), (v1, u1)) in enumerate([((9.8, 52.5), (12.0, 63.0)), ((-0.2, 54.0), (-0.4, 64.5)),
                                               ((-9.8, 51.5), (-10.6, 61.0))]):
        details.append(det(f"finger-gap-{i + 1}", [f(u0, v0), f(u1, v1)]))
    tu, tv = HAND_THUMB[-1][0]
    details.append(det("nail-1", ellipse(*f(tu - 1.0, tv + 0.8), 0.5 * 5.4 * HAND_K, 0.75 * 5.4 * HAND_K, n=16), closed=True))
    details.append(det("snuffbox", [f(2, 15.5), f(8, 18.5), f(14, 19.0)]))
    return {
        "id": "hand-dorsum",
        "kind": "hand",
        "view": "dorsum",
        "title": "Right hand, dorsum",
        "width": HAND_W,
        "height": HAND_H,
        "midline_x": None,
        "side": "right",
        "lateral_measure": "forearm-dorsal",
        "source": f"{ANTHRO_SOURCE}; measures: {WHO_SOURCE}",
        "outlines": [exterior(outline, 0.1)],
        "details": details,
        "regions": {},
        "landmarks": lm,
        "measures": {
            "forearm-dorsal": {
                "from": "wrist-dorsal", "to": "forearm-top", "cun": FOREARM_SHOWN,
                "note": f"the distal {FOREARM_SHOWN} of the 12 B-cun from the dorsal wrist crease to the elbow (WHO)",
            },
        },
        "notes": [
            f"The panel shows the distal {FOREARM_SHOWN} B-cun of the forearm: one B-cun = {HAND_CUN:g} units, the "
            "12 B-cun forearm being 0.146H and the hand 0.108H (8.9 B-cun) long.",
            "Fingers point down (+y) and the thumb is on the right (+x), as the right hand appears on the posterior body "
            "view. The hand silhouette is the one used on the body panels, scaled.",
            "The *-mc-junction landmarks mark where the bases of the two metacarpals meet, near the wrist.",
        ],
    }


# --------------------------------------------------------------------------------------------
# Validation against docs/design.md and output
# --------------------------------------------------------------------------------------------

VERTEBRAE = [f"t{i}" for i in range(1, 13)] + [f"l{i}" for i in range(1, 6)] + [f"s{i}" for i in range(1, 5)]

# The landmark and measure vocabulary of docs/design.md, panel by panel.
REQUIRED = {
    "body-lateral": {
        "midline": [],
        "landmarks": [
            "vertex", "hairline-anterior", "glabella", "frontal-hairline-corner", "eyebrow-lateral-end", "eye-outer",
            "temple", "zygomatic-arch-mid", "zygoma-below-canthus", "nose-wing", "mouth-corner", "ear-apex", "tragus",
            "mastoid", "mandible-angle", "scm-trapezius-gap", "hairline-posterior", "c7", "thyroid-prominence",
            "scm-anterior-border", "scm-posterior-border", "acromioclavicular-notch", "acromion", "arm-axillary-level",
            "deltoid-insertion", "lateral-epicondyle", "cubital-lateral", "olecranon", "wrist-dorsal", "snuffbox",
            *HAND_DORSUM_LANDMARKS, "fingertip-middle", "axilla-midaxillary", "rib11-tip", "rib12-tip", "iliac-crest",
            "iliac-crest-lateral", "asis", "psis", "sacral-hiatus", "greater-trochanter", "gluteal-fold",
            "fingertip-level-thigh", "patella-base", "patella-apex", "knee-crease-lateral", "knee-eye-lateral",
            "fibula-head", "tibial-tuberosity", "lateral-malleolus", "ankle-front", "calcaneal-tendon", "heel",
            "sole-below-malleolus", "fifth-metatarsal-base", "little-toe-tip",
        ],
        "measures": {
            "hairline-glabella": 3, "hairline-c7": 3, "arm-lateral": 9, "forearm-lateral": 12, "axilla-rib11": 12,
            "trochanter-popliteal": 19, "popliteal-malleolus-lateral": 16, "knee-ankle-anterior": 16, "malleolus-sole": 3,
        },
    },
    "body-posterior": {
        "midline": ["vertex", "inion", "suboccipital-depression", "c2", "hairline-posterior", "c7", *VERTEBRAE,
                    "sacral-hiatus", "coccyx"],
        "landmarks": [
            "ear-apex", "mastoid", "scm-trapezius-gap", "acromion", "acromioclavicular-notch", "scapula-superior-angle",
            "scapula-spine-root", "scapula-spine-mid", "infraspinous-fossa-center", "scapula-spine-lateral-lower",
            "scapula-inferior-angle", "axillary-fold-posterior", "axillary-crease-posterior-end", "rib12-tip",
            "olecranon", "lateral-epicondyle", "medial-epicondyle", "wrist-dorsal", *HAND_DORSUM_LANDMARKS,
            "fingertip-middle", "iliac-crest", "iliac-crest-posterior", "iliac-crest-lateral", "psis",
            "sacral-border-lateral", "greater-trochanter", "ischial-tuberosity", "gluteal-fold", "fingertip-level-thigh",
            "popliteal-center", "popliteal-lateral", "popliteal-medial", "fibula-head", "calf-bulge",
            "gastrocnemius-junction", "lateral-malleolus", "medial-malleolus", "heel",
        ],
        "measures": {
            "hairline-c7": 3, "scapula-midline": 3, "gluteal-popliteal": 14, "trochanter-popliteal": 19,
            "popliteal-malleolus": 16, "arm-posterior": 9, "forearm-dorsal": 12,
        },
    },
    "body-anterior": {
        "midline": ["vertex", "hairline-anterior", "glabella", "nose-tip", "philtrum-mid", "mentolabial-groove", "chin",
                    "thyroid-prominence", "suprasternal-notch", "clavicle-lower-level", "ics1-level", "ics2-level",
                    "ics3-level", "nipple-level", "ics5-level", "ics6-level", "xiphisternal", "umbilicus", "pubic-symphysis"],
        "landmarks": [
            "frontal-hairline-corner", "eyebrow-lateral-end", "eyebrow-mid", "eye-inner", "pupil", "eye-outer", "temple",
            "zygomatic-arch-mid", "zygoma-below-canthus", "tragus", "nose-wing", "mouth-corner", "mandible-angle",
            "scm-anterior-border", "scm-posterior-border", "supraclavicular-fossa", "acromion", "clavicle-mid", "coracoid",
            "nipple", "axillary-fold-anterior", "axilla-apex", "rib11-tip", "rib12-tip", "cubital-center",
            "cubital-lateral", "cubital-medial", "biceps-tendon-lateral", "biceps-tendon-medial", "lateral-epicondyle",
            "medial-epicondyle", "wrist-palmar", "fingertip-middle", "asis", "femoral-artery-inguinal",
            "greater-trochanter", "pubic-level-thigh", "fingertip-level-thigh", "patella-base", "patella-base-lateral",
            "patella-base-medial", "patella-apex", "knee-eye-lateral", "knee-eye-medial", "tibial-tuberosity",
            "fibula-head", "tibia-medial-condyle", "lateral-malleolus", "medial-malleolus", "ankle-front",
            "navicular-tuberosity", "first-metatarsal-base", "first-mtp", "first-second-mt-junction",
            "fourth-fifth-mt-junction", "first-web", "second-third-web", "fourth-fifth-web", "big-toe-tip",
            "big-toe-nail-lateral", "toe-2-tip", "toe-4-tip", "little-toe-tip",
        ],
        "measures": {
            "hairline-glabella": 3, "sternum": 9, "xiphoid-umbilicus": 8, "umbilicus-pubis": 5, "nipple-midline": 4,
            "arm-anterior": 9, "forearm-palmar": 12, "pubis-patella": 18, "knee-ankle-anterior": 16, "tibia-malleolus": 13,
        },
    },
    "ear": {
        "midline": [],
        "landmarks": ["hx1", "tf4", "ah6a", "ah9", "ah11", "ah13", "ah4", "ah1", "ah6", "ah7", "ah8", "ah10", "ah12",
                      "sf3", "sf4", "sf5", "at1", "at2", "at3", "at4", "co10", "co12", "co13", "co18",
                      *[f"lo{i}" for i in range(1, 10)], "tg2", "point-zero"],
        "measures": {},
    },
    "foot-lateral": {
        "midline": [],
        "landmarks": ["lateral-malleolus", "calcaneal-tendon", "heel", "heel-base", "sole-below-malleolus", "cuboid",
                      "fifth-metatarsal-base", "fifth-mtp", "little-toe-tip", "ankle-front", "fibula-shaft", "leg-top-lateral"],
        "measures": {"malleolus-sole": 3, "leg-lateral": 8},
    },
    "foot-medial": {
        "midline": [],
        "landmarks": ["medial-malleolus", "calcaneal-tendon", "heel", "heel-base", "sole-below-malleolus",
                      "navicular-tuberosity", "first-metatarsal-base", "first-mtp", "big-toe-tip", "tibia-posterior-border",
                      "leg-top-medial"],
        "measures": {"malleolus-sole": 3, "leg-medial": 8},
    },
    "foot-dorsum": {
        "midline": [],
        "landmarks": ["ankle-front", "lateral-malleolus", "medial-malleolus", "first-second-mt-junction", "first-web",
                      "second-third-web", "fourth-fifth-web", "fourth-fifth-mt-junction", "big-toe-tip",
                      "big-toe-nail-lateral", "toe-2-tip", "toe-4-tip", "little-toe-tip"],
        "measures": {"foot-dorsum": DORSUM_ANKLE_TO_WEB},
    },
    "foot-plantar": {
        "midline": [],
        "landmarks": ["heel-back", "heel-center", "second-third-web", "ball-first-mtp", "ball-fifth-mtp", "arch-medial"],
        "measures": {"sole-length": PLANTAR_HEEL_TO_WEB},
    },
    "hand-dorsum": {
        "midline": [],
        "landmarks": ["wrist-dorsal", "first-second-mc-junction", "first-web", "second-mc-mid-radial", "fifth-mcp-ulnar",
                      "second-third-mc-junction", "fourth-fifth-mc-junction", "forearm-top"],
        "measures": {"forearm-dorsal": None},
    },
}


def validate(panel: dict) -> list[str]:
    """Problems with a panel (empty when it honours docs/design.md and the drawing rules)."""
    problems = []
    pid = panel["id"]
    req = REQUIRED[pid]
    lm = panel["landmarks"]
    silhouette = unary_union([Polygon(o) for o in panel["outlines"]])
    for name in req["midline"] + req["landmarks"]:
        if name not in lm:
            problems.append(f"{pid}: missing landmark {name}")
    for name in req["midline"]:
        if name in lm and lm[name][0] != panel["midline_x"]:
            problems.append(f"{pid}: midline landmark {name} is off the midline")
    for name, (x, y) in lm.items():
        if not silhouette.contains(Point(x, y)):
            problems.append(f"{pid}: landmark {name} ({x}, {y}) is outside the silhouette")
        if panel["midline_x"] is not None and name not in req["midline"] and x == panel["midline_x"]:
            problems.append(f"{pid}: bilateral landmark {name} sits on the midline")
        if panel["side"] == "both" and name not in req["midline"]:
            right_is_plus = panel["view"] != "anterior"
            if (x > panel["midline_x"]) != right_is_plus:
                problems.append(f"{pid}: landmark {name} is not on the patient's right")
    for name, cun in req["measures"].items():
        m = panel["measures"].get(name)
        if m is None:
            problems.append(f"{pid}: missing measure {name}")
            continue
        if cun is not None and m["cun"] != cun:
            problems.append(f"{pid}: measure {name} has {m['cun']} B-cun, design.md says {cun}")
        for end in (m["from"], m["to"]):
            if end not in lm:
                problems.append(f"{pid}: measure {name} uses unknown landmark {end}")
    if pid == "body-posterior":
        chain_ = ["inion", "suboccipital-depression", "c2", "c7", *VERTEBRAE, "sacral-hiatus", "coccyx"]
        ys = [lm[n][1] for n in chain_]
        if any(b <= a for a, b in zip(ys, ys[1:])):
            problems.append(f"{pid}: vertebral levels are not strictly increasing in y")
    if pid == "body-anterior":
        chain_ = ["vertex", "hairline-anterior", "glabella", "nose-tip", "philtrum-mid", "mentolabial-groove", "chin",
                  "thyroid-prominence", "suprasternal-notch", "clavicle-lower-level", "ics1-level", "ics2-level",
                  "ics3-level", "nipple-level", "ics5-level", "ics6-level", "umbilicus", "pubic-symphysis"]
        ys = [lm[n][1] for n in chain_]
        if any(b <= a for a, b in zip(ys, ys[1:])):
            problems.append(f"{pid}: midline levels are not strictly increasing in y")
    if pid in ("body-anterior", "body-posterior"):
        # the pelvic plane: trochanter top, pubic symphysis (front) and coccyx tip (back) about level,
        # and the trochanter well below the PSIS / S2
        troch = lm["greater-trochanter"][1]
        other = lm["pubic-symphysis"][1] if pid == "body-anterior" else lm["coccyx"][1]
        if abs(troch - other) > 6:
            problems.append(f"{pid}: greater trochanter ({troch}) is not level with the pubic symphysis / coccyx ({other})")
        if pid == "body-posterior" and troch - lm["psis"][1] < 20:
            problems.append(f"{pid}: greater trochanter is not well below the PSIS")
    if pid == "body-lateral":
        problems += validate_lateral(panel)
    for name, pts in panel.get("regions", {}).items():
        if not Polygon(pts).is_valid:
            problems.append(f"{pid}: region {name} is not a valid polygon")
    if panel["lateral_measure"] and panel["lateral_measure"] not in panel["measures"]:
        problems.append(f"{pid}: lateral_measure is not a measure")
    return problems


# body-lateral: landmarks from head to foot, and (front, back) pairs that show the figure faces +x
LATERAL_HEAD_TO_FOOT = [
    "vertex", "hairline-anterior", "glabella", "ear-apex", "eye-outer", "tragus", "mastoid", "mandible-angle", "c7",
    "thyroid-prominence", "acromion", "axilla-midaxillary", "rib11-tip", "lateral-epicondyle", "iliac-crest", "asis",
    "psis", "sacral-hiatus", "greater-trochanter", "gluteal-fold", "fingertip-level-thigh", "patella-base",
    "patella-apex", "knee-crease-lateral", "knee-eye-lateral", "fibula-head", "tibial-tuberosity", "lateral-malleolus",
    "heel", "sole-below-malleolus",
]
LATERAL_FRONT_BACK = [
    ("glabella", "tragus"), ("tragus", "mastoid"), ("mastoid", "scm-trapezius-gap"), ("thyroid-prominence", "c7"),
    ("scm-anterior-border", "scm-posterior-border"), ("cubital-lateral", "lateral-epicondyle"),
    ("lateral-epicondyle", "olecranon"), ("snuffbox", "wrist-dorsal"), ("first-web", "fifth-mcp-ulnar"),
    ("rib11-tip", "rib12-tip"), ("asis", "greater-trochanter"), ("greater-trochanter", "sacral-hiatus"),
    ("patella-base", "knee-crease-lateral"), ("tibial-tuberosity", "fibula-head"), ("fibula-head", "knee-crease-lateral"),
    ("ankle-front", "lateral-malleolus"), ("lateral-malleolus", "calcaneal-tendon"), ("calcaneal-tendon", "heel"),
    ("little-toe-tip", "fifth-metatarsal-base"), ("fifth-metatarsal-base", "lateral-malleolus"),
]
# landmarks of the arm: the only ones that may lie on the arm drawn over the trunk
LATERAL_ARM_LANDMARKS = {
    "acromion", "acromioclavicular-notch", "arm-axillary-level", "deltoid-insertion", "lateral-epicondyle",
    "cubital-lateral", "olecranon", "wrist-dorsal", "snuffbox", "fingertip-middle", *HAND_DORSUM_LANDMARKS,
}
# body-lateral landmarks and the landmark of the front / back view that must be level with them
LATERAL_SAME_HEIGHT = {
    "body-anterior": ["vertex", "hairline-anterior", "glabella", "frontal-hairline-corner", "eyebrow-lateral-end",
                      "eye-outer", "temple", "zygomatic-arch-mid", "zygoma-below-canthus", "nose-wing", "mouth-corner",
                      "tragus", "mandible-angle", "thyroid-prominence", "scm-anterior-border", "scm-posterior-border",
                      "acromion", "lateral-epicondyle", "rib11-tip", "asis", "greater-trochanter",
                      "fingertip-level-thigh", "patella-base", "patella-apex", "knee-eye-lateral", "fibula-head",
                      "tibial-tuberosity", "lateral-malleolus", "ankle-front"],
    "body-posterior": ["vertex", "ear-apex", "mastoid", "scm-trapezius-gap", "hairline-posterior", "c7",
                       "acromioclavicular-notch", "acromion", "lateral-epicondyle", "iliac-crest", "iliac-crest-lateral",
                       "psis", "sacral-hiatus", "greater-trochanter", "gluteal-fold", "fingertip-level-thigh",
                       ("knee-crease-lateral", "popliteal-lateral"), "fibula-head", "lateral-malleolus"],
}


def validate_lateral(panel: dict) -> list[str]:
    """The side view faces +x, runs head to foot, and nothing on the trunk hides behind the arm."""
    problems = []
    lm = panel["landmarks"]
    ys = [lm[n][1] for n in LATERAL_HEAD_TO_FOOT]
    if any(b <= a for a, b in zip(ys, ys[1:])):
        problems.append("body-lateral: landmarks do not run head to foot: "
                        + ", ".join(f"{a} ({ya}) / {b} ({yb})" for (a, ya), (b, yb) in
                                    zip(zip(LATERAL_HEAD_TO_FOOT, ys), zip(LATERAL_HEAD_TO_FOOT[1:], ys[1:])) if yb <= ya))
    for front, back in LATERAL_FRONT_BACK:
        if lm[front][0] <= lm[back][0]:
            problems.append(f"body-lateral: {front} should lie in front of (+x of) {back}")
    whole, arm = Polygon(panel["outlines"][0]), Polygon(panel["outlines"][1])
    if not whole.buffer(0.6).contains(arm):
        problems.append("body-lateral: the arm outline runs outside the silhouette")
    for name, (x, y) in lm.items():
        if name not in LATERAL_ARM_LANDMARKS and arm.buffer(0.5).contains(Point(x, y)):
            problems.append(f"body-lateral: {name} is hidden behind the arm")
    return problems


def validate_across(panels: dict) -> list[str]:
    """Shared landmarks at the same heights on the front, back and side views."""
    problems = []
    side = panels["body-lateral"]["landmarks"]
    for other, names in LATERAL_SAME_HEIGHT.items():
        lm = panels[other]["landmarks"]
        for entry in names:
            mine, theirs = entry if isinstance(entry, tuple) else (entry, entry)
            if abs(side[mine][1] - lm[theirs][1]) > 1.0:
                problems.append(f"body-lateral: {mine} (y={side[mine][1]}) is not level with {theirs} on {other} "
                                f"(y={lm[theirs][1]})")
    return problems


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


def build_all() -> dict[str, dict]:
    panels = [body_panel("anterior"), body_panel("posterior"), lateral_panel()]
    panels += [builder() for builder in EXTRA_PANELS]
    return {p["id"]: p for p in panels}


EXTRA_PANELS: list = [ear_panel, foot_lateral_panel, foot_medial_panel, foot_dorsum_panel, foot_plantar_panel,
                      hand_dorsum_panel]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "assets" / "figures"))
    ap.add_argument("--check", action="store_true", help="only check that the files on disk are up to date")
    args = ap.parse_args(argv)
    out = Path(args.out)
    problems: list[str] = []
    texts = {}
    built = {}
    for pid, panel in build_all().items():
        panel = rounded(panel)
        problems += validate(panel)
        built[pid] = panel
        texts[pid] = to_json(panel)
    problems += validate_across(built)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    stale = []
    for pid, text in texts.items():
        path = out / f"{pid}.json"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            n_out = sum(len(o) for o in json.loads(text)["outlines"])
            print(f"wrote {path} ({n_out} outline points, {len(json.loads(text)['landmarks'])} landmarks)")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python tools/build_figures.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
