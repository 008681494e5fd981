"""Shared fixtures: offline environment, a temporary workspace, the sample study paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_transcripts"
SMALL_STUDY = (
    "interview_bluepeak.txt",
    "session4.txt",
    "otter_novak.txt",
    "interview_ferreira.txt",
    "qa_session_lindqvist.txt",
    "otter_export_kellerman.txt",
)
"""Six files of the sample study: enough for themes and segments, quick to analyze."""


def import_sample_files(workspace, folder: Path, project: str, files: tuple[str, ...]):  # noqa: ANN001, ANN201
    """A new project holding copies of some sample files (imported from ``folder``)."""
    from qualseg.service import import_directory

    folder.mkdir(parents=True, exist_ok=True)
    for name in files:
        (folder / name).write_bytes((SAMPLE_DIR / name).read_bytes())
    store = workspace.open(project, create=True)
    report = import_directory(store, folder)
    assert not report.failed, report.failed
    return store


@pytest.fixture
def workspace(tmp_path: Path):
    from qualseg.store import Workspace

    return Workspace(tmp_path / "ws")


@pytest.fixture(scope="session")
def analyzed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with 'sample': the whole sample study imported and analyzed once with the
    hashing fake embedder (the real spaCy pipeline). Copy it before changing it."""
    from qualseg.embed import HashingEmbedder
    from qualseg.running import run_analysis
    from qualseg.service import import_directory
    from qualseg.store import Workspace
    from tests.segmenting import any_segmentation

    root = tmp_path_factory.mktemp("analyzed")
    store = Workspace(root).open("sample", create=True)
    report = import_directory(store, SAMPLE_DIR)
    assert not report.failed, report.failed
    with any_segmentation():
        run_analysis(store, embedder=HashingEmbedder())
    store.close()
    return root


@pytest.fixture
def analyzed_store(analyzed_root: Path, tmp_path: Path):
    """A private, writable copy of the analyzed sample study (a ProjectStore)."""
    import shutil

    from qualseg.store import Workspace

    root = tmp_path / "analyzed"
    shutil.copytree(analyzed_root, root)
    store = Workspace(root).open("sample")
    yield store
    store.close()
