"""Check an uploaded data file in an isolated child process with CPU-time, memory and wall-clock limits."""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bodymap.core.errors import DataError, one_line
from bodymap.data.catalog import CUSTOM_KEYS, MAX_FILE_BYTES, Catalog, clean_file_name, merge_custom, too_large

CPU_LIMIT = 2.0  # seconds of CPU time for the whole check, interpreter start included; a busy machine does not add to it
MEMORY_LIMIT = 300 * 1024 * 1024  # bytes of address space (RLIMIT_AS) for the child
WALL_LIMIT = 30.0  # a safety stop against a child that waits without computing; CPU time does the judging
RESULT_FORMAT, RESULT_VERSION = "bodymap-upload-result", 1  # the only answer the parent reads
MAX_RESULT_BYTES = 4 * MAX_FILE_BYTES  # the validated entries as JSON: never larger than this for a file within the limit
_MODULE = Path(__file__).resolve()
_ROOT = _MODULE.parent.parent  # the folder that holds this installed `bodymap`, named explicitly to the child

# The child's first statements, run by `python -I -c` (no PYTHONPATH, no user site, no working
# folder on sys.path): the limits, before anything else is imported; then this very file's
# package, by its path, and a check that the module loaded is this file.
_BOOT = """\
import os, resource, sys
memory, cpu, root, module = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
for which, soft, hard in ((resource.RLIMIT_AS, memory, memory), (resource.RLIMIT_CPU, cpu, cpu + 1),
                          (resource.RLIMIT_CORE, 0, 0)):
    ceiling = resource.getrlimit(which)[1]
    if ceiling != resource.RLIM_INFINITY:
        soft, hard = min(soft, ceiling), min(hard, ceiling)
    resource.setrlimit(which, (soft, hard))
sys.path.insert(0, root)
import bodymap.sandbox as sandbox
if os.path.realpath(sandbox.__file__) != module:
    sys.exit(3)
sandbox.child()
"""


def child_command(memory: int, cpu_seconds: float) -> list[str]:
    """The isolated interpreter that checks an upload: our module by its path, nothing from the working folder."""
    return [sys.executable, "-I", "-c", _BOOT, str(memory), str(max(1, math.ceil(cpu_seconds))), str(_ROOT), str(_MODULE)]


def load_upload(data: bytes, name: str, *, seconds: float = CPU_LIMIT, memory: int = MEMORY_LIMIT,
                wall: float = WALL_LIMIT) -> Catalog:
    """The built-in catalog plus an uploaded YAML/JSON file, checked like `api.load_data_text`.

    Parsing and validation run in a fresh, isolated interpreter, in an empty folder, limited to
    `seconds` of CPU time and `memory` bytes (the kernel enforces both), with `wall` seconds as a
    safety stop. It answers in one fixed JSON format; the parent reads nothing else (no pickles).
    Raises DataError with a one-line message when the file is refused, too slow or too large.
    """
    name = clean_file_name(name)
    if len(data) > MAX_FILE_BYTES:
        raise DataError(too_large(name, len(data)))
    request = json.dumps({"name": name}).encode() + b"\n" + data
    with tempfile.TemporaryDirectory(prefix="bodymap-upload-") as empty:
        try:
            done = subprocess.run(child_command(memory, seconds), input=request, capture_output=True, timeout=wall,
                                  cwd=empty, check=False)
        except subprocess.TimeoutExpired:
            raise DataError(f"{name}: checking it took longer than {wall:g} s; refused") from None
        except OSError as exc:
            raise DataError(f"{name}: could not start the checker: {exc.strerror or exc}") from None
    cpu_stop = -signal.SIGXCPU, -signal.SIGKILL
    if done.returncode in cpu_stop:
        raise DataError(f"{name}: checking it took longer than {seconds:g} s of CPU time; refused")
    if done.returncode != 0 or len(done.stdout) > MAX_RESULT_BYTES:
        raise DataError(f"{name}: could not be checked within {seconds:g} s of CPU time and "
                        f"{memory // 2**20} MB; refused")
    return _accept(done.stdout, name, seconds)


def _accept(answer_bytes: bytes, name: str, seconds: float) -> Catalog:
    """Read the child's answer: exactly RESULT_FORMAT version 1, or a refusal."""
    try:
        answer = json.loads(answer_bytes)
    except ValueError:
        answer = None
    shape_ok = (isinstance(answer, dict) and answer.get("format") == RESULT_FORMAT
                and answer.get("version") == RESULT_VERSION and isinstance(answer.get("cpu"), (int, float)))
    if not shape_ok:
        raise DataError(f"{name}: the checker gave no answer in its format; refused")
    if answer["cpu"] > seconds:
        raise DataError(f"{name}: checking it took longer than {seconds:g} s of CPU time; refused")
    if answer.get("status") == "error" and isinstance(answer.get("message"), str):
        raise DataError(one_line(answer["message"]))
    entries = answer.get("entries")
    if answer.get("status") != "ok" or not isinstance(entries, dict) or not set(entries) <= set(CUSTOM_KEYS):
        raise DataError(f"{name}: the checker gave no answer in its format; refused")
    from bodymap.data.catalog import load_catalog

    # The entries are validated again by the same models: the answer is data, never code.
    return merge_custom(load_catalog(), entries, name)


def custom_entries(catalog: Catalog, base: Catalog) -> dict[str, list[dict[str, Any]]]:
    """The entries an upload added, as the JSON its models validate from (the fields the file set)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for key in CUSTOM_KEYS:
        mine: Mapping[str, Any] = getattr(catalog, key)
        theirs: Mapping[str, Any] = getattr(base, key)
        added = [entry.model_dump(mode="json", by_alias=True, exclude_unset=True)
                 for entry_id, entry in mine.items() if entry_id not in theirs]
        if added:
            out[key] = added
    return out


def _check(data: bytes, name: str) -> dict[str, Any]:
    """The child's work: {'status': 'ok', 'entries': ...} or {'status': 'error', 'message': ...}."""
    try:
        from bodymap.core.errors import BodymapError
        from bodymap.data.catalog import decode, load_catalog
        from bodymap.figures.loading import load_data_text

        try:
            catalog = load_data_text(decode(data, name), name)
        except BodymapError as exc:
            return {"status": "error", "message": str(exc)}
        return {"status": "ok", "entries": custom_entries(catalog, load_catalog())}
    except MemoryError:
        return {"status": "error", "message": f"{name}: needs more memory to check than allowed; refused"}
    except RecursionError:
        return {"status": "error", "message": f"{name}: nested too deeply to check; refused"}


def child() -> None:
    """Run in the isolated child: read the request on stdin, write one JSON answer on stdout."""
    import resource

    request = sys.stdin.buffer.read(MAX_FILE_BYTES + 64 * 1024)
    header, _, data = request.partition(b"\n")
    name = str(json.loads(header)["name"])
    answer = _check(data, name)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    answer.update(format=RESULT_FORMAT, version=RESULT_VERSION, cpu=round(usage.ru_utime + usage.ru_stime, 3))
    sys.stdout.buffer.write(json.dumps(answer).encode("utf-8"))
    sys.stdout.buffer.flush()
