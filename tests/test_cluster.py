from __future__ import annotations

import math

import numpy as np
from sklearn.datasets import make_blobs

from qualseg.cluster import (
    LENS_SCALE,
    UNASSIGNED,
    PartitionClusterer,
    ThemeClusterer,
    min_cluster_size_for,
)


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


# -- PartitionClusterer (statement lists) ------------------------------------------------------


def _statements(n: int, centers: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    x, y = make_blobs(
        n_samples=n, centers=centers, n_features=48, cluster_std=2.0, random_state=seed
    )
    return _unit(x + 3.0), y  # a shared offset: every statement is about the same product


def test_partition_finds_the_planted_themes_and_leaves_none_unassigned():
    from sklearn.metrics import adjusted_rand_score

    x, y = _statements(400, 12)
    model = PartitionClusterer(granularity="fine").fit(x, list(range(len(x))))
    assert (model.labels_ != UNASSIGNED).all()
    assert adjusted_rand_score(y, model.labels_) >= 0.9
    assert 12 <= len(set(model.labels_.tolist())) <= 2 * math.sqrt(400)
    assert model.k_scores_  # the silhouette of every k tried is kept


def test_partition_granularity_bounds_the_number_of_themes():
    x, _ = _statements(900, 40, seed=2)
    owners = list(range(len(x)))
    counts = {
        g: len(set(PartitionClusterer(granularity=g).fit(x, owners).labels_.tolist()))
        for g in ("coarse", "medium", "fine")
    }
    assert counts["coarse"] <= 0.5 * 30 < counts["fine"]
    assert counts["coarse"] <= counts["medium"] <= counts["fine"] <= 2 * 30


def test_partition_is_deterministic_for_a_seed():
    x, _ = _statements(300, 8, seed=4)
    owners = list(range(len(x)))
    a = PartitionClusterer(seed=7).fit(x, owners).labels_
    b = PartitionClusterer(seed=7).fit(x, owners).labels_
    assert a.tolist() == b.tolist()


def _domain(seed: int, axis: int) -> np.ndarray:
    x, _ = make_blobs(
        n_samples=300,
        centers=8,
        n_features=48,
        cluster_std=1.5,
        center_box=(-3, 3),
        random_state=seed,
    )
    x[:, axis] += 25  # far from the other domain
    return x


def test_partition_of_two_domains_still_finds_their_themes():
    """Silhouette alone would stop at the split between the two domains (k = 2)."""
    x = _unit(np.concatenate([_domain(5, 0), _domain(6, 1)]))
    model = PartitionClusterer().fit(x, list(range(len(x))))
    assert len(set(model.labels_.tolist())) >= 12


def test_partition_leaves_a_stray_pair_unassigned_rather_than_a_theme_of_two():
    x, _ = _statements(200, 5, seed=8)
    pair = np.repeat(_unit(np.random.default_rng(0).normal(size=(1, x.shape[1]))), 2, axis=0)
    labels = PartitionClusterer().fit(np.concatenate([x, pair]), list(range(202))).labels_
    assert labels[-2:].tolist() == [UNASSIGNED, UNASSIGNED]
    assert np.bincount(labels[labels != UNASSIGNED]).min() >= 3


def test_partition_of_tiny_input_does_not_fail():
    model = PartitionClusterer().fit(_unit(np.ones((3, 4))), [0, 1, 2])
    assert model.labels_.tolist() == [-1, -1, -1]


def test_partition_of_a_lens_has_no_one_person_theme_and_keeps_their_excerpts():
    x, y = _statements(120, 3, seed=9)
    x = x[np.argsort(y, kind="stable")]
    rng = np.random.default_rng(1)
    centre = _unit(x[:40].mean(axis=0, keepdims=True))[0]
    aside = rng.normal(size=x.shape[1])
    aside = _unit((aside - (aside @ centre) * centre)[None])[0]
    # one person's excerpts: a tight group close to the first theme, not inside it
    one_person = _unit(centre + 0.6 * aside + 0.02 * rng.normal(size=(12, x.shape[1])))
    vectors = np.concatenate([x, one_person])
    people = [i % 8 for i in range(120)] + [99] * 12
    labels = PartitionClusterer(granularity="fine", scale=LENS_SCALE).fit(vectors, people).labels_
    owners = np.asarray(people)
    for theme in set(labels.tolist()) - {UNASSIGNED}:
        assert len(set(owners[labels == theme].tolist())) >= 2
    assert (labels[-12:] != UNASSIGNED).mean() >= 0.75


def test_silhouette_per_k_is_scikit_learns_cosine_silhouette_to_the_last_bit():
    """The Ward cut's k is chosen on distances computed once; every score equals what
    silhouette_score(metric="cosine", sample_size, random_state) gives for that cut."""
    from scipy.cluster.hierarchy import fcluster, ward
    from sklearn.metrics import silhouette_score

    from qualseg import cluster

    for n, seed in ((60, 1), (240, 7), (1600, 42)):  # 1600: above the silhouette sample
        x, _ = make_blobs(n_samples=n, centers=6, n_features=24, random_state=seed)
        clusterer = cluster.PartitionClusterer(seed=seed, granularity="fine")
        clusterer.fit(x, [i % 9 for i in range(n)])
        centred = cluster._unit_rows(x.astype(np.float64) - x.mean(axis=0))
        tree = ward(cluster._smooth(centred, cluster._NEIGHBOURS))
        for k, score in clusterer.k_scores_.items():
            cut = fcluster(tree, k, "maxclust") - 1
            expected = silhouette_score(
                centred, cut, metric="cosine", sample_size=min(n, 1500), random_state=seed
            )
            assert score == round(float(expected), 4), k


def test_split_and_merge_undoes_a_lumped_theme_and_a_split_one_at_the_same_k():
    """Two planted themes lumped together and one planted theme cut in two: one swap (split the
    first, merge the halves of the second) recovers the planted themes, at the same k."""
    from sklearn.metrics import adjusted_rand_score

    from qualseg import cluster

    x, y = make_blobs(n_samples=160, centers=4, n_features=24, cluster_std=0.5, random_state=3)
    x = cluster._unit_rows(x - x.mean(axis=0))
    start = np.where(y == 1, 0, y)  # planted 0 and 1 lumped into theme 0
    third = np.flatnonzero(y == 2)
    start[third[: len(third) // 2]] = 1  # planted 2 cut in two: themes 1 and 2
    labels, swaps = cluster._split_merge(x, start, seed=42)
    assert swaps >= 1
    assert len(set(labels.tolist())) == 4
    assert adjusted_rand_score(y, labels) == 1.0
    assert cluster._within_ss(x, labels) < cluster._within_ss(x, start)


def test_split_and_merge_is_for_statement_lists_not_a_studys_lenses():
    from qualseg.cluster import lens_clusterer_for
    from qualseg.config import AnalysisConfig

    lens = lens_clusterer_for(AnalysisConfig(lens_clustering="partition"))
    assert isinstance(lens, PartitionClusterer) and not lens.split_merge
    assert PartitionClusterer().split_merge  # qualseg themes (statements.py) takes the default
