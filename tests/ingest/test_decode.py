"""Encodings, line endings and binary files."""

from __future__ import annotations

import pytest

from qualseg.errors import IngestError
from qualseg.ingest import read_transcript
from qualseg.ingest.decode import decode_bytes

from .conftest import fixture_bytes
from .invariants import check_transcript, turns

ZOE_TURNS = [
    ("Lukas Novak", "So, Zoë, what’s the “real” problem with approvals?"),
    (
        "Zoë Brennan",
        "Honestly – nobody knows who signed off. We’re a café-sized team of five, "
        "and the auditors asked for a trail we don’t have.",
    ),
    ("Lukas Novak", "And the fix?"),
    ("Zoë Brennan", "Rules in the system… not in people’s heads."),
]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("utf8_bom.txt", "utf-8-sig"),
        ("utf16le_bom.txt", "utf-16-le"),
        ("utf16be_bom.txt", "utf-16-be"),
        ("cp1252_smart_quotes.txt", "cp1252"),
        ("mac_cr.txt", "utf-8"),
    ],
)
def test_encodings_and_line_endings_give_the_same_transcript(name, encoding):
    t = read_transcript(name, fixture_bytes(name))
    check_transcript(t)
    assert t.encoding == encoding
    assert "\r" not in t.text and "\ufeff" not in t.text
    assert t.text.startswith("Interview with Zoë Brennan")
    assert turns(t) == ZOE_TURNS
    assert t.roles == {"Lukas Novak": "interviewer", "Zoë Brennan": "participant"}


def test_crlf_is_normalised():
    t = read_transcript("qa_crlf.txt", fixture_bytes("qa_crlf.txt"))
    assert "\r" not in t.text
    assert turns(t)[3] == (
        "A",
        "In a spreadsheet that I update every Monday. It is always out of date by Tuesday.",
    )


def test_utf16_without_bom_is_recognised():
    text = "Maya Chen: Hi there?\nPriya Raman: Hello, nice to meet you.\n"
    decoded = decode_bytes("x.txt", text.encode("utf-16-le"))
    assert decoded.text == text and decoded.encoding == "utf-16-le"


def test_short_cp1252_file_is_read_as_windows_1252():
    decoded = decode_bytes("x.txt", "Maya: naïve “quote” – 5 €\n".encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.text == "Maya: naïve “quote” – 5 €\n"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (fixture_bytes("screenshot.txt"), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", ".doc"),
        (b"{\\rtf1\\ansi Maya: hi}", "RTF"),
    ],
)
def test_binary_files_are_refused_with_their_kind(data, kind):
    with pytest.raises(IngestError) as err:
        read_transcript("notes.txt", data)
    assert err.value.source == "notes.txt"
    assert "looks like a binary file" in err.value.problem
    assert kind in err.value.problem
    assert "notes.txt" in str(err.value)


def test_nul_bytes_are_refused():
    with pytest.raises(IngestError, match="binary file"):
        read_transcript("x.txt", b"Maya: hi\x00\x00\x01\x02 there\x00 and \xff\x00\x13")


def test_control_characters_are_refused():
    with pytest.raises(IngestError, match="binary file"):
        read_transcript("x.txt", bytes(range(1, 32)) * 4)


@pytest.mark.parametrize("ext", [".txt", ".vtt", ".srt", ".csv", ".docx"])
def test_empty_file(ext):
    with pytest.raises(IngestError, match="empty") as err:
        read_transcript(f"blank{ext}", b"")
    assert err.value.source == f"blank{ext}"


@pytest.mark.parametrize("data", [b"   \n\n\t  \r\n", b"\xef\xbb\xbf \n", "\u3000\n".encode()])
def test_whitespace_only_file(data):
    with pytest.raises(IngestError, match="no text") as err:
        read_transcript("blank.txt", data)
    assert "blank.txt" in str(err.value)


def test_undecodable_bytes():
    with pytest.raises(IngestError, match="could not be decoded") as err:
        read_transcript("garbled.txt", bytes(range(0x80, 0x100)) * 3)
    assert "garbled.txt" in str(err.value)


def test_bad_utf16_after_a_bom():
    with pytest.raises(IngestError, match="UTF-16 LE"):
        read_transcript("x.txt", b"\xff\xfe" + "Maya: hi".encode("utf-16-le") + b"\x00\xd8")
