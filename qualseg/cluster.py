"""Theme discovery: ``PartitionClusterer`` (a study's lenses by default, statement lists) and
``ThemeClusterer`` (HDBSCAN made to hold up on small studies; ``lens_clustering="density"``).

Density clustering straight on 384-d sentence vectors leaves most sentences as noise when there
are only a few hundred of them. ``ThemeClusterer`` therefore
1. reduces the vectors with PCA (exact SVD: deterministic, no random projection),
2. runs HDBSCAN ('leaf' selection: many small dense cores) with a minimum cluster size that
   grows with the square root of the corpus,
3. dissolves themes voiced by fewer than ``min_participants`` participants,
4. reassigns outliers to the nearest theme centre when cosine similarity is high enough,
   and keeps the rest visible as unassigned (label -1),
5. numbers themes by size (ties by first excerpt), so the same input gives the same themes.

It leaves about a quarter of a study's needs talk unassigned. ``PartitionClusterer`` assumes
every excerpt or statement is about something, and a theme should hold every one about it. It
1. centres the vectors (the topic all statements share weighs less) and smooths each with its
   nearest neighbours,
2. builds a Ward tree (on a fixed sample for large lists) and takes the number of themes with
   the best silhouette among f * sqrt(n) / 4 <= k <= f * sqrt(n) (f by granularity),
3. refines the cut with spherical k-means steps, so statements join the theme they are closest to,
   then (statement lists; not lenses) goes on lowering Ward's criterion at the same k by
   split-and-merge: while splitting one theme in two lowers the within-theme sum of squares more
   than merging the two closest other themes raises it, it does both (a tree's merges are final;
   this undoes the costly ones),
4. dissolves themes under three statements (or voiced by fewer than ``min_participants``
   people) into the nearest theme when similar enough, else leaves them unassigned.
"""

from __future__ import annotations

import math
import warnings
from typing import Protocol

import numpy as np

from qualseg.config import AnalysisConfig, check_granularity

UNASSIGNED = -1
# granularity -> (factor of sqrt(n) for the smallest theme, HDBSCAN cluster selection)
GRANULARITY = {"coarse": (0.7, "eom"), "medium": (0.3, "leaf"), "fine": (0.2, "leaf")}


# granularity -> f: the most themes a statement list gets is f * sqrt(n)
PARTITION_SCALE = {"coarse": 0.5, "medium": 1.0, "fine": 2.0}
# the same for one lens of an interview study (a few hundred excerpts of 10-20 participants); the
# silhouette rises with k over the whole range on interview lenses, so k_max is in effect the
# number of themes. Medium 2.0 (1.5 before): chosen leave-one-study-out on the needs themes'
# alignment with the planted segments (ARCHITECTURE.md, "Lens partition").
LENS_SCALE = {"coarse": 0.75, "medium": 2.0, "fine": 2.5}
_WARD_SAMPLE = 4000  # Ward needs n^2 / 2 distances: larger lists are cut on a sample
_SILHOUETTE_SAMPLE = 1500
_NEIGHBOURS = 5
_MIN_THEME = 3
_SPLIT_MERGE_ROUNDS = 100  # a bound; the search stops when no swap lowers the criterion


class LensClusterer(Protocol):
    """What clusters one lens of a study into themes (both clusterers here; one of your own).

    ``fit`` is called once per lens, in turn, on that lens's excerpt vectors (unit rows) and the
    participant id of each; ``labels_`` is then read: a theme number (0, 1, ...) per row, or -1
    for an excerpt left unassigned.
    """

    labels_: np.ndarray

    def fit(self, vectors: np.ndarray, participants: list[int]) -> LensClusterer: ...


def lens_clusterer_for(config: AnalysisConfig) -> LensClusterer:
    """The clusterer a study's lenses get by default: ``config.lens_clustering`` with its
    settings ('partition' or 'density')."""
    if config.lens_clustering == "partition":
        return PartitionClusterer(
            seed=config.seed,
            granularity=config.granularity,
            reassign_similarity=config.reassign_similarity,
            min_participants=config.min_theme_participants,
            scale=LENS_SCALE,
            split_merge=False,  # fleet's needs themes align worse with it (.91 -> .86)
        )
    return ThemeClusterer(
        seed=config.seed,
        reduce_dims=config.reduce_dims,
        granularity=config.granularity,
        reassign_similarity=config.reassign_similarity,
        min_participants=config.min_theme_participants,
    )


def min_cluster_size_for(n: int, granularity: str = "medium") -> int:
    """Smallest theme HDBSCAN may form: a fraction of sqrt(n) excerpts (0.3 for medium), >= 3."""
    factor, _ = GRANULARITY[check_granularity(granularity)]
    return max(3, round(factor * math.sqrt(n)))


