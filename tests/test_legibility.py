"""Legibility as a reader meets it, measured in Chromium: no marks hiding each other, no text on text,
nothing off the page, and labels at least 10 px tall when the figure is shown 1000 px wide."""

from __future__ import annotations

from itertools import combinations

import pytest

import bodymap
import bodymap.api
from bodymap.scene.build import OVERLAYS

from .conftest import BROWSER_MARKS

pytestmark = BROWSER_MARKS
COMPLAINTS = [cid for cid, _ in bodymap.list_complaints()]
EXPORTS = {"default": {}, "everything": {"view": "all", "overlays": list(OVERLAYS)},
           "phone": {"page_width": 400}, "side-by-side": {"page_width": 540}}
# How wide each export is shown: the app's figure on a 1440 px screen, a 390 px phone, one of two halves.
SHOWN_AT = {"default": 1000, "everything": 1000, "phone": 390, "side-by-side": 490}
SMALLEST = {"default": 10.0, "everything": 10.0, "phone": 9.0, "side-by-side": 9.0}

MEASURE = """() => {
  const svg = document.querySelector('svg');
  const r = svg.getBoundingClientRect();
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return {
    svg: [r.left, r.top, r.right, r.bottom], viewBoxWidth: svg.viewBox.baseVal.width,
    markers: [...svg.querySelectorAll('g.marker')].map(g => ({code: g.dataset.code, id: g.id, box: box(g)})),
    texts: [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, box: box(t),
                                                         size: parseFloat(t.getAttribute('font-size'))})),
  };
}"""


@pytest.fixture(scope="module")
def page(chromium):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    yield page
    page.close()


def measure(page, svg: str) -> dict:
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    return page.evaluate(MEASURE)


def area(a, b) -> float:
    w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def size(b) -> float:
    return (b[2] - b[0]) * (b[3] - b[1])


def overlapping_markers(m: dict) -> list[tuple[str, str]]:
    """Marks of different points whose boxes share more than 30 % of the smaller box."""
    return [(a["id"], b["id"]) for a, b in combinations(m["markers"], 2)
            if a["code"] != b["code"] and area(a["box"], b["box"]) > 0.3 * min(size(a["box"]), size(b["box"]))]


def colliding_texts(m: dict) -> list[tuple[str, str]]:
    texts = [t for t in m["texts"] if t["text"].strip()]
    return [(a["text"], b["text"]) for a, b in combinations(texts, 2) if area(a["box"], b["box"]) > 2.0]


def off_page(m: dict) -> list[str]:
    x0, y0, x1, y1 = m["svg"]
    return [t["text"] for t in m["texts"] if t["box"][0] < x0 - 0.5 or t["box"][2] > x1 + 0.5 or t["box"][1] < y0 - 0.5
            or t["box"][3] > y1 + 0.5]


def smallest_text_px(m: dict, shown_at: float = 1000) -> float:
    return min(t["size"] * shown_at / m["viewBoxWidth"] for t in m["texts"] if t["text"].strip())


@pytest.fixture(scope="module")
def measured(page):
    return {(cid, name): measure(page, bodymap.render(cid, "svg", **opts))
            for cid in COMPLAINTS for name, opts in EXPORTS.items()}


@pytest.mark.parametrize("export", list(EXPORTS))
def test_no_two_points_hide_each_other(measured, export):
    bad = {cid: overlapping_markers(measured[cid, export]) for cid in COMPLAINTS}
    assert not {c: v for c, v in bad.items() if v}


@pytest.mark.parametrize("export", list(EXPORTS))
def test_no_text_covers_another(measured, export):
    bad = {cid: colliding_texts(measured[cid, export]) for cid in COMPLAINTS}
    assert not {c: v for c, v in bad.items() if v}


@pytest.mark.parametrize("export", list(EXPORTS))
def test_every_text_is_on_the_page(measured, export):
    bad = {cid: off_page(measured[cid, export]) for cid in COMPLAINTS}
    assert not {c: v for c, v in bad.items() if v}


@pytest.mark.parametrize("export", list(EXPORTS))
def test_text_reads_at_10_px_on_a_1000_px_figure_and_9_px_on_a_phone(measured, export):
    sizes = {cid: smallest_text_px(measured[cid, export], SHOWN_AT[export]) for cid in COMPLAINTS}
    assert min(sizes.values()) >= SMALLEST[export], sizes


@pytest.mark.parametrize("export", ["phone", "side-by-side"])
def test_narrow_pages_stack_their_panels_within_the_width(export):
    for cid in COMPLAINTS:
        scene = bodymap.api.scene_for(cid, **EXPORTS[export])
        assert scene.width == EXPORTS[export]["page_width"]
        assert all(pp.box.x >= 0 and pp.box.right <= scene.width for pp in scene.panels)


def test_every_marker_is_labelled_or_mirrors_a_labelled_one(measured):
    """No label is dropped: each point (or muscle) drawn on a panel has its label on that panel."""
    for cid in COMPLAINTS:
        scene = bodymap.api.scene_for(cid)
        named = {(lab.panel, lab.code) for lab in scene.labels}
        for m in scene.markers:
            if m.layer in ("dry-needling", "acupuncture"):
                assert (m.panel, m.muscle or m.code) in named, (cid, m.id)


def test_the_measures_can_fail(page):
    """A drawing with two points on one spot and two texts on one line is caught by each check."""
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' width='100px' height='50px' viewBox='0 0 100 50'>"
           "<g class='marker' data-code='A' id='a'><circle cx='10' cy='10' r='6'/></g>"
           "<g class='marker' data-code='B' id='b'><circle cx='11' cy='10' r='6'/></g>"
           "<text x='20' y='30' font-size='8'>one</text><text x='22' y='30' font-size='8'>two</text>"
           "<text x='95' y='30' font-size='8'>off</text></svg>")
    m = measure(page, svg)
    assert overlapping_markers(m) == [("a", "b")]
    assert ("one", "two") in colliding_texts(m)
    assert off_page(m) == ["off"]
    assert smallest_text_px(m) == pytest.approx(80.0)


@pytest.mark.parametrize("export", list(EXPORTS))
def test_marks_are_at_least_12_px_on_a_1000_px_figure(measured, export):
    def px(cid: str, box: list[float]) -> float:
        return min(box[2] - box[0], box[3] - box[1]) * SHOWN_AT[export] / measured[cid, export]["viewBoxWidth"]

    smallest = {cid: min(px(cid, m["box"]) for m in measured[cid, export]["markers"]) for cid in COMPLAINTS}
    assert min(smallest.values()) >= (12.0 if SHOWN_AT[export] == 1000 else 9.0), smallest


def test_atlas_labels_do_not_collide(page):
    m = measure(page, bodymap.api.render_atlas("svg", view="all"))
    assert not colliding_texts(m)
    assert not off_page(m)
