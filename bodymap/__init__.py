"""bodymap: see where dry-needling and acupuncture needles go, complaint by complaint.

`import bodymap` is cheap on purpose: the catalog, svgwrite and matplotlib load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bodymap._version import __version__

__all__ = ["render", "list_complaints", "BodymapError", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from bodymap.core.errors import BodymapError


def render(complaint: str, format: str = "svg", overlays: Any = None, **options: Any) -> str | bytes:
    """Render one complaint's diagram; see `bodymap.api.render` for the options."""
    from bodymap.api import render as _render

    return _render(complaint, format=format, overlays=overlays, **options)


def list_complaints(data: Any = None) -> list[tuple[str, str]]:
    """(id, name) of every complaint the catalog knows."""
    from bodymap.api import list_complaints as _list

    return _list(data)


def __getattr__(name: str) -> Any:
    if name == "BodymapError":
        from bodymap.core.errors import BodymapError

        return BodymapError
    raise AttributeError(f"module 'bodymap' has no attribute {name!r}")
