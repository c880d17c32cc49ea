"""bodymap's Streamlit app: pick a complaint, click a point, toggle the layers, compare, export.

UI only: every diagram, table and file comes from the `bodymap` library; the interactive figure
is the component in `bodymap_app/`. Every choice lives in the URL, so a link reproduces the view,
and everything expensive is cached by its inputs. Text from data, a URL or an exception reaches
markdown only through `md_text` (or a text-only element).
"""

from __future__ import annotations

import streamlit as st

from bodymap import api
from bodymap.core.errors import BodymapError
from bodymap.core.vocabulary import Mode, Therapy
from bodymap.data import search
from bodymap.data.catalog import MAX_FILE_BYTES, Catalog, clean_file_name
from bodymap.scene.build import DISCLAIMER
from bodymap_app import a11y, cache, plan_panel, uploads
from bodymap_app.cards import TABLE_COLUMNS, table_rows
from bodymap_app.figure import interactive_figure
from bodymap_app.links import (
    ATLAS_DOWNLOADS,
    ATLAS_LAYERS,
    CHOICE_DEFAULTS,
    DETAILS,
    DOWNLOADS,
    LAYERS,
    MODES,
    PAGE_WIDTH,
    SIDES,
    VIEWS,
    check_url,
    choices_from_url,
    layers_from_url,
    point_codes,
    resolve_point,
    write_choices,
    write_url,
)
from bodymap_app.picker import pain_section
from bodymap_app.regions import outline_regions
from bodymap_app.text import md_text, one_line, plain_error

st.set_page_config(page_title="bodymap: where the needles go", page_icon="📍", layout="wide")

# Less empty space above the choices; and Ctrl+P prints the figure, its legend, the open card and
# the tables, not the controls.
PAGE_CSS = ("<style>[data-testid='stMainBlockContainer']{padding-top:1rem}"
            # A file the uploader itself refuses (over server.maxUploadSize, the same limit as bodymap's)
            # gets its reason only in a screen-reader text behind an icon: show that sentence under it.
            "[data-testid='stFileChip'][aria-invalid='true']{flex-wrap:wrap}"
            "[data-testid='stFileChip'] [role='alert']{position:static!important;width:auto!important;"
            "height:auto!important;overflow:visible!important;clip:auto!important;margin:.25rem 0 0!important;"
            "white-space:normal!important;flex-basis:100%;font-size:.875rem}"
            # The figure carries the complaint's name in large type: the page heading stays small,
            # so the figure and its legend fit on a 1440x900 screen.
            "[data-testid='stMainBlockContainer'] h1{font-size:1.5rem;padding:.25rem 0 0}"
            "@media print{[data-testid='stSidebar'],[data-testid='stHeader'],[data-testid='stToolbar'],"
            "[data-testid='stSelectbox'],[data-testid='stButtonGroup'],[data-testid='stDownloadButton'],"
            "[data-testid='stToast'],.stTabs [role='tablist']{display:none!important}"
            "[data-testid='stMain']{margin-left:0!important}}</style>")
SS = st.session_state


def active_catalog() -> tuple[Catalog, str]:
    """The catalog in use and a cache key for it. A refused file is dropped from the uploader and
    released from memory, so the built-in data is shown and the next click does not parse it again."""
    n = SS.setdefault("_upload_n", 0)
    key = f"upload-{n}"
    upload = SS.get(key)
    if upload is None:
        return cache.builtin_catalog(), "built-in"
    name, file_id, refusal = clean_file_name(upload.name), getattr(upload, "file_id", None), None
    try:
        cat, digest = cache.checked_upload(upload, name)
    except BodymapError as exc:
        refusal = plain_error(exc).rstrip(".")  # a string only: the exception's frames hold the file's bytes
    if refusal is not None:
        SS["_upload_note"] = ("error", f"{refusal}. Showing the built-in data.")
        SS["_upload_n"] = n + 1  # a fresh uploader key: the refused file is gone from the widget
        del upload
        uploads.forget(key, file_id)
        return cache.builtin_catalog(), "built-in"
    extra = len(cat.complaints) - len(cache.builtin_catalog().complaints)
    SS["_upload_note"] = ("success", f"Loaded {one_line(name, 80)}: {extra} extra complaint(s).")
    return cat, digest


