"""Privacy use-cases: the project's pseudonymisation switch and its review list of identifiers
(detected, confirmed, rejected or added by the researcher)."""

from __future__ import annotations

from qualseg.editing import current_state
from qualseg.privacy import pseudonymiser_for, review
from qualseg.privacy.pseudonyms import CATEGORIES
from qualseg.privacy.review import DetectionSummary, Redaction
from qualseg.store import ProjectStore

__all__ = [
    "CATEGORIES",
    "DetectionSummary",
    "Redaction",
    "add_redaction",
    "confirm_redactions",
    "detect_identifiers",
    "ensure_identifiers_detected",
    "mark_not_personal",
    "not_personal_terms",
    "pseudonymisation_enabled",
    "pseudonymisation_preview",
    "redaction_contexts",
    "redactions",
    "reject_redactions",
    "set_pseudonymisation",
    "unmark_not_personal",
]


def pseudonymisation_enabled(store: ProjectStore) -> bool:
    """Whether the project pseudonymises (on unless the researcher switched it off)."""
    return review.is_enabled(store)


def set_pseudonymisation(store: ProjectStore, enabled: bool) -> None:
    review.set_enabled(store, enabled)


def detect_identifiers(store: ProjectStore) -> DetectionSummary:
    """Detect identifiers in every transcript again and merge them into the review list."""
    return review.detect_and_store(store)


def ensure_identifiers_detected(store: ProjectStore) -> bool:
    """Detect identifiers when transcripts changed since the last detection; True if it ran."""
    return review.ensure_detected(store)


def redactions(store: ProjectStore) -> list[Redaction]:
    """The review list: every identifier with its status, category, pseudonym and count."""
    return review.list_redactions(store)


def confirm_redactions(store: ProjectStore, ids: list[int]) -> int:
    return review.confirm(store, ids)


def reject_redactions(store: ProjectStore, ids: list[int]) -> int:
    return review.reject(store, ids)


def mark_not_personal(store: ProjectStore, surface: str) -> int:
    """Keep a term as written (a product, competitor or tool name), now and in later
    detections; the number of review-list rows that stop being replaced."""
    return review.mark_not_personal(store, surface)


def unmark_not_personal(store: ProjectStore, surface: str) -> bool:
    """Take a term off the project's not-personal list."""
    return review.unmark_not_personal(store, surface)


def not_personal_terms(store: ProjectStore) -> list[str]:
    """The terms the researcher marked not personal, in the order marked."""
    return review.not_personal(store)


def add_redaction(
    store: ProjectStore, surface: str, category: str, pseudonym: str | None = None
) -> Redaction:
    """A word or name of the researcher's own to replace."""
    return review.add(store, surface, category, pseudonym)


def redaction_contexts(store: ProjectStore, surface: str, limit: int = 2) -> list[str]:
    """Short passages of the transcripts where ``surface`` occurs."""
    return review.contexts(store, surface, limit=limit)


def pseudonymisation_preview(store: ProjectStore) -> tuple[str, str] | None:
    """One text before and after pseudonymisation: the first excerpt of the current state that
    changes (else its first excerpt); before any analysis, the start of the first transcript.
    None when there is nothing to show."""
    p = pseudonymiser_for(store)
    study = current_state(store)
    if study is not None:
        excerpts = study.report["excerpts"]
        changed = [e for e in excerpts if p.apply(e["text"]) != e["text"]]
        texts = [e["text"] for e in (changed or excerpts)[:1]]
    else:
        stored = store.transcripts()
        texts = [store.load_transcript(stored[0].id).text[:600]] if stored else []
    return (texts[0], p.apply(texts[0])) if texts else None
