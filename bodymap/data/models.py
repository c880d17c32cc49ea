"""Domain models of the clinical catalog: points, muscles, complaints, channels, zones.

Frozen pydantic models so that data is validated once, on load, and can then be shared
(and cached) without anyone mutating it. Unknown keys are rejected: a typo in a data file
is an error, not a silently ignored field.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bodymap.core.vocabulary import Placement, Therapy
from bodymap.data.names import normal_name, strip_invisible

# Text is one line of plain text: a blank line would end the one-line SVG that the app hands to
# markdown, and control characters have no business in a label. Breaks and tabs become one space.
_BREAKS = re.compile(r"[ \t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def _one_line(value: object) -> object:
    """Breaks to one space; control characters, bidi overrides and zero-width characters removed."""
    return _BREAKS.sub(" ", strip_invisible(_CONTROLS.sub("", value))) if isinstance(value, str) else value


def _name(value: object) -> object:
    """A name (short text) also in NFKC: full-width or styled letters become the plain ones they show."""
    value = _one_line(value)
    return normal_name(value) if isinstance(value, str) else value


_Plain = BeforeValidator(_one_line)
Text = Annotated[str, _Plain, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, BeforeValidator(_name), StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Source = Annotated[str, _Plain, StringConstraints(strip_whitespace=True, min_length=8, max_length=1000)]

MERIDIAN_IDS = ("LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV")
BODY_CODE = re.compile(r"^(LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)([1-9][0-9]?)$")
EXTRA_CODE = re.compile(r"^EX-(HN|CA|B|UE|LE)([1-9][0-9]?)$")
# GB/T 13734-2008 zone codes such as TF4, AH6a, or SF4,5 for a point spanning two zones.
AURICULAR_CODE = re.compile(r"^(HX|SF|AH|TF|CO|TG|AT|LO|P)([1-9][0-9]?[a-z]?)(,[1-9][0-9]?)?$|^[A-Z][A-Za-z]+(-[A-Za-z]+)*$")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)


class Site(Model):
    """A location rule: where a point lies on one panel, relative to its landmarks."""

    panel: Slug
    at: tuple[float, float] | None = None
    why: Text | None = None
    from_: Slug | None = Field(default=None, alias="from")
    to: Slug | None = None
    t: float | None = Field(default=None, ge=-1.0, le=2.0)
    along: Slug | None = None
    cun: float | None = Field(default=None, ge=-40, le=40)
    lateral: float | None = Field(default=None, ge=-20, le=20)
    lateral_measure: Slug | None = None
    shift: tuple[float, float] | None = None
    note: Text | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    @model_validator(mode="after")
    def _rule_is_complete(self) -> Site:
        if self.at is not None:
            if self.why is None:
                raise ValueError("an explicit 'at' position needs a 'why'")
            return self
        if self.from_ is None:
            raise ValueError("a site needs 'from' (a landmark) or 'at' with 'why'")
        if (self.to is None) != (self.t is None):
            raise ValueError("'to' and 't' go together")
        if (self.along is None) != (self.cun is None):
            raise ValueError("'along' and 'cun' go together")
        return self


# Why a point is cautioned in pregnancy: the point itself (the classical "forbidden points"), or
# the region it lies in. Complaint cautions name their points by group: `{pregnancy:lumbosacral}`.
PREGNANCY_GROUPS = ("point", "lumbosacral", "lower-abdomen", "upper-abdomen")


class PregnancyCaution(Model):
    group: Literal[PREGNANCY_GROUPS] = "point"  # type: ignore[valid-type]
    # For a point group drawn at several levels (EX-B2): the levels (a site's `from`) the caution
    # covers, e.g. the lumbar Jiaji only; empty: every site.
    at: tuple[Slug, ...] = ()
    note: Text
    source: Source
    uncertain: Text | None = None


# WHO/textbook needle angles, for acupoints and (since the safety model) trigger points alike.
ACUPOINT_ANGLES = ("perpendicular", "oblique", "transverse")
NEEDLE_ANGLES = ACUPOINT_ANGLES
Angle = Literal["perpendicular", "oblique", "transverse"]
MAX_NEEDLE_MM = 150.0  # the longest filiform needles in use; a larger depth is a typo


def _mm_range(value: tuple[float, float]) -> tuple[float, float]:
    if not 0 <= value[0] <= value[1] <= MAX_NEEDLE_MM:
        raise ValueError(f"[min, max] in mm with 0 <= min <= max <= {MAX_NEEDLE_MM:g}, not {list(value)}")
    return value


MmRange = Annotated[tuple[float, float], AfterValidator(_mm_range)]


class Needling(Model):
    """How a point or trigger point is needled: angle, direction, depth, what lies beneath.

    The text keys (`angle`, `depth`, `caution`) are what a reader sees; `direction`, `depth_mm` and
    `beneath` (structure ids of `assets/data/safety.yaml`) are what the rule check reads. They are
    optional here so that older user files still load; every built-in entry has them (a test).
    """

    angle: ShortText
    approach: Text | None = None  # trigger points: the patient's position and the approach in words
    direction: ShortText | None = None  # where the tip goes, e.g. "posteriorly"; a negation belongs in `caution`
    depth: ShortText
    depth_mm: MmRange | None = None
    beneath: tuple[Slug, ...] = ()
    caution: Text | None = None  # the organ, nerve or vessel beneath, when there is one
    source: Source
    uncertain: Text | None = None


class SafetyRule(Model):
    """What a needle may do over one structure in one region; several rules: the strictest wins."""

    angles: tuple[Angle, ...] = Field(min_length=1)
    max_depth_mm: float = Field(gt=0, le=MAX_NEEDLE_MM)
    forbidden_directions: tuple[ShortText, ...] = ()  # words the direction must not contain, e.g. "medial"
    both_sides: bool = True  # False: one side per session (chest wall)


class SafetyRegion(Model):
    """A region where a structure lies beneath: its measured depth, the rule, and who it covers."""

    id: Slug
    name: ShortText
    depth_mm: MmRange | None = None  # skin to the structure, as the source measured it; None: not measured by a source read
    population: Text  # whom the depth was measured in
    rule: SafetyRule
    entries: tuple[Annotated[str, StringConstraints(min_length=2, max_length=40)], ...] = ()  # codes and trigger-point ids
    # An entry that spans levels (EX-B2 runs T1-L5) is covered only where one of its sites is drawn from
    # one of these landmarks; an entry not named here is covered at every site.
    levels: dict[str, tuple[Slug, ...]] = {}
    source: Source
    uncertain: Text | None = None

    @model_validator(mode="after")
    def _unmeasured_says_so(self) -> SafetyRegion:
        if self.depth_mm is None and self.uncertain is None:
            raise ValueError("a region without a measured depth_mm needs 'uncertain' saying why")
        stray = sorted(set(self.levels) - set(self.entries))
        if stray:
            raise ValueError(f"levels given for {', '.join(stray)}, which the region does not list in 'entries'")
        return self

    def covers(self, key: str, levels: tuple[str, ...] | None = None) -> bool:
        """Whether the region covers an entry drawn at these site landmarks (None: anywhere it may be drawn)."""
        if key not in self.entries:
            return False
        only = self.levels.get(key)
        return levels is None or only is None or bool(set(only) & set(levels))


class Structure(Model):
    """A structure needles must respect (lung and pleura, spinal cord, a nerve or vessel, kidney)."""

    id: Slug
    name: ShortText
    harm: Text  # what happens if a needle reaches it
    regions: tuple[SafetyRegion, ...] = ()
    source: Source
    uncertain: Text | None = None


class CunConversion(Model):
    """The mm per cun the data's depth_mm use: a range, of which depth_mm takes the upper bound."""

    mm_per_cun: tuple[float, float]
    source: Source
    uncertain: Text | None = None


