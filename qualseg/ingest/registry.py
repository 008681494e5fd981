"""The one table of readers: file extension -> how to load the bytes and parse the text.

``.txt`` and ``.md`` are sniffed: WebVTT or SRT content saved as text, Otter/Teams-style header
lines, Google Meet/Docs name lines, or ``Name:`` labels (Markdown ``**Name:**`` included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from qualseg.errors import IngestError
from qualseg.ingest import csv_reader, docx_reader, labelled_text, meet, otter, srt, vtt
from qualseg.ingest.cues import TIMING
from qualseg.ingest.decode import Decoded, decode_bytes
from qualseg.models import Utterance

Loader = Callable[[str, bytes, int], Decoded]
Parser = Callable[[str, str], tuple[str, tuple[Utterance, ...]]]


def load_text(source: str, data: bytes, max_bytes: int) -> Decoded:
    """Decode a text file (the size was checked already)."""
    return decode_bytes(source, data)


@dataclass(frozen=True)
class Reader:
    """How one file type is read: bytes -> text (``load``), text -> (format, turns)."""

    description: str
    parse: Parser
    load: Loader = load_text


def _as(format_name: str, parse: Callable[[str, str], tuple[Utterance, ...]]) -> Parser:
    def parse_as(source: str, text: str) -> tuple[str, tuple[Utterance, ...]]:
        return format_name, parse(source, text)

    return parse_as


def parse_plain_text(source: str, text: str) -> tuple[str, tuple[Utterance, ...]]:
    """A .txt file: captions saved as text, Otter-style headers, Google Meet name lines, or
    ``Name:`` labels."""
    lines = [ln.strip() for ln in text.split("\n", 200)[:200] if ln.strip()]
    if lines and lines[0].startswith("WEBVTT"):
        return "vtt", vtt.parse(source, text)
    for line in lines[:3]:
        m = TIMING.fullmatch(line)
        if m:
            if "," in m.group("start"):
                return "srt", srt.parse(source, text)
            return "vtt", vtt.parse(source, text)
    headers, labels = otter.count_headers(text), labelled_text.count_labels(text)
    if meet.count_heads(text) > max(headers, labels):
        return "google_meet", meet.parse(source, text)
    if headers > labels:
        return "otter", otter.parse(source, text)
    return "labelled_text", labelled_text.parse(source, text)


def parse_markdown(source: str, text: str) -> tuple[str, tuple[Utterance, ...]]:
    """A .md file: read as plain text; ``**Name:**`` labels are named "markdown"."""
    format_name, utterances = parse_plain_text(source, text)
    return ("markdown" if format_name == "labelled_text" else format_name), utterances


READERS: dict[str, Reader] = {
    ".txt": Reader(
        "plain text with 'Name:' labels (also Interviewer:/Participant:, Q:/A:), "
        "Otter-style 'Name  0:03' headers or Google Meet name lines",
        parse_plain_text,
    ),
    ".vtt": Reader(
        "WebVTT captions with <v Name> voice tags or 'Name: ' cue text", _as("vtt", vtt.parse)
    ),
    ".srt": Reader("SRT subtitles with 'Name: ' or '[Name] ' cue text", _as("srt", srt.parse)),
    ".docx": Reader(
        "Word document: Teams-style 'Name  0:03' headers or 'Name: text' paragraphs",
        docx_reader.parse,
        docx_reader.load,
    ),
    ".csv": Reader(
        "CSV with speaker and text columns (optional timestamp)", _as("csv", csv_reader.parse)
    ),
    ".md": Reader(
        "Markdown with '**Name:** text', '**Name**: text' or '- **Name:** text' paragraphs",
        parse_markdown,
    ),
}

_ADVICE = {
    ".doc": "old Word .doc files are not supported; open it in Word and save it as .docx",
    ".pdf": "PDF files are not supported; export the transcript as .txt, .docx or .vtt",
    ".rtf": "RTF files are not supported; save it as .docx or plain text (.txt)",
    ".odt": "OpenDocument files are not supported; save it as .docx",
    ".xlsx": "Excel files are not supported; save the sheet as CSV (.csv)",
    ".xls": "Excel files are not supported; save the sheet as CSV (.csv)",
    ".pages": "Pages files are not supported; export it as .docx",
    ".json": "JSON transcripts are not supported; export the transcript as .txt, .vtt or .docx",
}


def forget_texts() -> None:
    """Drop the turn starts cached while a text was sniffed and parsed (each finder keeps its
    last text, so that choosing a reader and parsing find them once)."""
    for finder in (labelled_text.cached_finder, otter.cached_finder, meet.cached_finder):
        finder.cache_clear()


def supported_list() -> str:
    return ", ".join(READERS)


def extension(source: str) -> str:
    """The lower-case extension of a file name (``"Interview.DOCX"`` -> ``".docx"``)."""
    name = source.replace("\\", "/")
    return PurePosixPath(name).suffix.lower()


def reader_for(source: str) -> Reader:
    """The reader for a file name.

    Raises:
        IngestError: no extension, or one qualseg does not read.
    """
    ext = extension(source)
    if ext in READERS:
        return READERS[ext]
    if not ext:
        problem = "has no file extension, so its format is unknown"
    elif ext in _ADVICE:
        problem = _ADVICE[ext]
    elif ext in {".mp3", ".mp4", ".m4a", ".wav", ".mov", ".webm", ".ogg"}:
        problem = f"is a recording ({ext}); qualseg reads transcripts, not audio or video"
    else:
        problem = f"has an unsupported file type ({ext})"
    raise IngestError(source, f"{problem}; supported types: {supported_list()}")
