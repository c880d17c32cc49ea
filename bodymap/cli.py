"""The `bodymap` command line: list complaints, export diagrams (one, or all) in any format."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from bodymap.core.errors import BodymapError, OptionError, one_line

# The formats themselves are listed once, in api.FORMATS; these say which suffix each writes.
_PLAIN_SUFFIX = {"svg": ".svg", "json": ".json", "png": ".png", "pdf": ".pdf"}  # any other format is a PDF
_SUFFIX_FORMAT = {suffix: fmt for fmt, suffix in _PLAIN_SUFFIX.items()}
_NO_PAPER = ("svg", "png", "json")


def _fail(message: str) -> None:
    with contextlib.suppress(OSError):  # stderr itself is gone: the exit status still says it
        click.echo(f"bodymap: error: {one_line(message)}", err=True)
    sys.exit(2)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Our errors and every OSError (a full disk, a closed pipe) end as one line and exit 2."""
    from bodymap.output import silence_stdout

    try:
        yield
    except BodymapError as exc:
        _fail(str(exc))
    except OSError as exc:
        silence_stdout()
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}")


def suffix_for(fmt: str) -> str:
    """The file suffix a format writes: .svg, .json, .png, or .pdf for every PDF format."""
    return _PLAIN_SUFFIX.get(fmt, ".pdf")


def default_name(stem: str, fmt: str) -> str:
    """lbp.svg, lbp.pdf, lbp-handout.pdf: the PDF documents add their format to the name."""
    return f"{stem}{'' if fmt in _PLAIN_SUFFIX else '-' + fmt}{suffix_for(fmt)}"


def pick_format(fmt: str | None, output: str | None) -> str:
    """-f if given (checked against the output's suffix), else the suffix's format, else svg."""
    from bodymap.api import FORMATS

    is_file = output not in (None, "-") and not output.endswith("/")
    suffix = Path(output).suffix.lower() if output is not None and is_file else ""
    implied = _SUFFIX_FORMAT.get(suffix)
    if fmt is None:
        return implied or "svg"
    if fmt not in FORMATS:
        raise OptionError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    if implied and suffix_for(fmt) != suffix:
        raise OptionError(f"-o {output} ends in {suffix} but -f {fmt} writes {suffix_for(fmt)}; "
                          f"change the name or use -f {implied}")
    return fmt


def _as_bytes(result: str | bytes) -> bytes:
    return result.encode("utf-8") if isinstance(result, str) else result


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bodymap")
def main() -> None:
    """See where dry-needling and acupuncture needles go, complaint by complaint.

    Educational illustration, not medical advice.
    """


@main.command("list")
@click.option("--data", "data", metavar="FILE", help="A custom YAML/JSON data file to add.")
def list_cmd(data: str | None) -> None:
    """Print the complaints: id and name, one per line."""
    from bodymap.api import list_complaints
    from bodymap.output import write_stdout

    with _one_line_errors():
        rows = list_complaints(data)
        width = max(len(cid) for cid, _ in rows)
        write_stdout("".join(f"{cid.ljust(width)}  {name}\n" for cid, name in rows).encode("utf-8"))


@main.command("export")
@click.argument("complaint", required=False)
@click.option("--format", "-f", "fmt", default=None, help="svg, png, pdf, json, handout (one page for the patient) or reference "
              "(for the clinician). Default: from the -o suffix (.svg .png .pdf .json), else svg.")
@click.option("--overlay", "overlays", multiple=True,
              help="A layer to draw; repeat for several. Default: dry-needling, acupuncture, labels.")
@click.option("--view", default="auto", show_default=True,
              help="auto (the fewest body views that show every point), both, posterior, anterior, lateral or all.")
@click.option("--side", default="both", show_default=True, help="both, left or right (the affected side).")
@click.option("--all", "all_", is_flag=True, help="Export every complaint into the folder given by -o.")
@click.option("--atlas", is_flag=True, help="Export the atlas of every point and trigger point instead of a complaint.")
@click.option("--data", metavar="FILE", help="A custom YAML/JSON data file to add to the catalog.")
@click.option("--dpi", type=click.FloatRange(30, 1200), default=150, show_default=True, help="PNG resolution.")
@click.option("--scale", type=click.FloatRange(0.1, 10), default=None, help="PNG scale factor (1 = 96 dpi); overrides --dpi.")
@click.option("--transparent", is_flag=True, help="PNG with a transparent background.")
@click.option("--paper", default=None, help="a4 or letter for handout and reference (default a4); for pdf also fit, "
              "the figure's own page size (the default).")
@click.option("--clinic", default=None, help="A 'Name, phone' line printed on the handout and the reference.")
@click.option("-o", "--output", default=None, help="Output file, '-' for standard output, or a folder (a path ending in '/', "
              "an existing folder, or with --all). A symlink is followed; a device or FIFO is written in place.")
def export_cmd(complaint, fmt, overlays, view, side, all_, atlas, data, dpi, scale, transparent, paper, clinic, output) -> None:
    """Write COMPLAINT's diagram to a file (or every complaint's with --all)."""
    from bodymap.api import load_data_file

    with _one_line_errors():
        fmt = pick_format(fmt, None if all_ else output)
        if paper is not None and (fmt in _NO_PAPER or atlas):
            raise OptionError(f"--paper does not apply to {'the atlas' if atlas else fmt}; it sets the page of a PDF document")
        options = dict(overlays=list(overlays) or None, view=view, side=side, dpi=96 * scale if scale else dpi,
                       transparent=transparent, paper=paper, clinic=clinic,
                       data=load_data_file(data) if data else None)  # read and checked once, not per complaint
        if atlas:
            from bodymap.api import render_atlas

            # The atlas shows back and front unless a view is named ("all" adds the side view).
            atlas_view = "both" if view == "auto" else view
            payload = _as_bytes(render_atlas(fmt, dpi=options["dpi"], data=options["data"], view=atlas_view))
            _emit(output, default_name("bodymap-atlas", fmt), payload)
        elif all_:
            _export_all(complaint, fmt, output, options)
        else:
            _export_one(complaint, fmt, output, options)


def _export_one(complaint: str | None, fmt: str, output: str | None, options: dict) -> None:
    from bodymap.api import list_complaints, render

    if not complaint:
        valid = ", ".join(cid for cid, _ in list_complaints(options["data"]))
        raise OptionError(f"missing COMPLAINT; valid ids: {valid} (or use --all)")
    payload = _as_bytes(render(complaint, format=fmt, **options))
    _emit(output, default_name(complaint, fmt), payload)


def _export_all(complaint: str | None, fmt: str, output: str | None, options: dict) -> None:
    from bodymap.api import list_complaints, render
    from bodymap.output import make_folder, write_file

    if complaint:
        raise OptionError("give either a COMPLAINT or --all, not both")
    if output in (None, "-"):
        raise OptionError("--all needs -o FOLDER (one file per complaint is written there)")
    folder = make_folder(Path(output))
    ids = [cid for cid, _ in list_complaints(options["data"])]
    with click.progressbar(ids, label=f"Exporting {fmt}", file=sys.stderr,
                           show_pos=True, item_show_func=lambda c: c or "") as bar:
        for cid in bar:
            write_file(folder / default_name(cid, fmt), _as_bytes(render(cid, format=fmt, **options)))
    click.echo(f"wrote {len(ids)} files to {folder}", err=True)


def _emit(output: str | None, name: str, payload: bytes) -> None:
    from bodymap.output import target_path, write_file, write_stdout

    target = target_path(output, name)
    if target is None:
        write_stdout(payload)
    else:
        click.echo(write_file(target, payload), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
