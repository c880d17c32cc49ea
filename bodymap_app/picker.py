"""The pain-region picker: a Streamlit v2 component showing a front and back body map to tap."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

_HERE = Path(__file__).resolve().parent
HTML = '<div class="bmp"><div class="bmp-map"></div><p class="bmp-picked" aria-live="polite"></p></div>'


@functools.cache
def _mount():
    # Not style-isolated: the page keeps one isolated component (the figure), and every class here starts with bmp-.
    return st.components.v2.component(
        "bodymap_regions", html=HTML, css=(_HERE / "picker.css").read_text(encoding="utf-8"),
        js=(_HERE / "picker.js").read_text(encoding="utf-8"), isolate_styles=False)


def region_picker(*, svg: str, picked: list[str], rev: int, on_change: Callable[[], None], key: str = "regions") -> Any:
    """Mount the picker; the tapped areas (keys such as `hip:right:back`) arrive in st.session_state[key]["picked"]."""
    return _mount()(key=key, data={"svg": svg, "picked": picked, "rev": rev}, default={"picked": picked},
                    on_picked_change=on_change)


def _on_picked() -> None:
    from .regions import regions_of

    value = (st.session_state.get("regions") or {}).get("picked")
    keys = [k for k in value if isinstance(k, str)][:80] if isinstance(value, list) else []
    st.session_state["_picked"] = [k for k in keys if regions_of([k])]


def _clear() -> None:
    st.session_state["_picked"] = []
    st.session_state["_picked_rev"] = st.session_state.get("_picked_rev", 0) + 1


def pain_section(cat: Any, choose: Callable[[str], None]) -> None:
    """"Where does it hurt?": the body map, then the complaints its chosen areas point to, best first.

    Drawn only while open (the popover reruns the page when it opens), so a closed picker costs nothing.
    choose(complaint_id) is called when a complaint is picked from the list.
    """
    from bodymap.regions import complaints_for

    from .regions import picker_svg, regions_of
    from .text import md_text

    ss = st.session_state
    box = st.popover("Where does it hurt?", key="picker", on_change="rerun", width="stretch",
                     help="Choose where it hurts on a body map and find the complaint")
    if not ss.get("picker"):
        return
    with box:
        st.caption("Tap, click or Tab to one or more areas (Enter or Space chooses). Front and back are as you face the "
                   "figure: the front figure's right side is on your left.")
        region_picker(svg=picker_svg(), picked=ss.setdefault("_picked", []), rev=ss.setdefault("_picked_rev", 0),
                      on_change=_on_picked)
        ids = regions_of(ss["_picked"])
        if not ids:
            return
        matches = complaints_for(ids, cat)
        if not matches:
            st.caption("No complaint in bodymap is felt there or has trigger points that refer there.")
        for i, m in enumerate(matches):
            # All secondary: a primary button's white text would fail contrast on the dark theme's light blue.
            st.button(md_text(m.name, 120), key=f"pick-{i}", on_click=choose, args=(m.complaint,))
            st.caption(md_text(m.why, 400))
        st.button("Clear the chosen areas", key="pick-clear", on_click=_clear, type="tertiary")
