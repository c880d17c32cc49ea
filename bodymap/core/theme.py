"""The look of every bodymap page, defined once: colours, sizes, offsets and symbols.

Colours come from the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
stays distinguishable for the common colour-vision deficiencies; shapes differ as well, so the
diagram still reads in grey print. Sizes are page units (1 unit = 1 CSS px = 1/96 inch).
A symbol (a marker, or a legend swatch) is a tuple of shapes used by the figure, its legend and
the handout's tables alike, in the spirit of seaborn's marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from bodymap.core.vocabulary import Layer, Placement, Therapy

VERMILLION = "#D55E00"  # dry needling
BLUE = "#0072B2"  # acupuncture
PURPLE = "#CC79A7"  # pregnancy caution
YELLOW = "#F0E442"  # search highlight, danger-zone hatch
INK = "#1F2328"  # outlines of markers, text
MUTED = "#5B6168"
SKIN = "#F4F1EC"
SKIN_EDGE = "#5E5A55"
DETAIL = "#9A948C"
PAPER = "#FFFFFF"
HATCH_INK = "#7A5A00"
LABEL_INK: dict[str, str] = {Layer.DRY_NEEDLING: "#A04400", Layer.ACUPUNCTURE: "#005A8C"}  # darker shades: WCAG AA on white

# The printed documents (handout, reference): the same ink and paper, plus their own tints.
PRINT_MUTED = "#4A5058"  # darker than the screen's MUTED: small print must stay legible on paper
PRINT_RULE = "#BDB7AE"
PRINT_HEAD_FILL = "#E7E3DC"  # a table's header row
PRINT_ZEBRA = "#F6F4F0"  # every other table row
PRINT_BOX_FILL = "#FFF5D1"  # the cautions box
PRINT_BOX_EDGE = HATCH_INK


@dataclass(frozen=True)
class PrintType:
    """A document's type sizes, in points on paper."""

    title: float
    subtitle: float
    heading: float
    body: float
    small: float  # the tick box's hint, table text: never below PRINT_MIN_PT


PRINT_MIN_PT = 7.0  # the smallest type on any printed page (issue 12)
PRINT_LABEL_PT = 7.5  # a printed figure's labels are sized for this, a little above the floor
PRINT_LEADING = 1.25  # line height as a multiple of the font size
HANDOUT_TYPE = PrintType(title=17.0, subtitle=9.0, heading=10.5, body=8.2, small=7.2)
REFERENCE_TYPE = PrintType(title=18.0, subtitle=9.5, heading=10.5, body=8.0, small=7.2)

FONT = "DejaVu Sans"
FONT_STACK = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"

# Text sizes.
LABEL_SIZE = 11.0
TITLE_SIZE = 24.0
SUBTITLE_SIZE = 13.0
PANEL_TITLE_SIZE = 11.0
LEGEND_SIZE = 12.0
NOTE_SIZE = 10.5
CHANNEL_NAME_SIZE = 10.5
MARK_NUMBER_MAX = 12.0  # the largest label size at which a trigger point's number (drawn at that size) fits its diamond

