"""The printed documents: the one-page patient handout, the clinician reference, the figure on paper."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.lines import Line2D

from bodymap.backends.mpl import PDF_METADATA, draw_scene, scene_bounds, style_context
from bodymap.core import theme
from bodymap.core.errors import OptionError
from bodymap.core.vocabulary import Layer
from bodymap.data.catalog import Catalog
from bodymap.documents.content import Patient, Tick, patient
from bodymap.documents.pages import BOX_EDGE, BOX_FILL, INK, MIN_PT, MUTED, PAPERS, Diagram, Page, legend_height, line_height
from bodymap.figures.geometry import load_panels
from bodymap.layout.textmetrics import text_width, wrap
from bodymap.scene.build import RenderOptions, Scene, build_scene
from bodymap.scene.printfit import print_label_size

# The PDF drops the fields that would carry a version or a timestamp: the same input always
# gives the same bytes.

MARGIN = 36.0
GAP = 10.0
LABEL_PT = theme.PRINT_LABEL_PT

_TYPE = theme.HANDOUT_TYPE
TITLE, SUBTITLE, HEADING, BODY, SMALL = _TYPE.title, _TYPE.subtitle, _TYPE.heading, _TYPE.body, _TYPE.small
TICK_ROW = 12.0  # one tick box and its point per row
MAX_TICK_ROWS = 7  # beyond 4 x 7 points the rest are named in the reference, so the figure keeps its room


def check_paper(paper: Any, allowed: tuple[str, ...] = tuple(PAPERS)) -> str:
    """The paper's name, lower case, or a one-line OptionError listing the valid ones."""
    if not isinstance(paper, str) or paper.lower() not in allowed:
        raise OptionError(f"unknown paper {paper!r}; valid: {', '.join(allowed)}")
    return paper.lower()


@contextmanager
def _pdf() -> Iterator[tuple[io.BytesIO, PdfPages]]:
    buf = io.BytesIO()
    with style_context(), PdfPages(buf, metadata=PDF_METADATA) as pdf:
        yield buf, pdf


# --- label size -------------------------------------------------------------------------------


def readable(scene: Scene, catalog: Catalog, room: tuple[float, float]) -> Scene:
    """The scene laid out once more, with labels sized to print at MIN_PT or more in `room` (points).

    The size is chosen from the panel arrangement alone (`scene.printfit`), before any label is
    placed; the scene keeps its page width unless only a wider page prints its text readable.
    """
    panels = load_panels()
    units, width = print_label_size(catalog, panels, scene, room, MIN_PT, LABEL_PT)
    if (units, width) == (scene.label_size, scene.width):
        return scene
    return build_scene(catalog, panels, scene.complaint_id, replace(_options(scene), label_size=units, page_width=width))


def _options(scene: Scene) -> RenderOptions:
    """What the scene was built from; for a scene made by hand, its own overlays, view, side and size."""
    if scene.options is not None:
        return scene.options
    return RenderOptions(scene.overlays, scene.view, scene.side, scene.id_prefix, scene.highlight, scene.label_size,
                         scene.width, scene.plan)


# --- the patient handout -------------------------------------------------------------------------


def render_handout(scene: Scene, catalog: Catalog, paper: str = "a4", clinic: str | None = None) -> bytes:
    """One page a patient takes home: the figure, what to expect, after care, when to get help."""
    size = PAPERS[check_paper(paper)]
    content = patient(scene, catalog, clinic)
    with style_context():
        plan = _PatientPlan(content, size)
        scene = readable(scene, catalog, plan.room_for(scene))
        with _pdf() as (buf, pdf):
            page = Page(size)
            plan.draw(page, scene)
            pdf.savefig(page.fig)
        return buf.getvalue()


