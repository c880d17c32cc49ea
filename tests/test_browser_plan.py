"""Today's plan in a real Chromium (issue 19): the switches, the link, a reload, the handout, the download bar."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .conftest import BROWSER_MARKS

pytestmark = BROWSER_MARKS
WAIT = 60_000  # ms: the machine's cores are shared; a rerun can take seconds


@pytest.fixture(scope="module")
def server(app_server):
    return app_server[0]  # the worker's one Streamlit (tests/conftest.py), shared with the other browser tests


def _page(chromium, width: int, height: int):
    context = chromium.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    return context, page


def _open(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("figure", name=re.compile("Low back pain")).first.wait_for()


def _panel(page) -> str:
    return page.locator("[class*='st-key-plan-panel'] p").first.inner_text()


def _bar(page):
    return page.locator("[class*='st-key-download-bar']").first


def test_desktop_switch_link_reload_and_handout(chromium, server, tmp_path):
    context, page = _page(chromium, 1440, 900)
    try:
        _open(page, server)
        box = _bar(page).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900  # visible without scrolling
        page.locator(".bm-wide g.marker[data-code='BL25']").first.click()
        switch = page.locator("aside.bm-card button.bm-plan-switch")
        assert switch.get_attribute("aria-checked") == "false"
        switch.click()
        assert switch.get_attribute("aria-checked") == "true"
        page.wait_for_url(re.compile(r"plan=BL25(&|$)"))
        page.wait_for_function("() => [...document.querySelectorAll('[class*=st-key-plan-panel] p')]"
                               ".some(p => p.textContent.includes('1 point'))", timeout=WAIT)
        # the table row of the same point shows it too
        assert page.locator("tr[data-code='BL25'] button.bm-plan-switch").get_attribute("aria-checked") == "true"

        page.goto(page.url)  # reload the link: the plan comes back
        page.get_by_role("figure", name=re.compile("Low back pain")).first.wait_for()
        page.wait_for_function("() => [...document.querySelectorAll('[class*=st-key-plan-panel] p')]"
                               ".some(p => p.textContent.includes('1 point'))", timeout=WAIT)
        assert "BL25" in _panel(page)
        assert page.locator("tr[data-code='BL25'] button.bm-plan-switch").get_attribute("aria-checked") == "true"
        assert page.locator("tr[data-code='BL23'] button.bm-plan-switch").get_attribute("aria-checked") == "false"

        button = page.get_by_role("button", name=re.compile(r"^Handout: plan \(1\)"))
        with page.expect_download(timeout=WAIT) as info:
            button.click()
        pdf = tmp_path / "handout.pdf"
        info.value.save_as(pdf)
        exe = shutil.which("pdftotext")
        if exe is None:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        text = subprocess.run([exe, str(pdf), "-"], capture_output=True, check=True, text=True).stdout
        assert "Dachangshu" in text and "BL25" in text
        assert not re.search(r"\bBL23\b|\bBL40\b|\bGV3\b", text)  # the protocol's other points are not printed
    finally:
        context.close()


def test_a_row_switch_adds_and_removes_a_point(chromium, server):
    context, page = _page(chromium, 1440, 900)
    try:
        _open(page, f"{server}/?plan=BL40")
        row = page.locator("tr[data-code='BL23'] button.bm-plan-switch")
        row.click()
        page.wait_for_url(re.compile(r"plan=BL40%2CBL23|plan=BL40,BL23"))
        assert page.locator("aside.bm-card.bm-open").count() == 0  # the switch does not open the row's card
        row.click()
        page.wait_for_url(re.compile(r"plan=BL40(&|$)"))
    finally:
        context.close()


def test_phone_download_bar_within_two_screens(chromium, server):
    context, page = _page(chromium, 390, 844)
    try:
        _open(page, server)
        box = _bar(page).bounding_box()
        assert box is not None
        top = box["y"] + page.evaluate("window.scrollY")
        assert top + box["height"] <= 2 * 844, top
    finally:
        context.close()


def test_phone_shows_the_plan_on_the_main_page_and_a_card_switch_updates_it(chromium, server):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    try:
        _open(page, server)
        summary = page.locator("[class*='st-key-plan-phone']")
        summary.wait_for()
        drawer = page.locator("[class*='st-key-plan-panel']").first.bounding_box()
        assert drawer is None or drawer["x"] + drawer["width"] <= 0  # the sidebar's panel is in the closed drawer
        box = summary.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["y"] + page.evaluate("window.scrollY") + box["height"] <= 2 * 844  # by the download bar
        assert "none yet" in summary.inner_text()

        page.locator('g.marker[data-code="BL40"]:visible').first.tap(force=True)  # its shared target lies over it
        switch = page.locator("aside.bm-card button.bm-plan-switch")
        switch.click()
        assert switch.get_attribute("aria-checked") == "true"
        page.wait_for_function("() => [...document.querySelectorAll('[class*=st-key-plan-phone] p')]"
                               ".some(p => p.textContent.includes('1 point') && p.textContent.includes('BL40'))", timeout=WAIT)
        assert summary.is_visible()
    finally:
        context.close()


def test_desktop_keeps_the_plan_in_the_sidebar_only(chromium, server):
    context, page = _page(chromium, 1440, 900)
    try:
        _open(page, f"{server}/?plan=BL40")
        page.locator("[class*='st-key-plan-panel']").first.wait_for()
        assert "1 point" in _panel(page)
        assert not page.locator("[class*='st-key-plan-phone']").is_visible()
    finally:
        context.close()
