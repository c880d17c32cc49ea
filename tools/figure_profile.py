"""The profile views facing +x: the whole body (body-lateral) and the head enlarged (head-lateral)."""

from __future__ import annotations

from itertools import pairwise

from figure_body import (
    BODY,
    BODY_H,
    BODY_TOLERANCE,
    FINGERTIP_Y,
    FLOOR_Y,
    HAND,
    SK,
    SOURCE,
    VERTEX_Y,
    A,
    closed_fingers,
    expand,
    finger_tip,
    frame_point,
    fwd,
    hand_shape,
    knuckle,
    limb,
    measures,
    snuffbox,
    span,
)
from figure_feet import FOOT_LEN, FS, MALL_Y, SOLE_Y, foot_spec, lateral_foot_contour
from figure_geometry import ROUND_SEGMENTS, Spec, add, close_open, det, exterior, largest, load, smooth_polygon
from shapely.geometry import LineString, Polygon
from shapely.ops import unary_union

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
    for i, (f0, f1) in enumerate(pairwise(fingers)):
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
