"""Uploads leave no trace: one size limit with Streamlit, a refused file released from every holder."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib
from streamlit.testing.v1 import AppTest

from bodymap import api
from bodymap.data.catalog import MAX_FILE_BYTES, too_large

ROOT = Path(__file__).resolve().parents[1]
BROKEN = b"complaints:\n  - id: Not A Slug\n    name: x\n    summary: y\n"


def test_bodymap_and_streamlit_share_one_size_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # Streamlit multiplies server.maxUploadSize by 1024 * 1024 (starlette_routes.py, 1.67).
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES


def test_the_size_refusal_is_one_plain_sentence():
    message = too_large("big.yaml", MAX_FILE_BYTES + 10)
    assert message == "big.yaml: 5,242,890 bytes, larger than the limit of 5,242,880 bytes (5 MB)"


@pytest.fixture()
def app(monkeypatch) -> AppTest:
    from bodymap_app import cache, uploads

    monkeypatch.setattr(cache, "parse_upload", lambda raw, name: api.load_data_text(raw.decode("utf-8"), name))
    released = []
    real = uploads.release_memory
    monkeypatch.setattr(uploads, "release_memory", lambda: released.append(1) or real())
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.released = released
    return at.run()


def test_a_refused_upload_is_dropped_from_session_state_and_memory_is_released(app):
    app.sidebar.file_uploader[0].upload("broken.yaml", BROKEN, "application/x-yaml").run()
    assert not app.exception and len(app.sidebar.error) == 1
    assert "upload-0" not in app.session_state  # the widget's copy of the bytes is gone
    assert app.released == [1]
    for key in list(app.session_state):  # no other key holds the file either
        value = app.session_state[key]
        assert not (isinstance(value, (bytes, bytearray)) and BROKEN in value), key
        assert getattr(value, "name", None) != "broken.yaml", key
