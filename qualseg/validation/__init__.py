"""Is a segment real? Profile and validation of one segment of the current study report.

Pure functions over the report (``service.current_state(store).report``), no storage and no
streamlit. The measures come from :mod:`qualseg.segments` (theme lift, metadata association);
each is turned into a plain-words reading a strategist can act on, and into evidence for the
MASE/Kotler checklist (measurable, accessible, substantial, differentiable, actionable), next to
the researcher's own notes.
"""

from __future__ import annotations

from qualseg.validation.checklist import (
    mirroring,
    reachable,
    validate,
)
from qualseg.validation.distinctness import (
    distinctness_level,
    distinctness_reading,
    overlaps,
    shared_themes,
    silhouette_words,
    silhouettes,
)
from qualseg.validation.model import (
    CRITERIA,
    CRITERION_QUESTIONS,
    DOMINANT_SHARE,
    LENS_FIELDS,
    NOT_REACHABLE,
    OUTSIDE,
    PARTIAL_V,
    PROXY_V,
    STRONG_LIFT,
    WEAK_LIFT,
    Check,
    Distinct,
    Mirror,
    Overlap,
    SegmentProfile,
    SegmentValidation,
    ThemeInSegment,
)
from qualseg.validation.profile import (
    assignment,
    defining_themes,
    lifts,
    live_themes,
    segment_profile,
)

__all__ = [
    "CRITERIA",
    "CRITERION_QUESTIONS",
    "Check",
    "DOMINANT_SHARE",
    "Distinct",
    "LENS_FIELDS",
    "Mirror",
    "NOT_REACHABLE",
    "OUTSIDE",
    "Overlap",
    "PARTIAL_V",
    "PROXY_V",
    "STRONG_LIFT",
    "SegmentProfile",
    "SegmentValidation",
    "ThemeInSegment",
    "WEAK_LIFT",
    "assignment",
    "defining_themes",
    "distinctness_level",
    "distinctness_reading",
    "lifts",
    "live_themes",
    "mirroring",
    "overlaps",
    "reachable",
    "segment_profile",
    "shared_themes",
    "silhouette_words",
    "silhouettes",
    "validate",
]
