"""Smooth curves through points (Catmull-Rom as cubic Beziers), shared by both renderers."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

Point = tuple[float, float]
Bezier = tuple[Point, Point, Point]  # control 1, control 2, end point


def catmull_rom(points: Sequence[Point], closed: bool = False, tension: float = 0.5) -> list[Bezier]:
    """Cubic Bezier segments of a Catmull-Rom spline through `points`.

    The spline passes through every point, so a channel drawn this way still touches each
    acupoint it connects; `tension` 0.5 gives the usual centripetal-looking softness.
    """
    n = len(points)
    if n < 2:
        return []
    k = tension / 3.0 * 2.0  # 1/6 of the chord per unit tension, as in the uniform CR form
    segments: list[Bezier] = []
    last = n if closed else n - 1
    for i in range(last):
        p0 = points[(i - 1) % n] if (closed or i > 0) else points[i]
        p1 = points[i]
        p2 = points[(i + 1) % n]
        p3 = points[(i + 2) % n] if (closed or i + 2 < n) else p2
        c1 = (p1[0] + (p2[0] - p0[0]) * k / 2, p1[1] + (p2[1] - p0[1]) * k / 2)
        c2 = (p2[0] - (p3[0] - p1[0]) * k / 2, p2[1] - (p3[1] - p1[1]) * k / 2)
        segments.append((c1, c2, p2))
    return segments


@lru_cache(maxsize=8192)
def smooth(points: tuple[Point, ...], closed: bool) -> tuple[tuple, ...]:
    """The drawn path through `points`: ("M", x, y), ("C", x1, y1, x2, y2, x, y)..., ("Z",) when closed.

    Cached: zones and channels come from the catalog, so the same outlines recur render after render.
    """
    if not points:
        return ()
    segs: list[tuple] = [("M", *points[0])]
    segs.extend(("C", a, b, c, d, x, y) for (a, b), (c, d), (x, y) in catmull_rom(points, closed=closed))
    if closed:
        segs.append(("Z",))
    return tuple(segs)
