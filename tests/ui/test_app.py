"""The app opens on the sample study; projects are created, opened and switched in the sidebar."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.ui.helpers import APP, SMALL, button, go, no_exception, open_app, table, texts


def test_app_opens_on_the_sample_study(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALSEG_WORKSPACE", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    no_exception(at)
    assert at.title[0].value == "Overview · sample-study"
    assert {m.label: m.value for m in at.metric}["Participants"] == "14"
    assert "Not analyzed yet" in texts(at)
    assert button(at, "Analyze now")  # the analysis is one click away
    assert (tmp_path / "ws" / "sample-study" / "project.sqlite").is_file()
    go(at, "import")
    no_exception(at)
    transcripts = table(at, "transcript", "participant", "interviewer", "format")
    assert len(transcripts) == 14
    assert {"Priya Raman", "Lukas Novak"} <= set(transcripts["participant"])


def test_every_page_renders_on_an_analyzed_project(ws_root: Path):
    at = open_app()
    for page, title in (
        ("overview", "Overview · small"),
        ("import", "Import & participants"),
        ("analyze", "Analyze"),
        ("themes", "Themes"),
        ("segments", "Segments"),
        ("quotes", "Quote bank"),
        ("reader", "Transcript reader"),
        ("privacy", "Privacy"),
        ("exports", "Export"),
    ):
        go(at, page)
        no_exception(at)
        assert at.title[0].value == title
        assert not at.error, [e.value for e in at.error]


def test_pages_show_empty_states_before_import_and_analysis(ws_root: Path):
    at = open_app()
    at.sidebar.text_input(key="new_project_name").input("acme-2026")
    button(at, "Create project").click().run()
    no_exception(at)
    assert at.session_state["project"] == "acme-2026"
    assert (ws_root / "acme-2026" / "project.sqlite").is_file()
    assert "acme-2026" in at.sidebar.selectbox(key="project__widget").options
    for page in (
        "overview",
        "privacy",
        "analyze",
        "themes",
        "segments",
        "quotes",
        "reader",
        "exports",
    ):
        go(at, page)
        no_exception(at)
        assert "has no transcripts yet" in texts(at), page
    go(at, "import")
    assert "No transcripts in this project yet" in texts(at)
    # Imported but not analyzed: findings pages offer the analysis instead.
    at.sidebar.selectbox(key="project__widget").select("small-raw").run()
    for page in ("themes", "segments", "quotes", "exports"):
        go(at, page)
        no_exception(at)
        assert "has not been analyzed yet" in texts(at), page
        assert button(at, "Analyze now")


def test_switching_projects_and_refusing_a_bad_name(ws_root: Path):
    at = open_app(project=None)
    assert at.title[0].value == "Overview · sample-study"
    at.sidebar.selectbox(key="project__widget").select(SMALL).run()
    assert at.title[0].value == "Overview · small"
    assert {m.label: m.value for m in at.metric}["Themes"] != "0"
    at.sidebar.text_input(key="new_project_name").input("bad name/..")
    button(at, "Create project").click().run()
    no_exception(at)
    assert "is not allowed" in texts(at)
    assert at.session_state["project"] == SMALL
    at.sidebar.text_input(key="new_project_name").input(SMALL)
    button(at, "Create project").click().run()
    assert "exists already" in texts(at)


def test_analyze_now_from_the_overview(ws_root: Path):
    at = open_app(project="small-raw")
    assert "Not analyzed yet" in texts(at)
    button(at, "Analyze now").click().run()
    no_exception(at)
    assert "Analysis done (run 1)" in texts(at)
    assert {m.label for m in at.metric} >= {"Themes", "Segments", "Excerpts"}


def test_a_new_session_opens_the_project_used_last(ws_root: Path):
    at = open_app(project=None)
    at.sidebar.selectbox(key="project__widget").select("small-raw").run()
    assert at.title[0].value == "Overview · small-raw"
    at = open_app(project=None)  # a new browser session
    no_exception(at)
    assert at.title[0].value == "Overview · small-raw"  # not the alphabetically first
    assert at.sidebar.selectbox(key="project__widget").value == "small-raw"
