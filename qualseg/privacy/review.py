"""The review list: detected identifiers the researcher confirms, rejects or adds to.

Rows live in the project's ``redactions`` table; the on/off switch in ``settings``. Each
operation is one transaction. Re-detection adds new rows and refreshes counts and origins, and
never changes a row's status or pseudonym: the researcher's decisions stay.

Statuses: ``suggested`` (found, replaced unless rejected), ``confirmed``, ``rejected`` (never
replaced), ``added`` (the researcher's own term).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from qualseg.errors import ProjectError
from qualseg.privacy.detect import Candidate, SpeakerInfo, detect
from qualseg.privacy.entities import entity_records
from qualseg.privacy.entity_prefetch import parse_overlapping
from qualseg.privacy.known_products import term_key
from qualseg.privacy.pseudonyms import CATEGORIES, PRECEDENCE, PseudonymBook, assign
from qualseg.store import ProjectStore
from qualseg.store.guard import DeletedDuringRun

ENABLED_KEY = "pseudonymise"
DETECTED_KEY = "pseudonymise.detected"
NOT_PERSONAL_KEY = "pseudonymise.not_personal"
APPLIED = ("suggested", "confirmed", "added")


@dataclass(frozen=True)
class Redaction:
    """One row of the review list."""

    id: int
    surface: str
    category: str
    pseudonym: str
    status: str
    origin: str
    count: int


@dataclass(frozen=True)
class DetectionSummary:
    new: int
    updated: int
    total: int


# -- the switch -----------------------------------------------------------------------------------


def get_setting(store: ProjectStore, key: str) -> str | None:
    rows = store.query("SELECT value FROM settings WHERE key = ?", (key,))
    return rows[0]["value"] if rows else None


def _put_setting(conn, key: str, value: str) -> None:  # noqa: ANN001 - sqlite3 connection
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def is_enabled(store: ProjectStore) -> bool:
    """Pseudonymisation is on unless the researcher switched it off."""
    return get_setting(store, ENABLED_KEY) != "off"


def set_enabled(store: ProjectStore, enabled: bool) -> None:
    with store.transaction() as conn:
        _put_setting(conn, ENABLED_KEY, "on" if enabled else "off")


# -- detection ------------------------------------------------------------------------------------


class _StoreEntityCache:
    """The project's named-entity cache for one detection: nothing is written once a deletion
    has committed since the detection read the transcripts."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self.epoch = store.erasure_epoch()

    def get_entities(self, keys: Sequence[str]) -> dict[str, list[list]]:
        return self.store.get_entities(keys)

    def put_entities(self, records: dict[str, list[list]]) -> None:
        with contextlib.suppress(DeletedDuringRun):
            self.store.put_entities(records, epoch=self.epoch)


def detect_and_store(
    store: ProjectStore, while_parsing: Callable[[], object] | None = None
) -> DetectionSummary:
    """Detect identifiers in every transcript and merge them into the review list.

    Each transcript's named-entity parse is cached in the project (``entities``), keyed by the
    hash of the text it read, so only new or changed transcripts are parsed again.
    ``while_parsing``: work to do while those are parsed (loading the embedding model): the
    parse then runs in a child process (``entity_prefetch``); not called when nothing needs a
    parse."""
    cache = _StoreEntityCache(store)  # the erasure epoch, read before the transcripts
    transcripts = [store.load_transcript(t.id) for t in store.transcripts()]
    speakers = [
        SpeakerInfo(s.id, s.label, s.display_name, s.role, s.metadata, s.transcript_id)
        for s in store.speakers()
    ]
    parse = entity_records if while_parsing is None else parse_overlapping(while_parsing)
    candidates = detect(transcripts, speakers, cache, not_personal=not_personal(store), parse=parse)
    candidates += _file_candidates(store)
    existing = {(r.surface, r.category): r for r in list_redactions(store)}
    known = {r.surface: r.pseudonym for r in existing.values() if r.status != "rejected"}
    book = PseudonymBook((r.category, r.pseudonym) for r in existing.values())
    fresh = [c for c in candidates if (c.surface, c.category) not in existing]
    fresh.sort(key=lambda c: (c.link is not None, PRECEDENCE[c.category], c.rank, _first(c)))
    pseudonyms = assign([(c.surface, c.category, c.link) for c in fresh], book, known)
    with store.transaction() as conn:
        for c in candidates:
            row = existing.get((c.surface, c.category))
            if row is None:
                conn.execute(
                    "INSERT INTO redactions (surface, category, pseudonym, status, origin, count)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        c.surface,
                        c.category,
                        pseudonyms[c.surface],
                        "rejected" if c.auto_reject else "suggested",
                        _origin(c),
                        c.count,
                    ),
                )
            else:
                conn.execute(
                    "UPDATE redactions SET count = ?, origin = ? WHERE id = ?",
                    (c.count, _origin(c) if row.status != "added" else row.origin, row.id),
                )
        _put_setting(conn, DETECTED_KEY, json.dumps(sorted(t.sha256 for t in store.transcripts())))
    new = sum((c.surface, c.category) not in existing for c in candidates)
    return DetectionSummary(new=new, updated=len(candidates) - new, total=len(candidates))


def ensure_detected(store: ProjectStore, while_parsing: Callable[[], object] | None = None) -> bool:
    """Run detection when transcripts were added or removed since the last one. True if it ran.
    ``while_parsing`` as in ``detect_and_store``."""
    current = sorted(t.sha256 for t in store.transcripts())
    if json.loads(get_setting(store, DETECTED_KEY) or "null") == current:
        return False
    detect_and_store(store, while_parsing)
    return True


