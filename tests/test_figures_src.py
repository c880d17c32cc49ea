"""Figure sources: the drawings are data (assets/figures-src), the builder is code with few numbers,
and docs/design.md names the landmark vocabulary that vocabulary.yaml holds."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "assets" / "figures-src"
FIGURES = ROOT / "assets" / "figures"
FREE_NUMBERS = {0, 1, 2, 0.5, -1, 100}
MAX_NUMBERS = 300
# backticked words of the vocabulary section that are not landmark or measure names (rule keys, panel kinds)
RULE_WORDS = {"along", "shift", "from", "to", "t", "cun", "lateral", "lateral_measure", "body", "ear", "foot", "hand", "head"}


def numeric_literals(source: str) -> list[tuple[int, float]]:
    """(line, value) of every number written in Python source, with a leading minus folded in,
    except the few the limit does not count."""
    tree = ast.parse(source)
    negated = {id(n.operand) for n in ast.walk(tree)
               if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub) and isinstance(n.operand, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float, complex):
            value = -node.value if id(node) in negated else node.value
            if value not in FREE_NUMBERS:
                found.append((node.lineno, value))
    return found


def test_the_literal_counter_counts_what_it_should():
    found = numeric_literals("x = 0 + 1 + 2 + 0.5 - 1 + 100\ny = (-1, -2, 3.5, 1e-6, 100.0)\nflag = True\n")
    assert sorted(v for _line, v in found) == [-2, 1e-6, 3.5]


def test_tools_hold_at_most_300_numbers():
    per_file = {p.relative_to(ROOT).as_posix(): len(numeric_literals(p.read_text(encoding="utf-8")))
                for p in sorted((ROOT / "tools").rglob("*.py"))}
    assert sum(per_file.values()) <= MAX_NUMBERS, per_file


def test_every_source_file_is_a_mapping():
    files = sorted(SRC.glob("*.yaml"))
    assert {"body", "vocabulary", "checks", "ear", "feet", "hand-dorsum"} <= {p.stem for p in files}
    for path in files:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path.name


def _vocabulary() -> dict:
    return yaml.safe_load((SRC / "vocabulary.yaml").read_text(encoding="utf-8"))


def _expand_ranges(names: set[str], text: str) -> set[str]:
    """`t1` ... `t12` in the text stands for t1, t2, ..., t12."""
    for stem, first, last in re.findall(r"`([a-z]+)(\d+)` \.\.\. `\1(\d+)`", text):
        names |= {f"{stem}{i}" for i in range(int(first), int(last) + 1)}
    return names


def _wanted(entry: dict) -> set[str]:
    names = set(entry["midline"]) | set(entry["landmarks"]) | set(entry["measures"])
    if entry.get("vertebrae"):
        names |= {f"t{i}" for i in range(1, 13)} | {f"l{i}" for i in range(1, 6)} | {f"s{i}" for i in range(1, 5)}
    return names


def _vocabulary_section() -> str:
    doc = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    return doc.split("### Landmark vocabulary", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("pid", list(_vocabulary()))
def test_design_md_names_exactly_the_vocabulary_of_each_panel(pid):
    vocabulary = _vocabulary()
    paragraph = "\n".join(p for p in _vocabulary_section().split("\n\n") if f"(`{pid}`" in p)
    assert paragraph, f"docs/design.md has no vocabulary paragraph for {pid}"
    named = _expand_ranges(set(re.findall(r"`([^`]+)`", paragraph)), paragraph)
    wanted = _wanted(vocabulary[pid])
    named = {n for n in named if re.fullmatch(r"[a-z0-9-]+", n)} - RULE_WORDS - (set(vocabulary) - wanted)
    assert not wanted - named, f"{pid}: in vocabulary.yaml but not in docs/design.md: {sorted(wanted - named)}"
    assert not named - wanted, f"{pid}: in docs/design.md but not in vocabulary.yaml: {sorted(named - wanted)}"


def test_every_vocabulary_name_is_on_its_panel():
    import json

    for pid, entry in _vocabulary().items():
        panel = json.loads((FIGURES / f"{pid}.json").read_text(encoding="utf-8"))
        missing = _wanted(entry) - set(panel["landmarks"]) - set(panel["measures"])
        assert not missing, f"{pid}: {sorted(missing)}"
        for name, cun in entry["measures"].items():
            assert cun is None or panel["measures"][name]["cun"] == cun, (pid, name)


def test_a_vocabulary_name_the_panel_lacks_fails_the_build(tmp_path, monkeypatch):
    """The build refuses a figure that does not carry its vocabulary (the check can fail)."""
    pytest.importorskip("shapely")
    import sys

    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    build = __import__("build_figures")
    panel = build.rounded(build.hand_dorsum_panel())
    assert build.validate(panel) == []
    del panel["landmarks"]["first-web"]
    assert build.validate(panel) == ["hand-dorsum: missing landmark first-web"]
    sys.modules.pop("build_figures", None)


def test_the_wheel_ships_the_figures_and_not_their_sources():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped.get("assets/figures") == "bodymap/assets/figures"
    assert not any("figures-src" in src or src == "assets" for src in shipped)
    assert "assets" in config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]   # the sdist can rebuild them


def test_a_mistyped_source_stops_the_build_with_one_line(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    geometry = __import__("figure_geometry")
    spec = geometry.Spec({"t7": 300.0}, {"mid": lambda dx, y: (220.0 + dx, y)})
    assert spec.point({"mid": [-48.0, ["t7", 1.5]]}) == (172.0, 301.5)
    with pytest.raises(SystemExit, match=r"unknown level 'T7'"):
        spec.point({"mid": [-48.0, "T7"]})
    with pytest.raises(SystemExit, match=r"unknown point notation 'midd'"):
        spec.point({"midd": [-48.0, 3.0]})
    (tmp_path / "broken.yaml").write_text("a: [1, 2\n", encoding="utf-8")
    monkeypatch.setattr(geometry, "SRC", tmp_path)
    with pytest.raises(SystemExit) as stop:
        geometry.load("broken")
    assert str(stop.value).startswith("figures-src/broken.yaml: ") and "\n" not in str(stop.value)
