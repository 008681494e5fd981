"""A lens's theme labels kept between runs: a re-run of an unchanged study reads them."""

from __future__ import annotations

import numpy as np
import pytest

from qualseg import cluster, editing
from qualseg.cluster_cache import clustering_key
from qualseg.config import AnalysisConfig
from qualseg.embed import HashingEmbedder
from qualseg.running import run_analysis
from qualseg.service import import_directory
from tests.conftest import SAMPLE_DIR

FILES = ("interview_bluepeak.txt", "session4.txt", "otter_novak.txt", "interview_ferreira.txt")


@pytest.fixture
def store(tmp_path, workspace):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in FILES:
        (folder / name).write_bytes((SAMPLE_DIR / name).read_bytes())
    store = workspace.open("cache", create=True)
    import_directory(store, folder)
    return store


def _counting_fits(monkeypatch) -> list[int]:
    calls: list[int] = []
    fit = cluster.PartitionClusterer.fit

    def counted(self, vectors, participants):  # noqa: ANN001, ANN202
        calls.append(len(vectors))
        return fit(self, vectors, participants)

    monkeypatch.setattr(cluster.PartitionClusterer, "fit", counted)
    return calls


def _themes(store) -> list:
    return [
        (t["id"], t["label"], t["excerpts"]) for t in editing.current_state(store).report["themes"]
    ]


def test_a_rerun_reads_each_lens_labels_and_gives_the_same_themes(store, monkeypatch):
    calls = _counting_fits(monkeypatch)
    run_analysis(store, embedder=HashingEmbedder())
    assert len(calls) == 4  # one fit per lens
    first = _themes(store)
    assert store.query("SELECT COUNT(*) FROM clusterings")[0][0] == 4
    run_analysis(store, embedder=HashingEmbedder())
    assert len(calls) == 4  # nothing clustered again
    assert _themes(store) == first


def test_another_seed_clusters_again(store, monkeypatch):
    calls = _counting_fits(monkeypatch)
    run_analysis(store, embedder=HashingEmbedder())
    run_analysis(store, embedder=HashingEmbedder(), config=AnalysisConfig(seed=7))
    assert len(calls) == 8


def test_the_key_follows_vectors_people_and_settings():
    vectors = np.random.default_rng(0).normal(size=(10, 4)).astype(np.float32)
    people = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    base = clustering_key(cluster.PartitionClusterer(), vectors, people)
    assert base == clustering_key(cluster.PartitionClusterer(), vectors.copy(), list(people))
    moved = vectors.copy()
    moved[0, 0] += 1e-3
    assert clustering_key(cluster.PartitionClusterer(), moved, people) != base
    assert clustering_key(cluster.PartitionClusterer(), vectors, [9, *people[1:]]) != base
    assert clustering_key(cluster.PartitionClusterer(seed=1), vectors, people) != base
    coarse = cluster.PartitionClusterer(granularity="coarse")
    assert clustering_key(coarse, vectors, people) != base
