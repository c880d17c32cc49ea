"""Write (or check) the JSON scene and SVG of every complaint for several overlay sets.

Speed work must not change the output. Run once before a change to record the outputs, and again
after it with `--check` to prove they are byte-identical:

    python benchmarks/snapshot.py /tmp/before            # record
    python benchmarks/snapshot.py /tmp/before --check    # compare, list every file that differs

The documents (handout, reference) are left out on purpose: they may change.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Five overlay sets: the app's default, each therapy alone with its own layers, everything, and
# the safety layers without labels (so the label-free layout is covered too).
OVERLAY_SETS = {
    "default": ("dry-needling", "acupuncture", "labels"),
    "dn-referral": ("dry-needling", "referral-zones", "labels"),
    "acu-meridians": ("acupuncture", "meridians", "labels"),
    "all": ("dry-needling", "acupuncture", "referral-zones", "meridians", "labels", "danger-zones",
            "pregnancy-cautions"),
    "safety-nolabels": ("dry-needling", "acupuncture", "danger-zones", "pregnancy-cautions"),
}
# A few variants of view, side and width, with the default overlays.
VARIANTS = {"all-views": {"view": "all"}, "left-400": {"side": "left", "page_width": 400}}


def outputs():
    """(file name, text) for every output compared."""
    from bodymap.api import list_complaints, render, render_atlas

    for cid, _ in list_complaints():
        for set_name, overlays in OVERLAY_SETS.items():
            for fmt in ("svg", "json"):
                yield f"{cid}.{set_name}.{fmt}", render(cid, fmt, list(overlays))
        for variant, options in VARIANTS.items():
            yield f"{cid}.{variant}.svg", render(cid, "svg", **options)
    for fmt in ("svg", "json"):
        yield f"atlas.{fmt}", render_atlas(fmt)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--check", action="store_true", help="compare with the recorded files instead of writing")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    differ = count = 0
    for name, text in outputs():
        count += 1
        path = args.folder / name
        if not args.check:
            path.write_text(text, encoding="utf-8")
            continue
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            differ += 1
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            print(f"DIFFERS {name} ({'missing' if old is None else 'changed'}, now {digest})")
    print(f"{count} outputs {'checked' if args.check else 'written'}; {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
