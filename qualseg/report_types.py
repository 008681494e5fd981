"""The shape of report.json: the study document ``report.build_report`` writes, the runs table
stores and the editing layer returns with the researcher's edits applied (``editing.current_state``).

Every key is typed here once (TypedDicts, so the document stays plain JSON); the JSON Schema in
``docs/report.schema.json`` is generated from these types (``python -m qualseg.report_schema``).
Keys marked ``NotRequired`` are written by the edits (``edits.apply_edits``) or by a deletion
(``deletion_scrub``), never by an analysis; ``run.pseudonymised`` too, as ``build_report``'s
caller may leave it out. Participants are referred to as ``"P<id>"``, excerpts by their key
(``"<transcript>:<start>-<end>"``), themes and segments by their ids.

``SCHEMA_VERSION`` is written as ``schema_version``. A report written before the key existed has
the version-1 shape; :func:`qualseg.report.load_report` reads it as version 1.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

from qualseg.models import Kind, Lens

SCHEMA_VERSION = 1
# A segment's theme lists, one per lens (need -> themes).
SegmentList = Literal["themes", "psychographics", "triggers", "objections"]


class ReportRun(TypedDict):
    """The run that produced the result (the runs table's row, as the run saw it)."""

    id: int
    seed: int
    model: str
    config: str  # the AnalysisConfig as JSON, with "pseudonymised"
    versions: dict[str, str]  # library -> version
    pseudonymised: NotRequired[bool]  # the run read pseudonymised text (run_analysis writes it)
    stage_seconds: dict[str, float]  # pipeline stage -> seconds
    erasures: NotRequired[int]  # how many deletions rewrote this result


class ReportParticipant(TypedDict):
    id: str  # "P<id>"
    name: str
    source: str  # the transcript's file name
    segment: str | None  # segment id
    segment_strength: float | None  # share of resamples that agree; None when edited
    metadata: dict[str, str]


class ReportExcerpt(TypedDict):
    id: str  # the excerpt key
    participant: str
    source: str
    start: int  # character offsets in the transcript's text
    end: int
    timestamp: float | None  # seconds, where the format has them
    text: str
    kinds: list[Kind]
    kind_scores: dict[str, float]  # kind -> probability
    themes: list[str]  # the live themes the excerpt belongs to
    dismissed: NotRequired[bool]


class ReportQuote(TypedDict):
    """An excerpt quoted by a theme or a segment."""

    excerpt: str
    participant: str
    source: str
    start: int
    end: int
    text: str


class ReportTheme(TypedDict):
    id: str  # "<lens>-<n>"; a split adds ".<n>"
    lens: Lens
    label: str
    keyphrases: list[str]
    participants: list[str]
    excerpts: list[str]  # excerpt keys
    quotes: list[ReportQuote]  # most representative first
    dismissed: NotRequired[bool]


class SegmentMeasures(TypedDict):
    """A suggested segment's measures; a segment the researcher built has none."""

    size: NotRequired[int]
    share: NotRequired[float]
    theme_lift: NotRequired[dict[str, float]]  # theme id -> lift


class ReportSegment(TypedDict):
    id: str  # "S<n>"
    label: str
    participants: list[str]
    themes: list[str]  # defining needs theme ids, strongest first
    psychographics: list[str]
    triggers: list[str]
    objections: list[str]
    quotes: list[ReportQuote]
    measures: SegmentMeasures
    auto_label: bool  # named by its themes, not by the researcher
    built: NotRequired[bool]  # built or edited by the researcher
    voiced_by: NotRequired[list[str]]  # built segments: who voices its defining themes
    notes: NotRequired[dict[str, str]]  # checklist criterion -> the researcher's note


class SegmentationAlternative(TypedDict):
    """One consensus segmentation tried (k groups)."""

    k: int
    clear: bool
    stability: float
    ambiguity: float
    distinctness: float
    separation: float  # silhouette of the groups in the participants' set similarity
    groups: list[list[str]]  # participant refs per group
    between: list[str]  # participants who sit between segments


class Segmentation(TypedDict):
    chosen: int | None  # the k suggested; None when no segmentation is clear enough
    alternatives: list[SegmentationAlternative]
    adopted: NotRequired[bool]  # the researcher adopted ``chosen`` in place of the suggestion


class Report(TypedDict):
    """report.json, and the study state with edits applied."""

    schema_version: int
    run: ReportRun
    participants: list[ReportParticipant]
    excerpts: list[ReportExcerpt]
    themes: list[ReportTheme]
    segments: list[ReportSegment]
    segmentation: Segmentation
    # segments_k, segmentation_clear, segment_stability/ambiguity/distinctness,
    # metadata_association (column -> cramers_v, ari, identifier, proxy),
    # unassigned_<lens>, kind_counts: open, as the pipeline's measures grow
    measures: dict[str, Any]
    pins: NotRequired[list[str]]  # pinned excerpt keys (edits)


class ThemeRef(TypedDict):
    """How an edit names a theme: its id, lens and members when the edit was made."""

    id: str
    lens: NotRequired[str]
    signature: NotRequired[list[str]]
