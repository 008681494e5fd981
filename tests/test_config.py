"""AnalysisConfig holds only settings a run reads, and refuses values that mean nothing."""

from __future__ import annotations

import ast
import json

import numpy as np
import pytest

from qualseg.cluster import PartitionClusterer, ThemeClusterer, min_cluster_size_for
from qualseg.config import GRANULARITIES, AnalysisConfig
from qualseg.errors import ConfigError, QualsegError
from tests.conftest import ROOT


def test_kind_threshold_is_gone_and_old_saved_configs_still_load():
    assert "kind_threshold" not in json.loads(AnalysisConfig().to_json())
    saved = json.loads(AnalysisConfig(seed=7, granularity="fine").to_json())
    old = json.dumps({**saved, "kind_threshold": 0.0})  # as runs saved it until now
    assert AnalysisConfig.from_json(old) == AnalysisConfig(seed=7, granularity="fine")


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_every_granularity_is_accepted(granularity):
    assert AnalysisConfig(granularity=granularity).granularity == granularity
    assert min_cluster_size_for(100, granularity) >= 3


@pytest.mark.parametrize("granularity", ["huge", "Medium", ""])
def test_an_unknown_granularity_is_a_clear_error_not_medium(granularity):
    message = f"unknown granularity {granularity!r}: use one of coarse, medium, fine"
    with pytest.raises(ConfigError, match="unknown granularity") as raised:
        AnalysisConfig(granularity=granularity)
    assert str(raised.value) == message
    assert isinstance(raised.value, QualsegError)  # the CLI shows it as an error line
    saved = json.dumps({**json.loads(AnalysisConfig().to_json()), "granularity": granularity})
    with pytest.raises(ConfigError):
        AnalysisConfig.from_json(saved)
    for make in (
        lambda: PartitionClusterer(granularity=granularity),
        lambda: ThemeClusterer(granularity=granularity),
        lambda: min_cluster_size_for(100, granularity),
    ):
        with pytest.raises(ConfigError):
            make()


def test_partition_clusterer_never_reads_an_unknown_granularity_as_another():
    clusterer = PartitionClusterer(granularity="fine")
    clusterer.granularity = "huge"  # set after construction, scikit-learn style
    vectors = np.random.default_rng(0).normal(size=(12, 4))
    with pytest.raises(ConfigError):
        clusterer.fit(vectors, [i % 4 for i in range(12)])


def test_nlp_has_no_unused_is_english():
    tree = ast.parse((ROOT / "qualseg" / "nlp.py").read_text("utf-8"))
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert "is_english" not in names and "is_filler" in names
