"""Overview: the current project at a glance, with the analysis one click away."""

from __future__ import annotations

import streamlit as st

from qualseg import service
from qualseg.ui import components as ui
from qualseg.ui import nav, state


def render() -> None:
    store = state.current_project()
    st.title(f"Overview · {store.name}")
    state.show_flash()
    if not ui.need_transcripts(store):
        return
    rows = service.participant_rows(store)
    participants = [r for r in rows if r.role == "participant"]
    study = state.study(store)
    cols = st.columns(5)
    cols[0].metric("Transcripts", len({r.transcript for r in rows}))
    cols[1].metric("Participants", len(participants))
    if study is None:
        st.info(
            "Not analyzed yet. The analysis finds excerpts, themes (needs, psychographics, "
            "triggers, objections) and suggested segments; it takes a minute or two."
        )
        ui.analyze_now_button(store)
        st.page_link(nav.page("analyze"), label="Analysis settings and run history")
        return
    report = study.report
    live = [t for t in report["themes"] if not t.get("dismissed")]
    cols[2].metric("Excerpts", sum(1 for e in report["excerpts"] if not e.get("dismissed")))
    cols[3].metric("Themes", len(live))
    cols[4].metric("Segments", len(report["segments"]))
    st.caption(
        f"Results of run {study.run_id} (seed {report['run'].get('seed')}, model "
        f"{ui.md(report['run'].get('model'))}) with {len(study.edits)} edit(s) of yours applied."
    )
    st.subheader("Where to go next")
    left, right = st.columns(2)
    with left:
        st.page_link(
            nav.page("themes"), label="Review and edit themes", icon=":material/bubble_chart:"
        )
        st.page_link(
            nav.page("segments"), label="Build and validate segments", icon=":material/groups:"
        )
    with right:
        st.page_link(
            nav.page("quotes"), label="Find quotes for copy", icon=":material/format_quote:"
        )
        st.page_link(nav.page("reader"), label="Read a transcript", icon=":material/article:")
    st.subheader("Themes per lens")
    lens_cols = st.columns(4)
    for col, (lens, title) in zip(lens_cols, ui.LENS_TITLES.items(), strict=True):
        top = sorted((t for t in live if t["lens"] == lens), key=lambda t: -len(t["participants"]))
        col.markdown(f"**{title}** ({len(top)})")
        for t in top[:4]:
            col.caption(f"{ui.md(t['label'])} · {len(t['participants'])} participants")
