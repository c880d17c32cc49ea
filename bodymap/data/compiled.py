"""The built-in catalog compiled ahead of time: validated once by `tools/build_catalog.py`, loaded with no YAML.

Parsing and validating 44 YAML documents took about half a second at every process start. The
compiled file holds the same validated values as plain JSON (each model as a mapping of the fields
its source set, tagged with its class), plus the package version and a digest of the source files.
Loading rebuilds the frozen models without validating them again (they were validated when the file
was built), and refuses, in one line, a file built for another version or from other sources.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bodymap._version import __version__
from bodymap.core.errors import DataError
from bodymap.data import models

COMPILED_PATH = Path(__file__).with_name("catalog.compiled.json")
REBUILD = "python tools/build_catalog.py"
FORMAT = 1
_CLASS_KEY = "$model"
# The catalog's parts, in the order they are written, and the files they are read from.
PARTS = ("complaints", "acupoints", "meridians", "muscles", "acupuncture", "dry_needling", "danger_zones", "comparison", "safety")


def source_files(data: Path) -> list[Path]:
    """Every file the built-in catalog is read from (handout.yaml is the documents', not the catalog's)."""
    top = [data / name for name in ("complaints.yaml", "acupoints.yaml", "meridians.yaml", "muscles.yaml",
                                    "danger-zones.yaml", "comparison.yaml", "safety.yaml")]
    plans = sorted(data.glob("acupuncture/*.yaml")) + sorted(data.glob("dry-needling/*.yaml"))
    return [p for p in top if p.exists()] + plans


def source_digest(data: Path) -> str:
    """SHA-256 over the source files' names and bytes: any edit, addition or removal changes it."""
    digest = hashlib.sha256()
    for path in source_files(data):
        digest.update(path.relative_to(data).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        # Only the fields the source set: loading fills the defaults, as validation did.
        fields = {name: _plain(getattr(value, name)) for name in type(value).model_fields if name in value.model_fields_set}
        return {_CLASS_KEY: type(value).__name__, **fields}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def dumps(parts: Mapping[str, Any], data: Path) -> str:
    """The compiled file's text for a validated catalog's parts (deterministic: the same data, the same bytes)."""
    body = {"format": FORMAT, "version": __version__, "sources": source_digest(data),
            "rebuild": REBUILD, "catalog": {name: _plain(parts[name]) for name in PARTS}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"


class _Builder:
    """Frozen models from their plain fields, without validating again (the build validated them)."""

    def __init__(self) -> None:
        self.classes: dict[str, tuple[type[BaseModel], dict[str, Any], dict[str, type[Enum]]]] = {}

    def _class(self, name: str) -> tuple[type[BaseModel], dict[str, Any], dict[str, type[Enum]]]:
        if name not in self.classes:
            cls = getattr(models, name, None)
            if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
                raise DataError(f"{COMPILED_PATH.name}: unknown model {name!r}; rebuild it with `{REBUILD}`")
            defaults = {n: f.get_default(call_default_factory=True) for n, f in cls.model_fields.items()}
            # Fields typed as a vocabulary Enum hold its member after validation; the file holds the string.
            enums = {n: f.annotation for n, f in cls.model_fields.items()
                     if isinstance(f.annotation, type) and issubclass(f.annotation, Enum)}
            self.classes[name] = (cls, defaults, enums)
        return self.classes[name]

    def build(self, value: Any) -> Any:
        if isinstance(value, list):
            return tuple(self.build(v) for v in value)
        if not isinstance(value, dict):
            return value
        if _CLASS_KEY not in value:
            return {k: self.build(v) for k, v in value.items()}
        cls, defaults, enums = self._class(value[_CLASS_KEY])
        given = {k: self.build(v) for k, v in value.items() if k != _CLASS_KEY}
        for n, enum in enums.items():
            if n in given:
                given[n] = enum(given[n])
        # What model_construct does, in field order, minus its per-call alias and default lookups.
        obj = cls.__new__(cls)
        object.__setattr__(obj, "__dict__", {n: given.get(n, d) for n, d in defaults.items()})
        object.__setattr__(obj, "__pydantic_fields_set__", set(given))
        object.__setattr__(obj, "__pydantic_extra__", None)
        object.__setattr__(obj, "__pydantic_private__", None)
        return obj


def load_parts(data: Path, path: Path = COMPILED_PATH) -> dict[str, Any]:
    """The catalog's parts from the compiled file; a missing, broken or stale file is a one-line DataError."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path.name}: cannot read the compiled catalog ({exc}); rebuild it with `{REBUILD}`") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT or body.get("version") != __version__:
        found = body.get("version") if isinstance(body, dict) else None
        raise DataError(f"{path.name}: built for bodymap {found!r}, this is {__version__}; rebuild it with `{REBUILD}`")
    if body.get("sources") != source_digest(data):
        raise DataError(f"{path.name}: stale, the files in {data} changed since it was built; rebuild it with `{REBUILD}`")
    builder = _Builder()
    return {name: builder.build(body["catalog"][name]) for name in PARTS}
