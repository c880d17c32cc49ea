"""Accessibility in a real Chromium: axe-core on our own content, the skip link, focus order and rings, dark mode.

axe-core comes bundled in the axe-playwright-python package (a test extra), so no npm is needed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
axe_package = pytest.importorskip("axe_playwright_python", reason="axe-playwright-python (axe-core) is not installed")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]
AXE = (Path(axe_package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
HOST = "document.querySelector('[data-testid=stBidiComponentIsolated]')"
# Violations inside Streamlit's own widgets, which the app cannot change; README lists the same.
STREAMLIT_OWN = {("presentation-role-conflict", "stFileUploaderDropzone")}
STATES = [("?point=BL40", "Low back pain"), ("?mode=atlas", "Atlas")]
SIZES = [(1440, 900), (390, 844)]


@pytest.fixture(scope="module")
def server(app_server):
    return app_server[0]  # the worker's one Streamlit (tests/conftest.py), shared with the other browser tests


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium  # the worker's one Chromium (tests/conftest.py), shared with the other browser tests


def _page(browser, size=(1440, 900), scheme="light"):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, color_scheme=scheme,
                                  is_mobile=size[0] < 500, has_touch=size[0] < 500)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _violations(page) -> list[tuple[str, str, str]]:
    """(rule, node html, summary) of every axe-core violation on the page as it is now."""
    page.evaluate(AXE)
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.flatMap("
                          "v => v.nodes.map(n => [v.id, n.html, n.failureSummary || ''])))")
    return [tuple(v) for v in found]


def _ours(violations):
    return [v for v in violations
            if not any(rule == v[0] and f'data-testid="{testid}"' in v[1] for rule, testid in STREAMLIT_OWN)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("query,name", STATES, ids=["card-open", "atlas"])
def test_axe_finds_no_violation_in_our_own_content(browser, server, size, query, name, scheme):
    context, page = _page(browser, size, scheme)
    try:
        page.goto(f"{server}/{query}")
        page.get_by_role("figure", name=re.compile(name)).first.wait_for()
        if query == "?point=BL40":
            page.locator("aside.bm-card.bm-open").wait_for()
        page.wait_for_timeout(500)  # the last rerun's widgets settle
        assert _ours(_violations(page)) == []
    finally:
        context.close()


def test_the_streamlit_widget_exceptions_are_listed_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for rule, testid in STREAMLIT_OWN:
        assert rule in readme and testid in readme


def test_a_skip_link_leads_past_the_figure_to_the_downloads(browser, server):
    context, page = _page(browser)
    try:
        page.goto(server)
        page.get_by_role("figure", name=re.compile("Low back pain")).first.wait_for()
        for _ in range(30):  # past the sidebar's few controls
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.className") == "bm-skip":
                break
        else:
            pytest.fail("Tab never reached the skip link")
        link = page.locator("a.bm-skip")
        assert link.is_visible() and link.inner_text() == "Skip to the downloads"
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.id === 'bm-downloads'")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('[data-testid=stDownloadButton]') !== null")
    finally:
        context.close()


def test_once_a_card_is_open_its_controls_come_first_with_a_3_to_1_focus_ring(browser, server):
    context, page = _page(browser)
    try:
        page.goto(server)
        page.get_by_role("figure", name=re.compile("Low back pain")).first.wait_for()
        page.locator("button.bm-chip").last.focus()
        page.keyboard.press("Tab")
        ring = page.evaluate(f"(() => {{ const a = {HOST}.shadowRoot.activeElement; const s = getComputedStyle(a);"
                             " return [a.getAttribute('class'), s.outlineStyle, s.outlineColor,"
                             " parseFloat(s.outlineWidth)]; })()")
        assert "marker" in ring[0] and ring[1] == "solid" and ring[3] >= 2
        assert _contrast(ring[2], "rgb(255, 255, 255)") >= 3  # on the paper figure
        page.keyboard.press("Enter")
        page.locator("aside.bm-card.bm-open").wait_for()
        active = f"{HOST}.shadowRoot.activeElement"
        assert page.evaluate(f"{active}.getAttribute('class')") == "bm-close"  # the card's first control
        close = page.evaluate(f"(() => {{ const s = getComputedStyle({active}); return [s.outlineStyle, s.outlineColor]; }})()")
        background = page.evaluate(f"getComputedStyle({HOST}.shadowRoot.querySelector('aside.bm-card')).backgroundColor")
        assert close[0] == "solid" and _contrast(close[1], background) >= 3
        page.keyboard.press("Tab")
        # then its own controls (the "In today's plan" switch, its links), not the next marker
        assert page.evaluate(f"{active}.getAttribute('class')") in ("bm-plan-switch", "bm-link")
    finally:
        context.close()


def test_dark_mode_follows_the_system_and_keeps_the_figure_on_paper(browser, server):
    context, page = _page(browser, scheme="dark")
    try:
        page.goto(server)
        page.get_by_role("figure", name=re.compile("Low back pain")).first.wait_for()
        page_bg = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
        assert _luminance(page_bg) < 0.1  # the app went dark
        paper = page.evaluate(f"getComputedStyle({HOST}.shadowRoot.querySelector('.bm-fig')).backgroundColor")
        assert paper == "rgb(255, 255, 255)"  # the figure stays as exported
    finally:
        context.close()


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def _luminance(css: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
