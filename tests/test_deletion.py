"""Delete for real: a deleted transcript or participant leaves no byte behind, the rest stays."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qualseg import deletion, editing
from qualseg.embed import HashingEmbedder, text_hash
from qualseg.errors import ProjectError
from qualseg.importing import import_files
from qualseg.report import quotes_csv, report_markdown
from qualseg.running import run_analysis
from qualseg.store import ProjectStore, Workspace
from qualseg.store.project_store import DB_NAME
from qualseg.theme_text import theme_text
from tests.conftest import SAMPLE_DIR

SOURCE = "interview_bluepeak.txt"
GROUP = "northwind_group.txt"
GROUP_TEXT = """Call with the Northwind finance team

Jordan Ellis: Thanks both for joining. Could you each introduce yourselves and say what you run?

Ana de Souza: Sure. I'm the controller, I have been here three years and I run the month-end close with a team of four people spread over two offices.

Mark Liu: I run accounts payable with two clerks, and our clinics photograph crumpled paper receipts on a borrowed tablet before mailing the originals.

Jordan Ellis: What is the hardest part of the month for each of you?

Ana de Souza: Waiting for the payables team to finish keying invoices so I can accrue what is missing. We guess a lot, and then we reverse half of the guesses the next month.

Mark Liu: The veterinary wing sends its invoices on pink carbon copies that nobody in my team can read without a magnifying lamp.

Jordan Ellis: How would you know a new tool was working for you?

Ana de Souza: If we closed the books in five days instead of twelve and I stopped working weekends at month end, that would be the proof for me.

Mark Liu: If my clerks stopped retyping amounts from those pink carbon copies and spent their afternoons checking exceptions instead.

