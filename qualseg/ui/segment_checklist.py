"""The Segments page's validation panel: the figures of one segment and its MASE checklist,
each criterion with the evidence and the researcher's note."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qualseg import service, validation
from qualseg.report_types import Report
from qualseg.ui import components as ui

STATUS = {
    "supported": ("green", ":material/check_circle:"),
    "weak": ("orange", ":material/warning:"),
    "your call": ("gray", ":material/help:"),
}


def validation_panel(store, report: Report, check: validation.SegmentValidation, seen: int) -> None:
    st.subheader("Is it a real segment?")
    (st.success if check.distinct == "clear" else st.warning)(check.distinctness)
    live = {t["id"]: t["label"] for t in report["themes"]}
    left, right = st.columns(2)
    with left:
        st.markdown("**Distinctness: theme lift**")
        if check.lifts:
            st.dataframe(
                pd.DataFrame(
                    [{"theme": live.get(t, t), "lift": v} for t, v in check.lifts.items()]
                ),
                hide_index=True,
                width="stretch",
                column_config={"lift": st.column_config.NumberColumn(format="%.1f×")},
                key=f"lifts:{check.segment}",
            )
        else:
            st.caption("No lift: no defining themes yet, or no participant outside the segment.")
        st.markdown("**Themes shared with other segments**")
        if check.shared_themes:
            st.dataframe(
                pd.DataFrame(
                    [
                        {"theme": label, "also voiced by most of": ", ".join(others)}
                        for label, others in check.shared_themes.items()
                    ]
                ),
                hide_index=True,
                width="stretch",
                height=ui.table_height(len(check.shared_themes), 8),
                key=f"shared:{check.segment}",
            )
        else:
            st.caption("None: no theme of this segment is voiced by most members of another.")
    with right:
        st.markdown("**Firmographic mirroring**")
        if not check.mirrors:
            st.caption("Nothing to compare: needs at least two segments and participant metadata.")
        for m in check.mirrors:
            (st.warning if m.proxy else st.caption)(ui.md(m.reading))
        if check.skipped_columns:
            st.caption(
                "Not assessed (almost every participant has their own value): "
                + ", ".join(ui.md(c) for c in check.skipped_columns)
            )
    checklist(store, check, seen)


def checklist(store, check: validation.SegmentValidation, seen: int) -> None:
    st.markdown("**MASE checklist** (Kotler): evidence from qualseg, and your notes")
    notes: dict[str, str] = {}
    for item in check.checklist:
        colour, icon = STATUS[item.status]
        with st.container(border=True):
            left, right = st.columns([2, 3])
            with left:
                st.markdown(
                    f"**{item.criterion.capitalize()}** · :{colour}-badge[{icon} {item.status}]"
                )
                st.caption(item.question)
                st.markdown(ui.md(item.evidence))
            with right:
                notes[item.criterion] = st.text_area(
                    "Your notes",
                    value=item.note,
                    key=f"note:{check.segment}:{item.criterion}",
                    height=90,
                )
    changed = {c: text for c, text in notes.items() if text != _note(check, c)}
    if st.button(
        f"Save notes ({len(changed)} changed)",
        key=f"save_notes:{check.segment}",
        disabled=not changed,
    ):
        ui.edit(  # one edit per criterion, each checked against the same view
            lambda: [
                service.set_segment_notes(store, check.segment, c, text, seen=seen)
                for c, text in changed.items()
            ],
            "Notes saved.",
        )


def _note(check: validation.SegmentValidation, criterion: str) -> str:
    return next((c.note for c in check.checklist if c.criterion == criterion), "")
