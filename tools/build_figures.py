#!/usr/bin/env python3
"""Generate the panel figure files `assets/figures/<panel-id>.json` from `assets/figures-src/*.yaml`.

This is a build-time tool: the runtime code (bodymap.figures.geometry) only reads the JSON it writes.
The format is the contract in docs/design.md; the landmark / measure vocabulary is
`assets/figures-src/vocabulary.yaml` (docs/design.md is checked against it by a test).

How the figures are made
------------------------
* Every number of the drawings lives in `assets/figures-src/`: control points, hand-placed
  landmarks, the measures, the anthropometric table. The construction is code: figure_geometry
  (splines, shapes, the point notation), figure_body (front and back), figure_profile (side view
  and head), figure_feet, figure_parts (ear, hand) and figure_checks (the validation below).
* The front and back views are one adult figure whose heights and breadths are fractions of
  stature H (Drillis & Contini 1966, as reproduced in Winter's *Biomechanics and Motor Control of
  Human Movement*). Each body part is a smooth shapely polygon (limbs are swept profiles of
  half-widths along a bent axis, the torso a profile of half-widths at landmark heights); the
  parts are unioned, then rounded with a morphological closing (`buffer(r).buffer(-r)`) so the
  armpits, the crotch and the neck read as soft anatomical junctions. Hands and feet are built
  separately, with a smaller rounding radius, so that fingers and toes stay separate.
* Landmarks are placed from the same numbers (joint centres, vertebral levels), so the views
  agree on every height. The side view (body-lateral) is the same figure in profile, facing +x,
  with the arm, hanging a little forward, as a second outline drawn over the trunk.
* The ear, foot, hand and head panels are drawn from hand-placed control points passed through a
  centripetal Catmull-Rom spline.
* Every panel is validated before it is written: the vocabulary is present, every landmark lies
  inside the silhouette, midline landmarks sit exactly on the midline, the midline levels run
  downwards, the pelvic plane is level, and the side view runs head to foot, faces +x, hides no
  trunk landmark behind the arm and shares its landmark heights with the front and back views.

Output is deterministic (coordinates rounded to 0.1, keys sorted): re-running gives the same bytes.

Usage:  python tools/build_figures.py [--out assets/figures] [--check]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the tools folder is not a package on the script path: these imports come after the path is set
from figure_body import body_panel  # noqa: E402
from figure_checks import validate, validate_across  # noqa: E402
from figure_feet import foot_dorsum_panel, foot_lateral_panel, foot_medial_panel, foot_plantar_panel  # noqa: E402
from figure_parts import ear_panel, hand_dorsum_panel  # noqa: E402
from figure_profile import head_panel, lateral_panel  # noqa: E402

__all__ = ["build_all", "main", "rounded", "to_json", "validate", "validate_across", "hand_dorsum_panel", "head_panel"]

# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _r(v: float) -> float:
    v = round(float(v), 1)
    return 0.0 if v == 0 else v


def rounded(panel: dict) -> dict:
    """Round every coordinate to 0.1 (and drop consecutive duplicates that rounding creates)."""

    def pts(seq):
        out = []
        for x, y in seq:
            p = [_r(x), _r(y)]
            if not out or out[-1] != p:
                out.append(p)
        return out

    p = dict(panel)
    p["outlines"] = [pts(o) for o in panel["outlines"]]
    p["details"] = [{**d, "points": pts(d["points"])} for d in panel["details"]]
    p["regions"] = {k: pts(v) for k, v in panel.get("regions", {}).items()}
    p["landmarks"] = {k: [_r(x), _r(y)] for k, (x, y) in panel["landmarks"].items()}
    return p


def to_json(panel: dict) -> str:
    text = json.dumps(panel, indent=1, sort_keys=True, ensure_ascii=False)
    # one [x, y] pair per line keeps the files readable and diffs small
    text = re.sub(r"\[\s+(-?[0-9.]+),\s+(-?[0-9.]+)\s+\]", r"[\1, \2]", text)
    return text + "\n"


PANELS = [lambda: body_panel("anterior"), lambda: body_panel("posterior"), lateral_panel, ear_panel,
          foot_lateral_panel, foot_medial_panel, foot_dorsum_panel, foot_plantar_panel, hand_dorsum_panel, head_panel]


def build_all() -> dict[str, dict]:
    return {p["id"]: p for p in (build() for build in PANELS)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "assets" / "figures"))
    ap.add_argument("--check", action="store_true", help="only check that the files on disk are up to date")
    args = ap.parse_args(argv)
    out = Path(args.out)
    built = {pid: rounded(panel) for pid, panel in build_all().items()}
    problems = [p for panel in built.values() for p in validate(panel)] + validate_across(built)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    texts = {pid: to_json(panel) for pid, panel in built.items()}
    if args.check:
        stale = [f"{pid}.json" for pid, text in texts.items()
                 if not (out / f"{pid}.json").exists() or (out / f"{pid}.json").read_text(encoding="utf-8") != text]
        if stale:
            print("out of date: " + ", ".join(stale) + " (run python tools/build_figures.py)", file=sys.stderr)
            return 1
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for pid, text in texts.items():
        (out / f"{pid}.json").write_text(text, encoding="utf-8")
        print(f"wrote {out / f'{pid}.json'} ({sum(len(o) for o in built[pid]['outlines'])} outline points, "
              f"{len(built[pid]['landmarks'])} landmarks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
