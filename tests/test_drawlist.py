"""The draw list and its two backends: the same primitives in the SVG and on the matplotlib figure."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle as CirclePatch
from matplotlib.patches import PathPatch
from matplotlib.text import Text as TextArtist

import bodymap
from bodymap.api import scene_for
from bodymap.backends.mpl import PX, draw_scene
from bodymap.backends.svg import render_svg
from bodymap.core import theme
from bodymap.draw.drawlist import Circle, Group, Path, Text, compile_scene, symbol
from bodymap.scene.build import OVERLAYS

NS = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _rgba(colour: str, opacity: str | float | None = 1.0) -> str:
    return to_hex(to_rgba(colour, float(opacity if opacity is not None else 1.0)), keep_alpha=True)


def _svg_shapes(el: ET.Element, pattern_fill: str) -> list[tuple]:
    """Canonical shapes of one SVG group: kind, colours and geometry, in document order."""
    out: list[tuple] = []
    for child in el:
        tag = child.tag.replace(NS, "")
        fill = child.get("fill", "none")
        hatch = fill.startswith("url(")
        face = pattern_fill if hatch else ("none" if fill == "none" else _rgba(fill, child.get("fill-opacity")))
        edge = "none" if child.get("stroke") in (None, "none") else _rgba(child.get("stroke"), child.get("stroke-opacity"))
        if tag == "circle":
            cx, cy, r = (round(float(child.get(k)), 1) for k in ("cx", "cy", "r"))
            out.append(("circle", cx, cy, r, face, edge))
        elif tag == "path":
            nums = [float(v) for v in NUMBER.findall(child.get("d"))]
            xs, ys = nums[0::2], nums[1::2]
            out.append(("path", face, edge, min(xs), min(ys), max(xs), max(ys)))
            if hatch:
                out.append(("hatch-lines",))
        elif tag == "text":
            if child.get("stroke"):
                out.append(("halo",))
            out.append(("text", round(float(child.get("x")), 1), round(float(child.get("y")), 1), child.text, _rgba(fill)))
    return out


def svg_groups(svg: str) -> dict[str, list[tuple]]:
    root = ET.fromstring(svg)
    pattern_fill = theme.ZONE_PAINT["danger"]
    fill = to_hex(to_rgba(pattern_fill.fill, pattern_fill.fill_opacity), keep_alpha=True)
    return {g.get("id"): _svg_shapes(g, fill) for g in root.iter(f"{NS}g")
            if g.get("class", "").split(" ")[0] in ("marker", "zone", "channel", "label")}


def mpl_groups(scene) -> dict[str, list[tuple]]:
    """The same, read back from the artists matplotlib was given (in page units, y down)."""
    fig = Figure(figsize=(scene.width / PX, scene.height / PX), dpi=PX)
    draw_scene(fig, scene)
    out: dict[str, list[tuple]] = {}
    for a in fig.get_children():
        gid = a.get_gid()
        if gid is None:
            continue
        if isinstance(a, CirclePatch):
            face = "none" if a.get_fill() is False or a.get_facecolor()[3] == 0 else to_hex(a.get_facecolor(), keep_alpha=True)
            edge = "none" if a.get_linewidth() == 0 else to_hex(a.get_edgecolor(), keep_alpha=True)
            shape = ("circle", round(a.center[0], 1), round(a.center[1], 1), round(a.radius, 1), face, edge)
        elif isinstance(a, PathPatch) and a.get_clip_path() is not None:
            shape = ("hatch-lines",)
        elif isinstance(a, PathPatch) and to_hex(a.get_edgecolor()) == theme.PAPER.lower() and a.get_facecolor()[3] == 0:
            shape = ("halo",)
        elif isinstance(a, PathPatch):
            path = a.get_path().transformed(a.get_transform() - fig.get_children()[0].figure.dpi_scale_trans - _page(fig, scene))
            (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
            face = "none" if a.get_facecolor()[3] == 0 else to_hex(a.get_facecolor(), keep_alpha=True)
            edge = "none" if a.get_linewidth() == 0 else to_hex(a.get_edgecolor(), keep_alpha=True)
            shape = ("path", face, edge, x0, y0, x1, y1)
        elif isinstance(a, TextArtist):
            x, y = a.get_position()
            shape = ("text", round(x, 1), round(y, 1), a.get_text(), to_hex(a.get_color(), keep_alpha=True))
        else:
            continue
        out.setdefault(gid, []).append(shape)
    return out


def _page(fig, scene):
    from matplotlib.transforms import Affine2D

    return Affine2D().scale(1 / PX, -1 / PX).translate(0, scene.height / PX)


@pytest.fixture(scope="module", params=["low-back-pain", "neck-pain", "sciatica"])
def scene(request):
    return scene_for(request.param, overlays=list(OVERLAYS), view="all", highlight=("BL23",))


def test_backends_draw_the_same_primitives(scene):
    svg, mpl = svg_groups(render_svg(scene)), mpl_groups(scene)
    assert len(svg) > 50
    assert set(svg) <= set(mpl)
    for gid, shapes in svg.items():
        assert same(mpl[gid], shapes), (gid, mpl[gid], shapes)


def same(a: list[tuple], b: list[tuple], tol: float = 0.16) -> bool:
    """Equal shape lists, numbers within the SVG's rounding to a tenth of a unit."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if len(x) != len(y):
            return False
        for u, v in zip(x, y, strict=True):
            if isinstance(u, float) or isinstance(v, float):
                if abs(float(u) - float(v)) > tol:
                    return False
            elif u != v:
                return False
    return True


