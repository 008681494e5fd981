"""The erasure half of :class:`~qualseg.store.ProjectStore` (a mixin): the one transaction that
removes a transcript or a participant with ``secure_delete`` on, the marker of what is left to
clean after it, and the originals no transcript points to. :mod:`qualseg.deletion` plans the
erasure; these methods carry it out."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from qualseg.store.guard import bump_epoch


class ErasureMixin:
    """Needs ``transaction``, ``query``, ``_conn``, ``_lock`` and ``originals_dir`` of the store."""

    def stored_results(self) -> list[tuple[int, dict]]:
        """Every run that has a result document, oldest first: (run id, result)."""
        rows = self.query("SELECT id, result FROM runs WHERE result IS NOT NULL ORDER BY id")
        return [(r["id"], json.loads(r["result"])) for r in rows]

    def run_configs(self) -> list[dict]:
        """The config of every recorded run (failed ones too: they may have filled the caches)."""
        out = []
        for row in self.query("SELECT config FROM runs ORDER BY id"):
            with contextlib.suppress(ValueError, TypeError):
                out.append(json.loads(row["config"]))
        return out

    def redaction_surfaces(self) -> list[tuple[int, str, str]]:
        """(id, surface, origin) of every row of the pseudonymisation review list."""
        rows = self.query("SELECT id, surface, origin FROM redactions ORDER BY id")
        return [(r["id"], r["surface"], r["origin"]) for r in rows]

    def erase(
        self,
        *,
        transcript_ids: list[int],
        speaker_ids: list[int],
        texts: dict[int, tuple[str, str]],
        text_hashes: list[str],
        results: dict[int, dict],
        edit_ids: list[int],
        edit_payloads: dict[int, dict],
        redactions: dict[int, str | None],
        pending: dict,
        settings: dict[str, str] | None = None,
    ) -> dict[str, int]:
        """Remove people's data in ONE transaction, with SQLite's secure_delete on (freed content
        is overwritten with zeros). Nothing changes when any step fails.

        Args:
            transcript_ids: transcripts to delete (speakers and utterances go with them).
            speaker_ids: speakers to delete (their utterances go with them).
            texts: transcript id -> (new stored text, new original file name).
            text_hashes: embedding and keyphrase cache rows to delete (all models). The
                named-entity cache of name detection and the excerpt-cut cache are emptied whole.
            results: run id -> the rewritten result document.
            edit_ids, edit_payloads: edits to delete; edits whose payload is rewritten.
            redactions: rows of the pseudonymisation review list to delete (None) or whose
                origin is rewritten (it named a deleted person).
            pending: what is left to do after the commit (original files to remove), kept in the
                settings table until ``clear_pending_erasure``.
            settings: rows of the settings table rewritten (they listed a deleted file's hash).

        The erasure epoch is incremented in the same transaction: a run that started before
        can no longer write to the caches or commit its result.

        Returns:
            Row counts: transcripts, speakers, utterances, embeddings, phrases, entities, pieces,
            clusterings, runs, edits, edits_rewritten, redactions.
        """
        with self._lock:
            previous = int(self._conn.execute("PRAGMA secure_delete").fetchone()[0])
            self._conn.execute("PRAGMA secure_delete = ON")
            try:
                with self.transaction() as conn:
                    counts = self._erase_people(conn, transcript_ids, speaker_ids, texts)
                    counts |= self._erase_caches(conn, text_hashes)
                    counts["runs"] = self._erase_in_results(conn, results)
                    counts |= self._erase_edits(conn, edit_ids, edit_payloads)
                    counts["redactions"] = self._erase_redactions(conn, redactions)
                    for key, value in (settings or {}).items():
                        conn.execute("UPDATE settings SET value = ? WHERE key = ?", (value, key))
                    _set_pending(conn, pending)
                    bump_epoch(conn)
            finally:
                self._conn.execute(f"PRAGMA secure_delete = {previous}")
        return counts

    def _erase_people(
        self,
        conn: sqlite3.Connection,
        transcript_ids: list[int],
        speaker_ids: list[int],
        texts: dict[int, tuple[str, str]],
    ) -> dict[str, int]:
        counts = {"transcripts": 0, "speakers": 0, "utterances": 0}
        for tid in transcript_ids:
            counts["speakers"] += _count(conn, "speakers", "transcript_id", tid)
            counts["utterances"] += _count(conn, "utterances", "transcript_id", tid)
        for sid in speaker_ids:
            counts["speakers"] += _count(conn, "speakers", "id", sid)
            counts["utterances"] += _count(conn, "utterances", "speaker_id", sid)
        counts["transcripts"] = _delete_ids(conn, "transcripts", transcript_ids)
        _delete_ids(conn, "speakers", speaker_ids)
        for tid, (text, original) in texts.items():
            conn.execute(
                "UPDATE transcripts SET text = ?, original_path = ? WHERE id = ?",
                (text, original, tid),
            )
        return counts

    def _erase_caches(self, conn: sqlite3.Connection, hashes: list[str]) -> dict[str, int]:
        counts = {"embeddings": 0, "phrases": 0}
        for begin in range(0, len(hashes), 500):
            chunk = hashes[begin : begin + 500]
            marks = ",".join("?" * len(chunk))
            for table in counts:
                sql = f"DELETE FROM {table} WHERE text_hash IN ({marks})"
                counts[table] += conn.execute(sql, chunk).rowcount
        # Each row holds the names a whole transcript mentions: none is kept past a deletion
        # (detection parses the remaining transcripts again when it next runs). The excerpt
        # cuts hold offsets only, but their keys hash speech: they go too (cheap to redo).
        counts["entities"] = conn.execute("DELETE FROM entities").rowcount
        counts["pieces"] = conn.execute("DELETE FROM pieces").rowcount
        # a lens's theme labels are keyed by a hash of the excerpts' vectors: gone too
        counts["clusterings"] = conn.execute("DELETE FROM clusterings").rowcount
        return counts

    def _erase_in_results(self, conn: sqlite3.Connection, results: dict[int, dict]) -> int:
        for run_id, result in results.items():
            conn.execute(
                "UPDATE runs SET result = ? WHERE id = ?",
                (json.dumps(result, ensure_ascii=False, sort_keys=True), run_id),
            )
        return len(results)

    def _erase_edits(
        self, conn: sqlite3.Connection, edit_ids: list[int], payloads: dict[int, dict]
    ) -> dict[str, int]:
        for edit_id, payload in payloads.items():
            conn.execute(
                "UPDATE edits SET payload = ? WHERE id = ?",
                (json.dumps(payload, ensure_ascii=False, sort_keys=True), edit_id),
            )
        return {"edits": _delete_ids(conn, "edits", edit_ids), "edits_rewritten": len(payloads)}

    def _erase_redactions(self, conn: sqlite3.Connection, redactions: dict[int, str | None]) -> int:
        for rid, origin in redactions.items():
            if origin is not None:
                conn.execute("UPDATE redactions SET origin = ? WHERE id = ?", (origin, rid))
        return _delete_ids(conn, "redactions", [i for i, o in redactions.items() if o is None])

    def pending_erasure(self) -> dict | None:
        """What a committed erasure still has to do after its commit (None when nothing)."""
        rows = self.query("SELECT value FROM settings WHERE key = ?", (PENDING_ERASURE,))
        return json.loads(rows[0]["value"]) if rows else None

    def clear_pending_erasure(self) -> None:
        with self._lock:
            previous = int(self._conn.execute("PRAGMA secure_delete").fetchone()[0])
            self._conn.execute("PRAGMA secure_delete = ON")
            try:
                with self.transaction() as conn:
                    conn.execute("DELETE FROM settings WHERE key = ?", (PENDING_ERASURE,))
            finally:
                self._conn.execute(f"PRAGMA secure_delete = {previous}")

    def referenced_originals(self) -> set[str]:
        """File names in originals/ that a transcript row points to."""
        return {r["original_path"] for r in self.query("SELECT original_path FROM transcripts")}

    def remove_orphan_originals(self, remove: Callable[[Path], None]) -> list[str]:
        """Remove (with ``remove``) every file in originals/ that no transcript points to.

        Runs under the write lock: an import writes and renames its original inside its own
        write transaction, so no import is half-way while the folder is listed here.
        """
        removed = []
        with self.transaction() as conn:
            referenced = {r[0] for r in conn.execute("SELECT original_path FROM transcripts")}
            for path in sorted(self.originals_dir.iterdir()):
                if path.is_file() and path.name not in referenced:
                    remove(path)
                    removed.append(path.name)
        return removed


PENDING_ERASURE = "pending_erasure"


def _count(conn: sqlite3.Connection, table: str, column: str, value: int) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (value,)).fetchone()[0]


def _delete_ids(conn: sqlite3.Connection, table: str, ids: list[int]) -> int:
    return sum(conn.execute(f"DELETE FROM {table} WHERE id = ?", (i,)).rowcount for i in ids)


def _set_pending(conn: sqlite3.Connection, pending: dict) -> None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (PENDING_ERASURE,)).fetchone()
    merged = json.loads(row["value"]) if row else {}
    for key, values in pending.items():
        merged[key] = sorted(set(merged.get(key, [])) | set(values))
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
        (PENDING_ERASURE, json.dumps(merged, ensure_ascii=False, sort_keys=True)),
    )
