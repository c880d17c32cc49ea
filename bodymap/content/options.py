"""RenderOptions: every choice a render takes, checked once and then passed whole through every layer."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bodymap.core import theme
from bodymap.core.errors import OptionError
from bodymap.core.vocabulary import DEFAULT_LAYERS, Layer, Side, View
from bodymap.data.plan import SessionPlan


@dataclass(frozen=True)
class RenderOptions:
    """What one render was asked for. `bodymap.api` builds it (`render_options`), once; a layer that
    needs a variant (the handout's larger labels) makes it with `dataclasses.replace`, so nothing is
    dropped on the way: a scene built 400 wide is rebuilt 400 wide."""

    overlays: tuple[str, ...] = tuple(layer.value for layer in DEFAULT_LAYERS)
    view: str = View.AUTO.value
    side: str = Side.BOTH.value
    id_prefix: str | None = None  # None: "bm-<complaint id>"
    highlight: tuple[str, ...] = ()
    label_size: float = theme.LABEL_SIZE  # page units
    page_width: float = theme.PAGE_WIDTH  # page units
    plan: SessionPlan | None = None  # today's points only, when given
    dpi: float = 150.0  # png and pdf
    transparent: bool = False  # png and pdf
    paper: str | None = None  # pdf, handout, reference: "a4", "letter" ("fit" for pdf); None: the format's default
    clinic: str | None = None  # handout, reference
    draft: bool = False  # labels left unplaced: a document lays the scene out again at the size it prints at


def render_options(overlays: Iterable[str] | str | None = None, *, view: str = View.AUTO, side: str = Side.BOTH,
                   id_prefix: str | None = None, highlight: Iterable[str] = (), label_size: float | None = None,
                   page_width: float | None = None, plan: SessionPlan | None = None, dpi: float = 150,
                   transparent: bool = False, paper: str | None = None, clinic: str | None = None,
                   fixed_layout: bool = False) -> RenderOptions:
    """Checked options from a caller's values (None: the default); a bad value is a one-line OptionError."""
    if fixed_layout:
        warnings.warn("fixed_layout is deprecated and does nothing: every layout of a complaint is the same "
                      "whatever the overlays", DeprecationWarning, stacklevel=3)
    return RenderOptions(normalise_overlays(overlays), check_choice(view, View.values(), "view"),
                         check_choice(side, Side.values(), "side"), id_prefix, tuple(highlight),
                         _number(label_size, theme.LABEL_SIZE, 4.0, 24.0, "label_size"),
                         _number(page_width, theme.PAGE_WIDTH, 320.0, 4000.0, "page_width"),
                         plan, dpi, transparent, paper, clinic)


def check_choice(value: Any, valid: Iterable[str], what: str) -> str:
    valid = tuple(valid)
    if not isinstance(value, str) or value not in valid:
        raise OptionError(f"unknown {what} {value!r}; valid: {', '.join(valid)}")
    return value


def normalise_overlays(overlays: Iterable[str] | str | None) -> tuple[str, ...]:
    """The chosen layers in the vocabulary's order (the default three for None)."""
    if overlays is None:
        return tuple(layer.value for layer in DEFAULT_LAYERS)
    if isinstance(overlays, str):
        overlays = [overlays]
    chosen = {check_choice(o, Layer.values(), "overlay") for o in overlays}
    return tuple(o for o in Layer.values() if o in chosen)


def _number(value: float | None, default: float, low: float, high: float, what: str) -> float:
    """A size option: the default when None, else a number in [low, high] (a one-line OptionError otherwise)."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= float(value) <= high:
        raise OptionError(f"{what} must be a number from {low:g} to {high:g} page units, not {value!r}")
    return float(value)
