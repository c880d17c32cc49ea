"""The catalog: the built-in data validates, and malformed files fail with a clear message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from bodymap.core.errors import DataError, UnknownComplaintError
from bodymap.data.catalog import load_builtin, load_custom_text, merge_custom
from bodymap.data.models import Acupoint

from .conftest import COMPLAINTS


def _rewrite(path: Path, mutate) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_builtin_catalog_has_the_fourteen_complaints(catalog):
    assert tuple(catalog.complaints) == COMPLAINTS
    for cid in COMPLAINTS:
        assert cid in catalog.acupuncture, cid
        assert cid in catalog.dry_needling, cid


def test_unknown_complaint_lists_valid_ids(catalog):
    with pytest.raises(UnknownComplaintError) as info:
        catalog.complaint("back-ache")
    message = str(info.value)
    assert "back-ache" in message and "low-back-pain" in message and "\n" not in message


def test_missing_field_names_file_entry_and_field(assets_copy):
    def drop_location(data):
        for entry in data:
            if entry["code"] == "BL23":
                del entry["location"]

    _rewrite(assets_copy / "data" / "acupoints.yaml", drop_location)
    with pytest.raises(DataError) as info:
        load_builtin(assets_copy)
    msg = str(info.value)
    assert "acupoints.yaml" in msg and "'BL23'" in msg and "location" in msg


def test_wrong_type_is_rejected(assets_copy):
    def bad_placement(data):
        data["points"][0]["placement"] = "nearby"

    _rewrite(assets_copy / "data" / "acupuncture" / "low-back-pain.yaml", bad_placement)
    with pytest.raises(DataError, match=r"low-back-pain.yaml: .*placement"):
        load_builtin(assets_copy)


def test_invalid_yaml_names_the_file(assets_copy):
    (assets_copy / "data" / "muscles.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"muscles.yaml: not valid YAML"):
        load_builtin(assets_copy)


def test_plan_referencing_unknown_point_is_rejected(assets_copy):
    def add_unknown(data):
        data["points"].append({"code": "BL68", "placement": "local", "source": "A source that is long enough"})

    _rewrite(assets_copy / "data" / "acupuncture" / "low-back-pain.yaml", add_unknown)
    with pytest.raises(DataError, match=r"BL68.*not in the acupoint catalog"):
        load_builtin(assets_copy)


def test_duplicate_codes_are_rejected(assets_copy):
    _rewrite(assets_copy / "data" / "acupoints.yaml", lambda data: data.append(dict(data[0])))
    with pytest.raises(DataError, match="duplicate code"):
        load_builtin(assets_copy)


@pytest.mark.parametrize("code, meridian", [("BL0", "BL"), ("XX3", "BL"), ("BL23", "KI"), ("EX-Q1", None)])
def test_malformed_codes_are_rejected(code, meridian):
    entry = {"code": code, "pinyin": "Test", "location": "somewhere", "meridian": meridian,
             "sites": [{"panel": "body-posterior", "from": "l2"}], "source": "A source that is long enough"}
    with pytest.raises(ValueError):
        Acupoint.model_validate(entry)


def test_code_beyond_meridian_range_is_rejected(assets_copy):
    def add_bl70(data):
        data.append({"code": "BL70", "pinyin": "Nowhere", "meridian": "BL", "location": "Not a point",
                     "sites": [{"panel": "body-posterior", "from": "l2"}], "source": "A source that is long enough"})

    _rewrite(assets_copy / "data" / "acupoints.yaml", add_bl70)
    with pytest.raises(DataError, match=r"BL70 is outside its meridian's range BL1-BL67"):
        load_builtin(assets_copy)


def test_every_entry_has_a_specific_source(catalog):
    entries = list(catalog.acupoints.values()) + list(catalog.muscles.values()) + list(catalog.meridians.values())
    entries += list(catalog.danger_zones)
    for plan in list(catalog.acupuncture.values()) + list(catalog.dry_needling.values()):
        entries.append(plan)
        entries.extend(getattr(plan, "points", ()) or getattr(plan, "muscles", ()))
    for entry in entries:
        assert len(entry.source) >= 12, entry
        # A year or an edition makes a source something a reader can look up.
        assert re.search(r"\b(1[89]\d\d|20\d\d)\b|ed\.|edition", entry.source), entry.source


def test_custom_data_is_merged_and_validated(catalog):
    doc = {
        "complaints": [{"id": "jaw-pain", "name": "Jaw pain", "summary": "Pain around the jaw joint."}],
        "acupuncture": [{"complaint": "jaw-pain", "rationale": "Local points.", "foot_points": "None are used.",
                         "points": [{"code": "LI4", "placement": "distal", "source": "Custom source, 2024"}],
                         "source": "Custom plan, 2024"}],
    }
    merged = merge_custom(catalog, doc, "custom.yaml")
    assert "jaw-pain" in merged.complaints and "jaw-pain" not in catalog.complaints
    assert [p.code for p, _ in merged.points_for("jaw-pain")] == ["LI4"]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("complaints: 3", "complaints: expected a list"),
        ("nonsense: []", "unknown key 'nonsense'"),
        ("complaints:\n  - id: Bad Id\n    name: x\n    summary: y", "complaints: entry 1 ('Bad Id'): id"),
        ("complaints:\n  - id: low-back-pain\n    name: x\n    summary: y", "already exists"),
        ("[1, 2", "not valid YAML"),
        ("{}", "defines nothing"),
    ],
)
def test_bad_custom_files_get_clear_messages(catalog, text, fragment):
    with pytest.raises(DataError) as info:
        load_custom_text(text, "mine.yaml", catalog)
    assert "mine.yaml" in str(info.value) and fragment in str(info.value)


def test_compiled_catalog_equals_a_rebuild_from_the_yaml():
    """The committed compiled file is exactly what `tools/build_catalog.py` makes from today's YAML."""
    from bodymap.data.catalog import compile_builtin
    from bodymap.data.compiled import COMPILED_PATH, REBUILD

    assert COMPILED_PATH.read_text(encoding="utf-8") == compile_builtin(), (
        f"{COMPILED_PATH.name} is stale: run `{REBUILD}` and commit the file")


