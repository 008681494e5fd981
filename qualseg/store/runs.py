"""Embedding cache and analysis-run records of a project (mixed into ProjectStore)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np


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
    """Needs ``query`` and ``transaction`` from ProjectStore."""

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

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model, text_hash, dim, vector) VALUES (?,?,?,?)",
                [
                    (model, h, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
                    for h, v in vectors.items()
                ],
            )

    # -- keyphrase cache ------------------------------------------------------------------------

    def get_phrases(self, hashes: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        unique = list(dict.fromkeys(hashes))
        for begin in range(0, len(unique), 500):
            chunk = unique[begin : begin + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.query(
                f"SELECT text_hash, phrases FROM phrases WHERE text_hash IN ({marks})", tuple(chunk)
            ):
                out[row["text_hash"]] = [tuple(p) for p in json.loads(row["phrases"])]
        return out

    def put_phrases(self, phrases: dict[str, list[tuple[str, str]]]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO phrases (text_hash, phrases) VALUES (?, ?)",
                [(h, json.dumps(p, ensure_ascii=False)) for h, p in phrases.items()],
            )

    # -- runs -----------------------------------------------------------------------------------

    def start_run(self, *, seed: int, model: str, config: str, versions: dict[str, str]) -> int:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO runs (started_at, status, seed, model, config, versions)"
                " VALUES (?, 'running', ?, ?, ?, ?)",
                (_now(), seed, model, config, json.dumps(versions, sort_keys=True)),
            )
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, result: dict) -> None:
        """Mark a run done with its result, in one transaction."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE runs SET status = 'done', finished_at = ?, result = ? WHERE id = ?",
                (_now(), json.dumps(result, ensure_ascii=False, sort_keys=True), run_id),
            )

    def fail_run(self, run_id: int, error: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?",
                (_now(), error[:2000], run_id),
            )

    def runs(self) -> list[RunRecord]:
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
    """The append-only edit log. Needs ``query`` and ``transaction`` from ProjectStore."""

    def add_edit(self, kind: str, payload: dict, *, run_id: int | None) -> int:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO edits (at, run_id, kind, payload) VALUES (?, ?, ?, ?)",
                (_now(), run_id, kind, json.dumps(payload, ensure_ascii=False, sort_keys=True)),
            )
            return int(cur.lastrowid)

    def edits(self, *, include_undone: bool = False) -> list[EditRecord]:
        sql = "SELECT * FROM edits" + ("" if include_undone else " WHERE undone = 0")
        return [
            EditRecord(
                r["id"],
                r["at"],
                r["run_id"],
                r["kind"],
                json.loads(r["payload"]),
                bool(r["undone"]),
            )
            for r in self.query(sql + " ORDER BY id")
        ]

    def undo_last_edit(self) -> EditRecord | None:
        """Mark the newest edit that is not undone as undone; return it (None if none)."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM edits WHERE undone = 0 ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            conn.execute("UPDATE edits SET undone = 1 WHERE id = ?", (row["id"],))
        return EditRecord(
            row["id"], row["at"], row["run_id"], row["kind"], json.loads(row["payload"]), True
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
