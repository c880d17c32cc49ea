"""The printed documents (issue 12): the one-page patient handout, the clinician reference, the figure on paper.

Sizes are read back from the PDFs with poppler (pdfinfo, pdftotext -bbox), as a reader would see them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

import bodymap
from bodymap.api import scene_for
from bodymap.cli import main
from bodymap.core.errors import DataError, OptionError
from bodymap.data.catalog import load_catalog
from bodymap.documents.content import HEADINGS, load_handout_text
from bodymap.documents.handout import render_figure_pdf, render_handout, render_reference
from bodymap.documents.pages import PAPERS, Page, wrap
from bodymap.layout.textmetrics import text_width

COMPLAINTS = tuple(load_catalog().complaints)
VIEWS = ("auto", "both", "posterior", "anterior", "lateral", "all")  # every view the scene builder offers
SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
MIN_PT = 7.0


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} (poppler-utils) is not installed; the handout checks read the PDFs with it")
    return exe


def pdfinfo(data: bytes) -> dict[str, str]:
    out = subprocess.run([_tool("pdfinfo"), "-"], input=data, capture_output=True, check=True).stdout.decode()
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_size(data: bytes) -> tuple[float, float]:
    w, h = re.match(r"\s*([\d.]+) x ([\d.]+) pts", pdfinfo(data)["Page size"]).groups()
    return float(w), float(h)


def words(data: bytes, first: int | None = None, last: int | None = None) -> list[tuple[str, float]]:
    """(word, bbox height in points) for every word pdftotext finds."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run([_tool("pdftotext"), "-bbox", *pages, "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode()
    return _words_of(out)


def text(data: bytes, first: int | None = None, last: int | None = None) -> str:
    return " ".join(w for w, _ in words(data, first, last))


def read_pages(data: bytes) -> list[tuple[tuple[float, float], list[tuple[str, float]]]]:
    """Per page, its size in points and its (word, bbox height) list: what pdfinfo and `words` give,
    from one poppler run (the every-complaint loops read a few hundred documents)."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode()
    return [((float(w), float(h)), _words_of(body))
            for w, h, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)]


def _words_of(bbox_html: str) -> list[tuple[str, float]]:
    found = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', bbox_html)
    return [(w.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"), float(y1) - float(y0)) for y0, y1, w in found]


@pytest.fixture(scope="module")
def bbox_per_pt() -> float:
    """How tall pdftotext's word box is per point of font size, measured on a line of known size.

    poppler's box runs from the font's ascent to its descent (DejaVu Sans: 0.928 + 0.236 em),
    whatever the letters, so a 7 pt word is about 8.2 pt tall. A bare `height >= 7` would pass
    6 pt text; the checks divide by this ratio to get the font size back.
    """
    buf = io_pdf(lambda page: page.text(20, 50, "Calibration xg", 10.0))
    heights = {h for _, h in words(buf)}
    assert len(heights) == 1
    ratio = heights.pop() / 10.0
    assert 1.0 < ratio < 1.4
    return ratio


def io_pdf(draw) -> bytes:
    import io

    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    page = Page((200.0, 100.0))
    draw(page)
    with PdfPages(buf) as pdf:
        pdf.savefig(page.fig)
    return buf.getvalue()


@cache
def acupuncture_codes(complaint: str, view: str) -> tuple[str, ...]:
    scene = scene_for(complaint, view=view)
    return tuple(sorted({m.code for m in scene.markers if m.layer == "acupuncture"}))


def smallest_pt(data: bytes | list[tuple[str, float]], ratio: float) -> tuple[float, str]:
    """The smallest word's size in points, of a PDF or of its words already read."""
    found = words(data) if isinstance(data, bytes) else data
    word, height = min(found, key=lambda wh: wh[1])
    return height / ratio, word


