"""What a segment's validation reads and says: the MASE criteria, the thresholds of a
reading, and the profile, overlap, mirroring and checklist records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

CRITERIA = ("measurable", "accessible", "substantial", "differentiable", "actionable")
CRITERION_QUESTIONS = {
    "measurable": "Can you tell who is in it and how big it is?",
    "accessible": "Can you reach these people (channels, roles, places)?",
    "substantial": "Is it large or valuable enough to serve?",
    "differentiable": "Do they need something different from the other segments?",
    "actionable": "Can you design an offer, message or programme for them?",
}
LENS_FIELDS = {
    "need": "themes",
    "psychographic": "psychographics",
    "trigger": "triggers",
    "objection": "objections",
}
STRONG_LIFT = 2.0
WEAK_LIFT = 1.3
PROXY_V = 0.8
PARTIAL_V = 0.5
DOMINANT_SHARE = 0.6
# Metadata that says how an interview or a deal went, not who someone is or where to find them:
# a share of such a value is no evidence that a segment can be reached.
NOT_REACHABLE = frozenset(
    [
        "outcome",
        "outcomes",
        "result",
        "results",
        "status",
        "stage",
        "decision",
        "deal",
        "won",
        "lost",
        "bought",
        "churn",
        "churned",
        "converted",
        "conversion",
        "purchase",
        "purchased",
        "score",
        "nps",
        "rating",
        "interview",
        "interviewed",
        "date",
    ]
)
Distinct = Literal["clear", "some", "hardly", "unknown"]
OUTSIDE = "\x00outside"


@dataclass(frozen=True)
class ThemeInSegment:
    """A theme as it shows in one segment: how many members voice it and its lift."""

    id: str
    label: str
    lens: str
    members_voicing: int
    lift: float | None  # None when nobody is outside the segment
    listed: bool  # part of the segment's definition (not just voiced by members)


@dataclass(frozen=True)
class SegmentProfile:
    id: str
    label: str
    participants: list[dict]
    metadata_mix: dict[str, Counter]
    themes: dict[str, list[ThemeInSegment]]  # lens -> themes, strongest first
    quotes: list[dict]


@dataclass(frozen=True)
class Overlap:
    """Another segment sharing defining themes with this one."""

    segment: str
    label: str
    theme_ids: tuple[str, ...]
    theme_labels: tuple[str, ...]


@dataclass(frozen=True)
class Mirror:
    """How much the segments follow one metadata column."""

    column: str
    cramers_v: float
    proxy: bool
    dominant_value: str
    dominant_share: float
    reading: str


@dataclass(frozen=True)
class Check:
    criterion: str
    question: str
    status: str  # "supported" | "weak" | "your call"
    evidence: str
    note: str


@dataclass(frozen=True)
class SegmentValidation:
    segment: str
    label: str
    size: int
    share: float
    total_participants: int
    lifts: dict[str, float]
    silhouette: float | None
    distinctness: str
    distinct: Distinct  # the reading's verdict, for decisions (never parse the sentence)
    overlaps: list[Overlap]
    shared_themes: dict[str, list[str]]  # theme label -> other segments whose members voice it
    mirrors: list[Mirror]
    skipped_columns: list[str]
    checklist: list[Check] = field(default_factory=list)
