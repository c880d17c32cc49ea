"""What the handouts say, apart from how they are drawn: patient text, tick list, reference rows, sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from bodymap.core.assets import assets_dir
from bodymap.core.errors import OptionError
from bodymap.core.vocabulary import Layer, Placement, Therapy
from bodymap.data.catalog import Catalog, read_document, validate_one
from bodymap.data.models import Evidence
from bodymap.data.safety import needling_summary, safety_note
from bodymap.data.words import patient_name
from bodymap.scene.build import Scene

HEADINGS = ("What to expect", "After the session", "When to get help")  # fixed by issue 12
CAUTION_IDS = ("pregnancy", "bleeding", "fainting")
MAX_CLINIC = 120  # characters: one line at the clinic line's size on A4

# Short patient text: a handout item must stay a few lines in a third of a page.
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=1000)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# What may lie beneath a point (`needling.beneath` in the data): the structures a warning can name.
STRUCTURES = ("lung-pleura", "spinal-cord", "medulla", "vertebral-artery", "carotid-artery", "popliteal-vessels",
              "median-nerve", "ulnar-nerve", "sciatic-nerve", "facial-nerve", "kidney")


class When(_Model):
    """When a statement applies: a point of the session has one of these structures beneath it, or a therapy is used."""

    beneath: tuple[Literal[STRUCTURES], ...] | None = None  # type: ignore[valid-type]
    therapy: Therapy | None = None

    @field_validator("beneath", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _says_something(self) -> When:
        if self.beneath is None and self.therapy is None:
            raise ValueError("'when' needs 'beneath' or 'therapy' (or write when: always)")
        return self

    def holds(self, session: Session) -> bool:
        if self.beneath is not None and not set(self.beneath) & session.beneath:
            return False
        return self.therapy is None or self.therapy in session.therapies


class Item(_Model):
    text: Line
    source: Source
    uncertain: Annotated[str, StringConstraints(max_length=1000)] | None = None
    when: Literal["always"] | When  # every statement says when it applies

    def applies(self, session: Session) -> bool:
        return self.when == "always" or self.when.holds(session)


@dataclass(frozen=True)
class Session:
    """What the advice depends on: the therapies used and the structures beneath the points used."""

    therapies: frozenset[str]
    beneath: frozenset[str]


class Section(_Model):
    heading: Line
    items: tuple[Item, ...] = Field(min_length=1, max_length=6)


class Caution(Item):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]


class PointsBox(_Model):
    heading: Line
    hint: Line


class HandoutText(_Model):
    """assets/data/handout.yaml: the three sections, the one-line cautions, the tick box's words."""

    sections: tuple[Section, ...]
    cautions: tuple[Caution, ...]
    points: PointsBox

    @model_validator(mode="after")
    def _fixed_parts(self) -> HandoutText:
        headings = tuple(s.heading for s in self.sections)
        if headings != HEADINGS:
            raise ValueError(f"sections must be exactly {', '.join(HEADINGS)} in that order, not {', '.join(headings)}")
        ids = tuple(c.id for c in self.cautions)
        if sorted(ids) != sorted(CAUTION_IDS):
            raise ValueError(f"cautions must be {', '.join(CAUTION_IDS)}, once each; found {', '.join(ids)}")
        return self


def load_handout_text(path: Path | None = None) -> HandoutText:
    """The patient text, validated (a DataError naming the file and field otherwise)."""
    if path is None:
        return _builtin_text()
    return validate_one(HandoutText, read_document(path), path.name)


@cache
def _builtin_text() -> HandoutText:
    path = assets_dir() / "data" / "handout.yaml"
    return validate_one(HandoutText, read_document(path), path.name)


def check_clinic(clinic: Any) -> str | None:
    """The clinic line as given, or a one-line OptionError: one short printable line."""
    if clinic is None:
        return None
    if not isinstance(clinic, str):
        raise OptionError(f"clinic must be text such as 'Name, phone', not {type(clinic).__name__}")
    text = " ".join(clinic.split())
    if len(text) > MAX_CLINIC:
        raise OptionError(f"clinic line is {len(text)} characters; at most {MAX_CLINIC} fit on the page")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
        raise OptionError("clinic line contains control characters")
    return text or None


