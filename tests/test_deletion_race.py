"""A deletion wins every race with an analysis: nothing of a deleted transcript comes back.

The interleavings are forced, not timed: the deletion runs through a second store (its own
SQLite connection and lock handle, as another process has) from inside the run, at the moment
under test: while it embeds, between its last cache write and its commit, and while it writes
its report files (where the deletion must wait for the run's lock).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from qualseg import deletion, running
from qualseg.embed import HashingEmbedder
from qualseg.errors import ProjectError
from qualseg.exports.registry import export_project
from qualseg.kind_model import kind_classifier_for
from qualseg.privacy.review import DETECTED_KEY, get_setting
from qualseg.report import quotes_csv, report_markdown
from qualseg.running import run_analysis
from qualseg.store import ProjectStore
from qualseg.store.guard import DeletedDuringRun

SOURCE = "otter_novak.txt"


class HookedEmbedder(HashingEmbedder):
    """The hashing fake under its own cache name (every text reaches encode), calling a hook
    on its first call."""

    def __init__(self, hook=None) -> None:
        super().__init__()
        self.name = "hooked-256"
        self.hook = None
        kind_classifier_for(self)  # fitted now: the run's first encode is the study's
        self.hook = hook

    def encode(self, texts, *, batch_size: int = 64):
        if self.hook is not None:
            hook, self.hook = self.hook, None
            hook()
        return super().encode(texts, batch_size=batch_size)


def _delete_elsewhere(folder: Path, source: str = SOURCE) -> None:
    other = ProjectStore(folder)
    try:
        deletion.delete_transcript(other, source)
    finally:
        other.close()


def _files(folder: Path):
    def render(report: dict) -> dict[Path, bytes]:
        return {
            folder / "report.json": json.dumps(report, indent=2, ensure_ascii=False).encode(),
            folder / "report.md": report_markdown(report).encode(),
            folder / "quotes.csv": quotes_csv(report).encode(),
        }

    return render


def _gone_everywhere(store: ProjectStore, sentence: str, name: str, sha: str) -> None:
    """No sentence, name or file hash of the deleted transcript in any file of the project, the
    current state or a pseudonymised export."""
    for path in sorted(store.folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            assert sentence.encode() not in data, path
            assert name.encode() not in data, path
            assert sha.encode() not in data and sha[:12].encode() not in data, path
    for fmt in ("csv", "json"):
        out = export_project(store, fmt)
        assert sentence.encode() not in out and name.encode() not in out
        assert SOURCE.encode() not in out


@pytest.fixture
def victim(analyzed_store: ProjectStore):
    """(a long sentence, the participant's name, the file hash) of the transcript to delete."""
    store = analyzed_store
    stored = store.transcript_by_source(SOURCE)
    _run_id, result = store.latest_result()
    sentence = max((e["text"] for e in result["excerpts"] if e["source"] == SOURCE), key=len)
    [person] = [s for s in store.speakers(stored.id) if s.role == "participant"]
    return sentence, person.display_name, stored.sha256


def test_a_deletion_while_the_run_embeds_wins(analyzed_store, victim):
    store = analyzed_store
    sentence, name, sha = victim
    out = store.folder / "report"
    out.mkdir()
    before = store.latest_result()[0]
    embedder = HookedEmbedder(lambda: _delete_elsewhere(store.folder))

    with pytest.raises(DeletedDuringRun, match="deleted while this analysis ran"):
        run_analysis(store, embedder=embedder, outputs=_files(out))

    newest = store.runs()[0]
    assert newest.status == "failed" and "deleted while this analysis ran" in newest.error
    assert store.latest_result()[0] == before  # the scrubbed earlier result stays current
    # not one vector of the run was written after the deletion
    assert (
        store.query("SELECT COUNT(*) FROM embeddings WHERE model = ?", (embedder.name,))[0][0] == 0
    )
    assert list(out.iterdir()) == []  # a failed run writes no report file
    _gone_everywhere(store, sentence, name, sha)


def test_a_deletion_between_the_last_cache_write_and_the_commit_wins(
    analyzed_store, victim, monkeypatch
):
    store = analyzed_store
    sentence, name, sha = victim
    out = store.folder / "report"
    out.mkdir()
    real = running.build_report

    def build_then_delete(*args, **kwargs):
        report = real(*args, **kwargs)  # the result holds the transcript...
        assert any(e["source"] == SOURCE for e in report["excerpts"])
        _delete_elsewhere(store.folder)  # ...deleted before it is committed
        return report

    monkeypatch.setattr(running, "build_report", build_then_delete)
    with pytest.raises(DeletedDuringRun):
        run_analysis(store, embedder=HookedEmbedder(), outputs=_files(out))
    assert list(out.iterdir()) == []
    _gone_everywhere(store, sentence, name, sha)


def test_a_deletion_during_the_runs_commit_waits_and_scrubs_it(analyzed_store, victim):
    """The deletion, asked for while the run writes its files, waits for the run's lock, then
    removes the transcript from the run it committed and rebuilds the files from it."""
    store = analyzed_store
    sentence, name, sha = victim
    out = store.folder / "report"  # the folder a deletion rebuilds
    out.mkdir()
    render = _files(out)
    deleter = threading.Thread(target=_delete_elsewhere, args=(store.folder,))
    waited: list[bool] = []

    def render_while_deleting(report: dict) -> dict[Path, bytes]:
        deleter.start()
        deleter.join(timeout=1.0)
        waited.append(deleter.is_alive())  # blocked on the project lock the run holds
        return render(report)

    run_id, report = run_analysis(store, embedder=HookedEmbedder(), outputs=render_while_deleting)
    deleter.join(timeout=60)
    assert waited == [True] and not deleter.is_alive()
    assert any(e["source"] == SOURCE for e in report["excerpts"])  # the run had it...
    assert store.latest_result()[0] == run_id
    rebuilt = json.loads((out / "report.json").read_text("utf-8"))
    assert rebuilt["run"]["id"] == run_id and rebuilt["excerpts"]  # ...the deletion scrubbed it
    _gone_everywhere(store, sentence, name, sha)


def test_a_second_analysis_of_the_project_is_refused_while_one_runs(analyzed_store):
    store = analyzed_store
    other = ProjectStore(store.folder)
    try:
        first = other.start_run(seed=1, model="m", config="{}", versions={})
        with pytest.raises(ProjectError, match=rf"another analysis .* is running \(run {first}"):
            run_analysis(store, embedder=HashingEmbedder())
        other.fail_run(first, "stopped")
        run_analysis(store, embedder=HashingEmbedder())  # once it ended, a run goes ahead
    finally:
        other.close()


def test_a_deleted_files_hash_leaves_the_settings(analyzed_store, victim):
    store = analyzed_store
    _sentence, _name, sha = victim
    assert sha in json.loads(get_setting(store, DETECTED_KEY))
    deletion.delete_transcript(store, SOURCE)
    listed = json.loads(get_setting(store, DETECTED_KEY))
    assert sha not in listed
    assert listed == sorted(t.sha256 for t in store.transcripts())  # no re-detection needed
    assert all(sha not in r["value"] for r in store.query("SELECT value FROM settings"))


def test_an_export_leaves_out_whoever_the_store_no_longer_holds(analyzed_store, victim):
    """The last guard: a result that still held a deleted speaker (whatever the cause) exports
    nothing of theirs, since their pseudonym entries went with them."""
    store = analyzed_store
    sentence, name, sha = victim
    stored = store.transcript_by_source(SOURCE)
    with store.transaction() as conn:  # rows gone, stored results left as they were
        conn.execute("DELETE FROM transcripts WHERE id = ?", (stored.id,))
    for fmt in ("csv", "json", "md"):
        out = export_project(store, fmt)
        assert sentence.encode() not in out and name.encode() not in out, fmt
        assert sha[:12].encode() not in out, fmt
    assert export_project(store, "csv").count(b"\n") > 10  # the others are still there


def test_a_deletion_removes_the_cached_vectors_of_the_pseudonymised_texts(analyzed_store):
    """A pseudonymising run embeds "Participant 3 said..." rather than the original words: those
    vectors are of the deleted speech too, and go with it."""
    from qualseg.embed import text_hash
    from qualseg.privacy.seam import model_texts

    store = analyzed_store
    _run_id, result = store.latest_result()
    mine = [e for e in result["excerpts"] if e["source"] == SOURCE]
    pseudo = {t for t, e in zip(model_texts(store, mine), mine, strict=True) if t != e["text"]}
    others = {e["text"] for e in result["excerpts"] if e["source"] != SOURCE}
    hashes = sorted({text_hash(t) for t in pseudo - others})
    assert len(hashes) >= 3  # the transcript names people: some excerpts read differently

    def cached() -> int:
        marks = ",".join("?" * len(hashes))
        sql = f"SELECT COUNT(*) FROM embeddings WHERE text_hash IN ({marks})"  # noqa: S608
        return store.query(sql, tuple(hashes))[0][0]

    assert cached() == len(hashes)
    deletion.delete_transcript(store, SOURCE)
    assert cached() == 0
