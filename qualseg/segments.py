"""What a segment is made of and how it relates to the rest: its name, theme lift, and how far
firmographic columns follow it. Discovery itself is ``segment_discovery``."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


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
    from sklearn.metrics import adjusted_rand_score

    columns = sorted({c for m in metadata.values() for c in m})
    people = sorted(segment_of)
    out: dict[str, dict[str, float | bool]] = {}
    for column in columns:
        values = [metadata.get(p, {}).get(column, "") for p in people]
        if len(set(values)) < 2:
            continue
        segments = [segment_of[p] for p in people]
        v = cramers_v(segments, values)
        ari = float(adjusted_rand_score(values, segments))
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