class SafetyModel(Model):
    conversion: CunConversion
    structures: tuple[Structure, ...] = Field(min_length=1)

    def beneath_at(self, key: str, beneath: tuple[str, ...], levels: tuple[str, ...]) -> tuple[str, ...]:
        """`beneath` without the structures none of whose regions reach the entry at these levels
        (the lumbar Jiaji have no lung beneath them); structures no region lists are kept for the check to find."""
        def reached(sid: str) -> bool:
            regions = [r for s in self.structures if s.id == sid for r in s.regions if key in r.entries]
            return not regions or any(r.covers(key, levels) for r in regions)
        return tuple(s for s in beneath if reached(s))

    @model_validator(mode="after")
    def _unique(self) -> SafetyModel:
        ids = [s.id for s in self.structures] + [r.id for s in self.structures for r in s.regions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate structure or region ids: {', '.join(dupes)}")
        return self


class Evidence(Model):
    """The best trial or review for one therapy of a complaint, with its headline result."""

    therapy: Therapy
    summary: Text
    source: Source
    # Only identifiers read in the retrieved abstract or paper; `checked` says what was read.
    pmid: Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,8}$")] | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.[0-9]{4,9}/\S{1,200}$")] | None = None
    checked: Literal["abstract", "full text", False] = False
    uncertain: Text | None = None

    @property
    def verified(self) -> bool:
        """Read in its abstract or paper: only such evidence is shown as a result."""
        return self.checked is not False