# Page geometry. A complaint's page is PAGE_WIDTH wide: the app shows it about that many pixels wide,
# so a text of size 11 reads at 11 px there.
PAGE_WIDTH = 1000.0
CONTENT_HEIGHT_ATLAS = 1000.0  # the atlas shows the bodies at full size
PANEL_TITLE_DROP = 5.0  # a panel's title baseline sits this far above its box
DETAIL_HEIGHT = 130.0  # detail panels (ear, foot, hand) under the body views
CLOSEUP_SHARES = (0.62, 0.55, 0.48, 0.41, 0.34)  # of the page's inner width for the close-ups, largest first
MIN_BODY_HEIGHT = 250.0
MIN_PANEL_HEIGHT = 60.0  # the least any panel is drawn, whatever crowds the page
# close-ups drawn smaller than this go in a row of their own; body views beside close-ups are not drawn smaller
MIN_CLOSEUP_HEIGHT = 200.0
CONTENT_HEIGHT = 500.0  # the tallest a row of panels grows (figure and legend fit a 1440x900 screen)
TITLE_BAND = 18.0  # room above a panel for its title
PLATE_KINDS = ("head",)  # detail panels that become a region plate when they hold the complaint's local points
PLATE_UNIT = 0.38  # a head plate's units in body-panel units (its head is about 400 units tall, a body's head 150)
CLOSEUP_MIN_POINTS = 3  # distinct local points on a body view that call for a close-up
CLOSEUP_PAD = 30.0  # panel units round the local marks
CLOSEUP_SPLIT = 60.0  # local marks all this far (panel units) from the midline, on both sides: a close-up per side
CLOSEUP_MIN = 150.0  # the smallest close-up window (panel units)
MARGIN = 24.0  # left margin of header, legend and notes; gap between panels
HEADER_HEIGHT = 70.0
HEADLINE_LINE = 18.0
TITLE_LINE = 30.0
NARROW_PAGE = 700.0  # a page narrower than this gives its headline two lines
# One of two figures side by side (a narrow page at least PACKED_PAGE wide) packs its detail panels beside
# the close-ups and its body views under them, so every panel ends PACKED_BOTTOM below the page's top:
# both figures whole on a 1440x900 screen.
PACKED_PAGE = 500.0
PACKED_BOTTOM = 726.0
PACKED_CLOSEUP_SHARES = (1.0, 0.65)  # of the inner width the close-ups may take, before the body views take the details
PACKED_CLOSEUP_KEEP = 0.75  # close-ups stacked or narrowed to make room are drawn at least this share of their height in a row
PACKED_DETAIL_HEIGHT = 40.0  # the least a detail panel beside the close-ups is drawn (more if its labels need it)
TITLE_BASELINE = 36.0
SUBTITLE_BASELINE = 58.0
DETAIL_COLUMN_WIDTH = 250.0
LEGEND_GAP = 16.0  # from the bottom of the figures to the top of the legend
LEGEND_SPACING = 22.0  # between two legend entries in a row
LEGEND_ROW = 24.0
LEGEND_TEXT_DX = 28.0  # from a legend column's left edge to its text
LEGEND_SWATCH_DX = 10.0
NOTES_PAD = 18.0  # above the first line of the notes and below the last
NOTE_LINE = 16.0
PANEL_TITLE_OFFSET = (2.0, 10.0)
PANEL_TITLE_SPACING = 0.5
EDGE_ROOM = 6.0  # the least space between a label and the page edge

# Lines and areas.
OUTLINE_WIDTH = 1.6
DETAIL_WIDTH = 1.0
CHANNEL_WIDTH = 2.2
CHANNEL_OPACITY = 0.75
CHANNEL_NAME_OFFSET = (5.0, -5.0)
CHANNEL_NAME_HALO = 2.5
HATCH_SPACING = 7.0
HATCH_WIDTH = 0.8

# Labels.
LABEL_GAP = 12.0  # from a marker to its label column
LABEL_LEADING = 2.5  # added to the size for the label line height (a browser's text box is 1.16 x the size)
LABEL_BASELINE_DROP = 4.0  # a label's baseline sits this far below its marker
LABEL_HALO = 3.0
LEADER_WIDTH = 0.8
LEADER_OPACITY = 0.7
LEADER_END = (2.0, -4.0)  # where a leader meets its text, from the text's anchor

# Channels share the acupuncture colour family but differ in shade and dash pattern.
CHANNEL_COLOURS = ("#0072B2", "#3E9BD1", "#00466E", "#5AAFE0", "#1B5E8C", "#2C84BF", "#003A5C")
CHANNEL_DASHES = ((), (7.0, 3.5), (2.0, 3.0), (9.0, 3.0, 2.0, 3.0))


@dataclass(frozen=True)
class Paint:
    """How a shape is filled and stroked; `pattern` names a fill pattern ("hatch")."""

    fill: str = "none"
    fill_opacity: float = 1.0
    stroke: str = "none"
    width: float = 0.0
    stroke_opacity: float = 1.0
    dash: tuple[float, ...] = ()
    join: str | None = None
    cap: str | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Shape:
    """One part of a symbol, centred on the symbol's anchor: a circle, a polygon, a box or a curve."""

    kind: str  # circle | polygon | box | curve
    paint: Paint
    r: float = 0.0  # circle radius; box corner radius
    points: tuple[tuple[float, float], ...] = ()  # polygon vertices; curve: start + Bezier controls and end
    size: tuple[float, float] = (0.0, 0.0)  # box width and height


