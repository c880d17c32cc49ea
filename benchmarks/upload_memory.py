"""Load test: refused uploads leave no trace in the server's memory.

Usage: `python benchmarks/upload_memory.py [--uploads 30] [--megabytes 4.9]`. Starts
`streamlit run app.py` on 127.0.0.1 only, opens one Chromium page (Playwright, Debian's
chromium), loads the app once and closes the page to take a baseline of the server's resident
memory (RSS). Then one session uploads that many files of that size, each refused by bodymap
(a valid YAML shape with an invalid id, padded with a comment), waiting for each refusal to be
shown; the page is closed and the server's RSS is read again once the session has ended. Prints
the numbers and exits 1 when the RSS after is more than 10 % above the baseline.
A bounded loop; it stops by itself.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.appserver import serve_app  # noqa: E402 - after the path is set

TOLERANCE = 0.10  # the RSS after may be at most this much above the baseline
SESSION_TTL = 5  # seconds a closed page's session lives on (Streamlit's default is 120): then it ends


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def refused_file(folder: Path, index: int, size: int) -> Path:
    """A file bodymap refuses at validation (the id is not a slug), `size` bytes long, different each time."""
    head = f"complaints:\n  - {{id: Not A Slug {index}, name: Refused {index}, summary: s}}\n".encode()
    path = folder / f"refused-{index}.yaml"
    path.write_bytes(head + b"#" * (size - len(head) - 1) + b"\n")
    return path


def settle(pid: int, seconds: float = 20.0) -> float:
    """The server's RSS once it stops falling (sessions are cleaned up after their socket closes)."""
    deadline, last = time.monotonic() + seconds, rss_mb(pid)
    while time.monotonic() < deadline:
        time.sleep(2)
        now = rss_mb(pid)
        if abs(now - last) < 1:
            return now
        last = now
    return last


def open_app(browser, url: str):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    page.get_by_role("figure").first.wait_for(timeout=120_000)
    return page


def run(uploads: int, size: int) -> tuple[float, float, float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Chromium: apt-get install chromium")
    os.environ["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(SESSION_TTL)  # read by the server started below
    with serve_app() as (url, pid), sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            open_app(browser, url).close()  # warm: imports, caches and the first render are not a leak
            baseline = settle(pid)
            page = open_app(browser, url)
            for index in range(uploads):
                path = refused_file(Path(tmp), index, size)
                dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
                while dropzone.count() != 1:  # the refused file's uploader is being replaced by a fresh one
                    page.wait_for_timeout(100)
                dropzone.set_input_files(str(path))
                page.get_by_text(re.compile(rf"refused-{index}\.yaml\W.*built-in data")).wait_for(timeout=120_000)
                path.unlink()
            peak = rss_mb(pid)
            page.close()
            time.sleep(SESSION_TTL + 5)  # the session ends (its uploaded files are dropped), then settles
            after = settle(pid, 60)
        finally:
            browser.close()
    return baseline, peak, after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=30)
    parser.add_argument("--megabytes", type=float, default=4.9)
    args = parser.parse_args()
    size = int(args.megabytes * 1_000_000)
    baseline, peak, after = run(max(1, min(args.uploads, 100)), size)
    ratio = after / baseline
    print(f"{args.uploads} refused uploads of {size:,} bytes: server RSS {baseline:.0f} MB before, {peak:.0f} MB "
          f"during, {after:.0f} MB after the session ended ({ratio - 1:+.1%}; allowed +{TOLERANCE:.0%})")
    return 0 if ratio <= 1 + TOLERANCE else 1


if __name__ == "__main__":
    raise SystemExit(main())
