"""Check an uploaded data file in a child process that has a time and a memory budget."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from bodymap.core.errors import DataError, one_line
from bodymap.data.catalog import MAX_FILE_BYTES, Catalog

TIME_LIMIT = 2.0  # seconds of wall-clock time for the whole check, interpreter start included
MEMORY_LIMIT = 300 * 1024 * 1024  # bytes of address space (RLIMIT_AS) for the child
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


def load_upload(data: bytes, name: str, *, seconds: float = TIME_LIMIT, memory: int = MEMORY_LIMIT) -> Catalog:
    """The built-in catalog plus an uploaded YAML/JSON file, checked like `loading.load_data_text`.

    Parsing and validation run in a fresh interpreter limited to `seconds` and `memory`, so a
    hostile file costs the server at most that. Raises DataError with a one-line message when
    the file is refused, too slow or too large.
    """
    name = one_line(name).replace("\x00", "") or "upload"
    if len(data) > MAX_FILE_BYTES:
        raise DataError(f"{name}: larger than {MAX_FILE_BYTES} bytes; the limit is {MAX_FILE_BYTES}")
    request = json.dumps({"name": name, "memory": memory, "cpu": max(1, round(seconds))}).encode() + b"\n" + data
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (_PACKAGE_ROOT, os.environ.get("PYTHONPATH")))))
    try:
        done = subprocess.run([sys.executable, "-m", "bodymap.sandbox"], input=request, capture_output=True,
                              timeout=seconds, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise DataError(f"{name}: checking it took longer than {seconds:g} s; refused") from None
    except OSError as exc:
        raise DataError(f"{name}: could not start the checker: {exc.strerror or exc}") from None
    status, _, payload = done.stdout.partition(b"\n")
    if done.returncode == 0 and status == b"error":
        raise DataError(payload.decode("utf-8", "replace"))
    if done.returncode == 0 and status == b"ok":
        # The child is our own code; the pickle holds only the models it validated.
        return pickle.loads(payload)  # noqa: S301
    raise DataError(f"{name}: could not be checked within {seconds:g} s and {memory // 2**20} MB; refused")


def _check(request: bytes) -> bytes:
    """The child's work: the answer line ('ok' + pickle, or 'error' + message)."""
    header, _, data = request.partition(b"\n")
    name = json.loads(header)["name"]
    try:
        from bodymap.core.errors import BodymapError
        from bodymap.data.catalog import decode
        from bodymap.figures.loading import load_data_text  # not api: the child would import it for nothing

        try:
            catalog = load_data_text(decode(data, name), name)
        except BodymapError as exc:
            return b"error\n" + str(exc).encode("utf-8")
        return b"ok\n" + pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return b"error\n" + f"{name}: needs more memory to check than allowed; refused".encode("utf-8")
    except RecursionError:
        return b"error\n" + f"{name}: nested too deeply to check; refused".encode("utf-8")


def _child() -> None:
    import resource

    request = sys.stdin.buffer.read(MAX_FILE_BYTES + 64 * 1024)
    limits = json.loads(request.partition(b"\n")[0])
    # Limits first, before the request's data is touched: past them the kernel says no.
    for which, soft, hard in ((resource.RLIMIT_AS, limits["memory"], limits["memory"]),
                              (resource.RLIMIT_CPU, limits["cpu"], limits["cpu"] + 1), (resource.RLIMIT_CORE, 0, 0)):
        ceiling = resource.getrlimit(which)[1]  # a limit can be lowered, never raised above the hard one
        if ceiling != resource.RLIM_INFINITY:
            soft, hard = min(soft, ceiling), min(hard, ceiling)
        resource.setrlimit(which, (soft, hard))
    answer = _check(request)
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _child()
