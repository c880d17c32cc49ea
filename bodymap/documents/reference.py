"""The clinician reference: the figure on page 1, every point with location and needling, evidence, sources."""

from __future__ import annotations

from bodymap._version import __version__
from bodymap.backends.mpl import scene_bounds
from bodymap.core import theme
from bodymap.core.vocabulary import Therapy
from bodymap.data.catalog import Catalog
from bodymap.data.words import patient_name
from bodymap.documents.content import (
    Sources,
    evidence_lines,
    handout_sources,
    load_handout_text,
    needling_text,
    rationales,
    reference_rows,
)
from bodymap.documents.pages import (
    MUTED,
    PAPERS,
    Block,
    Column,
    Diagram,
    Heading,
    Lines,
    NoticeBox,
    NumberedList,
    Page,
    Section,
    Table,
    TableRow,
    figure_scale,
    legend_height,
    paginate,
)
from bodymap.layout.textmetrics import wrap
from bodymap.scene.build import Scene

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 40.0, 36.0, 44.0
GAP = 10.0
_TYPE = theme.REFERENCE_TYPE
TITLE, SUBTITLE, BODY, TABLE = _TYPE.title, _TYPE.subtitle, _TYPE.body, _TYPE.small


def _header(scene: Scene, catalog: Catalog, width: float, clinic: str | None) -> list[Block]:
    summary = catalog.complaint(scene.complaint_id).summary
    subtitle = "Clinician reference: where the needles go"
    if scene.subtitle != "Anatomy only":
        subtitle += f": {scene.subtitle.replace('  vs  ', ' and ').lower()}"
    blocks: list[Block] = [Lines(wrap(scene.title, width, TITLE, True), TITLE, bold=True),
                           Lines(wrap(subtitle + (f". {clinic}" if clinic else ""), width, SUBTITLE), SUBTITLE, colour=MUTED),
                           Lines(wrap(summary, width, BODY), BODY),
                           NoticeBox(wrap(scene.disclaimer, width - 28, 8.5, True), width)]
    return blocks


def _points_table(scene: Scene, catalog: Catalog, sources: Sources, width: float) -> Table | None:
    rows = reference_rows(scene, catalog, sources)
    if not rows:
        return None
    needling = any(r.needling for r in rows)
    spec = [("", 0.035), ("Point / muscle", 0.11 if needling else 0.13), ("Name", 0.13 if needling else 0.16),
            ("Location", 0.265 if needling else 0.55), ("Use, channel", 0.08)]
    spec += [("Needling: approach, depth, what lies beneath, safe depth", 0.335)] if needling else []
    spec += [("Ref.", 0.045)]
    columns = [Column(t, f * width, bold=t == "Point / muscle") for t, f in spec]

    def cells(*texts: str) -> list[list[str]]:
        return [[""]] + [wrap(t, c.width - 4.8, TABLE, c.bold) for t, c in zip(texts, columns[1:], strict=True)]

    out: list[TableRow] = []
    captions = {Therapy.DRY_NEEDLING: "Dry needling: trigger points in the muscles that refer pain to the area",
                Therapy.ACUPUNCTURE: "Acupuncture: local points near the pain and distal points far from it"}
    group = None
    for r in rows:
        therapy = Therapy.DRY_NEEDLING if r.key == Therapy.DRY_NEEDLING else Therapy.ACUPUNCTURE
        if therapy != group:
            group = therapy
            out.append(TableRow([wrap(captions[therapy], width - 4.8, TABLE + 0.4, True)] + [[""]] * (len(columns) - 1),
                                caption=True))
        use = r.placement if r.channel in ("", "–") else f"{r.placement}, {r.channel}"
        texts = [r.code, r.name, r.location, use] + ([r.needling or "–"] if needling else []) + [r.ref]
        out.append(TableRow(cells(*texts), symbol=r.key))
    return Table(columns, out, size=TABLE)


def _comparison(catalog: Catalog, sources: Sources, width: float) -> Section | None:
    comparison = catalog.comparison
    if comparison is None or not comparison.rows:
        return None
    columns = [Column("Aspect", 0.16 * width, True), Column("Dry needling", 0.39 * width),
               Column("Acupuncture", 0.39 * width), Column("Ref.", 0.06 * width)]
    rows = [TableRow([wrap(t, c.width - 4.8, TABLE, c.bold) for t, c in
                      zip((r.aspect, r.dry_needling, r.acupuncture, sources.ref(r.source)), columns, strict=True)])
            for r in comparison.rows]
    return Section(Heading(comparison.title, width), Table(columns, rows, size=TABLE))


def _text_section(title: str, paragraphs: list[str], width: float) -> Section:
    lines: list[str] = []
    for i, p in enumerate(paragraphs):
        lines += ([""] if i else []) + wrap(p, width, BODY)
    return Section(Heading(title, width), Lines(lines, BODY))


