"""The errors bodymap raises on purpose: each carries a one-line message meant for a person."""

from __future__ import annotations

import re
import unicodedata

# A message may echo what the user gave (a key, a number, a path). Long runs are cut so that a
# 309-digit number or a megabyte-long key cannot flood a terminal or a page.
MAX_TOKEN = 120
MAX_MESSAGE = 1000
_LONG_TOKEN = re.compile(r"\S{%d,}" % (MAX_TOKEN + 1))
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def clip(text: object, limit: int = 60) -> str:
    """`text` as a string of at most about `limit` characters, saying how long it was when cut."""
    value = str(text)
    if len(value) <= limit:
        return value
    return f"{value[:limit]}…({len(value)} characters)"


def escape_controls(text: str) -> str:
    """Control and format characters (ESC, BEL, bidi overrides, zero-width) as visible escapes like \\x1b.

    A path or a name echoed raw could recolour a terminal, set its title (OSC) or reverse the
    text after it; escaped, it shows what was given and does nothing.
    """
    return "".join(ascii(ch)[1:-1] if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)


def one_line(message: str) -> str:
    """The message on one line, control characters escaped, over-long tokens and the whole cut."""
    flat = escape_controls(_LINE_BREAKS.sub(" ", message).replace("\t", " "))
    flat = _LONG_TOKEN.sub(lambda m: clip(m.group(0), MAX_TOKEN // 2), flat)
    return clip(flat, MAX_MESSAGE)


# Python's own wording for an over-long integer ends with advice to call sys.set_int_max_str_digits().
_INT_DIGITS = re.compile(r"limit \((\d+) digits\) for integer string conversion(?:: value has (\d+) digits)?")


def plain_reason(exc: BaseException) -> str:
    """The first line of a parser's complaint, with Python's internal wording put in plain words."""
    text = str(exc).strip()
    digits = _INT_DIGITS.search(text)
    if digits:
        size = f"{int(digits[2]):,} digits" if digits[2] else "more digits than allowed"
        return f"a number with {size}; numbers are limited to {int(digits[1]):,} digits"
    return text.splitlines()[0] if text else type(exc).__name__


class BodymapError(Exception):
    """Base class: anything the user can fix by changing their input."""

    def __str__(self) -> str:
        return one_line(str(self.args[0]) if self.args else "")


class DataError(BodymapError, ValueError):
    """A data or figure file is malformed; the message names the file, the entry and the field."""


class UnknownComplaintError(BodymapError, KeyError):
    """A complaint id that the catalog does not know."""

    def __str__(self) -> str:  # KeyError would otherwise wrap the message in quotes
        return BodymapError.__str__(self)


class OptionError(BodymapError, ValueError):
    """An overlay, view, side or format name that is not one of the valid choices."""


class PlanError(BodymapError, ValueError):
    """A session plan with an unknown point, a side that does not fit, or a malformed plan file."""
