"""The analysis sees pseudonymised text when the project's switch is on, originals otherwise."""

from __future__ import annotations

import json

from qualseg.kind_model import kind_classifier_for
from qualseg.models import Transcript
from qualseg.privacy.review import set_enabled
from qualseg.running import run_analysis
from tests.privacy.conftest import RecordingEmbedder

NAMES = ("Priya Raman", "Marcus", "Bluepeak", "Northwind", "Lorraine", "Karen Liu")


def _transcripts(store) -> dict[str, Transcript]:
    return {t.source: store.load_transcript(t.id) for t in store.transcripts()}


def _recording() -> RecordingEmbedder:
    """A recording embedder whose kind classifier is fitted already, so that it records only
    what a run embeds of the study (the fit embeds the training rows, not a user's words)."""
    embedder = RecordingEmbedder()
    kind_classifier_for(embedder)
    embedder.seen.clear()
    return embedder


def _study_texts(embedder: RecordingEmbedder) -> str:
    """What the embedder saw during the run."""
    return "\n".join(embedder.seen)


def test_embedding_input_is_pseudonymised_when_enabled(analyzed_store):
    embedder = _recording()
    _run_id, report = run_analysis(analyzed_store, embedder=embedder)
    seen = _study_texts(embedder)
    assert [n for n in NAMES if n in seen] == []
    assert "Participant " in seen and "Company " in seen
    assert report["run"]["pseudonymised"] is True
    assert json.loads(report["run"]["config"])["pseudonymised"] is True
    labels = " ".join(t["label"] + " " + " ".join(t["keyphrases"]) for t in report["themes"])
    assert [n for n in NAMES if n in labels] == []
    # the researcher's own view: verbatim original words at original offsets
    texts = _transcripts(analyzed_store)
    for e in report["excerpts"]:
        assert texts[e["source"]].speech_between(e["start"], e["end"]) == e["text"]
        assert e["id"].endswith(f":{e['start']}-{e['end']}")
    assert any("Bluepeak" in e["text"] for e in report["excerpts"])
    keys = {e["id"] for e in report["excerpts"]}
    assert all(set(t["excerpts"]) <= keys for t in report["themes"])


def test_embedding_input_is_original_when_disabled(analyzed_store):
    set_enabled(analyzed_store, False)
    embedder = _recording()
    _run_id, report = run_analysis(analyzed_store, embedder=embedder)
    seen = _study_texts(embedder)
    assert "Bluepeak" in seen and "Lorraine" in seen
    assert report["run"]["pseudonymised"] is False


def test_excerpt_keys_mostly_agree_with_an_unpseudonymised_run(analyzed_store):
    set_enabled(analyzed_store, False)
    _id, plain = run_analysis(analyzed_store, embedder=RecordingEmbedder())
    set_enabled(analyzed_store, True)
    _id, pseudo = run_analysis(analyzed_store, embedder=RecordingEmbedder())
    a, b = {e["id"] for e in plain["excerpts"]}, {e["id"] for e in pseudo["excerpts"]}
    assert len(a & b) / len(a | b) > 0.95  # researchers' edits find their excerpts again
