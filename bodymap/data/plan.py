"""Today's session plan: the points a clinician chose for one patient, each with its side and a note.

A plan is data, not app state: the app, the CLI (`--points`, `--plan`) and `bodymap.render(plan=...)`
all build the same `SessionPlan`, checked against the catalog by `check_plan`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bodymap.core.errors import DataError, PlanError, clip
from bodymap.core.vocabulary import Side
from bodymap.data.catalog import Catalog, read_bytes

MAX_ENTRIES = 200  # a session never uses more; a longer plan is a mistake or an attack
MAX_PLAN_BYTES = 64_000  # 200 entries with 200-character notes fit in about 50 kB of JSON
SIDES = (Side.LEFT.value, Side.RIGHT.value, Side.BOTH.value)
# What a link or the command line may write after the colon: the word or its first letter.
SIDE_WORDS: dict[str, Side] = {**{s.value: s for s in Side}, **{s.value[0]: s for s in Side}}
SIDE_LETTER: dict[str, str] = {Side.LEFT: "L", Side.RIGHT: "R", Side.BOTH: ""}

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9,-]*$"  # a WHO code (BL23), an ear point (Shenmen) or a trigger point id
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=CODE_PATTERN)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]


class PlanEntry(BaseModel):
    """One point of today's plan: an acupoint code (BL40) or a trigger point id (ql-superficial-upper)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    code: Code
    side: Side = Side.BOTH
    note: Note | None = None

    def token(self) -> str:
        """The entry as written in a link or on the command line: BL23:L, BL40."""
        letter = SIDE_LETTER[self.side]
        return f"{self.code}:{letter}" if letter else self.code


class SessionPlan(BaseModel):
    """The points chosen for one session, in the order the clinician chose them (at most 200)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="bodymap session plan")

    version: Literal[1] = 1
    complaint: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)] | None = None
    entries: tuple[PlanEntry, ...] = Field(default=(), max_length=MAX_ENTRIES)

    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.entries)

    def tokens(self) -> str:
        """BL40,BL23:L,ql-superficial-upper:R: the plan in a link (notes are not carried)."""
        return ",".join(e.token() for e in self.entries)

    def with_entry(self, entry: PlanEntry) -> SessionPlan:
        """The plan with `entry` added, or replacing the entry of the same code (its side changed)."""
        rest = [e for e in self.entries if e.code != entry.code]
        if len(rest) == len(self.entries):
            return self.model_copy(update={"entries": (*self.entries, entry)})
        return self.model_copy(update={"entries": tuple(entry if e.code == entry.code else e for e in self.entries)})

    def without(self, code: str) -> SessionPlan:
        return self.model_copy(update={"entries": tuple(e for e in self.entries if e.code != code)})


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of a plan file (shipped as bodymap/data/plan.schema.json)."""
    return SessionPlan.model_json_schema()


def schema_path() -> Path:
    return Path(__file__).with_name("plan.schema.json")


# --- the catalog's view of a code ------------------------------------------------------------


def trigger_points(catalog: Catalog) -> dict[str, tuple[Any, Any]]:
    """Every trigger point id -> (muscle, trigger point)."""
    return {tp.id: (m, tp) for m in catalog.muscles.values() for tp in m.trigger_points}


def known_codes(catalog: Catalog) -> list[str]:
    return [*catalog.acupoints, *trigger_points(catalog)]


def on_midline(catalog: Catalog, code: str) -> bool:
    """A body point on the midline (GV, CV, Yintang) has no left or right."""
    point = catalog.acupoints.get(code)
    return point is not None and point.system == "body" and not point.bilateral


