"""The matplotlib renderer: PNG and PDF bytes, sizes, determinism, hostile text, and parity with the SVG."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import shutil
import subprocess
import sys
import threading
import warnings
import xml.etree.ElementTree as ET

import pytest
from matplotlib.figure import Figure
from PIL import Image

import bodymap
from bodymap.api import scene_for
from bodymap.backends.mpl import draw_scene, drawn_items, printable, render_image
from bodymap.backends.svg import render_svg
from bodymap.content.options import RenderOptions
from bodymap.core.errors import OptionError
from bodymap.data.catalog import load_catalog
from bodymap.scene.build import LAYER_ORDER, OVERLAYS

SVG = "{http://www.w3.org/2000/svg}"
COMPLAINT = "low-back-pain"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = "<script>alert(1)</script> $x^2$ ]]> \x07 $\\frac{a}{b}$ & \U0001F600"

OVERLAY_SETS = {
    "default": None,
    "all": list(OVERLAYS),
    "dry-needling": ["dry-needling"],
    "acupuncture+meridians": ["acupuncture", "meridians"],
    "areas+cautions": ["referral-zones", "danger-zones", "pregnancy-cautions", "acupuncture", "labels"],
}


@pytest.fixture(scope="module")
def scene():
    return scene_for(COMPLAINT, overlays=list(OVERLAYS))


def pdftotext(data: bytes) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; text checks need it")
    return subprocess.run([exe, "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode("utf-8")


def image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


# --- PNG ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [96, 192])
def test_png_signature_and_pixel_size(scene, dpi):
    data = render_image(scene, "png", RenderOptions(dpi=dpi))
    assert data.startswith(PNG_SIGNATURE)
    img = image(data)
    # 96 dpi is one pixel per page unit, the SVG's own size.
    assert img.size == (round(scene.width * dpi / 96), round(scene.height * dpi / 96))


def test_png_is_opaque_white_by_default(scene):
    img = image(render_image(scene, "png", RenderOptions(dpi=48)))
    assert img.mode == "RGB"
    assert img.getpixel((0, 0)) == (255, 255, 255)
    colours = img.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # the figure is actually drawn


def test_transparent_png_has_alpha_and_clear_corners(scene):
    img = image(render_image(scene, "png", RenderOptions(dpi=48, transparent=True)))
    assert img.mode == "RGBA"
    w, h = img.size
    for corner in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)]:
        assert img.getpixel(corner)[3] == 0
    alpha = img.getchannel("A")
    assert alpha.getextrema() == (0, 255)  # opaque figure on a clear ground


def test_backend_takes_dpi_and_transparency_from_the_options_the_scene_was_built_with(scene):
    """Without options of its own the backend reads the scene's: the 48-dpi scene is a 48-dpi PNG."""
    built = dataclasses.replace(scene, options=RenderOptions(dpi=48, transparent=True))
    img = image(render_image(built, "png"))
    assert abs(img.width - scene.width / 2) <= 1 and abs(img.height - scene.height / 2) <= 1  # not 150 dpi
    assert img.mode == "RGBA"
    assert render_image(built, "png") == render_image(scene, "png", RenderOptions(dpi=48, transparent=True))


def test_png_colours_match_the_style(scene):
    """The markers are drawn in the Okabe-Ito colours the SVG uses."""
    img = image(render_image(scene, "png", RenderOptions(dpi=96))).convert("RGB")
    colours = {rgb for _, rgb in img.getcolors(maxcolors=1 << 20)}
    assert (0xD5, 0x5E, 0x00) in colours  # vermillion diamonds
    assert (0x00, 0x72, 0xB2) in colours  # blue acupuncture markers


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_is_vector_with_embedded_truetype_text(scene):
    data = render_image(scene, "pdf")
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # TrueType (fonttype 42), not Type 3 glyph procedures
    assert b"/Subtype /Type3" not in data
    assert b"/Subtype /Image" not in data  # nothing was rasterised
    box = [float(v) for v in data.split(b"/MediaBox [", 1)[1].split(b"]", 1)[0].split()]
    assert box[2:] == pytest.approx([scene.width * 0.75, scene.height * 0.75], abs=0.01)


