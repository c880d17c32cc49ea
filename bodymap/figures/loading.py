"""The catalog a render uses: the built-in data, or it plus a user's file with every position checked."""

from __future__ import annotations

from pathlib import Path

from bodymap.core.errors import DataError
from bodymap.data.catalog import Catalog, load_catalog, load_custom, load_custom_text
from bodymap.figures.geometry import load_panels
from bodymap.figures.placement import check_sites


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
