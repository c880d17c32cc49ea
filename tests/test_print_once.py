"""The documents do their layout once: a draft scene for choosing the print size, page lines drawn unmeasured."""

from __future__ import annotations

import io

import pytest
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.text import Text

import bodymap
from bodymap.api import scene_for
from bodymap.backends.mpl import PDF_METADATA, font
from bodymap.content.options import RenderOptions
from bodymap.data.catalog import load_catalog
from bodymap.documents import pages
from bodymap.documents.handout import readable
from bodymap.figures.geometry import load_panels
from bodymap.layout.textmetrics import printable
from bodymap.scene import build


@pytest.fixture
def label_layouts(monkeypatch):
    """How many times labels are placed (an empty layout cache, so every layout is counted)."""
    calls = []
    original = build._labels

    def counting(req, *args, **kwargs):
        calls.append(req.label_size)
        return original(req, *args, **kwargs)

    monkeypatch.setattr(build, "_PAGES", {})
    monkeypatch.setattr(build, "_labels", counting)
    return calls


def test_a_handout_places_its_labels_once_at_the_print_size(label_layouts):
    # Sciatica's handout prints larger labels than the screen's 11 units: before the draft, the
    # screen-size layout was made first and thrown away.
    bodymap.render("sciatica", "handout")
    assert len(label_layouts) == 1
    assert label_layouts[0] > RenderOptions().label_size


def test_a_reference_with_a_plan_places_labels_once_per_figure(label_layouts):
    bodymap.render("low-back-pain", "reference", plan="BL40,BL23:L")
    assert len(label_layouts) == 2  # the plan's figure and the full protocol's


def test_svg_and_json_never_take_a_draft(label_layouts):
    bodymap.render("neck-pain", "svg")
    assert len(label_layouts) == 1
    assert '"labels": []' not in bodymap.render("neck-pain", "json")


def test_a_draft_has_no_labels_and_readable_lays_it_out_like_a_full_scene():
    catalog, panels = load_catalog(), load_panels()
    draft = build.build_scene(catalog, panels, "neck-pain", RenderOptions(draft=True))
    full = scene_for("neck-pain")
    assert draft.labels == () and full.labels
    assert (draft.width, draft.legend, draft.title) == (full.width, full.legend, full.title)
    # A box so large that the screen's label size already prints readable: the size stays, and the
    # draft is still laid out (a full scene would come back as it is).
    laid = readable(draft, catalog, (5000.0, 5000.0))
    assert laid.label_size == full.label_size
    assert laid.options is not None and not laid.options.draft
    assert laid.to_dict() == full.to_dict()
    assert readable(full, catalog, (5000.0, 5000.0)) is full


def _pdf_of(kind: type[Text], text: str, size: float, bold: bool, colour: str) -> bytes:
    page = pages.Page(pages.PAPERS["a4"])
    page.add(kind(72.5, 100.25, printable(text), fontproperties=font(size, bold), color=colour, ha="left", va="baseline",
                  usetex=False, parse_math=False))
    buf = io.BytesIO()
    with PdfPages(buf, metadata=PDF_METADATA) as pdf:
        pdf.savefig(page.fig)
    return buf.getvalue()


@pytest.mark.parametrize(("text", "size", "bold", "colour"), [
    ("Weizhong (BL40): back of the knee", 7.2, False, "#1F2328"),
    ("Hòu Xī 后溪 – “quoted” $5 \\n", 10.5, True, "#6E7781"),
    ("AVA", 8.5, False, "#000000"),  # a kerning pair, had the font kerned it
])
def test_a_page_line_draws_exactly_as_matplotlib_text_would(text, size, bold, colour):
    """_Line skips Text's measuring, not its output: the PDF bytes are the same."""
    assert _pdf_of(pages._Line, text, size, bold, colour) == _pdf_of(Text, text, size, bold, colour)
