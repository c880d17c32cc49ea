"""The same picture from both backends: the SVG as Chromium draws it against the matplotlib PNG."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageFilter

import bodymap
from bodymap.scene.build import OVERLAYS

from .conftest import BROWSER_MARKS

pytestmark = BROWSER_MARKS
COMPLAINTS = [cid for cid, _ in bodymap.list_complaints()]


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def chromium_png(browser, svg: str, width: int, height: int) -> Image.Image:
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
        return Image.open(io.BytesIO(page.screenshot())).convert("L")
    finally:
        page.close()


def differing(a: Image.Image, b: Image.Image) -> float:
    """Share of pixels that differ by more than 60/255 after a 1.5 px blur of both."""
    blur = ImageFilter.GaussianBlur(1.5)
    return float((np.asarray(ImageChops.difference(a.filter(blur), b.filter(blur))) > 60).mean())


@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_svg_in_chromium_matches_the_png(browser, complaint):
    png = Image.open(io.BytesIO(bodymap.render(complaint, "png", list(OVERLAYS), dpi=96))).convert("L")
    svg = bodymap.render(complaint, "svg", list(OVERLAYS))
    shot = chromium_png(browser, svg, *png.size)
    assert differing(shot, png) <= 0.01


def test_the_comparison_sees_a_different_picture(browser):
    """It can fail: another complaint's PNG differs from this SVG by far more than 1 %."""
    png = Image.open(io.BytesIO(bodymap.render("neck-pain", "png", list(OVERLAYS), dpi=96))).convert("L")
    other = Image.open(io.BytesIO(bodymap.render("low-back-pain", "png", list(OVERLAYS), dpi=96))).convert("L").resize(png.size)
    assert differing(other, png) > 0.01
