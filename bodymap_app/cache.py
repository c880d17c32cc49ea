"""Everything the app computes once and reuses: catalogs, renders, cards, tables.

In a module, not in app.py: Streamlit re-runs app.py on every interaction, and a cached
function defined there is re-decorated (and its source re-read) each time.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import streamlit as st

from bodymap import api, sandbox
from bodymap.data.catalog import Catalog, load_catalog

from .cards import build_cards
from .text import md_text


@st.cache_resource(show_spinner=False)
def builtin_catalog() -> Catalog:
    return load_catalog()


def parse_upload(raw: bytes, name: str) -> Catalog:
    """The built-in catalog plus an uploaded file, parsed under the sandbox's time and memory limits."""
    return sandbox.load_upload(raw, name)


def checked_upload(upload: Any, name: str) -> tuple[Catalog, str]:
    """The catalog with an uploaded file added, and the file's digest as its cache key."""
    raw = upload.getvalue()
    digest = hashlib.sha256(raw).hexdigest()
    return custom_catalog(digest, name, raw), digest


@st.cache_resource(show_spinner=False, max_entries=16)
def custom_catalog(digest: str, name: str, _raw: bytes) -> Catalog:
    """A catalog with an uploaded file added; keyed by the file's hash (the bytes are not re-hashed)."""
    return parse_upload(_raw, name)


def catalog_for(key: str) -> Catalog:
    return builtin_catalog() if key == "built-in" else st.session_state["_catalog"]


# Renders are immutable text or bytes: a resource cache hands the same object to every rerun
# without the copy st.cache_data makes.
@st.cache_resource(show_spinner=False, max_entries=512)
def render(catalog_key: str, complaint: str, fmt: str, overlays: tuple[str, ...], view: str, side: str,
           highlight: tuple[str, ...], prefix: str, page_width: float | None = None,
           plan: str | None = None, clinic: str | None = None) -> str | bytes:
    """Every rendered output, keyed by exactly what is asked for (page_width: the on-screen figures' layouts).

    plan: today's plan as tokens ("BL40,BL23:L"), None for the protocol; clinic: the handout's clinic line.
    """
    return api.render(complaint, format=fmt, overlays=list(overlays), view=view, side=side, highlight=highlight,
                      id_prefix=prefix, data=catalog_for(catalog_key), page_width=page_width, plan=plan, clinic=clinic)


@st.cache_resource(show_spinner=False, max_entries=16)
def atlas(catalog_key: str, fmt: str, overlays: tuple[str, ...]) -> str | bytes:
    return api.render_atlas(fmt, data=catalog_for(catalog_key), overlays=list(overlays))


@st.cache_resource(show_spinner=False, max_entries=64)
def cards(catalog_key: str, complaint: str | None, figures: tuple[tuple[tuple[str, ...], str], ...], view: str,
          side: str, plan: str | None = None) -> dict:
    """Point cards for the markers of the figures, each given as (overlays, id prefix); read-only.

    complaint None is the atlas. Keyed by what the figures are, not by their (large) text.
    """
    cat = catalog_for(catalog_key)
    out: dict = {}
    for overlays, prefix in figures:
        if complaint is None:
            scene = atlas(catalog_key, "json", overlays)
        else:
            scene = render(catalog_key, complaint, "json", overlays, view, side, (), prefix, plan=plan)
        for code, card in build_cards(cat, json.loads(scene), complaint).items():
            # The phone's drawing of the same figure carries the same ids under its own prefix.
            phone = [f"{prefix}-phone{z[len(prefix):]}" for z in card["zones"] if z.startswith(prefix)]
            card = {**card, "zones": card["zones"] + phone}
            if code in out:  # the same point in both figures: its zones are in both
                card = {**card, "zones": out[code]["zones"] + card["zones"]}
            out[code] = card
    return out


@st.cache_resource(show_spinner=False, max_entries=16)
def comparison_table(catalog_key: str):
    """The comparison of the two therapies as an Arrow table of escaped text (st.table reads markdown)."""
    import pyarrow as pa

    comparison = catalog_for(catalog_key).comparison
    rows = comparison.rows if comparison else []
    return pa.table({" ": [md_text(r.aspect) for r in rows], "Dry needling": [md_text(r.dry_needling) for r in rows],
                     "Acupuncture": [md_text(r.acupuncture) for r in rows]})
