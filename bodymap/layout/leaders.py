"""Leader lines routed round what a reader must see: other points' marks, captions, texts and other leaders.

A leader is a polyline from its mark to its label: straight where that is clear, else with one
knee (down or up to the label's line, then across) or two (out, along a gap, then across). Every
leader placed becomes an obstacle for the next, so no two leaders touch.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from bodymap.content.scenetypes import Box

Point = tuple[float, float]
Line = tuple[Point, ...]

LEADER_CLEARANCE = 1.5  # page units between two leaders of different labels
MARK_SLACK = -2.0  # page units round another point's mark that a leader keeps clear of (< 0: may graze its corner)
TEXT_PAD = 1.0  # page units round a text that a leader keeps clear of
KNEES = (0.0, 7.0, 14.0, 24.0, 36.0)  # how far from its mark, toward the labels, a leader may turn


def hits_box(p: Point, q: Point, box: Box) -> bool:
    """Whether the segment p-q passes through the box (Liang-Barsky clipping)."""
    return _hits(p[0], p[1], q[0], q[1], (box.x, box.y, box.right, box.bottom))


def _to_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / n))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    def turn(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return turn(p1, p2, q1) * turn(p1, p2, q2) < 0 and turn(q1, q2, p1) * turn(q1, q2, p2) < 0


def apart(p1: Point, p2: Point, q1: Point, q2: Point, gap: float = LEADER_CLEARANCE) -> bool:
    """Whether two segments keep at least `gap` apart."""
    if _cross(p1, p2, q1, q2):
        return False
    return min(_to_segment(p1, q1, q2), _to_segment(p2, q1, q2), _to_segment(q1, p1, p2), _to_segment(q2, p1, p2)) >= gap


def segments(line: Line) -> Iterator[tuple[Point, Point]]:
    return zip(line, line[1:], strict=False)


def _hits(px: float, py: float, qx: float, qy: float, r: tuple[float, float, float, float]) -> bool:
    """hits_box for a box given as (x0, y0, x1, y1): the inner loop of every leader test."""
    t0, t1 = 0.0, 1.0
    dx, dy = qx - px, qy - py
    for edge, room in ((-dx, px - r[0]), (dx, r[2] - px), (-dy, py - r[1]), (dy, r[3] - py)):
        if edge == 0:
            if room < 0:
                return False
            continue
        t = room / edge
        if edge < 0:
            if t > t0:
                t0 = t
        elif t < t1:
            t1 = t
        if t0 > t1:
            return False
    return True


@dataclass
class Obstacles:
    """What a leader must not run through, and what a label must not cover, as the page fills up."""

    marks: list[tuple[Box, Point]] = field(default_factory=list)  # each mark's box and centre
    texts: list[Box] = field(default_factory=list)  # captions and placed labels
    lines: list[tuple[Point, Point]] = field(default_factory=list)  # placed leaders' segments

    def __post_init__(self) -> None:  # the boxes as leaders meet them, as plain tuples (tested a million times)
        d = MARK_SLACK
        self._marks = [((b.x - d, b.y - d, b.right + d, b.bottom + d), c) for b, c in self.marks]
        self._texts = [(t.x - TEXT_PAD, t.y - TEXT_PAD, t.right + TEXT_PAD, t.bottom + TEXT_PAD) for t in self.texts]

    def line_is_clear(self, line: Line, own: set[Point]) -> bool:
        for p, q in segments(line):
            px, py, qx, qy = p[0], p[1], q[0], q[1]
            x0, x1 = min(px, qx) - LEADER_CLEARANCE, max(px, qx) + LEADER_CLEARANCE
            y0, y1 = min(py, qy) - LEADER_CLEARANCE, max(py, qy) + LEADER_CLEARANCE
            for r, centre in self._marks:
                if r[3] < y0 or r[1] > y1 or r[2] < x0 or r[0] > x1 or _near(centre, own):
                    continue
                if _hits(px, py, qx, qy, r):
                    return False
            for r in self._texts:
                if not (r[3] < y0 or r[1] > y1 or r[2] < x0 or r[0] > x1) and _hits(px, py, qx, qy, r):
                    return False
            for a, b in self.lines:
                if max(a[0], b[0]) < x0 or min(a[0], b[0]) > x1 or max(a[1], b[1]) < y0 or min(a[1], b[1]) > y1:
                    continue  # too far to come within the clearance
                if not apart(p, q, a, b):
                    return False
        return True

    def text_is_clear(self, box: Box) -> bool:
        if any(box.intersects(t) for t in self.texts) or any(box.intersects(b) for b, _ in self.marks):
            return False
        return not any(hits_box(a, b, box) for a, b in self.lines)

    def copy(self) -> Obstacles:
        return Obstacles(list(self.marks), list(self.texts), list(self.lines))

    def replace(self, other: Obstacles) -> None:
        self.marks, self.texts, self.lines = other.marks, other.texts, other.lines
        self._marks, self._texts = other._marks, other._texts

    def add(self, lines: list[Line], text: Box | None = None) -> None:
        for line in lines:
            self.lines.extend(segments(line))
        if text is not None:
            self.texts.append(text)
            self._texts.append((text.x - TEXT_PAD, text.y - TEXT_PAD, text.right + TEXT_PAD, text.bottom + TEXT_PAD))


def _near(p: Point, own: set[Point]) -> bool:
    return any(abs(p[0] - o[0]) < 0.05 and abs(p[1] - o[1]) < 0.05 for o in own)


def _grown(box: Box, d: float) -> Box:
    return Box(box.x - d, box.y - d, box.w + 2 * d, box.h + 2 * d)


def shapes(anchor: Point, end: Point) -> Iterator[Line]:
    """Leaders from a mark to a label's end, simplest first: straight, one knee, then two."""
    (ax, ay), (ex, ey) = anchor, end
    toward = 1.0 if ex > ax else -1.0
    yield (anchor, end)
    if abs(ey - ay) < 0.5:
        return
    for k in KNEES:  # across to the knee's x along a slant (or straight up/down), then level to the label
        kx = ax + toward * k
        if (ex - kx) * toward > 4.0:
            yield (anchor, (kx, ey), end)
    for k in KNEES[1:]:  # out level first, then up/down a gap between marks, then level to the label
        kx = ax + toward * k
        if (ex - kx) * toward > 4.0:
            yield (anchor, (kx, ay), (kx, ey), end)


