"""Shapes and the point notation of assets/figures-src, for tools/build_figures.py (build time only)."""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import numpy as np
import yaml
from shapely import affinity
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.ops import unary_union

SRC = Path(__file__).resolve().parent.parent / "assets" / "figures-src"

# Drawing constants of the algorithms (not of the anatomy).
SPLINE_SAMPLES = 10        # points per control-point interval of a smooth outline
DETAIL_SAMPLES = 6         # the same for a detail line
ROUND_SEGMENTS = 16        # segments per quarter circle when shapely buffers
LOOKUP_SAMPLES = 40        # density of a curve when a point is looked up on it
TINY = 1e-6                # shortest knot interval of the spline


def load(name: str) -> dict:
    """One data file of assets/figures-src (a broken file stops the build with a one-line message)."""
    path = SRC / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SystemExit(f"figures-src/{path.name}: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise SystemExit(f"figures-src/{path.name}: expected a mapping at the top level")
    return data


def catmull_rom(points, closed: bool = False, samples: int = SPLINE_SAMPLES, alpha: float = 0.5) -> list:
    """Dense points of a centripetal Catmull-Rom spline through `points`.

    Centripetal (alpha 0.5) parametrisation never overshoots into loops or cusps, which matters
    for tight anatomical curves (the helix rim, finger tips).
    """
    pts = [np.asarray(p, dtype=float) for p in points]
    if len(pts) < 3:
        return [tuple(p) for p in pts]
    if closed:
        ext = [pts[-1]] + pts + [pts[0], pts[1]]
    else:
        # reflect the end points so the curve starts and ends on them with a natural tangent
        ext = [2 * pts[0] - pts[1]] + pts + [2 * pts[-1] - pts[-2]]
    out: list[tuple[float, float]] = []
    for i in range(1, len(ext) - 2):
        out += _segment(ext[i - 1], ext[i], ext[i + 1], ext[i + 2], samples, alpha)
    if not closed:
        out.append(tuple(map(float, pts[-1])))
    return out


def _segment(p0, p1, p2, p3, samples: int, alpha: float) -> list:
    """The spline between p1 and p2 (Barry-Goldman pyramid), p2 itself excluded."""
    t0 = 0.0
    t1 = t0 + max(np.linalg.norm(p1 - p0), TINY) ** alpha
    t2 = t1 + max(np.linalg.norm(p2 - p1), TINY) ** alpha
    t3 = t2 + max(np.linalg.norm(p3 - p2), TINY) ** alpha
    out = []
    for t in np.linspace(t1, t2, samples, endpoint=False):
        a1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
        a2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
        a3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
        b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
        b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
        c = (t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2
        out.append((float(c[0]), float(c[1])))
    return out


def smooth_polygon(points, samples: int = SPLINE_SAMPLES) -> Polygon:
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
    circles = [Point(p0).buffer(r0, quad_segs=ROUND_SEGMENTS), Point(p1).buffer(r1, quad_segs=ROUND_SEGMENTS)]
    return unary_union(circles).convex_hull


def chain(points_radii) -> Polygon:
    """Union of tapered capsules along a chain of (point, radius): a jointed finger."""
    return unary_union([capsule(a[0], a[1], b[0], b[1]) for a, b in pairwise(points_radii)])


def close_open(geom, close_r: float, open_r: float = 0.0):
    """Round concave corners (closing) and then convex ones (opening)."""
    g = geom.buffer(close_r, quad_segs=ROUND_SEGMENTS).buffer(-close_r, quad_segs=ROUND_SEGMENTS) if close_r else geom
    if open_r:
        g = g.buffer(-open_r, quad_segs=ROUND_SEGMENTS).buffer(open_r, quad_segs=ROUND_SEGMENTS)
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


def add(p, v, k: float = 1.0):
    return (p[0] + v[0] * k, p[1] + v[1] * k)


def lerp(a, b, t: float):
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def swept(axis, stations, samples: int = 8) -> Polygon:
    """A limb as a profile swept along a (bent) axis.

    stations: (d, w_plus, w_minus), d the distance along the axis from its first point (clamped
    to the axis), w_plus / w_minus the half-widths on the +normal and -normal side; +normal is the
    axis direction turned clockwise on screen (for an axis running down the page it points to -x).
    The side contours pass through the offset stations with a Catmull-Rom spline, so muscle
    bellies and joints sit exactly where anatomy puts them.
    """
    dense = np.array(catmull_rom(axis, samples=24))
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(dense, axis=0), axis=1))])
    side_a, side_b = [], []
    for d, wa, wb in stations:
        d = min(max(d, 0.0), arc[-1])
        x, y = np.interp(d, arc, dense[:, 0]), np.interp(d, arc, dense[:, 1])
        i = int(np.clip(np.searchsorted(arc, d), 1, len(dense) - 1))
        tx, ty = dense[i] - dense[i - 1]
        norm = math.hypot(tx, ty)
        nx, ny = -ty / norm, tx / norm      # +normal: direction turned clockwise on screen (y down)
        side_a.append((x + nx * wa, y + ny * wa))
        side_b.append((x - nx * wb, y - ny * wb))
    poly = Polygon(catmull_rom(side_a, samples=samples) + catmull_rom(side_b, samples=samples)[::-1])
    return poly if poly.is_valid else poly.buffer(0)


