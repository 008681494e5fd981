"""A report (report.json / current state) with every text field pseudonymised.

Every string is passed through the pseudonymiser (excerpt and quote texts, participant names,
file names, theme labels and keyphrases, segment labels, notes, pins, metadata values) except
fields that hold references (excerpt keys, theme, segment and participant ids, lenses, kinds) and
the run record. Offsets (``start``/``end``) stay those of the original text: an export maps them
with the transcript's ``OffsetMap``.
"""

from __future__ import annotations

import copy
from typing import Any

from qualseg.privacy.pseudonymiser import Pseudonymiser
from qualseg.report_types import Report

# Keys whose string values are references into the report, not text.
REFERENCE_KEYS = frozenset(
    {
        "id",
        "excerpt",
        "excerpts",
        "participant",
        "themes",
        "psychographics",
        "triggers",
        "objections",
        "segment",
        "lens",
        "kinds",
        "kind_scores",
        "signature",
        "theme",
        "theme_id",
        "segment_id",
        "excerpt_id",
        "run",
    }
)


def pseudonymise_report(report: Report, pseudonymiser: Pseudonymiser) -> Report:
    """A deep copy of ``report`` with every text field pseudonymised."""
    out = copy.deepcopy(report)
    if not pseudonymiser.active:
        return out
    return _walk(out, pseudonymiser, None)


def _walk(value: Any, p: Pseudonymiser, key: str | None) -> Any:
    if isinstance(value, str):
        return value if key in REFERENCE_KEYS else p.apply(value)
    if isinstance(value, dict):
        if key == "run":
            return value  # config, seed, model, versions: nothing personal
        return {k: _walk(v, p, k) for k, v in value.items()}
    if isinstance(value, list):
        if key == "participants" and all(isinstance(v, str) for v in value):
            return value  # participant references ("P12")
        return [_walk(v, p, key) for v in value]
    return value
