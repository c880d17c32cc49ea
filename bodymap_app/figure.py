"""The interactive figure: a Streamlit v2 component around bodymap's SVG (cards, instant layers, table)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

_HERE = Path(__file__).resolve().parent
# The skeleton only: every data string is added by figure.js with textContent.
HTML = ('<div class="bm"><div class="bm-chips" role="group" aria-label="Layers shown on the figure"></div>'
        '<div class="bm-main"><div class="bm-figs"></div><aside class="bm-card" aria-live="polite"></aside></div>'
        '<div class="bm-table"></div></div>')


@functools.cache
def _mount():
    """Registered on first use, inside a script run (at import time Streamlit warns of no context)."""
    return st.components.v2.component(
        "bodymap_figure", html=HTML, css=(_HERE / "figure.css").read_text(encoding="utf-8"),
        # One module: zoom.js and targets.js define what figure.js uses (no import between inline scripts).
        js="\n".join((_HERE / name).read_text(encoding="utf-8") for name in ("zoom.js", "targets.js", "figure.js")))


def figures_key(svgs: list[str]) -> str:
    """Changes exactly when the SVGs do, so the browser redraws them only then."""
    h = hashlib.blake2b(digest_size=12)
    for svg in svgs:
        h.update(svg.encode("utf-8"))
    return h.hexdigest()


def interactive_figure(*, figures: list[dict[str, str]], chips: list[list[str]], layers: list[str], layers_rev: int,
                       selected: str | None, selected_rev: int, cards: dict[str, Any], columns: list[str],
                       rows: list[dict[str, Any]], on_layers: Callable[[], None], on_selected: Callable[[], None],
                       on_goto: Callable[[], None], stack: bool = False, key: str = "figure",
                       plan: list[list[str]] | None = None, plan_rev: int = 0, plan_only: bool = False,
                       on_plan: Callable[[], None] | None = None, on_plan_only: Callable[[], None] | None = None,
                       drawer_rev: int = 0, zoom: bool = False) -> Any:
    """Mount the component; its events arrive through the three callbacks (state under st.session_state[key]).

    stack: the card goes under the figures instead of beside them (two figures need the width).
    plan: today's plan as [code, side] pairs (None: no plan yet); the switches on the cards and rows
    send it back whole ("plan"), the "Today's plan only" chip sends "plan_only". Python bumps
    plan_rev when it changes the plan itself (a link, the plan panel).
    drawer_rev: bumped when a choice in the sidebar should close it on a phone (where it covers the figure).
    zoom: buttons, a region picker, mouse drag and keys to zoom and pan (the atlas); touch zoom is always on.
    """
    data = {"figures": figures, "figures_key": figures_key([f["svg"] + f.get("narrow", "") for f in figures]), "chips": chips,
            "layers": layers, "layers_rev": layers_rev, "selected": selected, "selected_rev": selected_rev,
            "cards": cards, "columns": columns, "rows": rows, "stack": stack, "plan": plan, "plan_rev": plan_rev,
            "plan_only": plan_only, "drawer_rev": drawer_rev, "zoom": zoom}
    # One JSON text sent as bytes: Streamlit then neither scans the payload for data frames nor
    # encodes and hashes it twice, which cost ~10 ms a rerun for a figure of ~150 kB.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    extra = {}
    if on_plan is not None:
        extra["on_plan_change"] = on_plan
    if on_plan_only is not None:
        extra["on_plan_only_change"] = on_plan_only
    return _mount()(key=key, data=payload, default={"layers": layers, "selected": selected},
                  on_layers_change=on_layers, on_selected_change=on_selected, on_goto_change=on_goto, **extra)
