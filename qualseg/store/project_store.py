"""ProjectStore: one project's originals (byte for byte) and its SQLite database."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualseg.errors import ProjectError
from qualseg.models import Role, Transcript, Utterance
from qualseg.store import schema
from qualseg.store.erasure import ErasureMixin
from qualseg.store.guard import ProjectLock
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


class ProjectStore(RunsMixin, EditsMixin, ErasureMixin):
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