def closest(catalog: Catalog, code: str, n: int = 3) -> list[str]:
    """The known codes most like `code` (case folded), those of the same channel or muscle first."""
    folded = code.lower()
    head = re.match(r"[a-z]*", folded).group(0)  # type: ignore[union-attr]

    def score(known: str) -> float:
        k = known.lower()
        same = bool(head) and re.match(r"[a-z]*", k).group(0) == head  # type: ignore[union-attr]
        return difflib.SequenceMatcher(None, folded, k).ratio() + (0.3 if same else 0.0)

    ranked = sorted(known_codes(catalog), key=lambda k: (-score(k), k))
    return [k for k in ranked[:n] if score(k) >= 0.5]


def canonical(catalog: Catalog, code: str) -> str | None:
    """The catalog's spelling of a code given in any case (bl40 -> BL40), or None when unknown."""
    if code in catalog.acupoints:
        return code
    folded = code.lower()
    for known in known_codes(catalog):
        if known.lower() == folded:
            return known
    return None


def _unknown(catalog: Catalog, code: str) -> str:
    near = closest(catalog, code)
    hint = f"; closest: {', '.join(near)}" if near else "; see bodymap list and the points tables"
    return f"unknown point {clip(code)!r}{hint}"


def check_entry(catalog: Catalog, entry: PlanEntry) -> PlanEntry:
    """The entry with the catalog's spelling of its code, or a one-line PlanError."""
    code = canonical(catalog, entry.code)
    if code is None:
        raise PlanError(_unknown(catalog, entry.code))
    if entry.side != Side.BOTH and on_midline(catalog, code):
        raise PlanError(f"{code} lies on the midline: it has no {entry.side} side (leave the side out)")
    return entry if code == entry.code else entry.model_copy(update={"code": code})


def check_plan(catalog: Catalog, plan: SessionPlan) -> SessionPlan:
    """Every code known, every side sensible, no code twice; else a one-line PlanError."""
    seen: set[str] = set()
    entries = []
    for entry in plan.entries:
        entry = check_entry(catalog, entry)
        if entry.code in seen:
            raise PlanError(f"{entry.code} is in the plan twice; give it once, with side both")
        seen.add(entry.code)
        entries.append(entry)
    if plan.complaint is not None:
        catalog.complaint(plan.complaint)
    return plan.model_copy(update={"entries": tuple(entries)})


# --- reading a plan ----------------------------------------------------------------------------


def parse_token(token: str) -> PlanEntry:
    """'BL23:L' -> PlanEntry(BL23, left); a one-line PlanError for a bad side or code."""
    code, _, side = token.strip().partition(":")
    word = SIDE_WORDS.get(side.strip().lower()) if side else Side.BOTH
    if word is None:
        raise PlanError(f"unknown side {clip(side)!r} in {clip(token)!r}; use L, R or B (left, right, both)")
    try:
        return PlanEntry(code=code, side=word)
    except ValidationError:
        raise PlanError(f"{clip(token)!r} is not a point code or trigger point id") from None


def split_tokens(text: str) -> list[str]:
    tokens = [t for t in (part.strip() for part in text.split(",")) if t]
    if len(tokens) > MAX_ENTRIES:
        raise PlanError(f"{len(tokens)} points given; a plan holds at most {MAX_ENTRIES}")
    return tokens


def parse_points(catalog: Catalog, text: str, complaint: str | None = None) -> SessionPlan:
    """--points BL40,BL23:L,ql-superficial-upper:R as a checked plan (a one-line PlanError otherwise)."""
    if not isinstance(text, str):
        raise PlanError(f"points must be text such as 'BL40,BL23:L', not {type(text).__name__}")
    entries = tuple(parse_token(t) for t in split_tokens(text))
    return check_plan(catalog, SessionPlan(complaint=complaint, entries=entries))


def parse_lenient(catalog: Catalog, text: str, complaint: str | None = None) -> tuple[SessionPlan, list[str]]:
    """A plan from a link: the good entries kept, the bad ones returned (as given) for a notice."""
    good: list[PlanEntry] = []
    bad: list[str] = []
    tokens = [t for t in (p.strip() for p in text.split(",")) if t]
    for token in tokens[:MAX_ENTRIES]:
        try:
            entry = check_entry(catalog, parse_token(token))
        except PlanError:
            bad.append(token)
            continue
        if entry.code not in {e.code for e in good}:
            good.append(entry)
    bad += tokens[MAX_ENTRIES:]
    return SessionPlan(complaint=complaint, entries=tuple(good)), bad


