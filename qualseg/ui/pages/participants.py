"""Participants page: the project's transcripts, speakers, detected roles and metadata."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qualseg import service
from qualseg.ui.state import current_project


def render() -> None:
    store = current_project()
    st.title("Participants")
    rows = service.participant_rows(store)
    if not rows:
        st.info("This project has no transcripts yet. Import a folder with `python -m qualseg import`.")
        return
    participants = [r for r in rows if r.role == "participant"]
    left, right = st.columns(2)
    left.metric("Transcripts", len({r.transcript for r in rows}))
    right.metric("Participants", len(participants))
    table = pd.DataFrame(
        [
            {
                "participant": r.name,
                "transcript": r.transcript,
                "format": r.format,
                "words": r.words,
                **r.metadata,
            }
            for r in participants
        ]
    )
    st.dataframe(table, hide_index=True, use_container_width=True)
    with st.expander("All speakers and how their roles were decided"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "transcript": r.transcript,
                        "speaker": r.speaker,
                        "role": r.role,
                        "why": r.role_reason,
                        "words": r.words,
                    }
                    for r in rows
                ]
            ),
            hide_index=True,
            use_container_width=True,
        )
