#!/usr/bin/env python3
"""Preview the panel figures in assets/figures/*.json as PNGs, for checking them by eye.

Draws each panel the way a reviewer needs to see it: silhouette filled light grey, detail lines,
named regions (ear) in faint colours, landmarks as small dots with their names and B-cun measures
as thin lines labelled with their cun count.  Output: /tmp/figpreview/<panel-id>.png

Usage:
    python tools/preview_figures.py                      # every panel
    python tools/preview_figures.py ear foot-lateral     # some panels
    python tools/preview_figures.py body-anterior --crop 0 150 220 420 --scale 4 --no-labels
    python tools/preview_figures.py ear --no-regions --no-labels
    python tools/preview_figures.py body-anterior --sites --crop 140 30 300 230 --scale 6
        # --sites: overlay every acupoint / trigger point / referral zone of the built-in catalog,
        # resolved by bodymap.figures.placement, to check each against its location text
    python tools/preview_figures.py head-lateral --figures /tmp/built   # a build made with --out /tmp/built
    python tools/preview_figures.py --bodies --no-labels
        # the front, side and back views side by side at one scale (bodies.png), with the
        # shared landmark heights as faint horizontal lines, to compare the views
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "assets" / "figures"
OUT = Path("/tmp/figpreview")

REGION_COLOURS = ["#f4c7c3", "#c6dbef", "#c7e9c0", "#fdd0a2", "#dadaeb", "#fde0ef", "#d9f0d3", "#ffffcc", "#e0ecf4"]


def catalog_sites(panel_id: str):
    """(label, (x, y), kind) of every catalog site on a panel, patient's right side only, plus referral
    and danger-zone polygons as (label, [(x, y), ...], kind)."""
    import sys

    sys.path.insert(0, str(ROOT))
    from bodymap.data.catalog import load_builtin
    from bodymap.figures.geometry import load_panels
    from bodymap.figures.placement import resolve

    panels = load_panels(FIGURES)
    cat = load_builtin()
    points, zones = [], []
    for pt in cat.acupoints.values():
        for site in pt.sites:
            if site.panel == panel_id:
                points.append((pt.code, resolve(site, panels, pt.code), "acu"))
    for m in cat.muscles.values():
        points.extend((tp.id, resolve(site, panels, tp.id), "tp")
                      for tp in m.trigger_points for site in tp.sites if site.panel == panel_id)
        zones.extend((m.id, [resolve(s, panels, m.id) for s in area.points], "referral")
                     for area in m.referral if area.panel == panel_id)
        outline = [s for s in m.outline if s.panel == panel_id]
        if len(outline) > 2:
            zones.append((m.id, [resolve(s, panels, m.id) for s in outline], "outline"))
    for dz in cat.danger_zones:
        for area in dz.areas:
            if area.panel == panel_id:
                zones.append((dz.id, [resolve(s, panels, dz.id) for s in area.points], "danger"))
    return points, zones


def draw(panel: dict, path: Path | None, crop=None, scale: float = 1.6, labels: bool = True, regions: bool = True,
         sites: bool = False, ax=None) -> None:
    x0, y0, x1, y1 = crop or (0, 0, panel["width"], panel["height"])
    fig = None
    if ax is None:
        fig = plt.figure(figsize=((x1 - x0) / 100 * scale, (y1 - y0) / 100 * scale))
        ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)
    ax.set_aspect("equal")
    ax.axis("off")
    for outline in panel["outlines"]:
        xs, ys = zip(*outline, strict=True)
        ax.fill(xs, ys, facecolor="#e6e6e6", edgecolor="#444444", linewidth=1.1, joinstyle="round")
    for i, (name, pts) in enumerate(sorted(panel.get("regions", {}).items()) if regions else []):
        xs, ys = zip(*pts, strict=True)
        ax.fill(xs, ys, facecolor=REGION_COLOURS[i % len(REGION_COLOURS)], edgecolor="none", alpha=0.75)
        if labels:
            cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
            ax.text(cx, cy, name, fontsize=5, color="#555555", ha="center", va="center", alpha=0.8)
    for d in panel.get("details", []):
        pts = d["points"] + ([d["points"][0]] if d.get("closed") else [])
        xs, ys = zip(*pts, strict=True)
        ax.plot(xs, ys, color="#777777", linewidth=0.8, solid_capstyle="round")
    draw_landmarks(ax, panel, labels)
    if sites:
        draw_sites(ax, panel["id"])
    if panel.get("midline_x") is not None:
        ax.axvline(panel["midline_x"], color="#2ca02c", linewidth=0.3, alpha=0.5)
    if fig is not None and path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=100)
        plt.close(fig)


def draw_landmarks(ax, panel: dict, labels: bool) -> None:
    """The panel's measures (as lines with their cun) and landmarks (as dots)."""
    lm = panel["landmarks"]
    for name, m in panel.get("measures", {}).items():
        (ax_, ay_), (bx, by) = lm[m["from"]], lm[m["to"]]
        ax.plot([ax_, bx], [ay_, by], color="#1f77b4", linewidth=0.6, alpha=0.8)
        if labels:
            ax.text((ax_ + bx) / 2, (ay_ + by) / 2, f"{name} ({m['cun']})", fontsize=4, color="#1f77b4", alpha=0.9)
    for name, (x, y) in lm.items():
        ax.plot([x], [y], "o", color="#d62728", markersize=2.0)
        if labels:
            ax.text(x + 1.5, y - 1.0, name, fontsize=4, color="#8b0000")


