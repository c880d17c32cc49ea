"""Glyph outlines of the shipped DejaVu Sans, for drawing text as paths with matplotlib.

Agg rasterises each glyph of a matplotlib Text separately (about 0.1 ms a glyph), while one
compound path per text draws in a fraction of that and looks like the browser's SVG text.
Advances come from the same font files as bodymap.layout.textmetrics, so layout and drawing agree.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
from matplotlib import ft2font
from matplotlib.ft2font import FT2Font
from matplotlib.path import Path

from bodymap.layout.textmetrics import font_files, printable

_GLYPH_EM = 100.0  # outlines are loaded at 100 pt and scaled
# The flag became an enum member in matplotlib 3.10; pyproject allows 3.8.
_NO_HINTING = ft2font.LoadFlags.NO_HINTING if hasattr(ft2font, "LoadFlags") else ft2font.LOAD_NO_HINTING  # type: ignore[attr-defined]
# FT2Font objects are not thread-safe, and the app renders from several threads.
LOCK = threading.RLock()


class Glyphs:
    """Unhinted glyph outlines and advances of one face, loaded once each (read-only arrays)."""

    def __init__(self, path: str) -> None:
        self._font = FT2Font(path)
        self._font.set_size(_GLYPH_EM, 72)
        self._cache: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}

    def get(self, ch: str) -> tuple[np.ndarray, np.ndarray, float]:
        hit = self._cache.get(ch)
        if hit is None:
            g = self._font.load_char(ord(ch), flags=_NO_HINTING)
            verts, codes = self._font.get_path()
            verts = np.array(verts, dtype=float).reshape(-1, 2) / _GLYPH_EM
            verts[:, 1] *= -1.0  # page y points down
            codes = np.array(codes, dtype=np.uint8)
            verts.setflags(write=False)
            codes.setflags(write=False)
            hit = (verts, codes, g.linearHoriAdvance / 65536.0 / _GLYPH_EM)
            self._cache[ch] = hit
        return hit


@lru_cache(maxsize=2)
def glyphs(bold: bool) -> Glyphs:
    regular, bold_file = font_files()
    return Glyphs(bold_file if bold else regular)


def text_path(x: float, y: float, text: str, size: float, bold: bool = False, anchor: str = "start",
              spacing: float = 0.0) -> Path | None:
    """The outline of a one-line text, baseline at y, in the unit of x, y and size (None if blank)."""
    face = glyphs(bold)
    parts_v: list[np.ndarray] = []
    parts_c: list[np.ndarray] = []
    pen_x = 0.0
    with LOCK:
        for ch in printable(text):
            verts, codes, advance = face.get(ch)
            if len(codes):
                parts_v.append(verts * size + (pen_x, 0.0))
                parts_c.append(codes)
            pen_x += advance * size + spacing
    if not parts_v:
        return None
    width = pen_x - spacing if spacing else pen_x
    shift = {"start": 0.0, "middle": -width / 2, "end": -width}[anchor]
    return Path(np.concatenate(parts_v) + (x + shift, y), np.concatenate(parts_c))
