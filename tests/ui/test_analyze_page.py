"""Analyze: settings, progress per stage, run history."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ui.helpers import RAW, SMALL, button, no_exception, open_app, reopen, table, texts


def test_analyze_with_settings_records_a_run(ws_root: Path):
    at = open_app("analyze", project=SMALL)
    history = table(at, "run", "status", "seed", "granularity")
    assert list(history["run"]) == [1]
    at.number_input(key="seed").set_value(7)
    at.radio(key="granularity").set_value("fine")
    at.run()
    button(at, "Analyze").click().run()
    no_exception(at)
    assert at.status[0].label.startswith("Analysis done (run 2)")
    stages = [m.value for m in at.status[0].markdown]
    # name detection is a stage of its own, shown first (parses only new transcripts)
    assert stages[0].startswith("Finding names to pseudonymise") and len(stages) == 6
    assert stages[1].startswith("Cutting the transcripts")
    assert at.status[0].get("progress")[0].value == 100  # percent
    history = table(at, "run", "status", "seed", "granularity")
    assert list(history["run"]) == [2, 1]
    newest = history.iloc[0]
    assert newest["status"] == "done (shown)" and newest["seed"] == 7
    assert newest["granularity"] == "fine"
    runs = reopen(ws_root).runs()
    assert runs[0].seed == 7 and json.loads(runs[0].config)["granularity"] == "fine"
    assert runs[0].model == "hashing-256"  # QUALSEG_FAKE_EMBEDDER=1


def test_a_failed_run_is_shown_and_keeps_the_previous_results(ws_root: Path, monkeypatch):
    from qualseg import running

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(running, "analyze", broken)
    at = open_app("analyze", project=SMALL)
    button(at, "Analyze").click().run()
    no_exception(at)
    assert "disk full" in texts(at)
    history = table(at, "run", "status", "error")
    assert list(history["status"]) == ["failed", "done (shown)"]
    assert "disk full" in history.iloc[0]["error"]


def test_analyze_page_without_runs(ws_root: Path):
    at = open_app("analyze", project=RAW)
    no_exception(at)
    assert "No runs yet." in texts(at)
