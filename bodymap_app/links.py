"""The link: which URL keys the app reads and writes, and what it accepts in them.

`params` is `st.query_params` (or any mapping with `get`, `items`, `pop` and item assignment).
"""

from __future__ import annotations

from typing import Any

from bodymap.data.catalog import Catalog

# layer -> (URL key, chip label, help, on by default). The figure always carries every layer, so
# a chip shows or hides a group in the browser at once; Python hears of it for the URL and exports.
LAYERS = {
    "dry-needling": ("dn", "Dry needling", "Trigger points in the painful muscles (vermillion diamonds)", True),
    "acupuncture": ("acu", "Acupuncture", "Acupoints near and far from the pain (blue circles; rings are distal)", True),
    "referral-zones": ("referral-zones", "Referral zones", "Where each trigger point sends its pain", False),
    "meridians": ("meridians", "Meridians", "The channels the acupoints lie on", False),
    "labels": ("labels", "Labels", "Point codes and muscle names", True),
    "danger-zones": ("danger-zones", "Danger zones", "Regions that need particular care when needling", False),
    "pregnancy-cautions": ("pregnancy-cautions", "Pregnancy cautions", "Points traditionally avoided in pregnancy", False),
}
DETAILS = tuple(layer for layer in LAYERS if layer not in ("dry-needling", "acupuncture"))
ATLAS_LAYERS = ("dry-needling", "acupuncture", "labels", "pregnancy-cautions")
VIEWS = {"auto": "Best fit", "both": "Back and front", "posterior": "Back", "anterior": "Front", "lateral": "Side",
         "all": "All three"}
# Page widths of the on-screen figures (bodymap sizes every text in page units): one figure about
# 1000 px wide on a desktop, each of two side by side, and a phone's; the component shows the one that fits.
PAGE_WIDTH = {"overlay": 1000, "side-by-side": 540, "phone": 400}
SIDES = {"both": "Both", "left": "Left", "right": "Right"}
MODES = {"overlay": "Overlay", "side-by-side": "Side by side", "atlas": "Atlas"}
BOOLS = ("true", "false")
DOWNLOADS = (("svg", "SVG", "image/svg+xml", ".svg"), ("png", "PNG", "image/png", ".png"),
             ("pdf", "PDF", "application/pdf", ".pdf"), ("handout", "Handout (patient)", "application/pdf", "-handout.pdf"),
             ("reference", "Reference (clinician)", "application/pdf", "-reference.pdf"),
             ("json", "JSON", "application/json", ".json"))


def layers_from_url(params: Any) -> tuple[list[str], list[str]]:
    """The layers a link asks for, and the URL keys it got wrong."""
    chosen, bad = [], []
    for layer, (key, _label, _help, default) in LAYERS.items():
        value = params.get(key)
        if value is not None and value not in BOOLS:
            bad.append(key)
            value = None
        if (value == "true") if value is not None else default:
            chosen.append(layer)
    return chosen, bad


def write_url(params: Any, layers: list[str], selected: str | None) -> None:
    """Only what differs from the default goes into the link, as the bound widgets do."""
    for layer, (key, _label, _help, default) in LAYERS.items():
        on = layer in layers
        if on == default:
            params.pop(key, None)
        elif params.get(key) != str(on).lower():
            params[key] = str(on).lower()
    if selected:
        if params.get("point") != selected:
            params["point"] = selected
    else:
        params.pop("point", None)


def check_url(params: Any, cat: Catalog) -> list[str]:
    """URL keys that are unknown or hold an invalid value; they are dropped from the link."""
    # Streamlit writes a bound option widget's *label* into the URL (?complaint=Neck+pain).
    valid = {"complaint": {c.name for c in cat.complaints.values()}, "mode": set(MODES.values()),
             "view": set(VIEWS.values()), "side": set(SIDES.values())}
    free = {"q", "point", "plan"} | {key for key, *_ in LAYERS.values()}  # plan: checked by plan_panel
    bad = [key for key, value in params.items()
           if key not in free and (key not in valid or value not in valid[key])]
    for key in bad:
        if key not in valid:  # a bound widget rewrites its own key; unknown ones we remove
            params.pop(key, None)
    return bad
