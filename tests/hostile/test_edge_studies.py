"""Degenerate studies analyzed end to end (hashing embedder, real spaCy): one transcript, every
answer the same, nothing to analyze, and a run that fails after a good one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qualseg.embed import HashingEmbedder
from qualseg.errors import QualsegError
from qualseg.importing import import_files
from qualseg.quote_bank import quotes, to_markdown
from qualseg.report import quotes_csv, report_markdown
from qualseg.running import run_analysis
from qualseg.store import ProjectStore, Workspace
from tests.conftest import SAMPLE_DIR

NAMES = ["Ana Lima", "Ben Okoro", "Chen Wu", "Dara Roy", "Eli Fox"]
SAME_ANSWER = "It works fine for us, no complaints about the invoices."


def _project(tmp_path: Path, files: list[tuple[str, bytes]]) -> ProjectStore:
    store = Workspace(tmp_path / "ws").open("edge", create=True)
    report = import_files(store, files)
    assert not report.failed, report.failed
    return store


def _check_consistent(report: dict) -> None:
    """The report renders and every reference in it resolves."""
    people = {p["id"] for p in report["participants"]}
    excerpts = {e["id"] for e in report["excerpts"]}
    for theme in report["themes"]:
        assert set(theme["excerpts"]) <= excerpts and set(theme["participants"]) <= people
        assert len(theme["participants"]) >= 2  # a theme of one participant is dissolved
    for segment in report["segments"]:
        assert set(segment["participants"]) <= people
    assert report_markdown(report).startswith("# Study report")
    assert quotes_csv(report).count("\n") == len(report["excerpts"]) + 1
    assert to_markdown(quotes(report)).startswith("# Quotes")


def test_study_of_one_transcript(tmp_path):
    path = SAMPLE_DIR / "interview_ferreira.txt"
    store = _project(tmp_path, [(path.name, path.read_bytes())])
    run_id, report = run_analysis(store, embedder=HashingEmbedder())
    assert [p["name"] for p in report["participants"]] == ["Beatriz Ferreira"]
    assert len(report["excerpts"]) > 20
    assert report["themes"] == []  # themes need two participants
    assert len(report["segments"]) <= 1
    for segment in report["segments"]:
        assert segment["participants"] == [report["participants"][0]["id"]]
    _check_consistent(report)
    assert store.latest_result()[0] == run_id


def test_study_where_every_answer_is_the_same(tmp_path):
    files = []
    for i, name in enumerate(NAMES):
        turns = [
            f"Maya Chen: Question {q}: how do you handle invoices today?\n\n{name}: {SAME_ANSWER}"
            for q in range(6)
        ]
        files.append((f"same-{i}.txt", "\n\n".join(turns).encode()))
    store = _project(tmp_path, files)
    run_id, report = run_analysis(store, embedder=HashingEmbedder())
    assert len(report["participants"]) == 5
    texts = {e["text"] for e in report["excerpts"]}
    assert texts == {SAME_ANSWER}
    assert len(report["excerpts"]) == 30
    # Identical answers carry no contrast: at most one theme, never more segments than one.
    assert len(report["themes"]) <= 1 and len(report["segments"]) <= 1
    _check_consistent(report)
    assert store.latest_result()[0] == run_id


def test_project_without_transcripts_fails_clearly(tmp_path):
    store = Workspace(tmp_path / "ws").open("empty", create=True)
    with pytest.raises(QualsegError, match="has no transcripts with a participant"):
        run_analysis(store, embedder=HashingEmbedder())
    assert store.runs() == []


class _BrokenEmbedder(HashingEmbedder):
    """Fails half-way through a run, as a model that runs out of memory would."""

    def encode(self, texts, *, batch_size: int = 64) -> np.ndarray:
        raise RuntimeError("the model ran out of memory")


def test_failed_run_keeps_the_previous_result(tmp_path):
    path = SAMPLE_DIR / "interview_ferreira.txt"
    store = _project(tmp_path, [(path.name, path.read_bytes())])
    good_id, good = run_analysis(store, embedder=HashingEmbedder())
    broken = _BrokenEmbedder()
    broken.name = "hashing-broken"  # a different cache key: the embeddings are recomputed
    with pytest.raises(RuntimeError, match="ran out of memory"):
        run_analysis(store, embedder=broken)
    runs = {r.id: r for r in store.runs()}
    assert len(runs) == 2
    failed = next(r for r in runs.values() if r.id != good_id)
    assert failed.status == "failed" and "ran out of memory" in failed.error
    latest_id, latest = store.latest_result()
    assert latest_id == good_id and latest == good
