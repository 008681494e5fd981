from __future__ import annotations

import numpy as np
from sklearn.datasets import make_blobs

from qualseg.cluster import UNASSIGNED, ThemeClusterer, min_cluster_size_for


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _blobs(n: int = 120, centers: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    x, y = make_blobs(
        n_samples=n, centers=centers, n_features=32, cluster_std=1.0, random_state=seed
    )
    return _unit(x), y


def test_recovers_planted_blobs_with_few_unassigned():
    from sklearn.metrics import adjusted_rand_score, homogeneity_score

    x, y = _blobs()
    participants = [i % 10 for i in range(len(x))]
    coarse = ThemeClusterer(seed=1, granularity="coarse").fit(x, participants)
    assigned = coarse.labels_ != UNASSIGNED
    assert assigned.mean() >= 0.9
    assert adjusted_rand_score(y[assigned], coarse.labels_[assigned]) >= 0.9
    # medium may split a blob into sub-themes, but never mixes two blobs in one theme
    medium = ThemeClusterer(seed=1).fit(x, participants)
    assigned = medium.labels_ != UNASSIGNED
    assert assigned.mean() >= 0.9
    assert homogeneity_score(y[assigned], medium.labels_[assigned]) >= 0.9


def test_same_input_and_seed_same_themes():
    x, _ = _blobs(seed=3)
    participants = [i % 7 for i in range(len(x))]
    a = ThemeClusterer(seed=5).fit(x, participants).labels_
    b = ThemeClusterer(seed=5).fit(x, participants).labels_
    assert a.tolist() == b.tolist()


def test_no_theme_of_a_single_participant():
    x, _ = _blobs(n=60, centers=2)
    participants = [0] * 30 + [i % 5 + 1 for i in range(30)]  # first blob: one person
    labels = ThemeClusterer(seed=0).fit(x, participants).labels_
    people = np.asarray(participants)
    for theme in set(labels.tolist()) - {UNASSIGNED}:
        assert len(set(people[labels == theme].tolist())) >= 2


def test_tiny_input_does_not_fail():
    x, _ = _blobs(n=3, centers=1)
    model = ThemeClusterer().fit(x, [0, 1, 2])
    assert len(model.labels_) == 3
    empty = ThemeClusterer().fit(np.zeros((0, 8)), [])
    assert empty.labels_.tolist() == []


def test_themes_numbered_by_size():
    x, _ = _blobs(n=150, centers=3)
    labels = ThemeClusterer().fit(x, [i % 9 for i in range(150)]).labels_
    sizes = [int((labels == t).sum()) for t in sorted(set(labels.tolist()) - {UNASSIGNED})]
    assert sizes == sorted(sizes, reverse=True)


def test_min_cluster_size_grows_with_corpus():
    assert min_cluster_size_for(10) == 3
    assert min_cluster_size_for(400) > min_cluster_size_for(100)
    assert min_cluster_size_for(400, "fine") < min_cluster_size_for(400, "coarse")
