"""The project store: one folder per project with the originals and one SQLite file."""

from __future__ import annotations

from qualseg.store.project_store import ProjectStore, StoredSpeaker, StoredTranscript
from qualseg.store.workspace import Workspace

__all__ = ["ProjectStore", "StoredSpeaker", "StoredTranscript", "Workspace"]
