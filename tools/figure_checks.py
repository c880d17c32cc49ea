"""Checks of the built panels: the vocabulary (vocabulary.yaml) and the drawing rules (checks.yaml)."""

from __future__ import annotations

import math
from itertools import pairwise

from figure_body import HAND, VERTEBRAE, VERTEX_Y
from figure_geometry import load
from figure_profile import PLUMB_X
from shapely.geometry import Point, Polygon
from shapely.ops import unary_union

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
    if any(b <= a for a, b in pairwise(ys)):
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
        on_right = (x > panel["midline_x"]) == (panel["view"] != "anterior") if panel["side"] == "both" else True
        if name not in req["midline"] and not on_right:
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
    if any(b <= a for a, b in pairwise(ys)):
        problems.append("body-lateral: landmarks do not run head to foot: "
                        + ", ".join(f"{a} ({ya}) / {b} ({yb})" for (a, ya), (b, yb) in
                                    pairwise(zip(chain_, ys, strict=True)) if yb <= ya))
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
