"""Today's session plan in the app: the link's ?plan=, the plan panel, the switches' events, the handout's words.

The plan itself is the library's `SessionPlan`; this module only keeps it in the session and the link.
`SS["_plan"]` is None until the clinician chooses (the downloads then print the protocol).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from bodymap.core.vocabulary import Placement, Side
from bodymap.data.catalog import Catalog
from bodymap.data.plan import MAX_ENTRIES, PlanEntry, SessionPlan, on_midline, parse_lenient, plan_to_json, protocol
from bodymap.data.words import patient_name

from .text import md_text, one_line

SS = st.session_state
SIDE_LABELS: dict[str, str] = {Side.BOTH: Side.BOTH.label, Side.LEFT: "L", Side.RIGHT: "R"}
MAX_LINK = 4000  # characters of ?plan= read: 200 entries of about 20 characters


def start(params: Any, cat: Catalog) -> None:
    """Read ?plan= once per session; a bad entry is named in a short notice and the rest is kept."""
    if "_plan_rev" in SS:
        return
    SS["_plan"], SS["_plan_rev"], SS["_plan_only"] = None, 0, False
    raw = params.get("plan")
    if raw is None:
        return
    plan, bad = parse_lenient(cat, str(raw)[:MAX_LINK])
    SS["_plan"] = plan
    if bad:
        names = ", ".join(md_text(one_line(b, 30)) for b in bad[:5]) + (" …" if len(bad) > 5 else "")
        st.toast(f"Not in the plan (unknown point or side): {names}. The rest of the plan is kept.")


def current() -> SessionPlan | None:
    return SS.get("_plan")


def set_plan(plan: SessionPlan | None) -> None:
    """A change made in Python: the figure's switches are redrawn from it (its revision moves)."""
    SS["_plan"], SS["_plan_rev"] = plan, SS.get("_plan_rev", 0) + 1
    if plan is None:
        SS["_plan_only"] = False


def on_plan() -> None:
    """The figure's switches send the whole plan as tokens; the browser already shows it (no revision)."""
    value = (SS.get("figure") or {}).get("plan")
    if not isinstance(value, list):
        return
    tokens = [t for t in value if isinstance(t, str)][:MAX_ENTRIES]
    cat = SS["_catalog"]
    plan, _ = parse_lenient(cat, ",".join(tokens))
    old = current()
    notes = {e.code: e.note for e in old.entries} if old is not None else {}
    SS["_plan"] = plan.model_copy(update={"entries": tuple(e.model_copy(update={"note": notes.get(e.code)})
                                                            for e in plan.entries)})


def on_plan_only() -> None:
    SS["_plan_only"] = bool((SS.get("figure") or {}).get("plan_only")) and current() is not None


def plan_only() -> bool:
    return bool(SS.get("_plan_only")) and current() is not None


def pairs() -> list[list[str]] | None:
    plan = current()
    return None if plan is None else [[e.code, e.side] for e in plan.entries]


def tokens() -> str | None:
    plan = current()
    return None if plan is None else plan.tokens()


def write_url(params: Any) -> None:
    value = tokens()
    if value is None:
        params.pop("plan", None)
    elif params.get("plan") != value:
        params["plan"] = value


def clinic() -> str | None:
    text = " ".join(str(SS.get("clinic") or "").split())[:120]
    return text or None


def download_label(fmt: str, label: str) -> str:
    """The handout and reference buttons say what they print: today's plan, or the whole protocol."""
    if fmt not in ("handout", "reference"):
        return label
    plan = current()
    what = "Handout" if fmt == "handout" else "Reference"
    return f"{what}: protocol" if plan is None else f"{what}: plan ({len(plan.entries)})"


# A phone keeps the download bar to two rows of three buttons, instead of six stacked rows.
BAR_CSS = ("<style>@media (max-width: 640px){[class*='st-key-download-bar'] [data-testid='stHorizontalBlock']"
           "{flex-direction:row!important;flex-wrap:wrap!important;gap:.4rem!important}"
           "[class*='st-key-download-bar'] [data-testid='stColumn']{flex:1 1 30%!important;min-width:30%!important;"
           "width:auto!important}[class*='st-key-download-bar'] button{padding:.25rem .3rem;min-height:2.2rem}"
           "}"
           # beside the name on a desktop: compact buttons, so the bar is no taller than the name
           "[class*='st-key-download-bar'] button{min-height:2.1rem;padding:.2rem .4rem}"
           "[class*='st-key-download-bar'] button p{font-size:.82rem;white-space:nowrap}"
           # Today's plan on the main page only where the sidebar is a drawer (Streamlit: 768 px and narrower);
           # its two buttons side by side.
           # (its layout wrapper too: a hidden wrapper would still take one gap of the page's column)
           ".st-key-plan-phone,[data-testid='stLayoutWrapper']:has(> .st-key-plan-phone){display:none}"
           "@media (max-width: 768px){.st-key-plan-phone,[data-testid='stLayoutWrapper']:has(> .st-key-plan-phone){display:flex}"
           ".st-key-plan-phone [data-testid='stHorizontalBlock']{flex-direction:row!important;gap:.4rem!important}"
           ".st-key-plan-phone [data-testid='stColumn']{flex:1 1 45%!important;min-width:45%!important;width:auto!important}"
           ".st-key-plan-phone button{min-height:2.2rem;padding:.2rem .4rem}}</style>")


def style() -> None:
    st.html(BAR_CSS)


# ---- the panel -------------------------------------------------------------------------------


