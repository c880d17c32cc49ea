"""The foot panels (lateral, medial, dorsum, sole) at one scale, from assets/figures-src/feet.yaml."""

from __future__ import annotations

import math
from itertools import pairwise

from figure_body import SOURCE, A
from figure_geometry import (
    Spec,
    capsule,
    close_open,
    cut_below,
    det,
    ellipse,
    exterior,
    largest,
    load,
    mirror_pts,
    mirror_x,
    smooth_polygon,
)
from shapely.geometry import Polygon
from shapely.ops import unary_union

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
            for i, (x, b, e, (rb, rt)) in enumerate(zip(t["x"], base, tip, t["radii"], strict=True))]


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
    for i, (a, b) in enumerate(pairwise(toes)):
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
