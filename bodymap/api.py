"""The public Python API: render a complaint's diagram (or the atlas) in any format, list complaints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bodymap.core.errors import OptionError
from bodymap.core.vocabulary import Side, View
from bodymap.data.catalog import Catalog
from bodymap.data.plan import SessionPlan, from_value
from bodymap.data.plans import describe as _describe
from bodymap.figures.geometry import load_panels
from bodymap.figures.loading import load_data_file, load_data_text, resolve_catalog
from bodymap.formats import ATLAS_FORMATS, get_format
from bodymap.formats import FORMATS as _REGISTRY
from bodymap.scene.build import RenderOptions, Scene, build_scene, render_options

__all__ = ["FORMATS", "ATLAS_FORMATS", "describe", "list_complaints", "load_data_file", "load_data_text", "render",
           "render_atlas", "render_scene", "resolve_catalog", "scene_for"]

FORMATS = tuple(_REGISTRY)  # every format's name; the registry (bodymap.formats) says what each is


def scene_for(
    complaint: str,
    overlays: Iterable[str] | str | None = None,
    *,
    view: str = View.AUTO,
    side: str = Side.BOTH,
    id_prefix: str | None = None,
    highlight: Iterable[str] = (),
    data: Catalog | str | Path | None = None,
    fixed_layout: bool = False,
    label_size: float | None = None,
    page_width: float | None = None,
    plan: Any = None,
) -> Scene:
    """The complaint's scene (what `render` draws); the arguments are render's. fixed_layout is deprecated."""
    catalog = resolve_catalog(data)
    options = render_options(overlays, view=view, side=side, id_prefix=id_prefix, highlight=highlight,
                             label_size=label_size, page_width=page_width, plan=_plan(catalog, plan, complaint),
                             fixed_layout=fixed_layout)
    return build_scene(catalog, load_panels(), complaint, options)


def _plan(catalog: Catalog, plan: Any, complaint: str) -> SessionPlan | None:
    """None (the protocol), or the plan checked against the catalog (a one-line PlanError otherwise)."""
    if plan is None:
        return None
    checked = from_value(catalog, plan, complaint if isinstance(complaint, str) else None)
    return checked if checked.complaint else checked.model_copy(update={"complaint": catalog.complaint(complaint).id})


def render_scene(scene: Scene, format: str = "svg", *, catalog: Catalog | None = None, dpi: float = 150,
                 transparent: bool = False, paper: str | None = None, clinic: str | None = None) -> str | bytes:
    """A built scene in any format (the backends are imported only when asked for)."""
    fmt = get_format(format)
    options = replace(scene.options or RenderOptions(), dpi=dpi, transparent=transparent, paper=paper, clinic=clinic)
    return fmt.render(scene, catalog, options)


def render(
    complaint: str,
    format: str = "svg",
    overlays: Iterable[str] | str | None = None,
    *,
    view: str = View.AUTO,
    side: str = Side.BOTH,
    id_prefix: str | None = None,
    highlight: Iterable[str] = (),
    data: Catalog | str | Path | None = None,
    dpi: float = 150,
    transparent: bool = False,
    paper: str | None = None,
    clinic: str | None = None,
    fixed_layout: bool = False,
    label_size: float | None = None,
    page_width: float | None = None,
    plan: Any = None,
) -> str | bytes:
    """One complaint's diagram.

    format: "svg" and "json" give text; "png", "pdf", "handout" (one page for the patient) and
    "reference" (the clinician's reference) give bytes (the registry: bodymap.formats.FORMATS).
    overlays: any of bodymap.core.vocabulary.Layer (default: dry-needling, acupuncture, labels).
    view: "auto" (the fewest body views that show every point), "both" (back and front), "posterior",
    "anterior", "lateral" or "all"; side: "both", "left" or "right".
    data: a Catalog, or the path of a custom YAML/JSON file added to the built-in catalog.
    paper: "a4" or "letter" (handout and reference default to a4); for "pdf" also "fit", the
    default: a page the size of the figure.
    clinic: a line with the clinic's name and phone for the handout and reference.
    fixed_layout: deprecated, does nothing (it warns): every layout of a complaint is the same whatever
    the overlays, so diagrams with different overlays always line up.
    label_size: the labels' font size in page units (default 11).
    page_width: the page's width in units (default 1000, the app's figure width in pixels); a
    narrower page stacks its panels (a phone: 400; two figures side by side: 600).
    plan: today's session plan: a `bodymap.data.plan.SessionPlan`, text such as "BL40,BL23:L,ql-superficial-upper:R"
    (L, R or B after a colon; no side: both), a list of such tokens or of {"code", "side", "note"}, or a plan
    dict. The figure then shows only those points, on those sides, and the handout prints the plan.
    Raises a BodymapError subclass with a one-line message for any invalid input.
    """
    fmt = get_format(format)
    catalog = resolve_catalog(data)
    options = render_options(overlays, view=view, side=side, id_prefix=id_prefix, highlight=highlight,
                             label_size=label_size, page_width=page_width, plan=_plan(catalog, plan, complaint), dpi=dpi,
                             transparent=transparent, paper=paper, clinic=clinic, fixed_layout=fixed_layout)
    scene = build_scene(catalog, load_panels(), complaint, replace(options, draft=fmt.draft))  # a document places labels once
    return fmt.render(scene, catalog, options)


def render_atlas(fmt: str = "svg", dpi: float = 150, data: Catalog | str | Path | None = None, overlays=None,
                 view: str = View.BOTH) -> str | bytes:
    """The atlas of every point and trigger point, as svg, png, pdf or json."""
    from bodymap.scene.atlas import atlas_scene

    if fmt not in ATLAS_FORMATS:
        raise OptionError(f"the atlas exports as {', '.join(ATLAS_FORMATS)}, not {fmt!r}")
    return render_scene(atlas_scene(data, overlays, view=view), fmt, dpi=dpi)


def list_complaints(data: Catalog | str | Path | None = None) -> list[tuple[str, str]]:
    cat = resolve_catalog(data)
    return [(c.id, c.name) for c in cat.complaints.values()]


def describe(complaint: str, data: Any = None) -> dict[str, Any]:
    """The complaint's plans as plain data (for tables): points and muscles with their sources."""
    return _describe(resolve_catalog(data), complaint)
