"""WebVTT and SRT captions: voice tags, name prefixes, markup, joined cues."""

from __future__ import annotations

import pytest

from qualseg.errors import IngestError
from qualseg.ingest import read_transcript

from .conftest import fixture_bytes
from .invariants import check_no_markup, check_transcript, timestamps, turns


def read(name: str):
    t = read_transcript(name, fixture_bytes(name))
    check_transcript(t)
    check_no_markup(t)
    return t


def test_vtt_voice_tags_notes_styles_and_inline_markup():
    t = read("voice_tags.vtt")
    assert t.format == "vtt"
    assert turns(t) == [
        ("Maya Chen", "Hi Marcus, thanks for jumping on. Can you hear me alright?"),
        (
            "Marcus Halvorsen",
            "Loud and clear. Sorry I'm late, I was on with a knee surgeon. Long story. "
            "Anyway, go ahead. and tell me what you need.",
        ),
        ("Maya Chen", "How many invoices a month?"),
        ("Marcus Halvorsen", "About 2,400 &amp; growing."),
    ]
    assert timestamps(t) == [1.296, 9.791, 26.0, 29.5]
    # consecutive cues of one speaker are one turn with one span per cue line piece
    marcus = t.utterances[1]
    assert [t.text[a:b] for a, b in marcus.spans] == [
        "Loud and clear. Sorry I'm late,",
        "I was on with a",
        "knee",
        "surgeon.",
        "Long story.",
        "Anyway,",
        "go ahead.",
        "and tell me what you need.",
    ]
    assert "STYLE" not in t.speech_between(0, len(t.text))


def test_vtt_name_prefixes_and_cues_without_a_speaker():
    t = read("name_prefixes.vtt")
    assert turns(t) == [
        ("Jordan Ellis", "Hi Rafael, thanks for joining. Can you hear me alright?"),
        (
            "Rafael Duarte",
            "Yes, I hear you. Give me one second, I'm closing the door. Okay. Sorry, my office "
            "is right next to the break room.",
        ),
        ("Jordan Ellis", "No worries. What's the biggest risk in AP today?"),
        (
            "Rafael Duarte",
            "Fraud, honestly. Somebody emailed us new bank details for a vendor last spring. "
            "We almost paid it.",
        ),
    ]
    assert timestamps(t) == [1.861, 7.159, 19.999, 22.5]
    assert t.roles == {"Jordan Ellis": "interviewer", "Rafael Duarte": "participant"}


def test_vtt_several_voices_in_one_cue_and_no_header():
    text = (
        "00:01.000 --> 00:04.000\n<v Maya Chen>Ready?</v> <v Tom>Yes.</v>\n\n"
        "00:04.500 --> 00:06.000\n- <v Maya Chen>Good.\n"
    )
    t = read_transcript("x.vtt", text.encode())
    check_transcript(t)
    check_no_markup(t)
    assert turns(t) == [("Maya Chen", "Ready?"), ("Tom", "Yes."), ("Maya Chen", "Good.")]
    assert timestamps(t) == [1.0, 1.0, 4.5]


def test_vtt_without_speakers_is_refused():
    text = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello there.\n"
    with pytest.raises(IngestError, match="no speakers found") as err:
        read_transcript("zoom.vtt", text)
    assert err.value.source == "zoom.vtt"


def test_vtt_without_cues_is_refused():
    with pytest.raises(IngestError, match="no captions found"):
        read_transcript("x.vtt", b"WEBVTT\n\nNOTE nothing here\n")


def test_srt_prefixes_tags_and_missing_blank_line():
    t = read("subtitles.srt")
    assert t.format == "srt"
    assert turns(t) == [
        ("Maya Chen", "Hi Aisha, thanks for taking the time. How's your week going?"),
        ("Aisha Bello", "Oh, it's going. It's board prep week. So I'm running on tea."),
        ("Maya Chen", "Ha. What's hardest about the forecast?"),
        (
            "Aisha Bello",
            "Budget owners find out they overspent weeks later. Nobody sees committed spend "
            "until the invoice lands.",
        ),
    ]
    assert timestamps(t) == [2.958, 8.837, 21.1, 26.0]
    assert t.roles == {"Maya Chen": "interviewer", "Aisha Bello": "participant"}


def test_srt_without_speakers_is_refused():
    text = b"1\n00:00:01,000 --> 00:00:02,000\nHello there.\n"
    with pytest.raises(IngestError, match="no speakers found"):
        read_transcript("film.srt", text)


def test_srt_without_cues_is_refused():
    with pytest.raises(IngestError, match="no subtitles found") as err:
        read_transcript("x.srt", b"Maya: this is not an srt file\n")
    assert "x.srt" in str(err.value)


@pytest.mark.parametrize("name", ["voice_tags.vtt", "subtitles.srt", "name_prefixes.vtt"])
def test_captions_saved_as_txt_are_sniffed(name):
    data = fixture_bytes(name)
    as_txt = read_transcript(name.rsplit(".", 1)[0] + ".txt", data)
    original = read_transcript(name, data)
    assert as_txt.format == original.format
    assert turns(as_txt) == turns(original)


def test_vtt_with_voice_tags_ignores_colon_words_in_speech():
    text = (
        "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Maya Chen>What matters most?\n\n"
        "00:04.000 --> 00:08.000\n<v Priya Raman>Two things.\nAuditors: they want a trail.\n"
    )
    t = read_transcript("x.vtt", text.encode())
    assert turns(t) == [
        ("Maya Chen", "What matters most?"),
        ("Priya Raman", "Two things. Auditors: they want a trail."),
    ]


def test_dialogue_dashes_are_not_speech():
    text = "1\n00:00:01,000 --> 00:00:02,000\n- Maya: Ready?\n- Tom: Yes.\n>> Maya: Go.\n"
    t = read_transcript("x.srt", text.encode())
    check_no_markup(t)
    assert turns(t) == [("Maya", "Ready?"), ("Tom", "Yes."), ("Maya", "Go.")]
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Maya>- Ready?\n- <v Tom>Yes.\n"
    t = read_transcript("x.vtt", text.encode())
    assert turns(t) == [("Maya", "Ready?"), ("Tom", "Yes.")]
