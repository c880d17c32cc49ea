"""The `bodymap` command line: list complaints, export diagrams (one, or all) in any format."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from .errors import BodymapError, OptionError

FORMAT_SUFFIX = {"svg": ".svg", "json": ".json", "png": ".png", "pdf": ".pdf", "handout": "-handout.pdf"}


def _fail(message: str) -> None:
    click.echo(f"bodymap: error: {message}", err=True)
    sys.exit(2)


def _write_atomic(path: Path, payload: bytes) -> None:
    """Write via a temporary file in the same folder, so a failure leaves no partial file."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OptionError(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OptionError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OptionError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _as_bytes(result: str | bytes) -> bytes:
    return result.encode("utf-8") if isinstance(result, str) else result


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bodymap")
def main() -> None:
    """See where dry-needling and acupuncture needles go, complaint by complaint.

    Educational illustration, not medical advice.
    """


@main.command("list")
@click.option("--data", "data", type=click.Path(dir_okay=False), help="A custom YAML/JSON data file to add.")
def list_cmd(data: str | None) -> None:
    """Print the complaints: id and name, one per line."""
    from .api import list_complaints

    try:
        rows = list_complaints(data)
    except BodymapError as exc:
        _fail(str(exc))
    width = max(len(cid) for cid, _ in rows)
    for cid, name in rows:
        click.echo(f"{cid.ljust(width)}  {name}")


@main.command("export")
@click.argument("complaint", required=False)
@click.option("--format", "-f", "fmt", default="svg", show_default=True, help="svg, png, pdf, json or handout.")
@click.option("--overlay", "overlays", multiple=True, help="A layer to draw; repeat for several. Default: dry-needling, acupuncture, labels.")
@click.option("--view", default="both", show_default=True, help="both, posterior, anterior, lateral or all.")
@click.option("--side", default="both", show_default=True, help="both, left or right (the affected side).")
@click.option("--all", "all_", is_flag=True, help="Export every complaint into the folder given by -o.")
@click.option("--atlas", is_flag=True, help="Export the atlas of every point and trigger point instead of a complaint.")
@click.option("--data", type=click.Path(dir_okay=False), help="A custom YAML/JSON data file to add to the catalog.")
@click.option("--dpi", type=click.FloatRange(30, 1200), default=150, show_default=True, help="PNG resolution.")
@click.option("--scale", type=click.FloatRange(0.1, 10), default=None, help="PNG scale factor (1 = 96 dpi); overrides --dpi.")
@click.option("--transparent", is_flag=True, help="PNG with a transparent background.")
@click.option("--paper", default="a4", show_default=True, help="Handout paper size: a4 or letter.")
@click.option("-o", "--output", default=None, help="Output file, '-' for standard output, or a folder with --all.")
def export_cmd(complaint, fmt, overlays, view, side, all_, atlas, data, dpi, scale, transparent, paper, output) -> None:
    """Write COMPLAINT's diagram to a file (or every complaint's with --all)."""
    from .api import FORMATS, list_complaints, render

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    if scale is not None:
        dpi = 96 * scale
    options = dict(overlays=list(overlays) or None, view=view, side=side, data=data, dpi=dpi,
                   transparent=transparent, paper=paper)
    try:
        if atlas:
            from .atlas import render_atlas

            payload = _as_bytes(render_atlas(fmt, dpi=dpi, data=data))
            _emit(None if output == "-" else Path(output or f"bodymap-atlas{FORMAT_SUFFIX[fmt]}"), payload)
            return
        if all_:
            if complaint:
                _fail("give either a COMPLAINT or --all, not both")
            if output in (None, "-"):
                _fail("--all needs -o FOLDER (one file per complaint is written there)")
            folder = Path(output)
            folder.mkdir(parents=True, exist_ok=True)
            ids = [cid for cid, _ in list_complaints(data)]
            with click.progressbar(ids, label=f"Exporting {fmt}", file=sys.stderr,
                                   show_pos=True, item_show_func=lambda c: c or "") as bar:
                for cid in bar:
                    target = folder / f"{cid}{FORMAT_SUFFIX[fmt]}"
                    _write_atomic(target, _as_bytes(render(cid, format=fmt, **options)))
            click.echo(f"wrote {len(ids)} files to {folder}", err=True)
            return
        if not complaint:
            valid = ", ".join(cid for cid, _ in list_complaints(data))
            _fail(f"missing COMPLAINT; valid ids: {valid} (or use --all)")
        payload = _as_bytes(render(complaint, format=fmt, **options))
        _emit(Path(output) if output not in (None, "-") else (None if output == "-" else Path(f"{complaint}{FORMAT_SUFFIX[fmt]}")), payload)
    except BodymapError as exc:
        _fail(str(exc))


def _emit(target: Path | None, payload: bytes) -> None:
    if target is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    _write_atomic(target, payload)
    click.echo(f"wrote {target}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
