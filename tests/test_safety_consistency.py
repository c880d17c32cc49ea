"""Issue 18, items 5 and 7: pregnancy cautions from one source, and evidence that was read."""

from __future__ import annotations

import json
import re

import pytest

import bodymap
from bodymap.api import scene_for
from bodymap.core.errors import DataError
from bodymap.data.catalog import load_builtin, load_custom_text
from bodymap.data.cautions import flagged
from bodymap.documents.content import Sources, evidence_lines, patient, reference_rows
from bodymap_app.cards import point_card

COMPLAINTS = [cid for cid, _ in bodymap.list_complaints()]
CODE = re.compile(r"\b(?:LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)\d{1,2}\b|\bEX-(?:HN|CA|B|UE|LE)\d{1,2}\b")


def pregnancy_sentences(catalog, cid: str) -> list[str]:
    return [c for c in catalog.complaints[cid].cautions if "pregnan" in c.lower()]


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_the_pregnancy_cautions_name_exactly_the_flagged_points_of_the_plan(catalog, cid):
    named = {code for text in pregnancy_sentences(catalog, cid) for code in CODE.findall(text)}
    for code in named:
        assert catalog.acupoints[code].pregnancy_caution is not None, f"{cid}: {code} is named but not flagged"
    assert set(flagged(catalog, cid)) <= named, f"{cid}: flagged but not named: {set(flagged(catalog, cid)) - named}"
    assert not any("{pregnancy:" in c for c in catalog.complaints[cid].cautions)


def test_low_back_pain_flags_what_its_caution_names(catalog):
    assert {"BL23", "BL25", "BL52", "EX-B2", "GV3", "BL60"} == set(flagged(catalog, "low-back-pain"))
    for code in ("CV12", "ST25", "KI16", "LR12"):
        caution = catalog.acupoints[code].pregnancy_caution
        assert caution is not None and caution.source and caution.uncertain, code
    assert catalog.acupoints["CV12"].pregnancy_caution.group == "upper-abdomen"


def test_a_caution_covers_only_its_levels_of_a_point_group(catalog):
    """The lumbar Jiaji are lumbosacral; the thoracic Jiaji of the thoracic plan are not."""
    assert "EX-B2" in {p.code for p, _ in catalog.points_for("thoracic-back-pain")}
    assert "EX-B2" not in flagged(catalog, "thoracic-back-pain") and "EX-B2" in flagged(catalog, "low-back-pain")
    scene = scene_for("thoracic-back-pain", ["acupuncture", "pregnancy-cautions"])
    assert not [m for m in scene.markers if m.layer == "pregnancy-cautions" and m.code == "EX-B2"]


def test_the_caution_text_follows_the_flag_not_the_other_way_round(assets_copy):
    """Mutation: remove BL23's flag and the low back pain caution stops naming it."""
    path = assets_copy / "data" / "acupoints.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- code: BL23\n")
    block = text[start:text.index("\n- code:", start + 1)]
    cut = re.sub(r"  pregnancy_caution:\n(    .*\n)+", "", block + "\n", count=1)[:-1]
    assert cut != block
    path.write_text(text.replace(block, cut), encoding="utf-8")
    cat = load_builtin(assets_copy)
    lumbosacral = [c for c in cat.complaints["low-back-pain"].cautions if c.startswith("Lumbosacral")]
    assert lumbosacral and "BL23" not in lumbosacral[0] and "BL25" in lumbosacral[0]


def test_an_unknown_pregnancy_group_is_refused_with_one_line(catalog):
    doc = ("complaints:\n- id: my-pain\n  name: My pain\n  summary: Mine.\n"
           "  cautions: ['Avoid {pregnancy:elbow} in pregnancy.']\n")
    with pytest.raises(DataError, match=r"unknown pregnancy group 'elbow'"):
        load_custom_text(doc, "mine.yaml", catalog)


def test_a_users_plan_with_a_flagged_point_still_names_it(catalog):
    doc = ("complaints:\n- id: my-pain\n  name: My pain\n  summary: Mine.\n"
           "acupuncture:\n- complaint: my-pain\n  rationale: Mine.\n  foot_points: None.\n  source: My notes, 2024\n"
           "  points:\n  - {code: LI4, placement: distal, source: 'My notes, 2024'}\n"
           "  - {code: LI11, placement: local, source: 'My notes, 2024'}\n")
    cat = load_custom_text(doc, "mine.yaml", catalog)
    assert [c for c in cat.complaints["my-pain"].cautions if "LI4" in c and "pregnancy" in c]
    assert cat.complaints["low-back-pain"].cautions == catalog.complaints["low-back-pain"].cautions


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_layer_cards_and_documents_show_the_same_set(catalog, cid):
    expected = set(flagged(catalog, cid))
    scene = scene_for(cid, ["acupuncture", "dry-needling", "pregnancy-cautions", "labels"], view="all")
    assert {m.code for m in scene.markers if m.layer == "pregnancy-cautions"} == expected
    codes = [p.code for p, _ in catalog.points_for(cid)]
    carded = {c for c in codes if any(f[0] == "Caution" and f[1].startswith("Pregnancy")
                                      for f in point_card(catalog, catalog.acupoints[c], cid, [], [])["fields"])}
    assert carded == expected
    rows = reference_rows(scene, catalog, Sources())
    assert {r.code for r in rows if "Pregnancy:" in r.needling} == expected
    line = next(c.text for c in patient(scene, catalog).cautions if c.id == "pregnancy")
    assert set(CODE.findall(line)) == expected