def protocol(catalog: Catalog, complaint: str) -> SessionPlan:
    """The complaint's protocol as a plan: every trigger point of its muscles, then its acupoints, both sides."""
    c = catalog.complaint(complaint)
    codes = [tp.id for m in catalog.muscles_for(c.id) for tp in m.trigger_points]
    codes += [p.code for p, _ in catalog.points_for(c.id)]
    unique = list(dict.fromkeys(codes))
    return SessionPlan(complaint=c.id, entries=tuple(PlanEntry(code=code) for code in unique))


def from_value(catalog: Catalog, value: Any, complaint: str | None = None) -> SessionPlan:
    """What `render(plan=...)` accepts: a SessionPlan, 'BL40,BL23:L', a list of tokens or entries, or a plan dict."""
    if isinstance(value, SessionPlan):
        return check_plan(catalog, value)
    if isinstance(value, str):
        return parse_points(catalog, value, complaint)
    if isinstance(value, Mapping):
        return check_plan(catalog, _validated(value, "plan"))
    if isinstance(value, Iterable):
        items = list(value)
        if len(items) > MAX_ENTRIES:
            raise PlanError(f"{len(items)} points given; a plan holds at most {MAX_ENTRIES}")
        entries = tuple(parse_token(i) if isinstance(i, str) else _entry(i) for i in items)
        return check_plan(catalog, SessionPlan(complaint=complaint, entries=entries))
    raise PlanError(f"plan must be a SessionPlan, text such as 'BL40,BL23:L' or a list, not {type(value).__name__}")


def _entry(value: Any) -> PlanEntry:
    if isinstance(value, PlanEntry):
        return value
    try:
        return PlanEntry.model_validate(value)
    except ValidationError as exc:
        raise PlanError(f"plan entry {clip(value)}: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(plan)"
    return f"{where}: {err['msg']}"


def _validated(raw: Any, name: str) -> SessionPlan:
    if isinstance(raw, Mapping) and isinstance(raw.get("entries"), list) and len(raw["entries"]) > MAX_ENTRIES:
        raise PlanError(f"{name}: {len(raw['entries'])} entries; a plan holds at most {MAX_ENTRIES}")
    try:
        return SessionPlan.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(f"{name}: {_first_error(exc)}") from None


def plan_from_json(catalog: Catalog, text: str | bytes, name: str = "plan") -> SessionPlan:
    """A plan file's text (JSON only: no aliases, no tags), size-limited, validated and checked."""
    if len(text) > MAX_PLAN_BYTES:
        raise PlanError(f"{name}: {len(text)} bytes; a plan file is at most {MAX_PLAN_BYTES}")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise PlanError(f"{name}: not UTF-8 text") from None
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PlanError(f"{name}: not valid JSON: {clip(first, 100)}") from None
    if not isinstance(raw, Mapping):
        raise PlanError(f"{name}: a plan file is a JSON object with 'entries', not a {type(raw).__name__}")
    return check_plan(catalog, _validated(raw, name))


def load_plan_file(catalog: Catalog, path: str | Path) -> SessionPlan:
    """--plan plan.json: a regular file of at most MAX_PLAN_BYTES, read and checked."""
    path = Path(path)
    try:
        data = read_bytes(path, MAX_PLAN_BYTES)
    except DataError as exc:
        raise PlanError(str(exc)) from None
    return plan_from_json(catalog, data, path.name)


def plan_to_json(plan: SessionPlan) -> str:
    return json.dumps(plan.model_dump(exclude_none=True), ensure_ascii=False, indent=1) + "\n"
