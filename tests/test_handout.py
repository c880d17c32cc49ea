"""The PDF handout: paper sizes, content, pagination, determinism and bad options."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
import sys

import pytest

import bodymap
from bodymap.api import scene_for
from bodymap.catalog import load_catalog
from bodymap.errors import OptionError
from bodymap.handout import MARGIN_BOTTOM, MARGIN_TOP, PAPERS, layout, render_handout, wrap
from bodymap.render_mpl import text_width

COMPLAINT = "low-back-pain"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def scene():
    return scene_for(COMPLAINT)


@pytest.fixture(scope="module")
def a4(scene, catalog):
    return render_handout(scene, catalog, paper="a4")


def pdftotext(data: bytes) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; the handout's text checks need it")
    return subprocess.run([exe, "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode("utf-8")


def media_boxes(data: bytes) -> list[tuple[int, int]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    return [(round(float(w)), round(float(h))) for _, _, w, h in boxes]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792)), ("Letter", (612, 792))])
def test_paper_sizes(scene, catalog, paper, size):
    data = render_handout(scene, catalog, paper=paper)
    assert data.startswith(b"%PDF")
    boxes = media_boxes(data)
    assert boxes and all(box == size for box in boxes)


def test_unknown_paper_is_an_option_error(scene, catalog):
    for bad in ("a5", "", None, 4):
        with pytest.raises(OptionError) as info:
            render_handout(scene, catalog, paper=bad)
        assert "a4" in str(info.value) and "letter" in str(info.value)


def test_handout_says_what_a_clinic_needs(a4, catalog):
    text = pdftotext(a4)
    words = flat(text)
    assert "Low back pain" in text
    assert "not medical advice" in words
    assert "BL23" in text and "Quadratus" in text  # a point code and a muscle from the table
    assert "Why these points" in text
    assert catalog.comparison.rows[0].aspect in text and catalog.comparison.title in words
    assert "Sources" in text and "Travell" in text
    pages = len(media_boxes(a4))
    assert f"page {pages} of {pages}" in text
    # No date or time anywhere: the handout is the same whenever it is made.
    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", text)
    assert b"/CreationDate" not in a4 and b"/ModDate" not in a4


def test_sources_are_numbered_once(a4, catalog):
    text = pdftotext(a4)
    numbered = re.findall(r"^\s*(\d+)\.\s", text, flags=re.M)
    assert numbered == [str(i) for i in range(1, len(numbered) + 1)]
    # The comparison rows all cite the same article: it is listed once.
    article = catalog.comparison.rows[0].source
    assert flat(text).count(flat(article)[:40]) == 1


def test_text_is_embedded_truetype(a4):
    assert b"/FontFile2" in a4 and b"/Subtype /Type3" not in a4


def test_deterministic(scene, catalog, a4):
    assert render_handout(scene, catalog, paper="a4") == a4
    code = (f"import hashlib, bodymap\n"
            f"print(hashlib.sha256(bodymap.render({COMPLAINT!r}, format='handout', paper='a4')).hexdigest())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "987"}).stdout.strip()
    assert out == hashlib.sha256(a4).hexdigest()


def test_blocks_stay_inside_the_margins(scene, catalog):
    for paper in PAPERS:
        (width, height), pages = layout(scene, catalog, paper)
        assert pages
        for placed in pages:
            for block, y in placed:
                assert y >= MARGIN_TOP - 0.01
                assert y + block.height <= height - MARGIN_BOTTOM + 0.01


def test_every_complaint_makes_a_handout(catalog):
    for complaint in catalog.complaints:
        data = bodymap.render(complaint, format="handout")
        assert data.startswith(b"%PDF") and 1 <= len(media_boxes(data)) <= 4


def test_short_content_fits_one_page(catalog):
    cid = "plantar-heel-pain"
    plan = catalog.acupuncture[cid]
    small = dataclasses.replace(
        catalog,
        acupuncture={**catalog.acupuncture, cid: plan.model_copy(update={"points": plan.points[:2], "rationale": "Two points.",
                                                                          "foot_points": "None here."})},
        dry_needling={k: v for k, v in catalog.dry_needling.items() if k != cid},
        comparison=None,
    )
    data = render_handout(scene_for(cid, data=small), small)
    assert len(media_boxes(data)) == 1
    assert "page 1 of 1" in pdftotext(data)


def test_table_follows_the_chosen_therapies(catalog):
    text = flat(pdftotext(render_handout(scene_for(COMPLAINT, overlays=["acupuncture"]), catalog)))
    assert "BL23" in text
    assert "Dry needling: trigger points" not in text and "Quadratus lumborum" not in text


def test_hostile_catalog_text_is_printed_literally(catalog):
    complaint = catalog.complaints[COMPLAINT]
    nasty = "$\\frac{a}{b}$ <script>x</script> ]]> \x00"
    bad = dataclasses.replace(catalog, complaints={**catalog.complaints,
                                                   COMPLAINT: complaint.model_copy(update={"summary": nasty})})
    text = pdftotext(render_handout(scene_for(COMPLAINT, data=bad), bad))
    assert "$\\frac{a}{b}$ <script>x</script> ]]>" in text


def test_wrap_fits_the_width():
    text = ("Lateral edge of the muscle just under the 12th rib, reached from the side with the patient side-lying; "
            "Supercalifragilisticexpialidociousandthensomemoreletters ends it.")
    for width in (40.0, 90.0, 200.0):
        lines = wrap(text, width, 7.0)
        assert all(text_width(line, 7.0) <= width + 1e-6 for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap("", 100, 7) == [""]
    long_word = "x" * 2000  # the longest text the data models allow, as one word
    lines = wrap(long_word, 60.0, 7.0)
    assert "".join(lines) == long_word and all(text_width(line, 7.0) <= 60.0 for line in lines)