def _body(scene: Scene, catalog: Catalog, sources: Sources, width: float) -> list[Block]:
    blocks: list[Block] = []
    table = _points_table(scene, catalog, sources, width)
    if table is not None:
        blocks.append(Section(Heading("Points and muscles on the diagram", width), table))
    # "Acupuncture. <text>", unless the text already opens with the therapy's name.
    why = [text if text.lower().startswith(heading.lower()) else f"{heading}. {text}"
           for heading, _, text in rationales(scene, catalog, sources)]
    if why:
        blocks.append(_text_section("Why these points", why, width))
    evidence = evidence_lines(scene, catalog, sources)
    if evidence:
        blocks.append(_text_section("Evidence and cautions", evidence, width))
    comparison = _comparison(catalog, sources, width)
    if comparison is not None:
        blocks.append(comparison)
    patient = handout_sources(load_handout_text(), sources)
    blocks.append(_text_section("What the patient handout says, and its sources", patient, width))
    items = [(f"{n}.", wrap(text, width - 16, TABLE)) for text, n in sources.numbers.items()]
    blocks.append(Section(Heading("Sources", width), NumberedList(items, size=TABLE)))
    return blocks


def figure_room(scene: Scene, catalog: Catalog, paper: str, clinic: str | None) -> tuple[float, float]:
    """(width, height) in points the figure may take on page 1, under the header and notice."""
    w, h = PAPERS[paper]
    width = w - 2 * MARGIN_X
    used = sum(b.height + GAP for b in _header(scene, catalog, width, clinic))
    legend = legend_height(scene, width, 8.0) + 4
    return width, h - MARGIN_TOP - MARGIN_BOTTOM - used - legend - 1.0


def _diagram(scene: Scene, width: float, room: float) -> Diagram:
    k = figure_scale(scene, width, room)
    x0, y0, x1, y1 = scene_bounds(scene, header=False, legend=False, notes=False)
    return Diagram(scene, width, (y1 - y0) * k)


def reference_pages(scene: Scene, catalog: Catalog, paper: str, clinic: str | None,
                    protocol: Scene | None = None) -> list[list[tuple[Block, float]]]:
    """Every block placed: the header, notice and figure on page 1, the rest flowed after.

    With a plan (`scene.plan`), page 1 shows the plan's figure and its table; `protocol` (the
    complaint's full protocol) follows with its own figure and everything a reference holds.
    """
    w, h = PAPERS[paper]
    width, room = figure_room(scene, catalog, paper, clinic)
    sources = Sources()
    blocks = _header(scene, catalog, width, clinic) + [_diagram(scene, width, room)]
    if scene.plan is not None and protocol is not None:
        blocks.append(_plan_section(scene, catalog, width))
        blocks += [Heading("The full protocol", width), _diagram(protocol, width, room)]
        scene = protocol
    blocks += _body(scene, catalog, sources, width)
    return paginate(blocks, MARGIN_TOP, h - MARGIN_BOTTOM, GAP)


def _plan_section(scene: Scene, catalog: Catalog, width: float) -> Section:
    """Today's plan: each point with its side, location, needling and the clinician's note."""
    entries = scene.plan.entries
    spec = [("Point", 0.14), ("In the patient's words", 0.15), ("Side", 0.06), ("Location", 0.25),
            ("Needling", 0.3), ("Note", 0.1)]
    columns = [Column(t, f * width, bold=t == "Point") for t, f in spec]
    tps = {tp.id: (m, tp) for m in catalog.muscles.values() for tp in m.trigger_points}
    rows = []
    for e in entries:
        point = catalog.acupoints.get(e.code)
        item = point if point is not None else tps[e.code][1]
        code = e.code if point is not None else f"{tps[e.code][0].name}: {tps[e.code][1].name}"
        how = needling_text(item, catalog.safety) or "–"
        texts = (code, patient_name(catalog, e.code), e.side, item.location, how, e.note or "")
        rows.append(TableRow([wrap(t, c.width - 4.8, TABLE, c.bold) for t, c in zip(texts, columns, strict=True)]))
    title = f"Today's plan: {len(entries)} point{'s' if len(entries) != 1 else ''}"
    if not rows:
        return Section(Heading(title, width), Lines(["No points were chosen for today's session."], BODY))
    return Section(Heading(title, width), Table(columns, rows, size=TABLE))


def draw_reference(pages: list[list[tuple[Block, float]]], scene: Scene, paper: str) -> list[Page]:
    size = PAPERS[paper]
    out = []
    for number, placed in enumerate(pages, 1):
        page = Page(size)
        for block, y in placed:
            block.draw(page, MARGIN_X, y)
        _footer(page, scene, number, len(pages))
        out.append(page)
    return out


def _footer(page: Page, scene: Scene, number: int, total: int) -> None:
    y = page.height - MARGIN_BOTTOM + 18
    page.rule(MARGIN_X, y - 8, page.width - 2 * MARGIN_X)
    # Every page repeats the disclaimer and names the complaint, in case the pages are parted.
    page.text(MARGIN_X, y, scene.disclaimer, 7.0, colour=MUTED)
    page.text(MARGIN_X, y + 9, f"{scene.title} · bodymap {__version__} · page {number} of {total}", 7.0, colour=MUTED)