def test_pdf_text_is_searchable(scene):
    text = pdftotext(render_image(scene, "pdf"))
    assert scene.complaint_name in text
    assert "not medical advice" in text
    assert "BL23" in text  # a label


# --- determinism --------------------------------------------------------------------------


def test_same_scene_same_bytes_in_process(scene):
    for fmt in ("png", "pdf"):
        assert render_image(scene, fmt, RenderOptions(dpi=72)) == render_image(scene, fmt, RenderOptions(dpi=72))


def test_same_bytes_in_another_process(scene):
    code = (
        "import hashlib, bodymap\n"
        f"for fmt in ('png', 'pdf'):\n"
        f"    print(hashlib.sha256(bodymap.render({COMPLAINT!r}, format=fmt, overlays={list(OVERLAYS)!r}, dpi=72)).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout.split()
    here = [hashlib.sha256(render_image(scene, fmt, RenderOptions(dpi=72))).hexdigest() for fmt in ("png", "pdf")]
    assert out == here


def test_threads_get_the_same_bytes(scene):
    expected = {fmt: render_image(scene, fmt, RenderOptions(dpi=48)) for fmt in ("png", "pdf")}
    results: list[tuple[str, bytes]] = []
    errors: list[BaseException] = []

    def work(fmt: str) -> None:
        try:
            results.append((fmt, render_image(scene, fmt, RenderOptions(dpi=48))))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(fmt,)) for fmt in ("png", "pdf") * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 6 and all(data == expected[fmt] for fmt, data in results)


# --- parity with the scene and the SVG ------------------------------------------------------


def svg_items(svg: str, prefix: str) -> dict[str, list[tuple[str, str]]]:
    """(id, class) of each item group directly inside each layer group of the SVG."""
    root = ET.fromstring(svg)
    out = {}
    for layer in LAYER_ORDER:
        for g in root.iter(f"{SVG}g"):
            if g.get("id") == f"{prefix}-layer-{layer}":
                # Items carry ids; the unnamed groups are the thin lines of marks set aside.
                out[layer] = [(c.get("id"), c.get("class") or "") for c in g if c.tag == f"{SVG}g" and c.get("id")]
    return out


@pytest.mark.parametrize("overlays", list(OVERLAY_SETS.values()), ids=list(OVERLAY_SETS))
@pytest.mark.parametrize("complaint", list(load_catalog().complaints))
def test_matplotlib_draws_what_the_scene_and_the_svg_hold(complaint, overlays):
    scene = scene_for(complaint, overlays=overlays)
    svg = svg_items(render_svg(scene), scene.id_prefix)
    for text_as_paths in (False, True):  # the PDF draws Text, the PNG glyph outlines
        drawn = drawn_items(scene, text_as_paths=text_as_paths)
        assert list(drawn) == [layer for layer in LAYER_ORDER if layer in scene.overlays]
        for layer, ids in drawn.items():
            expected = [item.id for item in scene.layer_items(layer)]
            assert ids == expected, layer
            assert [i for i, _ in svg[layer]] == expected, layer
    # The SVG's marker groups per layer, counted by class as a reader of the SVG would.
    for layer in ("dry-needling", "acupuncture", "pregnancy-cautions"):
        if layer in scene.overlays:
            in_svg = [c for _, c in svg[layer] if c.split()[0] == "marker"]
            marker_ids = [m.id for m in scene.markers if m.layer == layer]
            assert len(in_svg) == len(marker_ids) == len([i for i in drawn[layer] if i in set(marker_ids)])
    for layer, kind in (("referral-zones", "zone"), ("danger-zones", "zone"), ("meridians", "channel")):
        if layer in scene.overlays:
            assert len([c for _, c in svg[layer] if c.split()[0] == kind]) == len(drawn[layer])


