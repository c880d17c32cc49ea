"""Text measurement for the bundled DejaVu Sans, from the real glyph advances (no matplotlib).

The layout sizes every box and places every label with these widths, and the matplotlib
backend draws with the very same font files, so what is measured is what is drawn. The files
are built ahead of time by tools/build_fonts.py and shipped in bodymap/fonts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from bodymap.core import theme

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"  # bodymap/fonts
REPLACEMENT = "\ufffd"

_WHITESPACE = re.compile("[\t\n\r ]{2,}|[\t\n\r]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Face:
    """One face's metrics: advances in em units (1.0 = the font size) per character."""

    file: Path
    advances: dict[str, float]
    ascent: float
    descent: float

    def width(self, text: str, size: float) -> float:
        """Advance width of printable text at `size`, in the unit of `size` (no kerning: neither backend kerns)."""
        get = self.advances.get
        missing = self.advances[REPLACEMENT]
        return size * sum(get(c, missing) for c in text)


@cache
def face(bold: bool = False) -> Face:
    with open(FONT_DIR / "metrics.json", encoding="utf-8") as fh:
        data = json.load(fh)[("bold" if bold else "regular")]
    em = float(data["units_per_em"])
    adv = {chr(int(cp)): units / em for cp, units in data["advances"].items()}
    return Face(FONT_DIR / data["file"], adv, data["ascent"] / em, data["descent"] / em)


def font_files() -> tuple[str, str]:
    """(regular, bold) TrueType files: the slim DejaVu Sans copies shipped with bodymap."""
    return str(face(False).file), str(face(True).file)


def printable(text: Any) -> str:
    """Text as a renderer shows it: whitespace runs folded to one space, and control characters or
    characters the font lacks replaced by U+FFFD, so a hostile label draws literally."""
    s = _UNPRINTABLE.sub(REPLACEMENT, _WHITESPACE.sub(" ", str(text)))
    if s.isascii():
        return s
    adv = face(False).advances
    return "".join(c if c in adv else REPLACEMENT for c in s)


@lru_cache(maxsize=8192)  # label placement measures the same few texts at every line it tries
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` at font size `size` (same unit out as in)."""
    return face(bold).width(printable(text), size)


# A patient label ends with its code in brackets ("Weizhong, back of the knee (BL40)"); no other label
# does (codes stand alone, muscles' names lose their brackets), so that tail is the one set smaller.
_CODE_TAIL = re.compile(r"^(.*\S) (\([^()\s]+\))$")


def label_runs(text: str, size: float) -> tuple[tuple[str, float], ...]:
    """A label's text as (text, size) runs: a patient label's words, then its bracketed code at
    theme.label_code_size; any other label is one run."""
    m = _CODE_TAIL.match(text)
    if m is None:
        return ((text, size),)
    return ((f"{m.group(1)} ", size), (m.group(2), theme.label_code_size(size)))


def label_width(text: str, size: float) -> float:
    """Width of a label (bold) as drawn, its runs at their own sizes."""
    return sum(text_width(t, s, bold=True) for t, s in label_runs(text, size))


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Lines of `text` no wider than `width` (the unit of `size`), measured with the font's own advances.

    (textwrap counts characters; a proportional font needs widths.) A word longer than a line is
    broken between characters.
    """
    f = face(bold)
    space = f.width(" ", size)
    lines: list[str] = []
    current, current_w = "", 0.0
    for word in printable(text).split(" "):
        if not word:
            continue
        w = f.width(word, size)
        if current and current_w + space + w <= width:
            current, current_w = f"{current} {word}", current_w + space + w
            continue
        if current:
            lines.append(current)
        current, current_w = word, w
        if w > width:
            pieces = _break_word(word, width, size, f)
            lines.extend(pieces[:-1])
            current, current_w = pieces[-1], f.width(pieces[-1], size)
    if current:
        lines.append(current)
    return lines or [""]


def _break_word(word: str, width: float, size: float, f: Face) -> list[str]:
    pieces, piece, piece_w = [], "", 0.0
    for ch in word:
        w = f.width(ch, size)
        if piece and piece_w + w > width:
            pieces.append(piece)
            piece, piece_w = "", 0.0
        piece, piece_w = piece + ch, piece_w + w
    return pieces + [piece]
