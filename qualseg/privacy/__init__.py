"""Participant privacy: identifiers detected, reviewed and replaced by consistent pseudonyms."""

from __future__ import annotations

from qualseg.privacy.pseudonymiser import OffsetMap, Pseudonymiser, Replacement
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
    """Whether the project pseudonymises (on by default). Interim: always on."""
    return True


def pseudonymiser_for(store: ProjectStore) -> Pseudonymiser:
    """The project's pseudonymiser from its review list (suggested and confirmed replacements,
    the researcher's additions; rejected ones left out), whatever the on/off setting.

    Interim: replaced by the review-list-backed version.
    """
    return Pseudonymiser.identity()


def pseudonymise_report(report: dict, pseudonymiser: Pseudonymiser) -> dict:
    """A copy of a report with every text field pseudonymised (interim: a plain copy)."""
    import copy

    return copy.deepcopy(report)