def start_session(cat: Catalog) -> None:
    """Read the link once per session: layers and the selected point; note what was ignored."""
    if "_layers" in SS:
        return
    layers, bad = layers_from_url(st.query_params)
    SS["_layers"], SS["_layers_rev"] = layers, 0
    choices, bad_choices = choices_from_url(st.query_params, cat)
    for key, default in CHOICE_DEFAULTS.items():
        SS[key] = choices.get(key, default)
    asked = st.query_params.get("point") or None
    SS["_sel"], SS["_sel_rev"] = resolve_point(asked, point_codes(cat)), 0
    if asked and SS["_sel"] is None:
        bad.append("point")
        st.query_params.pop("point", None)
    bad += bad_choices + check_url(st.query_params, cat)
    if bad:
        names = ", ".join(md_text(one_line(k, 40)) for k in sorted(set(bad))[:6])
        st.toast(f"Ignored unknown or invalid link setting(s): {names}. Showing the default instead.")


# ---- events from the figure and the search results ------------------------------------------

def select_point(code: str | None) -> None:
    SS["_sel"], SS["_sel_rev"] = code, SS.get("_sel_rev", 0) + 1


def goto(complaint_id: str, code: str | None) -> None:
    SS["complaint"] = complaint_id
    select_point(code)


def choose_from_regions(complaint_id: str) -> None:
    """A complaint chosen in "Where does it hurt?": open it with the chosen areas outlined, and close the picker."""
    goto(complaint_id, None)
    SS["_outlined"], SS["_outlined_for"] = list(SS.get("_picked", [])), complaint_id
    if SS.get("mode") == "atlas":
        SS["mode"] = "overlay"
    SS["picker"] = False


def on_layers() -> None:
    value = (SS.get("figure") or {}).get("layers")
    if isinstance(value, list):
        SS["_layers"] = [layer for layer in LAYERS if layer in value]


def on_selected() -> None:
    value = (SS.get("figure") or {}).get("selected")
    SS["_sel"] = value if isinstance(value, str) and len(value) <= 80 else None


def on_goto() -> None:
    value = (SS.get("figure") or {}).get("goto")
    if isinstance(value, dict) and value.get("complaint") in cache.catalog_for(SS.get("_catalog_key", "built-in")).complaints:
        point = value.get("point")
        goto(value["complaint"], point if isinstance(point, str) else None)


# ---- the page -------------------------------------------------------------------------------

def sidebar(cat: Catalog) -> dict:
    sb = st.sidebar
    sb.title("bodymap")
    sb.caption("Where the needles go: dry needling vs acupuncture.")
    # Containers keyed "bm-not-atlas-*" are hidden on the atlas page (atlas_page): their choices do not apply there.
    query = sb.container(key="bm-not-atlas-search").text_input("Find a point or muscle", key="q", bind="query-params",
                                                              placeholder="e.g. BL40, Weizhong, 委中, piriformis")
    results = sb.container()
    # Not bound to the link: the app writes the ids itself (write_choices), Streamlit would write labels.
    choices = sb.container(key="bm-not-atlas-choices")
    view = choices.radio("View", list(VIEWS), format_func=VIEWS.get, key="view", horizontal=True)
    side = choices.radio("Affected side", list(SIDES), format_func=SIDES.get, key="side", horizontal=True)
    n = SS.get("_upload_n", 0)
    sb.file_uploader("Your own data (YAML or JSON)", type=["yaml", "yml", "json"], key=f"upload-{n}",
                     help=f"Points, muscles and complaints in bodymap's format; see the README. At most "
                          f"{MAX_FILE_BYTES / 2**20:g} MB.")
    note = SS.get("_upload_note")
    if note and (note[0] == "error" or SS.get(f"upload-{n}") is not None):
        (sb.error if note[0] == "error" else sb.success)(md_text(note[1]))
    return {"query": (query or "").strip()[:80], "view": view, "side": side, "results": results}


def top_choices(cat: Catalog) -> tuple[str, str]:
    """Complaint and mode above the figure, so a phone never needs the drawer for them."""
    ids = list(cat.complaints)
    if SS.get("complaint") not in cat.complaints:  # e.g. an uploaded complaint whose file was then removed
        SS["complaint"] = CHOICE_DEFAULTS["complaint"] if CHOICE_DEFAULTS["complaint"] in ids else ids[0]
    left, right, where = st.columns([3, 2, 1.4], vertical_alignment="bottom")
    # The value comes from session state (start_session reads the link); no index, so no clash.
    complaint = left.container(key="bm-not-atlas-complaint").selectbox(
        "Complaint", ids, format_func=lambda c: one_line(cat.complaints[c].name, 120), key="complaint",
        on_change=select_point, args=(None,))
    mode = right.segmented_control("Mode", list(MODES), format_func=MODES.get, key="mode") or "overlay"
    with where:  # in the same row: the body map floats over the page and takes no room from the figure
        pain_section(cat, choose_from_regions)
    return complaint, mode


