"""The command line: list, export in each format, and one-line errors that change nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


# --- issue 15: safe output, one-line errors, no silent surprises ------------------------------

def _one_line_error(result_or_text, *fragments):
    err = result_or_text if isinstance(result_or_text, str) else result_or_text.stderr
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bodymap: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], err
    return lines[0]


def _cli(*args, stdout=subprocess.PIPE):
    return subprocess.run([sys.executable, "-m", "bodymap.cli", *args], stdout=stdout, stderr=subprocess.PIPE, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize("name, magic", [("x.png", b"\x89PNG"), ("x.PDF", b"%PDF"), ("x.json", b"{"), ("x.txt", b"<svg")])
def test_format_follows_the_suffix_when_f_is_not_given(run, tmp_path, name, magic):
    assert run("export", "low-back-pain", "--dpi", "40", "-o", str(tmp_path / name)).exit_code == 0
    assert (tmp_path / name).read_bytes().startswith(magic)


@pytest.mark.parametrize("fmt, name", [("svg", "x.png"), ("json", "x.pdf"), ("png", "x.svg"), ("handout", "x.json")])
def test_a_suffix_that_contradicts_f_is_refused(run, tmp_path, fmt, name):
    result = run("export", "low-back-pain", "-f", fmt, "-o", str(tmp_path / name))
    assert result.exit_code == 2
    _one_line_error(result, f"-f {fmt}", Path(name).suffix)
    assert list(tmp_path.iterdir()) == []


def test_trailing_slash_means_a_folder(run, tmp_path):
    result = run("export", "neck-pain", "-f", "json", "-o", f"{tmp_path / 'out'}/")
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["neck-pain.json"]


@pytest.mark.parametrize("fmt", ["svg", "png", "json"])
def test_paper_with_a_format_without_pages_is_refused(run, tmp_path, fmt):
    result = run("export", "low-back-pain", "-f", fmt, "--paper", "a3", "-o", str(tmp_path / f"x.{fmt}"))
    assert result.exit_code == 2
    _one_line_error(result, "--paper does not apply to", fmt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/null").is_char_device(), reason="needs /dev/null")
def test_a_device_is_written_in_place_never_replaced(run):
    result = run("export", "low-back-pain", "-f", "json", "-o", "/dev/null")
    assert result.exit_code == 0 and "written in place" in result.stderr
    assert Path("/dev/null").is_char_device()


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
def test_a_full_device_is_a_one_line_error(run):
    result = run("export", "low-back-pain", "-f", "json", "-o", "/dev/full")
    assert result.exit_code == 2
    _one_line_error(result, "cannot write /dev/full")
    assert Path("/dev/full").is_char_device()


def test_a_fifo_is_written_in_place_or_refused_without_a_reader(run, tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", "low-back-pain", "-f", "json", "-o", str(fifo))
    assert result.exit_code == 2
    _one_line_error(result, "no process is reading")
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        for _ in range(200):  # wait until the reader has the FIFO open
            result = run("export", "low-back-pain", "-f", "json", "-o", str(fifo))
            if result.exit_code == 0:
                break
            threading.Event().wait(0.02)
    finally:
        if reader.is_alive() and result.exit_code != 0:
            with open(fifo, "wb"):
                pass
        reader.join(10)
    assert result.exit_code == 0 and json.loads(received[0])["complaint"]["id"] == "low-back-pain"
    assert fifo.is_fifo()


def test_a_symlink_is_followed_and_stays_a_symlink(run, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = run("export", "low-back-pain", "-o", str(link))
    assert result.exit_code == 0 and "through the symlink" in result.stderr
    assert link.is_symlink() and json.loads(real.read_text())["complaint"]["id"] == "low-back-pain"


def test_an_overwritten_file_keeps_its_mode_and_a_new_one_follows_the_umask(run, tmp_path):
    import os

    old = tmp_path / "old.svg"
    old.write_text("x", encoding="utf-8")
    old.chmod(0o604)
    previous = os.umask(0o027)
    try:
        assert run("export", "low-back-pain", "-o", str(old)).exit_code == 0
        assert run("export", "low-back-pain", "-o", str(tmp_path / "new.svg")).exit_code == 0
    finally:
        os.umask(previous)
    assert old.read_text(encoding="utf-8").startswith("<svg") and (old.stat().st_mode & 0o777) == 0o604
    assert (tmp_path / "new.svg").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.svg", "old.svg"]  # no temporary file left


@pytest.mark.parametrize("output, fragment", [("existing-file", "is not a folder"),
                                              ("/sys/bodymap-test-dir", "/sys/bodymap-test-dir")])
def test_all_into_something_that_is_not_a_folder_is_one_line(run, tmp_path, monkeypatch, output, fragment):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing-file").write_text("keep", encoding="utf-8")
    result = run("export", "--all", "-f", "json", "-o", output)
    assert result.exit_code == 2
    _one_line_error(result, fragment)
    assert (tmp_path / "existing-file").read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["export", "low-back-pain", "-f", "json", "-o", "-"], ["list"]])
def test_standard_output_full_or_closed_is_one_line(args):
    with open("/dev/full", "wb") as full:
        done = _cli(*args, stdout=full)
    assert done.returncode == 2
    _one_line_error(done.stderr, "standard output", "No space left")
    closed = subprocess.run(["bash", "-c", 'exec "$@" >&-', "-", sys.executable, "-m", "bodymap.cli", *args],
                            capture_output=True, text=True, timeout=120, check=False)
    assert closed.returncode == 2
    _one_line_error(closed.stderr, "standard output is closed")


@pytest.mark.parametrize("source", ["/dev/zero", "fifo", "folder"])
def test_data_must_be_a_regular_file(tmp_path, source):
    import os

    if source == "fifo":
        os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    path = source if source.startswith("/") else str(tmp_path / source)
    done = _cli("list", "--data", path)  # a FIFO must not block: the timeout would fail the test
    assert done.returncode == 2
    _one_line_error(done.stderr, "not a regular file")


def test_data_read_is_bounded(run, tmp_path):
    from bodymap.data.catalog import MAX_FILE_BYTES

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    result = run("list", "--data", str(big))
    assert result.exit_code == 2
    _one_line_error(result, f"larger than the limit of {MAX_FILE_BYTES:,} bytes")


def test_duplicate_yaml_keys_are_refused_with_file_line_and_key(run, tmp_path):
    bad = tmp_path / "dup.yaml"
    bad.write_text("complaints:\n  - id: jaw\n    name: Jaw\n    summary: One.\n    name: Jaw again\n", encoding="utf-8")
    result = run("list", "--data", str(bad))
    assert result.exit_code == 2
    _one_line_error(result, "dup.yaml", "line 5", "duplicate key 'name'")


def test_a_long_value_is_cut_in_the_message(run, tmp_path):
    number = "9" * 309
    bad = tmp_path / "long.yaml"
    bad.write_text(f"complaints:\n  - id: jaw\n    name: Jaw\n    summary: One.\n    {number}: 1\n", encoding="utf-8")
    for result in (run("list", "--data", str(bad)), run("export", number, "-o", "-")):
        assert result.exit_code == 2
        line = _one_line_error(result)
        assert number not in line and "9" * 61 not in line and "characters)" in line and len(line) < 400, line


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root may write any file")
def test_a_read_only_file_is_not_replaced(run, tmp_path):
    locked = tmp_path / "locked.svg"
    locked.write_text("keep", encoding="utf-8")
    locked.chmod(0o444)
    result = run("export", "low-back-pain", "-o", str(locked))
    assert result.exit_code == 2
    _one_line_error(result, "permission denied")
    assert locked.read_text(encoding="utf-8") == "keep"


def test_dev_stdout_to_a_pipe_is_written_in_place():
    done = _cli("export", "low-back-pain", "-f", "json", "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["complaint"]["id"] == "low-back-pain"
    assert "written as the stream" in done.stderr
