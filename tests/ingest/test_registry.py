"""Choosing a reader: the extension table, .txt sniffing, unknown types, the size limit."""

from __future__ import annotations

import pytest

from qualseg.errors import IngestError
from qualseg.ingest import MAX_BYTES, SUPPORTED_EXTENSIONS, read_transcript
from qualseg.ingest.registry import READERS, extension

from .conftest import fixture_bytes


def test_supported_extensions_come_from_the_one_table():
    assert SUPPORTED_EXTENSIONS == (".txt", ".vtt", ".srt", ".docx", ".csv", ".md")
    assert tuple(READERS) == SUPPORTED_EXTENSIONS
    assert MAX_BYTES == 20_000_000


@pytest.mark.parametrize(
    ("source", "ext"),
    [
        ("a.TXT", ".txt"),
        ("dir/Interview - Sofia Marquez.docx", ".docx"),
        ("C:\\Users\\maya\\call.VTT", ".vtt"),
        ("noext", ""),
        (".hidden", ""),
    ],
)
def test_extension(source, ext):
    assert extension(source) == ext


def test_extension_is_case_insensitive():
    t = read_transcript("SESSION.TXT", fixture_bytes("session_roles.txt"))
    assert t.format == "labelled_text" and t.source == "SESSION.TXT"


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("notes.pdf", "PDF files are not supported"),
        ("old.doc", "save it as .docx"),
        ("call.mp3", "recording"),
        ("data.json", "JSON"),
        ("weird.xyz", "unsupported file type (.xyz)"),
        ("README", "no file extension"),
    ],
)
def test_unknown_extension_lists_the_supported_ones(source, words):
    with pytest.raises(IngestError) as err:
        read_transcript(source, b"Maya: hi")
    assert err.value.source == source
    assert words in err.value.problem
    assert ".txt, .vtt, .srt, .docx, .csv" in err.value.problem


def test_file_over_the_limit():
    with pytest.raises(IngestError, match="more than the 20 MB limit") as err:
        read_transcript("huge.txt", b"Maya: hi\n" * (MAX_BYTES // 9 + 1))
    assert err.value.source == "huge.txt"
    assert "huge.txt" in str(err.value)


def test_custom_limit():
    with pytest.raises(IngestError, match="100 bytes limit"):
        read_transcript("a.txt", b"Maya: hi there\n" * 10, max_bytes=100)
    assert read_transcript("a.txt", b"Maya: hi there\n" * 6, max_bytes=100)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("otter_export.txt", "otter"),
        ("labelled_names.txt", "labelled_text"),
        ("qa_crlf.txt", "labelled_text"),
        ("rev_style.txt", "labelled_text"),
    ],
)
def test_txt_sniffing(name, fmt):
    assert read_transcript(name, fixture_bytes(name)).format == fmt


def test_bytearray_and_memoryview_are_accepted():
    data = fixture_bytes("session_roles.txt")
    assert read_transcript("a.txt", bytearray(data)).text == read_transcript("a.txt", data).text
    assert read_transcript("a.txt", memoryview(data)).utterances
