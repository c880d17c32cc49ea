"""Names that cannot pretend: invisible characters removed, NFKC, look-alikes of other complaints refused."""

from __future__ import annotations

import json

import pytest

from bodymap.core.errors import DataError, one_line
from bodymap.data.catalog import clean_file_name, load_catalog
from bodymap.data.names import skeleton
from bodymap.figures.loading import load_data_text


def _complaints(*names: str, suffix: str = ".json") -> tuple[str, str]:
    doc = {"complaints": [{"id": f"mine-{i}", "name": n, "summary": "A complaint of my own."} for i, n in enumerate(names)]}
    return json.dumps(doc), f"mine{suffix}"


@pytest.mark.parametrize("name, letter", [
    ("Low back pain", ""),
    ("L\u043ew back pain", "U+043E CYRILLIC SMALL LETTER O"),  # Cyrillic о
    ("L\u03bfw back pain", "U+03BF GREEK SMALL LETTER OMICRON"),
    ("low  back pain", ""),  # case and spacing
    ("\uff2cow back pain", ""),  # a full-width Ｌ: NFKC makes it L
    ("Low\u200b back pain", ""),  # a zero-width space
    ("Neck pa\u0456n", "U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
])
def test_a_custom_complaint_named_like_a_built_in_one_is_refused(name, letter):
    with pytest.raises(DataError) as info:
        load_data_text(*_complaints(name))
    message = str(info.value)
    assert "looks the same as the built-in complaint" in message and "\n" not in message
    assert letter in message


def test_two_custom_complaints_that_look_alike_are_refused():
    with pytest.raises(DataError, match="looks the same as the complaint 'Jaw ache'"):
        load_data_text(*_complaints("Jaw ache", "Jaw ache\u200d"))


def test_distinct_names_still_load():
    cat = load_data_text(*_complaints("Jaw ache", "Low back pain after lifting", "Neck stiffness"))
    assert [c.name for c in cat.complaints.values()][-3:] == ["Jaw ache", "Low back pain after lifting", "Neck stiffness"]


def test_bidi_controls_and_zero_width_characters_leave_names_and_text():
    text, file_name = _complaints("Safe \u202egnp.exe\u202c")
    cat = load_data_text(text, file_name)
    assert cat.complaints["mine-0"].name == "Safe gnp.exe"
    doc = json.loads(text)
    doc["complaints"][0]["summary"] = "A\u2066 summary\u2069 with\u200b marks\ufeff"
    cat = load_data_text(json.dumps(doc), file_name)
    assert cat.complaints["mine-0"].summary == "A summary with marks"


def test_names_are_nfkc():
    cat = load_data_text(*_complaints("\uff2aaw \u2460"))  # full-width J, a circled one
    assert cat.complaints["mine-0"].name == "Jaw 1"


def test_uploaded_file_names_lose_bidi_and_controls():
    assert clean_file_name("Safe \u202egnp.exe\u202c.yaml") == "Safe gnp.exe.yaml"
    assert clean_file_name("\x1b]0;x\x07a.yaml") == "\\x1b]0;x\\x07a.yaml"
    assert clean_file_name("\u200b") == "upload"


def test_messages_show_control_and_format_characters_escaped():
    assert one_line("a\x1b[31mred\x07 \u202eb") == "a\\x1b[31mred\\x07 \\u202eb"


def test_built_in_names_are_distinct_skeletons():
    names = [c.name for c in load_catalog().complaints.values()]
    assert len({skeleton(n) for n in names}) == len(names)


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_byte_order_mark_is_handled_the_same_in_json_and_yaml(suffix):
    text, file_name = _complaints("Jaw ache", suffix=suffix)
    assert load_data_text("\ufeff" + text, file_name).complaints["mine-0"].name == "Jaw ache"


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_an_over_long_integer_is_explained_in_plain_words(suffix):
    text = '{"complaints": [{"id": "x", "name": "X", "summary": "s", "n": ' + "9" * 5000 + "}]}"
    with pytest.raises(DataError) as info:
        load_data_text(text, f"big{suffix}")
    message = str(info.value)
    assert "a number with 5,000 digits; numbers are limited to 4,300 digits" in message
    assert "sys." not in message and "set_int_max_str_digits" not in message


def test_a_user_file_is_named_the_same_way_in_parse_and_validation_errors(tmp_path):
    from bodymap.figures.loading import load_data_file

    folder = tmp_path / "sub"
    folder.mkdir()
    parse, invalid = folder / "parse.yaml", folder / "invalid.yaml"
    parse.write_text("complaints: [\n", encoding="utf-8")
    invalid.write_text("complaints:\n  - {id: Not A Slug, name: x, summary: y}\n", encoding="utf-8")
    for path in (parse, invalid):
        with pytest.raises(DataError) as info:
            load_data_file(path)
        assert str(info.value).startswith(f"{path}: "), str(info.value)
