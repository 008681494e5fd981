"""AppTest fixtures: a workspace with a small analyzed project, built once and copied per test.

The app analyzes with the hashing fake (QUALSEG_FAKE_EMBEDDER=1) except in the slow test.
Streamlit's caches live for the whole process, so each test starts with them cleared.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st

from qualseg import service
from qualseg.config import AnalysisConfig
from qualseg.embed import HashingEmbedder
from qualseg.store import Workspace
from tests.segmenting import any_segmentation
from tests.ui.helpers import FILES, RAW, SMALL, sample_files


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(scope="session")
def built_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """'small': six sample interviews with participants.csv, analyzed (hashing embedder);
    'small-raw': the same files, not analyzed."""
    root = tmp_path_factory.mktemp("ui-ws")
    ws = Workspace(root)
    batch = sample_files(*FILES, "participants.csv")
    for name in (SMALL, RAW):
        store = ws.open(name, create=True)
        report = service.import_files(store, batch)
        assert not report.failed, report.failed
        if name == SMALL:
            # density: with the hashing fake's meaningless vectors, partition themes are voiced
            # by all six participants, and the segment pages need a segment's defining theme
            config = AnalysisConfig(lens_clustering="density")
            with any_segmentation():
                service.run_analysis(store, config, embedder=HashingEmbedder())
        store.close()
    return root


@pytest.fixture
def ws_root(built_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the built workspace, used by the app through QUALSEG_WORKSPACE."""
    root = tmp_path / "ws"
    shutil.copytree(built_workspace, root)
    monkeypatch.setenv("QUALSEG_WORKSPACE", str(root))
    monkeypatch.setenv("QUALSEG_FAKE_EMBEDDER", "1")
    return root
