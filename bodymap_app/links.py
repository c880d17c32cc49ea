"""The link: which URL keys the app reads and writes, and what it accepts in them.

`params` is `st.query_params` (or any mapping with `get`, `items`, `pop` and item assignment).
"""

from __future__ import annotations

import re
from typing import Any

from bodymap.core.vocabulary import DEFAULT_LAYERS, Layer, Mode, Side, Therapy, View
from bodymap.data.catalog import Catalog
from bodymap.formats import FORMATS

# layer -> (URL key, chip label, help, on by default), from the vocabulary. The figure always carries every layer, so
# a chip shows or hides a group in the browser at once; Python hears of it for the URL and exports.
LAYERS = {layer.value: (layer.link_id, layer.label, layer.help, layer in DEFAULT_LAYERS) for layer in Layer}
DETAILS = tuple(layer for layer in LAYERS if layer not in Therapy.values())
ATLAS_LAYERS = (Layer.DRY_NEEDLING.value, Layer.ACUPUNCTURE.value, Layer.LABELS.value, Layer.PREGNANCY_CAUTIONS.value)
VIEWS = {view.link_id: view.label for view in View}
# Page widths of the on-screen figures (bodymap sizes every text in page units): one figure about
# 1000 px wide on a desktop, each of two side by side, and a phone's; the component shows the one that fits.
PAGE_WIDTH = {Mode.OVERLAY.value: 1000, Mode.SIDE_BY_SIDE.value: 540, "phone": 400}
SIDES = {side.link_id: side.label for side in Side}
MODES = {mode.link_id: mode.label for mode in Mode}
BOOLS = ("true", "false")
# (format, button label, MIME type, file name ending), in the order of the buttons: from the format registry.
DOWNLOADS = tuple((f.name, f.label, f.mime, f.file_suffix) for f in FORMATS.values())
ATLAS_DOWNLOADS = tuple(d for d in DOWNLOADS if FORMATS[d[0]].atlas)


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


# The option widgets whose value the app itself writes into the link, as the stable id
# (`?complaint=sciatica&mode=side-by-side`). Streamlit's `bind` would write the display label,
# which breaks a shared link whenever a label is reworded.
CHOICE_KEYS = ("complaint", "mode", "view", "side")
CHOICE_DEFAULTS = {"complaint": "low-back-pain", "mode": Mode.OVERLAY.value, "view": View.AUTO.value,
                   "side": Side.BOTH.value}  # plain str: Streamlit coerces an Enum widget value by its class


def _fold(text: str) -> str:
    """Case, spaces, `+`, `_` and hyphens do not matter: `Side by side` == `side-by-side`."""
    return re.sub(r"[\s+_-]+", "-", text.strip().casefold())


def resolve(value: str, options: dict[str, str]) -> str | None:
    """The id an option link value means, given {id: label}: the id or the label, in any case."""
    folded = _fold(value)
    for option_id, label in options.items():
        if folded in (_fold(option_id), _fold(label)):
            return option_id
    return None


def choice_options(cat: Catalog) -> dict[str, dict[str, str]]:
    return {"complaint": {c.id: c.name for c in cat.complaints.values()}, "mode": MODES, "view": VIEWS,
            "side": SIDES}


def choices_from_url(params: Any, cat: Catalog) -> tuple[dict[str, str], list[str]]:
    """The option choices a link asks for (as ids), and the URL keys whose value is unknown."""
    chosen, bad = {}, []
    for key, options in choice_options(cat).items():
        value = params.get(key)
        if value is None:
            continue
        option_id = resolve(value, options)
        if option_id is None:
            bad.append(key)
            params.pop(key, None)
        else:
            chosen[key] = option_id
    return chosen, bad


def point_codes(cat: Catalog) -> set[str]:
    """Every code a `?point=` may name: acupoints and trigger points."""
    return set(cat.acupoints) | {tp.id for m in cat.muscles.values() for tp in m.trigger_points}


def resolve_point(value: str | None, codes: Any) -> str | None:
    """`bl40` -> `BL40`: the code in its catalog spelling, or None when there is no such point."""
    if not value:
        return None
    if value in codes:
        return value
    folded = value.strip().casefold()
    return next((code for code in codes if code.casefold() == folded), None)


def write_choices(params: Any, choices: dict[str, str]) -> None:
    """Ids, not labels; a default stays out of the link."""
    for key in CHOICE_KEYS:
        value = choices.get(key)
        if value is None or value == CHOICE_DEFAULTS[key]:
            params.pop(key, None)
        elif params.get(key) != value:
            params[key] = value


def check_url(params: Any, cat: Catalog) -> list[str]:
    """URL keys that are unknown; they are dropped from the link (values are checked by their readers)."""
    free = {"q", "point", "plan", *CHOICE_KEYS} | {key for key, *_ in LAYERS.values()}  # plan: checked by plan_panel
    bad = [key for key in list(params.keys()) if key not in free]
    for key in bad:
        params.pop(key, None)
    return bad
