"""The rows of benchmarks/run.py that start cold or print: fresh processes, documents, downloads, a large upload.

Each is measured beside its floor in the same run: a bare Python process importing the same
libraries (the least a fresh `bodymap` process can cost), or the same work warm.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
CLI = [sys.executable, "-m", "bodymap.cli"]
FLOOR_SVG = "import click, svgwrite, yaml, pydantic"
FLOOR_PDF = FLOOR_SVG + ", matplotlib.figure, matplotlib.backends.backend_pdf"


CPU: dict[tuple[str, ...], float] = {}  # the median CPU ms (user + system) of each command wall() ran


def wall(argv: list[str], repeat: int) -> float:
    """Median wall time (ms) of running `argv` in a fresh process (its median CPU time goes to CPU)."""
    samples, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=ENV, check=True, capture_output=True)
        samples.append((time.perf_counter() - t0) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    CPU[tuple(argv)] = statistics.median(cpu)
    return statistics.median(samples)


def cpu_note(argv: list[str], floor_argv: list[str]) -> str:
    """'; CPU 1,234 ms vs 567 ms': on a shared machine the CPU times are steadier than the wall times."""
    return f"; CPU {CPU[tuple(argv)]:,.0f} ms vs {CPU[tuple(floor_argv)]:,.0f} ms"


def inner(code: str, repeat: int) -> float:
    """Median of the milliseconds a fresh process prints for `code`."""
    out = []
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True)
        out.append(float(proc.stdout.strip().splitlines()[-1]))
    return statistics.median(out)


def cli_rows(add, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        floor_svg = [sys.executable, "-c", FLOOR_SVG]
        floor = wall(floor_svg, repeat)
        svg = [*CLI, "export", "low-back-pain", "-o", f"{tmp}/x.svg"]
        ms = wall(svg, repeat)
        add("`bodymap export low-back-pain -o x.svg`, fresh process", ms,
            f"+{ms - floor:.0f} ms over bare `python -c \"{FLOOR_SVG}\"` ({floor:.0f} ms){cpu_note(svg, floor_svg)}",
            "<= 300 ms, <= floor + 250 ms")
        first = inner("import time, bodymap; t = time.perf_counter(); bodymap.render('low-back-pain'); "
                      "print((time.perf_counter() - t) * 1000)", repeat)
        add("first `bodymap.render()` after `import bodymap`, fresh process", first, "", "<= 200 ms")
        floor_pdf = [sys.executable, "-c", FLOOR_PDF]
        pdf_floor = wall(floor_pdf, repeat)
        for fmt, target in (("reference", "<= 1000 ms"), ("handout", "<= 700 ms")):
            doc = [*CLI, "export", "low-back-pain", "-f", fmt, "-o", f"{tmp}/x.pdf"]
            ms = wall(doc, repeat)
            add(f"`-f {fmt}` from the CLI, fresh process", ms,
                f"+{ms - pdf_floor:.0f} ms over bare Python importing the same libraries ({pdf_floor:.0f} ms)"
                f"{cpu_note(doc, floor_pdf)}", target)


def download_rows(add, timeit, repeat: int) -> None:
    """What a download click costs the app: the file is built on the click, in a process already warm."""
    import bodymap

    bodymap.render("low-back-pain")  # the figure the app shows before any click
    for fmt, target in (("reference", "<= 1000 ms"), ("png", "<= 300 ms")):
        ms = timeit(lambda fmt=fmt: bodymap.render("low-back-pain", fmt), repeat, warmup=0)
        add(f"app download, {fmt} (built on the click, warm process)", ms, "", target)


def limit_rows(add, repeat: int) -> None:
    """CPU time to lay out and draw each file of heavy_upload.AT_THE_LIMIT (parsed beforehand, not timed)."""
    from heavy_upload import AT_THE_LIMIT, crowded_panels, heavy_upload

    from bodymap.api import scene_for
    from bodymap.backends.svg import render_svg
    from bodymap.figures.loading import load_data_text

    for points, sites, what in AT_THE_LIMIT:
        samples = []
        for _ in range(repeat):
            text = heavy_upload(points, sites) if points else crowded_panels()
            cat = load_data_text(text, "limit.yaml")  # a new catalog each time: no cached layout
            t0 = time.process_time()
            render_svg(scene_for("heavy-test", data=cat))
            samples.append((time.process_time() - t0) * 1000)
        add(f"upload at the limits: {what}, CPU to its SVG", statistics.median(samples), "", "<= 2000 ms CPU")


def upload_row(add, timeit, repeat: int) -> None:
    """The app's path for a large valid upload: sandboxed parse and validation, then the figure."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from heavy_upload import heavy_upload

    from bodymap.api import scene_for
    from bodymap.backends.svg import render_svg
    from bodymap.core.errors import DataError
    from bodymap.sandbox import load_upload

    text = heavy_upload(50, 5)  # 50 bilateral points x 5 sites = 500 marks, one complaint
    raw = text.encode()

    def run() -> None:
        cat = load_upload(raw, "heavy.yaml")
        render_svg(scene_for("heavy-test", data=cat))

    limit_rows(add, repeat)
    name = f"upload of {len(raw) // 1024} KB (500 marks in one complaint) until its SVG"
    try:
        ms = timeit(run, repeat, warmup=0)
    except DataError as exc:  # the sandbox's wall-clock stop, on a machine too busy to measure
        add(name, float("nan"), f"refused: {exc}", "<= 1000 ms")
        return
    add(name, ms, "", "<= 1000 ms")
