"""Notes a reader leaves for the import report: what it kept or skipped that the researcher
should know about (a caption with a broken time, paragraphs carried to the previous speaker).

Readers call :func:`note` while :func:`read_transcript <qualseg.ingest.read_transcript>` reads a
file inside :func:`collecting`; the notes end up in ``Transcript.notes``. A reader called on its
own (outside ``collecting``) drops them. The collector lives in a context variable, so threads
(the app) and nested reads do not mix their notes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CURRENT: ContextVar[list[str] | None] = ContextVar("qualseg_ingest_notes", default=None)


def note(message: str) -> None:
    """Record one note on the file being read (kept once, in order)."""
    notes = _CURRENT.get()
    if notes is not None and message not in notes:
        notes.append(message)


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the notes of the reads inside the block into the yielded list."""
    notes: list[str] = []
    token = _CURRENT.set(notes)
    try:
        yield notes
    finally:
        _CURRENT.reset(token)


def plural(count: int, word: str, words: str | None = None) -> str:
    """``"1 paragraph"``, ``"3 paragraphs"``."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
