"""Shared fixtures: the built-in catalog, the panels, and helpers to parse SVG; strict skips on CI."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bodymap.core.assets import assets_dir
from bodymap.data.catalog import load_catalog
from bodymap.figures.geometry import load_panels

SVG_NS = "{http://www.w3.org/2000/svg}"
# On CI (CI=true) a browser or PDF-text test that cannot run is a failure: a green run must
# mean the browser and the PDF text were checked. Locally such tests skip with their reason.
STRICT = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
_NEEDS_TOOL = re.compile(r"chromium|playwright|pdftotext|poppler", re.IGNORECASE)


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return str(longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else longrepr)


def _make_strict(report, is_browser: bool = False) -> None:
    expected = hasattr(report, "wasxfail")  # a strict xfail that failed as known ran: it is not a skip
    if STRICT and report.skipped and not expected and (is_browser or _NEEDS_TOOL.search(_skip_reason(report))):
        report.outcome = "failed"
        report.longrepr = f"CI=true, so this must run, but it was skipped: {_skip_reason(report)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _make_strict(outcome.get_result(), item.get_closest_marker("browser") is not None)


# Modules whose module-scoped fixtures are costly (a browser measuring every complaint, a handout
# render): one worker runs all their tests, so the fixture is built once, not once per worker.
ONE_WORKER_MODULES = ("test_legibility.py", "test_session_plan.py", "test_fonts.py")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """The slow tests first, so that no worker is left with one at the end while the other idles
    (pytest-xdist hands out tests in this order as workers free up); fixture-heavy modules grouped."""
    for item in items:
        if item.path.name in ONE_WORKER_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: otherwise as collected


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield  # a whole module skipped at import (e.g. playwright missing)
    _make_strict(outcome.get_result())
COMPLAINTS = (
    "low-back-pain",
    "neck-pain",
    "tension-headache",
    "shoulder-pain",
    "lateral-elbow-pain",
    "knee-osteoarthritis",
    "plantar-heel-pain",
    "sciatica",
    "migraine",
    "temporomandibular-disorder",
    "carpal-tunnel-syndrome",
    "lateral-hip-pain",
    "achilles-tendinopathy",
    "thoracic-back-pain",
)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def panels():
    return load_panels()


@pytest.fixture()
def assets_copy(tmp_path: Path) -> Path:
    """A writable copy of the assets folder, for tests that break a file on purpose."""
    target = tmp_path / "assets"
    shutil.copytree(assets_dir(), target)
    return target


def parse_svg(text: str) -> ET.Element:
    return ET.fromstring(text)


def layer_group(root: ET.Element, prefix: str, layer: str) -> ET.Element | None:
    for g in root.iter(f"{SVG_NS}g"):
        if g.get("id") == f"{prefix}-layer-{layer}":
            return g
    return None


def markers_in(group: ET.Element | None) -> list[ET.Element]:
    if group is None:
        return []
    return [g for g in group.iter(f"{SVG_NS}g") if "marker" in (g.get("class") or "").split()]


# --- headless Chromium for tests that measure what a browser draws --------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]


@pytest.fixture(scope="session")
def app_server():
    """(url, pid) of one `streamlit run app.py` per pytest-xdist worker, shared by every browser test it runs."""
    from tools.appserver import serve_app

    try:
        with serve_app() as (url, pid):
            yield url, pid
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, driven by Playwright (one per pytest-xdist worker)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                           "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield browser
        browser.close()
