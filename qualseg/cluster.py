"""Theme discovery for one lens: HDBSCAN made to hold up on small studies.

Density clustering straight on 384-d sentence vectors leaves most sentences as noise when there
are only a few hundred of them. ``ThemeClusterer`` therefore
1. reduces the vectors with PCA (exact SVD: deterministic, no random projection),
2. runs HDBSCAN ('leaf' selection: many small dense cores) with a minimum cluster size that
   grows with the square root of the corpus,
3. dissolves themes voiced by fewer than ``min_participants`` participants,
4. reassigns outliers to the nearest theme centre when cosine similarity is high enough,
   and keeps the rest visible as unassigned (label -1),
5. numbers themes by size (ties by first excerpt), so the same input gives the same themes.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from sklearn.decomposition import PCA

UNASSIGNED = -1
# granularity -> (factor of sqrt(n) for the smallest theme, HDBSCAN cluster selection)
GRANULARITY = {"coarse": (0.7, "eom"), "medium": (0.3, "leaf"), "fine": (0.2, "leaf")}


def min_cluster_size_for(n: int, granularity: str = "medium") -> int:
    """Smallest theme HDBSCAN may form: a fraction of sqrt(n) excerpts (0.3 for medium), >= 3."""
    factor, _ = GRANULARITY.get(granularity, GRANULARITY["medium"])
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
        self.granularity = granularity
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

        n = len(vectors)
        dims = max(2, min(self.reduce_dims, n - 2, vectors.shape[1]))
        reduced = PCA(n_components=dims, svd_solver="full", random_state=self.seed).fit_transform(
            vectors.astype(np.float64)
        )
        size = min_cluster_size_for(n, self.granularity)
        _, selection = GRANULARITY.get(self.granularity, GRANULARITY["medium"])
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
