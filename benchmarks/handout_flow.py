"""Measure the clinician reference's document flow: the hand-written flow vs reportlab platypus.

Issue 12 asked to measure both before choosing. The platypus variant is a sketch, not a product,
and carries less than the real reference (title, notice, figure, points table without symbols or
needling, rationales, comparison, sources), laid out by platypus (table splitting with repeated
headers, keep-with-next), with the matplotlib figure
kept vector by drawing it into its own PDF page and stamping that page into the platypus page with
pypdf (reportlab cannot import a PDF page itself). Needs `pip install reportlab pypdf` and poppler.

    python benchmarks/handout_flow.py [--runs 7]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import time

import bodymap
from bodymap.api import describe, scene_for
from bodymap.backends.mpl import PDF_METADATA, draw_scene, scene_bounds, style_context
from bodymap.data.catalog import load_catalog
from bodymap.layout.textmetrics import font_files

COMPLAINTS = ("low-back-pain", "neck-pain", "knee-osteoarthritis")


def platypus_reference(complaint: str) -> bytes:
    """The reference laid out by reportlab platypus, the figure stamped in as vector with pypdf."""
    from xml.sax.saxutils import escape

    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.invariant = 1  # no dates, fixed ids: the same bytes every run
    regular, bold = font_files()  # the same DejaVu files the figure embeds
    pdfmetrics.registerFont(TTFont("DejaVu", regular))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", bold))
    body = ParagraphStyle("b", fontName="DejaVu", fontSize=8, leading=10)
    head = ParagraphStyle("h", fontName="DejaVu-Bold", fontSize=11, leading=14, spaceBefore=8, keepWithNext=1)
    title = ParagraphStyle("t", fontName="DejaVu-Bold", fontSize=20, leading=24)
    cell = ParagraphStyle("c", fontName="DejaVu", fontSize=7, leading=8.6)

    scene = scene_for(complaint)
    info = describe(complaint)
    width = A4[0] - 80
    x0, y0, x1, y1 = scene_bounds(scene, header=False, legend=False, notes=False)
    fig_h = width * (y1 - y0) / (x1 - x0)
    sources: dict[str, int] = {}

    def ref(s: str) -> str:
        return str(sources.setdefault(s, len(sources) + 1))

    rows = [[Paragraph(escape(t), cell) for t in ("Point / muscle", "Name", "Location", "Ref.")]]
    for r in info["rows"]:
        rows.append([Paragraph(escape(r["code"]), cell), Paragraph(escape(r["name"]), cell),
                     Paragraph(escape(r["location"]), cell), Paragraph(ref(r["source"]), cell)])
    table = Table(rows, colWidths=[0.18 * width, 0.2 * width, 0.56 * width, 0.06 * width], repeatRows=1)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E7E3DC")),
                               ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F6F4F0")])]))
    cat = load_catalog()
    comp = [[Paragraph(escape(t), cell) for t in (r.aspect, r.dry_needling, r.acupuncture, ref(r.source))]
            for r in cat.comparison.rows]
    story = [Paragraph(escape(scene.title), title), Paragraph(escape(scene.disclaimer), body), Spacer(width, fig_h),
             Paragraph("Points and muscles on the diagram", head), table,
             Paragraph("Why these points", head), Paragraph(escape(info["dry_needling"]["rationale"]), body),
             Paragraph(escape(info["acupuncture"]["rationale"]), body),
             KeepTogether([Paragraph(escape(cat.comparison.title), head),
                           Table(comp, colWidths=[0.16 * width, 0.4 * width, 0.4 * width, 0.04 * width], repeatRows=0)]),
             Paragraph("Sources", head)] + [Paragraph(f"{n}. {escape(s)}", cell) for s, n in sources.items()]
    text_pdf = io.BytesIO()
    doc = SimpleDocTemplate(text_pdf, pagesize=A4, leftMargin=40, rightMargin=40, topMargin=36, bottomMargin=44)
    doc.build(story)
    # The figure as its own vector page, stamped under the spacer's place on page 1.
    with style_context():
        fig = Figure(figsize=(width / 72, fig_h / 72), dpi=72)
        FigureCanvasPdf(fig)
        draw_scene(fig, scene, header=False, legend=False, notes=False)
        fig_pdf = io.BytesIO()
        fig.savefig(fig_pdf, format="pdf", metadata=PDF_METADATA)
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf.getvalue()))
    figure_page: PageObject = PdfReader(io.BytesIO(fig_pdf.getvalue())).pages[0]
    writer.pages[0].merge_transformed_page(figure_page, Transformation().translate(40, A4[1] - 36 - 24 - 22 - fig_h))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def hand_reference(complaint: str) -> bytes:
    return bodymap.render(complaint, format="reference")


def facts(data: bytes) -> str:
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout.decode().splitlines()[2:]
    images = subprocess.run(["pdfimages", "-list", "-"], input=data, capture_output=True).stdout.decode().splitlines()[2:]
    pages = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout.decode()
    n = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    return f"{len(data) / 1024:.0f} KiB, {n} pages, {len(fonts)} embedded fonts, {len(images)} raster images"


def median_ms(fn, complaint: str, runs: int) -> float:
    fn(complaint)  # warm: fonts, catalog, figures
    times = []
    for _ in range(runs):
        # CPU time, not wall time: the machine is shared, and both flows run in one thread.
        t = time.process_time()
        fn(complaint)
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print("| complaint | flow | median CPU ms | output |\n|---|---|---:|---|")
    for complaint in COMPLAINTS:
        for name, fn in (("hand-written", hand_reference), ("platypus + pypdf", platypus_reference)):
            ms = median_ms(fn, complaint, args.runs)
            print(f"| {complaint} | {name} | {ms:.0f} | {facts(fn(complaint))} |")
    a, b = platypus_reference(COMPLAINTS[0]), platypus_reference(COMPLAINTS[0])
    print(f"\nplatypus + pypdf deterministic within a process: {a == b}")


if __name__ == "__main__":
    main()
