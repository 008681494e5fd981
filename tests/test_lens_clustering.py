"""How each lens of a study is clustered: 'density' (the default) or 'partition'."""

from __future__ import annotations

from qualseg import service
from qualseg.config import AnalysisConfig
from qualseg.embed import HashingEmbedder
from tests.ui.helpers import FILES, sample_files


def test_partition_puts_the_lens_excerpts_in_themes(workspace):
    store = workspace.open("small", create=True)
    assert not service.import_files(store, sample_files(*FILES, "participants.csv")).failed
    measures = {}
    for method in ("density", "partition"):
        config = AnalysisConfig(lens_clustering=method)
        service.run_analysis(store, config, embedder=HashingEmbedder())
        _run_id, report = store.latest_result()
        assert AnalysisConfig.from_json(store.runs()[0].config).lens_clustering == method
        measures[method] = report["measures"]
        for theme in report["themes"]:
            assert len(theme["participants"]) >= 2
    for lens in ("need", "psychographic"):
        assert measures["partition"][f"unassigned_{lens}"] <= 0.1
        assert (
            measures["partition"][f"unassigned_{lens}"] < measures["density"][f"unassigned_{lens}"]
        )
