"""The point card never hides its point: beside it on a wide screen, a half-screen sheet on a phone,
under the figure in print (measured in Chromium on the running app)."""

from __future__ import annotations

import pytest

from .test_browser import HOST, _card, _open, browser, pytestmark, server  # noqa: F401  (fixtures and marks)

CARD_AND_MARKS = (
    f"(code) => {{ const r = {HOST}.shadowRoot;"
    " const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };"
    " const marks = [...r.querySelectorAll(`g.marker[data-code=\"${code}\"]`)].filter(g => g.getBoundingClientRect().width > 0);"
    " const svg = [...r.querySelectorAll('svg.bodymap')].find(s => s.getBoundingClientRect().width > 0);"
    " return {card: box(r.querySelector('aside.bm-card')), marks: marks.map(box), svg: box(svg),"
    " view: [innerWidth, innerHeight]}; }"
)


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture()
def context_at(browser):  # noqa: F811
    made = []

    def make(width: int, height: int, phone: bool = False):
        ctx = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
        made.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(120_000)  # the first run of a figure lays it out (slow on a busy machine)
        return page
    yield make
    for ctx in made:
        ctx.close()


@pytest.mark.parametrize("code", ["BL40", "BL23", "KI3"])
def test_at_1440x900_the_card_covers_no_mark_of_its_point_and_fits_the_screen(context_at, server, code):  # noqa: F811
    page = _open(context_at(1440, 900), server)
    page.locator(f'g.marker[data-code="{code}"]:visible').first.click()
    _card(page).wait_for()
    m = page.evaluate(CARD_AND_MARKS, code)
    assert m["marks"], code
    assert not [b for b in m["marks"] if overlap(m["card"], b)]
    assert m["card"][3] - m["card"][1] <= m["view"][1]


def test_on_a_phone_the_card_is_a_half_screen_sheet_with_the_point_above_it(context_at, server):  # noqa: F811
    page = _open(context_at(390, 844, phone=True), server)
    mark = page.locator('g.marker[data-code="BL40"]:visible').first
    # BL40's two marks are closer than a finger: one target lies over both (figure.js fingerTargets),
    # so the tap lands on it, as a finger's would, rather than on the mark's own shape.
    mark.tap(force=True)
    _card(page).wait_for()
    page.wait_for_timeout(300)
    m = page.evaluate(CARD_AND_MARKS, "BL40")
    card = m["card"]
    assert card[3] - card[1] <= m["view"][1] / 2 + 1  # at most half the screen
    tapped = mark.bounding_box()
    box = [tapped["x"], tapped["y"], tapped["x"] + tapped["width"], tapped["y"] + tapped["height"]]
    assert not overlap(card, box) and box[1] >= 0  # the tapped point is on screen, above the sheet


def test_printed_the_card_comes_under_the_figure(context_at, server):  # noqa: F811
    page = _open(context_at(1440, 900), server)
    page.locator('g.marker[data-code="BL40"]:visible').first.click()
    _card(page).wait_for()
    page.emulate_media(media="print")
    page.wait_for_timeout(200)
    m = page.evaluate(CARD_AND_MARKS, "BL40")
    assert m["card"][1] >= m["svg"][3] - 1  # under the figure: no overlap with it or its marks
