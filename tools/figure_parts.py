"""The ear (GB/T 13734 zones) and the back of the hand, from assets/figures-src/ear.yaml and hand-dorsum.yaml."""

from __future__ import annotations

from figure_body import HAND, SOURCE, A, finger_tip, hand_shape, knuckle, snuffbox, span
from figure_geometry import Spec, close_open, cut_below, det, ellipse, exterior, largest, load, smooth_polygon
from shapely.geometry import Point, Polygon
from shapely.ops import unary_union


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
    details = [det(i, [tuple(p) for p in e[n]]) for i, n in zip(ids, names, strict=True)]
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
