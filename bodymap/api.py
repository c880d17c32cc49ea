"""The public Python API: render a complaint's diagram (or the atlas) in any format, list complaints."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bodymap.core.errors import OptionError
from bodymap.data.catalog import Catalog
from bodymap.data.plan import SessionPlan, from_value
from bodymap.data.plans import describe as _describe
from bodymap.figures.geometry import load_panels
from bodymap.figures.loading import load_data_file, load_data_text, resolve_catalog
from bodymap.scene.build import Scene, build_scene

__all__ = ["FORMATS", "ATLAS_FORMATS", "describe", "list_complaints", "load_data_file", "load_data_text", "render",
           "render_atlas", "render_scene", "resolve_catalog", "scene_for"]

FORMATS = ("svg", "json", "png", "pdf", "handout", "reference")
ATLAS_FORMATS = ("svg", "json", "png", "pdf")


def scene_for(
    complaint: str,
    overlays: Iterable[str] | str | None = None,
    *,
    view: str = "auto",
    side: str = "both",
    id_prefix: str | None = None,
    highlight: Iterable[str] = (),
    data: Catalog | str | Path | None = None,
    fixed_layout: bool = False,
    label_size: float | None = None,
    page_width: float | None = None,
    plan: Any = None,
) -> Scene:
    catalog = resolve_catalog(data)
    return build_scene(catalog, load_panels(), complaint, overlays, view=view, side=side, id_prefix=id_prefix,
                       highlight=tuple(highlight), fixed_layout=fixed_layout, label_size=label_size, page_width=page_width,
                       plan=_plan(catalog, plan, complaint))


def _plan(catalog: Catalog, plan: Any, complaint: str) -> SessionPlan | None:
    """None (the protocol), or the plan checked against the catalog (a one-line PlanError otherwise)."""
    if plan is None:
        return None
    checked = from_value(catalog, plan, complaint if isinstance(complaint, str) else None)
    return checked if checked.complaint else checked.model_copy(update={"complaint": catalog.complaint(complaint).id})


def render_scene(scene: Scene, format: str = "svg", *, catalog: Catalog | None = None, dpi: float = 150,
                 transparent: bool = False, paper: str | None = None, clinic: str | None = None) -> str | bytes:
    """A built scene in any format (the backends are imported only when asked for)."""
    if format not in FORMATS:
        raise OptionError(f"unknown format {format!r}; valid: {', '.join(FORMATS)}")
    if format == "svg":
        from bodymap.backends.svg import render_svg

        return render_svg(scene)
    if format == "json":
        return json.dumps(scene.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)
    if format == "png":
        from bodymap.backends.mpl import render_image

        return render_image(scene, "png", dpi=dpi, transparent=transparent)
    from bodymap.documents import handout

    if format == "pdf":
        if paper in (None, "fit"):
            from bodymap.backends.mpl import render_image

            return render_image(scene, "pdf", dpi=dpi, transparent=transparent)
        return handout.render_figure_pdf(scene, paper)
    cat = catalog if catalog is not None else resolve_catalog(None)
    make = handout.render_handout if format == "handout" else handout.render_reference
    return make(scene, cat, paper="a4" if paper is None else paper, clinic=clinic)


def render(
    complaint: str,
    format: str = "svg",
    overlays: Iterable[str] | str | None = None,
    *,
    view: str = "auto",
    side: str = "both",
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
    "reference" (the clinician's reference) give bytes.
    overlays: any of bodymap.scene.build.OVERLAYS (default: dry-needling, acupuncture, labels).
    view: "auto" (the fewest body views that show every point), "both" (back and front), "posterior",
    "anterior", "lateral" or "all"; side: "both", "left" or "right".
    data: a Catalog, or the path of a custom YAML/JSON file added to the built-in catalog.
    paper: "a4" or "letter" (handout and reference default to a4); for "pdf" also "fit", the
    default: a page the size of the figure.
    clinic: a line with the clinic's name and phone for the handout and reference.
    fixed_layout: show every panel the complaint's plans use even when an overlay is off, so
    diagrams of one complaint with different overlays line up (the app's side-by-side mode).
    label_size: the labels' font size in page units (default 11).
    page_width: the page's width in units (default 1000, the app's figure width in pixels); a
    narrower page stacks its panels (a phone: 400; two figures side by side: 600).
    plan: today's session plan: a `bodymap.data.plan.SessionPlan`, text such as "BL40,BL23:L,ql-superficial-upper:R"
    (L, R or B after a colon; no side: both), a list of such tokens or of {"code", "side", "note"}, or a plan
    dict. The figure then shows only those points, on those sides, and the handout prints the plan.
    Raises a BodymapError subclass with a one-line message for any invalid input.
    """
    if format not in FORMATS:
        raise OptionError(f"unknown format {format!r}; valid: {', '.join(FORMATS)}")
    catalog = resolve_catalog(data)
    scene = build_scene(catalog, load_panels(), complaint, overlays, view=view, side=side, id_prefix=id_prefix,
                        highlight=tuple(highlight), fixed_layout=fixed_layout, label_size=label_size, page_width=page_width,
                        plan=_plan(catalog, plan, complaint))
    return render_scene(scene, format, catalog=catalog, dpi=dpi, transparent=transparent, paper=paper, clinic=clinic)


def render_atlas(fmt: str = "svg", dpi: float = 150, data: Catalog | str | Path | None = None, overlays=None,
                 view: str = "both") -> str | bytes:
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