def test_every_layer_is_exercised_somewhere():
    """The parity test above is only as good as the scenes: make sure they hold every kind."""
    seen = {layer: 0 for layer in LAYER_ORDER}
    for complaint in load_catalog().complaints:
        scene = scene_for(complaint, overlays=list(OVERLAYS))
        for layer in LAYER_ORDER:
            seen[layer] += len(scene.layer_items(layer))
    assert all(seen.values()), seen


def test_highlight_is_drawn(scene):
    plain = render_image(scene, "png", RenderOptions(dpi=48))
    lit = render_image(dataclasses.replace(scene, highlight=("BL23",)), "png", RenderOptions(dpi=48))
    assert plain != lit
    assert render_image(dataclasses.replace(scene, highlight=("no-such-point",)), "png", RenderOptions(dpi=48)) == plain


# --- hostile text -------------------------------------------------------------------------


def hostile_scene(scene):
    marker = dataclasses.replace(scene.markers[0], name=HOSTILE, title=HOSTILE, code=HOSTILE)
    label = dataclasses.replace(scene.labels[0], text=HOSTILE)
    return dataclasses.replace(scene, title=HOSTILE, subtitle=HOSTILE, markers=(marker, *scene.markers[1:]),
                               labels=(label, *scene.labels[1:]))


def test_hostile_text_renders_literally(scene):
    bad = hostile_scene(scene)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing-glyph or mathtext warnings either
        png = render_image(bad, "png", RenderOptions(dpi=48))
        pdf = render_image(bad, "pdf")
    assert png.startswith(PNG_SIGNATURE) and pdf.startswith(b"%PDF")
    text = pdftotext(pdf)
    assert "$x^2$" in text and "$\\frac{a}{b}$" in text  # not typeset as maths
    assert "<script>alert(1)</script>" in text and "]]>" in text


def test_printable_replaces_what_cannot_be_drawn():
    assert printable("a\x00b\x07c") == "a\ufffdb\ufffdc"
    assert printable("one\ntwo\t three") == "one two three"
    assert printable("$x$ <b>") == "$x$ <b>"
    assert printable("Shenshu 肾俞") == "Shenshu \ufffd\ufffd"  # DejaVu Sans has no CJK glyphs
    assert printable("Müller – ½ ° µ") == "Müller – ½ ° µ"


# --- API and options ----------------------------------------------------------------------


def test_render_api_gives_png_and_pdf():
    assert bodymap.render(COMPLAINT, format="png", dpi=40).startswith(PNG_SIGNATURE)
    assert bodymap.render(COMPLAINT, format="pdf").startswith(b"%PDF")


@pytest.mark.parametrize("fmt, dpi", [("gif", 96), ("PNG", 96), ("png", 0), ("png", -5), ("png", float("nan")),
                                      ("png", "96"), ("png", True), ("png", 1e6)])
def test_bad_options_raise_option_error(scene, fmt, dpi):
    with pytest.raises(OptionError):
        render_image(scene, fmt, RenderOptions(dpi=dpi))


def test_png_size_is_capped(scene):
    with pytest.raises(OptionError, match="megapixel"):
        render_image(scene, "png", RenderOptions(dpi=1200))


def test_draw_scene_on_a_small_axes_keeps_everything(scene):
    fig = Figure(figsize=(4, 4), dpi=50)
    ax = fig.add_axes((0.1, 0.1, 0.5, 0.5))
    drawn = draw_scene(ax, scene, header=False, notes=False)
    assert sum(len(v) for v in drawn.values()) == sum(len(scene.layer_items(layer)) for layer in scene.overlays)
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # y points down


def test_import_bodymap_does_not_import_matplotlib():
    code = ("import sys, bodymap; bodymap.render('low-back-pain'); bodymap.list_complaints(); "
            "print(any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
