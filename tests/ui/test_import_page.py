"""Import & participants: upload with per-file results, transcripts table, roles, metadata."""

from __future__ import annotations

from pathlib import Path

from qualseg import service
from tests.ui.helpers import (
    RAW,
    SMALL,
    button,
    no_exception,
    open_app,
    reopen,
    sample_files,
    table,
    texts,
)


def test_upload_reports_each_file_and_lists_the_new_transcript(ws_root: Path):
    at = open_app("import", project=RAW)
    good = sample_files("zoom_0316.vtt")[0]
    at.file_uploader[0].set_value(
        [
            (good[0], good[1], "text/vtt"),
            ("empty.txt", b"", "text/plain"),
            ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00binary", "image/png"),
            ("interview_bluepeak.txt", sample_files("interview_bluepeak.txt")[0][1], "text/plain"),
        ]
    ).run()
    button(at, "Import 4 file(s)").click().run()
    no_exception(at)
    results = table(at, "file", "result", "details").set_index("file")
    assert results.loc["zoom_0316.vtt", "result"] == "imported"
    assert results.loc["empty.txt", "result"] == "FAILED"
    assert results.loc["empty.txt", "details"]  # a message that says why
    assert results.loc["photo.png", "result"] == "FAILED"
    assert results.loc["interview_bluepeak.txt", "result"] == "skipped (duplicate)"
    assert "already imported" in results.loc["interview_bluepeak.txt", "details"]
    assert "1 imported, 1 skipped, 2 failed" in texts(at)
    transcripts = table(at, "transcript", "participant", "interviewer", "words", "format")
    assert "zoom_0316.vtt" in set(transcripts["transcript"])
    assert len(transcripts) == 7
    assert all(transcripts["words"] > 0)
    assert any(
        r.transcript == "zoom_0316.vtt" for r in service.participant_rows(reopen(ws_root, RAW))
    )


def test_participants_csv_alone_sets_metadata(ws_root: Path):
    at = open_app("import", project=RAW)
    csv = b"participant,plan\nPriya Raman,enterprise\nNobody Known,free\n"
    at.file_uploader[0].set_value([("participants.csv", csv, "text/csv")]).run()
    button(at, "Import 1 file(s)").click().run()
    no_exception(at)
    assert "Nobody Known" in texts(at)  # rows that matched no participant are named
    rows = {r.name: r for r in service.participant_rows(reopen(ws_root, RAW))}
    assert rows["Priya Raman"].metadata == {"plan": "enterprise"}


def test_correcting_a_role(ws_root: Path):
    at = open_app("import", project=SMALL)
    at.selectbox(key="roles_transcript").select("interview_bluepeak.txt").run()
    rows = [
        r
        for r in service.participant_rows(reopen(ws_root))
        if r.transcript == "interview_bluepeak.txt"
    ]
    interviewer = next(r for r in rows if r.role == "interviewer")
    at.selectbox(key=f"role:interview_bluepeak.txt:{interviewer.speaker}").select("other").run()
    button(at, "Save roles").click().run()
    no_exception(at)
    assert "Roles saved" in texts(at)
    after = {
        r.speaker: r
        for r in service.participant_rows(reopen(ws_root))
        if r.transcript == "interview_bluepeak.txt"
    }
    assert after[interviewer.speaker].role == "other"
    assert after[interviewer.speaker].role_reason == "set by user"


def test_editing_participant_metadata(ws_root: Path):
    at = open_app("import", project=SMALL)
    editor = table(at, "participant", "transcript", "industry")
    row = list(editor["participant"]).index("Priya Raman")
    at.session_state[f"metadata_editor:{SMALL}"] = {
        "edited_rows": {row: {"industry": "Freight & Logistics"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save metadata (1 changed)").click().run()
    no_exception(at)
    assert "Metadata saved for 1 participant" in texts(at)
    rows = {r.name: r for r in service.participant_rows(reopen(ws_root))}
    assert rows["Priya Raman"].metadata["industry"] == "Freight & Logistics"
    assert rows["Priya Raman"].metadata["company"] == "Bluepeak Freight"  # others kept


def test_upload_shows_what_the_reader_carried_or_skipped(ws_root: Path):
    """The import summary shows each file's notes: skipped opening paragraphs, paragraphs
    carried to the previous speaker, captions with a broken time."""
    at = open_app("import", project=RAW)
    text = (
        b"So before we start properly, thanks again for agreeing to be recorded today.\n\n"
        b"Nora Vance: How do you schedule crews today?\n\n"
        b"Ravi Kapoor: Whiteboard and a group chat.\n\n"
        b"It falls apart when someone calls in sick.\n"
    )
    at.file_uploader[0].set_value([("crew.txt", text, "text/plain")]).run()
    button(at, "Import 1 file(s)").click().run()
    no_exception(at)
    warnings = [w.value for w in at.warning]
    assert any("crew.txt: 1 unlabelled paragraph at the start" in w for w in warnings), warnings
    assert any(
        "crew.txt: 1 paragraph without a speaker label was read as the previous" in w
        for w in warnings
    ), warnings
