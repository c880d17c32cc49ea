"""Leader routing scales: its spatial grids answer as testing everything, and a user's crowded file has bounded work."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from bodymap.api import scene_for
from bodymap.content.scenetypes import Box
from bodymap.figures.loading import load_data_text
from bodymap.layout import leaders
from bodymap.layout.leaders import Grid, Obstacles, apart, hits_box, segments

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from heavy_upload import crowded_panels, heavy_upload  # noqa: E402 - after the path is set


def _scattered(rng: random.Random) -> Obstacles:
    marks = []
    for _ in range(120):
        x, y, r = rng.uniform(0, 300), rng.uniform(0, 300), rng.choice((4.0, 6.0, 8.0))
        marks.append((Box(x - r, y - r, 2 * r, 2 * r), (x, y)))
    texts = [Box(rng.uniform(-20, 300), rng.uniform(-20, 300), rng.uniform(10, 90), 9.0) for _ in range(25)]
    obstacles = Obstacles(marks, texts)
    for _ in range(30):  # leaders placed one by one, as labels are
        p = (rng.uniform(0, 300), rng.uniform(0, 300))
        obstacles.add([(p, (rng.uniform(-40, 340), p[1]), (rng.uniform(-40, 340), rng.uniform(0, 300)))])
    return obstacles


def _every_obstacle_line_test(o: Obstacles, line, own) -> bool:
    """The test of a leader against every obstacle, with no grid, as the module did before it had one."""
    d, pad = leaders.MARK_SLACK, leaders.TEXT_PAD
    for p, q in segments(line):
        for box, centre in o.marks:
            if not any(abs(centre[0] - a[0]) < 0.05 and abs(centre[1] - a[1]) < 0.05 for a in own) \
                    and hits_box(p, q, Box(box.x - d, box.y - d, box.w + 2 * d, box.h + 2 * d)):
                return False
        if any(hits_box(p, q, Box(t.x - pad, t.y - pad, t.w + 2 * pad, t.h + 2 * pad)) for t in o.texts):
            return False
        if not all(apart(p, q, a, b) for a, b in o.lines):
            return False
    return True


@pytest.mark.parametrize("seed", range(4))
def test_obstacle_grid_answers_as_testing_every_obstacle(seed):
    rng = random.Random(seed)
    o = _scattered(rng)
    verdicts = set()
    for _ in range(400):
        a = (rng.uniform(0, 300), rng.uniform(0, 300))
        line = (a, (rng.uniform(-40, 340), rng.uniform(0, 300))) if rng.random() < 0.5 else \
            (a, (a[0] + rng.uniform(-30, 30), a[1]), (rng.uniform(-40, 340), rng.uniform(0, 300)))
        own = {o.marks[rng.randrange(len(o.marks))][1]} if rng.random() < 0.5 else set()
        want = _every_obstacle_line_test(o, line, own)
        assert o.line_is_clear(line, own) is want
        box = Box(rng.uniform(-20, 300), rng.uniform(-20, 300), rng.uniform(5, 80), 9.0)
        covers = any(box.intersects(t) for t in o.texts) or any(box.intersects(b) for b, _ in o.marks) \
            or any(hits_box(p, q, box) for p, q in o.lines)
        assert o.text_is_clear(box) is (not covers)
        verdicts |= {want, covers}
    assert verdicts == {True, False}  # both answers were met, so the comparison means something


def _full_grid(region: Box, o: Obstacles, own) -> bytearray:
    """Every cell blocked from scratch, as the routing grid was built for each leader before it was kept up to date."""
    cells = leaders._Cells(region)
    free = bytearray([1]) * (cells.nx * cells.ny)
    half = leaders.CELL / 2
    for box, centre in o.marks:
        if not any(abs(centre[0] - a[0]) < 0.05 and abs(centre[1] - a[1]) < 0.05 for a in own):
            cells.block_box(free, leaders._grown(box, leaders.MARK_SLACK + half))
    for t in o.texts:
        cells.block_box(free, leaders._grown(t, leaders.TEXT_PAD + half))
    for a, b in o.lines:
        cells.block_line(free, a, b, leaders.LEADER_CLEARANCE + half)
    return free


def _full_search(grid: Grid, start) -> dict[int, int]:
    si, sj = grid.cell(start)
    first = sj * grid.nx + si
    search = leaders._Reach(grid, first)
    while search.frontier:  # a ring at a time to the end, every cell by the plain, bounds-tested neighbour rule
        nxt: list[int] = []
        for c in search.frontier:
            search._edge_cell(c, nxt)
        search.frontier = nxt
    return search.came


@pytest.mark.parametrize("seed", range(3))
def test_routing_grid_kept_up_to_date_equals_one_built_afresh(seed):
    rng = random.Random(10 + seed)
    o = _scattered(rng)
    region = Box(-30.0, -10.0, 360.0, 320.0)
    for step in range(4):
        own = {o.marks[rng.randrange(len(o.marks))][1] for _ in range(step + 1)}
        grid = Grid(region, o, own)
        assert grid.free == _full_grid(region, o, own)
        start = next(iter(own))
        full = _full_search(grid, start)
        lazy = grid.reach(start)
        far = max(full, key=lambda c: abs(c % grid.nx - grid.cell(start)[0]) + abs(c // grid.nx - grid.cell(start)[1]))
        assert lazy.has(far) and all(lazy.came[c] == full[c] for c in lazy.came)
        assert not lazy.has(-1) and lazy.came == full  # a cell it cannot reach: the search ran to the end
        p = (rng.uniform(0, 300), rng.uniform(0, 300))  # then a leader and a label more, as the page fills
        o.add([(p, (rng.uniform(-40, 340), rng.uniform(0, 300)))], Box(p[0], p[1], 40.0, 9.0))


@pytest.mark.parametrize("text", [heavy_upload(48, 1), crowded_panels()], ids=["one-close-up", "seven-panels"])
def test_a_crowded_file_stops_routing_at_the_budget_and_still_names_every_point(monkeypatch, text):
    """Points crammed into one close-up, or into each of seven panels: the routing work stays within its budget
    (the panels after it are stacked), and each point keeps a label."""
    catalog = load_data_text(text, "crowded.yaml")
    spent = []
    real = leaders.grid_routes

    def counting(anchors, ends, region, obstacles):
        out = real(anchors, ends, region, obstacles)
        spent.append(obstacles.spent[0])
        return out

    monkeypatch.setattr("bodymap.layout.labels.grid_routes", counting)
    scene = scene_for("heavy-test", data=catalog)
    assert spent and max(spent) >= leaders.ROUTE_BUDGET  # this file does reach the budget...
    assert max(spent) < leaders.ROUTE_BUDGET + 200_000  # ...and stops within one search ring or shape of it
    named = {lab.code for lab in scene.labels}
    assert named == {m.code for m in scene.markers}


def test_the_built_in_complaints_stay_well_inside_the_routing_budget(monkeypatch):
    """So the budget never changes a built-in figure: the costliest one known uses about half of it."""
    from bodymap.scene import build

    seen: list[list[int]] = []
    real = leaders.Obstacles.copy

    def watching(self):
        seen.append(self.spent)  # the page's counter, shared by every copy
        return real(self)

    monkeypatch.setattr(leaders.Obstacles, "copy", watching)
    monkeypatch.setattr(build, "_PAGES", {})  # lay the page out here, not from another test's cache
    scene_for("thoracic-back-pain", page_width=540)
    assert seen and 0 < max(s[0] for s in seen) < 0.6 * leaders.ROUTE_BUDGET
