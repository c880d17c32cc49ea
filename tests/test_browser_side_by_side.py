"""Side by side at 1440x900 shows the whole contrast on the first screen (issue 20, item 4)."""

from __future__ import annotations

import pytest

from .conftest import BROWSER_MARKS

pytestmark = BROWSER_MARKS
WAIT = 60_000  # ms: the machine's cores are shared; a rerun can take seconds

# Every panel of the visible figures (the component's DOM is reached through locators), as drawn: a
# close-up by its clip rectangle (its art is a cropped body), any other panel by its group; with its title.
PANELS = """svgs => svgs.flatMap(svg => [...svg.querySelectorAll('g.panel')].map(g => {
    const boxes = [...g.children].map(c => {
      const clip = c.getAttribute('clip-path');
      const rect = clip && svg.querySelector(clip.slice(4, -1).replace(/^url\\(/, '') + ' rect');
      if (!rect) return c.getBoundingClientRect();
      const m = svg.getScreenCTM(), b = rect.getBBox();
      return {left: m.a * b.x + m.e, top: m.d * b.y + m.f, right: m.a * (b.x + b.width) + m.e,
              bottom: m.d * (b.y + b.height) + m.f};
    });
    return {figure: svg.id, id: g.id, left: Math.min(...boxes.map(b => b.left)), top: Math.min(...boxes.map(b => b.top)),
            right: Math.max(...boxes.map(b => b.right)), bottom: Math.max(...boxes.map(b => b.bottom))};
  }))"""


def _side_by_side(chromium, server: str, complaint: str) -> tuple[list[dict], dict]:
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    try:
        page.goto(f"{server}/?complaint={complaint}&mode=side-by-side")
        page.locator(f'svg[id="bm-{complaint}-acupuncture"]').wait_for()
        page.evaluate("document.fonts.ready.then(() => true)")
        page.wait_for_timeout(500)  # the component sizes its figures after the fonts
        panels = page.locator("svg.bodymap:visible").evaluate_all(PANELS)
        return panels, page.evaluate("() => ({w: innerWidth, h: innerHeight, y: scrollY})")
    finally:
        context.close()


# Two close-ups, a head plate, two-line titles; plantar heel pain's detail panels carry label gutters too
# wide to sit beside its close-up or its body views, so its page stays stacked (a known gap, issue 20).
SHOWN = ["low-back-pain", "neck-pain", "sciatica", "knee-osteoarthritis", "migraine", "temporomandibular-disorder",
         "lateral-hip-pain", pytest.param("plantar-heel-pain", marks=pytest.mark.xfail(strict=True, reason="stacked page"))]


@pytest.mark.parametrize("complaint", SHOWN)
def test_every_panel_of_both_figures_is_on_the_first_screen(chromium, app_server, complaint):
    panels, view = _side_by_side(chromium, app_server[0], complaint)
    figures = {p["figure"] for p in panels}
    assert figures == {f"bm-{complaint}-dry-needling", f"bm-{complaint}-acupuncture"}
    kinds = {p["id"].split("-panel-")[1] for p in panels}
    assert kinds & {"ear", "foot-lateral", "foot-medial", "foot-dorsum", "hand-dorsum"}  # the distal panels are there
    assert view["y"] == 0
    outside = [(p["id"], round(p["top"]), round(p["bottom"])) for p in panels
               if p["top"] < 0 or p["left"] < 0 or p["bottom"] > view["h"] or p["right"] > view["w"]]
    assert not outside, outside
