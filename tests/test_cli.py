"""The command line: list, export in each format, and one-line errors that change nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from bodymap.cli import main

from .conftest import COMPLAINTS, parse_svg


@pytest.fixture()
def run():
    runner = CliRunner()

    def _run(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return _run


def test_list_prints_ids_and_names(run):
    result = run("list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == list(COMPLAINTS)
    assert "Low back pain" in lines[0]


def test_export_svg_and_json(run, tmp_path):
    svg_path, json_path = tmp_path / "lbp.svg", tmp_path / "lbp.json"
    assert run("export", "low-back-pain", "--format", "svg", "-o", str(svg_path)).exit_code == 0
    assert run("export", "low-back-pain", "--format", "json", "-o", str(json_path)).exit_code == 0
    root = parse_svg(svg_path.read_text(encoding="utf-8"))
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    svg_marker_ids = {e.get("id") for e in root.iter() if "marker" in (e.get("class") or "").split()}
    assert svg_marker_ids == {m["id"] for m in doc["markers"]}


def test_overlay_option_selects_layers(run, tmp_path):
    out = tmp_path / "acu.json"
    assert run("export", "low-back-pain", "-f", "json", "--overlay", "acupuncture", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    assert {m["therapy"] for m in doc["markers"]} == {"acupuncture"}


def test_stdout_output(run):
    result = run("export", "neck-pain", "-f", "json", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["complaint"]["id"] == "neck-pain"


@pytest.mark.parametrize("args, fragment", [
    (["export", "gout", "-o", "x.svg"], "unknown complaint 'gout'; valid ids: low-back-pain"),
    (["export", "low-back-pain", "--overlay", "glitter", "-o", "x.svg"], "unknown overlay 'glitter'; valid: dry-needling"),
    (["export", "low-back-pain", "-f", "gif", "-o", "x.gif"], "unknown format 'gif'; valid: svg"),
    (["export", "low-back-pain", "-o", "/nonexistent-dir/x.svg"], "folder /nonexistent-dir does not exist"),
])
def test_bad_input_exits_nonzero_with_one_line_and_no_file(run, tmp_path, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and fragment in err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_target_leaves_nothing(run, tmp_path):
    # /sys refuses new files even to root, so this holds whoever runs the tests.
    result = run("export", "low-back-pain", "-o", "/sys/bodymap-test.svg")
    assert result.exit_code == 2
    assert "cannot write /sys/bodymap-test.svg" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not list(__import__("pathlib").Path("/sys").glob("*bodymap-test*"))


def test_write_failure_midway_leaves_no_partial_file(run, tmp_path, monkeypatch):
    import bodymap.api

    def explode(*args, **kwargs):
        raise bodymap.api.OptionError("simulated failure while rendering")

    monkeypatch.setattr(bodymap.api, "render", explode)
    result = run("export", "--all", "-f", "json", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "simulated failure" in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_export_all_writes_one_file_per_complaint(run, tmp_path):
    result = run("export", "--all", "--format", "json", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{c}.json" for c in COMPLAINTS)


def test_console_script_runs_in_a_subprocess(tmp_path):
    out = tmp_path / "lbp.svg"
    proc = subprocess.run([sys.executable, "-m", "bodymap.cli", "export", "low-back-pain", "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("<svg")


def test_example_data_file_adds_a_complaint(run, tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "assets" / "examples" / "jaw-pain.yaml"
    listing = run("list", "--data", str(example))
    assert listing.exit_code == 0 and "jaw-pain" in listing.output
    out = tmp_path / "jaw.json"
    assert run("export", "jaw-pain", "--data", str(example), "-f", "json", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    assert {m["code"] for m in doc["markers"] if m["therapy"] == "dry-needling"} >= {"mpt-angle"}


def test_malformed_data_file_is_refused_with_its_name(run, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("complaints:\n  - id: x\n    name: [not, text]\n    summary: y\n", encoding="utf-8")
    result = run("list", "--data", str(bad))
    assert result.exit_code == 2
    assert "broken.yaml: complaints: entry 1 ('x'): name" in result.stderr
