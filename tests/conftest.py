"""Shared fixtures: offline environment, a temporary workspace, the sample study paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_transcripts"


@pytest.fixture
def workspace(tmp_path: Path):
    from qualseg.store import Workspace

    return Workspace(tmp_path / "ws")
