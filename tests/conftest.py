"""Shared fixtures: the built-in catalog, the panels, and helpers to parse SVG."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bodymap.assets import assets_dir
from bodymap.catalog import load_catalog
from bodymap.geometry import load_panels

SVG_NS = "{http://www.w3.org/2000/svg}"
COMPLAINTS = (
    "low-back-pain",
    "neck-pain",
    "tension-headache",
    "shoulder-pain",
    "lateral-elbow-pain",
    "knee-osteoarthritis",
    "plantar-heel-pain",
    "sciatica",
)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def panels():
    return load_panels()


@pytest.fixture()
def assets_copy(tmp_path: Path) -> Path:
    """A writable copy of the assets folder, for tests that break a file on purpose."""
    target = tmp_path / "assets"
    shutil.copytree(assets_dir(), target)
    return target


def parse_svg(text: str) -> ET.Element:
    return ET.fromstring(text)


def layer_group(root: ET.Element, prefix: str, layer: str) -> ET.Element | None:
    for g in root.iter(f"{SVG_NS}g"):
        if g.get("id") == f"{prefix}-layer-{layer}":
            return g
    return None


def markers_in(group: ET.Element | None) -> list[ET.Element]:
    if group is None:
        return []
    return [g for g in group.iter(f"{SVG_NS}g") if "marker" in (g.get("class") or "").split()]
