"""Export styles researchers bring: SRT ``[Name]`` speakers carried over unlabelled cues,
Google Meet/Docs name lines, Markdown bold labels, Q/A files whose header names the people, and
the text/Word layouts of Rev, Descript, Sonix, Trint, Fireflies and Zoom (synthetic fixtures
written after each tool's layout; no real people)."""

from __future__ import annotations

import pytest

from qualseg.errors import IngestError
from qualseg.importing import import_files
from qualseg.ingest import read_transcript
from qualseg.ingest.header_labels import label_names
from qualseg.store import ProjectStore

from .conftest import fixture_bytes, make_docx
from .invariants import check_no_markup, check_transcript, timestamps, turns


def read(name: str):
    t = read_transcript(name, fixture_bytes(name))
    check_transcript(t)
    return t


def test_srt_bracketed_speakers_carry_over_unlabelled_cues():
    t = read("bracket_speakers.srt")
    check_no_markup(t)
    assert t.format == "srt"
    assert turns(t) == [
        ("Hannah Okafor", "Hi Marcus, thanks for joining. Can you hear me?"),
        (
            "Marcus Lee",
            "Yes, loud and clear. Sorry, the depot is noisy today. [Music] (radio in the background)",
        ),
        ("Hannah Okafor", "No problem. How many vans do you run?"),
        ("Marcus Lee", "Forty-two, out of two depots. We tried a spreadsheet first."),
    ]
    assert timestamps(t) == [1.0, 5.0, 14.0, 18.0]
    assert t.roles == {"Hannah Okafor": "interviewer", "Marcus Lee": "participant"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("HANNAH OKAFOR: How many vans?", "MARCUS LEE: Forty-two."),
        (">> Hannah Okafor: How many vans?", ">> Marcus Lee: Forty-two."),
        ("[Hannah Okafor] How many vans?", "[Marcus Lee] Forty-two."),
    ],
)
def test_srt_label_styles(first, second):
    text = (
        f"1\n00:00:01,000 --> 00:00:02,000\n{first}\n\n"
        f"2\n00:00:03,000 --> 00:00:04,000\n{second}\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nWe tried a spreadsheet first.\n"
    )
    t = read_transcript("captions.srt", text.encode())
    check_transcript(t)
    assert [speech for _, speech in turns(t)] == [
        "How many vans?",
        "Forty-two. We tried a spreadsheet first.",
    ]


def test_bracketed_sounds_are_not_speakers():
    text = "1\n00:00:01,000 --> 00:00:02,000\n[Music] la la\n"
    with pytest.raises(IngestError, match="no speakers found"):
        read_transcript("song.srt", text.encode())


def test_google_meet_name_lines():
    t = read("google_meet.txt")
    assert t.format == "google_meet"
    assert turns(t) == [
        ("Hannah Okafor", "Hi Lena! Can you hear me?"),
        (
            "Lena Kowalczyk",
            "Yes! Sorry, one second, that's my dog. She thinks every call is for her. Right",
        ),
        ("Hannah Okafor", "How many hospitals do you run today?"),
        ("Lena Kowalczyk", "Eleven. When I started we were six."),
    ]
    assert "Attendees" not in t.speech_between(0, len(t.text))
    assert "Meeting ended" not in t.speech_between(0, len(t.text))
    assert t.roles == {"Hannah Okafor": "interviewer", "Lena Kowalczyk": "participant"}


def test_markdown_bold_labels_and_list_items():
    t = read("markdown_bold.md")
    assert t.format == "markdown"
    assert turns(t) == [
        ("Marta Ilves", "Good afternoon, Glenn. Can you hear me all right?"),
        (
            "Glenn Habersham",
            "I can, Marta. I just came back from a wedding. It was in a barn. (laughs)",
        ),
        ("Marta Ilves", "Who is responsible for the fleet?"),
        (
            "Glenn Habersham",
            "Rusty Pell is our fleet supervisor. I'm in charge of what we pay for things.",
        ),
    ]
    assert all("*" not in t.text[a:b] for u in t.utterances for a, b in u.spans)


@pytest.mark.parametrize(
    ("name", "participant"),
    [("qa_header_names.txt", "Harold Duquesne"), ("qa_role_header.txt", "Ingrid Solberg")],
)
def test_q_and_a_header_names_the_participant(name, participant):
    t = read(name)
    assert t.roles == {"Q": "interviewer", "A": "participant"}
    assert t.participant_names == {"A": participant}


def test_label_names():
    assert label_names("Q = Hannah Okafor (research)   A = Tom Kowalczyk (owner)\n") == {
        "q": "Hannah Okafor",
        "a": "Tom Kowalczyk",
    }
    assert label_names("Interviewee (A): Ingrid Solberg, CTO\n") == {
        "a": "Ingrid Solberg",
        "interviewee": "Ingrid Solberg",
    }
    assert label_names("Budget = 3 million\nA = the answer\n") == {}


def test_two_q_and_a_files_give_two_named_participants(tmp_path):
    store = ProjectStore(tmp_path / "proj")
    try:
        report = import_files(
            store,
            [(n, fixture_bytes(n)) for n in ("qa_header_names.txt", "qa_role_header.txt")],
        )
        assert not report.failed, [r.text for r in report.failed]
        assert sorted(p.display_name for p in store.participants()) == [
            "Harold Duquesne",
            "Ingrid Solberg",
        ]
    finally:
        store.close()


