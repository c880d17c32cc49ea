"""Names that cannot pretend: invisible characters removed, NFKC, and a skeleton to compare look-alikes."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bodymap.core.assets import assets_dir

# Bidi embeddings, overrides and isolates, the marks LRM/RLM/ALM, zero-width space, joiners,
# word joiner, invisible operators, BOM and the Mongolian vowel separator: none draws a glyph,
# and each can reverse or hide part of a name ("Safe \u202egnp.exe" shows as "Safe exe.png").
INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_SPACES = re.compile(r"\s+")


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text)


def normal_name(text: str) -> str:
    """A name as stored and shown: NFKC (full-width and styled letters made plain), invisible characters gone."""
    return strip_invisible(unicodedata.normalize("NFKC", strip_invisible(text)))


@cache
def _table() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    import yaml  # only when a user's file is checked: the built-in catalog loads without PyYAML

    with open(assets_dir() / "data" / "confusables.yaml", encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    chars = {look: prototype for prototype, looks in raw["map"].items() for look in looks}
    return chars, tuple(raw["sequences"].items())


def skeleton(text: str) -> str:
    """What a name looks like, after UTS #39's idea: equal skeletons read the same on screen.

    NFKC, invisible characters dropped, each look-alike replaced by the letter it imitates
    (assets/data/confusables.yaml), then case and runs of spaces ignored.
    """
    chars, sequences = _table()
    mapped = "".join(chars.get(ch, ch) for ch in normal_name(text))
    for sequence, letter in sequences:
        mapped = mapped.replace(sequence, letter)
    return _SPACES.sub(" ", mapped.casefold()).strip()


def unusual_letters(text: str) -> str:
    """The characters in `text` that the skeleton replaced, named, e.g. 'U+043E CYRILLIC SMALL LETTER O'."""
    chars, _ = _table()
    found = dict.fromkeys(ch for ch in normal_name(text) if ch in chars and not ch.isascii())
    return ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in found)
