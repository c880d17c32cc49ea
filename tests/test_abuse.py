"""Hostile data files are refused cleanly within a CPU-time and a memory limit, by the CLI and the upload sandbox."""

from __future__ import annotations

import re
import resource
import subprocess
import sys

import pytest

from bodymap.core.errors import DataError
from bodymap.sandbox import load_upload

CPU_SECONDS = 2  # the kernel stops the child past this: a slow refusal fails the test
MEMORY = 300 * 1024 * 1024


def alias_bomb() -> str:
    """13 KB that PyYAML would expand to 50**3 values, and validation to far more work."""
    lines = ["a: &a [" + ", ".join(["x"] * 50) + "]"]
    for name, prev in (("b", "a"), ("c", "b"), ("d", "c")):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 50) + "]")
    lines.append("complaints: [*d]")
    return "\n".join(lines) + "\n"


def ten_thousand_sites() -> str:
    site = "      - {panel: body-anterior, from: chin}\n"
    return ("acupoints:\n  - code: EX-HN9\n    pinyin: Test\n    location: Somewhere\n"
            "    source: Test source 2024\n    sites:\n" + site * 10_000)


def blank_lines() -> str:
    return "\n" * 1_000_000


ABUSE = [
    ("bomb.yaml", alias_bomb(), "anchors and aliases"),
    ("sites.yaml", ten_thousand_sites(), "the limit is"),
    ("blank.yaml", blank_lines(), "empty"),
]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.mark.parametrize("name, text, reason", ABUSE, ids=[a[0] for a in ABUSE])
def test_cli_refuses_abuse_within_limits(tmp_path, name, text, reason):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size <= 1_000_000
    # A generous wall clock only guards against a hang; the CPU and memory limits do the judging.
    done = subprocess.run([sys.executable, "-m", "bodymap.cli", "list", "--data", str(path)], capture_output=True,
                          text=True, timeout=60, preexec_fn=_limits, check=False)
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])  # -24/-9 would be SIGXCPU/SIGKILL
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message and "MemoryError" not in message
    assert message.startswith(f"bodymap: error: {path}") or name in message
    assert reason in message


@pytest.mark.parametrize("name, text, reason", ABUSE, ids=[a[0] for a in ABUSE])
def test_upload_sandbox_refuses_abuse(name, text, reason):
    with pytest.raises(DataError) as info:
        load_upload(text.encode("utf-8"), name, seconds=10)  # 10 s: a busy test machine, not the target
    message = str(info.value)
    assert "\n" not in message and message.startswith(name) and reason in message


def test_a_blank_line_in_a_name_loads_as_one_line():
    text = ('complaints:\n  - id: blank-name\n    name: "Jaw\\n\\npain\\u2028now"\n'
            '    summary: "Line one\\n\\n![x](http://example.invalid/i.png)\\tend"\n')
    cat = load_upload(text.encode("utf-8"), "blank-name.yaml", seconds=10)
    complaint = cat.complaints["blank-name"]
    assert complaint.name == "Jaw pain now"
    assert complaint.summary == "Line one ![x](http://example.invalid/i.png) end"


VALID = b"complaints:\n  - {id: fine, name: Fine, summary: A valid complaint.}\n"


def test_sandbox_accepts_a_valid_file():
    assert load_upload(VALID, "fine.yaml", seconds=10).complaints["fine"].name == "Fine"


def test_sandbox_memory_limit_is_a_clean_refusal():
    with pytest.raises(DataError) as info:  # 8 MB: not even the interpreter's imports fit
        load_upload(VALID, "tiny-budget.yaml", memory=8 * 1024 * 1024, seconds=10)
    message = str(info.value)
    assert "\n" not in message and message.startswith("tiny-budget.yaml") and re.search("memory|MB", message)


def test_sandbox_time_limit_is_a_clean_refusal():
    with pytest.raises(DataError, match=r"took longer than 0\.01 s"):
        load_upload(b"complaints: []\n", "slow.yaml", seconds=0.01)
