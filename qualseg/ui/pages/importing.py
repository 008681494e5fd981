"""Import & participants: upload transcripts, see per-file results, correct roles, edit metadata."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qualseg import service
from qualseg.errors import QualsegError
from qualseg.models import ROLES
from qualseg.ui import components as ui
from qualseg.ui import state

STATUS_WORDS = {
    "imported": "imported",
    "skipped": "skipped (duplicate)",
    "failed": "FAILED",
    "metadata": "participant metadata",
}


def render() -> None:
    store = state.current_project()
    st.title("Import & participants")
    state.show_flash()
    upload(store)
    rows = service.participant_rows(store)
    if not rows:
        st.info(
            "No transcripts in this project yet. Upload one or more files above: each file is "
            "one interview; a participants.csv (file or participant column, then any columns "
            "such as role, company size, industry, outcome) adds participant metadata."
        )
        return
    transcripts_table(rows)
    roles(store, rows)
    metadata(store, rows)
    delete_for_real(store, rows)


def upload(store) -> None:
    st.subheader("Upload")
    files = st.file_uploader(
        "Transcripts (txt, md, docx, vtt, srt, csv: Otter, Rev, Descript, Sonix, Trint, "
        "Fireflies, Teams, Zoom, Google Meet exports) and an optional participants.csv",
        accept_multiple_files=True,
        key=f"uploader:{store.name}:{st.session_state.get('upload_round', 0)}",
    )
    interviewers = st.text_input(
        "Interviewer names (optional, comma-separated)",
        key="interviewers",
        help="Speakers with these names are interviewers wherever they appear; use it when the "
        "automatic decision (labels, questions asked, share of words) gets it wrong.",
    )
    label = f"Import {len(files)} file(s)" if files else "Import"
    if not st.button(label, type="primary", disabled=not files, key="import"):
        return
    batch = [(f.name, f.getvalue()) for f in files]
    names = tuple(n.strip() for n in interviewers.split(",") if n.strip())
    with st.spinner(f"Reading {len(batch)} file(s)…"):
        try:
            report = service.import_files(store, batch, interviewers=names)
        except QualsegError as err:
            st.error(f"The import stopped: {err}")
            return
    table = pd.DataFrame(
        [
            {"file": r.source, "result": STATUS_WORDS.get(r.status, r.status), "details": r.message}
            for r in report.results
        ]
    )
    imported, failed = len(report.imported), len(report.failed)
    skipped = sum(1 for r in report.results if r.status == "skipped")
    summary = f"{imported} imported, {skipped} skipped, {failed} failed."
    if failed:
        st.error(f"{summary} The failed files changed nothing; fix them and upload again.")
    else:
        st.success(f"{summary} Re-run the analysis to include new interviews.")
    st.dataframe(table, hide_index=True, width="stretch", key="import_results")
    for warning in report.warnings:
        st.warning(ui.md(warning))
    if report.unmatched_metadata:
        st.warning(
            "participants.csv rows that match no participant: "
            + ", ".join(ui.md(u) for u in report.unmatched_metadata)
        )


def transcripts_table(rows: list[service.ParticipantRow]) -> None:
    st.subheader("Transcripts")
    by_file: dict[str, list[service.ParticipantRow]] = {}
    for r in rows:
        by_file.setdefault(r.transcript, []).append(r)
    table = pd.DataFrame(
        [
            {
                "transcript": source,
                "participant": ", ".join(r.name for r in speakers if r.role == "participant"),
                "interviewer": ", ".join(r.name for r in speakers if r.role == "interviewer"),
                "other speakers": ", ".join(r.name for r in speakers if r.role == "other"),
                "participant words": sum(r.words for r in speakers if r.role == "participant"),
                "words": sum(r.words for r in speakers),
                "format": speakers[0].format,
            }
            for source, speakers in by_file.items()
        ]
    )
    participants = sum(1 for r in rows if r.role == "participant")
    st.caption(f"{len(by_file)} transcripts, {participants} participants.")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(table)),
        key="transcripts",
    )


def roles(store, rows: list[service.ParticipantRow]) -> None:
    st.subheader("Speakers and roles")
    st.caption(
        "qualseg decides who interviews and who is interviewed; correct it here. Only "
        "participants' speech is analyzed. Changes apply at the next analysis."
    )
    sources = sorted({r.transcript for r in rows})
    source = st.selectbox("Transcript", sources, key="roles_transcript")
    speakers = [r for r in rows if r.transcript == source]
    choices = {}
    for r in speakers:
        left, right = st.columns([1, 2], vertical_alignment="center")
        choices[r.speaker] = left.selectbox(
            f"{r.name} ({r.words} words)",
            ROLES,
            index=ROLES.index(r.role) if r.role in ROLES else 0,
            key=f"role:{source}:{r.speaker}",
        )
        right.caption(f"Why: {ui.md(r.role_reason) or 'set by hand'}")
    changed = {s: role for s, role in choices.items() if role != _role_of(speakers, s)}
    if st.button("Save roles", key="save_roles", disabled=not changed):
        try:
            for speaker, role in changed.items():
                service.set_speaker_role(store, source, speaker, role)
        except QualsegError as err:
            st.error(str(err))
            return
        state.flash(f"Roles saved for {source}. Re-run the analysis to apply them.")
        st.rerun()


def _role_of(speakers: list[service.ParticipantRow], label: str) -> str:
    return next(r.role for r in speakers if r.speaker == label)


def metadata(store, rows: list[service.ParticipantRow]) -> None:
    st.subheader("Participant metadata")
    st.caption(
        "Role, company size, industry, region, outcome…: qualseg shows each segment's mix and "
        "warns when a segment merely mirrors a column. Edit cells, add a column, then save. "
        "Changes show in segments after the next analysis."
    )
    participants = [r for r in rows if r.role == "participant"]
    columns = sorted({c for r in participants for c in r.metadata})
    extra = st.text_input(
        "Add a column", key="new_metadata_column", placeholder="e.g. segment_hypothesis"
    )
    if extra.strip() and extra.strip() not in columns:
        columns.append(extra.strip())
    table = pd.DataFrame(
        [
            {"participant": r.name, "transcript": r.transcript}
            | {c: r.metadata.get(c, "") for c in columns}
            for r in participants
        ],
        index=[r.speaker_id for r in participants],
        columns=["participant", "transcript", *columns],
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        disabled=["participant", "transcript"],
        height=ui.table_height(len(table)),
        key=f"metadata_editor:{store.name}",
    )
    changed = [
        int(speaker_id)
        for speaker_id in table.index
        if not edited.loc[speaker_id].fillna("").equals(table.loc[speaker_id].fillna(""))
    ]
    if st.button(
        f"Save metadata ({len(changed)} changed)", key="save_metadata", disabled=not changed
    ):
        try:
            for speaker_id in changed:
                values = edited.loc[speaker_id, columns].fillna("")
                service.set_participant_metadata(
                    store,
                    speaker_id,
                    {c: str(v).strip() for c, v in values.items() if str(v).strip()},
                )
        except QualsegError as err:
            st.error(str(err))
            return
        state.flash(f"Metadata saved for {len(changed)} participant(s).")
        st.rerun()


def delete_for_real(store, rows: list[service.ParticipantRow]) -> None:
    """Erase a transcript or one participant, each behind its own confirmation."""
    st.subheader("Delete for real")
    st.caption(
        "Erasure, for a participant who withdraws consent or asks to be forgotten: the stored "
        "text, the excerpts and quotes in every analysis result, the cached embeddings, the edits "
        "about them and the original file are removed, and the project database is rebuilt so "
        "the text cannot be recovered from it. Backups of the database made before schema "
        "upgrades hold the text too and are removed as well. This cannot be undone."
    )
    left, right = st.columns(2)
    with left:
        _delete_transcript(store, sorted({r.transcript for r in rows}))
    with right:
        _delete_participant(store, [r for r in rows if r.role == "participant"], rows)


def _delete_transcript(store, sources: list[str]) -> None:
    source = st.selectbox("Transcript to delete", sources, key="delete_transcript")
    typed = st.text_input(
        "Type the file name to confirm",
        key=f"delete_transcript_confirm:{source}",
        placeholder=source,
    )
    if st.button(
        "Delete transcript",
        key="delete_transcript_button",
        disabled=typed.strip() != source,
        help="Removes the whole interview: every speaker, every excerpt, the original file.",
    ):
        _run_deletion(lambda: service.delete_transcript(store, source), "delete_transcript")


def _delete_participant(
    store, participants: list[service.ParticipantRow], rows: list[service.ParticipantRow]
) -> None:
    if not participants:
        st.caption("No participants to delete.")
        return
    by_id = {r.speaker_id: r for r in participants}
    speaker_id = st.selectbox(
        "Participant to delete",
        list(by_id),
        format_func=lambda i: f"{by_id[i].name} ({by_id[i].transcript})",
        key="delete_participant",
    )
    person = by_id[speaker_id]
    alone = sum(1 for r in participants if r.transcript == person.transcript) == 1
    if alone:
        st.caption(
            f"{ui.md(person.name)} is the only participant of {ui.md(person.transcript)}: the "
            "whole transcript will be deleted."
        )
    else:
        others = [r.name for r in rows if r.transcript == person.transcript and r is not person]
        st.caption(
            f"Only {ui.md(person.name)}'s speech goes; {ui.md(', '.join(others))} stay, their "
            "words and positions unchanged."
        )
    sure = st.checkbox(
        f"I understand that {person.name}'s words are removed for good",
        key=f"delete_participant_confirm:{speaker_id}",
    )
    if st.button("Delete participant", key="delete_participant_button", disabled=not sure):
        _run_deletion(lambda: service.delete_participant(store, speaker_id), "delete_participant")


def _run_deletion(delete, widget_key: str) -> None:
    with st.spinner("Deleting and rebuilding the project database…"):
        try:
            report = delete()
        except QualsegError as err:
            st.error(f"Nothing was deleted: {err}")
            return
    st.cache_data.clear()  # no cached view may keep showing what was deleted
    st.session_state.pop(widget_key, None)
    trouble = report.leftovers or not report.log_emptied
    state.flash(report.summary(), "warning" if trouble else "success")
    st.rerun()
