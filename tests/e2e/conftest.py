"""The sample study analyzed once per test session with the real model and spaCy pipeline."""

from __future__ import annotations

import json

import pytest

from qualseg.config import AnalysisConfig
from qualseg.running import run_analysis
from qualseg.service import import_directory
from tests.conftest import SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory):
    from qualseg.store import Workspace

    store = Workspace(tmp_path_factory.mktemp("ws")).open("sample", create=True)
    report = import_directory(store, SAMPLE_DIR)
    assert not report.failed, report.failed
    return store


@pytest.fixture(scope="session")
def sample_report(sample_store) -> dict:
    _run_id, report = run_analysis(sample_store, AnalysisConfig())
    return report


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((SAMPLE_DIR / "gold.json").read_text("utf-8"))["files"]


@pytest.fixture(scope="session")
def sample_texts(sample_store) -> dict[str, str]:
    return {t.source: sample_store.load_transcript(t.id).text for t in sample_store.transcripts()}


def strip_times(report: dict) -> dict:
    """A report without the fields that legitimately differ between runs."""
    clean = json.loads(json.dumps(report))
    for key in ("id", "stage_seconds", "started_at", "finished_at"):
        clean["run"].pop(key, None)
    return clean