SKIN_PAINT = Paint(fill=SKIN, stroke=SKIN_EDGE, width=OUTLINE_WIDTH, join="round")
DETAIL_PAINT = Paint(stroke=DETAIL, width=DETAIL_WIDTH, join="round", cap="round")
ZONE_PAINT = {
    "referral": Paint(fill=VERMILLION, fill_opacity=0.2, stroke=VERMILLION, width=1.0, stroke_opacity=0.8, dash=(4.0, 3.0)),
    "muscle": Paint(fill=VERMILLION, fill_opacity=0.07, stroke=VERMILLION, width=0.9, stroke_opacity=0.45),
    "danger": Paint(fill=YELLOW, fill_opacity=0.35, stroke=HATCH_INK, width=1.0, stroke_opacity=0.8, pattern="hatch"),
}
HATCH_LINE_PAINT = Paint(stroke=HATCH_INK, width=HATCH_WIDTH, stroke_opacity=0.7)
LEADER_PAINT: dict[str, Paint] = {t: Paint(stroke=c, width=LEADER_WIDTH, stroke_opacity=LEADER_OPACITY)
                                   for t, c in LABEL_INK.items()}

_MARK_EDGE = 1.3
_DIAMOND = 8.0
_DOT = 6.5
_DISTAL = (9.5, 7.0, 3.0, 3.4)  # dark rim radius, white ring radius, centre radius, ring width: bolder than a local dot
_SWATCH = (18.0, 12.0)

SYMBOLS: dict[str, tuple[Shape, ...]] = {
    Layer.DRY_NEEDLING: (Shape("polygon", Paint(fill=VERMILLION, stroke=INK, width=_MARK_EDGE, join="round"),
                           points=((0, -_DIAMOND), (_DIAMOND, 0), (0, _DIAMOND), (-_DIAMOND, 0))),),
    "acupuncture-local": (Shape("circle", Paint(fill=BLUE, stroke=INK, width=_MARK_EDGE), r=_DOT),),
    "acupuncture-distal": (Shape("circle", Paint(fill=INK), r=_DISTAL[0]),
                           Shape("circle", Paint(fill=PAPER, stroke=BLUE, width=_DISTAL[3]), r=_DISTAL[1]),
                           Shape("circle", Paint(fill=BLUE), r=_DISTAL[2])),
    "pregnancy-caution": (Shape("circle", Paint(stroke=PURPLE, width=2.2, dash=(3.0, 2.0)), r=12.5),),
    "highlight": (Shape("circle", Paint(stroke=INK, width=4.0), r=15.0),
                  Shape("circle", Paint(stroke=YELLOW, width=2.5), r=15.0)),
    # Legend swatches of the areas and lines, painted as the areas and lines themselves.
    "referral-zone": (Shape("box", ZONE_PAINT["referral"], r=5.0, size=_SWATCH),),
    "muscle-outline": (Shape("box", ZONE_PAINT["muscle"], r=6.0, size=_SWATCH),),
    "danger-zone": (Shape("box", ZONE_PAINT["danger"], size=_SWATCH),),
    "meridian": (Shape("curve", Paint(stroke=BLUE, width=CHANNEL_WIDTH),
                       points=((-10, 3), (-4, -6), (4, 8), (10, -3))),),
    # A mark set aside from its exact spot: the spot (a small dot) and the leader to the mark.
    "spot": (Shape("circle", Paint(fill=INK), r=1.8),),
    "set-aside": (Shape("curve", Paint(stroke=INK, width=0.9), points=((-11, 5), (-6, 2), (-1, -1), (4, -4))),
                  Shape("circle", Paint(fill=INK), r=1.8, points=((-11, 5),)),
                  Shape("circle", Paint(fill=BLUE, stroke=INK, width=_MARK_EDGE), r=4.5, points=((6, -5),))),
    "locator": (Shape("box", Paint(fill=INK, fill_opacity=0.06, stroke=INK, width=1.2, dash=(5.0, 3.0)), size=_SWATCH),),
}
SET_ASIDE_PAINT = Paint(stroke=INK, width=0.9, stroke_opacity=0.8)
LOCATOR_PAINT = SYMBOLS["locator"][0].paint
# The layer each legend entry belongs to (entries of no one layer, like the locator box, have none).
LEGEND_LAYER = {Layer.DRY_NEEDLING: Layer.DRY_NEEDLING, "muscle-outline": Layer.DRY_NEEDLING,
                "acupuncture-local": Layer.ACUPUNCTURE, "acupuncture-distal": Layer.ACUPUNCTURE,
                "referral-zone": Layer.REFERRAL_ZONES, "meridian": Layer.MERIDIANS,
                "danger-zone": Layer.DANGER_ZONES, "pregnancy-caution": Layer.PREGNANCY_CAUTIONS}