# --- the patient handout: every complaint, view and paper ---------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_handout_is_one_readable_page_with_the_figure(complaint, bbox_per_pt):
    for view in VIEWS:
        for paper, size in SIZES.items():
            pages = read_pages(bodymap.render(complaint, format="handout", view=view, paper=paper))
            where = f"{complaint}, {view}, {paper}"
            assert len(pages) == 1, where
            (page, sized), = pages
            assert page == pytest.approx(size, abs=0.5), where
            pt, word = smallest_pt(sized, bbox_per_pt)
            assert pt >= MIN_PT - 0.01, f"{where}: {word!r} prints at {pt:.2f} pt"
            found = [w for w, _ in sized]
            flat = " ".join(found)
            for heading in HEADINGS:
                assert heading in flat, where
            for code in acupuncture_codes(complaint, view):
                # Once in the tick list and at least once as a label on the figure.
                assert found.count(code) >= 2, f"{where}: {code} appears {found.count(code)} times"


# --- the clinician reference ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_reference_has_the_figure_on_page_one(complaint, bbox_per_pt):
    for view in VIEWS:
        for paper in ("a4", "letter") if view == "both" else ("a4",):
            pages = read_pages(bodymap.render(complaint, format="reference", view=view, paper=paper))
            where = f"{complaint}, {view}, {paper}"
            assert all(size == pytest.approx(SIZES[paper], abs=0.5) for size, _ in pages), where
            pt, word = smallest_pt([w for _, found in pages for w in found], bbox_per_pt)
            assert pt >= MIN_PT - 0.01, f"{where}: {word!r} prints at {pt:.2f} pt"
            page1 = [w for w, _ in pages[0][1]]
            missing = [c for c in acupuncture_codes(complaint, view) if c not in page1]
            assert not missing, f"{where}: page 1 lacks {missing}"


def test_reference_lists_locations_needling_evidence_and_sources():
    catalog = load_catalog()
    data = bodymap.render("low-back-pain", format="reference")
    flat = " ".join(text(data).split())
    plan = catalog.acupuncture["low-back-pain"]
    point = catalog.acupoints[plan.points[0].code]
    assert " ".join(wrap(point.location, 10_000, 7)[0].split()[:6]) in flat
    needled = [catalog.acupoints[u.code] for u in plan.points if getattr(catalog.acupoints[u.code], "needling", None)]
    if needled:  # the needling column appears once the data has it
        assert "Needling" in flat and needled[0].needling.depth.split()[0] in flat
    assert "Why these points" in flat and catalog.comparison.title in flat
    assert "Sources" in flat and "Travell" in flat
    # The patient handout's statements are listed with their sources for the clinician to check.
    first = load_handout_text().sections[0].items[0]
    assert " ".join(first.text.split()[:5]) in flat
    pages = int(pdfinfo(data)["Pages"])
    assert f"page {pages} of {pages}" in flat


def test_reference_sources_are_numbered_once():
    data = bodymap.render("low-back-pain", format="reference")
    plain = subprocess.run([_tool("pdftotext"), "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    listed = plain[re.search(r"^\s*Sources\s*$", plain, flags=re.M).start():]
    numbers = re.findall(r"^\s*(\d+)\.\s", listed, flags=re.M)
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)] and len(numbers) >= 5


def test_reference_follows_the_chosen_therapies():
    flat = text(bodymap.render("low-back-pain", format="reference", overlays=["acupuncture", "labels"]))
    assert "BL23" in flat and "Quadratus" not in flat


# --- the figure on paper -------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter", "Letter"])
def test_pdf_fits_the_figure_on_paper_as_vectors(paper):
    data = bodymap.render("neck-pain", format="pdf", paper=paper)
    w, h = SIZES[paper.lower()]
    assert pdfinfo(data)["Pages"].strip() == "1"
    assert sorted(page_size(data)) == pytest.approx(sorted((w, h)), abs=0.5)
    assert b"/Subtype /Image" not in data  # vector: no raster anywhere
    assert "GB20" in text(data)


def test_pdf_without_paper_is_the_free_size_page_as_before():
    scene = scene_for("neck-pain")
    default = bodymap.render("neck-pain", format="pdf")
    assert default == bodymap.render("neck-pain", format="pdf", paper="fit") == render_figure_pdf(scene, "fit")
    assert page_size(default) == pytest.approx((scene.width * 0.75, scene.height * 0.75), abs=0.5)


# --- options, content data, escaping, determinism ---------------------------------------------------------


def test_clinic_line_is_printed_literally():
    clinic = "Riverside <script>alert(1)</script> Physio, 020 7946 0000"
    for fmt in ("handout", "reference"):
        flat = text(bodymap.render("sciatica", format=fmt, clinic=clinic))
        assert "<script>alert(1)</script>" in flat and "7946" in flat


