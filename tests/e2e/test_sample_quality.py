"""The sample study analyzed with the real model: verbatim quotes, determinism, run records.

Quality against gold is measured held out, in ``tests/corpus/test_held_out_quality.py``:
the shipped kind classifier was fitted on the sample, so its figures here would be in-sample.
"""

from __future__ import annotations

import pytest

from qualseg.config import AnalysisConfig
from qualseg.running import run_analysis
from tests.e2e.conftest import strip_times

pytestmark = pytest.mark.slow


def test_every_quote_is_verbatim_at_its_offsets(sample_report, sample_store):
    transcripts = {t.source: sample_store.load_transcript(t.id) for t in sample_store.transcripts()}
    for e in sample_report["excerpts"]:
        assert transcripts[e["source"]].speech_between(e["start"], e["end"]) == e["text"]
    for theme in sample_report["themes"]:
        assert 3 <= len(theme["quotes"]) <= 5 or len(theme["quotes"]) == len(theme["excerpts"])
        assert len({q["participant"] for q in theme["quotes"]}) >= min(
            2, len(theme["participants"])
        )


def test_same_seed_same_report(sample_store, sample_report):
    _run_id, again = run_analysis(sample_store, AnalysisConfig())
    assert strip_times(again) == strip_times(sample_report)


def test_run_is_recorded_with_config_seed_and_versions(sample_store, sample_report):
    run = next(r for r in sample_store.runs() if r.id == sample_report["run"]["id"])
    assert run.status == "done" and run.seed == 42
    assert AnalysisConfig.from_json(run.config) == AnalysisConfig()
    assert {"torch", "spacy", "sentence-transformers", "hdbscan"} <= set(run.versions)


def test_shipped_kind_model_is_fitted_on_the_current_training_rows():
    """qualseg/data/kind_model.npz must be refitted when the examples or training rows change."""
    from qualseg.kind_model import shipped_classifier
    from qualseg.kind_training import training_digest

    shipped = shipped_classifier()
    assert shipped is not None and shipped.embedder_ == AnalysisConfig().model
    assert shipped.training_digest_ == training_digest(), "run scripts/train_kinds.py"
