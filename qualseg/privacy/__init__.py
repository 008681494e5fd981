"""Participant privacy: identifiers detected, reviewed and replaced by consistent pseudonyms.

Where the original text stays: only in the project folder (``interviews/<project>/``): the
originals, the transcripts and speakers tables, the review list and the run results of
``project.sqlite`` (the researcher's own view keeps verbatim quotes with their offsets). What
leaves the folder (exports) is built from ``pseudonymise_report`` and ``pseudonymiser_for``;
the embedding model and the theme descriptions only ever see pseudonymised text when the
project's switch is on.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualseg.privacy.patterns import pseudonymiser_patterns
from qualseg.privacy.pseudonymiser import OffsetMap, Pseudonymiser, Replacement
from qualseg.privacy.pseudonyms import PRECEDENCE
from qualseg.privacy.report import pseudonymise_report
from qualseg.privacy.review import (
    APPLIED,
    ensure_detected,
    is_enabled,
    list_redactions,
    not_personal,
)
from qualseg.store import ProjectStore

__all__ = [
    "OffsetMap",
    "Pseudonymiser",
    "Replacement",
    "pseudonymisation_enabled",
    "pseudonymise_report",
    "pseudonymiser_for",
]


def pseudonymisation_enabled(store: ProjectStore) -> bool:
    """Whether the project pseudonymises (on unless the researcher switched it off)."""
    return is_enabled(store)


def pseudonymiser_for(store: ProjectStore, keep: Iterable[str] = ()) -> Pseudonymiser:
    """The project's pseudonymiser from its review list (suggested and confirmed replacements,
    the researcher's additions; rejected ones left out), whatever the on/off setting.

    A surface listed under several categories takes the pseudonym of its strongest row (added,
    then confirmed, then suggested; participant before person before company...). The patterns
    (e-mails, phones, URLs, addresses, account numbers) apply everywhere except to matches the
    researcher rejected. Detection runs first when transcripts changed since it last ran, so
    a new transcript, or a project analyzed with the switch off, is never exported unreviewed
    with real names. ``keep``: words the researcher named as not personal for this use (an
    export's product and category words), kept as rejected surfaces are.
    """
    ensure_detected(store)  # a transcript imported since the last detection is covered too
    rows = list_redactions(store)
    strength = {"added": 0, "confirmed": 1, "suggested": 2, "rejected": 3}
    best: dict[str, tuple] = {}
    for r in rows:
        key = (strength[r.status], PRECEDENCE.get(r.category, 99), r.id)
        if r.surface not in best or key < best[r.surface][0]:
            best[r.surface] = (key, r)
    # A rejected surface maps to itself, so that it stays whole: rejecting "Priya Raman" keeps
    # "Priya Raman" rather than leaving "Participant 6 Raman" through the first name's row.
    terms = {s: r.pseudonym if r.status in APPLIED else s for s, (_k, r) in best.items()}
    keep = [*keep, *not_personal(store)]
    for word in keep:
        if word and word.strip():
            terms[word.strip()] = word.strip()
    rejected = [s for s, (_k, r) in best.items() if r.status == "rejected"]
    rejected += [w.strip() for w in keep if w and w.strip()]
    return Pseudonymiser(terms, pseudonymiser_patterns(rejected))
