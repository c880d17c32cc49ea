"""Issue 14's promises as the JSON scene shows them: needling, names and evidence travel with each point."""

from __future__ import annotations

import json

import pytest

import bodymap
from bodymap.content.items import Ids

COMPLAINTS = [cid for cid, _ in bodymap.list_complaints()]


@pytest.fixture(scope="module", params=COMPLAINTS)
def doc(request):
    return json.loads(bodymap.render(request.param, "json", view="all"))


def test_every_complaint_has_what_a_clinician_looks_for(doc):
    dn = [m for m in doc["markers"] if m["therapy"] == "dry-needling"]
    acu = [m for m in doc["markers"] if m["therapy"] == "acupuncture"]
    panels = {p["id"]: p for p in doc["panels"]}
    body = [m for m in acu if panels[m["drawn_on"]]["kind"] in ("body", "head")]
    ear = {m["code"] for m in acu if panels[m["drawn_on"]]["kind"] == "ear"}
    assert len({m["muscle"] for m in dn}) >= 3
    assert len({m["code"] for m in body}) >= 4 and {m["placement"] for m in body} == {"local", "distal"}
    assert len(ear) >= 2
    assert doc["complaint"]["evidence"] and all(e["source"] and e["summary"] for e in doc["complaint"]["evidence"])


def test_every_body_acupoint_carries_names_and_needling(doc):
    panels = {p["id"]: p for p in doc["panels"]}
    for m in doc["markers"]:
        if m["therapy"] == "acupuncture" and panels[m["drawn_on"]]["kind"] != "ear":
            assert m["english"] and m["hanzi"], m["code"]
            assert all(m["needling"].get(k) for k in ("angle", "depth", "source")), m["code"]
        if m["therapy"] == "dry-needling":
            assert m["needling"] and m["needling"]["source"], m["code"]


def test_ids_are_unique_and_made_in_one_pass():
    ids = Ids()
    made = [ids("bm-x") for _ in range(5000)]
    assert made[:3] == ["bm-x", "bm-x-2", "bm-x-3"] and len(set(made)) == 5000
    # Linear: each new duplicate starts where the last stopped, instead of counting up from 2 again.
    assert ids._next["bm-x"] == 5001
