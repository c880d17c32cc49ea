"""Compile the built-in catalog: validate `assets/data/*.yaml` and write `bodymap/data/catalog.compiled.json`.

Run after any change to the catalog's YAML (or to the models, or the version):

    python tools/build_catalog.py

`tests/test_catalog.py` compares the committed file with a fresh build; bodymap refuses, in one
line naming this command, a compiled file that does not match the YAML it was built from.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bodymap.data.catalog import compile_builtin  # noqa: E402 - after the path is set
from bodymap.data.compiled import COMPILED_PATH  # noqa: E402


def main() -> int:
    text = compile_builtin(ROOT / "assets")
    old = COMPILED_PATH.read_text(encoding="utf-8") if COMPILED_PATH.exists() else None
    if old == text:
        print(f"{COMPILED_PATH.relative_to(ROOT)} is up to date")
        return 0
    COMPILED_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {COMPILED_PATH.relative_to(ROOT)} ({len(text.encode()) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
