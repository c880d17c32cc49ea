"""YAML text to Python values: libyaml's safe loader, duplicate keys refused, a user's file scanned for limits first.

A module of its own so that PyYAML is imported only when a YAML file is actually read: the
built-in catalog is compiled ahead of time (`bodymap.data.compiled`) and needs none.
"""

from __future__ import annotations

from typing import Any

import yaml

from bodymap.core.errors import DataError, clip, plain_reason
from bodymap.data.limits import MAX_DEPTH, MAX_NODES

try:  # the C loader is ~10x faster; fall back where libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


class _Refused(Exception):
    """Raised inside the YAML loader; `load` adds the file name."""


class _DataLoader(_Loader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing duplicate keys: a second value silently winning hides a typo."""

    def construct_mapping(self, node, deep=False):  # PyYAML's signature
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = self.construct_object(key_node)
                    if key in seen:
                        raise _Refused(f"line {key_node.start_mark.line + 1}: duplicate key {clip(key)!r}")
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _line(event: yaml.Event) -> int:
    """The 1-based line a YAML event starts on (0 when the parser gave no position)."""
    return event.start_mark.line + 1 if event.start_mark is not None else 0


def _scan_yaml(text: str) -> None:
    """Check a user's YAML on libyaml's event stream, before any value is built.

    Aliases can expand a 13 KB file into millions of values; libyaml composes nested
    collections recursively in C, so ~100,000 levels crash the process; every value costs
    ~10 us to compose. The event stream itself is flat and cheap, and stops at the first problem.
    """
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(f"line {_line(event)}: YAML anchors and aliases (&name, *name) are not "
                           "allowed in data files; write the values out")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"line {_line(event)}: values nested more than {MAX_DEPTH} deep; "
                               f"the limit is {MAX_DEPTH}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        elif not isinstance(event, yaml.ScalarEvent):
            continue
        nodes += 1
        if nodes > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES} values; the limit is {MAX_NODES} per file")


def load(text: str, name: str, *, user: bool = False) -> Any:
    """The values of a YAML document; `user` scans it for the limits first. Failures are one-line DataErrors."""
    try:
        if user:
            _scan_yaml(text)
        return yaml.load(text, Loader=_DataLoader)  # a safe loader
    except _Refused as exc:
        raise DataError(f"{name}: {exc}") from None
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError) as exc:  # ValueError: e.g. a 5,000-digit int
        raise DataError(f"{name}: not valid YAML: {plain_reason(exc)}") from None
