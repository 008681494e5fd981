"""Import & participants: deleting a transcript or a participant for real, behind a confirmation."""

from __future__ import annotations

from pathlib import Path

from qualseg import service
from tests.ui.helpers import SMALL, button, by_key, no_exception, open_app, reopen, state, texts

SOURCE = "interview_bluepeak.txt"


def test_deleting_a_transcript_needs_its_file_name(ws_root: Path):
    store = reopen(ws_root)
    stored = store.transcript_by_source(SOURCE)
    sentence = max(
        (e["text"] for e in state(ws_root).report["excerpts"] if e["source"] == SOURCE), key=len
    )
    store.close()
    at = open_app("import", project=SMALL)
    no_exception(at)
    by_key(at.selectbox, "delete_transcript").select(SOURCE).run()
    assert button(at, "Delete transcript").disabled  # nothing typed yet
    by_key(at.text_input, f"delete_transcript_confirm:{SOURCE}").input("interview").run()
    assert button(at, "Delete transcript").disabled  # not the file name
    by_key(at.text_input, f"delete_transcript_confirm:{SOURCE}").input(SOURCE).run()
    assert not button(at, "Delete transcript").disabled
    button(at, "Delete transcript").click().run()
    no_exception(at)
    shown = texts(at)
    assert f"Deleted {SOURCE} for good" in shown
    assert "original file was overwritten and removed" in shown
    assert at.success  # a clear result, not a warning
    assert SOURCE not in set(by_key(at.selectbox, "delete_transcript").options)
    after = reopen(ws_root)
    assert after.transcript_by_source(SOURCE) is None
    assert not (after.originals_dir / stored.original_path).exists()
    assert all(e["source"] != SOURCE for e in state(ws_root).report["excerpts"])
    folder = ws_root / SMALL
    assert not [p for p in folder.rglob("*") if p.is_file() and sentence.encode() in p.read_bytes()]


def test_deleting_a_participant_needs_the_checkbox(ws_root: Path):
    person = next(
        r
        for r in service.participant_rows(reopen(ws_root))
        if r.transcript == "session4.txt" and r.role == "participant"
    )
    at = open_app("import", project=SMALL)
    by_key(at.selectbox, "delete_participant").select(person.speaker_id).run()
    assert "only participant of session4.txt" in texts(at)
    assert button(at, "Delete participant").disabled
    by_key(at.checkbox, f"delete_participant_confirm:{person.speaker_id}").check().run()
    button(at, "Delete participant").click().run()
    no_exception(at)
    assert "the whole transcript went" in texts(at)
    rows = service.participant_rows(reopen(ws_root))
    assert all(r.speaker_id != person.speaker_id for r in rows)
    assert all(r.transcript != "session4.txt" for r in rows)
    assert f"P{person.speaker_id}" not in {p["id"] for p in state(ws_root).report["participants"]}


def test_deleting_one_participant_of_a_group_call(ws_root: Path):
    from tests.test_deletion import GROUP, GROUP_TEXT

    store = reopen(ws_root)
    assert not service.import_files(store, [(GROUP, GROUP_TEXT.encode())]).failed
    mark = next(r for r in service.participant_rows(store) if r.name == "Mark Liu")
    store.close()
    at = open_app("import", project=SMALL)
    by_key(at.selectbox, "delete_participant").select(mark.speaker_id).run()
    assert "Only Mark Liu's speech goes" in texts(at)
    by_key(at.checkbox, f"delete_participant_confirm:{mark.speaker_id}").check().run()
    button(at, "Delete participant").click().run()
    no_exception(at)
    assert "Deleted Mark Liu (northwind_group.txt) for good" in texts(at)
    after = reopen(ws_root)
    names = {r.name for r in service.participant_rows(after) if r.transcript == GROUP}
    assert names == {"Jordan Ellis", "Ana de Souza"}
    text = after.load_transcript(after.transcript_by_source(GROUP).id).text
    assert "borrowed tablet" not in text and "month-end close" in text
