"""Suggested needs-based segments: participants grouped by their needs-theme profile.

Each participant becomes a vector of how much of their needs talk falls in each needs theme
(shares, so long interviews do not dominate), blended with the centre of their needs excerpts.
Participants are grouped by average-linkage agglomerative clustering on cosine distance, for
every k from 2 to ``max_segments``; the k with the best silhouette wins (every segment must hold
at least two participants). Distinctness and the relation to firmographics are measured.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score, silhouette_score


@dataclass(frozen=True)
class SegmentFit:
    """The chosen grouping and its measures."""

    labels: dict[int, int]  # participant id -> segment number
    k: int
    silhouette: float
    silhouette_by_k: dict[int, float] = field(default_factory=dict)


def participant_profiles(
    participants: Sequence[int],
    theme_labels: np.ndarray,
    vectors: np.ndarray,
    *,
    theme_weight: float = 0.5,
) -> tuple[list[int], np.ndarray]:
    """One row per participant: needs-theme shares blended with the mean needs-excerpt vector."""
    people = sorted(set(participants))
    themes = sorted(set(theme_labels.tolist()) - {-1})
    index = {p: i for i, p in enumerate(people)}
    shares = np.zeros((len(people), max(len(themes), 1)))
    centres = np.zeros((len(people), vectors.shape[1]))
    for row, (person, theme) in enumerate(zip(participants, theme_labels.tolist(), strict=True)):
        centres[index[person]] += vectors[row]
        if theme != -1:
            shares[index[person], themes.index(theme)] += 1
    shares = _unit_rows(shares)
    centres = _unit_rows(centres)
    return people, np.hstack(
        [math.sqrt(theme_weight) * shares, math.sqrt(1 - theme_weight) * centres]
    )


def fit_segments(people: list[int], profiles: np.ndarray, *, max_segments: int = 6) -> SegmentFit:
    """Choose k by silhouette and group participants into k segments."""
    n = len(people)
    if n < 4:
        return SegmentFit({p: 0 for p in people}, 1, 0.0)
    scores: dict[int, float] = {}
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(2, min(max_segments, n // 2) + 1):
        labels = AgglomerativeClustering(
            n_clusters=k, metric="cosine", linkage="average"
        ).fit_predict(profiles)
        if min(Counter(labels.tolist()).values()) < 2:
            continue
        score = float(silhouette_score(profiles, labels, metric="cosine"))
        scores[k] = round(score, 4)
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    if best is None:
        return SegmentFit({p: 0 for p in people}, 1, 0.0, scores)
    labels = _renumber(best[2])
    return SegmentFit(dict(zip(people, labels.tolist(), strict=True)), best[1], best[0], scores)


def segment_stability(
    participants: Sequence[int],
    theme_labels: np.ndarray,
    vectors: np.ndarray,
    reference: dict[int, int],
    *,
    seed: int = 42,
    rounds: int = 20,
    keep: float = 0.8,
    max_segments: int = 6,
) -> float:
    """How well the segments survive losing a fifth of the needs excerpts (mean adjusted Rand).

    Each round keeps a random 80% of the excerpts (seeded), rebuilds profiles and segments, and
    compares them with ``reference``. 1.0: the same grouping every time; near 0: chance.
    """
    if len(set(reference.values())) < 2:
        return 1.0
    rng = np.random.default_rng(seed)
    people = sorted(reference)
    scores = []
    for _ in range(rounds):
        mask = rng.random(len(participants)) < keep
        kept = [p for p, m in zip(participants, mask, strict=True) if m]
        if set(kept) != set(people):
            continue
        sub_people, profiles = participant_profiles(kept, theme_labels[mask], vectors[mask])
        fit = fit_segments(sub_people, profiles, max_segments=max_segments)
        scores.append(
            adjusted_rand_score([reference[p] for p in people], [fit.labels[p] for p in people])
        )
    return round(float(np.mean(scores)), 4) if scores else 0.0


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


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Segments numbered by size, largest first, ties by first member."""
    order = sorted(
        set(labels.tolist()), key=lambda s: (-int((labels == s).sum()), int(np.argmax(labels == s)))
    )
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping[s] for s in labels.tolist()])