# How large a symbol is drawn in the legend, relative to the figure (the caution ring is big).
LEGEND_SCALE = {"pregnancy-caution": 0.56}


def channel_style(index: int) -> tuple[str, tuple[float, ...]]:
    """(colour, dash pattern) of the channel with this stable index."""
    colours, dashes = CHANNEL_COLOURS, CHANNEL_DASHES
    return colours[index % len(colours)], dashes[(index // len(colours) + index) % len(dashes)]


def channel_paint(index: int) -> Paint:
    colour, dash = channel_style(index)
    return Paint(stroke=colour, width=CHANNEL_WIDTH, stroke_opacity=CHANNEL_OPACITY, dash=dash, cap="round")


LABEL_CODE_SCALE = 0.75  # a patient label's code ("Weizhong, back of the knee (BL40)") is set this much smaller


def label_code_size(label_size: float) -> float:
    """The bracketed code at the end of a patient label: small beside the words the patient reads."""
    return label_size * LABEL_CODE_SCALE


def channel_name_size(label_size: float) -> float:
    """A channel's code beside its path: a little smaller than the labels, never under CHANNEL_NAME_SIZE."""
    return max(CHANNEL_NAME_SIZE, label_size * CHANNEL_NAME_SIZE / LABEL_SIZE)


def marker_symbol(layer: str, therapy: str, placement: str | None) -> str:
    """The symbol key of a marker."""
    if layer == Layer.PREGNANCY_CAUTIONS:
        return "pregnancy-caution"
    if therapy == Therapy.DRY_NEEDLING:
        return Layer.DRY_NEEDLING  # the symbol is named after its layer
    return "acupuncture-distal" if placement == Placement.DISTAL else "acupuncture-local"


def symbol_radius(key: str) -> float:
    """The half-size of a symbol's ink, for keeping labels and other markers clear of it."""
    def reach(s: Shape) -> float:
        if s.kind == "circle":
            return s.r + s.paint.width / 2 + max((max(abs(c) for c in p) for p in s.points), default=0.0)
        if s.kind == "box":
            return max(s.size) / 2 + s.paint.width / 2
        return max(abs(c) for p in s.points for c in p) + s.paint.width / 2
    return max(reach(s) for s in SYMBOLS[key])


ORANGE = "#E69F00"  # focus ring and hover glow in the app

# The app's figure component: bodymap_app/figure.css reads these as CSS custom properties (--bm-<name>),
# in a block that tools/build_css.py writes and tests/test_figure_contract.py checks.
APP_COLOURS = {
    "focus": INK,  # focus rings: at least 3:1 on the page (orange on white is about 2:1)
    "hover": ORANGE,  # the glow of a hovered marker
    "select": YELLOW,
    "select-edge": "#000000",
    "primary": BLUE,
    "on-primary": PAPER,
    "paper": PAPER,
    "text": "#222222",  # Streamlit's text colour, for a page without its theme variables
    "border": "#CCCCCC",
    "card": "#F6F7F9",
    "card-border": "#DDDDDD",
    "rule": "#E3E3E3",
    "link": BLUE,
    "error": "#B00020",
    "row-hot": "#FFF3C4",
    "row-selected": "#FDE68A",
    "switch-off": "#BBBBBB",  # "In today's plan", off
    "switch-on": "#009E73",  # and on: Okabe-Ito's bluish green, apart from both therapies' colours
    "ink": INK,  # the region picker's title and focus ring
    "region-hover": BLUE,
    "region-chosen": VERMILLION,
    "region-chosen-edge": "#7A3B00",
}
# The same properties where the system asks for dark (prefers-color-scheme); the figure keeps its paper.
APP_COLOURS_DARK = {
    "focus": YELLOW,  # about 12:1 on Streamlit's dark page
    "on-primary": INK,  # the dark theme's light blue carries dark ink, not white
}
