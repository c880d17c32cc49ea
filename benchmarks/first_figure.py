"""The app's first figure in a fresh browser, against a bare Streamlit app showing the same SVG.

Run: `python benchmarks/first_figure.py [--repeat 3]` (benchmarks/run.py runs it as one row). The
app is served headless on the loopback address; one visit warms its server (the first session
imports bodymap there) and hands over the SVG the app shows. Then each visit is a fresh browser
context (no cache, no cookies): the time from asking for the page to the figure's SVG being visible.
The bare app (benchmarks/bare_figure_app.py) is then served and timed the same way with that very
SVG. One Streamlit server and one Chromium at a time; the median of `repeat` visits each.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.appserver import serve_app  # noqa: E402 - after the path is set

FIGURE = "svg.bodymap >> visible=true"  # the desktop figure (the phone's copy is hidden at this width)
VIEWPORT = {"width": 1440, "height": 900}


def visit(browser, url: str, timeout_ms: float = 120_000) -> tuple[float, str]:
    """(ms from the request to the visible figure, the figure's SVG) in a fresh browser context."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        figure = page.locator(FIGURE).first
        figure.wait_for(state="visible", timeout=timeout_ms)
        ms = (time.perf_counter() - t0) * 1000
        return ms, figure.evaluate("n => n.outerHTML")
    finally:
        context.close()


def first_figure(repeat: int = 3) -> tuple[float, float]:
    """(median ms of the app, median ms of the bare app showing the same SVG), measured in one run."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("needs Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                                     "--disable-background-networking"])
        try:
            with serve_app() as (url, _pid):
                _, svg = visit(browser, url)  # warms the server; its SVG is what the bare app shows
                ours = [visit(browser, url)[0] for _ in range(repeat)]
            figure = Path(tmp) / "figure.svg"
            figure.write_text(svg, encoding="utf-8")
            with serve_app(script=ROOT / "benchmarks" / "bare_figure_app.py", args=(str(figure),)) as (url, _pid):
                visit(browser, url)
                bare = [visit(browser, url)[0] for _ in range(repeat)]
        finally:
            browser.close()
    return statistics.median(ours), statistics.median(bare)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ours, bare = first_figure(args.repeat)
    print(f"app: first figure in a fresh browser {ours:.0f} ms; bare Streamlit app, same SVG {bare:.0f} ms; "
          f"{ours / bare:.2f}x (target <= 1.15x)")


if __name__ == "__main__":
    main()
