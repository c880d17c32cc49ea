"""Take the README's screenshots of the running app (desktop and mobile; overlay and side by side).

Usage: `python tools/screenshots.py [--out docs/screenshots]`. Starts `streamlit run app.py`
on a free local port, drives Debian's Chromium with Playwright, and stops the server again.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.appserver import serve_app  # noqa: E402 - after the path is set

SHOTS = [
    # name, query string, viewport width, height, what to show (None: the top of the page)
    ("desktop-overlay", "?point=BL40", 1440, 900, None),
    ("desktop-side-by-side", "?mode=Side+by+side&labels=false", 1440, 900, None),
    ("desktop-details", "?complaint=Sciatica&referral-zones=true&meridians=true&point=pir-lateral", 1440, 900,
     None),
    ("desktop-table", "?complaint=Neck+pain", 1440, 900, "table.bm-rows"),
    ("mobile-overlay", "", 390, 844, None),
    ("mobile-side-by-side", "?mode=Side+by+side", 390, 844, None),
    ("mobile-card", "?point=BL40", 390, 844, "aside.bm-card"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with serve_app() as (url, _pid), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                                      "--disable-background-networking"])
        for name, query, width, height, focus in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": height}, is_mobile=width < 500,
                                    device_scale_factor=2 if width < 500 else 1)
            page.goto(url + "/" + query)
            page.locator("svg.bodymap:visible").first.wait_for(timeout=60_000)
            if "point=" in query:
                page.locator("aside.bm-card.bm-open").wait_for(timeout=30_000)
            page.wait_for_timeout(1200)  # let fonts and layout settle
            if focus:
                page.locator(focus).first.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.wait_for_timeout(300)
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target), full_page=False)
            print(f"wrote {target}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
