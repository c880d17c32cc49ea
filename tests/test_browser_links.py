"""Stable links and the pain-region picker in a real Chromium (the app under `streamlit run`)."""

from __future__ import annotations

import re
import shutil

import pytest

from tools.appserver import serve_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]
NOTICE = re.compile("Ignored unknown or invalid link setting")


@pytest.fixture(scope="module")
def server():
    try:
        with serve_app() as (url, _pid):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                     "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def _figure(page, name: str):
    page.get_by_role("figure", name=re.compile(name)).first.wait_for()


def test_a_link_of_ids_opens_the_page_with_no_notice(page, server):
    page.goto(f"{server}/?complaint=sciatica&mode=side-by-side&view=posterior&point=bl54")
    _figure(page, "Sciatica")
    page.locator("aside.bm-card.bm-open").wait_for()
    assert "BL54" in page.locator("aside.bm-card.bm-open").inner_text()
    assert page.locator("svg.bodymap").count() >= 2  # side by side
    assert page.get_by_text(NOTICE).count() == 0
    page.wait_for_url(re.compile(r"point=BL54"))
    assert "complaint=sciatica" in page.url and "mode=side-by-side" in page.url


def test_an_old_label_link_opens_the_page_with_no_notice(page, server):
    page.goto(f"{server}/?complaint=Temporomandibular+disorder+(jaw+pain)&mode=Side+by+side")
    _figure(page, "Temporomandibular")
    assert page.get_by_text(NOTICE).count() == 0
    page.wait_for_url(re.compile(r"complaint=temporomandibular-disorder"))
