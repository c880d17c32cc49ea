"""Load and validate the clinical catalog (complaints, points, muscles, channels, zones).

The catalog is the lowest layer: it knows nothing of figures or drawing. Every file is
validated by the pydantic models in `bodymap.data.models`; any problem becomes a `DataError`
whose message names the file, the entry and the field.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bodymap.core.assets import assets_dir
from bodymap.core.errors import DataError, UnknownComplaintError, clip, one_line, plain_reason
from bodymap.core.vocabulary import Therapy
from bodymap.data import compiled
from bodymap.data.cautions import check_placeholders, resolve_cautions
from bodymap.data.limits import (  # noqa: F401 - re-exported
    MAX_AREAS,
    MAX_COMPLAINT_MARKERS,
    MAX_DEPTH,
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_MARKERS,
    MAX_NODES,
    MAX_SITES,
    MAX_TRIGGER_POINTS,
    MAX_VERTICES,
)
from bodymap.data.models import (
    Acupoint,
    AcupuncturePlan,
    Comparison,
    Complaint,
    DangerZone,
    DryNeedlingPlan,
    Meridian,
    Muscle,
    SafetyModel,
)
from bodymap.data.names import normal_name, skeleton, unusual_letters

M = TypeVar("M", bound=BaseModel)


class _Refused(Exception):
    """Raised while reading JSON; parse_document adds the file name."""


@dataclass(frozen=True)
class Catalog:
    """Everything the diagrams can show, validated and cross-checked."""

    complaints: Mapping[str, Complaint]
    acupoints: Mapping[str, Acupoint]
    meridians: Mapping[str, Meridian]
    muscles: Mapping[str, Muscle]
    acupuncture: Mapping[str, AcupuncturePlan]
    dry_needling: Mapping[str, DryNeedlingPlan]
    danger_zones: tuple[DangerZone, ...] = ()
    comparison: Comparison | None = None
    safety: SafetyModel | None = None  # assets/data/safety.yaml: structures, regions, needling rules
    origin: str = field(default="built-in", compare=False)

    def complaint(self, complaint_id: str) -> Complaint:
        try:
            return self.complaints[complaint_id]
        except (KeyError, TypeError):
            valid = ", ".join(self.complaints)
            raise UnknownComplaintError(f"unknown complaint {complaint_id!r}; valid ids: {valid}") from None

    def points_for(self, complaint_id: str) -> tuple[tuple[Acupoint, str], ...]:
        """The complaint's acupoints with their placement (local/distal), in plan order."""
        plan = self.acupuncture.get(complaint_id)
        if plan is None:
            return ()
        return tuple((_at_levels(self.acupoints[use.code], use.at, self.safety), use.placement) for use in plan.points)

    def muscles_for(self, complaint_id: str) -> tuple[Muscle, ...]:
        plan = self.dry_needling.get(complaint_id)
        if plan is None:
            return ()
        return tuple(self.muscles[use.muscle] for use in plan.muscles)


def _at_levels(point: Acupoint, levels: tuple[str, ...], safety: SafetyModel | None = None) -> Acupoint:
    """The point with only the sites at the plan's levels (a site's `from` landmark), or as it is; the
    pregnancy caution and what lies beneath follow the levels kept."""
    if not levels:
        return point
    sites = tuple(s for s in point.sites if s.from_ in levels)
    caution = point.pregnancy_caution
    if caution is not None and caution.at and not any(s.from_ in caution.at for s in sites):
        caution = None  # e.g. the thoracic Jiaji: the lumbosacral caution does not reach them
    update: dict[str, Any] = {"sites": sites, "pregnancy_caution": caution}
    if safety is not None and point.needling is not None:
        drawn = tuple(s.from_ for s in sites if s.from_)
        beneath = safety.beneath_at(point.code, point.needling.beneath, drawn)
        update["needling"] = point.needling.model_copy(update={"beneath": beneath})  # the lumbar Jiaji: no lung
    return point.model_copy(update=update)


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most `limit` bytes of a regular file; devices, FIFOs and folders are refused unread."""
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer (regular files ignore the flag)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a device, FIFO or socket"
            raise DataError(f"{path}: is {kind}, not a regular file; give a YAML or JSON file")
        chunks, left = [], limit + 1  # one byte more than allowed tells "too large" apart
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise DataError(too_large(path, None, limit))  # only limit + 1 bytes were read: the size is unknown
    return data


def too_large(name: object, size: int | None = None, limit: int = MAX_FILE_BYTES) -> str:
    """The one refusal for a file over the size limit, from the CLI, the sandbox and the app alike."""
    how = f"{size:,} bytes, " if size is not None else ""
    return f"{name}: {how}larger than the limit of {limit:,} bytes ({limit / 2**20:g} MB)"


def clean_file_name(name: object) -> str:
    """An uploaded file's name as messages show it: one line, NFKC, no bidi or zero-width characters."""
    return one_line(normal_name(str(name)).replace("\x00", "")).strip() or "upload"


