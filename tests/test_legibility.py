"""Legibility as a reader meets it: no marks hiding each other, no text on text, nothing off the page,
labels at least 10 px tall when the figure is shown 1000 px wide (measured in Chromium), and no
leader line through another point's mark, a panel caption or another leader (measured on the draw
list for every export, and in Chromium for a few)."""

from __future__ import annotations

from itertools import combinations

import pytest

import bodymap
import bodymap.api
from bodymap.draw.drawlist import Circle, Group, Path, Text, compile_scene
from bodymap.layout.labels import text_box
from bodymap.scene.build import OVERLAYS

from .conftest import BROWSER_MARKS

browser = pytest.mark.browser
COMPLAINTS = [cid for cid, _ in bodymap.list_complaints()]
EXPORTS = {"default": {}, "left": {"side": "left"}, "right": {"side": "right"},
           "everything": {"view": "all", "overlays": list(OVERLAYS)},
           "phone": {"page_width": 400}, "side-by-side": {"page_width": 540}}
# How wide each export is shown: the app's figure on a 1440 px screen, a 390 px phone, one of two halves.
SHOWN_AT = {"default": 1000, "left": 1000, "right": 1000, "everything": 1000, "phone": 390, "side-by-side": 490}
SMALLEST = {"default": 10.0, "left": 10.0, "right": 10.0, "everything": 10.0, "phone": 9.0, "side-by-side": 9.0}

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


def in_browser(test):
    for mark in BROWSER_MARKS:
        test = mark(test)
    return test


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


@in_browser
@pytest.mark.parametrize("export", list(EXPORTS))
def test_no_two_points_hide_each_other(measured, export):
    bad = {cid: overlapping_markers(measured[cid, export]) for cid in COMPLAINTS}
    assert not {c: v for c, v in bad.items() if v}


@in_browser
@pytest.mark.parametrize("export", list(EXPORTS))
def test_no_text_covers_another(measured, export):
    bad = {cid: colliding_texts(measured[cid, export]) for cid in COMPLAINTS}
    assert not {c: v for c, v in bad.items() if v}


@in_browser
@pytest.mark.parametrize("export", list(EXPORTS))
def test_every_text_is_on_the_page(measured, export):
    bad = {cid: off_page(measured[cid, export]) for cid in COMPLAINTS}
    assert not {c: v for c, v in bad.items() if v}


@in_browser
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


def test_every_marker_is_labelled_or_mirrors_a_labelled_one():
    """No label is dropped: each point (or muscle) drawn on a panel has its label on that panel."""
    for cid in COMPLAINTS:
        scene = bodymap.api.scene_for(cid)
        named = {(lab.panel, lab.code) for lab in scene.labels}
        for m in scene.markers:
            if m.layer in ("dry-needling", "acupuncture"):
                assert (m.panel, m.muscle or m.code) in named, (cid, m.id)


@in_browser
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


@in_browser
@pytest.mark.parametrize("export", list(EXPORTS))
def test_marks_are_at_least_12_px_on_a_1000_px_figure(measured, export):
    def px(cid: str, box: list[float]) -> float:
        return min(box[2] - box[0], box[3] - box[1]) * SHOWN_AT[export] / measured[cid, export]["viewBoxWidth"]

    smallest = {cid: min(px(cid, m["box"]) for m in measured[cid, export]["markers"]) for cid in COMPLAINTS}
    assert min(smallest.values()) >= (12.0 if SHOWN_AT[export] == 1000 else 9.0), smallest


@in_browser
def test_atlas_labels_do_not_collide(page):
    m = measure(page, bodymap.api.render_atlas("svg", view="all"))
    assert not colliding_texts(m)
    assert not off_page(m)


# --- leader lines, measured on the draw list (every export) and in Chromium (a few) ----------------

SHRINK = 0.2  # a mark's box loses this share of its size on each side before a leader may not touch it


def _walk(group: Group, cls: str):
    for child in group.children:
        if isinstance(child, Group):
            if child.cls and child.cls.split()[0] == cls:
                yield child
            else:
                yield from _walk(child, cls)


def _bounds(prims) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for p in prims:
        if isinstance(p, Circle):
            xs += [p.cx - p.r, p.cx + p.r]
            ys += [p.cy - p.r, p.cy + p.r]
        elif isinstance(p, Path):
            for seg in p.segments:
                xs += list(seg[1::2])
                ys += list(seg[2::2])
    return min(xs), min(ys), max(xs), max(ys)


def _polyline(path: Path) -> list[tuple[float, float]]:
    return [(seg[-2], seg[-1]) for seg in path.segments if seg[0] in ("M", "L")]


