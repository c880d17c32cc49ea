"""Leader lines routed round what a reader must see: other points' marks, captions, texts and other leaders.

A leader is a polyline from its mark to its label: straight where that is clear, else with one
knee (down or up to the label's line, then across) or two (out, along a gap, then across), else
a path found round the crowd on a grid of free cells. Every leader placed becomes an obstacle for
the next, so no two leaders touch. Obstacles are found through a spatial grid, and the work a page
may spend on routing is bounded (ROUTE_BUDGET), so a user's crowded file cannot take long.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from bodymap.content.scenetypes import Box
from bodymap.layout.spatial import Buckets

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


# The work a page's leaders may do, so that no file the upload limits accept takes long to lay out.
# Counted in grid cells searched round crowds; testing one leader shape costs SHAPE_COST cells (each
# unit is about a microsecond). The built-in complaints need at most about 1,030,000 (thoracic back
# pain at page width 540) and most far less. Past the budget leaders are no longer routed: a label
# takes the nearest line where its text is clear, with straight leaders (which the callers count as
# faults), and the panel is not tried again.
ROUTE_BUDGET = 2_000_000
SHAPE_COST = 20
BUCKET = 32.0


@dataclass
class Obstacles:
    """What a leader must not run through, and what a label must not cover, as the page fills up.

    Each kind is also held in a spatial grid, so a test meets only the obstacles near it: the cost
    of placing a label no longer grows with every mark and leader on the page.
    """

    marks: list[tuple[Box, Point]] = field(default_factory=list)  # each mark's box and centre
    texts: list[Box] = field(default_factory=list)  # captions and placed labels
    lines: list[tuple[Point, Point]] = field(default_factory=list)  # placed leaders' segments
    spent: list[int] = field(default_factory=lambda: [0])  # grid cells searched round crowds, shared by every copy

    def __post_init__(self) -> None:  # the boxes as leaders meet them, as plain tuples (tested a million times)
        d = MARK_SLACK
        self._marks = [((b.x - d, b.y - d, b.right + d, b.bottom + d), c) for b, c in self.marks]
        self._texts = [(t.x - TEXT_PAD, t.y - TEXT_PAD, t.right + TEXT_PAD, t.bottom + TEXT_PAD) for t in self.texts]
        # One grid for all three kinds (item n of kind k is 4 n + k), so a test asks it once; a mark by
        # the larger of its two boxes, a text by its padded box, a leader by its segment's bounds.
        self._grid, self._centres = Buckets(BUCKET), Buckets(BUCKET)
        for n, ((r, (cx, cy)), (b, _)) in enumerate(zip(self._marks, self.marks, strict=True)):
            self._grid.insert(4 * n, min(r[0], b.x), min(r[1], b.y), max(r[2], b.right), max(r[3], b.bottom))
            self._centres.insert(n, cx, cy, cx, cy)
        for n, r in enumerate(self._texts):
            self._grid.insert(4 * n + 1, *r)
        for n, (p, q) in enumerate(self.lines):
            self._grid.insert(4 * n + 2, min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
        self._routing: dict[tuple[float, float, float, float], _Blocked] = {}  # per region: its cells, kept up to date
        # Each segment's verdict until the next leader or label is added: a label tries the same
        # first legs (out from its marks, along the knees) at every line it tries.
        self._verdicts: dict[tuple[Point, Point, frozenset[Point]], bool] = {}
        self._owners: dict[frozenset[Point], set[int]] = {}  # a leader's own marks, by the points it leaves from

    def line_is_clear(self, line: Line, own: set[Point]) -> bool:
        mine = frozenset(own)
        verdicts = self._verdicts
        for p, q in segments(line):
            key = (p, q, mine)
            clear = verdicts.get(key)
            if clear is None:
                clear = verdicts[key] = self._segment_is_clear(p, q, self._own_marks(mine))
            if not clear:
                return False
        return True

    def _own_marks(self, own: frozenset[Point]) -> set[int]:
        """The numbers of the marks a leader from these points may cross: its own."""
        found = self._owners.get(own)
        if found is None:
            found = self._owners[own] = {n for n in self._centres_near(own) if _near(self.marks[n][1], own)}
        return found

    def _centres_near(self, points: Iterable[Point]) -> set[int]:
        found: set[int] = set()
        for x, y in points:
            found |= self._centres.near(x - 0.05, y - 0.05, x + 0.05, y + 0.05)
        return found

    def _segment_is_clear(self, p: Point, q: Point, own: set[int]) -> bool:
        marks, texts, lines = self._marks, self._texts, self.lines
        px, py, qx, qy = p[0], p[1], q[0], q[1]
        x0, x1 = min(px, qx) - LEADER_CLEARANCE, max(px, qx) + LEADER_CLEARANCE
        y0, y1 = min(py, qy) - LEADER_CLEARANCE, max(py, qy) + LEADER_CLEARANCE
        for item in self._grid.near(x0, y0, x1, y1):
            n, kind = item >> 2, item & 3
            if kind == 2:
                a, b = lines[n]
                if max(a[0], b[0]) < x0 or min(a[0], b[0]) > x1 or max(a[1], b[1]) < y0 or min(a[1], b[1]) > y1:
                    continue  # too far to come within the clearance
                if not apart(p, q, a, b):
                    return False
                continue
            r = marks[n][0] if kind == 0 else texts[n]
            if r[3] < y0 or r[1] > y1 or r[2] < x0 or r[0] > x1 or (kind == 0 and n in own):
                continue
            if _hits(px, py, qx, qy, r):
                return False
        return True

    def text_is_clear(self, box: Box) -> bool:
        for item in self._grid.near(box.x, box.y, box.right, box.bottom):
            n, kind = item >> 2, item & 3
            if kind == 2:
                if hits_box(*self.lines[n], box):
                    return False
            elif box.intersects(self.marks[n][0] if kind == 0 else self.texts[n]):
                return False
        return True

    @property
    def exhausted(self) -> bool:
        return self.spent[0] > ROUTE_BUDGET

    def copy(self) -> Obstacles:
        return Obstacles(list(self.marks), list(self.texts), list(self.lines), self.spent)

    def replace(self, other: Obstacles) -> None:
        self.marks, self.texts, self.lines, self.spent = other.marks, other.texts, other.lines, other.spent
        self._marks, self._texts = other._marks, other._texts
        self._grid, self._centres = other._grid, other._centres
        self._routing, self._verdicts, self._owners = other._routing, other._verdicts, other._owners

    def add(self, lines: list[Line], text: Box | None = None) -> None:
        self._verdicts = {}
        for line in lines:
            for a, b in segments(line):
                self._grid.insert(4 * len(self.lines) + 2, min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
                self.lines.append((a, b))
        if text is not None:
            r = (text.x - TEXT_PAD, text.y - TEXT_PAD, text.right + TEXT_PAD, text.bottom + TEXT_PAD)
            self._grid.insert(4 * len(self.texts) + 1, *r)
            self.texts.append(text)
            self._texts.append(r)

    def marks_near_points(self, points: set[Point]) -> list[tuple[Box, Point]]:
        """The marks whose centre lies within 0.05 of one of the points (and maybe a few more)."""
        return [self.marks[n] for n in sorted(self._centres_near(points))]

    def marks_near(self, x0: float, y0: float, x1: float, y1: float) -> list[tuple[Box, Point]]:
        return [self.marks[i >> 2] for i in sorted(self._grid.near(x0, y0, x1, y1)) if i & 3 == 0]


def _near(p: Point, own: Iterable[Point]) -> bool:
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
    """The simplest clear leader from the mark to the label's end, or None (also once the page's budget is spent)."""
    for line in shapes(anchor, end):
        if obstacles.exhausted:
            return None
        obstacles.spent[0] += SHAPE_COST
        if obstacles.line_is_clear(line, own):
            return line
    return None


# --- a leader round a crowd: a shortest path on a grid of free cells, pulled taut ---------------

CELL = 2.0  # page units per grid cell
TAUT_TRIES = 4  # reachable label lines tried, nearest first, before giving up




class _Cells:
    """A region cut into square cells CELL wide, numbered row by row."""

    def __init__(self, region: Box):
        self.x0, self.y0 = region.x, region.y
        self.nx, self.ny = int(region.w / CELL) + 1, int(region.h / CELL) + 1

    def cell(self, p: Point) -> tuple[int, int]:
        return (min(max(int((p[0] - self.x0) / CELL), 0), self.nx - 1), min(max(int((p[1] - self.y0) / CELL), 0), self.ny - 1))

    def centre(self, i: int, j: int) -> Point:
        return (self.x0 + (i + 0.5) * CELL, self.y0 + (j + 0.5) * CELL)

    def rows(self, box: Box) -> Iterator[tuple[int, int]]:
        """(start, stop) of the cells the box covers, a row at a time."""
        i0, j0 = int((box.x - self.x0) / CELL), int((box.y - self.y0) / CELL)
        i1, j1 = int((box.right - self.x0) / CELL), int((box.bottom - self.y0) / CELL)
        lo, hi = max(i0, 0), min(i1, self.nx - 1) + 1
        if lo >= hi:
            return
        for j in range(max(j0, 0), min(j1, self.ny - 1) + 1):
            yield j * self.nx + lo, j * self.nx + hi

    def block_box(self, free: bytearray, box: Box) -> None:
        for a, b in self.rows(box):
            free[a:b] = bytes(b - a)

    def block_line(self, free: bytearray, a: Point, b: Point, d: float) -> None:
        """Every cell within about d of the segment (a square round each step along it: a little wider, never narrower)."""
        steps = int(math.hypot(b[0] - a[0], b[1] - a[1]) / CELL) + 1
        r = int(d / CELL) + 1
        nx, ny = self.nx, self.ny
        for s in range(steps + 1):
            ci, cj = self.cell((a[0] + (b[0] - a[0]) * s / steps, a[1] + (b[1] - a[1]) * s / steps))
            lo, hi = max(ci - r, 0), min(ci + r, nx - 1) + 1
            for j in range(max(cj - r, 0), min(cj + r, ny - 1) + 1):
                free[j * nx + lo:j * nx + hi] = bytes(hi - lo)


class _Blocked(_Cells):
    """A region's cells as the obstacles leave them, kept up to date as leaders and labels are added.

    `free` is free of every mark, text and leader; `open` of texts and leaders only, so a leader's
    own marks can be opened again without building the whole region anew for every label.
    """

    def __init__(self, region: Box, obstacles: Obstacles):
        super().__init__(region)
        self.free = bytearray([1]) * (self.nx * self.ny)
        self.open = bytearray(self.free)
        self.texts = self.lines = 0  # how many of the obstacles' texts and lines are blocked here
        half = CELL / 2
        for box, _ in obstacles.marks:
            self.block_box(self.free, _grown(box, MARK_SLACK + half))

    def catch_up(self, obstacles: Obstacles) -> None:
        half = CELL / 2
        for t in obstacles.texts[self.texts:]:
            for free in (self.free, self.open):
                self.block_box(free, _grown(t, TEXT_PAD + half))
        for a, b in obstacles.lines[self.lines:]:
            for free in (self.free, self.open):
                self.block_line(free, a, b, LEADER_CLEARANCE + half)
        self.texts, self.lines = len(obstacles.texts), len(obstacles.lines)


class Grid(_Cells):
    """The free cells of a region: not in another mark, a text or near a leader (cells half a cell larger)."""

    def __init__(self, region: Box, obstacles: Obstacles, own: set[Point]):
        super().__init__(region)
        key = (region.x, region.y, region.w, region.h)
        base = obstacles._routing.get(key)
        if base is None:
            base = obstacles._routing[key] = _Blocked(region, obstacles)
        base.catch_up(obstacles)
        self.free = free = bytearray(base.free)
        self.obstacles = obstacles
        half = CELL / 2
        mine = [box for box, centre in obstacles.marks_near_points(own) if _near(centre, own)]
        for box in mine:  # open the leader's own marks (but not the texts and leaders on them)
            for a, b in self.rows(_grown(box, MARK_SLACK + half)):
                free[a:b] = base.open[a:b]
        for box in mine:  # then block again every other mark that shares a cell with them
            g = _grown(box, 2 * CELL)  # int() rounds toward 0: the first row and column of cells are twice as wide
            for other, centre in obstacles.marks_near(g.x, g.y, g.right, g.bottom):
                if not _near(centre, own):
                    self.block_box(free, _grown(other, MARK_SLACK + half))

    def reach(self, start: Point) -> _Reach:
        si, sj = self.cell(start)
        return _Reach(self, sj * self.nx + si)

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


class _Reach:
    """The free cells reachable from a start (breadth first, 8 neighbours), searched a ring at a time only as far
    as a question needs: cell -> the cell it came from, the very tree a full search would give."""

    def __init__(self, grid: Grid, first: int):
        self.grid = grid
        self.came = {first: first}
        self.frontier = [first]

    def has(self, target: int) -> bool:
        obstacles = self.grid.obstacles
        if target not in self.came and not self.grid.free[target]:
            return False  # a blocked cell is never reached: no need to search the whole region to learn it
        while target not in self.came and self.frontier:
            if obstacles.exhausted:
                return False
            obstacles.spent[0] += len(self.frontier)
            self._ring()
        return target in self.came

    def _ring(self) -> None:
        g = self.grid
        nx, ny, free, came = g.nx, g.ny, g.free, self.came
        inner_lo, inner_hi, edge = nx, nx * (ny - 1), nx - 1
        nxt: list[int] = []
        add = nxt.append
        for c in self.frontier:
            if not (inner_lo <= c < inner_hi and 0 < c % nx < edge):
                self._edge_cell(c, nxt)
                continue
            # an inner cell: its 8 neighbours in the order of _edge_cell's, with no bounds to test
            e, w, s, n = c + 1, c - 1, c + nx, c - nx
            fe, fw, fs, fn = free[e], free[w], free[s], free[n]
            if fe and e not in came:
                came[e] = c
                add(e)
            if fw and w not in came:
                came[w] = c
                add(w)
            if fs and s not in came:
                came[s] = c
                add(s)
            if fn and n not in came:
                came[n] = c
                add(n)
            # a diagonal step only between two free orthogonal cells, never across a corner
            for d in ((s + 1) if fe and fs else -1, (n + 1) if fe and fn else -1, (s - 1) if fw and fs else -1,
                      (n - 1) if fw and fn else -1):
                if d >= 0 and free[d] and d not in came:
                    came[d] = c
                    add(d)
        self.frontier = nxt

    def _edge_cell(self, c: int, nxt: list[int]) -> None:
        g = self.grid
        nx, ny, free, came = g.nx, g.ny, g.free, self.came
        i, j = c % nx, c // nx
        for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)):
            a, b = i + di, j + dj
            if 0 <= a < nx and 0 <= b < ny:
                n = b * nx + a
                if free[n] and n not in came and (di == 0 or dj == 0 or (free[j * nx + a] and free[b * nx + i])):
                    came[n] = c
                    nxt.append(n)


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
    """The first end (in the order given) every anchor can reach round the obstacles, with each leader pulled taut.

    None when no end is reached, or when the page's leaders have used up their search (ROUTE_BUDGET).
    """
    if obstacles.exhausted:
        return None
    own = set(anchors)
    grid = Grid(region, obstacles, own)
    reached = [grid.reach(a) for a in anchors]
    tried = 0
    for k, end in enumerate(ends):
        ei, ej = grid.cell(end)
        if not all(r.has(ej * grid.nx + ei) for r in reached):
            if obstacles.exhausted:
                return None
            continue
        tried += 1
        if tried > TAUT_TRIES:
            break
        lines = []
        for a, r in zip(anchors, reached, strict=True):
            pts = grid.path(r.came, a, end)
            line = taut(pts, obstacles, own) if pts else None
            if line is None:
                break
            lines.append(line)
        else:
            return k, lines
    return None
