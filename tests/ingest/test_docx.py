"""Word .docx transcripts: Teams-style headers, 'Name: text' paragraphs, broken archives."""

from __future__ import annotations

import io
import zipfile

import pytest

from qualseg.errors import IngestError
from qualseg.ingest import read_transcript

from .conftest import (
    LABELLED_PARAGRAPHS,
    TEAMS_LEGACY_PARAGRAPHS,
    TEAMS_PARAGRAPHS,
    TEAMS_SINGLE_SPACE_PARAGRAPHS,
    make_docx,
)
from .invariants import check_transcript, timestamps, turns


def test_teams_style_headers(teams_docx):
    t = read_transcript("Interview - Sofia Marquez.docx", teams_docx)
    check_transcript(t)
    assert t.format == "docx_teams"
    assert t.text == "\n".join(TEAMS_PARAGRAPHS)
    assert turns(t) == [
        ("Maya Chen", "Hi Sofia, thanks for making the time. How are things at Verdant?"),
        (
            "Sofia Marquez",
            "Busy. We're in the middle of the produce season, so invoices are piling up. "
            "Honestly it's about four thousand a month right now.",
        ),
        ("Maya Chen", "How are they entered today?"),
        (
            "Sofia Marquez",
            "By hand. Carmen types every one of them into Sage, and I check the totals on Friday.",
        ),
    ]
    assert timestamps(t) == [3, 9, 31, 3725]
    assert t.roles == {"Maya Chen": "interviewer", "Sofia Marquez": "participant"}


def test_teams_single_space_and_surname_first():
    t = read_transcript("m.docx", make_docx(TEAMS_SINGLE_SPACE_PARAGRAPHS))
    check_transcript(t)
    assert turns(t) == [
        ("Chen, Maya", "Can you hear me?"),
        ("Marquez, Sofia", "Yes, loud and clear. We can start whenever you like."),
    ]


def test_older_teams_layout_with_timings():
    t = read_transcript("m.docx", make_docx(TEAMS_LEGACY_PARAGRAPHS))
    check_transcript(t)
    assert t.format == "docx_teams"
    assert turns(t) == [
        ("Maya Chen", "Hi Sofia, can you hear me?"),
        ("Sofia Marquez", "Yes. Sorry, the warehouse is loud today."),
    ]
    assert timestamps(t) == [0.0, 4.29]


def test_name_colon_paragraphs(labelled_docx):
    t = read_transcript("Customer call - J Osei.docx", labelled_docx)
    check_transcript(t)
    assert t.format == "docx_labelled"
    assert t.text == "\n".join(LABELLED_PARAGRAPHS)
    assert turns(t)[1] == (
        "Joseph Osei",
        "With the budget problem. Principals find out they overspent after the fact.",
    )
    assert t.roles == {"Jordan Ellis": "interviewer", "Joseph Osei": "participant"}


def test_paragraphs_in_tables_are_read_in_order():
    import docx

    document = docx.Document()
    document.add_paragraph("Maya Chen: Before the table?")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Priya Raman: Inside the table."
    document.add_paragraph("Maya Chen: After it?")
    out = io.BytesIO()
    document.save(out)
    t = read_transcript("t.docx", out.getvalue())
    assert [s for _, s in turns(t)] == ["Before the table?", "Inside the table.", "After it?"]


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"Maya Chen: this is plain text", "not a Word .docx"),
        (b"PK\x03\x04" + b"\x00" * 60, "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-format (.doc)"),
        (_zip({"hello.txt": b"hi"}), "without Word parts"),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}),
            "could not be opened as a Word document",
        ),
    ],
)
def test_malformed_docx(data, words):
    with pytest.raises(IngestError) as err:
        read_transcript("broken.docx", data)
    assert err.value.source == "broken.docx"
    assert words in err.value.problem


def test_truncated_docx(teams_docx):
    with pytest.raises(IngestError, match="damaged|could not be opened") as err:
        read_transcript("cut.docx", teams_docx[: len(teams_docx) // 2])
    assert "cut.docx" in str(err.value)


def test_corrupted_member_of_docx(teams_docx):
    data = bytearray(teams_docx)
    middle = len(data) // 3
    data[middle : middle + 200] = b"\x00" * 200
    with pytest.raises(IngestError):
        read_transcript("corrupt.docx", bytes(data))


def test_zip_bomb_by_ratio():
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * 5_000_000})
    assert len(bomb) < 20_000
    with pytest.raises(IngestError, match="zip bomb") as err:
        read_transcript("bomb.docx", bomb)
    assert "bomb.docx" in str(err.value)


def test_zip_bomb_by_total_size():
    entries = {"[Content_Types].xml": b"<Types/>"}
    entries.update({f"word/media/{i}.bin": b"\x00" * 100_000 for i in range(20)})
    data = _zip(entries)
    assert len(data) < 100_000
    with pytest.raises(IngestError, match="unpacks to") as err:
        read_transcript("big.docx", data, max_bytes=100_000)
    assert "big.docx" in str(err.value)


def test_docx_without_text():
    with pytest.raises(IngestError, match="no text"):
        read_transcript("empty.docx", make_docx([]))


def test_docx_without_speakers():
    data = make_docx(["Meeting notes", "We discussed the close process."])
    with pytest.raises(IngestError, match="no speaker labels found"):
        read_transcript("notes.docx", data)
