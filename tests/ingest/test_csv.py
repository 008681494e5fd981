"""CSV transcripts and the offset-keeping CSV scanner."""

from __future__ import annotations

import pytest

from qualseg.errors import IngestError
from qualseg.ingest import read_transcript
from qualseg.ingest.csv_reader import scan

from .conftest import fixture_bytes
from .invariants import check_transcript, timestamps, turns


def test_speaker_text_timestamp_columns():
    t = read_transcript("transcript.csv", fixture_bytes("transcript.csv"))
    check_transcript(t)
    assert t.format == "csv"
    assert turns(t) == [
        ("Maya Chen", "Hi Hannah! Oh — is that a cat?"),
        ("Hannah Cho", "Yes, sorry, that's Mochi. She walks across my keyboard."),
        ("Maya Chen", "How do approvals work today?"),
        (
            "Hannah Cho",
            # the doubled quotes of '""looks good""' split the spans; read back, they are verbatim
            'Approvals happen wherever. Somebody says "looks good" in a thread, or sends a '
            "thumbs-up. And that's what the auditor sees, which is not great.",
        ),
        ("Maya Chen", "Right. And the audit?"),
        (
            "Hannah Cho",
            "We got a finding on segregation of duties. It was the second year in a row.",
        ),
    ]
    assert timestamps(t) == [2, 7, 65, 83.5, 113, 130]
    # a span is the cell's verbatim content, never the quotes around it
    first = t.utterances[1].spans[0]
    assert t.text[first[0] - 1] == '"'


def test_semicolon_delimiter_and_other_header_names():
    t = read_transcript("semicolon.csv", fixture_bytes("semicolon.csv"))
    check_transcript(t)
    assert turns(t)[1] == ("Grace Whitaker", "Busy; we opened two hotels this spring.")
    assert timestamps(t) == [3, 8, 15, 19]


def test_tab_delimiter_and_column_order():
    text = "Text\tWho\nHow long is the close?\tMaya\nTen days.\tPriya\n"
    t = read_transcript("t.csv", text.encode())
    check_transcript(t)
    assert turns(t) == [("Maya", "How long is the close?"), ("Priya", "Ten days.")]
    assert timestamps(t) == [None, None]


def test_missing_columns():
    with pytest.raises(IngestError, match="speaker column") as err:
        read_transcript("data.csv", b"id,value\n1,hello\n")
    assert "'id', 'value'" in err.value.problem
    assert err.value.source == "data.csv"


def test_unclosed_quote():
    with pytest.raises(IngestError, match="line 2: a quoted value is never closed"):
        read_transcript("q.csv", b'speaker,text\nMaya,"Hello there\nPriya,hi\n')


def test_no_rows():
    with pytest.raises(IngestError, match="no rows with text"):
        read_transcript("h.csv", b"speaker,text\n")


def test_scanner_offsets_and_values():
    text = 'a,"b ""c"" d",e\n"multi\nline",,"x"\nlast,"",\n'
    rows = scan("s.csv", text, ",")
    assert [[c.value for c in r.cells] for r in rows] == [
        ["a", 'b "c" d', "e"],
        ["multi\nline", "", "x"],
        ["last", "", ""],
    ]
    assert [r.line for r in rows] == [1, 2, 4]
    quoted = rows[0].cells[1]
    assert [text[a:b] for a, b in quoted.spans] == ['b "', 'c"', " d"]
    assert "".join(text[a:b] for a, b in quoted.spans) == quoted.value