class _PatientPlan:
    """The patient page measured top to bottom; the figure gets the height the text leaves."""

    def __init__(self, content: Patient, size: tuple[float, float]) -> None:
        self.c, (self.pw, self.ph) = content, size
        self.w = self.pw - 2 * MARGIN
        self.col = (self.w - 2 * GAP) / 3
        self.title = wrap(content.title, self.w, TITLE, True)
        self.subtitle = wrap(content.subtitle, self.w, SUBTITLE)
        self.sections = [[wrap(item.text, self.col - 9, BODY) for item in s.items] for s in content.sections]
        self.cautions = [wrap(c.text, self.w - 26, BODY, True) for c in content.cautions]
        self.tick_cols = _tick_columns(content.ticks, self.w)
        rows = -(-len(content.ticks) // self.tick_cols)
        self.tick_rows = max(1, min(rows, MAX_TICK_ROWS))
        self.ticks = content.ticks[:self.tick_cols * self.tick_rows]
        self.more = len(content.ticks) - len(self.ticks)
        head = 12 + len(self.title) * line_height(TITLE) + len(self.subtitle) * line_height(SUBTITLE) + 4
        sections = HEADING * 1.6 + max(sum(len(item) * line_height(BODY) + 2.5 for item in s) for s in self.sections)
        self.caution_h = sum(len(lines) for lines in self.cautions) * line_height(BODY) + 3 * len(self.cautions) + 7
        self.ticks_h = HEADING * 1.6 + line_height(SMALL) + 2 + self.tick_rows * TICK_ROW + 14
        self.bottom_h = HEADING * 1.6 + self.caution_h + GAP + self.ticks_h
        self.foot_h = 2 * line_height(SMALL) + 4
        self.fig_top = MARGIN + head
        text = head + sections + self.bottom_h + self.foot_h + 3 * GAP
        self.room = self.ph - 2 * MARGIN - text  # figure and its legend

    def legend_h(self, scene: Scene) -> float:
        return legend_height(scene, self.w, BODY) + 4

    def room_for(self, scene: Scene) -> tuple[float, float]:
        """The figure's box in points (its legend's height depends on the overlays, never on the label size)."""
        return self.w, self.room - self.legend_h(scene)

    def draw(self, page: Page, scene: Scene) -> None:
        c, x = self.c, MARGIN
        # With no --clinic, a line the clinic can stamp or write on.
        page.text(self.pw - MARGIN, MARGIN + 8, c.clinic or "Clinic, practitioner, phone: ______________________________",
                  SUBTITLE, bold=bool(c.clinic), colour=INK if c.clinic else MUTED, ha="right")
        y = page.lines(x, MARGIN + 12, self.title, TITLE, bold=True)
        y = page.lines(x, y, self.subtitle, SUBTITLE, colour=MUTED) + 4
        if c.empty:  # an empty plan: the sentence in the figure's place, the advice right under it
            page.rect(x, y, self.w, 40, fill=BOX_FILL, edge=BOX_EDGE, lw=1.0, rounded=3)
            page.text(x + self.w / 2, y + 24, c.empty, HEADING, bold=True, ha="center")
            y = y + 40 + 2 * GAP
        else:
            Diagram(scene, self.w, self.room - self.legend_h(scene), BODY).draw(page, x, y)
            y = y + self.room + GAP
        y = self._sections(page, y) + GAP
        self._cautions(page, x, y)
        self._ticks(page, x, y + HEADING * 1.6 + self.caution_h + GAP, self.w)
        self._footer(page)

    def _sections(self, page: Page, top: float) -> float:
        bottom = top
        for i, (section, wrapped) in enumerate(zip(self.c.sections, self.sections, strict=True)):
            cx = MARGIN + i * (self.col + GAP)
            page.lines(cx, top, [section.heading], HEADING, bold=True)
            page.rule(cx, top + HEADING * 1.45, self.col, colour=INK, lw=0.8)
            y = top + HEADING * 1.6
            for lines in wrapped:
                page.text(cx + 1, y + BODY * 0.9, "•", BODY, bold=True)
                y = page.lines(cx + 9, y, lines, BODY) + 2.5
            bottom = max(bottom, y)
        return bottom

    def _cautions(self, page: Page, x: float, y: float) -> None:
        page.lines(x, y, ["Before any needle, tell your practitioner"], HEADING, bold=True)
        top = y + HEADING * 1.6
        page.rect(x, top, self.w, self.caution_h, fill=BOX_FILL, edge=BOX_EDGE, lw=1.0, rounded=3)
        y = top + 5
        for lines in self.cautions:
            page.text(x + 10, y + BODY * 0.9, "!", BODY + 1, bold=True, colour=BOX_EDGE, ha="center")
            y = page.lines(x + 20, y, lines, BODY, bold=True) + 3

    def _ticks(self, page: Page, x: float, y: float, w: float) -> None:
        box = self.c.points
        page.lines(x, y, [box.heading], HEADING, bold=True)
        page.rule(x, y + HEADING * 1.45, w, colour=INK, lw=0.8)
        y = page.lines(x, y + HEADING * 1.6, [box.hint], SMALL, colour=MUTED) + 2
        col_w = w / self.tick_cols
        for i, tick in enumerate(self.ticks):
            cx, cy = x + (i // self.tick_rows) * col_w, y + (i % self.tick_rows) * TICK_ROW
            page.rect(cx, cy + 1.5, 8, 8, edge=INK, lw=0.7)  # the box to tick
            if tick.ticked:  # a plan's point: ticked already, it is what today's session uses
                page.add(Line2D([cx + 1.6, cx + 3.6, cx + 7.0], [cy + 5.6, cy + 8.0, cy + 2.6], color=INK, lw=1.3,
                                solid_capstyle="round"), 4.0)
            page.symbol(tick.key, cx + 16, cy + 5.5, 0.42)
            page.text(cx + 24, cy + 8.5, _clipped(_tick_text(tick), col_w - 28), SMALL + 0.6)
        write_y = y + self.tick_rows * TICK_ROW + 10
        other = f"{self.more} more in the reference. Other:" if self.more else "Other:"
        page.text(x, write_y, other, SMALL)
        left = text_width(other, SMALL) + 4
        page.rule(x + left, write_y + 1, w - left, colour=MUTED, lw=0.5)

    def _footer(self, page: Page) -> None:
        """The disclaimer, then the clinic and a date to fill in: nothing about the program that printed it."""
        y = self.ph - MARGIN - self.foot_h
        page.rule(MARGIN, y, self.w)
        page.text(MARGIN, y + 4 + SMALL, self.c.disclaimer, SMALL + 0.4, bold=True)
        low = y + 4 + SMALL + line_height(SMALL + 0.4)
        room = self.w - 120  # the date field keeps the right end of the line
        given = f"Given to you by {self.c.clinic or 'your practitioner'}."
        more = given + " Your practitioner can show you where this advice comes from."
        page.text(MARGIN, low, more if text_width(more, SMALL) <= room else _clipped(given, room, SMALL), SMALL, colour=MUTED)
        page.text(self.pw - MARGIN - 110, low, "Date:", SMALL, colour=INK)
        page.rule(self.pw - MARGIN - 110 + text_width("Date:", SMALL) + 3, low + 1, 110 - text_width("Date:", SMALL) - 3,
                  colour=MUTED, lw=0.5)


def _tick_text(tick: Tick) -> str:
    if tick.ticked:  # a plan's point: the patient's words first, then the side, the code last
        return ", ".join(t for t in (tick.name, tick.side) if t) + (f"  ({tick.code})" if tick.code else "")
    return f"{tick.code}  {tick.name}" if tick.key != Layer.DRY_NEEDLING else tick.code


def _clipped(text: str, width: float, size: float = SMALL + 0.6) -> str:
    """The text, cut with an ellipsis to fit `width` points (a name longer than its tick column)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _tick_columns(ticks: tuple[Tick, ...], width: float) -> int:
    """As many columns (2 to 4) as the longest entry allows; longer names are cut to fit."""
    widest = max((text_width(_tick_text(t), SMALL + 0.6) + 28 for t in ticks), default=0.0)
    return max(2, min(4, int(width // max(widest, 1.0))))


# --- the clinician reference ---------------------------------------------------------------------


def render_reference(scene: Scene, catalog: Catalog, paper: str = "a4", clinic: str | None = None) -> bytes:
    """The clinician reference: figure on page 1, every point with location and needling, sources."""
    from bodymap.documents.content import check_clinic
    from bodymap.documents.reference import draw_reference, figure_room, reference_pages

    paper, clinic = check_paper(paper), check_clinic(clinic)
    with style_context():
        scene = readable(scene, catalog, figure_room(scene, catalog, paper, clinic))
        protocol = None
        if scene.plan is not None:  # the plan first, then the full protocol
            full = build_scene(catalog, load_panels(), scene.complaint_id, replace(_options(scene), plan=None, highlight=()))
            protocol = readable(full, catalog, figure_room(full, catalog, paper, clinic))
        pages = reference_pages(scene, catalog, paper, clinic, protocol)
        with _pdf() as (buf, pdf):
            for page in draw_reference(pages, scene, paper):
                pdf.savefig(page.fig)
        return buf.getvalue()


# --- the figure on paper -------------------------------------------------------------------------

PAPER_CHOICES = ("fit", *PAPERS)


def render_figure_pdf(scene: Scene, paper: str = "fit") -> bytes:
    """The whole figure (header, legend, notes) as vector PDF: free size ("fit"), or fitted on paper.

    On paper the page turns to landscape when that prints the figure larger, and the figure is
    centred within the margins.
    """
    paper = check_paper(paper, PAPER_CHOICES)
    if paper == "fit":
        from bodymap.backends.mpl import render_image

        return render_image(scene, "pdf")
    w, h = PAPERS[paper]
    x0, y0, x1, y1 = scene_bounds(scene)
    if (x1 - x0) / (y1 - y0) > w / h:  # wider than the portrait page: landscape prints it larger
        w, h = h, w
    k = min((w - 2 * MARGIN) / (x1 - x0), (h - 2 * MARGIN) / (y1 - y0))
    art_w, art_h = (x1 - x0) * k, (y1 - y0) * k
    with _pdf() as (buf, pdf):
        page = Page((w, h))
        draw_scene(page.fig, scene, box=((w - art_w) / 144, (h - art_h) / 144, art_w / 72, art_h / 72))
        pdf.savefig(page.fig)
    return buf.getvalue()
