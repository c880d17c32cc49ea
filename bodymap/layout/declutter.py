"""Markers that would cover each other are set apart, a few units at a time, inside their panel.

Two marks of different points never overlap as drawn, nor, outside close-ups, two spots of one
point (left and right KI3, both set aside toward the midline, stacked into what looked like one
point): where they would, both move away from each other along the line between them (or
sideways when they coincide), and the drawing joins each moved mark to its exact spot with a thin
leader. The marks of one spot (a point and its pregnancy-caution ring) move together.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from bodymap.content.scenetypes import Box, Marker, PanelPlacement
from bodymap.core import theme

ROUNDS = 300
CLEARANCE = 1.0  # page units between the inks of two neighbouring marks
REACH = 90.0  # page units: how far apart (in height) two marks may start and still be compared


def _radius(m: Marker) -> float:
    return theme.symbol_radius(theme.marker_symbol(m.layer, m.therapy, m.placement))


def _clusters(markers: list[Marker], pp: PanelPlacement) -> list[dict]:
    """One movable body per spot (a point may have several, like the Jiaji at each level): position, radius, markers."""
    bodies: dict[tuple[str, str, float, float], dict] = {}
    for i, m in enumerate(markers):
        key = (m.code, m.side, round(m.x, 1), round(m.y, 1))  # one spot: a point and its caution ring
        x, y = pp.to_page((m.x, m.y))
        # Bodies of one group never push each other. In a close-up a point's spots form one group:
        # its callout leads to each, and parting them there made more leaders cross other marks.
        group = m.code if pp.role == "closeup" else key
        body = bodies.setdefault(key, {"x": x, "y": y, "x0": x, "y0": y, "r": 0.0, "idx": [], "code": m.code, "group": group})
        body["r"] = max(body["r"], _radius(m))  # the caution ring too: it is drawn round its point
        body["idx"].append(i)
    return sorted(bodies.values(), key=lambda b: (b["y0"], b["x0"], b["code"]))


def _push(a: dict, b: dict, n: int) -> bool:
    dx, dy = b["x"] - a["x"], b["y"] - a["y"]
    need = a["r"] + b["r"] + CLEARANCE
    dist = math.hypot(dx, dy)
    if dist >= need:
        return False
    if dist < 1e-6:  # coincident: part them sideways, alternating by position in the list
        dx, dy, dist = (1.0, 0.0, 1.0) if n % 2 else (-1.0, 0.0, 1.0)
    move = (need - dist) / 2 + 0.05
    ux, uy = dx / dist, dy / dist
    a["x"], a["y"] = a["x"] - ux * move, a["y"] - uy * move
    b["x"], b["y"] = b["x"] + ux * move, b["y"] + uy * move
    return True


def _clamp(body: dict, box: Box) -> None:
    r = body["r"]
    body["x"] = min(max(body["x"], box.x + r), box.right - r)
    body["y"] = min(max(body["y"], box.y + r), box.bottom - r)


BUDGET = 400_000  # pair tests per diagram (the built-in atlas needs about 235,000): a user's crowded file stops here
SLACK = 4.0  # page units a mark may travel within one round before the round's grid of neighbours is no longer trusted


def _pairs(bodies: list[dict], cell: float) -> list[tuple[int, int]]:
    """The pairs (n < m, in the order the full scan visits them) whose marks lie within `cell` of each other now.

    Pairs of one group, and pairs that started more than REACH apart in height, are left out as the
    full scan leaves them out.
    """
    cells: dict[tuple[int, int], list[int]] = {}
    keys = [(math.floor(b["x"] / cell), math.floor(b["y"] / cell)) for b in bodies]
    for n, key in enumerate(keys):
        cells.setdefault(key, []).append(n)
    out = []
    for n, (i, j) in enumerate(keys):  # two marks within `cell` of each other lie in neighbouring cells
        a = bodies[n]
        near = [m for di in (-1, 0, 1) for dj in (-1, 0, 1) for m in cells.get((i + di, j + dj), ()) if m > n]
        for m in sorted(near):
            b = bodies[m]
            if b["y0"] - a["y0"] <= REACH and a["group"] != b["group"]:
                out.append((n, m))
    return out


def _round(bodies: list[dict], cell: float) -> tuple[bool, int]:
    """One round of pushes, in the full scan's order; True if any mark moved.

    Only pairs near each other at the round's start are tried: a pair `cell` apart cannot touch
    before one of its marks has travelled SLACK. Should any mark travel that far, the rest of the
    round goes back to the full scan, so the result is always the full scan's. Returns whether
    any mark moved, and how many pairs were tested.
    """
    travelled = [0.0] * len(bodies)
    moved = False
    pairs = _pairs(bodies, cell)
    for tested, (n, m) in enumerate(pairs, 1):
        a, b = bodies[n], bodies[m]
        x0, y0 = a["x"], a["y"]
        if _push(a, b, n):
            moved = True
            step = math.hypot(a["x"] - x0, a["y"] - y0)
            travelled[n] += step
            travelled[m] += step
            if max(travelled[n], travelled[m]) > SLACK - 1e-6:  # a hair early: float rounding never matters
                rest, more = _full_scan(bodies, n, m)
                return rest or moved, tested + more
    return moved, len(pairs)


def _full_scan(bodies: list[dict], n0: int = 0, m0: int = 0) -> tuple[bool, int]:
    """Every pair after (n0, m0) in scan order: the original quadratic round, resumed."""
    moved, tested = False, 0
    for n in range(n0, len(bodies)):
        a = bodies[n]
        for m in range(max(n + 1, m0 + 1) if n == n0 else n + 1, len(bodies)):
            b = bodies[m]
            if b["y0"] - a["y0"] > REACH:
                break  # sorted by starting height: marks that started this far apart never meet
            tested += 1
            moved |= a["group"] != b["group"] and _push(a, b, n)
    return moved, tested


def set_apart(markers: list[Marker], placements: Mapping[str, PanelPlacement]) -> list[Marker]:
    """The markers with `shift` set where a mark had to move to stay clear of another point's mark."""
    out = list(markers)
    by_panel: dict[str, list[int]] = {}
    for i, m in enumerate(out):
        by_panel.setdefault(m.panel, []).append(i)
    left = BUDGET
    for panel_id, pp in placements.items():
        idx = by_panel.get(panel_id, [])
        bodies = _clusters([out[i] for i in idx], pp)
        # Two marks push only when closer than their radii and the clearance: a cell that wide, plus
        # the travel allowed per round on both sides, holds every pair that can push this round.
        cell = 2 * max((b["r"] for b in bodies), default=0.0) + CLEARANCE + 2 * SLACK
        for _ in range(ROUNDS):
            moved, tested = _round(bodies, cell)
            for body in bodies:
                _clamp(body, pp.box)
            left -= tested
            if not moved or left <= 0:  # out of budget: the marks stay where this round left them
                break
        for body in bodies:
            shift = (body["x"] - body["x0"], body["y"] - body["y0"])
            if abs(shift[0]) + abs(shift[1]) > 0.05:
                for j in body["idx"]:
                    out[idx[j]] = replace(out[idx[j]], shift=(round(shift[0], 2), round(shift[1], 2)))
    return out


def drawn_at(m: Marker, pp: PanelPlacement) -> tuple[float, float]:
    """Where the mark is drawn on the page (its spot plus any shift)."""
    x, y = pp.to_page((m.x, m.y))
    return x + m.shift[0], y + m.shift[1]