class ThemeClusterer:
    """Cluster excerpt vectors into themes (scikit-learn style).

    Attributes set by ``fit``:
        labels_: theme number per excerpt, -1 for unassigned.
        centroids_: unit-length mean vector per theme (rows follow theme numbers).
        reassigned_: how many outliers were moved into a theme.
    """

    def __init__(
        self,
        *,
        seed: int = 42,
        reduce_dims: int = 8,
        granularity: str = "medium",
        reassign_similarity: float = 0.35,
        min_participants: int = 2,
    ) -> None:
        self.seed = seed
        self.reduce_dims = reduce_dims
        self.granularity = check_granularity(granularity)
        self.reassign_similarity = reassign_similarity
        self.min_participants = min_participants

    def fit(self, vectors: np.ndarray, participants: list[int]) -> ThemeClusterer:
        n = len(vectors)
        labels = np.full(n, UNASSIGNED, dtype=int)
        if n >= 4 and len(set(participants)) >= self.min_participants:
            labels = self._density_labels(vectors)
            if (labels == UNASSIGNED).all():
                labels[:] = 0  # one theme when density finds no structure
        labels = self._dissolve_thin(labels, participants)
        labels, self.reassigned_ = self._reassign(vectors, labels)
        labels = self._dissolve_thin(labels, participants)
        self.labels_ = _renumber(labels)
        self.centroids_ = _centroids(vectors, self.labels_)
        return self

    def _density_labels(self, vectors: np.ndarray) -> np.ndarray:
        import hdbscan
        from sklearn.decomposition import PCA

        n = len(vectors)
        dims = max(2, min(self.reduce_dims, n - 2, vectors.shape[1]))
        reduced = PCA(n_components=dims, svd_solver="full", random_state=self.seed).fit_transform(
            vectors.astype(np.float64)
        )
        size = min_cluster_size_for(n, self.granularity)
        _, selection = GRANULARITY[check_granularity(self.granularity)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = hdbscan.HDBSCAN(
                min_cluster_size=size,
                min_samples=max(2, size // 2),
                cluster_selection_method=selection,
                core_dist_n_jobs=1,
            )
            return model.fit_predict(reduced).astype(int)

    def _dissolve_thin(self, labels: np.ndarray, participants: list[int]) -> np.ndarray:
        labels = labels.copy()
        people = np.asarray(participants)
        for theme in set(labels.tolist()) - {UNASSIGNED}:
            members = labels == theme
            if len(set(people[members].tolist())) < self.min_participants:
                labels[members] = UNASSIGNED
        return labels

    def _reassign(self, vectors: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, int]:
        themes = sorted(set(labels.tolist()) - {UNASSIGNED})
        outliers = np.flatnonzero(labels == UNASSIGNED)
        if not themes or not len(outliers):
            return labels, 0
        centres = np.stack([_unit(vectors[labels == t].mean(axis=0)) for t in themes])
        sims = vectors[outliers] @ centres.T
        best = sims.argmax(axis=1)
        labels = labels.copy()
        moved = 0
        for row, idx in enumerate(outliers):
            if sims[row, best[row]] >= self.reassign_similarity:
                labels[idx] = themes[best[row]]
                moved += 1
        return labels, moved


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v)
    return v / norm if norm else v


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Themes numbered 0.. by size, largest first; ties by first member's position."""
    themes = [t for t in dict.fromkeys(labels.tolist()) if t != UNASSIGNED]
    order = sorted(themes, key=lambda t: (-int((labels == t).sum()), int(np.argmax(labels == t))))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(t, UNASSIGNED) for t in labels.tolist()], dtype=int)


def _centroids(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    themes = sorted(set(labels.tolist()) - {UNASSIGNED})
    if not themes:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0), dtype=np.float32)
    return np.stack([_unit(vectors[labels == t].mean(axis=0)) for t in themes])