def exterior(poly: Polygon, tolerance: float = 0.1) -> list:
    """Outer boundary as a clockwise-on-screen point list (no repeated closing point)."""
    poly = largest(poly).simplify(tolerance, preserve_topology=True)
    ring = list(poly.exterior.coords)[:-1]
    # start at the top-most point (then left-most) so the output does not depend on how shapely
    # happened to start the ring
    k = min(range(len(ring)), key=lambda i: (round(ring[i][1], 1), round(ring[i][0], 1)))
    ring = ring[k:] + ring[:k]
    # one orientation for every file: counter-clockwise in x-right/y-up maths, clockwise on screen
    if not Polygon(ring).exterior.is_ccw:
        ring = [ring[0]] + ring[1:][::-1]
    return ring


def det(id_: str, points, closed: bool = False, samples: int = DETAIL_SAMPLES) -> dict:
    """A detail line: a smooth curve through control points."""
    pts = catmull_rom(points, closed=closed, samples=samples) if len(points) > 2 else list(points)
    return {"id": id_, "points": pts, "closed": closed}


def _dense(points) -> np.ndarray:
    return np.array(catmull_rom(points, samples=LOOKUP_SAMPLES) if len(points) > 2 else points)


def curve_at(points, value: float, axis: int) -> tuple[float, float]:
    """The point of a detail curve, monotonic enough along `axis` (0: x, 1: y), where it has `value`."""
    d = _dense(points)
    for p, q in pairwise(d):
        if min(p[axis], q[axis]) <= value <= max(p[axis], q[axis]) and p[axis] != q[axis]:
            other = p[1 - axis] + (q[1 - axis] - p[1 - axis]) * (value - p[axis]) / (q[axis] - p[axis])
            return (value, other) if axis == 0 else (other, value)
    raise SystemExit(f"curve_at: {value} is outside the curve")


def curve_fraction(points, frac: float) -> tuple[float, float]:
    """The point at fraction `frac` of a detail curve's arc length."""
    d = _dense(points)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(d, axis=0), axis=1))])
    target = frac * arc[-1]
    return (float(np.interp(target, arc, d[:, 0])), float(np.interp(target, arc, d[:, 1])))


