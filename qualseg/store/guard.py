"""What makes a deletion win every race with an analysis that started before it.

Two mechanisms, both in the project folder so that they hold across processes:

- the **erasure epoch**, a counter in the ``settings`` table that every erase transaction
  increments. A run remembers the epoch it started under; each of its cache writes and its final
  commit check it inside their own write transaction and are refused once it moved, so a run that
  read a transcript before it was deleted can write nothing of it afterwards.
- the **project lock** (``.project.lock``, an operating-system file lock): a deletion holds it
  from its plan to its rebuilt outputs, an analysis from its commit to its written report files.
  Either the deletion comes first (the run's commit then sees the new epoch and is refused) or the
  run's result and files are complete before the deletion reads them (and scrubs them).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from qualseg.errors import ProjectError

if TYPE_CHECKING:
    from qualseg.store.project_store import ProjectStore

ERASURE_EPOCH = "erasure_epoch"
LOCK_NAME = ".project.lock"
LOCK_WAIT_S = 300.0  # a deletion VACUUMs a large database: give it minutes, then say so


class DeletedDuringRun(ProjectError):
    """A deletion committed while this run was going: what it computed may hold deleted data."""

    def __init__(self, project: str) -> None:
        super().__init__(
            f"a transcript or participant of project {project!r} was deleted while this analysis "
            "ran; its result was discarded so that nothing of theirs comes back. Run the "
            "analysis again."
        )


def read_epoch(conn: sqlite3.Connection) -> int:
    """The project's erasure epoch (0 before the first deletion)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (ERASURE_EPOCH,)).fetchone()
    return int(row[0]) if row else 0


def bump_epoch(conn: sqlite3.Connection) -> int:
    """Increment the erasure epoch inside the caller's (erase) transaction; the new value."""
    epoch = read_epoch(conn) + 1
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (ERASURE_EPOCH, str(epoch))
    )
    return epoch


def check_epoch(conn: sqlite3.Connection, epoch: int, project: str) -> None:
    """Raise DeletedDuringRun when a deletion committed since ``epoch`` was read."""
    if read_epoch(conn) != epoch:
        raise DeletedDuringRun(project)


def try_lock(handle: IO[bytes]) -> bool:
    """Take an exclusive, non-blocking lock on an open file; False when another holds it.

    The operating system drops the lock when its holder exits, however it exits."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class ProjectLock:
    """The project lock, re-entrant within one store object (a deletion of a participant that
    becomes the deletion of the transcript takes it twice); other store objects, threads and
    processes wait for it."""

    def __init__(self, folder: Path, project: str) -> None:
        self._path = Path(folder) / LOCK_NAME
        self._project = project
        self._mutex = threading.RLock()
        self._depth = 0
        self._handle: IO[bytes] | None = None

    @contextlib.contextmanager
    def hold(self, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
        """Hold the lock for the block; ProjectError after ``wait_s`` seconds of waiting."""
        if not self._mutex.acquire(timeout=wait_s):
            raise self._busy(wait_s)
        try:
            if self._depth == 0:
                self._handle = self._acquire(wait_s)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._handle is not None:
                    self._handle.close()  # closing the file releases the lock
                    self._handle = None
        finally:
            self._mutex.release()

    def _acquire(self, wait_s: float) -> IO[bytes]:
        deadline = time.monotonic() + wait_s
        handle = open(self._path, "a+b")  # noqa: SIM115 - held until the block ends
        while not try_lock(handle):
            if time.monotonic() > deadline:
                handle.close()
                raise self._busy(wait_s)
            time.sleep(0.05)
        return handle

    def _busy(self, wait_s: float) -> ProjectError:
        return ProjectError(
            f"project {self._project!r} is busy (a deletion or the end of an analysis has held "
            f"it for over {wait_s:.0f} s); try again when it is done"
        )


class RunCache:
    """The project's embedding, keyphrase and excerpt-cut caches as one run sees them: reads as usual,
    writes refused (DeletedDuringRun) once a deletion committed after the run started."""

    def __init__(self, store: ProjectStore, epoch: int) -> None:
        self._store = store
        self._epoch = epoch

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return self._store.get_embeddings(model, hashes)

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        self._store.put_embeddings(model, vectors, epoch=self._epoch)

    def get_phrases(self, hashes: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        return self._store.get_phrases(hashes)

    def put_phrases(self, phrases: dict[str, list[tuple[str, str]]]) -> None:
        self._store.put_phrases(phrases, epoch=self._epoch)

    def get_pieces(self, keys: Sequence[str]) -> dict[str, list[list[int]]]:
        return self._store.get_pieces(keys)

    def put_pieces(self, pieces: dict[str, list[list[int]]]) -> None:
        self._store.put_pieces(pieces, epoch=self._epoch)

    def get_clusterings(self, keys: Sequence[str]) -> dict[str, object]:
        return self._store.get_clusterings(keys)

    def put_clusterings(self, values: dict[str, object]) -> None:
        self._store.put_clusterings(values, epoch=self._epoch)