# --- the patient handout --------------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    """One line of the "points used today" box: the marker's symbol, what it is, its plain name."""

    key: str  # dry-needling | acupuncture-local | acupuncture-distal
    code: str  # WHO code, or the muscle's name
    name: str
    side: str = ""  # a plan's side in words ("left side", "both sides"); empty for the protocol
    ticked: bool = False  # a plan's points are ticked: they are the ones used today


@dataclass(frozen=True)
class Patient:
    title: str
    subtitle: str
    clinic: str | None
    sections: tuple[Section, ...]
    cautions: tuple[Caution, ...]
    points: PointsBox
    ticks: tuple[Tick, ...]
    disclaimer: str
    empty: str = ""  # said in the figure's place when the plan has no points


def therapies(scene: Scene) -> tuple[str, ...]:
    """The therapies the scene shows (both when it shows neither: anatomy only)."""
    shown = tuple(t for t in (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE) if t in scene.overlays)
    return shown or (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE)


def beneath_of(item: Any) -> tuple[str, ...]:
    """The structures beneath a point or trigger point (`needling.beneath`; none when the data has not got them)."""
    return tuple(getattr(getattr(item, "needling", None), "beneath", None) or ())


def session(scene: Scene, catalog: Catalog) -> Session:
    """What the advice depends on: the plan's points when there is a plan, else the protocol's points as drawn."""
    tps = {tp.id: tp for m in catalog.muscles.values() for tp in m.trigger_points}
    if scene.plan is not None:
        codes = set(scene.plan.codes())
    else:
        codes = {m.code for m in scene.markers if m.layer in (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE)}
    used = {Layer.DRY_NEEDLING for c in codes if c in tps} | {Layer.ACUPUNCTURE for c in codes if c in catalog.acupoints}
    drawn = {p.code: p for p, _ in catalog.points_for(scene.complaint_id)}  # at the protocol's levels
    below = {s for c in codes for s in beneath_of(drawn.get(c) or catalog.acupoints.get(c) or tps.get(c))}
    return Session(frozenset(used), frozenset(below))


def ticks(scene: Scene, catalog: Catalog) -> tuple[Tick, ...]:
    """Every point and needled muscle drawn, once each, dry needling first, in the scene's order."""
    if scene.plan is not None:
        return plan_ticks(scene, catalog)
    seen: dict[tuple[str, str], Tick] = {}
    for m in sorted(scene.markers, key=lambda m: m.therapy != Therapy.DRY_NEEDLING):
        if m.layer == Layer.DRY_NEEDLING and m.muscle:
            muscle = catalog.muscles.get(m.muscle)
            name = (muscle.name if muscle else m.name).split(" (")[0]  # the gloss is in the reference
            seen.setdefault(("dn", m.muscle), Tick(Layer.DRY_NEEDLING, name, "trigger points"))
        elif m.layer == Layer.ACUPUNCTURE:
            point = catalog.acupoints.get(m.code)
            name = point.pinyin if point is not None else m.name
            key = "acupuncture-distal" if m.placement == Placement.DISTAL else "acupuncture-local"
            seen.setdefault(("ac", m.code), Tick(key, m.code, name))
    return tuple(seen.values())


SIDE_WORDS = {"both": "both sides", "left": "left side", "right": "right side"}


def plan_ticks(scene: Scene, catalog: Catalog) -> tuple[Tick, ...]:
    """The plan's points in its order, ticked, in the patient's words, with their sides."""
    placement = {p.code: where for p, where in catalog.points_for(scene.complaint_id)}
    # The figure's label (where is read at the mark), without the code the tick shows apart.
    drawn = {m.code: m.label.removesuffix(f" ({m.code})") for m in reversed(scene.markers) if m.label}
    out = []
    for e in scene.plan.entries:
        point = catalog.acupoints.get(e.code)
        side = "" if point is not None and point.system == "body" and not point.bilateral else SIDE_WORDS[e.side]
        key: str  # the legend symbol's key
        if point is None:
            key, code = Layer.DRY_NEEDLING, ""
        else:
            key, code = ("acupuncture-distal" if placement.get(e.code) == Placement.DISTAL else "acupuncture-local"), e.code
        out.append(Tick(key, code, drawn.get(e.code) or patient_name(catalog, e.code), side, True))
    return tuple(out)


