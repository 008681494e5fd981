"""Fixtures of the privacy tests: a project with the planted transcript, a recording embedder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qualseg.embed import HashingEmbedder

FIXTURES = Path(__file__).parent / "fixtures"
PLANTED = FIXTURES / "planted_call.txt"


class RecordingEmbedder(HashingEmbedder):
    """The hashing fake, remembering every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.name = "recording-256"  # its own cache rows: every text reaches encode()
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        self.seen.extend(texts)
        return super().encode(texts, batch_size=batch_size)


@pytest.fixture
def planted_store(workspace):
    """A project with the planted call and a second call naming the same company."""
    from qualseg.importing import import_files

    store = workspace.open("planted", create=True)
    second = (
        b"Maya Chen: How did the pilot go?\n\n"
        b"Pedro Alvarez: Fine. Acme Corp ran it for a month; Dana Whitfield signed in May.\n"
    )
    report = import_files(store, [(PLANTED.name, PLANTED.read_bytes()), ("call2.txt", second)])
    assert not report.failed, report.failed
    yield store
    store.close()
