"""Clusterings kept between runs: a re-run of an unchanged study reads each lens's theme labels
and the segment discovery instead of computing them again."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qualseg import analysis, cluster, editing, segment_discovery
from qualseg.cluster_cache import clustering_key, discovery_key, discovery_of, discovery_record
from qualseg.config import AnalysisConfig
from qualseg.embed import HashingEmbedder
from qualseg.running import run_analysis
from tests.conftest import SMALL_STUDY, import_sample_files
from tests.segmenting import any_segmentation

FILES = (*SMALL_STUDY, "transcript_ridgeline.csv")


@pytest.fixture
def store(tmp_path, workspace):
    return import_sample_files(workspace, tmp_path / "in", "cache", FILES)


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


def _counting_discoveries(monkeypatch) -> list[int]:
    calls: list[int] = []
    discover = segment_discovery.discover_segments

    def counted(evidence, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(len(evidence))
        return discover(evidence, **kwargs)

    monkeypatch.setattr(analysis, "discover_segments", counted)
    return calls


def _segments(store) -> tuple:
    report = editing.current_state(store).report
    people = [(p["id"], p["segment"], p["segment_strength"]) for p in report["participants"]]
    return report["segments"], report["segmentation"], people


def test_a_rerun_reads_each_lens_labels_and_gives_the_same_themes(store, monkeypatch):
    calls = _counting_fits(monkeypatch)
    discoveries = _counting_discoveries(monkeypatch)
    with any_segmentation():
        run_analysis(store, embedder=HashingEmbedder())
        assert len(calls) == 4 and len(discoveries) == 1  # one fit per lens, one discovery
        first, segments = _themes(store), _segments(store)
        assert store.query("SELECT COUNT(*) FROM clusterings")[0][0] == 5
        run_analysis(store, embedder=HashingEmbedder())
    assert len(calls) == 4 and len(discoveries) == 1  # nothing clustered again
    assert _themes(store) == first and _segments(store) == segments
    assert segments[0]  # segments were found (and read back) at all


def test_a_discovery_reads_back_as_it_was_found():
    rng = np.random.default_rng(3)
    evidence = {p: rng.normal(size=(6, 8)).astype(np.float32) for p in range(1, 9)}
    with any_segmentation():
        found = segment_discovery.discover_segments(evidence, seed=5)
    again = discovery_of(json.loads(json.dumps(discovery_record(found))))
    assert again == found and again.chosen == found.chosen
    assert list(again.alternatives) == list(found.alternatives)


def test_the_discovery_key_follows_evidence_seed_and_thresholds():
    rng = np.random.default_rng(3)
    evidence = {p: rng.normal(size=(6, 8)).astype(np.float32) for p in range(1, 9)}
    base = discovery_key(evidence, 42, (2, 5))
    assert discovery_key(dict(evidence), 42, (2, 5)) == base
    assert discovery_key(evidence, 43, (2, 5)) != base
    assert discovery_key(evidence, 42, (2, 4)) != base
    assert discovery_key({**evidence, 1: evidence[1][:5]}, 42, (2, 5)) != base
    with any_segmentation():  # the tests' thresholds are part of the key
        assert discovery_key(evidence, 42, (2, 5)) != base


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


def test_keys_are_the_same_in_every_process():
    """Sets among the settings (EVIDENCE_KINDS) print in the order of the process's string
    hashing: a key must not follow it, or a re-run in a new process misses the cache."""
    import os
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "import qualseg.segment_discovery\n"
        "from qualseg.cluster import PartitionClusterer\n"
        "from qualseg.cluster_cache import clustering_key, discovery_key\n"
        "e = {1: np.ones((2, 3), np.float32)}\n"
        "v = np.ones((4, 3), np.float32)\n"
        "print(discovery_key(e, 42, (2, 5)), clustering_key(PartitionClusterer(), v, [1, 1, 2, 2]))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1, keys