def route(anchor: Point, end: Point, obstacles: Obstacles, own: set[Point]) -> Line | None:
    """The simplest clear leader from the mark to the label's end, or None."""
    for line in shapes(anchor, end):
        if obstacles.line_is_clear(line, own):
            return line
    return None


# --- a leader round a crowd: a shortest path on a grid of free cells, pulled taut ---------------

CELL = 2.0  # page units per grid cell
TAUT_TRIES = 4  # reachable label lines tried, nearest first, before giving up


class Grid:
    """The free cells of a region: not in another mark, a text or near a leader (cells half a cell larger)."""

    def __init__(self, region: Box, obstacles: Obstacles, own: set[Point]):
        self.x0, self.y0 = region.x, region.y
        self.nx, self.ny = int(region.w / CELL) + 1, int(region.h / CELL) + 1
        self.free = bytearray([1]) * (self.nx * self.ny)
        half = CELL / 2
        for box, centre in obstacles.marks:
            if not _near(centre, own):
                self._block_box(_grown(box, MARK_SLACK + half))
        for t in obstacles.texts:
            self._block_box(_grown(t, TEXT_PAD + half))
        for a, b in obstacles.lines:
            self._block_line(a, b, LEADER_CLEARANCE + half)

    def cell(self, p: Point) -> tuple[int, int]:
        return (min(max(int((p[0] - self.x0) / CELL), 0), self.nx - 1), min(max(int((p[1] - self.y0) / CELL), 0), self.ny - 1))

    def centre(self, i: int, j: int) -> Point:
        return (self.x0 + (i + 0.5) * CELL, self.y0 + (j + 0.5) * CELL)

    def _block_box(self, box: Box) -> None:
        i0, j0 = int((box.x - self.x0) / CELL), int((box.y - self.y0) / CELL)
        i1, j1 = int((box.right - self.x0) / CELL), int((box.bottom - self.y0) / CELL)
        lo, hi = max(i0, 0), min(i1, self.nx - 1) + 1
        if lo >= hi:
            return
        for j in range(max(j0, 0), min(j1, self.ny - 1) + 1):
            self.free[j * self.nx + lo:j * self.nx + hi] = bytes(hi - lo)

    def _block_line(self, a: Point, b: Point, d: float) -> None:
        """Every cell within about d of the segment (a square round each step along it: a little wider, never narrower)."""
        steps = int(math.hypot(b[0] - a[0], b[1] - a[1]) / CELL) + 1
        r = int(d / CELL) + 1
        nx, ny, free = self.nx, self.ny, self.free
        for s in range(steps + 1):
            ci, cj = self.cell((a[0] + (b[0] - a[0]) * s / steps, a[1] + (b[1] - a[1]) * s / steps))
            lo, hi = max(ci - r, 0), min(ci + r, nx - 1) + 1
            for j in range(max(cj - r, 0), min(cj + r, ny - 1) + 1):
                free[j * nx + lo:j * nx + hi] = bytes(hi - lo)

    def reach(self, start: Point) -> dict[int, int]:
        """Every free cell reachable from the start (breadth first, 8 neighbours): cell -> the cell it came from."""
        si, sj = self.cell(start)
        first = sj * self.nx + si
        came = {first: first}
        frontier = [first]
        nx, free = self.nx, self.free
        while frontier:
            nxt = []
            for c in frontier:
                i, j = c % nx, c // nx
                for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)):
                    a, b = i + di, j + dj
                    if 0 <= a < nx and 0 <= b < self.ny:
                        n = b * nx + a
                        if free[n] and n not in came and (di == 0 or dj == 0 or (free[j * nx + a] and free[b * nx + i])):
                            came[n] = c
                            nxt.append(n)
            frontier = nxt
        return came

    def path(self, came: dict[int, int], start: Point, end: Point) -> list[Point] | None:
        ei, ej = self.cell(end)
        c = ej * self.nx + ei
        if c not in came:
            return None
        cells = [c]
        while came[c] != c:
            c = came[c]
            cells.append(c)
        return [start] + [self.centre(c % self.nx, c // self.nx) for c in reversed(cells[:-1])] + [end]


def taut(points: list[Point], obstacles: Obstacles, own: set[Point]) -> Line | None:
    """The path pulled taut: from each corner, straight to the farthest point it can see."""
    out = [points[0]]
    i, last = 0, len(points) - 1
    while i < last:
        j = i + 1
        if not obstacles.line_is_clear((points[i], points[j]), own):
            return None
        step = 1
        while j < last:  # gallop ahead while the view stays clear, then back off by halves
            k = min(j + step, last)
            if obstacles.line_is_clear((points[i], points[k]), own):
                j, step = k, step * 2
            elif step > 1:
                step //= 2
            else:
                break
        out.append(points[j])
        i = j
    return tuple(out)


def grid_routes(anchors: list[Point], ends: list[Point], region: Box, obstacles: Obstacles) -> tuple[int, list[Line]] | None:
    """The first end (in the order given) every anchor can reach round the obstacles, with each leader pulled taut."""
    own = set(anchors)
    grid = Grid(region, obstacles, own)
    reached = [grid.reach(a) for a in anchors]
    tried = 0
    for k, end in enumerate(ends):
        ei, ej = grid.cell(end)
        if any(ej * grid.nx + ei not in came for came in reached):
            continue
        tried += 1
        if tried > TAUT_TRIES:
            break
        lines = []
        for a, came in zip(anchors, reached, strict=True):
            pts = grid.path(came, a, end)
            line = taut(pts, obstacles, own) if pts else None
            if line is None:
                break
            lines.append(line)
        else:
            return k, lines
    return None