def decode(data: bytes, name: str) -> str:
    """UTF-8 text; a leading byte-order mark is dropped, for YAML and JSON alike."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{name}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    return text.removeprefix("\ufeff")


def read_document(path: Path, *, user: bool = False, shown: str | None = None) -> Any:
    """Parse a YAML or JSON file, turning every failure into a DataError naming the file.

    `shown` is how messages name it (default: the path as given), so that a parse error and a
    validation error of the same file name it the same way.
    """
    name = shown or str(path)
    text = decode(read_bytes(path), name)
    return parse_document(text, name, json_first=path.suffix.lower() == ".json", user=user)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"duplicate key {clip(key)!r}")
        out[key] = value
    return out


def _count_nodes(raw: Any, name: str) -> None:
    """JSON has no aliases, but a flat list of a million numbers is still refused before validation."""
    count, stack = 0, [raw]
    while stack:
        current = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise DataError(f"{name}: more than {MAX_NODES} values; the limit is {MAX_NODES} per file")
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def parse_document(text: str, name: str, *, json_first: bool = False, user: bool = False) -> Any:
    """YAML or JSON text to Python values; `user` adds the limits for files we did not write."""
    text = text.removeprefix("\ufeff")  # a byte-order mark: YAML skips it, so JSON does too
    if user and not text.strip():
        raise DataError(f"{name}: the file is empty (or only blank lines)")
    if not json_first:
        # PyYAML is imported only here, when a YAML file is read: the built-in catalog is compiled.
        from bodymap.data import yamlsafe

        return yamlsafe.load(text, name, user=user)
    try:
        raw = json.loads(text, object_pairs_hook=_json_pairs)
    except _Refused as exc:
        raise DataError(f"{name}: {exc}") from None
    except (ValueError, RecursionError, MemoryError) as exc:  # ValueError: e.g. a 5,000-digit int
        raise DataError(f"{name}: not valid JSON: {plain_reason(exc)}") from None
    if user:
        _count_nodes(raw, name)
    return raw


def _entry_name(raw: Any, index: int) -> str:
    if isinstance(raw, Mapping):
        for key in ("code", "id", "complaint"):
            value = raw.get(key)
            if isinstance(value, str):
                return f"entry {index + 1} ({value[:60]!r})"
    return f"entry {index + 1}"


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"]) or "(entry)"
        parts.append(f"{where}: {err['msg']}")
    more = len(exc.errors()) - 3
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def validate_entries(model: type[M], raw: Any, name: str) -> list[M]:
    """Validate a list of entries, each error naming the file, the entry and the field."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DataError(f"{name}: expected a list of entries, found {type(raw).__name__}")
    out = []
    for index, item in enumerate(raw):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            raise DataError(f"{name}: {_entry_name(item, index)}: {_describe(exc)}") from None
    return out