class Spec:
    """Resolves the point notation of assets/figures-src (see body.yaml) for one panel.

    levels: named numbers; frames: name -> function of two numbers giving a panel point;
    curves: named point lists that landmarks and detail lines may refer to.
    """

    def __init__(self, levels: dict, frames: dict, curves: dict | None = None) -> None:
        self.levels, self.frames = levels, frames
        self.landmarks: dict = {}
        self.curves = {name: self.points(c) for name, c in (curves or {}).items()}

    def num(self, v):
        """A number, a named level, or [level, offset]."""
        if isinstance(v, list):
            return self.num(v[0]) + v[1]
        if isinstance(v, str):
            if v not in self.levels:
                raise SystemExit(f"figures-src: unknown level {v!r} (known: {', '.join(sorted(self.levels))})")
            return self.levels[v]
        return v

    def point(self, spec) -> tuple:
        if isinstance(spec, list):
            return (self.num(spec[0]), self.num(spec[1]))
        (op, arg), = spec.items()
        if op in self.frames:
            return self.frames[op](*(self.point(arg) if isinstance(arg, dict) else map(self.num, arg)))
        return self._op(op)(arg)

    def points(self, spec) -> list:
        """A list of points: written out, all in one frame, or an ellipse / oval."""
        if isinstance(spec, list):
            return [self.point(p) for p in spec]
        (op, arg), = spec.items()
        if op in self.frames:
            return [self.frames[op](*map(self.num, p)) for p in arg]
        return self._op(op)(arg)

    def _op(self, op: str):
        """The method behind a notation such as {curve_x: ...}; an unknown one stops the build."""
        if not op.isidentifier() or not hasattr(self, f"_{op}") or op == "op":
            known = sorted(self.frames) + ["curve_x", "curve_y", "curve_frac", "curve_end", "curve_below", "lerp",
                                           "ellipse", "oval"]
            raise SystemExit(f"figures-src: unknown point notation {op!r} (known: {', '.join(known)})")
        return getattr(self, f"_{op}")

    def resolve_landmarks(self, specs: dict) -> dict:
        """Landmarks in file order; a later one may refer to an earlier one by name."""
        for name, spec in specs.items():
            self.landmarks[name] = self.point(spec)
        return self.landmarks

    def detail(self, d: dict) -> dict:
        pts = self.curves[d["curve"]] if "curve" in d else self.points(d["points"])
        if d.get("smooth", True):
            return det(d["id"], pts, closed=d.get("closed", False))
        return {"id": d["id"], "points": pts, "closed": d.get("closed", False)}

    def _ref(self, v):
        return self.landmarks[v] if isinstance(v, str) else self.point(v)

    def _curve_x(self, arg):
        return curve_at(self.curves[arg[0]], self.num(arg[1]), 0)

    def _curve_y(self, arg):
        return curve_at(self.curves[arg[0]], self.num(arg[1]), 1)

    def _curve_frac(self, arg):
        return curve_fraction(self.curves[arg[0]], arg[1])

    def _curve_end(self, arg):
        return self.curves[arg][-1]

    def _curve_below(self, arg):
        """Straight below (by arg[2]) the curve arg[0], at the x of landmark arg[1]."""
        x = self.landmarks[arg[1]][0]
        return (x, curve_at(self.curves[arg[0]], x, 0)[1] + arg[2])

    def _lerp(self, arg):
        return lerp(self._ref(arg[0]), self._ref(arg[1]), arg[2])

    def _ellipse(self, e):
        (cx, cy), (rx, ry) = self.point(e["center"]), e["radii"]
        return ellipse(cx, cy, rx, ry, angle_deg=e.get("angle", 0.0), n=e["n"])

    def _oval(self, e):
        """An ellipse through a frame: each point is frame(cx + rx cos t, cy + ry sin t)."""
        frame, (cx, cy), (rx, ry) = self.frames[e["frame"]], map(self.num, e["center"]), e["radii"]
        return [frame(cx + rx * math.cos(t), cy + ry * math.sin(t))
                for t in np.linspace(0.0, 2 * math.pi, e["n"], endpoint=False)]
