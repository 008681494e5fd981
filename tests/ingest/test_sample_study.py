"""Every file of the sample study reads, with the right participant and interviewer.

The roster is the study specification's; when gold.json is present, every gold sentence must be
inside one span of the participant's speech (so excerpts can quote it verbatim).
"""

from __future__ import annotations

import json

import pytest

from qualseg.ingest import detect_roles, read_participants_csv, read_transcript
from qualseg.ingest.roles import names_match

from .conftest import SAMPLE_DIR
from .invariants import check_no_markup, check_transcript

# file -> (format, participant, interviewer)
ROSTER = {
    "interview_bluepeak.txt": ("labelled_text", "Priya Raman", "Maya Chen"),
    "2026-02-11_halvorsen.vtt": ("vtt", "Marcus Halvorsen", "Maya Chen"),
    "call_notes_03.srt": ("srt", "Aisha Bello", "Maya Chen"),
    "otter_export_kellerman.txt": ("otter", "Tom Kellerman", "Maya Chen"),
    "Interview - Sofia Marquez.docx": ("docx_teams", "Sofia Marquez", "Maya Chen"),
    "session4.txt": ("labelled_text", "Daniel Okafor", "Interviewer"),
    "transcript_ridgeline.csv": ("csv", "Hannah Cho", "Maya Chen"),
    "zoom_0316.vtt": ("vtt", "Rafael Duarte", "Jordan Ellis"),
    "qa_session_lindqvist.txt": ("labelled_text", "Elin Lindqvist", "Q"),
    "otter_2026-03-02.txt": ("otter", "Grace Whitaker", "Jordan Ellis"),
    "interview_11.srt": ("srt", "Kenji Watanabe", "Jordan Ellis"),
    "Customer call - J Osei.docx": ("docx_labelled", "Joseph Osei", "Jordan Ellis"),
    "interview_ferreira.txt": ("labelled_text", "Beatriz Ferreira", "Jordan Ellis"),
    "otter_novak.txt": ("otter", "Lukas Novak", "Jordan Ellis"),
}
GOLD_LISTS = ("triggers", "objections", "needs", "neither")


def _gold() -> dict:
    path = SAMPLE_DIR / "gold.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text("utf-8"))
    return data.get("files", data)


def _read(name: str):
    path = SAMPLE_DIR / name
    if not path.exists():
        pytest.skip(f"{name} is not in sample_transcripts/ yet")
    return read_transcript(name, path.read_bytes())


@pytest.mark.parametrize("name", sorted(ROSTER))
def test_sample_file_roles(name):
    fmt, participant, interviewer = ROSTER[name]
    gold = _gold().get(name)
    if gold:
        assert gold["participant"] == participant
    t = _read(name)
    check_transcript(t)
    if fmt in {"vtt", "srt"}:
        check_no_markup(t)
    assert t.format == fmt
    participants = [s for s in t.speakers if t.roles[s] == "participant"]
    assert [t.participant_names.get(s, s) for s in participants] == [participant], t.role_reasons
    assert t.roles[interviewer] == "interviewer", t.role_reasons
    assert set(t.speakers) == {participants[0], interviewer}
    assert t.words_by_speaker()[participants[0]] / sum(t.words_by_speaker().values()) >= 0.7


@pytest.mark.parametrize("name", sorted(ROSTER))
def test_gold_sentences_lie_inside_one_participant_span(name):
    gold = _gold().get(name)
    if not gold:
        pytest.skip("no gold.json entry")
    t = _read(name)
    participant_speech = [
        u.text_in(t.text) for u in t.utterances if t.roles[u.speaker] == "participant"
    ]
    interviewer_speech = " ".join(
        u.text_in(t.text) for u in t.utterances if t.roles[u.speaker] == "interviewer"
    )
    for key in GOLD_LISTS:
        for sentence in gold.get(key, []):
            assert any(sentence in turn for turn in participant_speech), (key, sentence)
            assert sentence not in interviewer_speech


def test_sample_participants_csv_hints_keep_the_roles():
    path = SAMPLE_DIR / "participants.csv"
    if not path.exists():
        pytest.skip("no participants.csv yet")
    records = read_participants_csv("participants.csv", path.read_bytes())
    assert {r.file for r in records} <= set(ROSTER)
    for record in records:
        if not (SAMPLE_DIR / record.file).exists():
            continue
        t = _read(record.file)
        hinted = detect_roles(t, participant_name=record.participant)
        participants = [s for s in t.speakers if hinted.roles[s] == "participant"]
        assert len(participants) == 1
        label = participants[0]
        shown = hinted.participant_names.get(label, label)
        assert shown == record.participant or names_match(record.participant, label)
        assert hinted.roles == t.roles
