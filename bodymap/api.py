"""The public Python API: render a complaint's diagram in any format, list complaints."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .catalog import Catalog, load_catalog, load_custom, load_custom_text
from .errors import DataError, OptionError
from .geometry import load_panels
from .placement import check_sites
from .scene import Scene, build_scene

FORMATS = ("svg", "json", "png", "pdf", "handout")


def _checked(custom: Catalog, base: Catalog) -> Catalog:
    """Resolve the custom entries' location rules now, so bad positions fail on load."""
    new = (set(custom.acupoints) - set(base.acupoints)) | (set(custom.muscles) - set(base.muscles))
    try:
        check_sites(custom, load_panels(), new)
    except DataError as exc:
        raise DataError(f"{custom.origin}: {exc}") from None
    return custom


def load_data_file(path: str | Path) -> Catalog:
    """The built-in catalog plus a user's YAML/JSON file, fully validated (positions included)."""
    base = load_catalog()
    return _checked(load_custom(path, base), base)


def load_data_text(text: str, name: str) -> Catalog:
    """Like load_data_file, for an upload."""
    base = load_catalog()
    return _checked(load_custom_text(text, name, base), base)


def resolve_catalog(data: Catalog | str | Path | None) -> Catalog:
    if data is None:
        return load_catalog()
    if isinstance(data, Catalog):
        return data
    return load_data_file(data)


def scene_for(
    complaint: str,
    overlays: Iterable[str] | str | None = None,
    *,
    view: str = "both",
    side: str = "both",
    id_prefix: str | None = None,
    highlight: Iterable[str] = (),
    data: Catalog | str | Path | None = None,
    fixed_layout: bool = False,
) -> Scene:
    return build_scene(resolve_catalog(data), load_panels(), complaint, overlays, view=view, side=side,
                       id_prefix=id_prefix, highlight=tuple(highlight), fixed_layout=fixed_layout)


def render(
    complaint: str,
    format: str = "svg",
    overlays: Iterable[str] | str | None = None,
    *,
    view: str = "both",
    side: str = "both",
    id_prefix: str | None = None,
    highlight: Iterable[str] = (),
    data: Catalog | str | Path | None = None,
    dpi: float = 150,
    transparent: bool = False,
    paper: str = "a4",
    fixed_layout: bool = False,
) -> str | bytes:
    """One complaint's diagram.

    format: "svg" and "json" give text; "png", "pdf" and "handout" (an A4/Letter PDF) give bytes.
    overlays: any of bodymap.scene.OVERLAYS (default: dry-needling, acupuncture, labels).
    view: "both" (back and front), "posterior", "anterior", "lateral" or "all"; side: "both", "left" or "right".
    data: a Catalog, or the path of a custom YAML/JSON file added to the built-in catalog.
    fixed_layout: show every panel the complaint's plans use even when an overlay is off, so
    diagrams of one complaint with different overlays line up (the app's side-by-side mode).
    Raises a BodymapError subclass with a one-line message for any invalid input.
    """
    if format not in FORMATS:
        raise OptionError(f"unknown format {format!r}; valid: {', '.join(FORMATS)}")
    scene = scene_for(complaint, overlays, view=view, side=side, id_prefix=id_prefix, highlight=highlight, data=data,
                      fixed_layout=fixed_layout)
    if format == "svg":
        from .render_svg import render_svg

        return render_svg(scene)
    if format == "json":
        return json.dumps(scene.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)
    if format in ("png", "pdf"):
        from .render_mpl import render_image

        return render_image(scene, format, dpi=dpi, transparent=transparent)
    from .handout import render_handout

    return render_handout(scene, resolve_catalog(data), paper=paper)


def list_complaints(data: Catalog | str | Path | None = None) -> list[tuple[str, str]]:
    cat = resolve_catalog(data)
    return [(c.id, c.name) for c in cat.complaints.values()]


def describe(complaint: str, data: Any = None) -> dict[str, Any]:
    """The complaint's plans as plain data (for tables): points and muscles with their sources."""
    cat = resolve_catalog(data)
    c = cat.complaint(complaint)
    rows = []
    dn = cat.dry_needling.get(c.id)
    for use in dn.muscles if dn else ():
        m = cat.muscles[use.muscle]
        for tp in m.trigger_points:
            rows.append({"therapy": "Dry needling", "code": m.name, "name": tp.name, "location": tp.location,
                         "placement": "local", "meridian": "", "source": use.source})
    ac = cat.acupuncture.get(c.id)
    for use in ac.points if ac else ():
        p = cat.acupoints[use.code]
        rows.append({"therapy": "Acupuncture", "code": p.code, "name": f"{p.pinyin}" + (f" {p.hanzi}" if p.hanzi else ""),
                     "location": p.location, "placement": use.placement, "meridian": p.meridian or ("ear" if p.system == "auricular" else "extra"),
                     "source": use.source})
    return {"complaint": {"id": c.id, "name": c.name, "summary": c.summary},
            "dry_needling": {"rationale": dn.rationale if dn else "", "source": dn.source if dn else ""},
            "acupuncture": {"rationale": ac.rationale if ac else "", "foot_points": ac.foot_points if ac else "",
                            "source": ac.source if ac else ""},
            "rows": rows}
