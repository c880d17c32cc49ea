"""The import contract and size limits of bodymap's layers (data -> geometry -> scene -> layout/draw -> backends -> front ends)."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bodymap"

# Bottom to top, by subpackage. A module may import modules of its own layer or of a lower one, never a higher
# one. The top-level modules (api, cli, output, sandbox, __init__) are the front ends; `_version` is base.
LAYERS = (
    ("core", {"_version"}),
    ("data", set()),
    ("figures", set()),
    ("content", set()),
    ("layout", set()),
    ("scene", set()),
    ("draw", set()),
    ("backends", set()),
    ("documents", set()),
    ("front ends", {"api", "cli", "output", "regions", "sandbox", "__init__", "__main__"}),
)
LAYER_RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}
TOP_RANK = {module: rank for rank, (_, modules) in enumerate(LAYERS) for module in modules}
MAX_FUNCTION_LINES = 60


def dotted(path: Path) -> str:
    """`bodymap.layout.labels` for bodymap/layout/labels.py."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 2 else parts)


def rank_of(name: str) -> int | None:
    """The layer of a dotted bodymap module name: its subpackage's, or its own for a top-level module."""
    parts = name.split(".")
    if len(parts) >= 2 and parts[1] in LAYER_RANK:
        return LAYER_RANK[parts[1]]
    return TOP_RANK.get(parts[1]) if len(parts) >= 2 else TOP_RANK["__init__"]


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The bodymap modules a file imports, anywhere in it (lazy imports inside functions count too)."""
    out: set[str] = set()
    here = dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            if module.startswith("bodymap"):
                out.add(module)
                out.update(f"{module}.{a.name}" for a in node.names if rank_of(f"{module}.{a.name}") is not None
                           and (PACKAGE.parent / f"{module}.{a.name}".replace(".", "/")).with_suffix(".py").exists())
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("bodymap."))
    return out


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
    unplaced = [dotted(p) for p in modules() if rank_of(dotted(p)) is None]
    assert not unplaced, f"add these modules to a layer in {__file__}: {unplaced}"


def upward_imports(path: Path) -> dict[str, str]:
    own = rank_of(dotted(path))
    assert own is not None
    return {m: LAYERS[r][0] for m in imported(path) if (r := rank_of(m)) is not None and r > own}


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_no_module_imports_a_higher_layer(path):
    upward = upward_imports(path)
    assert not upward, f"{dotted(path)} ({LAYERS[rank_of(dotted(path))][0]}) imports higher layers: {upward}"


def test_the_contract_catches_an_upward_import(tmp_path, monkeypatch):
    """The check above can fail: a scene-layer file importing a backend, relatively or not, is caught."""
    bad = PACKAGE / "scene" / "build.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: "from ..backends.svg import render_svg\nimport bodymap.documents.handout\n")
    assert upward_imports(bad) == {"bodymap.backends.svg": "backends", "bodymap.documents.handout": "documents"}


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_backend_modules_stay_thin(path):
    libs = third_party(path)
    if "svgwrite" in libs:
        assert code_lines(path) <= 250, f"{path.name}: a module that imports svgwrite has at most 250 code lines"
    if "matplotlib" in libs:
        assert code_lines(path) <= 350, f"{path.name}: a module that imports matplotlib has at most 350 code lines"


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_functions_fit_a_screen(path):
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.name}: {long}"


def test_only_the_backends_import_drawing_libraries():
    for path in modules():
        libs = third_party(path) & {"svgwrite", "matplotlib", "reportlab", "streamlit"}
        if libs:
            assert LAYERS[rank_of(dotted(path)) or 0][0] in ("backends", "documents", "front ends"), f"{dotted(path)} imports {libs}"