def _from_protocol(complaint_id: str) -> None:
    set_plan(protocol(SS["_catalog"], complaint_id))


def _clear() -> None:
    set_plan(None)


def _remove(code: str) -> None:
    plan = current()
    if plan is not None:
        set_plan(plan.without(code))


def _side(code: str) -> None:
    plan, side = current(), SS.get(f"plan-side-{code}")
    if plan is not None and side in SIDE_LABELS:
        old = next((e for e in plan.entries if e.code == code), None)
        if old is not None:
            set_plan(plan.with_entry(old.model_copy(update={"side": side})))


def _add() -> None:
    code = SS.get("plan-add")
    SS["plan-add"] = None
    if not isinstance(code, str) or code not in _choices(SS["_catalog"]):
        return
    plan = current() or SessionPlan()
    if code not in plan.codes() and len(plan.entries) < MAX_ENTRIES:
        set_plan(plan.with_entry(PlanEntry(code=code)))


def _choices(cat: Catalog) -> dict[str, str]:
    """Every point and trigger point of the catalog, for the add box (it searches as you type)."""
    out = {code: f"{code} {p.pinyin}" + (f" ({p.english})" if p.english else "") for code, p in cat.acupoints.items()}
    for m in cat.muscles.values():
        for tp in m.trigger_points:
            out[tp.id] = f"{m.name}: {tp.name}"
    return out


def _summary() -> str:
    """'**Today's plan: 2 points** (BL40, BL23 L)': the count and the first entries with their sides."""
    plan = current()
    if plan is None:
        return "**Today's plan:** none yet; the handout prints the whole protocol."
    count = len(plan.entries)
    shown = ", ".join(md_text(e.token().replace(":", " "), 30) for e in plan.entries[:8]) + (" …" if count > 8 else "")
    return f"**Today's plan: {count} point{'s' * (count != 1)}**" + (f" ({shown})" if count else "")


def panel(cat: Catalog, complaint_id: str) -> None:
    """The plan's count and points with their sides, "Start from the protocol", "Clear", add, clinic line, JSON."""
    plan = current()
    box = st.container(border=True, key="plan-panel")
    box.markdown(_summary())
    box.button("Start from the protocol", key="plan-protocol", on_click=_from_protocol, args=(complaint_id,),
               width="stretch", help="Every point and trigger point of this complaint, both sides")
    box.button("Clear", key="plan-clear", on_click=_clear, width="stretch", disabled=plan is None)
    with box.expander("Points, sides, clinic line"):
        st.caption("Switch points on with “In today's plan” on their cards and table rows, or add any point here.")
        for entry in plan.entries if plan is not None else ():
            _entry_row(cat, entry)
        choices = _choices(cat)
        st.selectbox("Add any point to the plan", list(choices), index=None, key="plan-add", on_change=_add,
                     format_func=lambda c: one_line(choices.get(c, c), 90), placeholder="Type a code, pinyin or muscle")
        st.text_input("Clinic line for the handout", key="clinic", max_chars=120,
                      placeholder="e.g. Riverside Physio, 020 7946 0000", help="Printed on the handout; not put in the link.")
        if plan is not None:
            data = plan_to_json(plan.model_copy(update={"complaint": complaint_id})).encode("utf-8")
            st.download_button("Plan (JSON)", data=data, file_name=f"{complaint_id}-plan.json", mime="application/json",
                               key="plan-json", on_click="ignore")


def phone_summary(complaint_id: str) -> None:
    """Today's plan on a phone's main page, where the sidebar is a closed drawer: the count and entries, with
    "Start from the protocol" and "Clear" (PHONE_CSS shows it on narrow screens only; the drawer keeps the panel)."""
    plan = current()
    box = st.container(border=True, key="plan-phone")
    box.markdown(_summary())
    start, clear = box.columns(2)
    start.button("Start from the protocol", key="plan-protocol-phone", on_click=_from_protocol, args=(complaint_id,),
                 width="stretch")
    clear.button("Clear", key="plan-clear-phone", on_click=_clear, width="stretch", disabled=plan is None)


def _entry_row(cat: Catalog, entry: PlanEntry) -> None:
    st.markdown(md_text(f"{entry.code}: {patient_name(cat, entry.code)}", 120))
    side, remove = st.columns([4, 1], vertical_alignment="center")
    if on_midline(cat, entry.code):
        side.caption("midline")
    else:
        key = f"plan-side-{entry.code}"
        SS[key] = entry.side
        side.segmented_control("Side", list(SIDE_LABELS), format_func=lambda s: SIDE_LABELS.get(s, s), key=key, on_change=_side,
                               args=(entry.code,), label_visibility="collapsed")
    remove.button("✕", key=f"plan-remove-{entry.code}", on_click=_remove, args=(entry.code,), help="Take it out of the plan")


def extra_rows(cat: Catalog, complaint_id: str, rows: list[dict]) -> list[dict]:
    """Table rows for plan points from other complaints, so each has its switch too."""
    plan = current()
    have = {r["code"] for r in rows}
    out = []
    for e in plan.entries if plan is not None else ():
        if e.code in have:
            continue
        point = cat.acupoints.get(e.code)
        if point is not None:
            out.append({"code": e.code, "cells": ["Added today", e.code, point.pinyin, point.location, "", point.meridian or "",
                                                  point.source]})
            continue
        for m in cat.muscles.values():
            for tp in m.trigger_points:
                if tp.id == e.code:
                    cells = ["Added today", m.name, tp.name, tp.location, Placement.LOCAL.value, "", m.source]
                    out.append({"code": e.code, "cells": cells})
    return out
