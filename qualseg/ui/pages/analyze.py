"""Analyze: settings, the run with progress per stage, and the history of runs."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from qualseg import service
from qualseg.config import AnalysisConfig
from qualseg.ui import components as ui
from qualseg.ui import nav, state

GRANULARITY = {
    "coarse": "Coarse: fewer, broader themes",
    "medium": "Medium (default)",
    "fine": "Fine: more, narrower themes",
}


def render() -> None:
    store = state.current_project()
    st.title("Analyze")
    state.show_flash()
    if not ui.need_transcripts(store):
        return
    study = state.study(store)
    intro = st.empty()
    defaults = AnalysisConfig()
    with st.expander("Settings", icon=":material/tune:"):
        seed = st.number_input(
            "Seed",
            min_value=0,
            max_value=2**31 - 1,
            value=defaults.seed,
            step=1,
            key="seed",
            help="Same transcripts and seed give the same themes.",
        )
        granularity = st.radio(
            "Theme granularity",
            list(GRANULARITY),
            index=list(GRANULARITY).index(defaults.granularity),
            format_func=GRANULARITY.get,
            key="granularity",
            horizontal=True,
        )
    config = AnalysisConfig(seed=int(seed), granularity=str(granularity))
    current = None if study is None else study.run_id
    if st.button("Analyze", type="primary", icon=":material/play_arrow:", key="analyze"):
        run_id = ui.analyze(store, config)
        if run_id is not None:
            current = run_id
            state.show_flash()
            st.page_link(nav.page("themes"), label="See the themes", icon=":material/bubble_chart:")
    if current is None:
        intro.caption("No analysis yet: the defaults suit most studies of 10-15 interviews.")
    else:
        intro.caption(
            f"Current results: run {current}. A new run never overwrites an older one; your "
            "edits are re-applied to the new results where their themes are found again."
        )
    history(store, current)


def history(store, current: int | None) -> None:
    st.subheader("Run history")
    runs = service.run_history(store)
    if not runs:
        st.caption("No runs yet.")
        return
    rows = []
    for r in runs:
        try:
            granularity = json.loads(r.config).get("granularity", "")
        except (ValueError, AttributeError):
            granularity = ""
        rows.append(
            {
                "run": r.id,
                "status": r.status + (" (shown)" if r.id == current else ""),
                "started": r.started_at,
                "finished": r.finished_at or "",
                "seed": r.seed,
                "granularity": granularity,
                "model": r.model,
                "qualseg": r.versions.get("qualseg", ""),
                "error": r.error or "",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="runs")
