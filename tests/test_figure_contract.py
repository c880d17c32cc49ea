"""The browser contract: figure.js selects the exported SVG by data-* attributes, and its CSS takes colours from the theme."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import bodymap
from bodymap.core.vocabulary import Layer, Therapy
from tools.build_css import SHEETS, colour_block, split

ROOT = Path(__file__).resolve().parents[1]
# The component's script: figure.js and the helpers figure.py puts before it (one module).
JS = "\n".join((ROOT / "bodymap_app" / name).read_text(encoding="utf-8") for name in ("zoom.js", "targets.js", "figure.js"))
SVG_NS = "{http://www.w3.org/2000/svg}"
# The only selector shapes the check below understands: tag, classes, one attribute (present or equal).
SIMPLE = re.compile(r"(?P<tag>[a-z]+)?(?P<classes>(?:\.[\w-]+)*)(?:\[(?P<attr>[\w-]+)(?:=\"(?P<value>[^\"]*)\")?\])?")
HEX = re.compile(r"#[0-9A-Fa-f]{3,8}\b")


def contract() -> dict[str, str]:
    """figure.js's `const SVG = {...}`: name -> selector."""
    block = re.search(r"^const SVG = \{\n(.*?)^\};", JS, re.S | re.M)
    assert block, "figure.js lost its `const SVG = {...}` block"
    pairs = re.findall(r"^\s*(\w+): (?:\"([^\"]*)\"|'([^']*)'),\s*$", block.group(1), re.M)
    assert len(pairs) == len([ln for ln in block.group(1).splitlines() if ln.strip()]), "one `name: \"selector\",` per line"
    return {name: dq or sq for name, dq, sq in pairs}


def matches(root: ET.Element, selector: str) -> list[ET.Element]:
    parsed = SIMPLE.fullmatch(selector)
    assert parsed and selector, f"{selector!r} is not tag.class[attr] or tag.class[attr=\"value\"]"
    classes = set(filter(None, parsed["classes"].split(".")))
    found = []
    for el in root.iter():
        tag = el.tag.removeprefix(SVG_NS)
        if parsed["tag"] and tag != parsed["tag"]:
            continue
        if not classes <= set((el.get("class") or "").split()):
            continue
        if parsed["attr"] and (el.get(parsed["attr"]) is None
                               or (parsed["value"] is not None and el.get(parsed["attr"]) != parsed["value"])):
            continue
        found.append(el)
    return found


@pytest.fixture(scope="module")
def exported() -> ET.Element:
    """The SVG as the app shows it: every layer on (chips hide groups in the browser)."""
    return ET.fromstring(bodymap.render("low-back-pain", "svg", overlays=Layer.values(), highlight=("BL40",)))


def filled(selector: str, root: ET.Element) -> list[str]:
    """The selector with its placeholder filled by values the export really carries."""
    if "THERAPY" in selector:
        return [selector.replace("THERAPY", t) for t in Therapy.values()]
    if "CODE" in selector:
        return [selector.replace("CODE", code) for code in ("BL40", "BL23")]
    if "ZONE" in selector:
        zones = [g.get("id") for g in root.iter(f"{SVG_NS}g") if "zone" in (g.get("class") or "").split()]
        assert zones, "the export has no zone to select"
        return [selector.replace("ZONE", zones[0])]
    return [selector]


def test_every_contract_selector_matches_the_exported_svg(exported):
    selectors = contract()
    assert {"marker", "layer", "therapyLabel", "codeMarker", "zone"} <= set(selectors)
    for name, selector in selectors.items():
        for concrete in filled(selector, exported):
            if name == "drawing":
                assert exported.get("class") == "bodymap" and concrete == "svg.bodymap"
                continue
            assert matches(exported, concrete), f"figure.js SVG.{name} = {concrete!r} matches nothing in the export"


def test_every_layer_group_is_selectable_by_its_data_layer(exported):
    layers = {g.get("data-layer") for g in matches(exported, contract()["layer"])}
    assert set(Layer.values()) <= layers
    for therapy in Therapy.values():
        markers = matches(exported, f'g.marker[data-therapy="{therapy}"]')
        # a caution ring is an acupuncture mark on the pregnancy-cautions layer
        assert markers and all(m.get("data-code") and m.get("data-layer") in (therapy, "pregnancy-cautions") for m in markers)


def test_the_contract_check_can_fail(exported):
    assert not matches(exported, 'g.label[data-therapy="cupping"]')
    with pytest.raises(AssertionError):
        matches(exported, 'g.label[id*="-label-"]')  # an id substring is outside the contract's grammar


def test_figure_js_uses_no_other_selector_on_the_svg():
    """Any literal selector outside `SVG` is for the component's own markup (.bm-*, table rows, buttons)."""
    literals = re.findall(r"\.(?:querySelector|querySelectorAll|closest)\(([\"'`])(.*?)\1\)", JS)
    assert literals, "the pattern found no selector: it must be broken"
    # the component's own markup, and Streamlit's (its sidebar button, found by data-testid)
    own = [sel for _, sel in literals if not re.match(r"(\.bm\b|\.bm-|tr\[|button|\[data-testid=)", sel)]
    assert not own, f"selectors on the SVG belong in figure.js's SVG contract: {own}"
    assert "[id*=" not in JS and "startsWith(\"layer-\")" not in JS


@pytest.mark.parametrize("sheet", list(SHEETS), ids=lambda p: p.name)
def test_the_app_css_colours_come_from_the_theme(sheet):
    parts = split(sheet.read_text(encoding="utf-8"))
    assert parts is not None, f"{sheet.name} lost its generated colour block"
    head, block, tail = parts
    assert block == colour_block(SHEETS[sheet]), f"{sheet.name}'s colours are stale: run python tools/build_css.py"
    assert not HEX.findall(head + tail), f"a colour in {sheet.name} outside the generated block: add it to theme.APP_COLOURS"
    used = set(re.findall(r"var\(--bm-([\w-]+)\)", head + tail))
    declared = set(re.findall(r"--bm-([\w-]+):", block))
    assert used and used <= declared, used - declared


def test_no_colour_literal_outside_the_theme():
    """bodymap/ and bodymap_app/ write colours only in core/theme.py (and figure.css's generated block)."""
    found = []
    for path in sorted([*(ROOT / "bodymap").rglob("*"), *(ROOT / "bodymap_app").rglob("*")]):
        if path.suffix not in (".py", ".js", ".css") or path == ROOT / "bodymap" / "core" / "theme.py":
            continue
        text = path.read_text(encoding="utf-8")
        if path in SHEETS:
            head, _, tail = split(text) or (text, "", "")
            text = head + tail
        found += [f"{path.relative_to(ROOT)}: {hit}" for hit in HEX.findall(text)]
    assert not found, found
