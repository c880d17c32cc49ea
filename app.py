"""bodymap's Streamlit app: pick a complaint, toggle the therapies, compare, export.

UI only: every diagram, table and file comes from the `bodymap` library. Every control is
bound to the URL, so a link reproduces the view; everything expensive is cached by its inputs.
"""

from __future__ import annotations

import hashlib
import re

import streamlit as st

from bodymap import api, search
from bodymap.catalog import Catalog, load_catalog
from bodymap.errors import BodymapError
from bodymap.scene import DISCLAIMER

st.set_page_config(page_title="bodymap: where the needles go", page_icon="📍", layout="wide")

DETAIL_LAYERS = {
    "referral-zones": ("Referral zones", "Where each trigger point sends its pain"),
    "meridians": ("Meridians", "The channels the acupoints lie on"),
    "labels": ("Labels", "Point codes and muscle names"),
    "danger-zones": ("Danger zones", "Regions that need particular care when needling"),
    "pregnancy-cautions": ("Pregnancy cautions", "Points traditionally avoided in pregnancy"),
}
VIEWS = {"both": "Back and front", "posterior": "Back", "anterior": "Front", "lateral": "Side", "all": "All three"}
SIDES = {"both": "Both", "left": "Left", "right": "Right"}
MODES = {"overlay": "Overlay", "side-by-side": "Side by side", "atlas": "Atlas"}
BOOLS = ("true", "false")
MIME = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "handout": "application/pdf",
        "json": "application/json"}
CSS = (
    "<style>.bodymap-figure svg{width:100%;height:auto;max-height:88vh}"
    ".bodymap-figure{background:#fff;border-radius:8px}"
    # On a phone the whole figure at screen width is too small to read: show it larger and let
    # the reader scroll sideways (pinch-zoom still works).
    "@media (max-width:640px){.bodymap-figure{overflow-x:auto}.bodymap-figure svg{width:240%;max-width:none;"
    "max-height:none}}</style>"
)


@st.cache_resource(show_spinner=False)
def builtin_catalog() -> Catalog:
    return load_catalog()


@st.cache_resource(show_spinner=False, max_entries=16)
def custom_catalog(digest: str, text: str, name: str) -> Catalog:
    """A catalog with an uploaded file added; keyed by the file's hash (digest)."""
    return api.load_data_text(text, name)


def active_catalog() -> tuple[Catalog, str]:
    """The catalog in use and a cache key for it; a bad upload leaves the built-in data in place."""
    upload = st.session_state.get("upload")
    if upload is None:
        return builtin_catalog(), "built-in"
    raw = upload.getvalue()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        cat = custom_catalog(digest, raw.decode("utf-8"), upload.name)
    except UnicodeDecodeError:
        st.sidebar.error(f"{upload.name}: not UTF-8 text. Using the built-in data.")
        return builtin_catalog(), "built-in"
    except BodymapError as exc:
        st.sidebar.error(f"{exc}. Using the built-in data.")
        return builtin_catalog(), "built-in"
    st.sidebar.success(f"Loaded {upload.name}: {len(cat.complaints) - len(builtin_catalog().complaints)} extra complaint(s).")
    return cat, digest


