"""ProjectStore: one project's originals (byte for byte) and its SQLite database."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualseg.errors import ProjectError
from qualseg.models import Role, Transcript, Utterance
from qualseg.store import schema
from qualseg.store.guard import ProjectLock, bump_epoch
from qualseg.store.runs import EditsMixin, RunsMixin

DB_NAME = "project.sqlite"
ORIGINALS = "originals"


@dataclass(frozen=True)
class StoredTranscript:
    """A transcript row as listed to users."""

    id: int
    source: str
    format: str
    encoding: str
    sha256: str
    original_path: str
    imported_at: str


@dataclass(frozen=True)
class StoredSpeaker:
    """A speaker of a transcript; a participant is a speaker whose role is 'participant'."""

    id: int
    transcript_id: int
    source: str
    label: str
    display_name: str
    role: Role
    role_reason: str
    role_set_by: str
    word_count: int
    metadata: dict[str, str]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Filesystems limit a name to 255 bytes (ext4, APFS) or 255 UTF-16 units (NTFS); an original is
# stored as "<12 hex>-<name>" and written as "<that>.part" first, so its name gets at most 200.
MAX_NAME_BYTES = 200


def safe_file_name(source: str) -> str:
    """A file name with no directory parts or characters that are unsafe on common filesystems,
    cut to :data:`MAX_NAME_BYTES` bytes of UTF-8 (not characters: "é" is 2 bytes, "中" 3),
    keeping its extension."""
    base = re.split(r"[\\/]", source)[-1].strip().lstrip(".")
    base = re.sub(r"[^\w .()\-]+", "_", base, flags=re.UNICODE)
    return cut_to_bytes(base, MAX_NAME_BYTES) or "transcript"


def cut_to_bytes(name: str, limit: int) -> str:
    """``name`` shortened to at most ``limit`` bytes of UTF-8, whole characters only; the
    extension (up to 16 characters) is kept."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 16 or not stem:
        stem, ext = name, ""
    tail = f".{ext}" if ext else ""
    budget = limit - len(tail.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip()
    return cut + tail


class ProjectStore(RunsMixin, EditsMixin):
    """Reads and writes one project folder. Every write is one SQLite transaction."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.name = self.folder.name
        self.db_path = self.folder / DB_NAME
        self.originals_dir = self.folder / ORIGINALS
        self.originals_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._project_lock = ProjectLock(self.folder, self.name)
        self._conn = schema.connect(self.db_path)
        schema.migrate(self._conn, self.db_path)
        self.recover_interrupted_runs()

    def close(self) -> None:
        self._conn.close()

    # -- transactions ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Hold the project lock (see ``qualseg.store.guard``): deletions, and an analysis from
        its commit to its written report files, one at a time across processes."""
        return self._project_lock.hold()

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # -- transcripts ----------------------------------------------------------------------------

    def transcript_by_sha(self, sha256: str) -> StoredTranscript | None:
        rows = self.query("SELECT * FROM transcripts WHERE sha256 = ?", (sha256,))
        return _transcript(rows[0]) if rows else None

    def transcript_by_source(self, source: str) -> StoredTranscript | None:
        rows = self.query("SELECT * FROM transcripts WHERE source = ?", (source,))
        return _transcript(rows[0]) if rows else None

    def transcripts(self) -> list[StoredTranscript]:
        return [_transcript(r) for r in self.query("SELECT * FROM transcripts ORDER BY source")]

    def add_transcript(
        self,
        transcript: Transcript,
        data: bytes,
        *,
        speaker_metadata: dict[str, dict[str, str]] | None = None,
    ) -> int:
        """Store a parsed transcript and its original bytes, all or nothing.

        The original is written (``.part`` name, synced) and renamed under the write lock, just
        before the commit: a process killed at any point leaves no row, or a row whose original is in
        place. A kill between the rename and the commit leaves an original no row points to
        (nothing lists it; importing the file again reuses it). The next import removes the
        ``.part`` files of killed imports: no import in progress can own one, since only the
        holder of the write lock writes them.

        Returns:
            The new transcript id.
        """
        digest = sha256_hex(data)
        original = self.originals_dir / f"{digest[:12]}-{safe_file_name(transcript.source)}"
        tmp = original.with_name(original.name + ".part")
        kept: set[str] = set()
        try:
            with self.transaction() as conn:
                kept = {r[0] for r in conn.execute("SELECT original_path FROM transcripts")}
                for leftover in self.originals_dir.glob("*.part"):
                    leftover.unlink(missing_ok=True)
                tmp.write_bytes(data)
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                tid = self._insert_transcript(conn, transcript, digest, original, speaker_metadata)
                os.replace(tmp, original)
                if os.name == "posix":  # the rename is on disk before the rows are committed
                    folder = os.open(self.originals_dir, os.O_RDONLY)
                    try:
                        os.fsync(folder)
                    finally:
                        os.close(folder)
        except BaseException:
            tmp.unlink(missing_ok=True)
            if original.name not in kept:
                original.unlink(missing_ok=True)
            raise
        return tid

    def _insert_transcript(
        self,
        conn: sqlite3.Connection,
        t: Transcript,
        digest: str,
        original: Path,
        speaker_metadata: dict[str, dict[str, str]] | None,
    ) -> int:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        cur = conn.execute(
            "INSERT INTO transcripts (source, format, encoding, sha256, original_path, text,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (t.source, t.format, t.encoding, digest, original.name, t.text, now),
        )
        tid = int(cur.lastrowid)
        words = t.words_by_speaker()
        speaker_ids: dict[str, int] = {}
        for label in t.speakers:
            meta = (speaker_metadata or {}).get(label, {})
            cur = conn.execute(
                "INSERT INTO speakers (transcript_id, label, display_name, role, role_reason,"
                " word_count, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    tid,
                    label,
                    t.participant_names.get(label, label),
                    t.roles.get(label, "other"),
                    t.role_reasons.get(label, ""),
                    words.get(label, 0),
                    json.dumps(meta, ensure_ascii=False),
                ),
            )
            speaker_ids[label] = int(cur.lastrowid)
        conn.executemany(
            "INSERT INTO utterances (transcript_id, speaker_id, idx, spans, timestamp)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (tid, speaker_ids[u.speaker], u.index, json.dumps(u.spans), u.timestamp)
                for u in t.utterances
            ],
        )
        return tid

    def load_transcript(self, transcript_id: int) -> Transcript:
        """Rebuild a Transcript (with the current roles) from the store."""
        rows = self.query("SELECT * FROM transcripts WHERE id = ?", (transcript_id,))
        if not rows:
            raise ProjectError(f"no transcript with id {transcript_id} in project {self.name!r}")
        row = rows[0]
        speakers = self.speakers(transcript_id)
        label_of = {s.id: s.label for s in speakers}
        utterances = tuple(
            Utterance(
                index=u["idx"],
                speaker=label_of[u["speaker_id"]],
                spans=tuple(tuple(span) for span in json.loads(u["spans"])),
                timestamp=u["timestamp"],
            )
            for u in self.query(
                "SELECT * FROM utterances WHERE transcript_id = ? ORDER BY idx", (transcript_id,)
            )
        )
        return Transcript(
            source=row["source"],
            format=row["format"],
            text=row["text"],
            encoding=row["encoding"],
            utterances=utterances,
            roles={s.label: s.role for s in speakers},
            role_reasons={s.label: s.role_reason for s in speakers},
            participant_names={s.label: s.display_name for s in speakers},
        )

    def original_bytes(self, transcript_id: int) -> bytes:
        """The uploaded file exactly as it was received."""
        rows = self.query("SELECT original_path FROM transcripts WHERE id = ?", (transcript_id,))
        if not rows:
            raise ProjectError(f"no transcript with id {transcript_id} in project {self.name!r}")
        return (self.originals_dir / rows[0]["original_path"]).read_bytes()

    # -- speakers and participants --------------------------------------------------------------

    def speakers(self, transcript_id: int | None = None) -> list[StoredSpeaker]:
        sql = (
            "SELECT s.*, t.source FROM speakers s JOIN transcripts t ON t.id = s.transcript_id"
            + (" WHERE s.transcript_id = ?" if transcript_id is not None else "")
            + " ORDER BY t.source, s.id"
        )
        return [
            _speaker(r) for r in self.query(sql, () if transcript_id is None else (transcript_id,))
        ]

    def participants(self) -> list[StoredSpeaker]:
        return [s for s in self.speakers() if s.role == "participant"]

    def set_role(self, transcript_id: int, label: str, role: Role) -> None:
        """Record the researcher's decision on a speaker's role."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE speakers SET role = ?, role_set_by = 'user', role_reason = 'set by user'"
                " WHERE transcript_id = ? AND label = ?",
                (role, transcript_id, label),
            )
            if cur.rowcount != 1:
                raise ProjectError(f"transcript {transcript_id} has no speaker {label!r}")

    def set_metadata(self, speaker_id: int, metadata: dict[str, str]) -> None:
        """Replace a participant's metadata (role, company size, industry, outcome...)."""
        self.set_metadata_many([(speaker_id, metadata)])

    def set_metadata_many(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        """Replace several participants' metadata in one transaction (all or nothing)."""
        with self.transaction() as conn:
            for speaker_id, metadata in rows:
                cur = conn.execute(
                    "UPDATE speakers SET metadata = ? WHERE id = ?",
                    (json.dumps(metadata, ensure_ascii=False), speaker_id),
                )
                if cur.rowcount != 1:
                    raise ProjectError(f"no speaker with id {speaker_id} in project {self.name!r}")

    # -- erasure (qualseg.deletion plans it, these methods carry it out) --------------------------

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
            Row counts: transcripts, speakers, utterances, embeddings, phrases, entities, runs,
            edits, edits_rewritten, redactions.
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

    def compact(self) -> tuple[bool, bool]:
        """Rebuild the database file without free pages (VACUUM), then move the write-ahead log
        into it and truncate the log. Returns (vacuumed, log emptied); the log stays when
        another connection is reading."""
        with self._lock:
            self._conn.execute("VACUUM")
            busy, _log, _done = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        wal = self.db_path.with_name(self.db_path.name + "-wal")
        return True, busy == 0 and (not wal.exists() or wal.stat().st_size == 0)

    def migration_backups(self) -> list[Path]:
        """The copies of the database made before schema migrations (they hold every text)."""
        return sorted(self.folder.glob(f"{DB_NAME}.v*.bak"))


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


def _transcript(row: sqlite3.Row) -> StoredTranscript:
    return StoredTranscript(
        id=row["id"],
        source=row["source"],
        format=row["format"],
        encoding=row["encoding"],
        sha256=row["sha256"],
        original_path=row["original_path"],
        imported_at=row["imported_at"],
    )


def _speaker(row: sqlite3.Row) -> StoredSpeaker:
    return StoredSpeaker(
        id=row["id"],
        transcript_id=row["transcript_id"],
        source=row["source"],
        label=row["label"],
        display_name=row["display_name"],
        role=row["role"],
        role_reason=row["role_reason"],
        role_set_by=row["role_set_by"],
        word_count=row["word_count"],
        metadata=json.loads(row["metadata"]),
    )
