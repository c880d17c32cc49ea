"""Load test: many concurrent browser sessions toggling and exporting against a local app.

Usage: `python benchmarks/load.py [--sessions 20] [--seconds 60]`. Starts `streamlit run app.py`
on 127.0.0.1, opens that many Chromium pages (Playwright, Debian's chromium), and in each one
clicks the layer chips and downloads files until the time is up. Prints the
actions done, the errors seen (exceptions shown by the app, page errors, failed downloads) and
the server's memory. Only ever talks to the loopback address; stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.appserver import serve_app  # noqa: E402 - after the path is set


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# chip label, layer, URL key, on by default
TOGGLES = (("Dry needling", "dry-needling", "dn", True), ("Acupuncture", "acupuncture", "acu", True),
           ("Meridians", "meridians", "meridians", False), ("Referral zones", "referral-zones", "referral-zones", False))


async def toggle_and_check(page, label: str, layer: str, key: str, default: bool) -> None:
    """Click a layer chip; check the figure changed at once, then wait for the rerun to update the link.

    The figure changes in the browser; the rerun is what loads the server, and waiting for it is
    what a person sharing the link would do. Both are checked, under load.
    """
    chip = page.locator("button.bm-chip", has_text=label)
    was_on = await chip.get_attribute("aria-pressed") == "true"
    await chip.click(timeout=120_000)
    first = page.locator(f'svg.bodymap g[id$="-layer-{layer}"] > *').first
    shown = await first.evaluate("n => getComputedStyle(n).display !== 'none'")
    if shown == was_on:
        raise AssertionError(f"the {label!r} chip did not change the figure")
    in_url = (not was_on) != default
    deadline = time.monotonic() + 120
    while (f"{key}=" in page.url) != in_url:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the link did not follow the {label!r} chip within 120 s")
        await page.wait_for_timeout(50)
    await page.wait_for_timeout(300)  # let the rest of the page (download buttons) finish updating


async def session(browser, url: str, seconds: float, n: int, stats: dict, ready: asyncio.Barrier) -> None:
    page = await browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.on("pageerror", lambda exc: stats["errors"].append(f"session {n}: page error: {exc}"))
    try:
        try:
            await page.goto(url, timeout=240_000)
            await page.locator("svg.bodymap").first.wait_for(timeout=240_000)
            stats["ready"] += 1
        finally:
            await ready.wait()  # the timed phase starts when every session has loaded (or failed to)
        deadline = time.monotonic() + seconds
        step = 0
        while time.monotonic() < deadline:
            step += 1
            await toggle_and_check(page, *TOGGLES[step % 4])
            stats["actions"] += 1
            if step % 5 == 0:
                fmt = ("SVG", "PNG", "PDF")[(step // 5) % 3]
                async with page.expect_download(timeout=120_000) as info:
                    await page.get_by_role("button", name=fmt, exact=True).first.click()
                download = await info.value
                failure = await download.failure()
                if failure:
                    stats["errors"].append(f"session {n}: {fmt} download failed: {failure}")
                stats["downloads"] += 1
            if await page.locator('[data-testid="stException"]').count():
                stats["errors"].append(f"session {n}: the app showed an exception")
                break
    except Exception as exc:  # a timeout or a crash is an error of the run, reported not raised
        stats["errors"].append(f"session {n}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await page.close()


async def run(url: str, sessions: int, seconds: float, pid: int) -> dict:
    from playwright.async_api import async_playwright

    stats: dict = {"actions": 0, "downloads": 0, "errors": [], "rss": [], "ready": 0}
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                                           "--disable-background-networking"])
        ready = asyncio.Barrier(sessions)

        async def sample():
            while True:
                stats["rss"].append(rss_mb(pid))
                await asyncio.sleep(2)

        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(session(browser, url, seconds, i, stats, ready) for i in range(sessions)))
        sampler.cancel()
        await browser.close()
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        raise SystemExit("needs Chromium: apt-get install chromium")
    with serve_app() as (url, pid):
        start_rss = rss_mb(pid)
        stats = asyncio.run(run(url, args.sessions, args.seconds, pid))
    rss = [r for r in stats["rss"] if r == r]
    if stats["ready"] < args.sessions:
        stats["errors"].append(f"only {stats['ready']} of {args.sessions} sessions loaded the app")
    print(f"{args.sessions} sessions ({stats['ready']} loaded) for {args.seconds:.0f} s: {stats['actions']} toggles, "
          f"{stats['downloads']} downloads, {len(stats['errors'])} errors")
    print(f"server memory: {start_rss:.0f} MB at start, peak {max(rss, default=float('nan')):.0f} MB, "
          f"end {rss[-1] if rss else float('nan'):.0f} MB")
    for err in stats["errors"][:20]:
        print("  " + err)
    sys.exit(1 if stats["errors"] else 0)


if __name__ == "__main__":
    main()