@st.cache_data(show_spinner=False, max_entries=512)
def cached_render(catalog_key: str, complaint: str, fmt: str, overlays: tuple[str, ...], view: str, side: str,
                  highlight: tuple[str, ...], prefix: str, fixed_layout: bool = False) -> str | bytes:
    """Every rendered output, keyed by exactly what is on screen."""
    cat = builtin_catalog() if catalog_key == "built-in" else st.session_state["_catalog"]
    return api.render(complaint, format=fmt, overlays=list(overlays), view=view, side=side, highlight=highlight,
                      id_prefix=prefix, data=cat, fixed_layout=fixed_layout)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_atlas(catalog_key: str, overlays: tuple[str, ...]) -> str:
    from bodymap.atlas import render_atlas

    cat = builtin_catalog() if catalog_key == "built-in" else st.session_state["_catalog"]
    return render_atlas("svg", data=cat, overlays=list(overlays))


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_details(catalog_key: str, complaint: str) -> dict:
    """The tables under the diagram, built once as Arrow tables (st.dataframe then skips pandas).

    A resource cache hands back the same read-only object on every rerun, without the copy
    that st.cache_data makes.
    """
    import pyarrow as pa

    cat = builtin_catalog() if catalog_key == "built-in" else st.session_state["_catalog"]
    info = api.describe(complaint, data=cat)
    rows = info["rows"]
    points = pa.table({
        "Therapy": [r["therapy"] for r in rows], "Code or muscle": [r["code"] for r in rows],
        "Name": [r["name"] for r in rows], "Location": [r["location"] for r in rows],
        "Local/distal": [r["placement"] for r in rows], "Meridian": [r["meridian"] for r in rows],
        "Source": [r["source"] for r in rows],
    })
    comparison = None
    if cat.comparison:
        comparison = pa.table({" ": [r.aspect for r in cat.comparison.rows],
                               "Dry needling": [r.dry_needling for r in cat.comparison.rows],
                               "Acupuncture": [r.acupuncture for r in cat.comparison.rows]})
    sources = sorted({r["source"] for r in rows} | {info["dry_needling"]["source"], info["acupuncture"]["source"]} - {""})
    return {"info": info, "points": points, "comparison": comparison,
            "comparison_title": cat.comparison.title if cat.comparison else "",
            "sources": "\n".join(f"{i}. {md_text(src)}" for i, src in enumerate(sources, 1))}


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_text(text: str) -> str:
    """Data text shown through st.markdown as plain text: markdown syntax is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def check_query_params(valid: dict[str, tuple[str, ...]]) -> list[str]:
    """Names of URL parameters whose value is not valid; Streamlit then uses the default."""
    bad = []
    for key, value in st.query_params.items():
        if key in valid and value not in valid[key]:
            bad.append(key)
        elif key not in valid:
            bad.append(key)
    return bad


def sidebar(cat: Catalog) -> dict:
    ids = list(cat.complaints)
    sb = st.sidebar
    sb.title("bodymap")
    sb.caption("Where the needles go: dry needling vs acupuncture.")
    complaint = sb.selectbox("Complaint", ids, index=ids.index("low-back-pain") if "low-back-pain" in ids else 0,
                             format_func=lambda c: cat.complaints[c].name, key="complaint", bind="query-params")
    mode = sb.segmented_control("Mode", list(MODES), format_func=MODES.get, default="overlay", key="mode",
                                bind="query-params") or "overlay"
    sb.markdown("**Therapies**")
    dn = sb.toggle("Dry needling", value=True, key="dn", bind="query-params",
                   help="Trigger points in the painful muscles (vermillion diamonds)")
    acu = sb.toggle("Acupuncture", value=True, key="acu", bind="query-params",
                    help="Acupoints near and far from the pain (blue circles; rings are distal)")
    sb.markdown("**Details**")
    details = [layer for layer, (label, help_) in DETAIL_LAYERS.items()
               if sb.toggle(label, value=layer == "labels", key=layer, bind="query-params", help=help_)]
    view = sb.radio("View", list(VIEWS), format_func=VIEWS.get, key="view", bind="query-params", horizontal=True)
    side = sb.radio("Affected side", list(SIDES), format_func=SIDES.get, key="side", bind="query-params",
                    horizontal=True)
    query = sb.text_input("Find a point or muscle", key="q", bind="query-params",
                          placeholder="e.g. BL40, Weizhong, piriformis")
    sb.file_uploader("Your own data (YAML or JSON)", type=["yaml", "yml", "json"], key="upload",
                     help="Points, muscles and complaints in bodymap's format; see the README.")
    return {"complaint": complaint, "mode": mode, "dn": dn, "acu": acu, "details": details, "view": view,
            "side": side, "query": (query or "").strip()[:80]}


def figure(svg: str) -> None:
    st.markdown(f'<div class="bodymap-figure">{svg}</div>', unsafe_allow_html=True)


def downloads(key: str, complaint: str, overlays: tuple[str, ...], view: str, side: str, highlight: tuple[str, ...],
              prefix: str, suffix: str = "", fixed_layout: bool = False) -> None:
    cols = st.columns(5)
    for col, (fmt, label) in zip(cols, [("svg", "SVG"), ("png", "PNG"), ("pdf", "PDF"), ("handout", "Handout"),
                                        ("json", "JSON")]):
        ext = "-handout.pdf" if fmt == "handout" else f".{fmt}"

        def make(fmt: str = fmt) -> bytes:
            out = cached_render(key, complaint, fmt, overlays, view, side, highlight, prefix, fixed_layout)
            return out.encode("utf-8") if isinstance(out, str) else out

        col.download_button(label, data=make, file_name=f"{complaint}{suffix}{ext}", mime=MIME[fmt],
                            on_click="ignore", key=f"dl-{fmt}{suffix}", width="stretch")


def main() -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    cat, key = active_catalog()
    st.session_state["_catalog"] = cat
    # Streamlit writes a bound option widget's *label* into the URL (?complaint=Neck+pain).
    valid = {"complaint": tuple(c.name for c in cat.complaints.values()), "mode": tuple(MODES.values()),
             "view": tuple(VIEWS.values()), "side": tuple(SIDES.values()), "dn": BOOLS, "acu": BOOLS}
    valid.update({layer: BOOLS for layer in DETAIL_LAYERS})
    bad = [k for k in check_query_params(valid) if k != "q"]
    ui = sidebar(cat)
    if bad:
        st.info(f"Ignored unknown or invalid link setting(s): {', '.join(sorted(bad)[:6])}. Showing the default instead.")

    if ui["mode"] == "atlas":
        st.title("Atlas")
        st.caption("Every acupoint and trigger point in the catalog, labelled, for checking positions against the "
                   "texts. The complaint, side and search settings do not apply here.")
        therapies = [t for t, on in (("dry-needling", ui["dn"]), ("acupuncture", ui["acu"])) if on]
        figure(cached_atlas(key, tuple(therapies + [d for d in ui["details"] if d in ("labels", "pregnancy-cautions")])))
        st.caption(f"**{DISCLAIMER}**")
        return

    complaint = cat.complaint(ui["complaint"])
    st.title(complaint.name)
    st.caption(complaint.summary)

    hits = search.find(cat, ui["query"], complaint.id) if ui["query"] else None
    highlight = tuple(h.key for h in hits.in_complaint) if hits else ()
    if hits is not None:
        if hits.in_complaint:
            st.success("Highlighted: " + "; ".join(h.text for h in hits.in_complaint))
        elif hits.elsewhere:
            st.warning(f"“{ui['query']}” is not part of this plan. It appears in: "
                       + "; ".join(f"{h.text} ({', '.join(h.complaints) or 'atlas only'})" for h in hits.elsewhere[:5]))
        else:
            st.warning(f"Nothing matches “{ui['query']}”. Try a code (BL40), a pinyin name (Weizhong) or a muscle.")

    therapies = [t for t, on in (("dry-needling", ui["dn"]), ("acupuncture", ui["acu"])) if on]
    if not therapies:
        st.info("Both therapies are switched off: the figure shows the anatomy only.")
    if ui["mode"] == "side-by-side":
        left, right = st.columns(2)
        for col, therapy, heading in ((left, "dry-needling", "Dry needling: local trigger points"),
                                      (right, "acupuncture", "Acupuncture: local and distal points")):
            with col:
                st.subheader(heading)
                overlays = tuple([therapy] + ui["details"])
                prefix = f"bm-{complaint.id}-{therapy}"
                # fixed_layout: both figures show the same panels at the same scale.
                figure(cached_render(key, complaint.id, "svg", overlays, ui["view"], ui["side"], highlight, prefix, True))
                downloads(key, complaint.id, overlays, ui["view"], ui["side"], highlight, prefix, suffix=f"-{therapy}",
                          fixed_layout=True)
    else:
        overlays = tuple(therapies + ui["details"])
        prefix = f"bm-{complaint.id}"
        figure(cached_render(key, complaint.id, "svg", overlays, ui["view"], ui["side"], highlight, prefix))
        downloads(key, complaint.id, overlays, ui["view"], ui["side"], highlight, prefix)

    st.caption(f"**{DISCLAIMER}**")
    details_tabs(key, complaint.id)


def details_tabs(key: str, complaint_id: str) -> None:
    details = cached_details(key, complaint_id)
    info = details["info"]
    points, why, compare, sources = st.tabs(["Points and muscles", "Why these spots", "Compare the therapies", "Sources"])
    with points:
        st.dataframe(details["points"], hide_index=True, width="stretch")
    with why:
        left, right = st.columns(2)
        left.markdown("#### Dry needling")
        left.markdown(md_text(info["dry_needling"]["rationale"]))
        right.markdown("#### Acupuncture")
        right.markdown(md_text(info["acupuncture"]["rationale"]))
        right.markdown(f"**Ankle and foot points:** {md_text(info['acupuncture']['foot_points'])}")
    with compare:
        if details["comparison"] is not None:
            st.markdown(f"#### {details['comparison_title']}")
            st.dataframe(details["comparison"], hide_index=True, width="stretch")
    with sources:
        st.markdown(details["sources"])

try:
    main()
except BodymapError as exc:  # e.g. a built-in data file broken by an edit: say what, not how
    st.error(f"bodymap could not show this view: {exc}")
