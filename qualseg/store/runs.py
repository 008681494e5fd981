"""Embedding cache and analysis-run records of a project (mixed into ProjectStore)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import numpy as np

from qualseg.errors import ProjectError
from qualseg.store.guard import ERASURE_EPOCH, RunCache, check_epoch, read_epoch
from qualseg.store.guard import try_lock as _try_lock

INTERRUPTED = "interrupted: the process running it stopped (killed or crashed) before it finished"


@dataclass(frozen=True)
class RunRecord:
    """One analysis run: when, with what, and how it ended."""

    id: int
    started_at: str
    finished_at: str | None
    status: str
    seed: int
    model: str
    config: str
    versions: dict[str, str]
    error: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RunsMixin:
    """Needs ``folder``, ``name``, ``query`` and ``transaction`` from ProjectStore.

    A running run is held by a lock on ``.run-<id>.lock`` in the project folder for as long as
    its process lives; a 'running' row whose lock nobody holds was interrupted.
    """

    # -- embedding cache ------------------------------------------------------------------------

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for begin in range(0, len(unique), 500):
            chunk = unique[begin : begin + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.query(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                (model, *chunk),
            ):
                out[row["text_hash"]] = np.frombuffer(row["vector"], dtype=np.float32)
        return out

    def copy_embeddings_from(self, db_path: str) -> None:
        """Add the embedding cache of another project file (what it has that this one lacks)."""
        self.query("ATTACH DATABASE ? AS other", (db_path,))  # not allowed inside a transaction
        try:
            with self.transaction() as conn:
                conn.execute("INSERT OR IGNORE INTO embeddings SELECT * FROM other.embeddings")
        finally:
            self.query("DETACH DATABASE other")

    def put_embeddings(
        self, model: str, vectors: dict[str, np.ndarray], *, epoch: int | None = None
    ) -> None:
        """Add vectors to the cache; with ``epoch``, refused (DeletedDuringRun) when a deletion
        committed since that erasure epoch was read."""
        with self.transaction() as conn:
            if epoch is not None:
                check_epoch(conn, epoch, self.name)
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model, text_hash, dim, vector) VALUES (?,?,?,?)",
                [
                    (model, h, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
                    for h, v in vectors.items()
                ],
            )

    # -- JSON caches: keyphrases, named entities, excerpt cuts ---------------------------------

    def _get_json(self, table: str, key_column: str, keys: Sequence[str]) -> dict[str, object]:
        """The cached JSON values of ``keys`` in a two-column cache table (key, ``table``)."""
        out: dict[str, object] = {}
        unique = list(dict.fromkeys(keys))
        for begin in range(0, len(unique), 500):
            chunk = unique[begin : begin + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {key_column}, {table} FROM {table} WHERE {key_column} IN ({marks})"
            for row in self.query(sql, tuple(chunk)):
                out[row[key_column]] = json.loads(row[table])
        return out

    def _put_json(
        self, table: str, key_column: str, values: dict[str, object], epoch: int | None
    ) -> None:
        """Add JSON values to a cache table; ``epoch`` as for ``put_embeddings``."""
        with self.transaction() as conn:
            if epoch is not None:
                check_epoch(conn, epoch, self.name)
            conn.executemany(
                f"INSERT OR REPLACE INTO {table} ({key_column}, {table}) VALUES (?, ?)",
                [(k, json.dumps(v, ensure_ascii=False)) for k, v in values.items()],
            )

    def get_phrases(self, hashes: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        found = self._get_json("phrases", "text_hash", hashes)
        return {h: [tuple(p) for p in phrases] for h, phrases in found.items()}  # type: ignore[attr-defined]

    def put_phrases(
        self, phrases: dict[str, list[tuple[str, str]]], *, epoch: int | None = None
    ) -> None:
        """Add keyphrases to the cache; ``epoch`` as for ``put_embeddings``."""
        self._put_json("phrases", "text_hash", phrases, epoch)  # type: ignore[arg-type]

    def get_entities(self, keys: Sequence[str]) -> dict[str, list[list]]:
        """Cached named-entity records of transcripts, by ``privacy.entities.entity_key``."""
        return self._get_json("entities", "key", keys)  # type: ignore[return-value]

    def put_entities(self, records: dict[str, list[list]], *, epoch: int | None = None) -> None:
        """Add named-entity records to the cache; ``epoch`` as for ``put_embeddings``."""
        self._put_json("entities", "key", records, epoch)  # type: ignore[arg-type]

    def get_pieces(self, keys: Sequence[str]) -> dict[str, list[list[int]]]:
        """Cached cuts of participant turns into excerpts, by ``excerpts.pieces_key``."""
        return self._get_json("pieces", "key", keys)  # type: ignore[return-value]

    def put_pieces(self, pieces: dict[str, list[list[int]]], *, epoch: int | None = None) -> None:
        """Add turn cuts to the cache; ``epoch`` as for ``put_embeddings``."""
        self._put_json("pieces", "key", pieces, epoch)  # type: ignore[arg-type]

    def get_clusterings(self, keys: Sequence[str]) -> dict[str, object]:
        """Cached clusterings (a lens's theme labels, a segment discovery), by
        ``cluster_cache.clustering_key`` or ``discovery_key``."""
        return self._get_json("clusterings", "key", keys)

    def put_clusterings(self, values: dict[str, object], *, epoch: int | None = None) -> None:
        """Add clusterings to the cache; ``epoch`` as for ``put_embeddings``."""
        self._put_json("clusterings", "key", values, epoch)

    # -- runs -----------------------------------------------------------------------------------

    def _run_lock_path(self, run_id: int) -> Path:
        return Path(self.folder) / f".run-{run_id}.lock"

    def _held_run_locks(self) -> dict[int, IO[bytes]]:
        return self.__dict__.setdefault("_run_locks", {})

    def _run_epochs(self) -> dict[int, int]:
        return self.__dict__.setdefault("_epochs", {})

    def erasure_epoch(self) -> int:
        """The project's erasure epoch now (read it before reading what a run will analyze)."""
        rows = self.query("SELECT value FROM settings WHERE key = ?", (ERASURE_EPOCH,))
        return int(rows[0]["value"]) if rows else 0

    def start_run(
        self,
        *,
        seed: int,
        model: str,
        config: str,
        versions: dict[str, str],
        epoch: int | None = None,
    ) -> int:
        """Record a new run as running; its lock is taken before the row becomes visible.

        One run of a project at a time: refused (ProjectError) while another process or store
        has a live run. The run remembers the erasure epoch it started under (``run_cache``,
        ``finish_run``): ``epoch`` when given (read before the run's input was), refused at once
        (DeletedDuringRun) when a deletion has committed since.
        """
        self.recover_interrupted_runs()
        with self.transaction() as conn:
            if epoch is not None:
                check_epoch(conn, epoch, self.name)
            for row in conn.execute(
                "SELECT id, started_at FROM runs WHERE status = 'running'"
            ).fetchall():
                if self._run_is_alive(row["id"]):
                    raise ProjectError(
                        f"another analysis of project {self.name!r} is running (run {row['id']}, "
                        f"started {row['started_at']}); wait for it to finish, then run again"
                    )
            epoch = read_epoch(conn) if epoch is None else epoch
            cur = conn.execute(
                "INSERT INTO runs (started_at, status, seed, model, config, versions)"
                " VALUES (?, 'running', ?, ?, ?, ?)",
                (_now(), seed, model, config, json.dumps(versions, sort_keys=True)),
            )
            run_id = int(cur.lastrowid)
            handle = open(self._run_lock_path(run_id), "wb")  # noqa: SIM115 - held until the end
            if not _try_lock(handle):
                handle.close()
                raise OSError(f"cannot lock {self._run_lock_path(run_id)}")
            self._held_run_locks()[run_id] = handle
            self._run_epochs()[run_id] = epoch
        return run_id

    def run_cache(self, run_id: int) -> RunCache:
        """The caches as this run may write them: refused once a deletion has committed."""
        return RunCache(self, self._run_epochs()[run_id])

    def _release_run(self, run_id: int) -> None:
        self._run_epochs().pop(run_id, None)
        handle = self._held_run_locks().pop(run_id, None)
        if handle is not None:
            handle.close()
        self._run_lock_path(run_id).unlink(missing_ok=True)

    def finish_run(self, run_id: int, result: dict) -> None:
        """Mark a run done with its result, in one transaction; refused (DeletedDuringRun, the
        run stays running for ``fail_run``) when a deletion committed since the run started."""
        with self.transaction() as conn:
            if run_id in self._run_epochs():
                check_epoch(conn, self._run_epochs()[run_id], self.name)
            conn.execute(
                "UPDATE runs SET status = 'done', finished_at = ?, result = ? WHERE id = ?",
                (_now(), json.dumps(result, ensure_ascii=False, sort_keys=True), run_id),
            )
        self._release_run(run_id)

    def fail_run(self, run_id: int, error: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?",
                (_now(), error[:2000], run_id),
            )
        self._release_run(run_id)

    def _run_is_alive(self, run_id: int) -> bool:
        """Whether some process (this one included) still holds the run's lock."""
        if run_id in self._held_run_locks():
            return True
        try:
            handle = open(self._run_lock_path(run_id), "rb+")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            return False
        with handle:
            return not _try_lock(handle)

    def recover_interrupted_runs(self) -> list[int]:
        """Mark as failed every run left 'running' by a process that stopped before finishing
        it (killed, crashed, power cut); the previous result stays the current one.

        Returns:
            The ids of the runs marked failed.
        """
        stale = [
            r["id"]
            for r in self.query("SELECT id FROM runs WHERE status = 'running'")
            if not self._run_is_alive(r["id"])
        ]
        if stale:
            with self.transaction() as conn:
                conn.executemany(
                    "UPDATE runs SET status = 'failed', finished_at = ?, error = ?"
                    " WHERE id = ? AND status = 'running'",
                    [(_now(), INTERRUPTED, run_id) for run_id in stale],
                )
            for run_id in stale:
                self._run_lock_path(run_id).unlink(missing_ok=True)
        return stale

    def runs(self) -> list[RunRecord]:
        """Every run, newest first; a run whose process stopped is shown (and recorded) as
        failed, never as still running."""
        self.recover_interrupted_runs()
        return [
            _run(r)
            for r in self.query(
                "SELECT id, started_at, finished_at, status, seed, model, config, versions, error"
                " FROM runs ORDER BY id DESC"
            )
        ]

    def latest_result(self) -> tuple[int, dict] | None:
        """The newest successful run's id and result; failed runs never hide an older result."""
        rows = self.query(
            "SELECT id, result FROM runs WHERE status = 'done' ORDER BY id DESC LIMIT 1"
        )
        return (rows[0]["id"], json.loads(rows[0]["result"])) if rows else None


@dataclass(frozen=True)
class EditRecord:
    """One researcher edit as logged."""

    id: int
    at: str
    run_id: int | None
    kind: str
    payload: dict
    undone: bool


class EditsMixin:
    """The append-only edit log. Needs ``query`` and ``transaction`` from ProjectStore.

    Optimistic concurrency: a writer passes a ``check`` that sees, inside the same write
    transaction, what other sessions logged since the caller's view; the check raises to refuse.
    """

    def add_edit(
        self,
        kind: str,
        payload: dict,
        *,
        run_id: int | None,
        newer_than: int = 0,
        check: Callable[[list[EditRecord]], None] | None = None,
    ) -> int:
        """Append one edit; ``check`` first gets the live edits with an id above ``newer_than``
        and may raise, in which case nothing is written."""
        with self.transaction() as conn:
            if check is not None:
                rows = conn.execute(
                    "SELECT * FROM edits WHERE undone = 0 AND id > ? ORDER BY id", (newer_than,)
                ).fetchall()
                check([_edit(r) for r in rows])
            cur = conn.execute(
                "INSERT INTO edits (at, run_id, kind, payload) VALUES (?, ?, ?, ?)",
                (_now(), run_id, kind, json.dumps(payload, ensure_ascii=False, sort_keys=True)),
            )
            return int(cur.lastrowid)

    def edits(self, *, include_undone: bool = False) -> list[EditRecord]:
        sql = "SELECT * FROM edits" + ("" if include_undone else " WHERE undone = 0")
        return [_edit(r) for r in self.query(sql + " ORDER BY id")]

    def undo_last_edit(
        self, *, check: Callable[[EditRecord | None], None] | None = None
    ) -> EditRecord | None:
        """Mark the newest edit that is not undone as undone; return it (None if none).

        ``check`` gets that edit (or None) inside the write transaction and may raise to refuse.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM edits WHERE undone = 0 ORDER BY id DESC LIMIT 1"
            ).fetchone()
            newest = None if row is None else _edit(row)
            if check is not None:
                check(newest)
            if newest is None:
                return None
            conn.execute("UPDATE edits SET undone = 1 WHERE id = ?", (newest.id,))
        return EditRecord(newest.id, newest.at, newest.run_id, newest.kind, newest.payload, True)


def _edit(row: sqlite3.Row) -> EditRecord:
    return EditRecord(
        row["id"],
        row["at"],
        row["run_id"],
        row["kind"],
        json.loads(row["payload"]),
        bool(row["undone"]),
    )


def _run(row: sqlite3.Row) -> RunRecord:
    return RunRecord(
        id=row["id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        status=row["status"],
        seed=row["seed"],
        model=row["model"],
        config=row["config"],
        versions=json.loads(row["versions"]),
        error=row["error"],
    )