def test_the_parity_check_catches_swapped_symbols(scene, monkeypatch):
    """Swap the local and distal symbols for matplotlib only: the comparison above must see it."""
    import bodymap.draw.drawlist as dl

    real = dl.symbol

    def swapped(key, x, y, scale=1.0):
        other = {"acupuncture-local": "acupuncture-distal", "acupuncture-distal": "acupuncture-local"}.get(key, key)
        return real(other, x, y, scale)

    svg = svg_groups(render_svg(scene))
    monkeypatch.setattr(dl, "symbol", swapped)
    mpl = mpl_groups(scene)
    assert not all(same(mpl.get(gid, []), shapes) for gid, shapes in svg.items())


def test_a_symbol_is_one_definition_for_figure_and_legend():
    scene = scene_for("low-back-pain", overlays=list(OVERLAYS))
    dl = compile_scene(scene)
    legend = next(g for g in dl.items if g.cls == "legend")
    marker_layer = next(g for g in dl.items if g.cls == "layer layer-acupuncture")
    distal = next(g for g in marker_layer.children if "marker-distal" in (g.cls or ""))
    legend_circles = [p for entry in legend.children for p in entry.children if isinstance(p, Circle)]
    shifted = [(c.r, c.paint) for c in distal.children]
    assert shifted == [(c.r, c.paint) for c in symbol("acupuncture-distal", 0, 0)]
    assert all(any(lc.r == r and lc.paint == p for lc in legend_circles) for r, p in shifted)


def test_draw_list_holds_only_primitives():
    dl = compile_scene(scene_for("neck-pain", overlays=list(OVERLAYS)))

    def walk(p):
        assert isinstance(p, (Group, Path, Circle, Text)), type(p)
        for child in getattr(p, "children", ()):
            walk(child)

    for group in dl.items:
        walk(group)
    assert dl.bounds == (0.0, 0.0, dl.width, dl.height)


def test_json_zones_and_channels_carry_their_drawn_path():
    doc = json.loads(bodymap.render("sciatica", "json", list(OVERLAYS)))
    svg = bodymap.render("sciatica", "svg", list(OVERLAYS))
    for key in ("zones", "channels"):
        assert doc[key]
        for item in doc[key]:
            path = item["path"]
            assert path[0][0] == "M" and all(seg[0] in "MCLZ" for seg in path)
            assert path[0][1:] == item["points"][0]  # the curve starts on the first point
            assert len([s for s in path if s[0] == "C"]) >= len(item["points"]) - 1
    zone = doc["zones"][0]
    page = next(p["page"] for p in doc["panels"] if p["id"] == zone["panel"])
    x, y = page["x"] + page["scale"] * zone["path"][1][5], page["y"] + page["scale"] * zone["path"][1][6]
    assert f"{x:.1f},{y:.1f}" in svg  # the SVG draws exactly that curve, placed on the page


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CACHE_HOME", "TMPDIR", "HOME")}
    for name in ("HOME", "MPLCONFIGDIR", "XDG_CACHE_HOME", "TMPDIR"):
        (tmp_path / name).mkdir()
        env[name] = str(tmp_path / name)
    return env


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("fmt", ["pdf", "png", "handout", "reference"])
def test_an_export_writes_only_its_output(tmp_path, fmt):
    env = _env(tmp_path)
    out = tmp_path / "out" / f"x.{fmt}"
    out.parent.mkdir()
    code = f"import bodymap, pathlib; pathlib.Path({str(out)!r}).write_bytes(bodymap.render('neck-pain', {fmt!r}))"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path / "out")
    written = [f for f in _files(tmp_path) if not f.endswith("fontlist-v390.json") and "fontlist" not in f]
    assert written == [f"out/x.{fmt}"]


def test_renders_survive_an_emptied_matplotlib_cache(tmp_path):
    env = _env(tmp_path)
    code = ("import shutil, matplotlib, bodymap\n"
            "bodymap.render('neck-pain', 'pdf')\n"
            "shutil.rmtree(matplotlib.get_cachedir(), ignore_errors=True)\n"
            "assert bodymap.render('neck-pain', 'pdf').startswith(b'%PDF')\n"
            "assert bodymap.render('neck-pain', 'png').startswith(b'\\x89PNG')\n")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
