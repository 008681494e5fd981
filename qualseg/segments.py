"""What a segment is made of and how it relates to the rest: its name, theme lift, and how far
firmographic columns follow it. Discovery itself is ``segment_discovery``."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

QUOTES_PER_SEGMENT = 6


@dataclass(frozen=True)
class VoicedTheme:
    """What a segment profile reads of a theme: who voices it and its excerpts, best first."""

    id: str
    lens: str
    participants: frozenset[Hashable]
    excerpts: tuple[str, ...]


@dataclass(frozen=True)
class SegmentProfile:
    """One group of participants as a segment: its themes by lens (the needs themes that
    define it: voiced more inside than outside, lift > 1), candidate quotes and lifts."""

    members: list[Hashable]
    needs: list[str]
    psychographics: list[str]
    triggers: list[str]
    objections: list[str]
    quotes: list[str]  # excerpt keys of members in the first three needs themes
    lift: dict[str, float]  # needs theme id -> lift


def segment_profiles(
    segment_of: dict[Hashable, int],
    themes: Sequence[VoicedTheme],
    owner: Callable[[str], Hashable],
) -> dict[int, SegmentProfile]:
    """The profile of each group of ``segment_of`` (participant -> group number): the themes
    its members voice, by how many members voice them, then by lift; ``owner`` gives the
    participant of an excerpt key."""
    lift = theme_lift(segment_of, {i: set(t.participants) for i, t in enumerate(themes)})
    out: dict[int, SegmentProfile] = {}
    for number in sorted(set(segment_of.values())):
        members = sorted(p for p, g in segment_of.items() if g == number)  # type: ignore[type-var]
        inside = set(members)
        voiced = [i for i, t in enumerate(themes) if t.participants & inside]
        voiced.sort(
            key=lambda i: (-len(themes[i].participants & inside), -lift[number][i], themes[i].id)
        )
        needs = [i for i in voiced if themes[i].lens == "need" and lift[number][i] > 1.0]
        quotes = [k for i in needs[:3] for k in themes[i].excerpts if owner(k) in inside]
        out[number] = SegmentProfile(
            members=members,
            needs=[themes[i].id for i in needs],
            psychographics=[themes[i].id for i in voiced if themes[i].lens == "psychographic"],
            triggers=[themes[i].id for i in voiced if themes[i].lens == "trigger"],
            objections=[themes[i].id for i in voiced if themes[i].lens == "objection"],
            quotes=list(dict.fromkeys(quotes))[:QUOTES_PER_SEGMENT],
            lift={themes[i].id: lift[number][i] for i in needs},
        )
    return out


def segment_name(need_labels: Sequence[str], segment_id: str) -> str:
    """A segment's name from its defining needs themes (best first), in the customers' words."""
    return " + ".join(dict.fromkeys(need_labels[:2])) or f"Segment {segment_id}"


def theme_lift(
    segment_of: dict[int, int], voices: dict[int, set[int]]
) -> dict[int, dict[int, float]]:
    """Lift of each theme in each segment: share of the segment voicing it over share elsewhere.

    Args:
        segment_of: participant -> segment.
        voices: theme -> participants who voice it.
    """
    out: dict[int, dict[int, float]] = {}
    for segment in sorted(set(segment_of.values())):
        inside = {p for p, s in segment_of.items() if s == segment}
        outside = set(segment_of) - inside
        out[segment] = {}
        for theme, people in voices.items():
            share_in = len(people & inside) / len(inside) if inside else 0.0
            share_out = len(people & outside) / len(outside) if outside else 0.0
            out[segment][theme] = round((share_in + 0.05) / (share_out + 0.05), 3)
    return out


def metadata_association(
    segment_of: dict[int, int], metadata: dict[int, dict[str, str]]
) -> dict[str, dict[str, float | bool]]:
    """How strongly each metadata column follows the segments (Cramér's V and ARI).

    A column is flagged ``proxy`` (the segments may just mirror it) when it groups people nearly
    as the segments do: Cramér's V >= 0.8 and adjusted Rand >= 0.5. Cramér's V alone runs high on
    few people and many categories. Columns where most participants have a value of their own
    (company, job title) cannot be judged and are marked ``identifier``.
    """
    from qualseg.segment_discovery import adjusted_rand  # scikit-learn's figure, no import

    columns = sorted({c for m in metadata.values() for c in m})
    people = sorted(segment_of)
    out: dict[str, dict[str, float | bool]] = {}
    for column in columns:
        values = [metadata.get(p, {}).get(column, "") for p in people]
        if len(set(values)) < 2:
            continue
        segments = [segment_of[p] for p in people]
        v = cramers_v(segments, values)
        ari = adjusted_rand(_codes(values), _codes(segments))
        identifier = len(set(values)) > len(people) / 2
        out[column] = {
            "cramers_v": round(v, 3),
            "ari": round(ari, 3),
            "identifier": identifier,
            "proxy": not identifier and v >= 0.8 and ari >= 0.5,
        }
    return out


def cramers_v(a: Sequence[object], b: Sequence[object]) -> float:
    """Cramér's V of two categorical sequences (0 = unrelated, 1 = one determines the other)."""
    rows, cols = sorted(set(a), key=str), sorted(set(b), key=str)
    if len(rows) < 2 or len(cols) < 2:
        return 0.0
    table = np.zeros((len(rows), len(cols)))
    for x, y in zip(a, b, strict=True):
        table[rows.index(x), cols.index(y)] += 1
    n = table.sum()
    expected = table.sum(axis=1, keepdims=True) @ table.sum(axis=0, keepdims=True) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    return math.sqrt(chi2 / (n * (min(table.shape) - 1)))


def _codes(values: Sequence[object]) -> np.ndarray:
    """Each value's category as an integer (the order of first appearance does not matter)."""
    return np.unique(np.asarray([str(v) for v in values]), return_inverse=True)[1]
