"""The `bodymap` command line: list complaints, export diagrams (one, or all) in any format."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from bodymap.core.errors import BodymapError, OptionError, clip, one_line
from bodymap.core.vocabulary import DEFAULT_LAYERS, Layer, Side, View

# The formats are registered once, in bodymap.formats (imported on first use: `bodymap --help` stays quick).


# The ranges --help shows are the ones enforced. A PNG is also capped by its pixel count
# (bodymap.backends.mpl.MAX_PIXELS), which keeps one export under about 300 MB of memory.
DPI_RANGE = (30.0, 600.0)
SCALE_RANGE = (0.1, DPI_RANGE[1] / 96)


class Number(click.ParamType):
    """A number within [low, high]; outside it, one line naming the option and the range."""

    name = "number"

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return f"{self.low:g}-{self.high:g}"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value))
            except ValueError:
                self.fail(f"{one_line(clip(value, 40))!r} is not a number; give one from {self.low:g} to {self.high:g}")
        if not self.low <= number <= self.high:  # also refuses nan
            self.fail(f"{one_line(clip(value, 40))} is outside {self.low:g} to {self.high:g}")
        return number


class _OneLineUsage(click.ClickException):
    """click's usage errors, shown as bodymap's one line instead of Usage / Try / Error."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        _echo_error(self.message)


@contextmanager
def _usage_in_one_line(ctx: click.Context) -> Iterator[None]:
    try:
        yield
    except _OneLineUsage:
        raise
    except click.BadParameter as exc:
        opts = exc.param.opts if exc.param is not None else []
        where = max(opts, key=len) if opts else (exc.param_hint or "a value")
        raise _OneLineUsage(f"{where}: {exc.message}") from None
    except click.UsageError as exc:
        command = (exc.ctx or ctx).command_path
        raise _OneLineUsage(f"{exc.format_message().rstrip('.')} (see '{command} --help')") from None


