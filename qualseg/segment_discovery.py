"""Suggested needs-based segments, found by consensus over resamples, with their uncertainty.

Participants are compared by **set-to-set similarity** of what they said (need, outcome and
trigger excerpts): for each excerpt of one participant, the cosine of its best match among the
other participant's excerpts, averaged, both ways. A planted need that a participant repeats in
their own words finds its matches in the other members of its segment, while a topic that
everybody mentions in passing raises every pair alike.

Segments are found by spectral clustering of that similarity for every k from 2 to 5, repeated
on resamples that keep a seeded random 80% of each participant's excerpts. The co-assignment
matrix (how often two participants land together) is the consensus; its average-linkage cut
gives the segmentation for each k. A segmentation is clear when it is stable (mean adjusted Rand
of the resamples against it >= 0.7) and has no one-person segment (a participant who talks
about everything would otherwise stand alone).

The stability bar separates planted structure from none on the four corpus studies, held out
study by study: the planted number of segments has stability 0.79-1.00 (200 resamples, three
seeds), while the same studies with their excerpts shuffled across participants (eight shuffles
each) reach at most 0.59 at any k; for each study, the other three leave 0.7 between their
highest shuffled and lowest planted stability. The share of ambiguous pairs (PAC: together in
10%-90% of resamples; Senbabaoglu et al., 2014) is reported but no longer decides: a real study
whose members include people between two segments has many such pairs (a two-segment study,
whose planted grouping the consensus found exactly at every seed, had 0.40-0.48 of its pairs
ambiguous), and at 50 resamples the share moved from 0.15 to 0.40 with the seed alone, so a bar
on it made the same study's segments come and go with the seed.

Among the clear ones, the suggested number of segments is the one whose members sit best with
their own segment in what they said: the highest silhouette of the set-to-set similarity (1 -
similarity as the distance). A lumping of two real segments is as well decided as the real ones
(stable, few ambiguous pairs), but its members sit less well together. When no k is clear,
nothing is suggested: the study has no clear segmentation.

A participant with little evidence (under a third of the study's median number of need and
trigger excerpts, such as the quiet second person of a panel interview) does not shape the
segments: the similarity of a handful of excerpts is mostly noise, and such a person would
pull whoever they resemble into a segment of their own. Each resample places them with the
segment whose members they resemble most, and their strength says how often that held.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from qualseg.classify import KindDecision
from qualseg.models import Excerpt

K_RANGE = (2, 5)
ROUNDS = 50
KEEP = 0.8
AMBIGUOUS = (0.1, 0.9)
MIN_STABILITY = 0.7
BETWEEN = 0.7
THIN_SHARE = 1 / 3
"""A participant with fewer need and trigger excerpts than this share of the study's median is
placed after the segments are found, not used to find them."""


@dataclass(frozen=True)
class Segmentation:
    """One consensus segmentation into ``k`` segments and how far to trust it.

    Attributes:
        labels: participant id -> segment number (0 = the largest segment).
        stability: mean adjusted Rand of the resampled segmentations against this one (1 = the
            same grouping every time, 0 = chance).
        ambiguity: share of participant pairs that are together in some resamples and apart in
            others (PAC; 0 = every pair always decided the same way).
        distinctness: mean co-assignment inside segments minus between them (1 = clean).
        strength: participant id -> share of resamples that put them with their own segment.
        clear: stable and without a one-person segment: fit to suggest.
        separation: silhouette of the segments in the set-to-set similarity (-1..1; higher: each
            member closer to their own segment than to the nearest other).
    """

    k: int
    labels: dict[int, int]
    stability: float
    ambiguity: float
    distinctness: float
    strength: dict[int, float]
    clear: bool
    separation: float = 0.0

    def between(self) -> list[int]:
        """Participants who sit between segments (with their own segment in under 70% of
        resamples)."""
        return sorted(p for p, s in self.strength.items() if s < BETWEEN)


@dataclass(frozen=True)
class Discovery:
    """Every consensus segmentation tried and the one chosen (``None``: no clear one)."""

    alternatives: dict[int, Segmentation]
    chosen: int | None

    @property
    def suggested(self) -> Segmentation | None:
        return self.alternatives[self.chosen] if self.chosen is not None else None


class Segmenter(Protocol):
    """What finds a study's segments: :func:`discover_segments` or a function of your own with
    its signature (the analysis passes ``excerpts_of``, ``seed`` and ``k_range``)."""

    def __call__(
        self, excerpts_of: Mapping[int, np.ndarray], *, seed: int, k_range: tuple[int, int]
    ) -> Discovery: ...


EVIDENCE_KINDS = frozenset({"need", "outcome", "trigger"})
MIN_EVIDENCE = 3


def segment_evidence(
    excerpts: Sequence[Excerpt], vectors: np.ndarray, decisions: Sequence[KindDecision]
) -> dict[int, np.ndarray]:
    """Participant id -> vectors of their need, outcome and trigger excerpts.

    A participant with fewer than three such excerpts is represented by all their excerpts in a
    lens, and failing that by everything they said, so that every participant is placed. A study
    with no need, outcome or trigger excerpt at all has no evidence for needs-based segments.
    """
    rows: dict[int, dict[str, list[int]]] = {}
    for i, (excerpt, decision) in enumerate(zip(excerpts, decisions, strict=True)):
        tiers = rows.setdefault(excerpt.participant_id, {"evidence": [], "lens": [], "all": []})
        tiers["all"].append(i)
        if set(decision.kinds) & EVIDENCE_KINDS:
            tiers["evidence"].append(i)
        if decision.kinds != ("other",):
            tiers["lens"].append(i)
    if not any(tiers["evidence"] for tiers in rows.values()):
        return {}
    out = {}
    for person, tiers in rows.items():
        chosen = next(
            (tiers[t] for t in ("evidence", "lens") if len(tiers[t]) >= MIN_EVIDENCE), tiers["all"]
        )
        out[person] = vectors[chosen]
    return out


def set_similarity(sets: Sequence[np.ndarray]) -> np.ndarray:
    """Mean best-match cosine between participants' excerpt sets, both ways (rows unit length)."""
    owners = np.repeat(np.arange(len(sets)), [len(x) for x in sets])
    return _pooled_similarity(np.vstack(sets) @ np.vstack(sets).T, owners, len(sets))


