"""Where the bundled figure and data files live, in a wheel or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def assets_dir() -> Path:
    """The `assets/` folder: inside the package when installed from a wheel, else the repo's."""
    package = Path(__file__).resolve().parents[1]  # bodymap/, above this core/ subpackage
    for candidate in (package / "assets", package.parent / "assets"):
        if (candidate / "data").is_dir() and (candidate / "figures").is_dir():
            return candidate
    looked = f"{package / 'assets'} and {package.parent / 'assets'}"
    raise FileNotFoundError(f"bodymap's assets folder is missing (looked in {looked})")
