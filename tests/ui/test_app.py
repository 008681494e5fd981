"""The app opens on the sample study and lists its participants (Streamlit AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_app_opens_on_the_sample_study(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALSEG_WORKSPACE", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Participants"
    table = at.dataframe[0].value
    assert len(table) == 14
    assert {"Priya Raman", "Lukas Novak"} <= set(table["participant"])
    assert (tmp_path / "ws" / "sample-study" / "project.sqlite").is_file()