def _pooled_similarity(cosines: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """``set_similarity`` from the cosines of all excerpts pooled, ``owners`` sorted."""
    starts = np.searchsorted(owners, np.arange(n))
    best = np.maximum.reduceat(cosines, starts, axis=1)  # excerpt x participant: best match
    counts = np.bincount(owners, minlength=n)
    mean_best = np.add.reduceat(best, starts, axis=0) / counts[:, None]  # a x b
    sim = 0.5 * (mean_best + mean_best.T)
    np.fill_diagonal(sim, 1.0)
    return sim


def discover_segments(
    excerpts_of: Mapping[int, np.ndarray],
    *,
    seed: int = 42,
    k_range: tuple[int, int] = K_RANGE,
    rounds: int = ROUNDS,
    keep: float = KEEP,
) -> Discovery:
    """Consensus segmentations for k in ``k_range`` and the clear one whose members sit best
    together (highest separation).

    Args:
        excerpts_of: participant id -> unit-length vectors of their need/trigger excerpts.
        seed: picks the resamples; the same seed and input give the same result.
    """
    people = sorted(excerpts_of)
    n = len(people)
    core = _core(np.array([len(excerpts_of[p]) for p in people]))
    ks = [k for k in range(k_range[0], k_range[1] + 1) if k <= int(core.sum()) // 2]
    if not ks:
        return Discovery({}, None)
    rng = np.random.default_rng(seed)
    pooled = np.vstack([excerpts_of[p] for p in people])
    cosines = pooled @ pooled.T
    owners = np.repeat(np.arange(n), [len(excerpts_of[p]) for p in people])
    together = {k: np.zeros((n, n)) for k in ks}
    resampled: dict[int, list[np.ndarray]] = {k: [] for k in ks}
    for _ in range(rounds):
        kept = _resample(owners, keep, rng)
        sim = _pooled_similarity(cosines[np.ix_(kept, kept)], owners[kept], n)
        affinity = _affinity(sim[np.ix_(core, core)])
        for k in ks:
            labels = _place_thin(_spectral(affinity, k, seed), sim, core)
            resampled[k].append(labels)
            together[k] += labels[:, None] == labels[None, :]
    full = _pooled_similarity(cosines, owners, n)
    alternatives = {
        k: _consensus(people, together[k] / rounds, resampled[k], k, core, full) for k in ks
    }
    clear = [k for k in ks if alternatives[k].clear]
    best = max(clear, key=lambda k: (alternatives[k].separation, -k), default=None)
    return Discovery(alternatives, best)


def _core(counts: np.ndarray) -> np.ndarray:
    """Which participants have evidence enough to shape the segments (see THIN_SHARE)."""
    return counts >= THIN_SHARE * float(np.median(counts))


def _place_thin(core_labels: np.ndarray, closeness: np.ndarray, core: np.ndarray) -> np.ndarray:
    """Labels for everyone: the core's as clustered, each thin participant with the segment
    whose core members they are closest to on average (``closeness``: similarity, or how often
    two were placed together)."""
    labels = np.empty(len(core), dtype=int)
    labels[core] = core_labels
    core_idx = np.flatnonzero(core)
    segments = np.unique(core_labels)
    for person in np.flatnonzero(~core):
        means = [closeness[person, core_idx[core_labels == s]].mean() for s in segments]
        labels[person] = segments[int(np.argmax(means))]
    return labels


def _resample(owners: np.ndarray, keep: float, rng: np.random.Generator) -> np.ndarray:
    """Indices of a random ``keep`` share of the excerpts, at least one of each participant's."""
    mask = rng.random(len(owners)) < keep
    for person in np.setdiff1d(np.unique(owners), owners[mask]):
        mine = np.flatnonzero(owners == person)
        mask[mine[rng.integers(len(mine))]] = True
    return np.flatnonzero(mask)


def _affinity(sim: np.ndarray) -> np.ndarray:
    """Similarities standardised over the study's pairs and exponentiated (0 on the diagonal):
    absolute cosine levels differ between studies, their spread is what separates people."""
    off = sim[~np.eye(len(sim), dtype=bool)]
    out = np.exp((sim - off.mean()) / (off.std() + 1e-9))
    np.fill_diagonal(out, 0.0)
    return out


def _spectral(affinity: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import SpectralClustering

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "graph is not fully connected" on tiny studies
        return SpectralClustering(
            n_clusters=k, affinity="precomputed", assign_labels="cluster_qr", random_state=seed
        ).fit_predict(affinity)


def adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """scikit-learn's ``adjusted_rand_score`` of two labelings, the same float: the same pair
    counts in exact integer arithmetic, without its input checks (which cost more than the
    counting over a study's 200 resamples)."""
    n = len(a)
    if n == 0:
        return 1.0
    _pairs, cells = np.unique(np.stack([np.asarray(a), np.asarray(b)]), axis=1, return_counts=True)
    squares = int((cells.astype(np.int64) ** 2).sum())
    rows = int((np.unique(np.asarray(a), return_counts=True)[1].astype(np.int64) ** 2).sum())
    cols = int((np.unique(np.asarray(b), return_counts=True)[1].astype(np.int64) ** 2).sum())
    tp, fp, fn = squares - n, cols - squares, rows - squares
    tn = n * n - fp - fn - squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def _consensus(
    people: list[int],
    together: np.ndarray,
    resampled: list[np.ndarray],
    k: int,
    core: np.ndarray,
    similarity: np.ndarray,
) -> Segmentation:
    """The average-linkage cut of the core's co-assignment, each thin participant joined to the
    segment they were placed with most often, and the measures of trust."""
    from sklearn.cluster import AgglomerativeClustering

    distance = 1.0 - together[np.ix_(core, core)]
    np.fill_diagonal(distance, 0.0)
    core_labels = AgglomerativeClustering(
        n_clusters=k, metric="precomputed", linkage="average"
    ).fit_predict(distance)
    labels = _renumber(_place_thin(core_labels, together, core))
    n = len(people)
    off = ~np.eye(n, dtype=bool)
    pairs = together[off]
    same = (labels[:, None] == labels[None, :]) & off
    strength = {}
    for i, person in enumerate(people):
        mates = same[i]
        strength[person] = round(float(together[i, mates].mean()), 3) if mates.any() else 0.0
    stability = round(float(np.mean([adjusted_rand(labels, r) for r in resampled])), 3)
    ambiguity = round(float(((pairs > AMBIGUOUS[0]) & (pairs < AMBIGUOUS[1])).mean()), 3)
    inside = float(together[same].mean()) if same.any() else 0.0
    apart = float(together[off & ~same].mean()) if (off & ~same).any() else 0.0
    return Segmentation(
        k=k,
        labels=dict(zip(people, labels.tolist(), strict=True)),
        stability=stability,
        ambiguity=ambiguity,
        distinctness=round(inside - apart, 3),
        strength=strength,
        clear=bool(stability >= MIN_STABILITY) and bool(min(np.bincount(labels[core])) >= 2),
        separation=_separation(similarity, labels, core),
    )


def _separation(similarity: np.ndarray, labels: np.ndarray, core: np.ndarray) -> float:
    """Silhouette of the core participants' segments, 1 - similarity as the distance."""
    from sklearn.metrics import silhouette_score

    distance = 1.0 - similarity[np.ix_(core, core)]
    np.fill_diagonal(distance, 0.0)
    if len(np.unique(labels[core])) < 2:
        return 0.0
    return round(
        float(silhouette_score(np.clip(distance, 0, None), labels[core], metric="precomputed")), 4
    )


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Segments numbered by size, largest first, ties by first member."""
    order = sorted(
        set(labels.tolist()), key=lambda s: (-int((labels == s).sum()), int(np.argmax(labels == s)))
    )
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping[s] for s in labels.tolist()])