def patient(scene: Scene, catalog: Catalog, clinic: str | None = None, text: HandoutText | None = None) -> Patient:
    text = text or load_handout_text()
    now = session(scene, catalog)
    sections = tuple(s.model_copy(update={"items": tuple(i for i in s.items if i.applies(now))}) for s in text.sections)
    cautions = tuple(c for c in text.cautions if c.applies(now))
    names: dict[str, str] = {t: t.label.lower() for t in Therapy}  # "dry needling", "acupuncture"
    drawn = ticks(scene, catalog)
    cautions = _named_cautions(cautions, pregnancy_codes(drawn, catalog, scene.complaint_id))
    if scene.plan is None:
        chosen = " and ".join(names[t] for t in therapies(scene))
        subtitle = f"Your session: {chosen}. The figure shows where the needles go."
        return Patient(f"{scene.title}: your needling session", subtitle, check_clinic(clinic), sections, cautions,
                       text.points, drawn, scene.disclaimer)
    used = [names[t] for t in (Therapy.DRY_NEEDLING, Therapy.ACUPUNCTURE) if t in now.therapies]
    subtitle = ("Today: " + " and ".join(used) + ". The figure shows only the points chosen for you today." if used
                else "Today's points are chosen with your practitioner.")
    box = text.points.model_copy(update={"hint": "Ticked: the points your practitioner chose for today."})
    empty = "No points were chosen for today's session. The advice below still applies." if not scene.plan.entries else ""
    return Patient(f"{scene.title}: your session today", subtitle, check_clinic(clinic), sections, cautions, box,
                   drawn, scene.disclaimer, empty)


def pregnancy_codes(drawn: tuple[Tick, ...], catalog: Catalog, complaint_id: str) -> tuple[str, ...]:
    """The points on the page that carry a pregnancy flag: the same set as the layer and the cards."""
    planned = {p.code: p for p, _ in catalog.points_for(complaint_id)}
    points = {**catalog.acupoints, **planned}  # the plan's levels decide for a point group such as EX-B2
    return tuple(dict.fromkeys(t.code for t in drawn if t.key != Layer.DRY_NEEDLING and t.code in points
                               and points[t.code].pregnancy_caution is not None))


def _named_cautions(cautions: tuple[Caution, ...], codes: tuple[str, ...]) -> tuple[Caution, ...]:
    """The pregnancy line names the points it means, so the patient can point at them."""
    if not codes:
        return cautions
    named = f" On this page: {', '.join(codes)}."
    return tuple(c.model_copy(update={"text": c.text + named}) if c.id == "pregnancy" else c for c in cautions)


# --- the clinician reference ----------------------------------------------------------------


@dataclass
class Sources:
    """Deduplicated, numbered sources in first-use order."""

    numbers: dict[str, int] = field(default_factory=dict)

    def ref(self, source: str | None) -> str:
        if not source:
            return ""
        key = " ".join(source.split())
        return str(self.numbers.setdefault(key, len(self.numbers) + 1))


@dataclass(frozen=True)
class Row:
    key: str  # the marker symbol
    code: str  # point code, or the muscle's name (empty on a muscle's later trigger points)
    name: str
    location: str
    placement: str
    channel: str
    needling: str  # angle and depth, then what lies beneath; empty until the data has it
    ref: str


def needling_text(item: Any, safety: Any = None) -> str:
    """'oblique, posteriorly; 0.3-0.5 cun (7.5-12.5 mm). Beneath: lung and pleura. Safe: ... Caution: ...'
    from a `needling` entry and the safety model (the same words as the app's card)."""
    n = getattr(item, "needling", None)
    if n is None:
        return ""
    text = needling_summary(item)
    note = safety_note(item, safety)
    text += f". {note}" if note else ""
    return text + (f" Caution: {n.caution}" if getattr(n, "caution", None) else "")


def pregnancy_text(point: Any) -> str:
    """The point's own pregnancy flag, the one source the cautions, layer and cards also use."""
    caution = getattr(point, "pregnancy_caution", None)
    return f" Pregnancy: {PREGNANCY_NOTE[caution.group]}." if caution is not None else ""


def _with_pregnancy(needling: str, point: Any) -> str:
    flag = pregnancy_text(point).strip()
    return f"{needling.rstrip('.')}. {flag}" if needling and flag else needling or flag