def validate_one(model: type[M], raw: Any, name: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(f"{name}: {_describe(exc)}") from None


def _index(entries: Iterable[M], key: str, name: str) -> dict[str, M]:
    out: dict[str, M] = {}
    for entry in entries:
        value = getattr(entry, key)
        if value in out:
            raise DataError(f"{name}: duplicate {key} {value!r}")
        out[value] = entry
    return out


def _cross_check(cat: Catalog, name: str) -> None:
    """References between files must resolve: plans to complaints, points and muscles."""
    for acu in cat.acupuncture.values():
        _check_plan(cat, name, (Therapy.ACUPUNCTURE, acu.complaint), "point", [u.code for u in acu.points], cat.acupoints,
                    "acupoint")
    for dry in cat.dry_needling.values():
        _check_plan(cat, name, (Therapy.DRY_NEEDLING, dry.complaint), "muscle", [u.muscle for u in dry.muscles], cat.muscles,
                    "muscle")
    _check_meridians(cat, name)
    _check_trigger_ids(cat, name)
    _check_beneath(cat, name)
    _check_levels(cat, name)


def _check_plan(cat: Catalog, name: str, plan: tuple[str, str], kind: str, refs: list[str], known: Mapping[str, Any],
                catalog_name: str) -> None:
    """A plan (therapy, complaint) names a known complaint and lists each known point or muscle once."""
    therapy, complaint = plan
    if complaint not in cat.complaints:
        raise DataError(f"{name}: {therapy} plan for unknown complaint {complaint!r}")
    seen: set[str] = set()
    for ref in refs:
        if ref not in known:
            raise DataError(f"{name}: {therapy} plan {complaint!r}: {kind} {ref!r} is not in the {catalog_name} catalog")
        if ref in seen:
            raise DataError(f"{name}: {therapy} plan {complaint!r}: {kind} {ref!r} listed twice")
        seen.add(ref)


def _check_meridians(cat: Catalog, name: str) -> None:
    """A meridian's path names known points; a point's number lies within its meridian's count."""
    for meridian in cat.meridians.values():
        for code in meridian.path_codes:
            if code not in cat.acupoints:
                raise DataError(f"{name}: meridian {meridian.id}: path point {code!r} is not in the acupoint catalog")
    for point in cat.acupoints.values():
        if point.meridian and point.meridian in cat.meridians:
            number = int(point.code[len(point.meridian):])
            if number > cat.meridians[point.meridian].count:
                last = f"{point.meridian}{cat.meridians[point.meridian].count}"
                raise DataError(f"{name}: {point.code} is outside its meridian's range {point.meridian}1-{last}")


def _check_trigger_ids(cat: Catalog, name: str) -> None:
    """Trigger point ids are unique across muscles (the scene's ids and the app's cards rely on it)."""
    trigger_ids: set[str] = set()
    for muscle in cat.muscles.values():
        for tp in muscle.trigger_points:
            if tp.id in trigger_ids:
                raise DataError(f"{name}: trigger point id {tp.id!r} is used twice")
            trigger_ids.add(tp.id)


def _check_levels(cat: Catalog, name: str) -> None:
    """A plan's `at` names levels where its point has a site."""
    for acu in cat.acupuncture.values():
        for use in acu.points:
            have = {s.from_ for s in cat.acupoints[use.code].sites}
            for level in use.at:
                if level not in have:
                    raise DataError(f"{name}: acupuncture plan {acu.complaint!r}: {use.code} has no site at {level!r}; "
                                    f"its levels: {', '.join(sorted(x for x in have if x))}")


def _check_beneath(cat: Catalog, name: str) -> None:
    """Every `needling.beneath` names a structure of the safety model."""
    if cat.safety is None:
        return
    known = {s.id for s in cat.safety.structures}
    entries = [(p.code, p.needling) for p in cat.acupoints.values()]
    entries += [(tp.id, tp.needling) for m in cat.muscles.values() for tp in m.trigger_points]
    for key, needling in entries:
        for sid in needling.beneath if needling else ():
            if sid not in known:
                raise DataError(f"{name}: {key}: needling.beneath {sid!r} is not a structure; valid: {', '.join(sorted(known))}")


def _load_folder(folder: Path, model: type[M]) -> list[M]:
    plans = []
    for path in sorted(folder.glob("*.yaml")):
        plan = validate_one(model, read_document(path, shown=path.name), path.name)
        if getattr(plan, "complaint", path.stem) != path.stem:
            raise DataError(f"{path.name}: complaint {plan.complaint!r} does not match the file name")  # type: ignore[attr-defined]
        plans.append(plan)
    return plans


def _parts(root: Path | None = None) -> dict[str, Any]:
    """Read and validate every file under `assets/data` (or `root`), as the Catalog's fields."""
    data = (root or assets_dir()) / "data"

    def entries(model: type[M], filename: str) -> list[M]:
        return validate_entries(model, read_document(data / filename, shown=filename), filename)

    comparison_path = data / "comparison.yaml"
    return {
        "complaints": _index(entries(Complaint, "complaints.yaml"), "id", "complaints.yaml"),
        "acupoints": _index(entries(Acupoint, "acupoints.yaml"), "code", "acupoints.yaml"),
        "meridians": _index(entries(Meridian, "meridians.yaml"), "id", "meridians.yaml"),
        "muscles": _index(entries(Muscle, "muscles.yaml"), "id", "muscles.yaml"),
        "acupuncture": _index(_load_folder(data / "acupuncture", AcupuncturePlan), "complaint", "acupuncture/"),
        "dry_needling": _index(_load_folder(data / Therapy.DRY_NEEDLING.value, DryNeedlingPlan), "complaint", "dry-needling/"),
        "danger_zones": tuple(entries(DangerZone, "danger-zones.yaml")),
        "comparison": validate_one(Comparison, read_document(comparison_path, shown=comparison_path.name),
                                   comparison_path.name)
        if comparison_path.exists()
        else None,
        "safety": validate_one(SafetyModel, read_document(data / "safety.yaml", shown="safety.yaml"), "safety.yaml")
        if (data / "safety.yaml").exists()
        else None,
    }


def load_builtin(root: Path | None = None) -> Catalog:
    """Read, validate and cross-check every file under `assets/data` (or `root`): the slow, full path."""
    cat = Catalog(**_parts(root))
    _cross_check(cat, "assets/data")
    check_placeholders(cat, "assets/data")
    return resolve_cautions(cat)


def compile_builtin(root: Path | None = None) -> str:
    """The compiled catalog's text (`tools/build_catalog.py` writes it; a test compares it with the file)."""
    parts = {name: getattr(load_builtin(root), name) for name in compiled.PARTS}
    return compiled.dumps(parts, (root or assets_dir()) / "data")


@cache
def load_catalog() -> Catalog:
    """The built-in catalog, loaded once per process from its compiled file (validated when it was built)."""
    return Catalog(**compiled.load_parts(assets_dir() / "data"))


CUSTOM_KEYS = ("complaints", "acupoints", "muscles", "acupuncture", "dry_needling")


def merge_custom(base: Catalog, raw: Any, name: str) -> Catalog:
    """Add a user's own complaints, points, muscles and plans to a catalog.

    The custom document is a mapping with any of the keys in CUSTOM_KEYS, each a list in the
    format of the matching built-in file. Custom entries may reuse built-in points and muscles
    but may not redefine them (so the reference data stays what it says it is).
    """
    if not isinstance(raw, Mapping):
        raise DataError(f"{name}: expected a mapping with keys {', '.join(CUSTOM_KEYS)}")
    unknown = sorted(set(map(str, raw)) - set(CUSTOM_KEYS))
    if unknown:
        raise DataError(f"{name}: unknown key {unknown[0]!r}; valid keys: {', '.join(CUSTOM_KEYS)}")
    if not any(raw.get(k) for k in CUSTOM_KEYS):
        raise DataError(f"{name}: the file defines nothing; add at least one of {', '.join(CUSTOM_KEYS)}")
    _check_sizes(raw, name)

    def add(existing: Mapping[str, M], model: type[M], key: str, attr: str) -> dict[str, M]:
        merged = dict(existing)
        for entry in validate_entries(model, raw.get(key), f"{name}: {key}"):
            value = getattr(entry, attr)
            if value in merged:
                raise DataError(f"{name}: {key}: {attr} {value!r} already exists in the catalog")
            merged[value] = entry
        return merged

    cat = Catalog(
        complaints=add(base.complaints, Complaint, "complaints", "id"),
        acupoints=add(base.acupoints, Acupoint, "acupoints", "code"),
        meridians=base.meridians,
        muscles=add(base.muscles, Muscle, "muscles", "id"),
        acupuncture=add(base.acupuncture, AcupuncturePlan, "acupuncture", "complaint"),
        dry_needling=add(base.dry_needling, DryNeedlingPlan, "dry_needling", "complaint"),
        danger_zones=base.danger_zones,
        comparison=base.comparison,
        safety=base.safety,
        origin=name,
    )
    _cross_check(cat, name)
    check_placeholders(cat, name)
    _check_markers(cat, name)
    # Complaints only: the selector lists them by name alone. A muscle of the user's own may share
    # a built-in's name (their masseter, other trigger points); search shows it with its id.
    _check_look_alikes(cat.complaints, base.complaints, name, "complaints", "complaint")
    return resolve_cautions(cat, done=base.complaints)


def _check_look_alikes(merged: Mapping[str, Any], existing: Mapping[str, Any], name: str, key: str, what: str) -> None:
    """A user's entry may not be named like another one (UTS #39 skeletons): two such entries in a list
    cannot be told apart, and one could pass for the built-in reference data."""
    seen = {skeleton(entry.name): entry for entry in existing.values()}
    for entry_id, entry in merged.items():
        if entry_id in existing:
            continue
        other = seen.get(skeleton(entry.name))
        if other is not None:
            kind = "built-in " if other.id in existing else ""
            letters = unusual_letters(entry.name)
            raise DataError(f"{name}: {key}: {entry.id}: name {entry.name!r} looks the same as the {kind}{what} "
                            f"{other.name!r}" + (f" (it uses {letters})" if letters else "")
                            + "; give it a name that can be told apart")
        seen[skeleton(entry.name)] = entry


def _too_many(where: str, count: int, limit: int, what: str, per: str = "entry") -> DataError:
    return DataError(f"{where}: {count} {what}; the limit is {limit} {what} per {per}")


def _check_sizes(raw: Mapping[str, Any], name: str) -> None:
    """Refuse oversized lists before validation, so their cost is never paid."""
    lists: dict[str, list] = {key: value for key in CUSTOM_KEYS if isinstance(value := raw.get(key), list)}
    total = sum(len(entries) for entries in lists.values())
    if total > MAX_ENTRIES:
        raise _too_many(name, total, MAX_ENTRIES, "entries", "file")

    def items(entry: Any, key: str) -> list:
        value = entry.get(key) if isinstance(entry, Mapping) else None
        return value if isinstance(value, list) else []

    def cap(where: str, entry: Any, key: str, limit: int, what: str) -> None:
        if len(items(entry, key)) > limit:
            raise _too_many(where, len(items(entry, key)), limit, what)

    for index, point in enumerate(lists.get("acupoints", ())):
        cap(f"{name}: acupoints: {_entry_name(point, index)}", point, "sites", MAX_SITES, "sites")
    for index, muscle in enumerate(lists.get("muscles", ())):
        where = f"{name}: muscles: {_entry_name(muscle, index)}"
        cap(where, muscle, "trigger_points", MAX_TRIGGER_POINTS, "trigger points")
        cap(where, muscle, "outline", MAX_VERTICES, "outline vertices")
        cap(where, muscle, "referral", MAX_AREAS, "referral zones")
        for tp_index, tp in enumerate(items(muscle, "trigger_points")):
            cap(f"{where}: trigger point {tp_index + 1}", tp, "sites", MAX_SITES, "sites")
        for zone_index, zone in enumerate(items(muscle, "referral")):
            cap(f"{where}: referral zone {zone_index + 1}", zone, "points", MAX_VERTICES, "vertices")


def _marks(points: Iterable[Acupoint], muscles: Iterable[Muscle]) -> int:
    """How many markers these points and muscles draw, both sides counted."""
    total = sum(len(p.sites) * (2 if p.bilateral else 1) for p in points)
    return total + sum(2 * len(tp.sites) for m in muscles for tp in m.trigger_points)


def _check_markers(cat: Catalog, name: str) -> None:
    """The atlas draws every marker of the catalog, a complaint's figure those of its plans; keep both bounded."""
    total = _marks(cat.acupoints.values(), cat.muscles.values())
    if total > MAX_MARKERS:
        raise DataError(f"{name}: the catalog would draw {total} markers; the limit is {MAX_MARKERS} markers in all")
    for cid in cat.complaints:
        count = _marks((p for p, _ in cat.points_for(cid)), cat.muscles_for(cid))
        if count > MAX_COMPLAINT_MARKERS:
            raise DataError(f"{name}: complaint {clip(cid)!r} would draw {count} markers; "
                            f"the limit is {MAX_COMPLAINT_MARKERS} markers per complaint")


def load_custom(path: Path | str, base: Catalog | None = None) -> Catalog:
    """The built-in catalog plus the entries of a user's YAML or JSON file."""
    path = Path(path)  # messages name the path as given, for parse and validation errors alike
    return merge_custom(base or load_catalog(), read_document(path, user=True), str(path))


def load_custom_text(text: str, name: str, base: Catalog | None = None) -> Catalog:
    """Like load_custom, for text that came from an upload rather than a file."""
    size = len(text.encode("utf-8", "replace"))
    if size > MAX_FILE_BYTES:
        raise DataError(too_large(name, size))
    raw = parse_document(text, name, json_first=name.lower().endswith(".json"), user=True)
    return merge_custom(base or load_catalog(), raw, name)
