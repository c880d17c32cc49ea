"""Click to changed figure: how long a layer chip takes to change the figure in headless Chromium.

Usage: `python benchmarks/interaction.py [--clicks 60] [--sessions 0]`. Starts `streamlit run
app.py` on 127.0.0.1, opens the app in Debian's Chromium (Playwright) and clicks the layer chips
in turn. For each click it times, from the mouse click sent by Playwright:

- **figure**: until the layer's drawing has changed on screen (checked each animation frame);
- **server**: until the rerun that carries the choice to Python has updated the link.

`--sessions N` adds N other browser sessions toggling at the same time (load). Prints median
and p95 in milliseconds; timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.appserver import serve_app  # noqa: E402 - after the path is set

# chip label, layer, URL key, on by default
CHIPS = (("Dry needling", "dry-needling", "dn", True), ("Acupuncture", "acupuncture", "acu", True),
         ("Meridians", "meridians", "meridians", False), ("Referral zones", "referral-zones", "referral-zones", False))
SHOWN = """([layer, want]) => {
  const g = document.querySelector('[data-testid=stBidiComponentIsolated]')
    ?.shadowRoot.querySelector(`svg.bodymap g[id$="-layer-${layer}"] > *`);
  return !!g && (getComputedStyle(g).display !== 'none') === want;
}"""


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


async def click_and_time(page, label: str, layer: str, key: str, default: bool) -> tuple[float, float]:
    chip = page.locator("button.bm-chip", has_text=label)
    was_on = await chip.get_attribute("aria-pressed") == "true"
    box = await chip.bounding_box()
    in_url = (not was_on) != default  # after the click, the link names the layer iff it differs from the default
    t0 = time.perf_counter()
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    await page.wait_for_function(SHOWN, arg=[layer, not was_on], polling="raf", timeout=60_000)
    figure = time.perf_counter() - t0
    while (f"{key}=" in page.url) != in_url:
        if time.perf_counter() - t0 > 60:
            raise TimeoutError(f"the link did not follow the {label!r} chip within 60 s")
        await asyncio.sleep(0.005)
    server = time.perf_counter() - t0
    return figure * 1000, server * 1000


async def open_app(browser, url: str):
    page = await browser.new_page(viewport={"width": 1440, "height": 1000})
    await page.goto(url, timeout=240_000)
    await page.locator("svg.bodymap").first.wait_for(timeout=240_000)
    await page.locator("button.bm-chip").first.wait_for()
    return page


async def background(browser, url: str, stop: asyncio.Event) -> None:
    page = await open_app(browser, url)
    step = 0
    while not stop.is_set():
        step += 1
        await click_and_time(page, *CHIPS[step % len(CHIPS)])
    await page.close()


async def run(url: str, clicks: int, sessions: int) -> tuple[list[float], list[float]]:
    from playwright.async_api import async_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                                           "--disable-background-networking"])
        page = await open_app(browser, url)
        stop = asyncio.Event()
        others = [asyncio.create_task(background(browser, url, stop)) for _ in range(sessions)]
        for i in range(4):  # warm up: every chip once each way, so the caches hold both states
            await click_and_time(page, *CHIPS[i % len(CHIPS)])
            await click_and_time(page, *CHIPS[i % len(CHIPS)])
        figure, server = [], []
        for i in range(clicks):
            f, s = await click_and_time(page, *CHIPS[i % len(CHIPS)])
            figure.append(f)
            server.append(s)
        stop.set()
        await asyncio.gather(*others, return_exceptions=True)
        await browser.close()
    return figure, server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=0, help="other sessions toggling at the same time")
    args = parser.parse_args()
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        raise SystemExit("needs Chromium: apt-get install chromium")
    with serve_app() as (url, _pid):
        figure, server = asyncio.run(run(url, args.clicks, args.sessions))
    load = f" with {args.sessions} other sessions toggling" if args.sessions else ""
    print(f"{args.clicks} chip clicks in headless Chromium{load}:")
    print(f"  click to changed figure (in the browser): median {statistics.median(figure):.1f} ms, "
          f"p95 {p95(figure):.1f} ms (target: median <= 100 ms, p95 <= 250 ms)")
    print(f"  click to the rerun's updated link (Python): median {statistics.median(server):.1f} ms, "
          f"p95 {p95(server):.1f} ms")


if __name__ == "__main__":
    main()
