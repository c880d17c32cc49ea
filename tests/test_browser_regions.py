"""Stable links and the pain-region picker in a real Chromium (the app under `streamlit run`)."""

from __future__ import annotations

import re
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]
NOTICE = re.compile("Ignored unknown or invalid link setting")


@pytest.fixture(scope="session")
def server(app_server):
    return app_server[0]  # the worker's one `streamlit run` (tests/conftest.py)


@pytest.fixture(scope="session")
def browser(chromium):
    return chromium  # the worker's one Chromium: a second Playwright in the same process would fail


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


# ---- "Where does it hurt?" ------------------------------------------------------------------

def _open_picker(page, server):
    page.goto(server)
    _figure(page, "Low back pain")
    page.get_by_role("button", name=re.compile("Where does it hurt")).click()
    page.locator(".bmp-region").first.wait_for()


def _area(page, key: str):
    return page.locator(f'.bmp-region[data-key="{key}"]')


def test_tapping_the_lower_back_offers_low_back_pain_and_sciatica_and_opens_one(page, server):
    _open_picker(page, server)
    _area(page, "lower-back:midline:back").click()
    assert _area(page, "lower-back:midline:back").get_attribute("aria-pressed") == "true"
    offered = page.locator(".st-key-pick-0 button, .st-key-pick-1 button, .st-key-pick-2 button, .st-key-pick-3 button")
    offered.first.wait_for()
    names = offered.all_inner_texts()
    assert names[0] == "Low back pain" and "Sciatica" in names
    assert page.get_by_text(re.compile("quadratus lumborum.*refer here")).count() >= 1
    page.get_by_role("button", name="Sciatica").click()
    _figure(page, "Sciatica")
    page.wait_for_url(re.compile(r"complaint=sciatica"))
    assert page.locator("svg.bodymap path.pain-region").count() >= 2  # the panel and its close-up
    assert page.get_by_text(NOTICE).count() == 0


def test_tapping_the_lateral_hip_offers_lateral_hip_pain(page, server):
    _open_picker(page, server)
    _area(page, "hip:right:back").click()
    first = page.locator(".st-key-pick-0 button")
    first.wait_for()
    assert first.inner_text().startswith("Lateral hip pain")


def test_on_a_phone_a_tap_on_the_lower_back_offers_and_opens_the_complaints(phone, server):
    _open_picker(phone, server)
    _area(phone, "lower-back:midline:back").tap()
    phone.get_by_role("button", name="Sciatica").wait_for()
    assert phone.locator(".st-key-pick-0 button").inner_text() == "Low back pain"
    box = _area(phone, "lower-back:midline:back").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # a finger-sized target at 390 px
    phone.get_by_role("button", name="Sciatica").tap()
    _figure(phone, "Sciatica")
    assert phone.locator(".bm-narrow svg.bodymap path.pain-region").count() >= 1


def test_the_keyboard_reaches_an_area_by_tab_and_chooses_with_enter(page, server):
    page.goto(server)
    _figure(page, "Low back pain")
    page.get_by_role("button", name=re.compile("Where does it hurt")).focus()
    page.keyboard.press("Enter")  # opens the body map; the keyboard lands on its first area
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('bmp-region')")
    for _ in range(80):
        if page.evaluate("document.activeElement.dataset.key") == "lower-back:midline:back":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the lower back")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Lower back (back)"
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Sciatica").wait_for()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.innerText") == "Sciatica":
            break
    else:
        pytest.fail("Tab never reached the Sciatica button")
    page.keyboard.press("Enter")
    _figure(page, "Sciatica")


def test_every_area_is_named_for_screen_readers(page, server):
    _open_picker(page, server)
    areas = page.locator(".bmp-region")
    labels = areas.evaluate_all(
        "els => els.map(e => [e.getAttribute('role'), e.getAttribute('tabindex'), e.getAttribute('aria-label')])")
    assert len(labels) == 55 and all(role == "button" and tab == "0" and name for role, tab, name in labels)
    assert len({name for *_, name in labels}) == len(labels)  # no two areas share a name


# ---- choosing a point from a search result ----------------------------------------------------

def test_on_a_phone_the_drawer_closes_after_a_search_choice_and_asks_which_plan(phone, server):
    phone.goto(server)
    _figure(phone, "Low back pain")
    phone.locator('[data-testid="stExpandSidebarButton"]').first.tap()
    sidebar = phone.locator('[data-testid="stSidebar"]')
    box = sidebar.get_by_label("Find a point or muscle")
    box.fill("GB34")
    box.press("Enter")
    sidebar.get_by_role("button", name=re.compile("GB34.*5 plans")).tap()
    sidebar.get_by_role("button", name="Sciatica", exact=True).tap()  # every plan is offered, in full
    _figure(phone, "Sciatica")
    phone.wait_for_url(re.compile(r"point=GB34"))
    phone.wait_for_function("() => { const s = document.querySelector('[data-testid=stSidebar]');"
                            " const r = s.getBoundingClientRect(); return r.right <= 0 || r.width === 0; }")
    card = phone.locator("aside.bm-card.bm-open")
    card.wait_for()
    assert "GB34" in card.inner_text() and "Achilles tendinopathy" in card.inner_text()