def draw_sites(ax, panel_id: str) -> None:
    """The catalog's points, trigger points and zones on a panel, over its drawing."""
    points, zones = catalog_sites(panel_id)
    for _name, poly, kind in zones:
        xs, ys = zip(*poly, strict=True)
        if kind == "outline":
            ax.plot(list(xs) + [xs[0]], list(ys) + [ys[0]], color="#b15928", linewidth=0.5, linestyle="--", alpha=0.7)
            continue
        colour = "#ff7f0e" if kind == "referral" else "#9467bd"
        ax.fill(xs, ys, facecolor=colour, edgecolor=colour, alpha=0.08, linewidth=0.4)
    for name, (x, y), kind in points:
        colour = "#1f4e9e" if kind == "acu" else "#d95f02"
        ax.plot([x], [y], "D" if kind == "tp" else "o", color=colour, markersize=2.4, alpha=0.9)
        ax.text(x + 1.2, y + 2.2, name, fontsize=4.5, color=colour)


# landmark heights every body view shares (the side view is built to match them)
SHARED_LEVELS = ("vertex", "tragus", "mandible-angle", "acromion", "lateral-epicondyle", "asis", "greater-trochanter",
                 "fingertip-level-thigh", "patella-base", "fibula-head", "lateral-malleolus")


def draw_bodies(panels: dict[str, dict], path: Path, scale: float, labels: bool, sites: bool) -> None:
    """The body views side by side at one scale, with the shared landmark levels drawn across."""
    order = [pid for pid in ("body-anterior", "body-lateral", "body-posterior") if pid in panels]
    widths = [panels[pid]["width"] for pid in order]
    height = max(panels[pid]["height"] for pid in order)
    fig = plt.figure(figsize=(sum(widths) / 100 * scale, height / 100 * scale))
    x = 0.0
    for pid, w in zip(order, widths, strict=True):
        ax = fig.add_axes([x / sum(widths), 0, w / sum(widths), 1])
        draw(panels[pid], None, None, scale, labels, True, sites, ax=ax)
        for name in SHARED_LEVELS:
            if name in panels[pid]["landmarks"]:
                ax.axhline(panels[pid]["landmarks"][name][1], color="#1f77b4", linewidth=0.3, alpha=0.35)
        ax.set_ylim(height, 0)
        x += w
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("panels", nargs="*", help="panel ids (default: all)")
    ap.add_argument("--crop", nargs=4, type=float, metavar=("X0", "Y0", "X1", "Y1"))
    ap.add_argument("--scale", type=float, default=1.6, help="pixels per panel unit")
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--no-regions", action="store_true", help="line art only (no region fills)")
    ap.add_argument("--sites", action="store_true", help="overlay the catalog's points, trigger points and zones")
    ap.add_argument("--bodies", action="store_true", help="only the body views side by side (bodies.png)")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--figures", default=str(FIGURES), help="folder of panel files, e.g. a build made with --out")
    args = ap.parse_args(argv)
    files = sorted(Path(args.figures).glob("*.json"))
    if args.bodies:
        panels = {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in files if f.stem.startswith("body-")}
        name = "bodies" + ("-sites" if args.sites else "") + ".png"
        draw_bodies(panels, Path(args.out) / name, args.scale, not args.no_labels, args.sites)
        return 0
    for f in files:
        panel = json.loads(f.read_text(encoding="utf-8"))
        if args.panels and panel["id"] not in args.panels:
            continue
        suffix = ("-crop" if args.crop else "") + ("-sites" if args.sites else "")
        target = Path(args.out) / f"{panel['id']}{suffix}.png"
        draw(panel, target, args.crop, args.scale, not args.no_labels, not args.no_regions, args.sites)
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
