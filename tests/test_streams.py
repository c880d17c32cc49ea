"""Output that never clobbers: the process's own streams are written as streams, short writes fail loudly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bodymap.cli import DPI_RANGE, SCALE_RANGE

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
EARLIER = "first line\nsecond line\n"


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "bodymap.cli", *args], timeout=120, check=False, **kwargs)


def _one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert text.endswith("\n") and text.count("\n") == 1 and "Traceback" not in text, text
    return text


@pytest.mark.parametrize("target", ["/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"])
def test_a_stream_name_appends_where_the_shell_opened_it_for_appending(tmp_path, target):
    log = tmp_path / "log.txt"
    log.write_text(EARLIER, encoding="utf-8")
    inode = log.stat().st_ino
    with open(log, "ab") as appending:  # what `>> log.txt` gives the command
        done = _cli("export", "neck-pain", "-f", "json", "-o", target, stdout=appending)
    assert done.returncode == 0, done.stderr
    assert log.stat().st_ino == inode  # the same file, not a replacement
    text = log.read_text(encoding="utf-8")
    assert text.startswith(EARLIER)
    assert json.loads(text[len(EARLIER):])["complaint"]["id"] == "neck-pain"
    assert b"as the stream" in done.stderr


def test_dev_stderr_is_the_stream_too(tmp_path):
    log = tmp_path / "err.txt"
    log.write_text(EARLIER, encoding="utf-8")
    with open(log, "ab") as appending:
        done = _cli("export", "neck-pain", "-f", "json", "-o", "/dev/stderr", stderr=appending)
    assert done.returncode == 0
    text = log.read_text(encoding="utf-8")
    assert text.startswith(EARLIER) and '"id": "neck-pain"' in text and text.endswith("written as the stream)\n")


def test_another_descriptor_and_a_link_to_a_stream_are_streams(tmp_path):
    log = tmp_path / "fd.txt"
    log.write_text(EARLIER, encoding="utf-8")
    link = tmp_path / "out.json"
    link.symlink_to("/dev/stdout")
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        done = _cli("export", "neck-pain", "-f", "json", "-o", f"/proc/self/fd/{fd}", pass_fds=(fd,))
        assert done.returncode == 0, done.stderr
        with open(log, "ab") as appending:
            via_link = _cli("export", "neck-pain", "-f", "json", "-o", str(link), stdout=appending)
    finally:
        os.close(fd)
    assert via_link.returncode == 0, via_link.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"  # the link was not replaced by a file
    text = log.read_text(encoding="utf-8")
    assert text.startswith(EARLIER) and text.count('"id": "neck-pain"') == 2


def test_a_closed_descriptor_is_one_line():
    done = _cli("export", "neck-pain", "-f", "json", "-o", "/proc/self/fd/97")
    assert done.returncode == 2 and "Bad file descriptor" in _one_line(done.stderr)


def test_a_regular_file_through_a_chain_of_links_is_replaced_and_the_links_stay(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    second.symlink_to(real)
    first.symlink_to(second)
    done = _cli("export", "neck-pain", "-f", "json", "-o", str(first))
    assert done.returncode == 0, done.stderr
    assert first.is_symlink() and second.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["complaint"]["id"] == "neck-pain"


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_a_pipe_closed_early_is_a_short_write_with_status_2(target):
    """`bodymap export neck-pain -f png -o - | head -c 10`: the PNG is larger than a pipe holds."""
    child = subprocess.Popen([sys.executable, "-m", "bodymap.cli", "export", "neck-pain", "-f", "png", "-o", target],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    head = child.stdout.read(10)
    child.stdout.close()
    stderr = child.stderr.read()
    assert child.wait(timeout=120) == 2
    assert head.startswith(b"\x89PNG")
    line = _one_line(stderr)
    assert "Broken pipe" in line and " of " in line and "bytes" in line


def test_escape_sequences_in_paths_are_echoed_escaped(tmp_path):
    osc = "\x1b]0;pwned\x07"
    done = _cli("export", "neck-pain", "-o", str(tmp_path / f"no{osc}such" / "x.svg"))
    data = _cli("list", "--data", str(tmp_path / f"{osc}.yaml"))
    for result in (done, data):
        assert result.returncode == 2
        line = _one_line(result.stderr)
        assert "\x1b" not in line and "\x07" not in line and "\\x1b]0;pwned\\x07" in line


@pytest.mark.parametrize("args", [["--dpi", "0"], ["--dpi", "-1"], ["--dpi", "100000"], ["--scale", "1e9"],
                                  ["--dpi", "nan"], ["--dpi", "many"], ["--no-such-option"], ["--scale"]])
def test_usage_errors_are_one_line(args):
    done = _cli("export", "neck-pain", "-f", "png", "-o", "-", *args)
    assert done.returncode == 2 and done.stdout == b""
    line = _one_line(done.stderr)
    assert line.startswith("bodymap: error: ") and "Usage" not in line


def test_help_states_the_enforced_ranges_and_the_cap_holds_them():
    text = _cli("export", "--help").stdout.decode()
    assert f"{DPI_RANGE[0]:g}-{DPI_RANGE[1]:g}" in text and f"{SCALE_RANGE[0]:g}-{SCALE_RANGE[1]:g}" in text
    assert "24 megapixels" in text
    # The top of each range either works or is refused by the pixel cap in one line, quickly.
    done = _cli("export", "neck-pain", "-f", "png", "-o", "-", "--dpi", f"{DPI_RANGE[1]:g}")
    assert done.returncode == 2 and "megapixel" in _one_line(done.stderr)


def test_the_largest_png_allowed_stays_under_about_300_mb():
    """The pixel cap, not the dpi range, bounds memory: the largest complaint PNG the cap allows.

    Measured as the peak over a process that has already drawn a small PNG (fonts and caches
    loaded, ~110 MB when run alone), so the test's environment does not count; alone, the whole
    process peaks near 280 MB.
    """
    from bodymap.backends.mpl import MAX_PIXELS

    code = ("import json, resource, sys, bodymap\n"
            "bodymap.render('tension-headache', format='png', dpi=96)\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "doc = json.loads(bodymap.render('tension-headache', format='json'))\n"
            f"dpi = 96 * ({MAX_PIXELS} / (doc['width'] * doc['height'])) ** 0.5 - 1\n"
            "png = bodymap.render('tension-headache', format='png', dpi=dpi)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before, len(png))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    added_kb, size = map(int, done.stdout.split())
    assert size > 1_000_000 and added_kb < 190 * 1024, added_kb
