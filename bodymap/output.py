"""Where an export goes: a file (replaced atomically), a device or FIFO (in place), or a stream.

Policy, also stated in the README: `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and
`/proc/self/fd/N` are the process's own open streams and are written as such (so `>> log`
appends); any other symlink is followed and its target written; a regular file is replaced
through a temporary file in the same folder, keeping its mode (a new file gets 0666 minus the
umask); a character device or a FIFO is written in place and never replaced; anything else (a
block device, a socket) is refused. Every failure, a short write included, is a one-line
OptionError.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from bodymap.core.errors import OptionError, escape_controls

# Names of a descriptor this process already holds; following them as links would replace
# whatever file the shell opened (losing `>> log`'s earlier lines) instead of writing the stream.
_STREAM = re.compile(r"^/(?:dev/(?P<name>stdin|stdout|stderr)|dev/fd/(?P<fd>\d+)"
                     r"|proc/(?P<pid>self|thread-self|\d+)/fd/(?P<pfd>\d+))$")
_NAMED_FDS = {"stdin": 0, "stdout": 1, "stderr": 2}
_MAX_LINKS = 40  # as the kernel's own limit on a chain of symlinks


def _failure(path: Path | str, exc: OSError) -> OptionError:
    return OptionError(f"cannot write {shown_path(path)}: {exc.strerror or exc}")


def shown_path(path: Path | str) -> str:
    """A path as messages show it: control and escape characters (an OSC sequence) escaped."""
    return escape_controls(str(path))


def _stream_fd(path: str) -> int | None:
    """The descriptor a path names, if it is one of this process's streams."""
    match = _STREAM.match(os.path.normpath(os.path.abspath(path)))
    if match is None:
        return None
    if match["pid"] and match["pid"] not in ("self", "thread-self") and int(match["pid"]) != os.getpid():
        return None  # another process's descriptor is not ours to write as a stream
    return _NAMED_FDS[match["name"]] if match["name"] else int(match["fd"] or match["pfd"])


def stream_behind(path: Path | str) -> int | None:
    """The descriptor `path` reaches, itself or through a chain of symlinks; None for a plain path."""
    current = str(path)
    for _ in range(_MAX_LINKS):
        fd = _stream_fd(current)
        if fd is not None or not os.path.islink(current):
            return fd
        try:
            current = os.path.join(os.path.dirname(current), os.readlink(current))
        except OSError:
            return None
    return None


def write_all(fd: int, payload: bytes, shown: str) -> None:
    """Every byte to `fd`, or one OptionError that says how far it got (a closed pipe, a full disk)."""
    view, done = memoryview(payload), 0
    while done < len(payload):
        try:
            count = os.write(fd, view[done:])
        except InterruptedError:
            continue
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise OptionError(f"cannot write {shown}: {reason} after {done:,} of {len(payload):,} bytes") from None
        if count <= 0:
            raise OptionError(f"cannot write {shown}: it took {done:,} of {len(payload):,} bytes")
        done += count


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
    fd = stream_behind(path)
    if fd is not None:
        _write_stream(fd, payload, shown_path(path))
        return f"wrote {shown_path(path)} (descriptor {fd}, written as the stream)"
    try:
        info = os.stat(path)  # follows links, /dev/stdout's to a pipe included
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _failure(path, exc) from None
    if info is None or stat.S_ISREG(info.st_mode):
        target = Path(os.path.realpath(path)) if os.path.islink(path) else path  # replace the file, keep the link
        _replace(path, target, payload, info)
        return f"wrote {shown_path(path)}" + (f" (through the symlink, to {shown_path(target)})" if target != path else "")
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        kind = "FIFO" if stat.S_ISFIFO(info.st_mode) else "device"
        _write_in_place(path, payload, fifo=kind == "FIFO")
        return f"wrote {shown_path(path)} (a {kind}, written in place)"
    kind = "a folder" if stat.S_ISDIR(info.st_mode) else "neither a file, a character device nor a FIFO"
    raise OptionError(f"cannot write {shown_path(path)}: it is {kind}")


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it and put it back
    os.umask(mask)
    return mask


def _replace(shown: Path, target: Path, payload: bytes, info: os.stat_result | None) -> None:
    """Temporary file, then rename: a failure at any point leaves the old file (or none) behind."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OptionError(f"cannot write {shown_path(shown)}: folder {shown_path(folder)} does not exist")
    if info is not None and not os.access(target, os.W_OK):  # renaming over it would bypass its permissions
        raise OptionError(f"cannot write {shown_path(shown)}: permission denied")
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
            raise OptionError(f"cannot write {shown_path(path)}: no process is reading this FIFO") from None
        raise _failure(path, exc) from None
    try:
        os.set_blocking(fd, True)
        write_all(fd, payload, shown_path(path))
    finally:
        os.close(fd)


def _write_stream(fd: int, payload: bytes, shown: str) -> None:
    """Write to a descriptor we hold, where it stands: the shell's O_APPEND, a pipe, a terminal."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed and stream.fileno() == fd:
                stream.flush()  # what Python buffered for this descriptor goes first
        except (OSError, ValueError, AttributeError):  # no real descriptor (e.g. click's test runner)
            pass
    try:
        write_all(fd, payload, shown)
    except OptionError:
        if fd == 1:
            silence_stdout()
        raise


def write_stdout(payload: bytes) -> None:
    """Write to standard output; a closed or full stdout is a one-line error, not a traceback."""
    stream = sys.stdout
    if stream is None or stream.closed:
        raise OptionError("standard output is closed; nothing was written")
    try:
        stream.flush()
    except OSError as exc:
        silence_stdout()
        raise OptionError(f"cannot write to standard output: {exc.strerror or exc}") from None
    try:
        fd: int | None = stream.fileno()
    except (OSError, ValueError, AttributeError):  # no real descriptor (click's test runner): its buffer counts
        fd = None
    try:  # os.write, not the buffer: BufferedWriter returns a short count on a closed pipe without raising
        stream.buffer.flush()
        if fd is not None:
            write_all(fd, payload, "to standard output")
            return
        written = stream.buffer.write(payload)
        stream.buffer.flush()
        if written is not None and written != len(payload):
            raise OptionError(f"cannot write to standard output: it took {written:,} of {len(payload):,} bytes")
    except OSError as exc:
        silence_stdout()
        raise OptionError(f"cannot write to standard output: {exc.strerror or exc}") from None
    except OptionError:
        silence_stdout()
        raise


def silence_stdout() -> None:
    """Point a failed stdout at /dev/null, so the interpreter's exit flush cannot print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. under click's test runner)
        pass
