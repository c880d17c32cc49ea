"""Where an export goes: a file (replaced atomically), a device or FIFO (in place), or stdout.

Policy, also stated in the README: a symlink is followed and its target written; a regular
file is replaced through a temporary file in the same folder, keeping its mode (a new file gets
0666 minus the umask); a character device or a FIFO is written in place and never replaced;
anything else (a block device, a socket) is refused. Every failure is a one-line OptionError.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from bodymap.core.errors import OptionError


def _failure(path: Path | str, exc: OSError) -> OptionError:
    return OptionError(f"cannot write {path}: {exc.strerror or exc}")


def make_folder(folder: Path) -> Path:
    """Create `folder` (and its parents) unless it exists; a file in the way is an error."""
    if folder.exists() and not folder.is_dir():
        raise OptionError(f"{folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(f"cannot create folder {folder}: {exc.strerror or exc}") from None
    return folder


def target_path(output: str | None, default_name: str) -> Path | None:
    """The file to write for `-o OUTPUT`: None for '-', DEFAULT_NAME inside a folder or a path ending in '/'."""
    if output == "-":
        return None
    if output is None:
        return Path(default_name)
    if output.endswith("/") or (os.altsep and output.endswith(os.altsep)) or os.path.isdir(output):
        return make_folder(Path(output)) / default_name
    return Path(output)


def write_file(path: Path, payload: bytes) -> str:
    """Write `payload` to `path` and say how, e.g. 'wrote x.svg' or 'wrote /dev/null (a device, in place)'."""
    try:
        info = os.stat(path)  # follows links, /dev/stdout's to a pipe included
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _failure(path, exc) from None
    if info is None or stat.S_ISREG(info.st_mode):
        target = Path(os.path.realpath(path)) if os.path.islink(path) else path  # replace the file, keep the link
        _replace(path, target, payload, info)
        return f"wrote {path}" + (f" (through the symlink, to {target})" if target != path else "")
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        kind = "FIFO" if stat.S_ISFIFO(info.st_mode) else "device"
        _write_in_place(path, payload, fifo=kind == "FIFO")
        return f"wrote {path} (a {kind}, written in place)"
    kind = "a folder" if stat.S_ISDIR(info.st_mode) else "neither a file, a character device nor a FIFO"
    raise OptionError(f"cannot write {path}: it is {kind}")


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it and put it back
    os.umask(mask)
    return mask


def _replace(shown: Path, target: Path, payload: bytes, info: os.stat_result | None) -> None:
    """Temporary file, then rename: a failure at any point leaves the old file (or none) behind."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OptionError(f"cannot write {shown}: folder {folder} does not exist")
    if info is not None and not os.access(target, os.W_OK):  # renaming over it would bypass its permissions
        raise OptionError(f"cannot write {shown}: permission denied")
    mode = stat.S_IMODE(info.st_mode) if info else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _failure(shown, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)  # mkstemp makes 0600; keep the old file's mode or the umask's
            if info is not None and os.geteuid() == 0:
                os.fchown(fh.fileno(), info.st_uid, info.st_gid)  # root keeps a user's file theirs
            fh.write(payload)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _failure(shown, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_in_place(path: Path, payload: bytes, *, fifo: bool) -> None:
    # O_NONBLOCK on open: a FIFO nobody reads fails at once (ENXIO) instead of waiting forever.
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if fifo and exc.errno == errno.ENXIO:
            raise OptionError(f"cannot write {path}: no process is reading this FIFO") from None
        raise _failure(path, exc) from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise _failure(path, exc) from None
    finally:
        os.close(fd)


def write_stdout(payload: bytes) -> None:
    """Write to standard output; a closed or full stdout is a one-line error, not a traceback."""
    stream = sys.stdout
    if stream is None or stream.closed:
        raise OptionError("standard output is closed; nothing was written")
    try:
        stream.flush()
        stream.buffer.write(payload)
        stream.buffer.flush()
    except OSError as exc:
        silence_stdout()
        raise OptionError(f"cannot write to standard output: {exc.strerror or exc}") from None


def silence_stdout() -> None:
    """Point a failed stdout at /dev/null, so the interpreter's exit flush cannot print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. under click's test runner)
        pass
