"""Paragraphs without a speaker label: carried to the previous speaker and counted, or (before
the first label) reported when they read as speech; the import report carries the notes."""

from __future__ import annotations

import pytest

from qualseg.importing import import_files
from qualseg.ingest import read_transcript
from qualseg.ingest.unlabelled import reads_as_speech
from qualseg.store import ProjectStore

from .conftest import make_docx
from .invariants import check_transcript, turns

OPENING = (
    "So before we start properly, thanks again for agreeing to be recorded today.\n\n"
    "We will keep this to thirty minutes and I will share the notes afterwards.\n\n"
)
BODY = (
    "Nora Vance: How do you schedule crews today?\n\n"
    "Ravi Kapoor: Whiteboard and a group chat.\n\n"
    "It falls apart when someone calls in sick.\n\n"
    "And the chat scrolls away by lunch.\n\n"
    "Nora Vance: What happens then?\n\n"
    "Ravi Kapoor: I spend the morning on the phone.\n"
)


def test_carried_paragraphs_are_counted():
    t = read_transcript("crew.txt", BODY.encode())
    check_transcript(t)
    assert turns(t)[1] == (
        "Ravi Kapoor",
        "Whiteboard and a group chat. It falls apart when someone calls in sick. "
        "And the chat scrolls away by lunch.",
    )
    assert t.notes == (
        "crew.txt: 2 paragraphs without a speaker label were read as the previous speaker's",
    )


def test_unlabelled_opening_paragraphs_are_reported_not_dropped_silently():
    t = read_transcript("crew.txt", (OPENING + BODY).encode())
    assert turns(t)[0] == ("Nora Vance", "How do you schedule crews today?")
    assert t.notes[0] == (
        "crew.txt: 2 unlabelled paragraphs at the start, before the first speaker label, were "
        "skipped (it begins 'So before we start properly, thanks again for agreeing to...'); "
        "add a speaker label if it is speech"
    )
    assert "2 paragraphs without a speaker label" in t.notes[1]


@pytest.mark.parametrize(
    "header",
    [
        "Crew scheduling call with Ravi Kapoor\nDate: 2026-03-02\n\n",
        "CREW SCHEDULING - DISCOVERY INTERVIEW\nQ = Nora Vance   A = Ravi Kapoor\n"
        "Typed from the call recording; lightly edited, fillers mostly kept.\n\n",
        "*Recorded in March by the research team. The participant agreed to the recording.*\n\n",
        "[Recording starts after a short introduction that was not transcribed.]\n\n",
    ],
    ids=["title-and-date", "roster-block", "markdown-note", "bracketed-note"],
)
def test_headers_and_notes_are_not_reported_as_speech(header):
    t = read_transcript("crew.txt", (header + BODY).encode())
    assert not any("at the start" in n for n in t.notes), t.notes


def test_reads_as_speech():
    assert reads_as_speech("So before we start, thanks again for agreeing to be recorded.")
    assert not reads_as_speech("Crew scheduling call with Ravi Kapoor")
    assert not reads_as_speech("Date: 2026-03-02, recorded over video, about thirty minutes long.")
    assert not reads_as_speech("[Recording starts after a short introduction, not transcribed.]")


def test_word_paragraphs_are_counted_as_lines():
    paragraphs = [line for line in BODY.split("\n") if line]
    t = read_transcript("crew.docx", make_docx(paragraphs))
    assert t.notes == (
        "crew.docx: 2 lines without a speaker label were read as the previous speaker's",
    )


def test_otter_footer_and_teams_transcription_lines_are_not_carried():
    text = (
        "Nora Vance  0:02\nHow do you schedule crews today?\n\n"
        "Ravi Kapoor  0:07\nWhiteboard and a group chat.\n\n"
        "Ravi Kapoor stopped transcription\n\n"
        "Transcribed by https://otter.ai\n"
    )
    t = read_transcript("crew.txt", text.encode())
    assert turns(t)[-1] == ("Ravi Kapoor", "Whiteboard and a group chat.")
    assert t.notes == ()


def test_the_import_report_lists_the_notes(tmp_path):
    store = ProjectStore(tmp_path / "proj")
    try:
        report = import_files(store, [("crew.txt", (OPENING + BODY).encode())])
        (result,) = report.results
        assert result.status == "imported"
        assert [w.split(":", 2)[1].strip()[:12] for w in result.warnings] == [
            "2 unlabelled",
            "2 paragraphs",
        ]
        assert report.warnings == list(result.warnings)
    finally:
        store.close()
