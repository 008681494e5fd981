"""Is a segment distinct from the others: silhouettes on theme profiles, overlapping
segments, shared themes, and the typed distinctness level with its plain-words reading."""

from __future__ import annotations

import numpy as np

from qualseg.report_types import Report
from qualseg.validation.model import STRONG_LIFT, WEAK_LIFT, Distinct, Overlap
from qualseg.validation.profile import assignment, defining_themes, live_themes, segment_profile


def silhouettes(report: Report) -> dict[str, float]:
    """Mean silhouette of each segment's members, on their needs and psychographic theme
    profiles (share of each participant's themed talk in each theme; cosine distance).

    Empty when there are fewer than two segments with members, or too few profiles.
    """
    segment_of = assignment(report)
    themes = [t for t in live_themes(report).values() if t["lens"] in ("need", "psychographic")]
    if len(set(segment_of.values())) < 2 or not themes:
        return {}
    by_key = {e["id"]: e for e in report.get("excerpts", [])}
    people = sorted(segment_of)
    index = {p: i for i, p in enumerate(people)}
    counts = np.zeros((len(people), len(themes)))
    for j, theme in enumerate(themes):
        for key in theme["excerpts"]:
            person = by_key.get(key, {}).get("participant")
            if person in index:
                counts[index[person], j] += 1
    keep = counts.sum(axis=1) > 0
    labels = np.array([segment_of[p] for p in people])[keep]
    vectors = counts[keep]
    if len(set(labels.tolist())) < 2 or len(labels) <= len(set(labels.tolist())):
        return {}
    from sklearn.metrics import silhouette_samples

    scores = silhouette_samples(vectors, labels, metric="cosine")
    return {s: round(float(scores[labels == s].mean()), 3) for s in sorted(set(labels.tolist()))}


def overlaps(report: Report, segment_id: str) -> list[Overlap]:
    """Other segments that share this segment's defining themes: listed on them too, or voiced
    by at least half of their members."""
    mine = defining_themes(report, segment_id)
    live = live_themes(report)
    out = []
    for other in report.get("segments", []):
        if other["id"] == segment_id:
            continue
        theirs = set(defining_themes(report, other["id"]))
        members = set(other.get("participants", []))
        shared = [
            t
            for t in mine
            if t in theirs
            or (members and len(set(live[t]["participants"]) & members) >= len(members) / 2)
        ]
        if shared:
            out.append(
                Overlap(
                    other["id"],
                    other["label"],
                    tuple(shared),
                    tuple(live[t]["label"] for t in shared),
                )
            )
    return out


def shared_themes(report: Report, segment_id: str) -> dict[str, list[str]]:
    """Each theme of the segment's profile (any lens) -> the other segments where at least half
    of the members, and at least two, voice it too."""
    profile = segment_profile(report, segment_id)
    out: dict[str, list[str]] = {}
    live = live_themes(report)
    for rows in profile.themes.values():
        for row in rows:
            voices = set(live[row.id]["participants"])
            others = [
                s["id"]
                for s in report.get("segments", [])
                if s["id"] != segment_id
                and s.get("participants")
                and len(voices & set(s["participants"])) >= max(2, len(s["participants"]) / 2)
            ]
            if others:
                out[row.label] = others
    return out


def distinctness_level(
    segment_lifts: dict[str, float], found_overlaps: list[Overlap], n_segments: int, size: int
) -> Distinct:
    """How distinct a segment is: clear, some, hardly, or unknown (no member, no other
    segment, no defining theme)."""
    if size == 0 or n_segments < 2 or not segment_lifts:
        return "unknown"
    mean = sum(segment_lifts.values()) / len(segment_lifts)
    if mean >= STRONG_LIFT and not found_overlaps:
        return "clear"
    return "some" if mean >= WEAK_LIFT else "hardly"


def distinctness_reading(
    segment_lifts: dict[str, float],
    labels: dict[str, str],
    found_overlaps: list[Overlap],
    silhouette: float | None,
    n_segments: int,
    size: int,
) -> str:
    """How distinct a segment is, in plain words."""
    if size == 0:
        return "No participant falls in this segment yet, so its distinctness cannot be judged."
    if n_segments < 2:
        return "This is the only segment: there is nothing to compare it with."
    if not segment_lifts:
        return "It has no defining needs or psychographic themes yet: add themes to define it."
    mean = sum(segment_lifts.values()) / len(segment_lifts)
    strongest = max(segment_lifts, key=lambda t: segment_lifts[t])
    parts = []
    if found_overlaps:
        parts.append(
            "overlaps with "
            + "; ".join(f"{o.segment} on {', '.join(o.theme_labels)}" for o in found_overlaps)
        )
    level = distinctness_level(segment_lifts, found_overlaps, n_segments, size)
    head = {"clear": "Clearly distinct", "some": "Somewhat distinct"}.get(level, "Hardly distinct")
    detail = (
        f"its defining themes are voiced {mean:.1f}× as often here as in other segments on "
        f"average (most: {labels.get(strongest, strongest)}, {segment_lifts[strongest]:.1f}×)"
    )
    text = f"{head}: {detail}"
    if parts:
        text += "; it " + "; ".join(parts)
    if silhouette is not None:
        text += f". Silhouette {silhouette:+.2f} ({silhouette_words(silhouette)})"
    return text + "."


def silhouette_words(value: float) -> str:
    if value >= 0.5:
        return "members sit well apart from other segments"
    if value >= 0.25:
        return "reasonably separated"
    if value > 0.0:
        return "weakly separated"
    return "members are as close to other segments as to each other"