def figure_geometry(drawlist) -> dict:
    """Marks (box, code), leaders (per label, as polylines), captions and label texts, in page units."""
    root = Group(drawlist.items)
    marks = []
    for g in _walk(root, "marker"):
        x0, y0, x1, y1 = _bounds(g.children)
        marks.append({"id": g.id, "box": (x0, y0, x1, y1), "code": dict(g.data).get("data-code")})
    labels = []
    for g in _walk(root, "label"):
        text = next(c for c in g.children if isinstance(c, Text))
        anchor = text.anchor
        leaders = [_polyline(c) for c in g.children if isinstance(c, Path)]
        labels.append({"id": g.id, "code": dict(g.data).get("data-code"), "leaders": leaders,
                       "box": text_box(text.x, text.y, text.text, text.size, anchor).__dict__})
    captions = []
    for g in _walk(root, "panel"):
        t = next(c for c in g.children if isinstance(c, Text))
        b = text_box(t.x, t.y, t.text, t.size, t.anchor, bold=False)
        spread = len(t.text) * t.spacing  # captions are letter-spaced
        left = b.x - (spread / 2 if t.anchor == "middle" else spread if t.anchor == "end" else 0.0)
        captions.append({"text": t.text, "box": (left, b.y, left + b.w + spread, b.y + b.h)})
    return {"marks": marks, "labels": labels, "captions": captions}


def _shrunk(box, k: float = SHRINK):
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * k, (y1 - y0) * k
    return x0 + dx, y0 + dy, x1 - dx, y1 - dy


def segment_hits_box(p, q, box) -> bool:
    """Whether the segment p-q passes through the box (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = box
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def segments_meet(p1, p2, q1, q2) -> bool:
    """Whether two segments touch or cross (sharing an end point counts: leaders must keep apart)."""
    def turn(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return 0 if abs(v) < 1e-9 else (1 if v > 0 else -1)

    def within(a, b, c):
        e = 1e-9
        return min(a[0], b[0]) - e <= c[0] <= max(a[0], b[0]) + e and min(a[1], b[1]) - e <= c[1] <= max(a[1], b[1]) + e
    d1, d2, d3, d4 = turn(q1, q2, p1), turn(q1, q2, p2), turn(p1, p2, q1), turn(p1, p2, q2)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True
    ends = ((d1, q1, q2, p1), (d2, q1, q2, p2), (d3, p1, p2, q1), (d4, p1, p2, q2))
    return any(d == 0 and within(a, b, c) for d, a, b, c in ends)


def _segments(polyline):
    return list(zip(polyline, polyline[1:], strict=False))


def leader_faults(geo: dict) -> list[tuple[str, str]]:
    """(label, what it runs through) for every leader through another point's mark, a caption or another leader."""
    faults = []
    for lab in geo["labels"]:
        starts = [line[0] for line in lab["leaders"]]  # the marks the label names
        segs = [s for line in lab["leaders"] for s in _segments(line)]
        for mk in geo["marks"]:
            x0, y0, x1, y1 = mk["box"]
            if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in starts) or mk["code"] == lab["code"]:
                continue  # the label's own marks (a caution ring drawn round one, the point's other side)
            if any(segment_hits_box(p, q, _shrunk(mk["box"])) for p, q in segs):
                faults.append((lab["id"], f"mark {mk['id']}"))
        for cap in geo["captions"]:
            if any(segment_hits_box(p, q, cap["box"]) for p, q in segs):
                faults.append((lab["id"], f"caption {cap['text']!r}"))
    for a, b in combinations(geo["labels"], 2):
        if any(segments_meet(p, q, r, s) for p, q in [s for ln in a["leaders"] for s in _segments(ln)]
               for r, s in [s for ln in b["leaders"] for s in _segments(ln)]):
            faults.append((a["id"], f"leader {b['id']}"))
    return faults


@pytest.fixture(scope="module")
def geometry():
    return {(cid, name): figure_geometry(compile_scene(bodymap.api.scene_for(cid, **opts)))
            for cid in COMPLAINTS for name, opts in EXPORTS.items()}


# Issue 20 is still open: these are the faults left at the last measurement, per export and complaint.
# The budget only goes down: a change that adds a fault anywhere fails, and one that removes faults
# should lower the numbers here, until both tables are empty and the tests ask for none at all.
LEADER_FAULTS_LEFT = {("everything", "sciatica"): 2, ("side-by-side", "lateral-elbow-pain"): 1}
REPEATED_NAMES_LEFT: dict[tuple[str, str], int] = {}


