"""The import contract and size limits of bodymap's layers, as written once in pyproject.toml's import-linter contract."""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from tools.layers import DESIGN, SCRIPT, contract_layers, design_block, module_path, package_drawing

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bodymap"
# Bottom to top: a module may import modules of its own layer or of a lower one, never a higher one.
LAYERS = [tuple(layer) for layer in reversed(contract_layers())]
FRONT_END = next(rank for rank, layer in enumerate(LAYERS) if "bodymap.api" in layer)
MAX_FUNCTION_LINES = 60


def dotted(path: Path) -> str:
    """`bodymap.layout.labels` for bodymap/layout/labels.py, `app` for app.py."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def rank_of(name: str) -> int | None:
    """The layer of a dotted module name; `bodymap` itself (its `__init__`) is a front end, app.py tops them all."""
    if name == SCRIPT:
        return len(LAYERS)
    if name == "bodymap":
        return FRONT_END
    for rank, layer in enumerate(LAYERS):
        if any(name == m or name.startswith(m + ".") for m in layer):
            return rank
    return None


def layer_name(rank: int) -> str:
    return " : ".join(LAYERS[rank]) if rank < len(LAYERS) else f"{SCRIPT}.py"


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def app_modules() -> list[Path]:
    return [ROOT / f"{SCRIPT}.py", *sorted((ROOT / "bodymap_app").rglob("*.py"))]


def _is_module(name: str) -> bool:
    return module_path(name).exists() or (ROOT.joinpath(*name.split(".")) / "__init__.py").exists()


def imported(path: Path) -> set[str]:
    """The project modules a file imports, anywhere in it (lazy imports inside functions count too)."""
    out: set[str] = set()
    here = dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            if rank_of(module) is not None:
                out.add(module)
                out.update(f"{module}.{a.name}" for a in node.names if _is_module(f"{module}.{a.name}"))
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if rank_of(a.name) is not None)
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
    unplaced = [dotted(p) for p in modules() + app_modules() if rank_of(dotted(p)) is None]
    assert not unplaced, f"add these modules to a layer of the import-linter contract in pyproject.toml: {unplaced}"


def upward_imports(path: Path) -> dict[str, str]:
    own = rank_of(dotted(path))
    assert own is not None
    return {m: layer_name(r) for m in imported(path) if (r := rank_of(m)) is not None and r > own}


@pytest.mark.parametrize("path", modules() + app_modules(), ids=dotted)
def test_no_module_imports_a_higher_layer(path):
    upward = upward_imports(path)
    assert not upward, f"{dotted(path)} ({layer_name(rank_of(dotted(path)))}) imports higher layers: {upward}"


def test_the_check_catches_an_upward_import(monkeypatch):
    """The check above can fail: relative, absolute, app-level and `from bodymap import` upward imports are caught."""
    bad = PACKAGE / "scene" / "build.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: (
        "from ..backends.svg import render_svg\nimport bodymap.documents.handout\n"
        "from bodymap_app.cards import *\nfrom bodymap import __version__\n"))
    assert set(upward_imports(bad)) == {"bodymap.backends.svg", "bodymap.documents.handout", "bodymap_app.cards", "bodymap"}


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the tree at root (its pyproject.toml, its packages first on the path)."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is missing: pip install -e '.[test]' installs import-linter")
    return subprocess.run([exe, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})


def test_lint_imports_keeps_the_contract():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 kept, 0 broken" in done.stdout


def test_lint_imports_fails_on_an_upward_import(tmp_path):
    """A copy of the tree whose catalog imports the app: lint-imports must break the contract."""
    for name in ("bodymap", "bodymap_app"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "fonts"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    catalog = tmp_path / "bodymap" / "data" / "catalog.py"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\nfrom bodymap_app.cards import *  # noqa\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout and "bodymap.data.catalog -> bodymap_app.cards" in done.stdout, done.stdout[-3000:]


def test_design_md_draws_the_contract():
    block = design_block(DESIGN.read_text(encoding="utf-8"))
    assert block == package_drawing(), "docs/design.md's package drawing is stale: run python tools/layers.py"


def test_readme_lists_the_contract_layers_in_order():
    """Each row of the README's layer table names its layer's first module first (bottom to top)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| layer | subpackage |"):].split("\n\n", 1)[0].splitlines()[2:]
    firsts = [re.search(r"`([^`]+)`", row.split("|")[2]).group(1).rstrip("/") for row in table]
    expected = [str(module_path(layer[0]).relative_to(ROOT)) for layer in LAYERS]
    assert firsts == expected


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
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.name}: {long}"


def test_only_the_backends_import_drawing_libraries():
    for path in modules():
        libs = third_party(path) & {"svgwrite", "matplotlib", "reportlab", "streamlit"}
        if libs:
            assert (rank_of(dotted(path)) or 0) >= rank_of("bodymap.backends"), f"{dotted(path)} imports {libs}"


def _tool(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} is missing: pip install -e '.[test]' installs it")
    return exe


def test_ruff_finds_nothing():
    """The rules in pyproject.toml's [tool.ruff] (also run by .ci/run), so a finding shows in every pytest run."""
    done = subprocess.run([_tool("ruff"), "check", "--no-cache", "--output-format", "concise", "."], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_mypy_finds_nothing():
    """mypy over bodymap/ and bodymap_app/ as [tool.mypy] configures it (also run by .ci/run; .mypy_cache makes reruns quick)."""
    done = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