def test_compiled_catalog_loads_the_same_models_as_validating_the_yaml(catalog):
    fresh = load_builtin()
    assert fresh == catalog
    for attr in ("complaints", "acupoints", "muscles", "meridians", "acupuncture", "dry_needling"):
        for key, model in getattr(fresh, attr).items():
            loaded = getattr(catalog, attr)[key]
            assert type(loaded) is type(model) and repr(loaded) == repr(model), key
            assert loaded.model_fields_set == model.model_fields_set, key
    with pytest.raises(ValidationError):  # frozen, as validated models are
        catalog.acupoints["BL40"].code = "BL41"  # type: ignore[misc]


def test_a_stale_or_foreign_compiled_catalog_is_refused_in_one_line(assets_copy, tmp_path):
    from bodymap.data import compiled

    data = assets_copy / "data"
    good = compiled.COMPILED_PATH
    assert compiled.load_parts(data, good)["complaints"]["neck-pain"].name == "Neck pain"
    path = data / "muscles.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        compiled.load_parts(data, good)
    message = str(info.value)
    assert "stale" in message and compiled.REBUILD in message and "\n" not in message
    foreign = tmp_path / "catalog.compiled.json"
    foreign.write_text(good.read_text(encoding="utf-8").replace('"version":"', '"version":"0.0.0-', 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"built for bodymap '0\.0\.0-.*rebuild it with `python tools/build_catalog.py`"):
        compiled.load_parts(assets_copy / "data", foreign)
    foreign.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="cannot read the compiled catalog"):
        compiled.load_parts(assets_copy / "data", foreign)


def test_the_built_in_catalog_needs_no_yaml_parser():
    import subprocess
    import sys

    code = ("import sys, bodymap; bodymap.render('neck-pain'); "
            "print(sorted(m for m in ('yaml', 'matplotlib', 'streamlit') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
