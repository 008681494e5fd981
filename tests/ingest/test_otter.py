"""Otter-style exports: 'Name  0:03' header lines, then the paragraph(s)."""

from __future__ import annotations

from qualseg.ingest import read_transcript

from .conftest import fixture_bytes
from .invariants import check_transcript, timestamps, turns


def test_otter_export():
    t = read_transcript("otter_export.txt", fixture_bytes("otter_export.txt"))
    check_transcript(t)
    assert t.format == "otter"
    assert turns(t) == [
        ("Maya Chen", "Hi Tom, thanks for jumping on. How's the site?"),
        (
            "Tom Kellerman",
            "Muddy. We poured the foundation at the school yesterday and it rained all night. "
            "Anyway. Let's do this.",
        ),
        ("Maya Chen", "How long does your month-end close take today?"),
        (
            "Tom Kellerman",
            "Eleven, twelve days. Every subcontractor invoice gets typed in by Linda, and then I "
            "check it against the job.",
        ),
        ("Speaker 3", "Tom, the inspector is here."),
        ("Tom Kellerman", "Tell him five minutes."),
        ("Maya Chen", "What would you want instead?"),
        ("Tom Kellerman", "Close in four days, and Linda doing analysis instead of data entry."),
    ]
    assert timestamps(t) == [3, 9, 21, 25, 58, 62, 65, 3667]
    assert t.roles == {
        "Maya Chen": "interviewer",
        "Tom Kellerman": "participant",
        "Speaker 3": "other",
    }
    # the title and the date line are not speech; the Otter footer is not speech
    assert "Transcribed" not in " ".join(s for _, s in turns(t))


def test_speaker_numbers_single_space_and_bracketed_times():
    text = (
        "Speaker 1  0:03\nWhat do you do?\n\n"
        "Speaker 2 0:07\nI run accounts payable.\n\n"
        "Speaker 1  [00:00:12]\nFor how long?\n\n"
        "Speaker 2  (0:15)\nSix years.\n"
    )
    t = read_transcript("o.txt", text.encode())
    check_transcript(t)
    assert t.format == "otter"
    assert timestamps(t) == [3, 7, 12, 15]
    assert turns(t)[1] == ("Speaker 2", "I run accounts payable.")


def test_header_like_speech_lines_do_not_switch_speakers():
    text = (
        "Maya Chen  0:03\nWhen do you close?\n\n"
        "Tom Kellerman  0:09\nWe start on the 3rd.\nAt 10:30 the meeting begins.\n"
    )
    t = read_transcript("o.txt", text.encode())
    assert turns(t)[1] == ("Tom Kellerman", "We start on the 3rd. At 10:30 the meeting begins.")