PREGNANCY_NOTE = {"point": "a traditional 'forbidden point'", "lumbosacral": "lumbosacral, traditionally avoided",
                  "lower-abdomen": "lower abdomen, traditionally avoided",
                  "upper-abdomen": "upper abdomen, traditionally avoided"}


def reference_rows(scene: Scene, catalog: Catalog, sources: Sources) -> list[Row]:
    """One row per trigger point and per point of the chosen therapies, with its numbered source."""
    cid = scene.complaint_id
    rows: list[Row] = []
    shown = therapies(scene)
    dn = catalog.dry_needling.get(cid)
    if Layer.DRY_NEEDLING in shown and dn:
        for muscle_use in dn.muscles:
            muscle = catalog.muscles[muscle_use.muscle]
            for i, tp in enumerate(muscle.trigger_points):
                rows.append(Row(Layer.DRY_NEEDLING, "" if i else muscle.name, tp.name, tp.location, "local", "–",
                                needling_text(tp, catalog.safety), sources.ref(muscle_use.source)))
    ac = catalog.acupuncture.get(cid)
    if Layer.ACUPUNCTURE in shown and ac:
        planned = {p.code: p for p, _ in catalog.points_for(cid)}  # at the plan's levels
        for use in ac.points:
            p = planned.get(use.code, catalog.acupoints[use.code])
            # Pinyin and English; no hanzi, which the bundled DejaVu Sans cannot draw.
            name = p.pinyin + (f", {p.english}" if p.english else "")
            channel = p.meridian or ("ear" if p.system == "auricular" else "extra")
            key = "acupuncture-distal" if use.placement == Placement.DISTAL else "acupuncture-local"
            rows.append(Row(key, p.code, name, p.location, use.placement, channel,
                            _with_pregnancy(needling_text(p, catalog.safety), p), sources.ref(use.source)))
    return rows


UNVERIFIED = " (unverified: not checked against an abstract, so not given as a result)"


def cited(e: Evidence) -> str:
    """The source with the identifiers that were read in it, and what was read."""
    ids = [f"PMID {e.pmid}" if e.pmid else "", f"doi:{e.doi}" if e.doi else ""]
    read = {"abstract": "abstract read", "full text": "full text read"}.get(e.checked or "", "not read")  # type: ignore[arg-type]
    return f"{e.source}. " + "; ".join([i for i in ids if i] + [read])


def evidence_lines(scene: Scene, catalog: Catalog, sources: Sources) -> list[str]:
    """The complaint's evidence and cautions (issue 14's fields), once the data has them."""
    complaint = catalog.complaint(scene.complaint_id)
    names = {Layer.DRY_NEEDLING: "Dry needling", Layer.ACUPUNCTURE: "Acupuncture"}
    lines = [f"{names.get(e.therapy, e.therapy)}{'' if e.verified else UNVERIFIED}: {e.summary} [{sources.ref(cited(e))}]"
             for e in getattr(complaint, "evidence", ()) if e.therapy in therapies(scene)]
    lines += [f"Caution: {c}" for c in getattr(complaint, "cautions", ())]
    return lines


def rationales(scene: Scene, catalog: Catalog, sources: Sources) -> list[tuple[str, str, str]]:
    """(heading, symbol key, paragraph) for each therapy shown: why these points."""
    cid = scene.complaint_id
    out: list[tuple[str, str, str]] = []
    dn, ac = catalog.dry_needling.get(cid), catalog.acupuncture.get(cid)
    if Therapy.DRY_NEEDLING in therapies(scene) and dn:
        out.append(("Dry needling", Layer.DRY_NEEDLING, f"{dn.rationale} [{sources.ref(dn.source)}]"))
    if Therapy.ACUPUNCTURE in therapies(scene) and ac:
        out.append(("Acupuncture", "acupuncture-local",
                    f"{ac.rationale} [{sources.ref(ac.source)}] Foot and ankle points: {ac.foot_points}"))
    return out


def handout_sources(text: HandoutText, sources: Sources) -> list[str]:
    """The patient handout's statements with their numbered sources, for the clinician to check."""
    items = [*(i for s in text.sections for i in s.items), *text.cautions]
    return [f"{i.text} [{sources.ref(i.source)}]" + (f" Uncertain: {i.uncertain}" if i.uncertain else "") for i in items]
