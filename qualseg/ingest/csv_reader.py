"""CSV transcripts: one row per turn, with speaker and text columns found by header name.

Columns: speaker (``speaker``, ``name``, ``who``, ``role``...), text (``text``, ``utterance``,
``transcript``, ``content``, ``said``...), optional timestamp (``timestamp``, ``time``,
``start``...; ``hh:mm:ss``, ``mm:ss`` or seconds). Comma, semicolon, tab or ``|`` delimited.
A row with an empty speaker continues the previous turn.

The scanner here follows RFC 4180 and keeps offsets: a cell's spans are verbatim pieces of the
decoded file. A quoted cell's ``""`` (one literal quote) is split so that each span holds one
of the two quote characters and never both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from qualseg.errors import IngestError
from qualseg.ingest.timecode import any_seconds
from qualseg.ingest.turns import UNKNOWN_SPEAKER, TurnBuilder, line_end
from qualseg.models import Span, Utterance

DELIMITERS = (",", ";", "\t", "|")
MAX_COLUMNS = 200  # a transcript CSV has a handful; wider files are refused before parsing
SPEAKER_COLUMNS = ("speaker", "speaker name", "speaker label", "name", "who", "role", "person")
TEXT_COLUMNS = (
    "text",
    "utterance",
    "transcript",
    "content",
    "said",
    "what was said",
    "speech",
    "message",
    "line",
    "words",
    "dialogue",
    "dialog",
    "sentence",
    "transcription",
    "caption",
    "quote",
)
TIME_COLUMNS = (
    "timestamp",
    "time",
    "start",
    "start time",
    "time start",
    "begin",
    "offset",
    "timecode",
    "ts",
    "seconds",
    "start seconds",
)
_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')


@dataclass(frozen=True)
class Cell:
    """One CSV value and the verbatim (unstripped) pieces of the text that hold it."""

    value: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Row:
    """One CSV record and the line it starts on (from 1)."""

    line: int
    cells: tuple[Cell, ...]

    def value(self, column: int | None) -> str:
        if column is None or column >= len(self.cells):
            return ""
        return self.cells[column].value.strip()

    @property
    def blank(self) -> bool:
        return all(not c.value.strip() for c in self.cells)


def scan(source: str, text: str, delimiter: str) -> list[Row]:
    """Every record of ``text``.

    Raises:
        IngestError: a quoted value is never closed.
    """
    plain = re.compile(f"[^{re.escape(delimiter)}\\n]*")
    rows: list[Row] = []
    pos, line, n = 0, 1, len(text)
    while pos < n:
        row_line = line
        cells: list[Cell] = []
        while True:
            start = pos
            if pos < n and text[pos] == '"':
                m = _QUOTED.match(text, pos)
                if m is None:
                    raise IngestError(
                        source, f"line {row_line}: a quoted value is never closed (missing '\"')"
                    )
                pieces = _quoted_pieces(text, *m.span(1))
                value = m.group(1).replace('""', '"')
                pos = m.end()
                tail = plain.match(text, pos).end()
                if tail > pos:  # stray text after the closing quote: keep it
                    pieces.append((pos, tail))
                    value += text[pos:tail]
                    pos = tail
                cells.append(Cell(value, tuple(pieces)))
            else:
                end = plain.match(text, pos).end()
                cells.append(Cell(text[pos:end], ((pos, end),)))
                pos = end
            line += text.count("\n", start, pos)
            if len(cells) > MAX_COLUMNS:
                raise IngestError(source, _too_wide(len(cells), f"line {row_line}", more=True))
            if pos < n and text[pos] == delimiter:
                pos += 1
                continue
            if pos < n:  # a newline ends the record
                pos += 1
                line += 1
            break
        rows.append(Row(row_line, tuple(cells)))
    return rows


def _quoted_pieces(text: str, start: int, end: int) -> list[Span]:
    pieces = []
    k = text.find('""', start, end)
    while k >= 0:
        pieces.append((start, k + 1))
        start = k + 2
        k = text.find('""', start, end)
    pieces.append((start, end))
    return pieces


def normalise_header(value: str) -> str:
    """``" Speaker_Name "`` -> ``"speaker name"``."""
    return re.sub(r"[^\w]+|_", " ", value.casefold()).strip()


def find_column(headers: list[str], aliases: tuple[str, ...]) -> int | None:
    """The column whose header is one of ``aliases`` (earlier aliases win), or None."""
    for alias in aliases:
        if alias in headers:
            return headers.index(alias)
    for alias in aliases:
        for i, h in enumerate(headers):
            if len(alias) > 2 and alias in h.split():
                return i
    return None


def _first_line(text: str) -> str:
    """The first non-blank line, found without splitting the whole text."""
    pos = 0
    while pos < len(text):
        end = line_end(text, pos)
        if text[pos:end].strip():
            return text[pos:end]
        pos = end + 1
    return ""


def check_width(source: str, header: str) -> None:
    """Refuse a header line with more than :data:`MAX_COLUMNS` columns, before any parsing
    (a sheet of thousands of columns is not a transcript and would cost time and memory)."""
    widest = max(header.count(d) for d in DELIMITERS) + 1
    if widest > MAX_COLUMNS:
        raise IngestError(source, _too_wide(widest, "its header line"))


def _too_wide(columns: int, where: str, *, more: bool = False) -> str:
    count = f"more than {MAX_COLUMNS:,}" if more else f"{columns:,}"
    return (
        f"{where} has {count} columns, where a transcript CSV has a few (speaker, text, time; "
        f"at most {MAX_COLUMNS} are read): it looks like a data sheet, not a transcript"
    )


def rows_for_header(source: str, text: str, fits: Callable[[list[str]], bool]) -> list[Row]:
    """The non-blank records, header first, read with the delimiter whose header ``fits``.

    The delimiters found in the header line are tried, the most frequent first; when none
    fits, the most frequent one is used (for the error message).
    """
    first_line = _first_line(text)
    check_width(source, first_line)
    present = sorted((d for d in DELIMITERS if d in first_line), key=lambda d: -first_line.count(d))
    choice = present[0] if present else ","
    for delimiter in present:
        header = [normalise_header(h.strip().strip('"')) for h in first_line.split(delimiter)]
        if fits(header):
            choice = delimiter
            break
    return [r for r in scan(source, text, choice) if not r.blank]


def parse(source: str, text: str) -> tuple[Utterance, ...]:
    """Turns of a CSV transcript.

    Raises:
        IngestError: no speaker or text column, a broken quote, or no rows with text.
    """

    def fits(header: list[str]) -> bool:
        speaker = find_column(header, SPEAKER_COLUMNS)
        said = find_column(header, TEXT_COLUMNS)
        return speaker is not None and said is not None and speaker != said

    rows = rows_for_header(source, text, fits)
    header = [normalise_header(c.value) for c in rows[0].cells] if rows else []
    rows = rows[1:]
    if not fits(header):
        found = ", ".join(repr(h) for h in header[:8] if h) or "nothing"
        raise IngestError(
            source,
            "the CSV needs a header with a speaker column (speaker, name, who or role) and a "
            f"text column (text, utterance, transcript, content or said); found {found}",
        )
    speaker_col = find_column(header, SPEAKER_COLUMNS)
    text_col = find_column(header, TEXT_COLUMNS)
    time_col = find_column(header, TIME_COLUMNS)
    if time_col in (speaker_col, text_col):
        time_col = None
    builder = TurnBuilder(text)
    for row in rows:
        if text_col is None or text_col >= len(row.cells) or not row.value(text_col):
            continue
        speaker = row.value(speaker_col)
        if speaker or builder.current_speaker is None:
            builder.start_turn(speaker or UNKNOWN_SPEAKER, any_seconds(row.value(time_col)))
        for a, b in row.cells[text_col].spans:
            builder.add(a, b)
    utterances = builder.utterances()
    if not utterances:
        raise IngestError(source, "the CSV has no rows with text below the header")
    return utterances
