"""Pregnancy cautions named from the points' own flags, so the text, layer, cards and documents agree."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from bodymap.core.errors import DataError
from bodymap.data.models import PREGNANCY_GROUPS

if TYPE_CHECKING:
    from bodymap.data.catalog import Catalog

# `{pregnancy:lumbosacral}` in a complaint's caution stands for the plan's points flagged in that group.
PLACEHOLDER = re.compile(r"\{pregnancy:([a-z-]+)\}")


def flagged(cat: Catalog, complaint_id: str, group: str | None = None) -> tuple[str, ...]:
    """Codes of the complaint's planned points that carry a pregnancy caution, in plan order."""
    out = []
    for point, _ in cat.points_for(complaint_id):  # the plan's levels: a caution may cover only some
        caution = point.pregnancy_caution
        if caution is not None and (group is None or caution.group == group):
            out.append(point.code)
    return tuple(out)


def join_codes(codes: tuple[str, ...]) -> str:
    """'BL23', 'BL23 and GV3', 'BL23, BL25 and GV3'."""
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]


def check_placeholders(cat: Catalog, name: str) -> None:
    """A placeholder must name a known group: a typo would silently drop a caution."""
    for complaint in cat.complaints.values():
        for text in complaint.cautions:
            for group in PLACEHOLDER.findall(text):
                if group not in PREGNANCY_GROUPS:
                    raise DataError(f"{name}: complaint {complaint.id!r}: caution names unknown pregnancy group {group!r}; "
                                    f"valid groups: {', '.join(PREGNANCY_GROUPS)}")


def _resolved(cat: Catalog, complaint_id: str, cautions: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    placed: set[str] = set()
    for text in cautions:
        groups: list[str] = PLACEHOLDER.findall(text)
        codes = {g: flagged(cat, complaint_id, g) for g in groups}
        placed.update(groups)
        if groups and not any(codes.values()):
            continue  # the plan has no point of that group: the sentence would name nothing
        out.append(PLACEHOLDER.sub(_naming(codes), text))
    # A flagged point whose group no sentence names (a user's own plan) still gets a sentence.
    group_of = {p.code: p.pregnancy_caution.group for p, _ in cat.points_for(complaint_id) if p.pregnancy_caution}
    rest = tuple(c for c in flagged(cat, complaint_id) if group_of[c] not in placed)
    if rest:
        verb = "carries" if len(rest) == 1 else "carry"
        sentence = f"{join_codes(rest)} {verb} a traditional caution in pregnancy (see each point's note and source)."
        if sentence not in out:  # resolving twice (the upload sandbox, then the app) adds it once
            out.append(sentence)
    return tuple(out)


def _naming(codes: dict[str, tuple[str, ...]]) -> Callable[[re.Match[str]], str]:
    def name(m: re.Match[str]) -> str:
        return join_codes(codes[m.group(1)]) if codes[m.group(1)] else "none"
    return name


def resolve_cautions(cat: Catalog, done: Iterable[str] = ()) -> Catalog:
    """The catalog with the complaints' pregnancy placeholders replaced by their flagged points.

    `done`: complaints resolved before (the built-in ones, when a user's file is merged in).
    """
    skip = set(done)
    complaints = {cid: c if cid in skip else c.model_copy(update={"cautions": _resolved(cat, cid, c.cautions)})
                  for cid, c in cat.complaints.items()}
    return replace(cat, complaints=complaints)
