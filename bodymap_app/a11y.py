"""Page-level accessibility: readable captions and a skip link past the figure's tab stops to the downloads.

Kept apart from app.py's layout CSS: these rules are checked by axe-core in tests/test_browser_regions.py.
"""

from __future__ import annotations

DOWNLOADS_ID = "bm-downloads"

# Streamlit draws captions in a faded grey (about 3.9:1 on white). Text at 80% of the theme's own
# text colour reads at about 8:1 on white and 11:1 on the dark theme's background, in either theme.
CSS = ("<style>"
       "[data-testid='stCaptionContainer']{color:inherit!important;opacity:.8}"
       # Section headings under the page's h1 are h2 (axe: heading order); sized as the small headings they were.
       ".stTabs h2{font-size:1.1rem!important;padding:.5rem 0 .25rem!important}"
       ".bm-sr-only{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);"
       "white-space:nowrap;border:0}"
       ".bm-skip{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}"
       ".bm-skip:focus{position:static;width:auto;height:auto;display:inline-block;padding:.25rem .6rem;"
       "border-radius:6px;outline:3px solid currentColor;outline-offset:2px}"
       "</style>")
SKIP_LINK = f'<a class="bm-skip" href="#{DOWNLOADS_ID}">Skip to the downloads</a>'
# A focus target just before the download buttons (the next Tab reaches the first of them), and a
# heading for screen-reader navigation; seen only by assistive technology.
DOWNLOADS_ANCHOR = f'<h2 id="{DOWNLOADS_ID}" class="bm-sr-only" tabindex="-1">Downloads</h2>'
