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


def _borrow_dependencies(py: Path) -> None:
    """Let the new venv import the dependencies of the environment running the tests.

    `system_site_packages=True` would expose the *base* interpreter's packages, which lack them
    when the tests run in a virtualenv (as the README's commands do). A .pth file adds the running
    environment's site-packages after the venv's own, so bodymap itself still comes only from
    the wheel; its lines are plain paths, so an editable bodymap there is not activated.
    """
    ours = [p for p in sys.path if p and Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()]
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "zz-borrowed-dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_wheel_installs_and_exports_in_a_fresh_venv(tmp_path, monkeypatch):
    # A developer's PYTHONPATH (a worktree) would reach the venv's processes and import that copy, not the wheel's
    monkeypatch.delenv("PYTHONPATH", raising=False)
    if shutil.which("git") is None:
        pytest.skip("needs git to copy the tracked tree")
    dist = tmp_path / "dist"
    wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)]
    build = subprocess.run(wheel, capture_output=True, text=True)
    if build.returncode != 0 and "hatchling" in build.stderr:
        build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(ROOT)],
                               capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = dist.glob("bodymap-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    _borrow_dependencies(py)
    inst = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)], capture_output=True, text=True)
    assert inst.returncode == 0, inst.stderr[-2000:]
    deps = subprocess.run([str(py), "-c", "import matplotlib, pydantic, svgwrite, yaml, click"], capture_output=True, text=True)
    assert deps.returncode == 0, deps.stderr[-2000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    code = "import bodymap.core.assets as a, bodymap; print(bodymap.__file__); print(a.assets_dir())"
    where = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=work)
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
