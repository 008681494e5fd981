"""Role detection: labels, statistics, several participants, bystanders, name hints."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qualseg.ingest import detect_roles, read_transcript
from qualseg.ingest.roles import is_question, leading_name, names_match

from .conftest import fixture_bytes


def read(name: str):
    return read_transcript(name, fixture_bytes(name))


def text_transcript(text: str):
    return read_transcript("t.txt", text.encode())


def test_explicit_labels_with_reasons_and_display_name_from_header():
    t = read("session_roles.txt")
    assert t.roles == {"Interviewer": "interviewer", "Participant": "participant"}
    assert t.role_reasons["Interviewer"].startswith("labelled 'Interviewer'; asks 3 of 3 questions")
    assert t.participant_names == {"Participant": "Daniel Okafor"}


def test_q_and_a_display_name_from_header():
    t = read("qa_crlf.txt")
    assert t.roles == {"Q": "interviewer", "A": "participant"}
    assert t.participant_names == {"A": "Elin Lindqvist"}


def test_statistics_reason_wording():
    t = read("labelled_names.txt")
    assert t.roles["Maya Chen"] == "interviewer"
    assert t.role_reasons["Maya Chen"] == "asks 3 of 3 questions, 22% of words"
    assert t.roles["Priya Raman"] == "participant"
    assert t.role_reasons["Priya Raman"] == "69% of words, asks 0 of 3 questions"


def test_bystander_with_one_line_is_other():
    t = read("labelled_names.txt")
    assert t.roles["Dr. Siobhán O'Neill"] == "other"
    assert t.role_reasons["Dr. Siobhán O'Neill"].startswith("says little: 1 turn")
    assert read("rev_style.txt").roles["Speaker 3"] == "other"


def test_two_participants_on_one_call():
    t = read("multi_participant.txt")
    assert t.roles == {
        "Jordan Ellis": "interviewer",
        "Ana de Souza": "participant",
        "Mark Liu": "participant",
    }


def test_two_interviewers_and_one_participant():
    t = text_transcript(
        "Maya Chen: Could you introduce yourself?\n"
        "Priya Raman: I'm the controller at Bluepeak. I run a team of six and we close the books "
        "every month in about eleven days, which is far too slow for a company our size.\n"
        "Jordan Ellis: What slows it down?\n"
        "Priya Raman: Manual entry, mostly. Invoices arrive as PDFs and somebody types every line "
        "into the ERP, then somebody else checks the typing against the PDF again.\n"
        "Maya Chen: How many people touch an invoice?\n"
        "Priya Raman: Three, sometimes four if the amount is over the approval threshold.\n"
        "Jordan Ellis: And what would you change?\n"
        "Priya Raman: I'd take the typing out completely and let people review exceptions only.\n"
    )
    assert t.roles == {
        "Maya Chen": "interviewer",
        "Priya Raman": "participant",
        "Jordan Ellis": "interviewer",
    }


def test_single_speaker_is_the_participant():
    t = text_transcript("Priya Raman: We close in eleven days.\nIt is too slow.\n")
    assert t.roles == {"Priya Raman": "participant"}
    assert t.role_reasons["Priya Raman"].startswith("the only speaker")


def test_interviewer_who_talks_a_lot_is_still_found_by_questions():
    t = text_transcript(
        "Maya: Thanks for joining. Before we start, let me tell you about our study and how we "
        "use these notes, which takes a minute. So, how do you approve invoices today?\n"
        "Tom: Email.\n"
        "Maya: And who signs off on the big ones, and how do you know they did it?\n"
        "Tom: The CFO. We don't, really.\n"
    )
    assert t.roles == {"Maya": "interviewer", "Tom": "participant"}


def test_participant_name_hint_matches_a_speaker():
    t = read("multi_participant.txt")
    hinted = detect_roles(t, participant_name="Mark Liu")
    assert hinted.roles["Mark Liu"] == "participant"
    assert "matches the participant name 'Mark Liu'" in hinted.role_reasons["Mark Liu"]
    assert hinted.participant_names == {}


def test_participant_name_hint_with_initials_gives_display_name():
    t = text_transcript(
        "Jordan Ellis: How do principals track budgets?\n"
        "J. Osei: They email me. Every week, every school, the same question about money left.\n"
    )
    hinted = detect_roles(t, participant_name="Joseph Osei")
    assert hinted.roles["J. Osei"] == "participant"
    assert hinted.participant_names == {"J. Osei": "Joseph Osei"}


def test_participant_name_hint_names_a_generic_label():
    t = read("session_roles.txt")
    hinted = detect_roles(t, participant_name="Dan Okafor-Reid")
    assert hinted.participant_names == {"Participant": "Dan Okafor-Reid"}
    assert hinted.roles == t.roles


def test_detect_roles_replaces_previous_results():
    t = read("session_roles.txt")
    stale = replace(t, roles={"x": "other"}, role_reasons={"x": "?"}, participant_names={"x": "y"})
    assert detect_roles(stale) == t


def test_no_participant_is_kept_not_refused():
    t = text_transcript("Interviewer: Hello?\nQ: Anyone there?\n")
    assert t.roles == {"Interviewer": "interviewer", "Q": "interviewer"}


@pytest.mark.parametrize(
    ("speech", "question"),
    [
        ("How many invoices a month?", True),
        ("So, tell me about your role.", True),
        ("And walk me through approvals", True),
        ("Mm-hmm.", False),
        ("We close in ten days.", False),
        ("Right? " + "word " * 50, False),
        ("Is that a cat?'", True),
    ],
)
def test_is_question(speech, question):
    assert is_question(speech) is question


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Daniel Okafor, Brightwave Media — 2026-02-19", "Daniel Okafor"),
        ("J. Osei from Lumen Charter Schools", "J. Osei"),
        ("Ana de Souza (Northwind)", "Ana de Souza"),
        ("the finance team", None),
        ("Ledgerly", "Ledgerly"),
    ],
)
def test_leading_name(text, name):
    assert leading_name(text) == name


@pytest.mark.parametrize(
    ("hint", "label", "same"),
    [
        ("Joseph Osei", "J Osei", True),
        ("Joseph Osei", "J. Osei", True),
        ("Maya Chen", "Chen, Maya", True),
        ("Daniel Okafor", "Daniel", True),
        ("Daniel Okafor", "Okafor", True),
        ("Daniel Okafor", "Maya Chen", False),
        ("Daniel Okafor", "Participant", False),
        ("Joseph Osei", "Kwame Osei", False),
    ],
)
def test_names_match(hint, label, same):
    assert names_match(hint, label) is same


def test_header_naming_the_interviewer_does_not_make_them_the_participant():
    t = text_transcript(
        "Interview with Maya Chen and the Bluepeak team\n\n"
        "Maya Chen: How do you approve invoices?\n\n"
        "Priya Raman: By email. It is slow and there is no trail at all, which the auditors hate, "
        "and we pay some invoices twice because nobody can see what was already approved.\n\n"
        "Maya Chen: What would you change?\n\n"
        "Priya Raman: I would put the approval rules into the system and stop chasing people.\n"
    )
    assert t.roles == {"Maya Chen": "interviewer", "Priya Raman": "participant"}


def test_quiet_note_taker_with_a_few_short_turns_is_other():
    lines = []
    for i in range(15):
        lines.append(f"Maya Chen: What happened in month {i}?")
        lines.append(
            "Priya Raman: We closed late again because the invoices came in after the cutoff and "
            "nobody had coded them, so the team worked through the weekend to catch up."
        )
    lines[10:10] = ["Sam Lee: Thanks.", "Sam Lee: Noted."]
    t = text_transcript("\n".join(lines))
    assert t.roles == {"Maya Chen": "interviewer", "Priya Raman": "participant", "Sam Lee": "other"}
    assert t.role_reasons["Sam Lee"] == "says little: 2 turns, <1% of words"


def test_participant_named_in_header_roster_line():
    t = text_transcript(
        "Participant: Priya Raman\n\nSpeaker 1: How are invoices approved?\n\n"
        "Speaker 2: By email.\n"
    )
    assert t.participant_names == {"Speaker 2": "Priya Raman"}
    assert t.roles["Speaker 2"] == "participant"
