"""The shipped fonts and the text metrics: built ahead of time, equal to a rebuild, equal to what is drawn."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from matplotlib.ft2font import FT2Font

from bodymap.layout.textmetrics import FONT_DIR, face, font_files, printable, text_width

ROOT = Path(__file__).resolve().parents[1]


def _builder():
    spec = importlib.util.spec_from_file_location("build_fonts", ROOT / "tools" / "build_fonts.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_fonts"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rebuilt():
    return _builder().build()


def test_committed_metrics_equal_a_rebuild(rebuilt):
    assert (FONT_DIR / "metrics.json").read_bytes() == rebuilt["metrics.json"]
    assert (FONT_DIR / "LICENSE_DEJAVU").read_bytes() == rebuilt["LICENSE_DEJAVU"]


@pytest.mark.parametrize("name", ["DejaVuSans-slim.ttf", "DejaVuSans-Bold-slim.ttf"])
def test_committed_fonts_equal_a_rebuild(rebuilt, name):
    """Same characters, glyphs and advances (bytes may differ only if fontTools serialises differently)."""
    shipped, fresh = TTFont(FONT_DIR / name), TTFont(io.BytesIO(rebuilt[name]))
    assert shipped.getBestCmap() == fresh.getBestCmap()
    assert shipped.getGlyphOrder() == fresh.getGlyphOrder()
    assert shipped["hmtx"].metrics == fresh["hmtx"].metrics
    for glyph in ("B", "L", "two", "endash"):
        assert shipped["glyf"][glyph].coordinates == fresh["glyf"][glyph].coordinates


def test_slim_fonts_are_small_and_cover_pinyin():
    for path in font_files():
        assert Path(path).stat().st_size < 400_000
        cmap = TTFont(path).getBestCmap()
        assert all(ord(c) in cmap for c in "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü–·°½µ\ufffd")


@pytest.mark.parametrize("bold", [False, True])
def test_measured_widths_equal_the_drawn_advances(bold):
    """The layout's widths are FreeType's advances of the very file the PNG and PDF draw with."""
    ft = FT2Font(font_files()[1 if bold else 0])
    ft.set_size(100, 72)
    for text in ("BL23", "Quadratus lumborum", "Zúsānlǐ", "EX-B2 · Yāoyǎn"):
        ft.set_text(text, 0.0)
        # set_text kerns and hints; sum unhinted linear advances instead, as the backends draw.
        expected = sum(ft.load_char(ord(c)).linearHoriAdvance / 65536 for c in text)
        assert text_width(text, 100, bold) == pytest.approx(expected, rel=1e-3), text


def test_bold_is_wider_and_a_real_measure_not_a_character_count():
    assert text_width("Gluteus medius", 11, True) > text_width("Gluteus medius", 11, False)
    assert text_width("iiii", 11) < text_width("WWWW", 11) / 2  # proportional, unlike 0.62 x size x characters


def test_printable_folds_whitespace_and_replaces_missing_glyphs():
    assert printable("a\n\nb\tc") == "a b c"
    assert printable("肾俞") == "\ufffd\ufffd"
    assert face().advances["\ufffd"] > 0