class Acupoint(Model):
    """An acupuncture point: WHO code (or auricular code), names, location text and rules."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]
    system: Literal["body", "auricular"] = "body"
    pinyin: ShortText
    hanzi: ShortText | None = None
    english: ShortText | None = None
    meridian: Literal[MERIDIAN_IDS] | None = None  # type: ignore[valid-type]
    location: Text
    sites: tuple[Site, ...] = Field(min_length=1)
    pregnancy_caution: PregnancyCaution | None = None
    needling: Needling | None = None
    source: Source
    uncertain: Text | None = None

    @model_validator(mode="after")
    def _code_fits_system(self) -> Acupoint:
        if self.needling is not None and self.needling.angle not in ACUPOINT_ANGLES:
            raise ValueError(f"needling.angle {self.needling.angle!r} is not one of {', '.join(ACUPOINT_ANGLES)}")
        if self.system == "auricular":
            if not AURICULAR_CODE.match(self.code):
                raise ValueError(f"auricular code {self.code!r} is not a GB/T 13734 style code")
            if any(s.panel != "ear" for s in self.sites):
                raise ValueError("auricular points are placed on the 'ear' panel only")
            return self
        body = BODY_CODE.match(self.code)
        if body:
            if self.meridian != body.group(1):
                raise ValueError(f"code {self.code} belongs to meridian {body.group(1)}, not {self.meridian}")
        elif not EXTRA_CODE.match(self.code):
            raise ValueError(f"{self.code!r} is not a WHO code (e.g. BL23, GV4, EX-B2)")
        return self

    @property
    def bilateral(self) -> bool:
        return self.system == "body" and self.meridian not in ("GV", "CV") and not self.code.startswith("EX-HN3")

    @property
    def label(self) -> str:
        return f"{self.code} {self.pinyin}"


class Meridian(Model):
    """One of the 14 channels: the ordered points, and the skeleton used to draw it."""

    id: Literal[MERIDIAN_IDS]  # type: ignore[valid-type]
    name: Text
    english: ShortText
    hanzi: ShortText | None = None
    count: int = Field(ge=1, le=99)
    # The skeleton drawn as the channel: a list of codes in channel order, or a list of branches
    # (each a list of codes in the order the channel runs; e.g. BL's outer back line joins at BL40).
    path: tuple[tuple[str, ...], ...] = ()
    panels: tuple[Slug, ...] = ()
    source: Source
    uncertain: Text | None = None

    @field_validator("path", mode="before")
    @classmethod
    def _branches(cls, value):
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
            return (tuple(value),)
        return value

    @property
    def path_codes(self) -> tuple[str, ...]:
        return tuple(code for branch in self.path for code in branch)

    @property
    def codes(self) -> tuple[str, ...]:
        """The channel's points in order: BL1, BL2, ... BL67."""
        return tuple(f"{self.id}{n}" for n in range(1, self.count + 1))


class TriggerPoint(Model):
    id: Slug
    name: ShortText
    location: Text
    sites: tuple[Site, ...] = Field(min_length=1)
    note: Text | None = None
    needling: Needling | None = None
    uncertain: Text | None = None


class Area(Model):
    """A polygon on one panel, its vertices given as location rules."""

    panel: Slug
    description: Text | None = None
    points: tuple[Site, ...] = Field(min_length=3)
    uncertain: Text | None = None


class Muscle(Model):
    id: Slug
    name: ShortText
    location: Text
    source: Source
    outline: tuple[Site, ...] = ()
    trigger_points: tuple[TriggerPoint, ...] = Field(min_length=1)
    referral: tuple[Area, ...] = ()
    uncertain: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _zones_on_one_panel(self) -> Muscle:
        for area in self.referral:
            for site in area.points:
                if site.panel != area.panel:
                    raise ValueError(f"referral vertex on panel {site.panel!r} inside an area of panel {area.panel!r}")
        return self


# The parts of the body the headline names (content/headline.py maps landmarks to them).
BODY_PLACES = ("head", "neck", "shoulder blade", "upper back", "shoulder", "upper arm", "elbow", "forearm", "hand",
               "low back", "buttock", "hip", "thigh", "knee", "lower leg", "ankle", "foot", "chest", "abdomen", "ear")


class Complaint(Model):
    id: Slug
    name: ShortText
    summary: Text
    region: ShortText | None = None
    # Where it hurts, in the headline's words: trigger points elsewhere are named as referring pain here.
    region_places: tuple[Literal[BODY_PLACES], ...] = ()  # type: ignore[valid-type]
    evidence: tuple[Evidence, ...] = ()
    # Safety notes for the region and the plan as a whole; each names its source in the text.
    cautions: tuple[Text, ...] = ()


class PointUse(Model):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]
    placement: Placement
    # For a point group drawn at several levels (EX-B2, T1-L5): the landmarks (a site's `from`) of the
    # levels this plan uses, e.g. [t3, t5]; empty: every site.
    at: tuple[Slug, ...] = ()
    note: Text | None = None
    source: Source
    uncertain: Text | None = None


class AcupuncturePlan(Model):
    complaint: Slug
    rationale: Text
    foot_points: Text
    points: tuple[PointUse, ...] = Field(min_length=1)
    source: Source
    uncertain: Text | None = None


class MuscleUse(Model):
    muscle: Slug
    note: Text | None = None
    source: Source
    uncertain: Text | None = None


class DryNeedlingPlan(Model):
    complaint: Slug
    rationale: Text
    muscles: tuple[MuscleUse, ...] = Field(min_length=1)
    source: Source
    uncertain: Text | None = None


class DangerZone(Model):
    id: Slug
    name: ShortText
    reason: Text
    source: Source
    areas: tuple[Area, ...] = Field(min_length=1)
    uncertain: Text | None = None


class ComparisonRow(Model):
    aspect: ShortText
    dry_needling: Text
    acupuncture: Text
    source: Source


class Comparison(Model):
    title: ShortText
    rows: tuple[ComparisonRow, ...] = Field(min_length=1)
