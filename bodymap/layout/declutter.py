"""Markers that would cover each other are set apart, a few units at a time, inside their panel.

Two marks of different points never overlap as drawn: where they would, both move away from
each other along the line between them (or sideways when they coincide), and the drawing joins
each moved mark to its exact spot with a thin leader. Marks of one point (a point and its
pregnancy-caution ring) move together.
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
        body = bodies.setdefault(key, {"x": x, "y": y, "x0": x, "y0": y, "r": 0.0, "idx": [], "code": m.code})
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


def set_apart(markers: list[Marker], placements: Mapping[str, PanelPlacement]) -> list[Marker]:
    """The markers with `shift` set where a mark had to move to stay clear of another point's mark."""
    out = list(markers)
    for panel_id, pp in placements.items():
        idx = [i for i, m in enumerate(out) if m.panel == panel_id]
        bodies = _clusters([out[i] for i in idx], pp)
        for _ in range(ROUNDS):
            moved = False
            for n, a in enumerate(bodies):
                for b in bodies[n + 1:]:
                    if b["y0"] - a["y0"] > REACH:
                        break  # sorted by starting height: marks that started this far apart never meet
                    moved |= a["code"] != b["code"] and _push(a, b, n)
            for body in bodies:
                _clamp(body, pp.box)
            if not moved:
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
