"""Name detection's parse in a child process while the embedding model loads: the same records
and the same review list as the in-process parse, a failed child costs nothing but time, and the
work to overlap runs only when something needs a parse."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qualseg.privacy.entities import entity_records
from qualseg.privacy.entity_prefetch import parse_while
from qualseg.privacy.review import DETECTED_KEY, detect_and_store, ensure_detected, list_redactions
from tests.conftest import SMALL_STUDY, import_sample_files

PIECES = [
    ["Hi Oskar! I'm Dana Whitfield from Greyhollow Waste Services in Pellsworth.", "Thanks."],
    ["We switched from QuickBooks to Ledgerly last spring.", "Maria in accounts keys it in."],
]


def test_the_child_gives_the_records_of_the_in_process_parse():
    calls = []
    records = parse_while(PIECES, lambda: calls.append("work"))
    assert calls == ["work"]
    assert records == entity_records(PIECES)
    assert any(r[0] == "Dana Whitfield" for r in records[0])


def test_a_child_that_fails_gives_none_and_the_work_still_runs():
    calls = []
    failing = [sys.executable, "-c", "import sys; sys.stdin.read(); sys.exit(3)"]
    assert parse_while(PIECES, lambda: calls.append("work"), command=failing) is None
    assert calls == ["work"]
    garbage = [sys.executable, "-c", "import sys; sys.stdin.read(); print('[1]')"]
    assert parse_while(PIECES, lambda: None, command=garbage) is None  # wrong length: ignored


def test_a_child_that_cannot_start_gives_none_and_the_work_still_runs(tmp_path: Path):
    calls = []
    missing = [str(tmp_path / "no-such-python")]
    assert parse_while(PIECES, lambda: calls.append("work"), command=missing) is None
    assert calls == ["work"]


def test_failing_work_stops_the_child_and_raises():
    def work() -> None:
        raise RuntimeError("model failed to load")

    slow = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(RuntimeError, match="model failed"):
        parse_while(PIECES, work, command=slow)


def _review(store) -> list[tuple]:  # noqa: ANN001
    return sorted((r.surface, r.category, r.pseudonym, r.status) for r in list_redactions(store))


def test_detection_with_the_child_parse_equals_detection_in_process(workspace, tmp_path):
    here = import_sample_files(workspace, tmp_path / "a", "here", SMALL_STUDY)
    child = import_sample_files(workspace, tmp_path / "b", "child", SMALL_STUDY)
    try:
        detect_and_store(here)
        calls = []
        detect_and_store(child, while_parsing=lambda: calls.append("load"))
        assert calls == ["load"]
        assert _review(child) == _review(here)
        assert len(_review(child)) > 10
    finally:
        here.close()
        child.close()


def test_nothing_to_parse_runs_no_overlapped_work(workspace, tmp_path):
    store = import_sample_files(workspace, tmp_path / "a", "p", SMALL_STUDY[:2])
    try:
        calls = []
        assert ensure_detected(store, while_parsing=lambda: calls.append("load"))
        assert calls == ["load"]
        assert not ensure_detected(store, while_parsing=lambda: calls.append("again"))
        # detection runs again (its record of what it covered is gone), every parse is cached
        with store.transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (DETECTED_KEY,))
        assert ensure_detected(store, while_parsing=lambda: calls.append("cached"))
        assert calls == ["load"]
    finally:
        store.close()


def test_a_cold_run_loads_the_model_and_later_libraries_while_names_are_parsed():
    from qualseg.embed import HashingEmbedder
    from qualseg.nlp import load_pipeline
    from qualseg.running import load_ahead

    assert load_ahead(HashingEmbedder()) is None  # no model to load: nothing overlapped

    class Model(HashingEmbedder):
        loaded = 0

        def preload(self) -> None:
            Model.loaded += 1

    load = load_ahead(Model())
    assert load is not None
    load()
    assert Model.loaded == 1
    assert load_pipeline.cache_info().currsize == 1  # spaCy's pipeline is loaded, once


def test_a_bundled_app_parses_in_process(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    calls = []
    assert parse_while(PIECES, lambda: calls.append("work")) is None  # no child started
    assert calls == ["work"]