def _file_candidates(store: ProjectStore) -> list[Candidate]:
    """File names often carry a name ("Interview - Sofia Marquez.docx"): each gets an alias."""
    return [
        Candidate(t.source, "file", "file name", count=1, files={t.source}, rank=(t.id,))
        for t in sorted(store.transcripts(), key=lambda t: t.id)
    ]


def _first(c: Candidate) -> tuple:
    return (sorted(c.files)[:1], c.surface)


def _origin(c: Candidate) -> str:
    return f"{c.origin}; auto-rejected: {c.auto_reject}" if c.auto_reject else c.origin


# -- the researcher's decisions -------------------------------------------------------------------


def list_redactions(store: ProjectStore, category: str | None = None) -> list[Redaction]:
    """The review list, by category (participants first), then most frequent."""
    rows = store.query(
        "SELECT * FROM redactions" + (" WHERE category = ?" if category else ""),
        (category,) if category else (),
    )
    out = [
        Redaction(
            r["id"],
            r["surface"],
            r["category"],
            r["pseudonym"],
            r["status"],
            r["origin"],
            r["count"],
        )
        for r in rows
    ]
    return sorted(out, key=lambda r: (PRECEDENCE.get(r.category, 99), -r.count, r.surface))


def _set_status(store: ProjectStore, ids: Iterable[int], status: str) -> int:
    ids = list(ids)
    with store.transaction() as conn:
        changed = 0
        for rid in ids:
            changed += conn.execute(
                "UPDATE redactions SET status = ? WHERE id = ? AND status != 'added'"
                if status == "confirmed"
                else "UPDATE redactions SET status = ? WHERE id = ?",
                (status, rid),
            ).rowcount
        missing = (
            set(ids)
            - {
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM redactions WHERE id IN ({','.join('?' * len(ids))})", ids
                )
            }
            if ids
            else set()
        )
        if missing:
            raise ProjectError(f"no review-list rows with ids {sorted(missing)} in {store.name!r}")
    return changed


def confirm(store: ProjectStore, ids: Iterable[int]) -> int:
    """Confirm replacements (rows of the review list, by id)."""
    return _set_status(store, ids, "confirmed")


def reject(store: ProjectStore, ids: Iterable[int]) -> int:
    """Reject replacements: those surfaces stay as they are everywhere."""
    return _set_status(store, ids, "rejected")


def add(
    store: ProjectStore, surface: str, category: str, pseudonym: str | None = None
) -> Redaction:
    """The researcher's own term, replaced everywhere (a nickname, a product code name...).

    Raises:
        ProjectError: empty surface or unknown category.
    """
    surface = surface.strip()
    if not surface:
        raise ProjectError("give the word or name to replace")
    if category not in CATEGORIES:
        raise ProjectError(f"unknown category {category!r}; choose one of {', '.join(CATEGORIES)}")
    existing = list_redactions(store)
    same = [r for r in existing if r.surface == surface and r.category == category]
    if pseudonym is None or not pseudonym.strip():
        pseudonym = (
            same[0].pseudonym
            if same
            else PseudonymBook((r.category, r.pseudonym) for r in existing).new(category, surface)
        )
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO redactions (surface, category, pseudonym, status, origin, count)"
            " VALUES (?, ?, ?, 'added', 'added by the researcher', ?)"
            " ON CONFLICT(surface, category) DO UPDATE SET status = 'added',"
            " pseudonym = excluded.pseudonym",
            (surface, category, pseudonym.strip(), _occurrences(store, surface)),
        )
    return next(r for r in list_redactions(store, category) if r.surface == surface)


def not_personal(store: ProjectStore) -> list[str]:
    """The project's terms kept as written: product, competitor and tool names the researcher
    marked "not personal", in the order they were marked."""
    return list(json.loads(get_setting(store, NOT_PERSONAL_KEY) or "[]"))


def mark_not_personal(store: ProjectStore, surface: str) -> int:
    """Keep a term as written in this project, now and in every later detection: it joins the
    not-personal list and its rows in the review list (any category, any letter case) are
    rejected. Returns the number of rows changed.

    Raises:
        ProjectError: an empty term.
    """
    surface = " ".join(surface.split())
    if not surface:
        raise ProjectError("give the word or name to keep as written")
    terms = not_personal(store)
    with store.transaction() as conn:
        if term_key(surface) not in {term_key(t) for t in terms}:
            _put_setting(conn, NOT_PERSONAL_KEY, json.dumps([*terms, surface]))
        return conn.execute(
            "UPDATE redactions SET status = 'rejected'"
            " WHERE surface = ? COLLATE NOCASE AND status != 'rejected'",
            (surface,),
        ).rowcount


def unmark_not_personal(store: ProjectStore, surface: str) -> bool:
    """Take a term off the not-personal list (True if it was on it). Its review-list rows keep
    their status: confirming one replaces the term again."""
    terms = not_personal(store)
    left = [t for t in terms if term_key(t) != term_key(surface)]
    if len(left) == len(terms):
        return False
    with store.transaction() as conn:
        _put_setting(conn, NOT_PERSONAL_KEY, json.dumps(left))
    return True


def _occurrences(store: ProjectStore, surface: str) -> int:
    regex = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    return sum(len(regex.findall(store.load_transcript(t.id).text)) for t in store.transcripts())


def contexts(store: ProjectStore, surface: str, limit: int = 2, width: int = 50) -> list[str]:
    """A few places the surface occurs, for the review list ("…our CFO, Karen Liu, and…")."""
    regex = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    out: list[str] = []
    for t in store.transcripts():
        text = store.load_transcript(t.id).text
        for m in regex.finditer(text):
            a, b = max(0, m.start() - width), min(len(text), m.end() + width)
            out.append(f"{t.source}: …{' '.join(text[a:b].split())}…")
            if len(out) >= limit:
                return out
    return out
