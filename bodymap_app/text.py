"""Text from data, URLs and exceptions made safe for Streamlit's markdown elements.

Streamlit renders titles, captions, alerts, button labels and st.markdown as markdown (with
KaTeX and GitHub autolinks). A string we did not write must show as the same characters,
never as a link, an image, maths or HTML: collapse it to one line and escape every ASCII
punctuation mark, which CommonMark allows for all of them. Escapes do not stop GitHub's
autolinks (they are found in the text after parsing), so a WORD JOINER (U+2060, invisible)
goes after each colon and "www" and before each "@": no URL or e-mail address is recognised.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"[\s\u2028\u2029\x00-\x1f\x7f-\x9f]+")
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"(\\:|(?i:www)(?=\\\.))|(\\@)")
_JOINER = "\u2060"


def one_line(text: object, limit: int = 300) -> str:
    """Whitespace and control characters collapsed to single spaces; long text cut with an ellipsis."""
    flat = _SPACE.sub(" ", str(text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def md_text(text: object, limit: int = 2000) -> str:
    """`text` as literal characters inside any Streamlit markdown element."""
    escaped = _PUNCT.sub(r"\\\1", one_line(text, limit))
    return _AUTOLINK.sub(lambda m: m.group(1) + _JOINER if m.group(1) else _JOINER + m.group(2), escaped)


# Validation wording (pydantic's) a person should not need to read: a regex, "Value error", types.
_PLAIN = (
    (re.compile(r"String should match pattern '\^\[a-z0-9\]\+\(-\[a-z0-9\]\+\)\*\$'"),
     "must be lower-case letters, digits and single hyphens, like low-back-pain"),
    (re.compile(r"String should match pattern '[^']*'"), "is not in the expected form"),
    (re.compile(r"\(entry\): "), ""),
    (re.compile(r"Value error, "), ""),
    (re.compile(r"Input should be a valid dictionary or instance of \w+"), "must be a mapping of fields"),
    (re.compile(r"Extra inputs are not permitted"), "is not a field bodymap knows"),
    (re.compile(r"Field required"), "is missing"),
)


def plain_error(message: object) -> str:
    """A refusal as one plain sentence: which file, entry and field, without regex patterns."""
    text = one_line(message, 400)
    for pattern, replacement in _PLAIN:
        text = pattern.sub(replacement, text)
    return text
