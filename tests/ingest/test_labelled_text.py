"""Plain text with 'Name:' labels, Interviewer:/Participant:, Q:/A:."""

from __future__ import annotations

import pytest

from qualseg.errors import IngestError
from qualseg.ingest import read_transcript
from qualseg.ingest.labelled_text import match_label

from .conftest import fixture_bytes
from .invariants import check_transcript, timestamps, turns


def read(name: str):
    t = read_transcript(name, fixture_bytes(name))
    check_transcript(t)
    return t


def test_names_header_continuations_and_false_labels():
    t = read("labelled_names.txt")
    assert t.format == "labelled_text"
    assert turns(t) == [
        ("Maya Chen", "Thanks for making the time, Priya. How's the week going?"),
        (
            "Priya Raman",
            "Busy, honestly. We closed January yesterday, so I'm running on coffee. [laughs]",
        ),
        ("Maya Chen", "Can you walk me through how approvals work today?"),
        (
            "Priya Raman",
            "Sure. Most of it happens in email. Our AP clerk, José Núñez-García, forwards the "
            "invoice, and then he waits. Meeting at 10:30 tomorrow to go over it, actually. "
            "See https://intranet.example.com/ap-policy for the policy we never follow. "
            "Note: Priya shared her screen here. Honestly: it's a mess. [inaudible] and then "
            "somebody pays it twice.",
        ),
        ("Dr. Siobhán O'Neill", "Sorry to jump in, that's exactly what the auditors said."),
        ("Maya Chen", "What happened after the audit?"),
        ("Priya Raman", "We got a finding. That was the trigger, really."),
    ]
    # the header (title, date line, "Note:") is not speech
    assert t.utterances[0].start == t.text.index("Thanks for making")
    assert timestamps(t) == [None] * 7


def test_interviewer_participant_labels_with_header():
    t = read("session_roles.txt")
    assert [s for s, _ in turns(t)] == ["Interviewer", "Participant"] * 3 + ["Interviewer"]
    assert turns(t)[3] == (
        "Participant",
        "They don't, really. They email me and ask how much is left, and I pull a report from "
        "NetSuite. It's two weeks stale by then.",
    )


def test_q_and_a_labels():
    t = read("qa_crlf.txt")
    assert [s for s, _ in turns(t)] == ["Q", "A"] * 3
    assert turns(t)[0] == ("Q", "Thanks for joining, Elin. Where are you calling from?")


def test_rev_style_labels_with_timestamps_and_speech_on_the_next_line():
    t = read("rev_style.txt")
    assert [s for s, _ in turns(t)][:3] == ["Speaker 1", "Speaker 2", "Speaker 3"]
    assert turns(t)[2] == ("Speaker 3", "Sorry, wrong room.")
    assert timestamps(t) == [0.0, 4.0, 15.0, 18.0, 21.0, 40.0, 43.0]


def test_leading_timestamps():
    t = read("timestamped_labels.txt")
    assert timestamps(t) == [2.0, 5.0, 9.0, 62.0, 90.0]
    assert turns(t)[3] == (
        "Beatriz Ferreira",
        "Ten days of copy and paste. We export from Stripe, clean it in Excel, then paste it "
        "into Xero line by line.",
    )


def test_roster_lines_in_the_header_are_not_turns():
    text = (
        "Interviewer: Maya Chen\nParticipant: Priya Raman, Bluepeak Freight\n\n"
        "Maya Chen: How are approvals done?\n\nPriya Raman: By email, mostly.\n"
    )
    t = read_transcript("roster.txt", text.encode())
    check_transcript(t)
    assert turns(t) == [
        ("Maya Chen", "How are approvals done?"),
        ("Priya Raman", "By email, mostly."),
    ]
    assert "header" in t.role_reasons["Maya Chen"]
    assert t.roles == {"Maya Chen": "interviewer", "Priya Raman": "participant"}


@pytest.mark.parametrize(
    ("line", "speaker", "speech"),
    [
        ("Maya Chen: Hello", "Maya Chen", "Hello"),
        ("  Interviewer 1: Next question", "Interviewer 1", "Next question"),
        ("I: So, tell me", "I", "So, tell me"),
        ("P2: Sure", "P2", "Sure"),
        ("Moderator: Welcome", "Moderator", "Welcome"),
        ("Respondent: Yes", "Respondent", "Yes"),
        ("Customer: We pay late", "Customer", "We pay late"),
        ("Researcher: Why?", "Researcher", "Why?"),
        ("**Maya Chen:** Bold label", "Maya Chen", "Bold label"),
        ("**Maya Chen**: Bold name", "Maya Chen", "Bold name"),
        ("Maya Chen (Ledgerly): Hi", "Maya Chen", "Hi"),
        ("[00:01:02] Maya Chen: Hi", "Maya Chen", "Hi"),
        ("00:01:02 - Maya Chen: Hi", "Maya Chen", "Hi"),
        ("Maya Chen [01:02]: Hi", "Maya Chen", "Hi"),
        ("Jean-Luc O'Brien: Oui", "Jean-Luc O'Brien", "Oui"),
        ("Ana de Souza: Olá", "Ana de Souza", "Olá"),
        ("Zoë Brennan：Full-width colon", "Zoë Brennan", "Full-width colon"),
        ("J. Osei: Short", "J. Osei", "Short"),
        ("MAYA CHEN: Shouting", "MAYA CHEN", "Shouting"),
        ("Maya Chen:", "Maya Chen", ""),
    ],
)
def test_labels(line, speaker, speech):
    label = match_label(line)
    assert label is not None
    assert label.speaker == speaker
    assert line[label.speech_start :].strip() == speech


@pytest.mark.parametrize(
    "line",
    [
        "Note: the audio dropped",
        "Date: 2026-02-19",
        "https://otter.ai/u/abc",
        "Meeting at 10:30 tomorrow",
        "10:30: standup",
        "The key thing is this: nobody approves anything",
        "We had three problems: speed, cost and trust",
        "Next steps: send the proposal",
        "and then: boom",
        "Action items: none",
        "So basically what happened with the very long label: text",
        "Ratio 3:1 is fine",
        "",
        ":",
    ],
)
def test_not_labels(line):
    assert match_label(line) is None


def test_prose_without_labels_is_refused():
    text = b"We talked about the close process for an hour.\nIt was good.\n"
    with pytest.raises(IngestError, match="no speaker labels found") as err:
        read_transcript("notes.txt", text)
    assert err.value.source == "notes.txt"
    assert "Name: text" in err.value.problem


def test_a_line_before_any_label_is_header_not_speech():
    t = read_transcript("h.txt", b"Title line\nMaya: Hi?\nPriya: Hello.\n")
    assert t.utterances[0].start == len("Title line\nMaya: ")
    assert turns(t) == [("Maya", "Hi?"), ("Priya", "Hello.")]


def test_labels_differing_in_case_are_one_speaker():
    t = read_transcript("h.txt", b"INTERVIEWER: Hi?\nparticipant: Hello.\ninterviewer: Bye?\n")
    assert t.speakers == ["INTERVIEWER", "participant"]


def test_otter_footer_is_not_speech():
    t = read_transcript("f.txt", b"Maya: Hi?\nPriya: Hello.\n\nTranscribed by https://otter.ai\n")
    assert turns(t)[-1] == ("Priya", "Hello.")
