"""The project store: workspace names, transcripts kept byte for byte, migrations, runs, cache."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from qualseg.cli import main
from qualseg.errors import ProjectError
from qualseg.ingest import read_transcript
from qualseg.store import ProjectStore, schema
from qualseg.store.project_store import DB_NAME

# UTF-8 with a BOM and CRLF line endings: the decoded text differs from the original bytes.
INTERVIEW = (
    "\ufeffMaya Chen: Hi Priya, how do invoices reach you today?\r\n\r\n"
    "Priya Raman: Mostly by email. We key every single one by hand into the ERP — "
    "about four thousand a month.\r\n\r\n"
    "Maya Chen: What made you start looking for something else?\r\n\r\n"
    "Priya Raman: Our auditor found duplicate payments, so the CFO asked me to fix it "
    "before the next audit.\r\n"
).encode()


def _count(store: ProjectStore, table: str) -> int:
    return store.query(f"SELECT COUNT(*) FROM {table}")[0][0]


def _add(store: ProjectStore, source: str = "priya.txt", data: bytes = INTERVIEW) -> int:
    return store.add_transcript(read_transcript(source, data), data)


@pytest.fixture
def store(tmp_path: Path):
    s = ProjectStore(tmp_path / "proj")
    yield s
    s.close()


# -- workspace --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["../x", "..", "", "a/b", "a\\b", ".hidden", "-rf", "x" * 65, "name with space"]
)
def test_workspace_refuses_unsafe_project_names(workspace, name):
    with pytest.raises(ProjectError, match="not allowed"):
        workspace.open(name, create=True)
    assert not workspace.exists(name)
    assert not (workspace.root.parent / "x").exists()


def test_workspace_creates_lists_and_opens_projects(workspace):
    workspace.open("beta", create=True).close()
    workspace.open("alpha-2026", create=True).close()
    assert workspace.projects() == ["alpha-2026", "beta"]
    assert workspace.exists("beta")
    assert (workspace.root / "beta" / DB_NAME).is_file()
    workspace.open("beta").close()


def test_opening_an_unknown_project_names_the_known_ones(workspace):
    workspace.open("alpha", create=True).close()
    workspace.open("beta", create=True).close()
    with pytest.raises(ProjectError) as info:
        workspace.open("gamma")
    message = str(info.value)
    assert "'gamma'" in message and "alpha" in message and "beta" in message
    assert not (workspace.root / "gamma").exists()


def test_opening_an_unknown_project_in_an_empty_workspace(workspace):
    with pytest.raises(ProjectError, match="none yet"):
        workspace.open("gamma")


# -- transcripts ------------------------------------------------------------------------------


def test_add_transcript_stores_text_speakers_utterances_and_original(store):
    transcript = read_transcript("priya.txt", INTERVIEW)
    tid = store.add_transcript(transcript, INTERVIEW)

    assert store.original_bytes(tid) == INTERVIEW
    [stored] = store.transcripts()
    assert (stored.id, stored.source, stored.format) == (tid, "priya.txt", "labelled_text")
    assert stored.encoding == transcript.encoding
    assert store.transcript_by_sha(stored.sha256) == stored
    assert store.transcript_by_source("priya.txt") == stored
    [original] = list(store.originals_dir.iterdir())
    assert original.name == stored.original_path and original.read_bytes() == INTERVIEW

    text = store.query("SELECT text FROM transcripts WHERE id = ?", (tid,))[0][0]
    assert text == transcript.text and "\r" not in text and not text.startswith("\ufeff")
    speakers = {s.label: s for s in store.speakers(tid)}
    assert speakers["Maya Chen"].role == "interviewer"
    assert speakers["Priya Raman"].role == "participant"
    words = transcript.words_by_speaker()
    assert {label: s.word_count for label, s in speakers.items()} == words
    assert all(s.role_reason and s.role_set_by == "auto" for s in speakers.values())
    assert [p.display_name for p in store.participants()] == ["Priya Raman"]
    assert _count(store, "utterances") == len(transcript.utterances) == 4


def test_load_transcript_round_trips_utterance_spans(store):
    data = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Jordan Ellis>What is hardest about paying "
        "vendors?\n\n00:00:05.000 --> 00:00:12.000\n<v Marcus Halvorsen>Approvals sit in "
        "someone's inbox for weeks.\nThen we pay late fees — and the vendors call me.\n\n"
        "00:00:13.000 --> 00:00:19.000\n<v Marcus Halvorsen>Honestly, it's exhausting.\n"
    ).encode()
    original = read_transcript("marcus.vtt", data)
    tid = store.add_transcript(original, data)
    loaded = store.load_transcript(tid)

    assert loaded.text == original.text
    assert loaded.utterances == original.utterances
    assert loaded.roles == original.roles
    assert (loaded.source, loaded.format, loaded.encoding) == ("marcus.vtt", "vtt", "utf-8")
    for before, after in zip(original.utterances, loaded.utterances, strict=True):
        assert after.text_in(loaded.text) == before.text_in(original.text)
        for a, b in after.spans:
            assert loaded.text[a:b] == original.text[a:b] and loaded.text[a:b].strip()
    assert any(len(u.spans) > 1 for u in loaded.utterances)
    assert loaded.utterances[1].timestamp == pytest.approx(5.0)


def test_load_and_original_of_unknown_transcript_raise_project_error(store):
    with pytest.raises(ProjectError, match="no transcript with id 99"):
        store.load_transcript(99)
    with pytest.raises(ProjectError, match="no transcript with id 99"):
        store.original_bytes(99)


def test_foreign_keys_are_on(store):
    assert store.query("PRAGMA foreign_keys")[0][0] == 1
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
        conn.execute(
            "INSERT INTO utterances (transcript_id, speaker_id, idx, spans)"
            " VALUES (42, 42, 0, '[]')"
        )
    tid = _add(store)
    with store.transaction() as conn:
        conn.execute("DELETE FROM transcripts WHERE id = ?", (tid,))
    assert _count(store, "speakers") == 0 and _count(store, "utterances") == 0


def test_failed_add_transcript_leaves_no_rows_and_no_file(store, monkeypatch):
    real_insert = ProjectStore._insert_transcript

    def insert_then_fail(self, conn, *args, **kwargs):
        real_insert(self, conn, *args, **kwargs)
        assert conn.execute("SELECT COUNT(*) FROM utterances").fetchone()[0] == 4
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ProjectStore, "_insert_transcript", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        _add(store)

    for table in ("transcripts", "speakers", "utterances"):
        assert _count(store, table) == 0, table
    assert list(store.originals_dir.iterdir()) == []
    monkeypatch.undo()
    tid = _add(store)  # the store is still usable and the same file imports cleanly
    assert store.original_bytes(tid) == INTERVIEW


def test_role_and_metadata_persist_across_store_objects(tmp_path):
    first = ProjectStore(tmp_path / "proj")
    tid = _add(first)
    first.set_role(tid, "Maya Chen", "other")
    priya = next(s for s in first.speakers(tid) if s.label == "Priya Raman")
    first.set_metadata(priya.id, {"company_size": "201-500", "industry": "Logística"})
    first.close()

    second = ProjectStore(tmp_path / "proj")
    speakers = {s.label: s for s in second.speakers(tid)}
    assert speakers["Maya Chen"].role == "other"
    assert speakers["Maya Chen"].role_set_by == "user"
    assert speakers["Maya Chen"].role_reason == "set by user"
    assert speakers["Priya Raman"].metadata == {"company_size": "201-500", "industry": "Logística"}
    assert second.load_transcript(tid).roles["Maya Chen"] == "other"
    second.close()


def test_set_role_and_metadata_refuse_unknown_targets(store):
    tid = _add(store)
    with pytest.raises(ProjectError, match="no speaker 'Nobody'"):
        store.set_role(tid, "Nobody", "participant")
    with pytest.raises(ProjectError, match="no speaker with id 999"):
        store.set_metadata(999, {"a": "b"})
    with pytest.raises(sqlite3.IntegrityError):  # the CHECK constraint guards roles
        store.set_role(tid, "Maya Chen", "boss")  # type: ignore[arg-type]
    assert {s.role for s in store.speakers(tid)} == {"interviewer", "participant"}


# -- schema migrations ------------------------------------------------------------------------


def _db_at_version(folder: Path, version: int, migrations: int) -> Path:
    folder.mkdir(parents=True)
    path = folder / DB_NAME
    conn = sqlite3.connect(path)
    for script in schema.MIGRATIONS[:migrations]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_version_1_database_is_backed_up_and_migrated(tmp_path):
    folder = tmp_path / "old"
    path = _db_at_version(folder, 1, migrations=1)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO transcripts (source, format, encoding, sha256, original_path, text,"
        " imported_at) VALUES ('a.txt', 'labelled_text', 'utf-8', 'abc', 'x', 'A: hi', 'then')"
    )
    conn.commit()
    conn.close()

    store = ProjectStore(folder)
    assert store.query("PRAGMA user_version")[0][0] == schema.SCHEMA_VERSION
    assert [t.source for t in store.transcripts()] == ["a.txt"]
    store.put_embeddings("m", {"h": np.ones(3, dtype=np.float32)})  # version-2 tables exist
    assert store.start_run(seed=1, model="m", config="{}", versions={}) == 1
    store.close()

    [backup] = list(folder.glob(f"{DB_NAME}.v1.*.bak"))
    assert _user_version(backup) == 1
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT source FROM transcripts").fetchall() == [("a.txt",)]
    conn.close()


def test_fresh_and_current_databases_are_not_backed_up(tmp_path):
    ProjectStore(tmp_path / "p").close()
    ProjectStore(tmp_path / "p").close()
    assert _user_version(tmp_path / "p" / DB_NAME) == schema.SCHEMA_VERSION
    assert list((tmp_path / "p").glob("*.bak")) == []


def test_newer_database_is_refused_and_left_alone(tmp_path):
    newer = schema.SCHEMA_VERSION + 1
    path = _db_at_version(tmp_path / "future", newer, migrations=len(schema.MIGRATIONS))
    with pytest.raises(ProjectError, match=rf"schema version {newer}, newer than this qualseg"):
        ProjectStore(tmp_path / "future")
    assert _user_version(path) == newer
    assert list((tmp_path / "future").glob("*.bak")) == []


def test_cli_refuses_newer_database_with_a_message(tmp_path, capsys):
    newer = schema.SCHEMA_VERSION + 1
    _db_at_version(tmp_path / "ws" / "future", newer, migrations=len(schema.MIGRATIONS))
    code = main(["--workspace", str(tmp_path / "ws"), "list", "--project", "future"])
    assert code == 2
    assert "newer than this qualseg" in capsys.readouterr().err


# -- runs and embedding cache -----------------------------------------------------------------


def test_runs_start_finish_fail_and_latest_result_ignores_failures(store):
    assert store.latest_result() is None
    first = store.start_run(seed=7, model="m", config='{"seed": 7}', versions={"numpy": "2"})
    assert store.latest_result() is None  # a running run is not a result
    store.finish_run(first, {"themes": ["ünïcode"], "n": 1})
    second = store.start_run(seed=8, model="m", config="{}", versions={})
    store.fail_run(second, "ValueError: " + "x" * 5000)
    third = store.start_run(seed=9, model="m", config="{}", versions={})

    assert store.latest_result() == (first, {"themes": ["ünïcode"], "n": 1})
    runs = {r.id: r for r in store.runs()}
    assert [r.id for r in store.runs()] == [third, second, first]
    assert runs[first].status == "done" and runs[first].finished_at
    assert runs[first].versions == {"numpy": "2"} and runs[first].seed == 7
    assert runs[second].status == "failed" and runs[second].error.startswith("ValueError: x")
    assert len(runs[second].error) == 2000
    assert runs[third].status == "running" and runs[third].finished_at is None

    store.finish_run(third, {"n": 3})
    assert store.latest_result() == (third, {"n": 3})


def test_embedding_cache_round_trips_float32_vectors(store):
    rng = np.random.default_rng(0)
    vectors = {f"hash-{i}": rng.standard_normal(384) for i in range(1203)}  # float64 in
    store.put_embeddings("mini", vectors)
    got = store.get_embeddings("mini", list(vectors) + ["unknown", "hash-0"])

    assert set(got) == set(vectors)
    for key, vector in vectors.items():
        assert got[key].dtype == np.float32 and got[key].shape == (384,)
        assert np.array_equal(got[key], vector.astype(np.float32))
    assert store.get_embeddings("other-model", ["hash-0"]) == {}
    store.put_embeddings("mini", {"hash-0": np.zeros(384, dtype=np.float32)})
    assert not store.get_embeddings("mini", ["hash-0"])["hash-0"].any()
