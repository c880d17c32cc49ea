"""The seams: one RenderOptions passed whole through every layer, one vocabulary, one format registry."""

from __future__ import annotations

import dataclasses
import json
import warnings

import pytest
from click.testing import CliRunner

import bodymap
from bodymap import api
from bodymap.cli import main
from bodymap.content.options import RenderOptions, render_options
from bodymap.core.errors import OptionError
from bodymap.core.vocabulary import Layer, Mode, Side, Therapy, View
from bodymap.data.catalog import load_catalog
from bodymap.documents.handout import readable
from bodymap.formats import FORMATS, Format
from bodymap_app import links


def test_a_scene_keeps_the_options_it_was_built_from():
    scene = api.scene_for("neck-pain", ["acupuncture"], view="both", side="left", page_width=400, label_size=13)
    assert scene.options == RenderOptions(("acupuncture",), "both", "left", None, (), 13.0, 400.0)
    assert dataclasses.replace(scene.options, label_size=14).page_width == 400.0


def test_the_handout_keeps_page_width_when_it_enlarges_the_labels():
    """readable() rebuilds the scene with larger labels; a scene built 400 wide must come back 400 wide."""
    scene = api.scene_for("neck-pain", page_width=400, side="left")
    assert scene.width == 400
    rebuilt = readable(scene, load_catalog(), (250.0, 350.0))  # a small box on paper: the labels must grow
    assert rebuilt.label_size > scene.label_size  # it did rebuild
    assert rebuilt.width == 400 and rebuilt.options.page_width == 400
    assert (rebuilt.view, rebuilt.side, rebuilt.overlays) == (scene.view, scene.side, scene.overlays)


def test_fixed_layout_warns_and_changes_nothing():
    with pytest.warns(DeprecationWarning, match="fixed_layout"):
        old = bodymap.render("sciatica", "json", fixed_layout=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # without the flag, nothing warns
        assert bodymap.render("sciatica", "json") == old


@pytest.mark.parametrize("bad, message", [({"view": "top"}, "unknown view 'top'"), ({"side": "up"}, "unknown side 'up'"),
                                          ({"overlays": ["x"]}, "unknown overlay 'x'"),
                                          ({"page_width": 10}, "page_width must be a number")])
def test_options_are_checked_once_with_one_line(bad, message):
    with pytest.raises(OptionError, match=message):
        render_options(**bad)


def test_the_vocabulary_is_the_strings_the_contracts_use():
    assert api.scene_for("neck-pain", list(Layer)).to_dict()["overlays"] == list(Layer.values())
    assert Therapy.DRY_NEEDLING == "dry-needling" and str(Therapy.ACUPUNCTURE) == "acupuncture"
    assert {m["therapy"] for m in json.loads(bodymap.render("neck-pain", "json"))["markers"]} == set(Therapy.values())
    assert View.values() == ("auto", "both", "posterior", "anterior", "lateral", "all")
    assert Side.values() == ("both", "left", "right") and Mode.SIDE_BY_SIDE.link_id == "side-by-side"
    # the app's link keys and labels come from it
    assert links.LAYERS["dry-needling"][:2] == ("dn", "Dry needling") and links.MODES["atlas"] == "Atlas"
    assert list(links.LAYERS) == list(Layer.values())


def test_every_format_is_registered_and_writes_its_suffix():
    assert set(api.FORMATS) == set(FORMATS) and set(api.ATLAS_FORMATS) == {n for n, f in FORMATS.items() if f.atlas}
    starts = {".svg": "<svg", ".png": b"\x89PNG", ".pdf": b"%PDF", ".json": "{"}
    for name in ("svg", "png", "pdf", "json"):
        out = bodymap.render("neck-pain", name)
        assert out.lstrip()[: len(starts[FORMATS[name].suffix])] == starts[FORMATS[name].suffix], name
    assert [d[0] for d in links.DOWNLOADS] == list(FORMATS)


def test_a_new_format_is_one_registry_entry(monkeypatch):
    """Registering a renderer is all it takes: render(), render_scene() and the CLI accept the format."""
    fmt = Format("headline", "Headline", ".txt", "text/plain", lambda scene, catalog, options: scene.headline + "\n")
    monkeypatch.setitem(FORMATS, "headline", fmt)
    text = bodymap.render("neck-pain", "headline")
    assert text.startswith("Dry needling:") and text == api.render_scene(api.scene_for("neck-pain"), "headline")
    result = CliRunner().invoke(main, ["export", "neck-pain", "-f", "headline", "-o", "-"])
    assert result.exit_code == 0 and result.output == text
    with pytest.raises(OptionError, match="unknown format 'gif'; valid: svg, png, pdf, handout, reference, json, headline"):
        bodymap.render("neck-pain", "gif")


# The words a plain string must not restate: every therapy and layer, the body views, the distal
# placement and the side-by-side mode. "left", "right", "both", "auto", "all" and "local" are left
# out: they are also ordinary words of the code (text alignment, "all" of a list).
VOCABULARY_WORDS = frozenset(Therapy.values() + Layer.values() + ("posterior", "anterior", "lateral", "distal")
                             + (Mode.SIDE_BY_SIDE.value,))
# (file, word): where the same spelling means something else, or a file another change owns now.
NOT_VOCABULARY = {
    ("bodymap/data/safety.py", "posterior"), ("bodymap/data/safety.py", "anterior"),  # directions of a needle,
    ("bodymap/data/safety.py", "lateral"),  # written as adverbs ("posteriorly"), not the figure's views
    ("bodymap/data/catalog.py", "meridians"), ("bodymap/data/compiled.py", "meridians"),  # the catalog's parts,
    ("bodymap/data/catalog.py", "acupuncture"), ("bodymap/data/compiled.py", "acupuncture"),  # named as its fields
    ("bodymap/figures/geometry.py", "posterior"), ("bodymap/figures/geometry.py", "anterior"),  # a drawing's view
    ("bodymap/figures/geometry.py", "lateral"),  # is one of a wider set (also medial, dorsum, plantar)
    ("app.py", "acupuncture"),  # the keys of api's complaint info (beside "dry_needling"), not a therapy compared
}


def _plain_vocabulary(path) -> list[tuple[int, str]]:
    """(line, word) of every string token in a Python file whose whole value is a vocabulary word."""
    import ast
    import io
    import tokenize

    out = []
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type == tokenize.STRING and not tok.string.lstrip("rRbBuU").startswith(("f", "F")):
            value = ast.literal_eval(tok.string)
            if isinstance(value, str) and value in VOCABULARY_WORDS:
                out.append((tok.start[0], value))
    return out


def test_no_vocabulary_word_is_restated_as_a_plain_string():
    """Therapies, layers, views and modes are compared as vocabulary members, so a renamed or added
    word is changed in one place; a plain "dry-needling" in the code outside vocabulary.py fails here."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    found = []
    for path in sorted([*root.joinpath("bodymap").rglob("*.py"), *root.joinpath("bodymap_app").rglob("*.py"), root / "app.py"]):
        rel = path.relative_to(root).as_posix()
        if rel == "bodymap/core/vocabulary.py":
            continue
        found += [f"{rel}:{line}: {word!r}" for line, word in _plain_vocabulary(path) if (rel, word) not in NOT_VOCABULARY]
    assert not found, "use bodymap.core.vocabulary instead of:\n" + "\n".join(found)


def test_the_vocabulary_check_finds_a_plain_word(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""A docstring that says dry-needling."""\nif layer == "dry-needling" or x == f"{y}":\n    pass\n')
    assert _plain_vocabulary(sample) == [(2, "dry-needling")]
