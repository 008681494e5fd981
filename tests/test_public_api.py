"""The public API: ``from qualseg import Workspace, AnalysisConfig, analyze_project,
export_project``; the stages passed in are the ones used, and left out they change nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from qualseg import service
from qualseg.embed import HashingEmbedder
from qualseg.segment_discovery import Discovery, Segmentation
from tests.conftest import ROOT
from tests.segmenting import any_segmentation
from tests.ui.helpers import FILES, sample_files

HEAVY = ("torch", "spacy", "sklearn", "sentence_transformers")


def test_the_public_names_import_from_qualseg():
    import qualseg
    from qualseg import AnalysisConfig, Workspace, analyze_project, export_project
    from qualseg.api import analyze_project as api_analyze
    from qualseg.config import AnalysisConfig as config_class
    from qualseg.store import Workspace as store_workspace

    assert Workspace is store_workspace and AnalysisConfig is config_class
    assert analyze_project is api_analyze and callable(export_project)
    assert {"Workspace", "AnalysisConfig", "analyze_project", "export_project"} <= set(
        qualseg.__all__
    )
    with pytest.raises(AttributeError):
        qualseg.no_such_name  # noqa: B018


def test_importing_qualseg_loads_no_model_library():
    code = (
        "import sys\n"
        f"heavy = {HEAVY!r}\n"
        "import qualseg\n"
        "assert qualseg.__version__\n"
        "assert not [m for m in heavy if m in sys.modules], [m for m in heavy if m in sys.modules]\n"
        "from qualseg import AnalysisConfig, Workspace\n"
        "AnalysisConfig(seed=1); Workspace('ws')\n"
        "assert not [m for m in heavy if m in sys.modules], [m for m in heavy if m in sys.modules]\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _small_project(workspace, name: str):
    store = workspace.open(name, create=True)
    assert not service.import_files(store, sample_files(*FILES, "participants.csv")).failed
    return store


def _timeless(report: dict) -> dict:
    return {**report, "run": {k: v for k, v in report["run"].items() if k != "stage_seconds"}}


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory: pytest.TempPathFactory):
    """The small study analyzed twice, in two projects: through the service and through
    ``analyze_project`` (given the project's folder); the api's report and progress calls."""
    from qualseg import Workspace, analyze_project

    workspace = Workspace(tmp_path_factory.mktemp("api") / "ws")
    by_service = _small_project(workspace, "by-service")
    by_api = _small_project(workspace, "by-api")
    by_api.close()
    stages: list[str] = []
    with any_segmentation():
        _run_id, expected = service.run_analysis(by_service, embedder=HashingEmbedder())
        report = analyze_project(
            workspace.root / "by-api",
            embedder=HashingEmbedder(),
            progress=lambda stage, fraction: stages.append(stage),
        )
    by_service.close()
    return workspace, expected, report, stages


def test_analyze_project_gives_the_services_report(analyzed):
    workspace, expected, report, stages = analyzed
    assert expected["segments"] and expected["themes"]  # there is something to compare
    assert _timeless(report) == _timeless(expected)
    assert json.loads(report["run"]["config"]) == json.loads(expected["run"]["config"])
    assert stages[0] == "names" and "excerpts" in stages and stages[-1] == "done"
    store = workspace.open("by-api")
    try:
        run_id, stored = store.latest_result()
        assert run_id == report["run"]["id"] and _timeless(stored) == _timeless(report)
    finally:
        store.close()


class OneThemePerLens:
    """A lens clusterer of our own: every excerpt of a lens in one theme."""

    def __init__(self) -> None:
        self.fitted: list[int] = []

    def fit(self, vectors: np.ndarray, participants: list[int]) -> OneThemePerLens:
        self.fitted.append(len(vectors))
        self.labels_ = np.zeros(len(vectors), dtype=int)
        return self


def everyone_together(
    excerpts_of: Mapping[int, np.ndarray], *, seed: int, k_range: tuple[int, int]
) -> Discovery:
    """A segmenter of our own: one segment of everybody."""
    everyone = sorted(excerpts_of)
    together = Segmentation(
        k=1,
        labels=dict.fromkeys(everyone, 0),
        stability=1.0,
        ambiguity=0.0,
        distinctness=1.0,
        strength=dict.fromkeys(everyone, 1.0),
        clear=True,
    )
    return Discovery({1: together}, 1)


def test_the_clusterer_and_segmenter_passed_in_are_used(analyzed):
    from qualseg import AnalysisConfig, analyze_project

    workspace, expected, _report, _stages = analyzed
    clusterer = OneThemePerLens()
    store = workspace.open("by-api")
    try:
        report = analyze_project(
            store,
            AnalysisConfig(seed=7),
            embedder=HashingEmbedder(),
            clusterer=clusterer,
            segmenter=everyone_together,
        )
        record = store.runs()[0]
    finally:
        store.close()
    # one theme per lens, holding each of the lens's excerpts
    assert len(clusterer.fitted) == len(report["themes"]) >= 2
    assert [len(t["excerpts"]) for t in report["themes"]] == clusterer.fitted
    assert {t["id"].split("-")[1] for t in report["themes"]} == {"1"}
    assert len(report["themes"]) < len(expected["themes"])
    # one segment of everybody
    assert report["segmentation"]["chosen"] == 1
    assert [set(s["participants"]) for s in report["segments"]] == [
        {p["id"] for p in report["participants"]}
    ]
    assert {p["segment"] for p in report["participants"]} == {"S1"}
    # the run's record names the stages used in place of the defaults
    config = json.loads(record.config)
    assert config["clusterer"] == f"{__name__}.OneThemePerLens"
    assert config["segmenter"] == f"{__name__}.everyone_together"
    assert config["seed"] == 7
    assert "clusterer" not in json.loads(expected["run"]["config"])


def test_export_project_writes_the_services_export(analyzed, tmp_path: Path):
    from qualseg import export_project

    workspace, _expected, _report, _stages = analyzed
    folder = workspace.root / "by-service"
    written = export_project(folder, "md", tmp_path / "study.md", product="Ledgerly")
    assert written == tmp_path / "study.md"
    store = workspace.open("by-service")
    try:
        again = service.export(store, "md", product="Ledgerly")
        assert _undated(written.read_bytes()) == _undated(again)
        assert written.read_text("utf-8").startswith("#")
        into_folder = export_project(store, "csv", tmp_path)
    finally:
        store.close()
    assert into_folder == tmp_path / "by-service-quotes.csv"
    assert into_folder.read_bytes().count(b"\n") > 1


def _undated(markdown: bytes) -> bytes:
    """The report without its generation time (the one line two exports of a study differ in)."""
    return re.sub(rb"- Report generated: [^\n]*", b"", markdown)
