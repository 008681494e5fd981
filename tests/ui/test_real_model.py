"""The app analyzes the sample study with the real model, end to end (slow)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.helpers import APP, button, go, no_exception, table, texts, toggle_expander

pytestmark = pytest.mark.slow


def test_sample_study_analyzed_with_the_real_model(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALSEG_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("QUALSEG_FAKE_EMBEDDER", raising=False)
    at = AppTest.from_file(APP, default_timeout=900).run()
    assert at.title[0].value == "Overview · sample-study"
    button(at, "Analyze now").click().run()
    no_exception(at)
    assert "Analysis done (run 1)" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Themes"]) >= 8 and int(metrics["Segments"]) >= 2
    go(at, "analyze")
    history = table(at, "run", "status", "model")
    assert history.iloc[0]["model"] == "all-MiniLM-L6-v2"
    assert history.iloc[0]["status"] == "done (shown)"
    go(at, "themes")
    no_exception(at)
    counts = [int(t.label.rsplit("(", 1)[1].rstrip(")")) for t in at.tabs]
    assert all(n >= 1 for n in counts), counts
    assert not at.get("vega_lite_chart"), "the map is drawn on request"
    toggle_expander(at, "Map of the excerpts")
    no_exception(at)
    assert at.get("vega_lite_chart")
    go(at, "segments")
    no_exception(at)
    assert "Is it a real segment?" in [s.value for s in at.subheader]
    go(at, "quotes")
    no_exception(at)
    assert at.code
