"""The visual style both renderers share: Okabe-Ito colours, marker sizes, fonts.

Colours come from the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
stays distinguishable for the common colour-vision deficiencies; shapes differ as well, so
the diagram still reads in grey print.
"""

VERMILLION = "#D55E00"  # dry needling
BLUE = "#0072B2"  # acupuncture
SKY = "#56B4E9"
ORANGE = "#E69F00"
PURPLE = "#CC79A7"  # pregnancy caution
YELLOW = "#F0E442"  # search highlight
INK = "#1F2328"  # outlines of markers, text
MUTED = "#5B6168"
SKIN = "#F4F1EC"
SKIN_EDGE = "#5E5A55"
DETAIL = "#9A948C"
PAPER = "#FFFFFF"

FONT = "DejaVu Sans"
FONT_STACK = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"

# Sizes in page units (the SVG user unit; 1 unit = 1 px on screen, 1/96 inch in print).
MARKER_RADIUS = 6.5
DIAMOND_RADIUS = 8.0
MARKER_EDGE = 1.3
DISTAL_RING = 3.0
CAUTION_RADIUS = 12.5
HIGHLIGHT_RADIUS = 15.0
OUTLINE_WIDTH = 1.6
DETAIL_WIDTH = 1.0
CHANNEL_WIDTH = 2.2
MUSCLE_EDGE = 0.9  # the faint outline of a needled muscle
MUSCLE_EDGE_OPACITY = 0.45
MUSCLE_FILL_OPACITY = 0.07
LABEL_SIZE = 11.0
TITLE_SIZE = 24.0
SUBTITLE_SIZE = 13.0
PANEL_TITLE_SIZE = 11.0
LEGEND_SIZE = 12.0
NOTE_SIZE = 10.5

# Channels share the acupuncture colour family but differ in shade and dash pattern.
CHANNEL_COLOURS = ("#0072B2", "#3E9BD1", "#00466E", "#5AAFE0", "#1B5E8C", "#2C84BF", "#003A5C")
CHANNEL_DASHES = ((), (7.0, 3.5), (2.0, 3.0), (9.0, 3.0, 2.0, 3.0))


def channel_style(index: int) -> tuple[str, tuple[float, ...]]:
    return CHANNEL_COLOURS[index % len(CHANNEL_COLOURS)], CHANNEL_DASHES[(index // len(CHANNEL_COLOURS) + index) % len(CHANNEL_DASHES)]


def label_colour(therapy: str) -> str:
    """Label text: a darker shade of the marker colour, for contrast on white (WCAG AA)."""
    return "#A04400" if therapy == "dry-needling" else "#005A8C"


def label_width(text: str, size: float = LABEL_SIZE) -> float:
    """A conservative width estimate for DejaVu Sans, used to keep labels apart."""
    return 0.62 * size * len(text)
