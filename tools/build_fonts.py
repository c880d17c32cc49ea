"""Build bodymap's slim DejaVu Sans copies and their advance-width table, ahead of time.

`python tools/build_fonts.py` writes bodymap/fonts/: two TrueType files cut from matplotlib's
bundled DejaVu Sans (regular, bold) to the blocks listed in assets/fonts-src/slim.yaml, and
metrics.json with every kept character's advance, which the layout measures text with. The
output is deterministic (no timestamps), and a test checks the committed files equal a rebuild.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import matplotlib
import yaml
from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "assets" / "fonts-src" / "slim.yaml"
OUT = ROOT / "bodymap" / "fonts"
BUNDLED = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def code_points(spec: dict) -> list[int]:
    out: list[int] = []
    for text in spec["ranges"]:
        first, last = (int(part, 16) for part in str(text).split("-"))
        out.extend(range(first, last + 1))
    return out


def slim_font(source: Path, unicodes: list[int]) -> bytes:
    """The font cut to `unicodes`, without layout, hinting or kerning tables (never used here)."""
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH", "FFTM", "kern"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = True  # without names fontTools rebuilds them from the cmap on every PDF subset
    options.notdef_outline = True
    options.recalc_timestamp = False  # a timestamp would make every build differ
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    # One Windows-Unicode cmap is all FreeType needs for these characters.
    font["cmap"].tables = [t for t in font["cmap"].tables if (t.platformID, t.platEncID) == (3, 1)]
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    return buf.getvalue()


def advances(font_bytes: bytes) -> dict:
    """Advance widths in font units per character, and the vertical metrics the layout needs."""
    font = TTFont(io.BytesIO(font_bytes))
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    hhea = font["hhea"]
    return {
        "units_per_em": font["head"].unitsPerEm,
        "ascent": hhea.ascent,
        "descent": -hhea.descent,
        "advances": {str(cp): hmtx[name][0] for cp, name in sorted(cmap.items())},
    }


def build(out: Path = OUT) -> dict[str, bytes]:
    """Every output file's bytes, by name."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    unicodes = code_points(spec)
    files: dict[str, bytes] = {}
    metrics: dict[str, dict] = {}
    for face, name in spec["faces"].items():
        data = slim_font(BUNDLED / name, unicodes)
        files[f"{Path(name).stem}-slim.ttf"] = data
        metrics[face] = {"file": f"{Path(name).stem}-slim.ttf", **advances(data)}
    files["metrics.json"] = (json.dumps(metrics, sort_keys=True, separators=(",", ":")) + "\n").encode()
    files["LICENSE_DEJAVU"] = (BUNDLED / "LICENSE_DEJAVU").read_bytes()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = parser.parse_args(argv)
    files = build()
    stale = [name for name, data in files.items() if not (OUT / name).exists() or (OUT / name).read_bytes() != data]
    if args.check:
        print("stale: " + ", ".join(stale) if stale else "fonts are up to date")
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (OUT / name).write_bytes(data)
    print(f"wrote {len(files)} files to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