def search_results(cat: Catalog, ui: dict, complaint_id: str) -> tuple[str, ...]:
    """Results as buttons that select the point (switching complaint when needed); returns highlights."""
    if not ui["query"]:
        return ()
    hits = search.find(cat, ui["query"], complaint_id)
    box = ui["results"]
    ids_by_name = {c.name: c.id for c in reversed(cat.complaints.values())}

    def code_of(key: str) -> str:
        muscle = cat.muscles.get(key)
        return muscle.trigger_points[0].id if muscle is not None else key

    ask_which_plan(box, cat)
    for i, h in enumerate(hits.in_complaint):  # the current complaint uses it: stay there
        box.button(md_text(h.text, 80), key=f"hit-{i}", on_click=from_search, args=(None, code_of(h.key)),
                   width="stretch", help="Show it on the figure")
    for i, h in enumerate(hits.elsewhere[:6]):
        targets = [ids_by_name[name] for name in h.complaints if name in ids_by_name]
        if not targets:
            box.caption(md_text(f"{h.text}: atlas only"))
        elif len(targets) == 1:
            box.button(md_text(f"{h.text} ({h.complaints[0]})", 200), key=f"far-{i}", on_click=from_search,
                       args=(targets[0], code_of(h.key)), width="stretch", help="Switch to that complaint and show it")
        else:  # several plans use it: ask which, rather than open the first by name
            box.button(md_text(f"{h.text}: in {len(targets)} plans, choose one", 200), key=f"far-{i}", on_click=ask_plan,
                       args=(code_of(h.key), h.text, targets), width="stretch", help="List the plans that use it")
    if not hits.in_complaint and not hits.elsewhere:
        box.caption(md_text(f"Nothing matches “{ui['query']}”. Try a code (BL40), a pinyin name (Weizhong), "
                            "hanzi (委中) or a muscle."))
    return tuple(h.key for h in hits.in_complaint)


def ask_plan(code: str, text: str, targets: list[str]) -> None:
    SS["_ask"] = {"code": code, "text": text, "targets": targets}


def from_search(complaint_id: str | None, code: str) -> None:
    """A search result or a plan chosen for it: show the point, and close the drawer on a phone."""
    if complaint_id is None:
        select_point(code)
    else:
        goto(complaint_id, code)
    SS.pop("_ask", None)
    SS["_drawer_rev"] = SS.get("_drawer_rev", 0) + 1


def ask_which_plan(box, cat: Catalog) -> None:
    """Every plan that uses the point asked about, in full, one button each."""
    ask = SS.get("_ask")
    if not ask or any(t not in cat.complaints for t in ask["targets"]):
        return
    box.markdown(f"**{md_text(ask['text'], 120)}** is in these plans. Open it in:")
    for j, target in enumerate(ask["targets"]):
        box.button(md_text(cat.complaints[target].name, 200), key=f"ask-{j}", on_click=from_search, args=(target, ask["code"]),
                   width="stretch")
    box.button("Cancel", key="ask-cancel", on_click=SS.pop, args=("_ask", None), type="tertiary")


def downloads(key: str, complaint: str, overlays: tuple[str, ...], view: str, side: str, highlight: tuple[str, ...],
              prefix: str, suffix: str = "", stacked: bool = False) -> None:
    """The download bar: the figure as on screen; the handout and reference print today's plan when there is one.

    stacked: one button under the other (in a figure's menu of downloads, side by side).
    """
    items = DOWNLOADS
    plan, clinic = plan_panel.tokens(), plan_panel.clinic()
    shown = plan if plan_panel.plan_only() else None
    widths = [2 if fmt in ("handout", "reference") else 1 for fmt, *_ in items]  # their labels say plan or protocol
    for col, (fmt, label, mime, ext) in zip([st.container() for _ in items] if stacked else st.columns(widths), items,
                                            strict=True):
        def make(fmt: str = fmt) -> bytes:
            printed = fmt in ("handout", "reference")
            out = cache.render(key, complaint, fmt, overlays, view, side, highlight, prefix,
                               plan=plan if printed else shown, clinic=clinic if printed else None)
            return out.encode("utf-8") if isinstance(out, str) else out

        col.download_button(plan_panel.download_label(fmt, label), data=make, file_name=f"{complaint}{suffix}{ext}", mime=mime,
                            on_click="ignore", key=f"dl-{fmt}{suffix}", width="stretch")


