"""participants.csv."""

from __future__ import annotations

import pytest

from qualseg.errors import IngestError
from qualseg.ingest import read_participants_csv
from qualseg.ingest.metadata import ParticipantRecord

from .conftest import fixture_bytes


def test_participants_csv():
    records = read_participants_csv("participants.csv", fixture_bytes("participants.csv"))
    assert records[0] == ParticipantRecord(
        file="interview_bluepeak.txt",
        participant="Priya Raman",
        fields={
            "role": "Controller",
            "company_size": "250-500",
            "industry": "Logistics",
            "region": "US West",
            "outcome": "bought",
        },
    )
    assert list(records[0].fields) == ["role", "company_size", "industry", "region", "outcome"]
    # quoted values keep their commas; empty cells are left out
    assert records[2].fields["industry"] == "Retail, stores"
    assert "outcome" not in records[2].fields
    with pytest.raises(AttributeError):
        records[0].file = "x"  # frozen


def test_name_column_only_semicolons_bom_and_crlf():
    data = "\ufeffName;Segment;Region\r\nPriya Raman;B;US West\r\nTom Kellerman;A;\r\n"
    records = read_participants_csv("participants.csv", data.encode("utf-8"))
    assert records == [
        ParticipantRecord(None, "Priya Raman", {"Segment": "B", "Region": "US West"}),
        ParticipantRecord(None, "Tom Kellerman", {"Segment": "A"}),
    ]


def test_file_column_only_and_trailing_separators():
    data = b"File,Outcome,\ninterview_11.srt,bought,\n\n"
    assert read_participants_csv("p.csv", data) == [
        ParticipantRecord("interview_11.srt", None, {"Outcome": "bought"})
    ]


def test_two_participants_of_one_file():
    data = b"file,participant\ncall.vtt,Ana de Souza\ncall.vtt,Mark Liu\n"
    assert [r.participant for r in read_participants_csv("p.csv", data)] == [
        "Ana de Souza",
        "Mark Liu",
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n", "no text"),
        (b"id,role\n1,CFO\n", "needs a 'file' column or a 'participant'"),
        (b"participant,role\n", "no participant rows"),
        (b"participant,role\nPriya,CFO\npriya,COO\n", "line 3 repeats participant 'priya'"),
        (b"file,role\na.txt,CFO\nA.TXT,COO\n", "line 3 repeats file 'A.TXT'"),
        (b"file,participant,role\na.txt,Priya,CFO\n, ,COO\n", "line 3 has neither"),
        (b"participant,role\nPriya,CFO,extra\n", "3 values but the header has 2"),
        (b"participant,role,role\nPriya,CFO,x\n", "the column 'role' twice"),
        (b"participant,,role\nPriya,x,CFO\n", "column without a name"),
        (b'participant,role\n"Priya,CFO\n', "never closed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    ],
)
def test_bad_participants_csv(data, words):
    with pytest.raises(IngestError) as err:
        read_participants_csv("participants.csv", data)
    assert err.value.source == "participants.csv"
    assert words in err.value.problem
