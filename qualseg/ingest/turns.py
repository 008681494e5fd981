"""Collecting speaker turns as verbatim spans of the transcript text.

Every reader walks its text from start to end and hands spans to a :class:`TurnBuilder`, which
strips surrounding whitespace, splits at line breaks (one span per line piece), drops empty
pieces and keeps the spans in order, so the offset invariants hold by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from qualseg.ingest.unlabelled import report_unlabelled
from qualseg.models import Span, Utterance

UNKNOWN_SPEAKER = "Unknown speaker"
# HTML tags that only format text (bold names in exports), never content.
FORMAT_TAG = re.compile(
    r"</?(?:b|strong|i|em|u|span|font|mark|small|big)(?:[ \t][^<>\n]{0,200})?/?>", re.IGNORECASE
)
_SPACES = re.compile(r"\s+")
# A timecode in square brackets inside the speech: a marker of the export, never words.
INLINE_TIMECODE = re.compile(r"\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\]")
# One line's text without the whitespace around it: from the first to the last non-space.
_LINE_PIECE = re.compile(r"\S(?:[^\n]*\S)?")


@dataclass(frozen=True)
class Head:
    """Where a turn starts on a line of the text.

    Attributes:
        speaker: the label as written.
        timestamp: seconds, if the line has a time.
        speech_start: offset in the line where the speech begins; None when the rest of the line
            is not speech (an Otter header's time).
    """

    speaker: str
    timestamp: float | None = None
    speech_start: int | None = None


def stripped(text: str, start: int, end: int) -> Span | None:
    """``(start, end)`` narrowed to exclude surrounding whitespace; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def line_spans(text: str, start: int, end: int) -> list[Span]:
    """The stripped, non-empty line pieces of ``text[start:end]``, without the bracketed
    timecodes some tools write inside the speech (``... sick. [00:00:12] And ...``, Sonix)."""
    if start >= end:
        return []
    pieces = []
    for m in _LINE_PIECE.finditer(text, start, end):
        a, b = m.span()
        if text.find("[", a, b) >= 0:
            for stamp in INLINE_TIMECODE.finditer(text, a, b):
                pieces += _stripped_pieces(text, a, stamp.start())
                a = stamp.end()
            pieces += _stripped_pieces(text, a, b)
        else:
            pieces.append((a, b))
    return pieces


def _stripped_pieces(text: str, start: int, end: int) -> list[Span]:
    piece = stripped(text, start, end)
    return [piece] if piece else []


def line_end(text: str, start: int) -> int:
    """The offset of the end of the line that ``start`` is on (its LF, or the text's end)."""
    nl = text.find("\n", start)
    return len(text) if nl < 0 else nl


def turns_at_lines(
    text: str, heads: dict[int, Head], skipped: Iterable[int] = ()
) -> tuple[Utterance, ...]:
    """The turns of a text whose turns start on known lines.

    Args:
        text: the transcript text.
        heads: line start offset -> where a turn starts on that line.
        skipped: start offsets of lines that are not speech (a footer).

    Lines before the first head are a header, not speech; every other line continues the
    current turn. Opening paragraphs that read as speech, and the paragraphs carried to the
    previous speaker, are noted for the import report (:mod:`qualseg.ingest.unlabelled`).
    """
    skipped = set(skipped)
    starts = sorted(heads)
    report_unlabelled(text, starts, [heads[s].speech_start is not None for s in starts], skipped)
    events = sorted({*heads, *skipped})
    builder = TurnBuilder(text)
    for k, start in enumerate(events):
        end = line_end(text, start)
        head = heads.get(start)
        if head is not None:
            builder.start_turn(head.speaker, head.timestamp)
            if head.speech_start is not None:
                builder.add(start + head.speech_start, end)
        following = events[k + 1] if k + 1 < len(events) else len(text)
        if builder.current_speaker is not None and end + 1 < following:
            builder.add(end + 1, following)
    return builder.utterances()


def normalise_speaker(label: str) -> str:
    """A speaker label with HTML formatting tags removed (``<b>Maya</b>`` -> ``Maya``: some
    tools export bold names as HTML) and runs of whitespace collapsed to one space. Other
    markup stays, for :func:`qualseg.ingest.labels_check.check_labels` to refuse."""
    return _SPACES.sub(" ", FORMAT_TAG.sub("", label)).strip()


@dataclass
class _Turn:
    speaker: str
    timestamp: float | None
    spans: list[Span] = field(default_factory=list)


class TurnBuilder:
    """Accumulates turns in text order and builds the :class:`Utterance` tuple.

    Speaker labels that differ only in case or spacing are one speaker, spelled as first seen.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._turns: list[_Turn] = []
        self._names: dict[str, str] = {}
        self._last_end = 0

    @property
    def current_speaker(self) -> str | None:
        return self._turns[-1].speaker if self._turns else None

    def speaker(self, label: str) -> str:
        """The canonical spelling of a label."""
        label = normalise_speaker(label)
        return self._names.setdefault(label.casefold(), label)

    def start_turn(self, label: str, timestamp: float | None = None) -> None:
        """Begin a new turn, even when the speaker is the same as the last one."""
        self._turns.append(_Turn(self.speaker(label), timestamp))

    def continue_or_start(self, label: str, timestamp: float | None = None) -> None:
        """Keep adding to the current turn when ``label`` is its speaker, else begin a new one."""
        if self.current_speaker != self.speaker(label):
            self.start_turn(label, timestamp)
        elif self._turns[-1].timestamp is None:
            self._turns[-1].timestamp = timestamp

    def add(self, start: int, end: int) -> None:
        """Add the speech in ``text[start:end]`` (split at line breaks) to the current turn."""
        if not self._turns:
            raise ValueError("add() before start_turn()")
        for a, b in line_spans(self.text, start, end):
            if a < self._last_end:
                raise ValueError(f"span {(a, b)} is before the previous span's end")
            self._turns[-1].spans.append((a, b))
            self._last_end = b

    def utterances(self) -> tuple[Utterance, ...]:
        """The non-empty turns, numbered from 0."""
        kept = [t for t in self._turns if t.spans]
        return tuple(
            Utterance(index=i, speaker=t.speaker, spans=tuple(t.spans), timestamp=t.timestamp)
            for i, t in enumerate(kept)
        )


def lines_with_offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text`` (split at LF only), without the LF."""
    out = []
    pos = 0
    n = len(text)
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            out.append((pos, n))
            return out
        out.append((pos, nl))
        pos = nl + 1