def all_evidence(catalog):
    return [(cid, e) for cid, c in catalog.complaints.items() for e in c.evidence]


def test_most_evidence_was_read_and_identified(catalog):
    lines = all_evidence(catalog)
    read = [e for _, e in lines if e.checked and (e.pmid or e.doi)]
    assert len(lines) >= 31 and len(read) / len(lines) >= 0.8, f"{len(read)} of {len(lines)}"
    for cid, e in lines:
        assert "from memory" not in (e.uncertain or "").lower(), (cid, e.source)
        if not e.checked:
            assert e.uncertain, (cid, e.source)  # say why it could not be read


def test_an_unread_line_is_printed_as_unverified_and_a_read_one_as_a_result(catalog):
    scene = scene_for("tension-headache", ["acupuncture", "dry-needling"])
    sources = Sources()
    lines = evidence_lines(scene, catalog, sources)
    unread = [e for e in catalog.complaints["tension-headache"].evidence if not e.checked]
    assert unread and sum("unverified" in line for line in lines) == len(unread)
    assert any(line.startswith("Dry needling: 168 people") for line in lines)
    assert any("PMID 30813155" in s and "abstract read" in s for s in sources.numbers)


def test_the_json_scene_carries_what_was_read(catalog):
    doc = json.loads(bodymap.render("achilles-tendinopathy", "json"))
    for e in doc["complaint"]["evidence"]:
        assert {"therapy", "summary", "source", "checked"} <= set(e) and e["checked"] in ("abstract", "full text", False)
        assert set(e) <= {"therapy", "summary", "source", "checked", "pmid", "doi"}
    assert any(e.get("doi") == "10.1371/journal.pone.0238579" for e in doc["complaint"]["evidence"])


def test_achilles_dry_needling_states_the_null_and_negative_trials(catalog):
    dn = [e for e in catalog.complaints["achilles-tendinopathy"].evidence if e.therapy == "dry-needling"]
    text = " ".join(e.summary + " " + e.source for e in dn)
    assert "Solomons" in text and "Koszalinski" in text and "electrolysis" in text
    assert "no improvement over" in text and "no difference between the groups" in text
    assert "improved most" not in text and "were not found" not in text


# --- issue 18, item 6: a headline that is true --------------------------------------------------

# Words of the WHO location texts (independent of the landmark names the headline uses) that a
# point must have for the headline to call it by that place.
PLACE_WORDS = {
    "hand": r"hand|finger|metacarp|thumb|wrist|palm", "elbow": r"elbow|cubital|epicondyle|olecranon",
    "knee": r"knee|popliteal|patella|fibula|tibia", "lower leg": r"leg|calf|gastrocnemius|tibia|malleolus",
    "ankle": r"ankle|malleol|heel|calcane", "foot": r"foot|toe|metatars|sole|hallux",
    "head": r"head|forehead|temple|temporal|face|ear\b|auricle|mandible|eyebrow", "neck": r"neck|occip|cervical|nape",
    "shoulder": r"shoulder|acromion|deltoid|scapula", "upper arm": r"arm|deltoid|humerus", "forearm": r"forearm",
    "thigh": r"thigh|femur", "ear": r".",
}
TRUNK = ("trunk", "abdomen", "chest")


@pytest.mark.parametrize("cid", COMPLAINTS)
def test_no_headline_names_a_place_where_no_point_of_that_kind_lies(catalog, cid):
    scene = scene_for(cid)
    distal = {m.code for m in scene.markers if m.layer == "acupuncture" and m.placement == "distal"}
    found = re.search(r"Acupuncture: \d+ local, \d+ distal \(([^)]*)\)", scene.headline)
    assert found, scene.headline
    for where in found.group(1).split(", "):
        assert where not in TRUNK or any(where in catalog.acupoints[c].location.lower() for c in distal)
        words = re.compile(PLACE_WORDS[where], re.IGNORECASE)
        texts = [catalog.acupoints[c].location for c in distal
                 if (where == "ear") == (catalog.acupoints[c].system == "auricular")]
        assert any(words.search(t) for t in texts), f"{cid}: {where!r} but no distal point's location says so"
    assert "all local" not in scene.headline and "trunk" not in scene.headline


def test_dry_needling_is_worded_from_where_the_trigger_points_lie(catalog):
    wrist = scene_for("carpal-tunnel-syndrome").headline
    # the thenar muscles lie where it hurts; pronator teres, flexor carpi radialis and brachialis do not
    assert "where it hurts and in muscles referring pain to it (elbow, forearm)" in wrist, wrist
    back = scene_for("thoracic-back-pain", ["dry-needling"], page_width=1000).headline
    assert back.startswith("Dry needling: ") and "where it hurts" in back
