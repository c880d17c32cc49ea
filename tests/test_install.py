"""The wheel carries its data: install it into a fresh venv and export from there."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_exports_in_a_fresh_venv(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git to copy the tracked tree")
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
                           capture_output=True, text=True)
    if build.returncode != 0 and "hatchling" in build.stderr:
        build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(ROOT)],
                               capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = dist.glob("bodymap-*.whl")

    env_dir = tmp_path / "venv"
    # System site-packages provide the (already installed) dependencies; bodymap itself comes
    # only from the wheel, which the venv's own site-packages put first on sys.path.
    venv.create(env_dir, with_pip=True, system_site_packages=True)
    py = env_dir / "bin" / "python"
    inst = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)], capture_output=True, text=True)
    assert inst.returncode == 0, inst.stderr[-2000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([str(py), "-c", "import bodymap.assets as a, bodymap; print(bodymap.__file__); print(a.assets_dir())"],
                           capture_output=True, text=True, cwd=work)
    module_file, assets = where.stdout.split()
    assert str(env_dir) in module_file and str(env_dir) in assets, where.stdout

    exe = env_dir / "bin" / "bodymap"
    out = work / "lbp.json"
    run = subprocess.run([str(exe), "export", "low-back-pain", "--format", "json", "-o", str(out)], capture_output=True,
                         text=True, cwd=work)
    assert run.returncode == 0, run.stderr
    assert json.loads(out.read_text())["complaint"]["id"] == "low-back-pain"
    listing = subprocess.run([str(exe), "list"], capture_output=True, text=True, cwd=work)
    assert "low-back-pain" in listing.stdout
    # Every format from the installed wheel alone, including the batch export.
    batch = subprocess.run([str(exe), "export", "--all", "--format", "png", "--dpi", "40", "-o", str(work / "out")],
                           capture_output=True, text=True, cwd=work)
    assert batch.returncode == 0, batch.stderr
    assert len(list((work / "out").glob("*.png"))) == len(listing.stdout.strip().splitlines())
    for fmt, magic in (("pdf", b"%PDF"), ("handout", b"%PDF"), ("svg", b"<svg")):
        target = work / f"one.{fmt}"
        done = subprocess.run([str(exe), "export", "sciatica", "-f", fmt, "-o", str(target)], capture_output=True,
                              text=True, cwd=work)
        assert done.returncode == 0, done.stderr
        assert target.read_bytes().startswith(magic)