def over_budget(found: dict[str, list], budget: dict[tuple[str, str], int], export: str) -> dict[str, list]:
    return {cid: faults for cid, faults in found.items() if len(faults) > budget.get((export, cid), 0)}


@pytest.mark.parametrize("export", list(EXPORTS))
def test_no_leader_runs_through_a_mark_a_caption_or_another_leader(geometry, export):
    bad = {cid: leader_faults(geometry[cid, export]) for cid in COMPLAINTS}
    assert not over_budget(bad, LEADER_FAULTS_LEFT, export)


def repeated_names(scene) -> list[tuple[str, str]]:
    """(panel, text) for every muscle named twice in a panel, or point code named twice on one side of a panel."""
    seen: dict[tuple, int] = {}
    for lab in scene.labels:
        key = (lab.panel, lab.text) if lab.colour == "dry-needling" else (lab.panel, lab.text, lab.align)
        seen[key] = seen.get(key, 0) + 1
    return [(k[0], k[1]) for k, n in seen.items() if n > 1]


@pytest.mark.parametrize("export", list(EXPORTS))
def test_one_name_per_muscle_and_per_point_in_a_panel(export):
    bad = {cid: repeated_names(bodymap.api.scene_for(cid, **EXPORTS[export])) for cid in COMPLAINTS}
    assert not over_budget(bad, REPEATED_NAMES_LEFT, export)


LEADERS_IN_BROWSER = """() => {
  const svg = document.querySelector('svg');
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const toScreen = (path, p) => { const q = p.matrixTransform(path.getScreenCTM()); return [q.x, q.y]; };
  return {
    marks: [...svg.querySelectorAll('g.marker')].map(g => ({id: g.id, code: g.dataset.code, box: box(g)})),
    labels: [...svg.querySelectorAll('g.label')].map(g => ({id: g.id, code: g.dataset.code,
      leaders: [...g.querySelectorAll('path')].map(p => {
        const n = p.getTotalLength(), k = Math.max(2, Math.ceil(n / 2));
        return Array.from({length: k}, (_, i) => toScreen(p, p.getPointAtLength(n * i / (k - 1)))); })})),
    captions: [...svg.querySelectorAll('g.panel > text')].map(t => ({text: t.textContent, box: box(t)})),
  };
}"""


def browser_leader_faults(m: dict) -> list[tuple[str, str]]:
    """Each leader sampled every 2 units along its drawn path, against every other point's mark as drawn
    (its box shrunk by 20 % a side) and every caption; leaders of two labels must not touch."""
    out = []
    inside = lambda p, b: b[0] <= p[0] <= b[2] and b[1] <= p[1] <= b[3]  # noqa: E731
    for lab in m["labels"]:
        starts = [line[0] for line in lab["leaders"] if line]
        points = [p for line in lab["leaders"] for p in line[1:]]
        for mk in m["marks"]:
            if mk["code"] == lab["code"] or any(inside(s, mk["box"]) for s in starts):
                continue
            if any(inside(p, _shrunk(mk["box"])) for p in points):
                out.append((lab["id"], mk["id"]))
        out += [(lab["id"], cap["text"]) for cap in m["captions"] if any(inside(p, cap["box"]) for p in points)]
    return out


@in_browser
@pytest.mark.parametrize("cid, opts", [("low-back-pain", {}), ("low-back-pain", {"side": "right"}), ("sciatica", {}),
                                       ("temporomandibular-disorder", {}), ("low-back-pain", {"page_width": 540})])
def test_leaders_in_chromium_miss_other_points_marks_and_captions(page, cid, opts):
    page.set_content(f"<html><body style='margin:0'>{bodymap.render(cid, 'svg', **opts)}</body></html>")
    export = "default" if not opts else ""  # the one budgeted here: sciatica's default page (see LEADER_FAULTS_LEFT)
    assert len(browser_leader_faults(page.evaluate(LEADERS_IN_BROWSER))) <= LEADER_FAULTS_LEFT.get((export, cid), 0)


@in_browser
def test_the_browser_leader_check_can_fail(page):
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' width='100px' height='50px' viewBox='0 0 100 50'>"
           "<g class='marker' data-code='A' id='a'><circle cx='10' cy='10' r='4'/></g>"
           "<g class='marker' data-code='B' id='b'><circle cx='30' cy='10' r='4'/></g>"
           "<g class='label' data-code='A' id='la'><path d='M10 10 L60 10' stroke='black'/>"
           "<text x='62' y='14'>A</text></g></svg>")
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    assert browser_leader_faults(page.evaluate(LEADERS_IN_BROWSER)) == [("la", "b")]