Jordan Ellis: Great, thank you both for your time today.
"""
MARK_SENTENCES = (
    "our clinics photograph crumpled paper receipts on a borrowed tablet",
    "pink carbon copies that nobody in my team can read without a magnifying lamp",
    "spent their afternoons checking exceptions instead",
)
GROUP_COMPANIONS = ("session4.txt", "otter_novak.txt", "interview_ferreira.txt")


# -- helpers ----------------------------------------------------------------------------------------


def files_holding(folder: Path, needle: str) -> list[str]:
    """Every file under the folder (database, -wal, -shm, originals, outputs) whose bytes hold
    the UTF-8 bytes of ``needle``."""
    data = needle.encode("utf-8")
    return [
        str(p.relative_to(folder))
        for p in sorted(folder.rglob("*"))
        if p.is_file() and data in p.read_bytes()
    ]


def snapshot(store: ProjectStore) -> dict:
    """Every row of every table, and every file of the project folder with its bytes."""
    tables = [r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")]
    rows = {
        t: sorted(tuple(r) for r in store.query(f"SELECT * FROM {t}"))  # noqa: S608
        for t in tables
    }
    files = {
        str(p.relative_to(store.folder)): p.read_bytes()
        for p in sorted(store.originals_dir.rglob("*"))
        if p.is_file()
    }
    return {"rows": rows, "files": files}


def export_bytes(store: ProjectStore) -> bytes:
    """What a researcher could hand out: the JSON export when present, and always the report,
    quotes CSV and quote bank of the current state."""
    from qualseg import quote_bank

    state = editing.current_state(store)
    out = [
        report_markdown(state.report).encode(),
        quotes_csv(state.report).encode(),
        quote_bank.to_csv(quote_bank.quotes(state.report)).encode(),
    ]
    try:
        from qualseg.exports import json_export
        from qualseg.exports.context import build_context
    except ImportError:
        return b"\n".join(out)
    out.append(json_export.render(build_context(store, pseudonymise=False)))
    return b"\n".join(out)


def excerpts_of(report: dict, source: str) -> list[dict]:
    return [e for e in report["excerpts"] if e["source"] == source]


@pytest.fixture(scope="module")
def group_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """'group': a labelled-text call with an interviewer and two participants (Ana de Souza,
    Mark Liu) and three sample interviews, analyzed with the hashing embedder."""
    root = tmp_path_factory.mktemp("group")
    store = Workspace(root).open("group", create=True)
    batch = [(GROUP, GROUP_TEXT.encode("utf-8"))]
    batch += [(n, (SAMPLE_DIR / n).read_bytes()) for n in GROUP_COMPANIONS]
    report = import_files(store, batch)
    assert not report.failed, report.failed
    run_analysis(store, embedder=HashingEmbedder())
    store.close()
    return root


@pytest.fixture
def group_store(group_root: Path, tmp_path: Path):
    root = tmp_path / "group"
    shutil.copytree(group_root, root)
    store = Workspace(root).open("group")
    yield store
    store.close()


def speaker(store: ProjectStore, name: str):
    """A speaker of the group call, by name."""
    return next(s for s in store.speakers() if s.display_name == name and s.source == GROUP)


# -- a whole transcript -----------------------------------------------------------------------------


def test_delete_transcript_leaves_no_byte_and_keeps_the_rest(analyzed_store: ProjectStore):
    store = analyzed_store
    stored = store.transcript_by_source(SOURCE)
    transcript = store.load_transcript(stored.id)
    before = editing.current_state(store).report
    gone_excerpts = excerpts_of(before, SOURCE)
    others = [e for e in before["excerpts"] if e["source"] != SOURCE]
    other_texts = [
        store.load_transcript(t.id).text for t in store.transcripts() if t.id != stored.id
    ]
    sentence = max(
        (e["text"] for e in gone_excerpts if not any(e["text"] in t for t in other_texts)),
        key=len,
    )
    interviewer = next(s for s in store.speakers(stored.id) if s.role == "interviewer")
    question = max(
        (
            u.text_in(transcript.text)
            for u in transcript.utterances
            if u.speaker == interviewer.label
        ),
        key=len,
    )
    person = next(s for s in store.speakers(stored.id) if s.role == "participant")
    assert not any(person.display_name in t for t in other_texts)
    for needle in (sentence, question, person.display_name):
        assert files_holding(store.folder, needle), needle  # there before

    # edits about it, edits about others, a theme holding both
    theme = next(
        t
        for t in before["themes"]
        if any(k.startswith(stored.sha256[:12]) for k in t["excerpts"])
        and any(not k.startswith(stored.sha256[:12]) for k in t["excerpts"])
    )
    editing.rename_theme(store, theme["id"], "Renamed by the researcher")
    editing.pin_quote(store, gone_excerpts[0]["id"])
    editing.dismiss_excerpt(store, gone_excerpts[1]["id"])
    editing.pin_quote(store, others[0]["id"])
    n_edits = len(store.edits())
    # a pre-migration backup and the files `qualseg analyze --project` writes
    store.query("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = store.folder / f"{DB_NAME}.v4.20260101T000000Z.bak"
    shutil.copy2(store.db_path, backup)
    out = store.folder / "report"
    out.mkdir()
    run_id, raw = store.latest_result()
    (out / "report.json").write_text(json.dumps(raw, indent=2, ensure_ascii=False), "utf-8")
    (out / "report.md").write_text(report_markdown(raw), "utf-8")
    (out / "quotes.csv").write_text(quotes_csv(raw), "utf-8")
    assert files_holding(store.folder, sentence)

    # the embeddings of every text of this transcript that no other transcript holds, as said
    # and as a pseudonymising run embedded it, and those texts as cleaned for themes (fillers,
    # non-speech marks and pseudonyms removed)
    from qualseg.privacy import pseudonymiser_for
    from qualseg.privacy.seam import model_texts
    from qualseg.privacy.study import pseudonymise_transcript

    pseudo, _map = pseudonymise_transcript(transcript, pseudonymiser_for(store))
    said = {e["text"] for e in gone_excerpts} | set(model_texts(store, gone_excerpts))
    spoken = {text_hash(v) for t in said for v in (t, theme_text(t))}
    spoken |= {text_hash(u.text_in(transcript.text)) for u in transcript.utterances}
    spoken |= {text_hash(u.text_in(pseudo.text)) for u in pseudo.utterances}
    kept = {text_hash(v) for e in others for v in (e["text"], theme_text(e["text"]))}
    for t in store.transcripts():
        if t.id != stored.id:
            other = store.load_transcript(t.id)
            kept |= {text_hash(u.text_in(other.text)) for u in other.utterances}
    assert any(theme_text(e["text"]) != e["text"] for e in gone_excerpts)
    marks = ",".join("?" * len(spoken - kept))
    expected_drop = store.query(
        f"SELECT COUNT(*) FROM embeddings WHERE text_hash IN ({marks})",  # noqa: S608
        tuple(spoken - kept),
    )[0][0]
    embeddings_before = store.query("SELECT COUNT(*) FROM embeddings")[0][0]
    model = before["run"]["model"]
    other_hashes = [text_hash(e["text"]) for e in others]
    cached_before = set(store.get_embeddings(model, other_hashes))
    assert len(cached_before) > len(others) // 2

    report = deletion.delete_transcript(store, SOURCE)

    for needle in (sentence, question, person.display_name):
        assert files_holding(store.folder, needle) == [], needle
    assert not (store.originals_dir / stored.original_path).exists()
    assert not backup.exists()
    assert report.backups_removed == (backup.name,)
    assert report.leftovers == ()
    assert report.whole_transcript and report.original_removed and report.log_emptied
    assert report.excerpts == len(raw["excerpts"]) - len(
        [e for e in raw["excerpts"] if e["source"] != SOURCE]
    )
    assert report.edits_removed == 2
    assert store.transcript_by_source(SOURCE) is None
    assert all(s.transcript_id != stored.id for s in store.speakers())

    embeddings_after = store.query("SELECT COUNT(*) FROM embeddings")[0][0]
    assert expected_drop > len(gone_excerpts) // 2
    assert embeddings_before - embeddings_after == expected_drop == report.embeddings
    assert set(store.get_embeddings(model, other_hashes)) == cached_before  # others' stay

    after = editing.current_state(store)
    state = after.report
    assert excerpts_of(state, SOURCE) == []
    assert all(p["source"] != SOURCE for p in state["participants"])
    assert f"P{person.id}" not in {p["id"] for p in state["participants"]}
    for t in state["themes"]:
        assert all(q["source"] != SOURCE for q in t["quotes"])
        assert f"P{person.id}" not in t["participants"]
    for s in state["segments"]:
        assert f"P{person.id}" not in s["participants"]
        assert all(q["source"] != SOURCE for q in s["quotes"])
    assert [(e["id"], e["text"]) for e in state["excerpts"]] == [
        (e["id"], e["text"]) for e in others
    ]
    assert len(state["participants"]) == len(before["participants"]) - 1
    # the researcher's other edits still stand and still apply
    assert len(store.edits()) == n_edits - 2
    assert after.outcome.skipped == []
    assert any(t["label"] == "Renamed by the researcher" for t in state["themes"])
    assert state["pins"] == [others[0]["id"]]
    # outputs
    assert sentence.encode() not in export_bytes(store)
    assert others[0]["text"].encode() in export_bytes(store) or others[0]["text"] in quotes_csv(
        state
    )
    rebuilt = json.loads((out / "report.json").read_text("utf-8"))
    assert rebuilt["run"]["id"] == run_id and not excerpts_of(rebuilt, SOURCE)
    assert len(rebuilt["excerpts"]) == len([e for e in raw["excerpts"] if e["source"] != SOURCE])
    assert person.display_name not in (out / "report.md").read_text("utf-8")
    assert set(report.outputs_rewritten) == {f"report/{n}" for n in deletion.REPORT_FILES}
    # the file is not a duplicate any more: it can be imported again
    again = import_files(store, [(SOURCE, (SAMPLE_DIR / SOURCE).read_bytes())])
    assert [r.status for r in again.results] == ["imported"]


def test_unknown_source_or_speaker_is_a_clear_error(analyzed_store: ProjectStore):
    with pytest.raises(ProjectError, match=r"no transcript 'nope\.txt' in project 'sample'"):
        deletion.delete_transcript(analyzed_store, "nope.txt")
    with pytest.raises(ProjectError, match="no participant with id 9999"):
        deletion.delete_participant(analyzed_store, 9999)


def test_only_participant_of_an_interview_takes_the_whole_transcript(analyzed_store):
    person = next(s for s in analyzed_store.participants() if s.source == SOURCE)
    report = deletion.delete_participant(analyzed_store, person.id)
    assert report.what == "participant" and report.whole_transcript
    assert report.participant == person.display_name
    assert analyzed_store.transcript_by_source(SOURCE) is None
    assert "only participant" in report.summary()


# -- one participant of a group interview -----------------------------------------------------------


def test_delete_participant_removes_only_their_speech(group_store: ProjectStore):
    store = group_store
    stored = store.transcript_by_source(GROUP)
    mark, ana = speaker(store, "Mark Liu"), speaker(store, "Ana de Souza")
    jordan = speaker(store, "Jordan Ellis")
    assert (mark.role, ana.role, jordan.role) == ("participant", "participant", "interviewer")
    transcript = store.load_transcript(stored.id)
    before = editing.current_state(store).report
    mark_excerpts = [e for e in before["excerpts"] if e["participant"] == f"P{mark.id}"]
    ana_excerpts = [e for e in before["excerpts"] if e["participant"] == f"P{ana.id}"]
    assert mark_excerpts and ana_excerpts
    editing.pin_quote(store, mark_excerpts[0]["id"])
    editing.pin_quote(store, ana_excerpts[0]["id"])
    kept_turns = {
        u.index: u.text_in(transcript.text)
        for u in transcript.utterances
        if u.speaker != mark.label
    }
    for sentence in MARK_SENTENCES:
        assert files_holding(store.folder, sentence)
    # name detection's cached parses (one row per transcript) name Mark Liu
    assert store.query("SELECT COUNT(*) FROM entities")[0][0] > 0
    assert store.query("SELECT COUNT(*) FROM pieces")[0][0] > 0
    assert store.query("SELECT COUNT(*) FROM clusterings")[0][0] > 0

    report = deletion.delete_participant(store, mark.id)

    assert store.query("SELECT COUNT(*) FROM entities")[0][0] == 0  # the whole cache goes
    assert store.query("SELECT COUNT(*) FROM pieces")[0][0] == 0  # excerpt cuts: keyed by speech
    assert store.query("SELECT COUNT(*) FROM clusterings")[0][0] == 0  # keyed by their vectors

    for needle in (*MARK_SENTENCES, "Mark Liu", *(e["text"] for e in mark_excerpts)):
        assert files_holding(store.folder, needle) == [], needle
    assert report.what == "participant" and not report.whole_transcript
    assert (report.speakers, report.participant) == (1, "Mark Liu")
    assert report.excerpts == len(mark_excerpts) and report.edits_removed == 1
    assert report.leftovers == ()
    # the other speakers, their turns and offsets are untouched
    after = store.load_transcript(stored.id)
    assert len(after.text) == len(transcript.text)
    assert {s.id for s in store.speakers(stored.id)} == {ana.id, jordan.id}
    assert {u.index: u.text_in(after.text) for u in after.utterances} == kept_turns
    assert deletion.PLACEHOLDER in after.text
    state = editing.current_state(store).report
    assert [e for e in state["excerpts"] if e["participant"] == f"P{mark.id}"] == []
    assert all(f"P{mark.id}" not in t["participants"] for t in state["themes"])
    assert f"P{mark.id}" not in {p["id"] for p in state["participants"]}
    remaining = [e for e in state["excerpts"] if e["participant"] == f"P{ana.id}"]
    assert [(e["id"], e["text"]) for e in remaining] == [(e["id"], e["text"]) for e in ana_excerpts]
    for e in remaining:
        assert after.speech_between(e["start"], e["end"]) == e["text"]
    assert state["pins"] == [ana_excerpts[0]["id"]]
    # the original now holds the redacted text only
    assert not (store.originals_dir / stored.original_path).exists()
    new_original = store.transcripts()[[t.id for t in store.transcripts()].index(stored.id)]
    assert store.original_bytes(stored.id) == after.text.encode("utf-8")
    assert new_original.sha256 == stored.sha256
    # a new analysis runs on what is left, with the same keys for Ana
    run_analysis(store, embedder=HashingEmbedder())
    rerun = editing.current_state(store).report
    assert not [e for e in rerun["excerpts"] if e["participant"] == f"P{mark.id}"]
    assert {e["id"] for e in rerun["excerpts"] if e["participant"] == f"P{ana.id}"} == {
        e["id"] for e in ana_excerpts
    }


def test_redact_speaker_keeps_length_lines_and_other_names():
    from qualseg.ingest import read_transcript
    from qualseg.store.project_store import StoredSpeaker

    t = read_transcript(GROUP, GROUP_TEXT.encode())

    def stored(label: str, i: int) -> StoredSpeaker:
        role = t.roles[label]
        return StoredSpeaker(i, 1, GROUP, label, label, role, "", "auto", 0, {})

    text, spans = deletion.redact_speaker(
        t, stored("Mark Liu", 3), [stored("Ana de Souza", 2), stored("Jordan Ellis", 1)]
    )
    assert len(text) == len(t.text) and text.count("\n") == t.text.count("\n")
    assert "Mark Liu" not in text and "borrowed tablet" not in text
    assert text.count("Ana de Souza:") == 3 and text.count("Jordan Ellis:") == 4
    assert len(spans) == 3
    assert deletion.placeholder("abcdefghijkl\nxy") == "[removed]   \n……"


# -- failures ---------------------------------------------------------------------------------------


def test_failure_mid_deletion_changes_nothing(analyzed_store, monkeypatch):
    store = analyzed_store
    editing.pin_quote(store, excerpts_of(editing.current_state(store).report, SOURCE)[0]["id"])
    before = snapshot(store)

    def boom(*args, **kwargs):
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(ProjectStore, "_erase_edits", boom)
    with pytest.raises(RuntimeError, match="disk unplugged"):
        deletion.delete_transcript(store, SOURCE)
    assert snapshot(store) == before
    reopened = ProjectStore(store.folder)
    assert snapshot(reopened) == before
    assert reopened.pending_erasure() is None
    reopened.close()


def test_failure_mid_participant_deletion_changes_nothing(group_store, monkeypatch):
    before = snapshot(group_store)

    def boom(*args, **kwargs):
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(ProjectStore, "_erase_in_results", boom)
    with pytest.raises(RuntimeError):
        deletion.delete_participant(group_store, speaker(group_store, "Mark Liu").id)
    assert snapshot(group_store) == before  # the redacted copy written beforehand is gone too


def test_crash_after_commit_is_finished_by_the_retry(analyzed_store, monkeypatch):
    store = analyzed_store
    stored = store.transcript_by_source(SOURCE)
    sentence = max((e["text"] for e in excerpts_of(store.latest_result()[1], SOURCE)), key=len)

    def crash(self):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(ProjectStore, "compact", crash)
    with pytest.raises(KeyboardInterrupt):
        deletion.delete_transcript(store, SOURCE)
    monkeypatch.undo()
    store.close()

    reopened = ProjectStore(store.folder)  # the project opens: everything deleted, not finished
    try:
        assert reopened.transcript_by_source(SOURCE) is None
        assert not excerpts_of(editing.current_state(reopened).report, SOURCE)
        assert reopened.pending_erasure() == {
            "originals": [stored.original_path],
            "sources": [SOURCE],
        }
        report = deletion.delete_transcript(reopened, SOURCE)  # the retry
        assert report.retried and report.compacted
        assert "interrupted" in report.summary()
        assert reopened.pending_erasure() is None
        assert not (reopened.originals_dir / stored.original_path).exists()
        assert files_holding(reopened.folder, sentence) == []
        with pytest.raises(ProjectError):
            deletion.delete_transcript(reopened, SOURCE)
    finally:
        reopened.close()


def test_an_original_left_without_a_row_is_removed_on_completion(analyzed_store):
    stray = analyzed_store.originals_dir / "0123456789ab-left-behind.txt"
    stray.write_bytes(b"words of someone deleted")
    killed = analyzed_store.originals_dir / "0123456789ab-killed-import.txt.part"
    killed.write_bytes(b"an import killed half-way")
    done = deletion.complete_pending_erasure(analyzed_store)
    assert done.originals == 2 and not stray.exists() and not killed.exists()
    referenced = {t.original_path for t in analyzed_store.transcripts()}
    assert {p.name for p in analyzed_store.originals_dir.iterdir()} == referenced
    assert len(referenced) == 14


def test_a_name_in_the_file_name_goes_with_the_transcript(analyzed_store: ProjectStore):
    """The review list holds file names as identifiers; deleting the file removes that row too,
    and the person's name is then in no byte of the project folder."""
    from qualseg.privacy import review

    review.ensure_detected(analyzed_store)
    source = "Interview - Sofia Marquez.docx"
    assert any(r.surface == source for r in review.list_redactions(analyzed_store))
    deletion.delete_transcript(analyzed_store, source)
    assert not any("Marquez" in r.surface for r in review.list_redactions(analyzed_store))
    assert deletion.find_leftovers(analyzed_store.folder, ["Marquez"]) == []