# -- the layouts of transcription tools -------------------------------------------------------

CREW_TURNS = [
    ("Nora Vance", "Thanks for making time. How do you schedule crews today?"),
    ("Ravi Kapoor", "Whiteboard and a group chat. It falls apart when someone calls in sick."),
    ("Nora Vance", "What happens then?"),
    ("Ravi Kapoor", "I spend the morning on the phone instead of on site."),
]
LUNCH = " And the chat scrolls away by lunch."
CREW_ROLES = {"Nora Vance": "interviewer", "Ravi Kapoor": "participant"}


def _with_lunch(turns_: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = list(turns_)
    out[1] = (out[1][0], out[1][1] + LUNCH)
    return out


@pytest.mark.parametrize(
    ("name", "expected", "times", "format_name"),
    [
        # Descript: "[00:00:02] Name: text"
        ("descript_export.txt", CREW_TURNS, [2, 7, 15, 18], "labelled_text"),
        # Sonix: "Name: [00:00:02] text", more timecodes inside the speech
        ("sonix_export.txt", _with_lunch(CREW_TURNS), [2, 7, 15, 18], "labelled_text"),
        # Trint: "Name [00:00:02]" above the paragraph
        ("trint_export.txt", _with_lunch(CREW_TURNS), [2, 7, 15, 18], "otter"),
        # Fireflies: "Name - 00:02" above the paragraph
        ("fireflies_export.txt", CREW_TURNS, [2, 7, 15, 18], "otter"),
        # Zoom's saved meeting transcript: "[Name] 10:02:15" (a clock time)
        ("zoom_saved.txt", CREW_TURNS, [36135, 36140, 36148, 36151], "otter"),
        # Rev with generic speakers: "Speaker 1 (00:02):" above the paragraph
        (
            "rev_generic_speakers.txt",
            [
                (s.replace("Nora Vance", "Speaker 1").replace("Ravi Kapoor", "Speaker 2"), t)
                for s, t in CREW_TURNS
            ],
            [2, 7, 15, 18],
            "labelled_text",
        ),
    ],
)
def test_tool_export_layouts(name, expected, times, format_name):
    t = read(name)
    assert t.format == format_name
    assert turns(t) == expected
    assert timestamps(t) == times
    assert set(t.roles.values()) == {"interviewer", "participant"}
    assert t.roles[expected[0][0]] == "interviewer"
    assert t.roles[expected[1][0]] == "participant"
    for u in t.utterances:  # no timecode inside a quote
        assert all("[00:" not in t.text[a:b] for a, b in u.spans)


def test_trint_time_first_headers():
    text = "".join(f"[00:00:{k:02d}] {s}\n{speech}\n\n" for k, (s, speech) in enumerate(CREW_TURNS))
    t = read_transcript("trint.txt", text.encode())
    check_transcript(t)
    assert turns(t) == CREW_TURNS
    assert timestamps(t) == [0, 1, 2, 3]


@pytest.mark.parametrize("blank_lines", [True, False], ids=["txt", "docx-paragraphs"])
def test_fireflies_name_then_time_lines(blank_lines):
    paragraphs = []
    for k, (speaker, speech) in enumerate(CREW_TURNS):
        paragraphs += [speaker, f"00:{2 + 5 * k:02d}", speech] + ([""] if blank_lines else [])
    t = read_transcript("fireflies.docx", make_docx(paragraphs))
    check_transcript(t)
    assert t.format == "docx_name_lines"
    assert turns(t) == CREW_TURNS
    assert timestamps(t) == [2, 7, 12, 17]
    assert t.roles == CREW_ROLES


@pytest.mark.parametrize(
    ("header", "format_name"),
    [("{name} [00:00:{s:02d}]", "docx_teams"), ("{name} - 00:{s:02d}", "docx_teams")],
    ids=["trint", "fireflies"],
)
def test_word_exports_with_headers_above_the_paragraph(header, format_name):
    paragraphs = []
    for k, (speaker, speech) in enumerate(CREW_TURNS):
        paragraphs += [header.format(name=speaker, s=k), speech]
    t = read_transcript("export.docx", make_docx(["Crew scheduling call", *paragraphs]))
    check_transcript(t)
    assert t.format == format_name
    assert turns(t) == CREW_TURNS
    assert t.roles == CREW_ROLES


def test_rev_word_export_with_names_and_times():
    paragraphs = []
    for k, (speaker, speech) in enumerate(CREW_TURNS):
        paragraphs += [f"{speaker} (00:{k:02d}):", speech]
    t = read_transcript("rev.docx", make_docx(paragraphs))
    check_transcript(t)
    assert turns(t) == CREW_TURNS
    assert timestamps(t) == [0, 1, 2, 3]


def test_vtt_chevron_speakers_carry_over_unlabelled_cues():
    t = read("chevron_speakers.vtt")
    check_no_markup(t)
    assert turns(t) == [
        CREW_TURNS[0],
        ("Ravi Kapoor", "Whiteboard and a group chat. It falls apart when someone calls in sick."),
        *CREW_TURNS[2:],
    ]
    assert t.roles == CREW_ROLES
