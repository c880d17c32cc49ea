"""Measure what the app promises (render, export, import, rerun) and print one table.

Run: `python benchmarks/run.py` (full) or `python benchmarks/run.py --quick` (CI smoke run).
Targets are reported, never enforced: timing depends on the machine, so this is not a test.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import coldstart  # noqa: E402 - after the path is set


def timeit(fn, repeat: int, warmup: int = 1) -> float:
    """Median wall time of `fn` in milliseconds (garbage collection paused while timing)."""
    for _ in range(warmup):
        fn()
    samples = []
    gc.disable()
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
    finally:
        gc.enable()
    return statistics.median(samples)


def floor_builder(svg_text: str):
    """A function that rebuilds the same elements with bare svgwrite calls (the library's floor).

    The element tree of our own output is read once, outside the timing; the returned function
    only creates the same elements, with the same attributes and text, and serialises them.
    """
    import xml.etree.ElementTree as ET

    import svgwrite
    from svgwrite.base import Desc, Title

    ns = "{http://www.w3.org/2000/svg}"

    def plan(el):
        tag = el.tag.replace(ns, "")
        attrs = {k.replace("-", "_"): v for k, v in el.attrib.items() if ":" not in k and "{" not in k}
        if tag in ("polygon", "polyline"):  # svgwrite wants point pairs, not the serialised string
            attrs["points"] = [tuple(map(float, p.split(","))) for p in attrs["points"].split()]
        return tag, attrs, el.text, [plan(c) for c in el]

    root = ET.fromstring(svg_text)
    children = [plan(c) for c in root]

    def build():
        dwg = svgwrite.Drawing(size=(root.get("width"), root.get("height")), debug=False)

        def make(node, parent):
            tag, attrs, text, kids = node
            if tag in ("title", "desc"):
                parent.add((Title if tag == "title" else Desc)(text or ""))
                return
            if tag == "defs":
                return
            factory = getattr(dwg, tag)
            el = factory(text, **attrs) if tag == "text" else factory(**attrs)
            for kid in kids:
                make(kid, el)
            parent.add(el)

        for node in children:
            make(node, dwg)
        return dwg.tostring()

    return build


def synthetic(scene, n: int):
    """A scene with n markers spread over the first panel (to see how cost grows)."""
    base = [m for m in scene.markers if m.panel == "body-posterior"] or list(scene.markers)
    markers = tuple(replace(base[i % len(base)], id=f"syn-{i}", y=base[i % len(base)].y + (i // len(base)) * 0.01)
                    for i in range(n))
    return replace(scene, markers=markers, labels=(), zones=(), channels=())


def import_time(repeat: int) -> float:
    code = "import time; t=time.perf_counter(); import bodymap; print((time.perf_counter()-t)*1000)"
    out = []
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
        out.append(float(proc.stdout.strip()))
    check = subprocess.run([sys.executable, "-c", "import sys, bodymap; bodymap.render; "
                            "print(any(m in sys.modules for m in ('matplotlib', 'streamlit')))"],
                           capture_output=True, text=True, cwd=ROOT, check=True)
    if check.stdout.strip() != "False":
        print("WARNING: import bodymap pulled in matplotlib or streamlit", file=sys.stderr)
    return statistics.median(out)


FLOOR_APP = '''
# The floor: bodymap's widgets and page elements, but every output is a static, cached value.
import json
import streamlit as st

DATA = json.load(open(__file__.replace("floor_app.py", "floor.json")))


@st.cache_resource
def tables():
    import pyarrow as pa
    return pa.table(DATA["points"]), pa.table(DATA["comparison"])


sb = st.sidebar
sb.title("bodymap")
sb.caption("floor")
sb.selectbox("Complaint", DATA["complaints"], key="complaint")
sb.segmented_control("Mode", ["Overlay", "Side by side", "Atlas"], default="Overlay", key="mode")
for label in ("Dry needling", "Acupuncture", "Referral zones", "Meridians", "Labels", "Danger zones", "Pregnancy cautions"):
    sb.toggle(label, value=label in ("Dry needling", "Acupuncture", "Labels"), key=label)
sb.radio("View", ["Back and front", "Back", "Front"], key="view", horizontal=True)
sb.radio("Affected side", ["Both", "Left", "Right"], key="side", horizontal=True)
sb.text_input("Find a point or muscle", key="q")
sb.file_uploader("Your own data", type=["yaml", "json"], key="upload")
st.title("Low back pain")
st.caption("summary")
st.markdown(DATA["svg"], unsafe_allow_html=True)
for col, label in zip(st.columns(5), ("SVG", "PNG", "PDF", "Handout", "JSON")):
    col.download_button(label, data=b"x", file_name="x", on_click="ignore", key=label + "-dl")
st.caption("disclaimer")
points, comparison = tables()
a, b, c, d = st.tabs(["Points and muscles", "Why these spots", "Compare the therapies", "Sources"])
a.dataframe(points, hide_index=True)
b.markdown("rationale")
c.dataframe(comparison, hide_index=True)
d.markdown("sources")
'''


def app_rerun(repeat: int, tmp: Path) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    import bodymap
    from bodymap.api import describe, list_complaints
    from bodymap.data.catalog import load_catalog

    info = describe("low-back-pain")
    rows = info["rows"]
    cmp_rows = load_catalog().comparison.rows
    floor = {
        "svg": f'<div class="bodymap-figure">{bodymap.render("low-back-pain")}</div>',
        "complaints": [name for _, name in list_complaints()],
        "points": {k: [str(r[k]) for r in rows] for k in rows[0]},
        "comparison": {"aspect": [r.aspect for r in cmp_rows], "dn": [r.dry_needling for r in cmp_rows],
                       "acu": [r.acupuncture for r in cmp_rows]},
    }
    (tmp / "floor.json").write_text(json.dumps(floor), encoding="utf-8")
    (tmp / "floor_app.py").write_text(FLOOR_APP, encoding="utf-8")

    def toggling(path: str, values: tuple[str, str]) -> float:
        # The app's layer chips change the figure in the browser (benchmarks/interaction.py); a
        # sidebar choice is the rerun both apps share: the affected side, flipped back and forth.
        at = AppTest.from_file(path, default_timeout=60)
        at.run()
        state = {"v": True}

        def flip():
            state["v"] = not state["v"]
            at.radio(key="side").set_value(values[state["v"]]).run()

        # Warm both states into the cache, then time reruns the cache can answer.
        return timeit(flip, repeat, warmup=2)

    return toggling(str(ROOT / "app.py"), ("left", "both")), toggling(str(tmp / "floor_app.py"), ("Left", "Both"))


def anatomapa_two_view(repeat: int) -> float | None:
    try:
        import anatomapa
    except ImportError:
        return None
    values = {r["id"]: i for i, r in enumerate(anatomapa.list_regions()) if r["views"]}
    return timeit(lambda: anatomapa.heatmap(values, view="both", lang="en").to_svg(), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repeats, for a CI smoke run")
    parser.add_argument("--no-app", action="store_true", help="leave out the app rerun (AppTest)")
    parser.add_argument("--readme", action="store_true", help="also write the table into README.md's Speed section")
    args = parser.parse_args()
    load_before = os.getloadavg()
    n = 3 if args.quick else 25

    from bodymap.api import scene_for
    from bodymap.backends.mpl import render_image
    from bodymap.backends.svg import render_svg
    from bodymap.content.options import RenderOptions
    from bodymap.data.catalog import load_catalog
    from bodymap.scene.atlas import atlas_scene
    from bodymap.scene.build import OVERLAYS

    rows: list[tuple[str, float, str, str]] = []  # name, ms, ratio text, target text

    def add(name, ms, ratio="", target=""):
        rows.append((name, ms, ratio, target))

    ids = list(load_catalog().complaints)
    for cid in ids:
        ms = timeit(lambda cid=cid: render_svg(scene_for(cid)), n)
        floor = timeit(floor_builder(render_svg(scene_for(cid))), n)
        add(f"SVG {cid} (as the app opens: therapies + labels)", ms, f"{ms / floor:.2f}x bare svgwrite ({floor:.1f} ms)",
            "<= 10 ms, <= 1.5x")
    for cid in ids:
        ms = timeit(lambda cid=cid: render_svg(scene_for(cid, list(OVERLAYS))), n)
        floor = timeit(floor_builder(render_svg(scene_for(cid, list(OVERLAYS)))), n)
        add(f"SVG {cid} (all layers, scene + render)", ms, f"{ms / floor:.2f}x bare svgwrite ({floor:.1f} ms)",
            "<= 10 ms, <= 1.5x")
    two_view = scene_for("low-back-pain", ["dry-needling", "acupuncture", "labels"])
    ours = timeit(lambda: render_svg(scene_for("low-back-pain")), n)
    peer = anatomapa_two_view(n)
    if peer is not None:
        add("anatomapa two-view heatmap SVG (peer)", peer, f"ours {ours:.1f} ms = {ours / peer:.2f}x", "ours < peer")
    atlas = timeit(lambda: render_svg(atlas_scene(overlays=list(OVERLAYS))), n)
    atlas_floor = timeit(floor_builder(render_svg(atlas_scene(overlays=list(OVERLAYS)))), n)
    add("SVG atlas (every point, zone, channel)", atlas, f"{atlas / atlas_floor:.2f}x bare svgwrite ({atlas_floor:.1f} ms)",
        "<= 40 ms")
    for fmt in ("png", "pdf"):
        for cid in ids[: 2 if args.quick else len(ids)]:
            sc = scene_for(cid)
            ms = timeit(lambda sc=sc, fmt=fmt: render_image(sc, fmt, RenderOptions(dpi=96)), max(2, n // 3))
            add(f"{fmt.upper()} {cid}", ms, "",
                "<= 150 ms")
    add("import bodymap (fresh process)", import_time(3 if args.quick else 9), "", "<= 150 ms")
    base = None
    for count in (10, 100, 1000):
        sc = synthetic(two_view, count)
        ms = timeit(lambda sc=sc: render_svg(sc), n)
        base = base or ms
        add(f"SVG with {count} synthetic markers", ms, f"{ms / base:.1f}x the 10-marker time",
            "linear" if count < 1000 else "linear, <= 100 ms")
    coldstart.cli_rows(add, 3 if args.quick else 5)
    coldstart.download_rows(add, timeit, 2 if args.quick else 3)
    coldstart.upload_row(add, timeit, 2 if args.quick else 3)
    if not args.no_app:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            app_ms, floor_ms = app_rerun(3 if args.quick else 10, Path(tmp))
        ratio = f"{app_ms / floor_ms:.2f}x floor app ({floor_ms:.1f} ms)"
        add("app rerun after a sidebar choice (AppTest)", app_ms, ratio, "<= 2x")

    load_after = os.getloadavg()
    lines = [f"Machine: {platform.machine()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores{' (quick mode)' if args.quick else ''}; load average {load_before[0]:.1f} before the run, "
             f"{load_after[0]:.1f} after (other processes share the machine: read the ratios)", "",
             "| measurement | median ms | ratio | target |", "|---|---:|---|---|"]
    lines += [f"| {name} | {ms:.1f} | {ratio} | {target} |" for name, ms, ratio, target in rows]
    print("\n".join(lines))
    if args.readme:
        write_readme(lines)


START, END = "<!-- benchmarks/run.py: start -->", "<!-- benchmarks/run.py: end -->"


def write_readme(lines: list[str]) -> None:
    """Replace the table between the README's two markers with this run's."""
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{chr(10).join(lines)}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
