"""The import contract and size limits of bodymap's layers (data -> geometry -> scene -> layout/draw -> backends -> front ends)."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bodymap"

# Bottom to top. A module may import modules of its own layer or of a lower one, never a higher one.
LAYERS = (
    ("base", {"errors", "assets", "textmetrics"}),
    ("data", {"models", "catalog", "search", "plans"}),
    ("geometry", {"geometry", "placement", "curves", "loading"}),
    ("content", {"scenetypes", "items", "headline"}),
    ("layout", {"theme", "layout", "labels", "declutter"}),
    ("scene", {"scene", "atlas"}),
    ("draw", {"drawlist"}),
    ("backends", {"render_svg", "render_mpl", "glyphs", "handout", "handout_content", "handout_pages", "handout_reference"}),
    ("front ends", {"api", "cli", "output", "sandbox", "__init__", "__main__"}),
)
RANK = {module: rank for rank, (_, modules) in enumerate(LAYERS) for module in modules}
MAX_FUNCTION_LINES = 60


def modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def imported(path: Path) -> set[str]:
    """The bodymap modules a file imports, anywhere in it (lazy imports inside functions count too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bodymap"):
            parts = node.module.split(".")
            out.update([parts[1]] if len(parts) > 1 else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names if a.name.startswith("bodymap."))
    return {m for m in out if (PACKAGE / f"{m}.py").exists()}


def third_party(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def code_lines(path: Path) -> int:
    """Lines holding code: not blank, not comments, not docstrings."""
    lines: set[int] = set()
    prev = None
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
        if tok.type in skip:
            continue
        starts_statement = prev is None or prev.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL)
        if not (tok.type == tokenize.STRING and starts_statement):
            lines.update(range(tok.start[0], tok.end[0] + 1))
        prev = tok
    return len(lines)


def test_every_module_has_a_layer():
    unplaced = [p.stem for p in modules() if p.stem not in RANK]
    assert not unplaced, f"add these modules to a layer in {__file__}: {unplaced}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.stem)
def test_no_module_imports_a_higher_layer(path):
    if path.stem not in RANK:
        pytest.skip("not placed yet (see test_every_module_has_a_layer)")
    upward = {m: LAYERS[RANK[m]][0] for m in imported(path) if RANK.get(m, -1) > RANK[path.stem]}
    assert not upward, f"{path.stem} ({LAYERS[RANK[path.stem]][0]}) imports higher layers: {upward}"


def test_the_contract_catches_an_upward_import(tmp_path):
    """The check above can fail: a scene-layer file importing a backend is caught."""
    bad = tmp_path / "scene.py"
    bad.write_text("from .render_svg import render_svg\n", encoding="utf-8")
    assert "render_svg" in imported(bad) and RANK["render_svg"] > RANK["scene"]


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.stem)
def test_backend_modules_stay_thin(path):
    libs = third_party(path)
    if "svgwrite" in libs:
        assert code_lines(path) <= 250, f"{path.name}: a module that imports svgwrite has at most 250 code lines"
    if "matplotlib" in libs:
        assert code_lines(path) <= 350, f"{path.name}: a module that imports matplotlib has at most 350 code lines"


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.stem)
def test_functions_fit_a_screen(path):
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.name}: {long}"


def test_only_the_backends_import_drawing_libraries():
    for path in modules():
        libs = third_party(path) & {"svgwrite", "matplotlib", "reportlab", "streamlit"}
        if libs:
            assert LAYERS[RANK.get(path.stem, 0)][0] in ("backends", "front ends"), f"{path.stem} imports {libs}"