class PartitionClusterer:
    """Cluster statement vectors into themes that hold every statement (scikit-learn style).

    Attributes set by ``fit``: ``labels_``, ``centroids_``, ``reassigned_`` (statements of
    dissolved small themes moved into another), ``k_scores_`` (silhouette per k tried),
    ``swaps_`` (split-and-merge steps taken after the refinement; ``split_merge=False``, as for
    a study's lenses, takes none).
    """

    def __init__(
        self,
        *,
        seed: int = 42,
        granularity: str = "fine",
        reassign_similarity: float = 0.35,
        min_participants: int = 2,
        scale: dict[str, float] | None = None,
        split_merge: bool = True,
    ) -> None:
        self.seed = seed
        self.granularity = check_granularity(granularity)
        self.scale = scale or PARTITION_SCALE
        self.split_merge = split_merge
        self.reassign_similarity = reassign_similarity
        self.min_participants = min_participants

    def fit(self, vectors: np.ndarray, participants: list[int]) -> PartitionClusterer:
        n = len(vectors)
        self.k_scores_: dict[int, float] = {}
        self.reassigned_ = 0
        self.swaps_ = 0
        labels = np.full(n, UNASSIGNED, dtype=int)
        if n >= 4 and len(set(participants)) >= self.min_participants:
            centred = _unit_rows(vectors.astype(np.float64) - vectors.mean(axis=0))
            smoothed = _smooth(centred, _NEIGHBOURS)
            labels = _nearest(smoothed, self._ward_centres(centred, smoothed))
            labels = _refine(centred, labels)
            if self.split_merge:
                labels, self.swaps_ = _split_merge(centred, labels, self.seed)
            labels = self._dissolve_small(labels, participants)
            labels, self.reassigned_ = self._absorb(centred, labels)
        self.labels_ = _renumber(labels)
        self.centroids_ = _centroids(vectors, self.labels_)
        return self

    def _ward_centres(self, centred: np.ndarray, smoothed: np.ndarray) -> np.ndarray:
        """Centres of the Ward cut whose k has the best silhouette (k_max / 4 <= k <= k_max)."""
        from scipy.cluster.hierarchy import fcluster, ward
        from sklearn.metrics import silhouette_score
        from sklearn.metrics.pairwise import cosine_distances
        from sklearn.utils import check_random_state

        n = len(centred)
        rows = np.arange(n)
        if n > _WARD_SAMPLE:
            rng = np.random.default_rng(self.seed)
            rows = np.sort(rng.choice(n, _WARD_SAMPLE, replace=False))
        tree = ward(smoothed[rows])
        factor = self.scale[check_granularity(self.granularity)]
        k_max = max(2, min(round(factor * math.sqrt(n)), len(rows) // _MIN_THEME))
        best, best_cut = -2.0, np.zeros(len(rows), dtype=int)
        # a floor of k_max / 4: silhouette favours the top split of a list of two domains
        k_min = max(2, k_max // 4)
        # What silhouette_score(x, cut, metric="cosine", sample_size=s, random_state=seed) draws
        # and computes for every k, drawn and computed once: the same rows, the same distances
        # (one chunk, zero diagonal), so the same score to the last bit.
        sample = check_random_state(self.seed).permutation(len(rows))[
            : min(len(rows), _SILHOUETTE_SAMPLE)
        ]
        distances = cosine_distances(centred[rows][sample])
        for k in sorted({int(k) for k in np.geomspace(k_min, k_max, 16)} | {k_max}):
            cut = fcluster(tree, k, "maxclust") - 1
            if len(set(cut.tolist())) < 2:
                continue
            score = float(silhouette_score(distances, cut[sample], metric="precomputed"))
            self.k_scores_[k] = round(score, 4)
            if score > best:
                best, best_cut = score, cut
        return _unit_rows(
            np.stack(
                [smoothed[rows][best_cut == c].mean(axis=0) for c in sorted(set(best_cut.tolist()))]
            )
        )

    def _dissolve_small(self, labels: np.ndarray, participants: list[int]) -> np.ndarray:
        """Themes of fewer than three members or ``min_participants`` people: unassigned."""
        labels = labels.copy()
        people = np.asarray(participants)
        for theme in set(labels.tolist()) - {UNASSIGNED}:
            members = labels == theme
            voices = len(set(people[members].tolist()))
            if members.sum() < _MIN_THEME or voices < self.min_participants:
                labels[members] = UNASSIGNED
        return labels

    def _absorb(self, centred: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, int]:
        """Unassigned rows join the nearest theme when similar enough."""
        keep = sorted(set(labels.tolist()) - {UNASSIGNED})
        members = np.flatnonzero(labels == UNASSIGNED)
        if not keep or not len(members):
            return labels, 0
        labels = labels.copy()
        centres = _unit_rows(np.stack([centred[labels == t].mean(axis=0) for t in keep]))
        sims = centred[members] @ centres.T
        best = sims.argmax(axis=1)
        moved = sims[np.arange(len(members)), best] >= self.reassign_similarity
        labels[members[moved]] = np.asarray(keep)[best[moved]]
        return labels, int(moved.sum())


def _unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


def _smooth(x: np.ndarray, neighbours: int, block: int = 1024) -> np.ndarray:
    """Each unit row averaged with its nearest neighbours (cosine), in blocks of rows."""
    k = min(neighbours + 1, len(x))
    out = np.empty_like(x)
    for start in range(0, len(x), block):
        sims = x[start : start + block] @ x.T
        nearest = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        out[start : start + block] = x[nearest].mean(axis=1)
    return _unit_rows(out)


def _nearest(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    return (x @ centres.T).argmax(axis=1).astype(int)


def _refine(x: np.ndarray, labels: np.ndarray, steps: int = 10) -> np.ndarray:
    """Spherical k-means steps from a first cut: each row to its closest theme centre."""
    for _ in range(steps):
        themes = sorted(set(labels.tolist()))
        centres = _unit_rows(np.stack([x[labels == t].mean(axis=0) for t in themes]))
        moved = _nearest(x, centres)
        if (moved == np.searchsorted(themes, labels)).all():
            break
        labels = moved
    return np.unique(labels, return_inverse=True)[1].astype(int)


def _fit_values(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """|S|^2 / n per theme (S: the sum of its unit rows, n: their number). The within-theme sum
    of squares of unit rows is (rows) - (the sum of these): Ward's criterion."""
    return (sums * sums).sum(axis=-1) / counts


def _within_ss(x: np.ndarray, labels: np.ndarray) -> float:
    themes, inverse = np.unique(labels, return_inverse=True)
    sums = np.zeros((len(themes), x.shape[1]))
    np.add.at(sums, inverse, x)
    return float(len(x) - _fit_values(sums, np.bincount(inverse)).sum())


def _bisect(x: np.ndarray, seed: int) -> np.ndarray | None:
    """A theme's rows in two: the Ward tree's top split (on a sample for large themes), refined;
    None when either part would be under ``_MIN_THEME`` rows."""
    from scipy.cluster.hierarchy import fcluster, ward

    if len(x) < 2 * _MIN_THEME:
        return None
    rows = np.arange(len(x))
    if len(x) > _WARD_SAMPLE:
        rows = np.sort(np.random.default_rng(seed).choice(len(x), _WARD_SAMPLE, replace=False))
    cut = fcluster(ward(x[rows]), 2, "maxclust") - 1
    if len(set(cut.tolist())) < 2:
        return None
    centres = _unit_rows(np.stack([x[rows][cut == c].mean(axis=0) for c in (0, 1)]))
    halves = _refine(x, _nearest(x, centres))
    if len(set(halves.tolist())) < 2 or np.bincount(halves).min() < _MIN_THEME:
        return None
    return halves


def _split_merge(x: np.ndarray, labels: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    """Ward's criterion lowered further at the same number of themes: the split of one theme
    that lowers the within-theme sum of squares most, against the merge of two other themes that
    raises it least (Ward's merge cost); while the split gains more, both are done and the
    spherical k-means steps rerun, as long as the criterion falls. Returns labels and swaps."""
    swaps = 0
    for _ in range(_SPLIT_MERGE_ROUNDS):
        themes, inverse = np.unique(labels, return_inverse=True)
        if len(themes) < 3:
            break
        counts = np.bincount(inverse).astype(float)
        sums = np.zeros((len(themes), x.shape[1]))
        np.add.at(sums, inverse, x)
        values = _fit_values(sums, counts)
        gain, split, halves = 0.0, -1, None
        for theme in range(len(themes)):
            members = np.flatnonzero(inverse == theme)
            parts = _bisect(x[members], seed)
            if parts is None:
                continue
            parted = sum(
                _fit_values(x[members[parts == h]].sum(axis=0), float((parts == h).sum()))
                for h in (0, 1)
            )
            if parted - values[theme] > gain:
                gain, split, halves = float(parted - values[theme]), theme, (members, parts)
        if halves is None:
            break
        # Ward's merge cost of every pair from the themes' sums: |Sa + Sb|^2 = |Sa|^2 + |Sb|^2
        # + 2 Sa.Sb, so k x k numbers (not k x k x dimensions: 250 MB at 200 themes)
        gram = sums @ sums.T
        squares = np.diag(gram)
        merged = (squares[:, None] + squares[None, :] + 2 * gram) / (
            counts[:, None] + counts[None, :]
        )
        cost = values[:, None] + values[None, :] - merged
        cost[split, :] = cost[:, split] = np.inf
        np.fill_diagonal(cost, np.inf)
        a, b = np.unravel_index(int(np.argmin(cost)), cost.shape)
        if gain <= cost[a, b]:
            break
        members, parts = halves
        swapped = inverse.copy()
        swapped[inverse == b] = a
        swapped[members[parts == 1]] = len(themes)
        swapped = _refine(x, np.unique(swapped, return_inverse=True)[1].astype(int))
        if _within_ss(x, swapped) >= len(x) - values.sum():  # the current labels' criterion
            break
        labels, swaps = swapped, swaps + 1
    return np.unique(labels, return_inverse=True)[1].astype(int), swaps