def atlas_downloads(key: str, overlays: tuple[str, ...]) -> None:
    items = ATLAS_DOWNLOADS
    for col, (fmt, label, mime, ext) in zip(st.columns(len(items)), items, strict=True):
        def make(fmt: str = fmt) -> bytes:
            out = cache.atlas(key, fmt, overlays)
            return out.encode("utf-8") if isinstance(out, str) else out

        col.download_button(label, data=make, file_name=f"atlas{ext}", mime=mime, on_click="ignore",
                            key=f"dl-atlas-{fmt}", width="stretch")


def show_figure(key: str, svgs: list[dict], cards: dict, chips: tuple[str, ...], rows: list[dict],
                stack: bool = False, zoom: bool = False) -> None:
    if SS.get("_sel") not in cards:
        SS["_sel"] = None
    chip_rows = [[c, LAYERS[c][1], LAYERS[c][2]] for c in chips]
    planned = plan_panel.pairs()
    if rows and planned is not None:  # one more chip: the figure as the patient's handout draws it
        chip_rows.append(["plan-only", "Today's plan only", "Show only the points of today's plan, on their sides"])
    interactive_figure(figures=svgs, chips=chip_rows,
                       layers=SS["_layers"], layers_rev=SS["_layers_rev"], selected=SS["_sel"],
                       selected_rev=SS["_sel_rev"], cards=cards, columns=TABLE_COLUMNS, rows=rows,
                       on_layers=on_layers, on_selected=on_selected, on_goto=on_goto, stack=stack,
                       plan=planned if rows else None, plan_rev=SS.get("_plan_rev", 0), plan_only=plan_panel.plan_only(),
                       on_plan=plan_panel.on_plan, on_plan_only=plan_panel.on_plan_only, drawer_rev=SS.get("_drawer_rev", 0),
                       zoom=zoom)


def atlas_page(cat: Catalog, key: str) -> None:
    st.title("Atlas")
    st.caption("Every acupoint and trigger point in the catalog, labelled, for checking positions against the "
               "texts. Pick a region to read its labels, or zoom and pan.")
    # The complaint, view, side and search choices do not apply to the atlas: hidden while it is shown.
    st.html("<style>[class*='st-key-bm-not-atlas']{display:none!important}</style>")
    svg = cache.atlas(key, "svg", ATLAS_LAYERS)
    cards = cache.cards(key, None, ((ATLAS_LAYERS, "bm-atlas"),), "both", "both")
    show_figure(key, [{"svg": svg, "caption": ""}], cards, ATLAS_LAYERS, [], zoom=True)
    st.html(a11y.DOWNLOADS_ANCHOR)
    atlas_downloads(key, tuple(layer for layer in SS["_layers"] if layer in ATLAS_LAYERS))


