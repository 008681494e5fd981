"""Plain words for how far a segmentation can be trusted, for the app and the reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qualseg.report_types import SegmentationAlternative
from qualseg.segment_discovery import ROUNDS

NO_CLEAR = (
    "No clear segmentation: no grouping of these participants holds up when a fifth of what "
    "they said is left out. Build your own from themes instead."
)


def stability_words(stability: float) -> str:
    """How often the grouping comes back when the excerpts are resampled."""
    if stability >= 0.85:
        return "comes back almost every time"
    if stability >= 0.7:
        return "comes back most of the time"
    if stability >= 0.5:
        return "comes back about half the time"
    return "rarely comes back"


def distinctness_words(distinctness: float) -> str:
    """How cleanly members sit with their own segment rather than another."""
    if distinctness >= 0.8:
        return "clearly distinct"
    if distinctness >= 0.6:
        return "mostly distinct"
    return "overlapping"


def alternative_line(alternative: SegmentationAlternative) -> str:
    """One segmentation in a sentence: '3 segments: comes back most of the time (stability 0.78),
    mostly distinct; 12% of pairs undecided; 1 participant between segments.'"""
    between = len(alternative["between"])
    people = "participant" if between == 1 else "participants"
    return (
        f"{alternative['k']} segments: {stability_words(alternative['stability'])} "
        f"(stability {alternative['stability']:.2f}), "
        f"{distinctness_words(alternative['distinctness'])}; "
        f"{alternative['ambiguity']:.0%} of pairs undecided; "
        f"{between} {people} between segments."
    )


def segmentation_markdown(
    segmentation: Mapping[str, Any] | None, names: dict[str, str]
) -> list[str]:
    """Markdown lines: the verdict, then every alternative with its groups."""
    if not segmentation or not segmentation.get("alternatives"):
        return []
    chosen = segmentation.get("chosen")
    adopted = bool(segmentation.get("adopted"))
    if chosen and adopted:
        verdict = f"Chosen by the researcher: {chosen} segments."
    elif chosen:
        verdict = (
            f"Suggested: {chosen} segments (the clear grouping, over {ROUNDS} resamples, whose "
            "members sit best together)."
        )
    else:
        verdict = NO_CLEAR
    lines = [
        verdict,
        "",
        "Alternatives:",
        "",
    ]
    for alt in segmentation["alternatives"]:
        tag = "chosen by the researcher" if adopted else "suggested"
        mark = f" **({tag})**" if alt["k"] == chosen else ""
        lines.append(f"- {alternative_line(alt)}{mark}")
        for n, group in enumerate(alt["groups"], start=1):
            members = ", ".join(names.get(p, p) for p in group)
            lines.append(f"  - group {n}: {members}")
    return [*lines, ""]
