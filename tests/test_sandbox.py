"""The upload sandbox runs only our code, answers in one JSON format, and judges by CPU time, not the clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bodymap import sandbox
from bodymap.core.errors import DataError
from bodymap.figures.loading import load_data_text
from bodymap.sandbox import load_upload

from .test_abuse import ABUSE
from .test_hardening import VALID as RICH

VALID = b"complaints:\n  - {id: fine, name: Fine, summary: A valid complaint.}\n"
PLANTED = '''import pathlib, sys
pathlib.Path({marker!r}).write_text("ran")
sys.stdout.write("ok\\n")
'''


def test_the_answer_is_json_of_the_validated_models_and_round_trips():
    data = json.dumps(RICH).encode()
    assert load_upload(data, "rich.json", seconds=10) == load_data_text(data.decode(), "rich.json")


def test_the_child_is_isolated_and_names_our_module_by_its_path():
    command = sandbox.child_command(sandbox.MEMORY_LIMIT, sandbox.CPU_LIMIT)
    assert command[:3] == [sys.executable, "-I", "-c"]
    assert Path(command[-1]) == Path(sandbox.__file__).resolve() and Path(command[-2]).is_dir()


def test_a_planted_bodymap_in_the_working_folder_is_never_run(tmp_path, monkeypatch):
    marker = tmp_path / "planted-ran"
    for folder in (tmp_path / "bodymap", tmp_path / "empty" / "bodymap"):
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text(PLANTED.format(marker=str(marker)))
        (folder / "sandbox.py").write_text(PLANTED.format(marker=str(marker)))
    (tmp_path / "yaml.py").write_text(PLANTED.format(marker=str(marker)))  # a stdlib-or-dependency name
    (tmp_path / "pickle.py").write_text(PLANTED.format(marker=str(marker)))
    monkeypatch.chdir(tmp_path)  # the server's working folder
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # and on the path the old `python -m` child honoured
    cat = load_upload(VALID, "fine.yaml", seconds=10)
    assert cat.complaints["fine"].name == "Fine"
    assert not marker.exists()


@pytest.mark.parametrize("answer", [
    b"ok\n\x80\x04K\x01.",  # the old pickle answer
    b'{"format": "bodymap-upload-result", "version": 2, "status": "ok", "entries": {}, "cpu": 0.1}',
    b'{"format": "something-else", "version": 1, "status": "ok", "entries": {}, "cpu": 0.1}',
    b'{"format": "bodymap-upload-result", "version": 1, "status": "ok", "entries": {"surprise": []}, "cpu": 0.1}',
    b'{"format": "bodymap-upload-result", "version": 1, "status": "ok", "entries": [], "cpu": 0.1}',
    b"",
])
def test_the_parent_accepts_only_the_fixed_versioned_format(answer):
    with pytest.raises(DataError, match="no answer in its format"):
        sandbox._accept(answer, "x.yaml", 2.0)


def test_entries_in_the_answer_are_validated_again():
    answer = {"format": sandbox.RESULT_FORMAT, "version": 1, "status": "ok", "cpu": 0.1,
              "entries": {"complaints": [{"id": "Not A Slug", "name": "x", "summary": "y"}]}}
    with pytest.raises(DataError, match="x.yaml: complaints: entry 1"):
        sandbox._accept(json.dumps(answer).encode(), "x.yaml", 2.0)


def test_a_cpu_bound_child_is_stopped_by_its_cpu_limit(monkeypatch):
    spin = "import time\nend = time.process_time() + 30\nwhile time.process_time() < end: pass\n"
    real = sandbox.child_command
    # The limits of _BOOT, then a spin: the kernel's RLIMIT_CPU ends it, long before the clock's 60 s.
    boot = sandbox._BOOT.split("sys.path.insert")[0] + spin
    monkeypatch.setattr(sandbox, "child_command", lambda memory, cpu: [*real(memory, cpu)[:3], boot, *real(memory, cpu)[4:]])
    # The message tells the kernel's CPU stop from the wall clock's ("took longer than 60 s").
    with pytest.raises(DataError, match=r"took longer than 1 s of CPU time"):
        load_upload(VALID, "spin.yaml", seconds=1, wall=60)


def _burn() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def test_a_valid_file_is_accepted_while_two_cpu_bound_processes_run():
    burners = [_burn(), _burn()]
    try:
        time.sleep(0.2)
        assert all(b.poll() is None for b in burners)
        cat = load_upload(VALID, "busy.yaml")  # the default budget, as the app uses it
        assert cat.complaints["fine"].name == "Fine"
        for name, text, reason in ABUSE:  # hostile files are still refused, and by what they are
            started = time.monotonic()
            with pytest.raises(DataError, match=reason):
                load_upload(text.encode("utf-8"), name)
            assert time.monotonic() - started < sandbox.WALL_LIMIT
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def test_the_child_runs_in_an_empty_folder(monkeypatch, tmp_path):
    seen = {}
    real_run = subprocess.run

    def spy(*args, **kwargs):
        seen["cwd"] = kwargs["cwd"]
        seen["listing"] = os.listdir(kwargs["cwd"])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(sandbox.subprocess, "run", spy)
    monkeypatch.chdir(tmp_path)
    load_upload(VALID, "fine.yaml", seconds=10)
    assert seen["listing"] == [] and Path(seen["cwd"]) != tmp_path and not Path(seen["cwd"]).exists()