def complaint_page(cat: Catalog, key: str, ui: dict, complaint_id: str, mode: str) -> None:
    complaint = cat.complaint(complaint_id)
    sbs = mode == Mode.SIDE_BY_SIDE
    # One row: the name, and the download bar beside it (in reach without scrolling; the figure stays on the first screen).
    # Side by side, a menu of downloads per figure instead of two bars: every panel of both figures fits a 1440x900 screen.
    heading, *bars = st.columns([3, 2, 2] if sbs else [2, 5], vertical_alignment="center")
    heading.title(md_text(complaint.name, 200))
    highlight = search_results(cat, ui, complaint.id)
    view, side = ui["view"], ui["side"]
    if sbs:
        # The figure carries every layer (so chips act at once); every layout of a complaint is the
        # same whatever the overlays, so both figures have the same panels at the same scale.
        specs = [((t,) + DETAILS, f"bm-{complaint.id}-{t}", title) for t, title in
                 ((Therapy.DRY_NEEDLING.value, "Dry needling: local trigger points"),
                  (Therapy.ACUPUNCTURE.value, "Acupuncture: local and distal points"))]
    else:
        specs = [(tuple(LAYERS), f"bm-{complaint.id}", "")]
    wide = PAGE_WIDTH[(Mode.SIDE_BY_SIDE if sbs else Mode.OVERLAY).value]
    shown = plan_panel.tokens() if plan_panel.plan_only() else None  # the chip "Today's plan only"
    # The areas chosen in "Where does it hurt?" stay outlined while their complaint is shown.
    picked = SS.get("_outlined", []) if SS.get("_outlined_for") == complaint.id else []
    svgs = [{"svg": outline_regions(cache.render(key, complaint.id, "svg", overlays, view, side, highlight, prefix, wide,
                                                 plan=shown), prefix, picked),
             "narrow": outline_regions(cache.render(key, complaint.id, "svg", overlays, view, side, highlight, f"{prefix}-phone",
                                                    PAGE_WIDTH["phone"], plan=shown), f"{prefix}-phone", picked),
             "caption": ""}  # side by side, each figure's own headline names its therapy
            for overlays, prefix, title in specs]
    cards = cache.cards(key, complaint.id, tuple((overlays, prefix) for overlays, prefix, _ in specs), view, side, shown)
    # The download bar sits above the figure, beside the name (side by side: a menu per figure).
    chosen = tuple(SS["_layers"])
    plan_panel.style()
    for n, (overlays, prefix, title) in enumerate(specs):
        suffix = prefix.removeprefix(f"bm-{complaint.id}")
        where = bars[n] if sbs else bars[0]
        if n == 0:  # the skip link's target, just before the first download button (or menu)
            (heading if sbs else where).html(a11y.DOWNLOADS_ANCHOR)
        if sbs:
            where = where.popover(md_text(f"Downloads: {title.split(':')[0].lower()}", 60), width="stretch")
        with where.container(key=f"download-bar{suffix}"):
            downloads(key, complaint.id, tuple(layer for layer in chosen if layer in overlays), view, side, highlight,
                      prefix, suffix=suffix, stacked=sbs)
    with ui["plan_slot"]:
        plan_panel.panel(cat, complaint.id)
    plan_panel.phone_summary(complaint.id)  # under the download bar, on a phone (its sidebar is a closed drawer)
    rows = table_rows(cat, complaint.id)
    show_figure(key, svgs, cards, tuple(LAYERS), rows + plan_panel.extra_rows(cat, complaint.id, rows),
                stack=sbs)
    st.caption(md_text(complaint.summary))
    st.caption(f"**{md_text(DISCLAIMER)}**")
    details_tabs(cat, key, complaint.id)


def details_tabs(cat: Catalog, key: str, complaint_id: str) -> None:
    info = api.describe(complaint_id, data=cat)
    why, compare, sources = st.tabs(["Why these spots", "Compare the therapies", "Sources"])
    with why:
        left, right = st.columns(2)
        left.markdown("## Dry needling")
        left.markdown(md_text(info["dry_needling"]["rationale"]))
        right.markdown("## Acupuncture")
        right.markdown(md_text(info["acupuncture"]["rationale"]))
        right.markdown(f"**Ankle and foot points:** {md_text(info['acupuncture']['foot_points'])}")
    with compare:
        if cat.comparison:
            st.markdown(f"## {md_text(cat.comparison.title)}")
            # st.table wraps long cells (a grid would cut them) and reads cells as markdown: escape.
            st.table(cache.comparison_table(key), hide_index=True)
    with sources:
        rows = info["rows"]
        found = {r["source"] for r in rows} | {info["dry_needling"]["source"], info["acupuncture"]["source"]}
        st.markdown("\n".join(f"{i}. {md_text(src)}" for i, src in enumerate(sorted(found - {""}), 1)))


def main() -> None:
    st.html(PAGE_CSS)
    st.html(a11y.CSS)
    st.html(a11y.SKIP_LINK)  # first in the main area's tab order, before the choices and the figure
    cat, key = active_catalog()
    SS["_catalog"], SS["_catalog_key"] = cat, key
    start_session(cat)
    plan_panel.start(st.query_params, cat)
    plan_slot = st.sidebar.container()  # today's plan, at the top of the sidebar, filled on a complaint's page
    ui = sidebar(cat)
    ui["plan_slot"] = plan_slot
    complaint_id, mode = top_choices(cat)
    if mode == "atlas":
        atlas_page(cat, key)
    else:
        complaint_page(cat, key, ui, complaint_id, mode)
    write_url(st.query_params, SS["_layers"], SS["_sel"])
    write_choices(st.query_params, {"complaint": complaint_id, "mode": mode, "view": ui["view"], "side": ui["side"]})
    plan_panel.write_url(st.query_params)


try:
    main()
except BodymapError as exc:  # e.g. a built-in data file broken by an edit: say what, not how
    st.error(f"bodymap could not show this view: {md_text(exc)}")