@pytest.mark.parametrize("bad", ["x" * 121, "line\nbreak\x07", 42])
def test_bad_clinic_is_a_one_line_option_error(bad):
    with pytest.raises(OptionError) as info:
        bodymap.render("sciatica", format="handout", clinic=bad)
    assert "\n" not in str(info.value) and "clinic" in str(info.value)


def test_unknown_paper_is_a_one_line_option_error():
    for fmt, valid in (("handout", "a4, letter"), ("reference", "a4, letter"), ("pdf", "fit, a4, letter")):
        for bad in ("a5", "A3", 4):
            with pytest.raises(OptionError) as info:
                bodymap.render("neck-pain", format=fmt, paper=bad)
            assert valid in str(info.value) and "\n" not in str(info.value)


def test_cli_writes_handout_reference_and_paper_pdf(tmp_path):
    runner = CliRunner()
    for fmt, extra in (("handout", ["--clinic", "Riverside Physio, 020 7946 0000"]), ("reference", []),
                       ("pdf", ["--paper", "letter"])):
        out = tmp_path / f"{fmt}.pdf"
        result = runner.invoke(main, ["export", "knee-osteoarthritis", "-f", fmt, "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(b"%PDF")
    assert "Riverside" in text((tmp_path / "handout.pdf").read_bytes())
    bad = runner.invoke(main, ["export", "knee-osteoarthritis", "-f", "handout", "--paper", "a3", "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2 and "a4, letter" in bad.output and "Traceback" not in bad.output
    assert not (tmp_path / "x.pdf").exists()


def test_handout_text_has_a_source_on_every_statement():
    content = load_handout_text()
    assert tuple(s.heading for s in content.sections) == HEADINGS
    items = [i for s in content.sections for i in s.items] + list(content.cautions)
    assert {c.id for c in content.cautions} == {"pregnancy", "bleeding", "fainting"}
    assert all(len(i.source) >= 20 for i in items)


def test_handout_text_is_validated(tmp_path):
    import yaml

    raw = yaml.safe_load((Path(bodymap.__file__).parent.parent / "assets/data/handout.yaml").read_text(encoding="utf-8")) \
        if (Path(bodymap.__file__).parent.parent / "assets/data/handout.yaml").exists() else None
    if raw is None:
        pytest.skip("no source checkout")
    broken = dict(raw, sections=[dict(raw["sections"][0], heading="What happens")] + raw["sections"][1:])
    no_source = dict(raw, cautions=[{k: v for k, v in raw["cautions"][0].items() if k != "source"}] + raw["cautions"][1:])
    for i, doc in enumerate((broken, no_source)):
        path = tmp_path / f"handout{i}.yaml"
        path.write_text(yaml.safe_dump(doc), encoding="utf-8")
        with pytest.raises(DataError) as info:
            load_handout_text(path)
        assert path.name in str(info.value) and "\n" not in str(info.value).strip()


def test_hostile_catalog_text_is_printed_literally():
    catalog = load_catalog()
    complaint = catalog.complaints["low-back-pain"]
    nasty = "$\\frac{a}{b}$ <script>x</script> ]]>"
    bad = dataclasses.replace(catalog, complaints={**catalog.complaints,
                                                   "low-back-pain": complaint.model_copy(update={"summary": nasty})})
    flat = text(render_reference(scene_for("low-back-pain", data=bad), bad))
    assert nasty in flat


def test_handout_and_reference_are_deterministic_across_processes():
    here = [hashlib.sha256(bodymap.render("neck-pain", format=fmt, view="posterior", paper="letter")).hexdigest()
            for fmt in ("handout", "reference", "pdf")]
    code = ("import hashlib, bodymap\n"
            "for f in ('handout', 'reference', 'pdf'):\n"
            "    print(hashlib.sha256(bodymap.render('neck-pain', format=f, view='posterior', paper='letter')).hexdigest())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "987"}).stdout.split()
    assert out == here
    data = bodymap.render("neck-pain", format="handout")
    assert b"/CreationDate" not in data and b"/ModDate" not in data


def test_handout_follows_the_chosen_therapies():
    found = [w for w, _ in words(render_handout(scene_for("low-back-pain", overlays=["acupuncture", "labels"]),
                                                 load_catalog()))]
    assert "BL23" in found and "Quadratus" not in found


def test_wrap_fits_the_width():
    sample = ("Lateral edge of the muscle just under the 12th rib, reached from the side with the patient side-lying; "
              "Supercalifragilisticexpialidociousandthensomemoreletters ends it.")
    for width in (40.0, 90.0, 200.0):
        lines = wrap(sample, width, 7.0)
        assert all(text_width(line, 7.0) <= width + 1e-6 for line in lines)
        assert "".join(lines).replace(" ", "") == sample.replace(" ", "")
    assert wrap("", 100, 7) == [""]


def test_papers_are_the_standard_sizes():
    assert PAPERS["a4"] == pytest.approx((595.276, 841.89)) and PAPERS["letter"] == (612.0, 792.0)


def test_a_long_plan_still_fits_one_page(bbox_per_pt):
    """A custom plan may hold many points: the tick box keeps 4 x 7 and names how many more there are."""
    scene = scene_for("low-back-pain")
    model = next(m for m in scene.markers if m.layer == "acupuncture")
    extra = tuple(dataclasses.replace(model, id=f"{model.id}-x{i}", code=f"EX-LONG{i}") for i in range(60))
    long_scene = dataclasses.replace(scene, markers=scene.markers + extra)
    data = render_handout(long_scene, load_catalog(), "letter")
    assert pdfinfo(data)["Pages"].strip() == "1"
    flat = text(data)
    shown = len(set(re.findall(r"EX-LONG\d+", flat)))
    assert 0 < shown < 60 and f"{60 - shown} more in the reference" in flat
    assert smallest_pt(data, bbox_per_pt)[0] >= MIN_PT - 0.01


def test_documents_take_their_colours_and_type_from_the_theme():
    from bodymap.core import theme
    from bodymap.documents import handout, pages, reference

    folder = Path(pages.__file__).parent
    literals = {p.name: re.findall(r"#[0-9A-Fa-f]{6}\b", p.read_text(encoding="utf-8")) for p in folder.glob("*.py")}
    assert not any(literals.values()), literals
    assert (pages.MUTED, pages.BOX_EDGE, pages.MIN_PT) == (theme.PRINT_MUTED, theme.HATCH_INK, theme.PRINT_MIN_PT)
    assert (theme.HANDOUT_TYPE.body, theme.REFERENCE_TYPE.small) == (handout.BODY, reference.TABLE)


@pytest.mark.parametrize("complaint,view", [("low-back-pain", "auto"), ("plantar-heel-pain", "auto"), ("neck-pain", "all")])
def test_print_label_size_is_chosen_in_one_layout_pass_and_drawn_as_laid_out(monkeypatch, complaint, view):
    """One scene build at the chosen size (no ladder of rebuilds), and the figure's text is drawn at the
    scene's own sizes: nothing is enlarged after the labels' collisions were resolved."""
    from bodymap.documents import handout
    from bodymap.documents.pages import figure_scale
    from bodymap.documents.reference import figure_room

    builds = []
    real = handout.build_scene
    monkeypatch.setattr(handout, "build_scene", lambda *a, **k: builds.append(k) or real(*a, **k))
    catalog, scene = load_catalog(), scene_for(complaint, view=view)
    room = figure_room(scene, catalog, "a4", None)
    printed = handout.readable(scene, catalog, room)
    assert len(builds) <= 1
    k = figure_scale(printed, *room)
    assert printed.label_size * k >= MIN_PT
    assert {lab.size for lab in printed.labels} == {printed.label_size}
    # every point still named (by code: print-sized labels drop the trigger point numbers their marks cannot hold)
    assert {lab.code for lab in printed.labels} >= {lab.code for lab in scene.labels}


def test_a_narrow_scene_keeps_its_page_width_in_the_handout(monkeypatch):
    from bodymap.documents import handout

    seen = []
    real = handout.build_scene
    # build_scene(catalog, panels, complaint, options): the width travels in the RenderOptions
    monkeypatch.setattr(handout, "build_scene", lambda *a, **k: seen.append(a[3].page_width) or real(*a, **k))
    render_handout(scene_for("neck-pain", page_width=400), load_catalog())
    assert seen and set(seen) == {400}
