"""SQLite schema of a project, as an ordered list of migrations.

The schema version lives in ``PRAGMA user_version``. Each migration runs in one transaction, and
the database file is copied aside before any migration touches an existing file.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from qualseg.errors import ProjectError

MIGRATIONS: list[str] = [
    # 1: transcripts, their speakers (participants are speakers with role 'participant'), turns.
    """
    CREATE TABLE transcripts (
        id            INTEGER PRIMARY KEY,
        source        TEXT NOT NULL UNIQUE,
        format        TEXT NOT NULL,
        encoding      TEXT NOT NULL,
        sha256        TEXT NOT NULL UNIQUE,
        original_path TEXT NOT NULL,
        text          TEXT NOT NULL,
        imported_at   TEXT NOT NULL
    );
    CREATE TABLE speakers (
        id           INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        label        TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('interviewer', 'participant', 'other')),
        role_reason  TEXT NOT NULL DEFAULT '',
        role_set_by  TEXT NOT NULL DEFAULT 'auto' CHECK (role_set_by IN ('auto', 'user')),
        word_count   INTEGER NOT NULL DEFAULT 0,
        metadata     TEXT NOT NULL DEFAULT '{}',
        UNIQUE (transcript_id, label)
    );
    CREATE TABLE utterances (
        id            INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        speaker_id    INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        idx           INTEGER NOT NULL,
        spans         TEXT NOT NULL,
        timestamp     REAL,
        UNIQUE (transcript_id, idx)
    );
    CREATE INDEX utterances_speaker ON utterances(speaker_id);
    """,
    # 2: embedding cache and analysis runs (config, seed, versions, timings, result).
    """
    CREATE TABLE embeddings (
        model     TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        dim       INTEGER NOT NULL,
        vector    BLOB NOT NULL,
        PRIMARY KEY (model, text_hash)
    );
    CREATE TABLE runs (
        id          INTEGER PRIMARY KEY,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        seed        INTEGER NOT NULL,
        model       TEXT NOT NULL,
        config      TEXT NOT NULL,
        versions    TEXT NOT NULL,
        error       TEXT NOT NULL DEFAULT '',
        result      TEXT
    );
    """,
    # 3: the researcher's edits, append-only (undo marks an edit undone, nothing is deleted).
    """
    CREATE TABLE edits (
        id       INTEGER PRIMARY KEY,
        at       TEXT NOT NULL,
        run_id   INTEGER REFERENCES runs(id),
        kind     TEXT NOT NULL,
        payload  TEXT NOT NULL,
        undone   INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 4: noun-chunk keyphrases per excerpt text, so that a re-run parses only new text.
    """
    CREATE TABLE phrases (
        text_hash TEXT PRIMARY KEY,
        phrases   TEXT NOT NULL
    );
    """,
    # 5: project settings (privacy switches) and the pseudonymisation review list.
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE redactions (
        id        INTEGER PRIMARY KEY,
        surface   TEXT NOT NULL,
        category  TEXT NOT NULL,
        pseudonym TEXT NOT NULL,
        status    TEXT NOT NULL CHECK (status IN ('suggested', 'confirmed', 'rejected', 'added')),
        origin    TEXT NOT NULL DEFAULT '',
        count     INTEGER NOT NULL DEFAULT 0,
        UNIQUE (surface, category)
    );
    """,
    # 6: each transcript's named-entity parse (name detection), by the hash of what it read.
    """
    CREATE TABLE entities (
        key      TEXT PRIMARY KEY,
        entities TEXT NOT NULL
    );
    """,
    # 7: where each participant turn is cut into excerpts (offsets only), by the turn's hash.
    """
    CREATE TABLE pieces (
        key    TEXT PRIMARY KEY,
        pieces TEXT NOT NULL
    );
    """,
    # 8: each lens's theme labels from the default clusterer, by the hash of what it was given.
    """
    CREATE TABLE clusterings (
        key         TEXT PRIMARY KEY,
        clusterings TEXT NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path) -> sqlite3.Connection:
    """Open the project database with foreign keys on and explicit transactions."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the database up to SCHEMA_VERSION; back the file up first if it held data.

    Returns:
        The version the database had before.

    Raises:
        ProjectError: the file was written by a newer qualseg.
    """
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise ProjectError(
            f"{path} has schema version {current}, newer than this qualseg ({SCHEMA_VERSION}); "
            "upgrade qualseg to open it"
        )
    if current == SCHEMA_VERSION:
        return current
    if current > 0:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, path.with_name(f"{path.name}.v{current}.{stamp}.bak"))
    for version in range(current, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    return [s.strip() for s in script.split(";") if s.strip()]
