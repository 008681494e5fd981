"""The objects an edit names, found in a study state: a theme by its reference (id, lens and
members when the edit was made), an excerpt by its key, a segment by its id."""

from __future__ import annotations

from qualseg.report_types import Report, ReportExcerpt, ReportSegment, ReportTheme, ThemeRef

MATCH_JACCARD = 0.5


class EditNotApplicable(Exception):
    """The edit's theme, excerpt or segment is not in this result."""


def find_theme(state: Report, theme_id: str) -> ReportTheme:
    for t in state["themes"]:
        if t["id"] == theme_id:
            return t
    raise EditNotApplicable(f"no theme {theme_id}")


def resolve_theme(state: Report, ref: ThemeRef) -> ReportTheme:
    """The theme an edit meant: same id with agreeing members, else the best-overlapping theme."""
    members = set(ref.get("signature", []))

    def jaccard(t: ReportTheme) -> float:
        other = set(t["excerpts"])
        return len(members & other) / len(members | other) if members | other else 1.0

    same = [t for t in state["themes"] if t["id"] == ref["id"]]
    if same and (not members or jaccard(same[0]) >= MATCH_JACCARD):
        return same[0]
    candidates = [t for t in state["themes"] if t["lens"] == ref.get("lens", t["lens"])]
    best = max(candidates, key=jaccard, default=None)
    if best is not None and members and jaccard(best) >= MATCH_JACCARD:
        return best
    raise EditNotApplicable(f"theme {ref['id']} is not in this result any more")


def find_excerpt(state: Report, key: str) -> ReportExcerpt:
    for e in state["excerpts"]:
        if e["id"] == key:
            return e
    raise EditNotApplicable(f"excerpt {key} is not in this result")


def find_segment(state: Report, segment_id: str) -> ReportSegment:
    for s in state["segments"]:
        if s["id"] == segment_id:
            return s
    raise EditNotApplicable(f"no segment {segment_id}")