class _OneLineGroup(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _usage_in_one_line(ctx):
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        with _usage_in_one_line(ctx):
            return super().invoke(ctx)


def _echo_error(message: str) -> None:
    with contextlib.suppress(OSError):  # stderr itself is gone: the exit status still says it
        click.echo(f"bodymap: error: {one_line(message)}", err=True)


def _fail(message: str) -> None:
    _echo_error(message)
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
    from bodymap.formats import get_format

    return get_format(fmt).suffix


def default_name(stem: str, fmt: str) -> str:
    """lbp.svg, lbp.pdf, lbp-handout.pdf: the PDF documents add their format to the name."""
    from bodymap.formats import get_format

    return f"{stem}{get_format(fmt).file_suffix}"


def _implied(suffix: str) -> str | None:
    """The format a file suffix names: the one plain format writing it (.pdf is pdf, not the handout)."""
    from bodymap.formats import FORMATS

    return next((f.name for f in FORMATS.values() if f.suffix == suffix and not f.stem), None) if suffix else None


def _takes_paper(fmt: str) -> bool:
    from bodymap.formats import get_format

    return get_format(fmt).paper


def pick_format(fmt: str | None, output: str | None) -> str:
    """-f if given (checked against the output's suffix), else the suffix's format, else svg."""
    from bodymap.formats import get_format

    is_file = output not in (None, "-") and not output.endswith("/")
    suffix = Path(output).suffix.lower() if output is not None and is_file else ""
    implied = _implied(suffix)
    if fmt is None:
        return implied or "svg"
    get_format(fmt)
    if implied and suffix_for(fmt) != suffix:
        raise OptionError(f"-o {output} ends in {suffix} but -f {fmt} writes {suffix_for(fmt)}; "
                          f"change the name or use -f {implied}")
    return fmt


def _as_bytes(result: str | bytes) -> bytes:
    return result.encode("utf-8") if isinstance(result, str) else result


@click.group(cls=_OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bodymap")
def main() -> None:
    """See where dry-needling and acupuncture needles go, complaint by complaint.

    Educational illustration, not medical advice.
    """


@main.command("list")
@click.option("--data", "data", metavar="FILE", help="A custom YAML/JSON data file to add.")
@click.option("--region", "regions", multiple=True, metavar="REGION",
              help="Only the complaints felt in or referred to this pain region (e.g. lower-back), best first, "
                   "each with why; repeat for several.")
def list_cmd(data: str | None, regions: tuple[str, ...]) -> None:
    """Print the complaints: id and name, one per line."""
    from bodymap.api import list_complaints
    from bodymap.output import write_stdout

    with _one_line_errors():
        if regions:
            write_stdout(_region_rows(regions, data).encode("utf-8"))
            return
        rows = list_complaints(data)
        width = max(len(cid) for cid, _ in rows)
        write_stdout("".join(f"{cid.ljust(width)}  {name}\n" for cid, name in rows).encode("utf-8"))


def _region_rows(regions: tuple[str, ...], data: str | None) -> str:
    """`id  name  why` for each complaint the regions point to, best first."""
    from bodymap.regions import complaints_for

    matches = complaints_for(regions, data)
    if not matches:
        click.echo(f"bodymap: no complaint is felt in or refers to {one_line(', '.join(regions))}", err=True)
        return ""
    width = max(len(m.complaint) for m in matches)
    name_width = max(len(m.name) for m in matches)
    return "".join(f"{m.complaint.ljust(width)}  {m.name.ljust(name_width)}  {m.why}\n" for m in matches)


@main.command("export")
@click.argument("complaint", required=False)
@click.option("--format", "-f", "fmt", default=None, help="svg, png, pdf, json, handout (one page for the patient) or reference "
              "(for the clinician). Default: from the -o suffix (.svg .png .pdf .json), else svg.")
@click.option("--overlay", "overlays", multiple=True,
              help=f"A layer to draw; repeat for several: {', '.join(Layer.values())}. "
              f"Default: {', '.join(DEFAULT_LAYERS)}.")
@click.option("--view", default=View.AUTO.value, show_default=True,
              help=f"{View.AUTO} (the fewest body views that show every point), {', '.join(View.values()[1:])}.")
@click.option("--side", default=Side.BOTH.value, show_default=True, help=f"{', '.join(Side.values())} (the affected side).")
@click.option("--all", "all_", is_flag=True, help="Export every complaint into the folder given by -o.")
@click.option("--atlas", is_flag=True, help="Export the atlas of every point and trigger point instead of a complaint.")
@click.option("--data", metavar="FILE", help="A custom YAML/JSON data file to add to the catalog.")
@click.option("--dpi", type=Number(*DPI_RANGE), default=150, show_default=True,
              help="PNG resolution, 30 to 600; a PNG is at most 24 megapixels (about 560 dpi for a complaint).")
@click.option("--scale", type=Number(*SCALE_RANGE), default=None,
              help="PNG scale factor, 0.1 to 6.25 (1 = 96 dpi); overrides --dpi; the same 24-megapixel cap.")
@click.option("--transparent", is_flag=True, help="PNG with a transparent background.")
@click.option("--paper", default=None, help="a4 or letter for handout and reference (default a4); for pdf also fit, "
              "the figure's own page size (the default).")
@click.option("--clinic", default=None, help="A 'Name, phone' line printed on the handout and the reference.")
@click.option("--points", default=None, metavar="CODES", help="Today's plan: point codes or trigger point ids, comma-separated, "
              "each with :L or :R for one side (e.g. BL40,BL23:L,ql-superficial-upper:R). Only these are drawn and printed.")
@click.option("--plan", "plan_file", default=None, metavar="FILE", help="Today's plan as a JSON file (as the app exports it; "
              "schema: bodymap/data/plan.schema.json).")
@click.option("-o", "--output", default=None, help="Output file, '-' for standard output, or a folder (a path ending in '/', "
              "an existing folder, or with --all). A symlink is followed; a device or FIFO is written in place.")
def export_cmd(complaint, fmt, overlays, view, side, all_, atlas, data, dpi, scale, transparent, paper, clinic, points, plan_file,
               output) -> None:
    """Write COMPLAINT's diagram to a file (or every complaint's with --all)."""
    from bodymap.api import load_data_file

    with _one_line_errors():
        fmt = pick_format(fmt, None if all_ else output)
        if paper is not None and (atlas or not _takes_paper(fmt)):
            raise OptionError(f"--paper does not apply to {'the atlas' if atlas else fmt}; it sets the page of a PDF document")
        options = dict(overlays=list(overlays) or None, view=view, side=side, dpi=96 * scale if scale else dpi,
                       transparent=transparent, paper=paper, clinic=clinic,
                       data=load_data_file(data) if data else None)  # read and checked once, not per complaint
        options["plan"] = _session_plan(points, plan_file, options["data"], all_ or atlas)
        if atlas:
            from bodymap.api import render_atlas

            # The atlas shows back and front unless a view is named ("all" adds the side view).
            atlas_view = View.BOTH if view == View.AUTO else view
            payload = _as_bytes(render_atlas(fmt, dpi=options["dpi"], data=options["data"], view=atlas_view))
            _emit(output, default_name("bodymap-atlas", fmt), payload)
        elif all_:
            _export_all(complaint, fmt, output, options)
        else:
            _export_one(complaint, fmt, output, options)


def _session_plan(points: str | None, plan_file: str | None, data, whole: bool):
    """--points or --plan as a checked plan (None: the protocol); each wrong code is one line, exit 2."""
    if points is None and plan_file is None:
        return None
    if points is not None and plan_file is not None:
        raise OptionError("give either --points or --plan, not both")
    if whole:
        raise OptionError("--points and --plan choose one patient's points; they do not apply to --all or --atlas")
    from bodymap.api import resolve_catalog
    from bodymap.data.plan import load_plan_file, parse_points

    catalog = resolve_catalog(data)
    if points is not None:
        return parse_points(catalog, points)
    assert plan_file is not None  # one of the two, as checked above
    return load_plan_file(catalog, plan_file)


def _export_one(complaint: str | None, fmt: str, output: str | None, options: dict) -> None:
    from bodymap.api import list_complaints, render

    if not complaint:
        valid = ", ".join(cid for cid, _ in list_complaints(options["data"]))
        raise OptionError(f"missing COMPLAINT; valid ids: {valid} (or use --all)")
    payload = _as_bytes(render(complaint, format=fmt, **options))
    _emit(output, default_name(complaint, fmt), payload)


def _export_all(complaint: str | None, fmt: str, output: str | None, options: dict) -> None:
    from bodymap.api import list_complaints, render
    from bodymap.output import make_folder, shown_path, write_file

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
    click.echo(f"wrote {len(ids)} files to {shown_path(folder)}", err=True)


def _emit(output: str | None, name: str, payload: bytes) -> None:
    from bodymap.output import target_path, write_file, write_stdout

    target = target_path(output, name)
    if target is None:
        write_stdout(payload)
    else:
        click.echo(write_file(target, payload), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
