"""Otter-style text (also Teams/Zoom paragraphs): a header line per turn, then the speech.

``Maya Chen  0:03`` (name, spaces, ``m:ss`` or ``h:mm:ss``; a bracketed ``[00:00:03]`` is
accepted too) starts a turn; the following lines up to the next header are its speech. Lines
before the first header are a title, not speech; ``Transcribed by https://otter.ai`` is
ignored.
"""

from __future__ import annotations

import re

from qualseg.errors import IngestError
from qualseg.ingest.labelled_text import FOOTER, NO_LABELS
from qualseg.ingest.names import is_header_name
from qualseg.ingest.timecode import CLOCK, clock_seconds
from qualseg.ingest.turns import TurnBuilder, lines_with_offsets
from qualseg.models import Utterance

_HEADER = re.compile(
    rf"[ \t]*(?P<name>[^\s:：].*?)[ \t]+(?:\[(?P<a>{CLOCK})\]|\((?P<b>{CLOCK})\)|(?P<c>{CLOCK}))"
    r"[ \t]*"
)


def match_header(line: str) -> tuple[str, float | None] | None:
    """(speaker, seconds) when ``line`` is a turn header, else None."""
    if len(line) > 120:
        return None
    m = _HEADER.fullmatch(line)
    if m is None or not is_header_name(m.group("name")):
        return None
    return m.group("name").strip(), clock_seconds(m.group("a") or m.group("b") or m.group("c"))


def count_headers(text: str) -> int:
    """How many lines are turn headers (for choosing a reader)."""
    return sum(match_header(text[a:b]) is not None for a, b in lines_with_offsets(text))


def parse(source: str, text: str) -> tuple[Utterance, ...]:
    """Turns of an Otter-style transcript.

    Raises:
        IngestError: no turn header anywhere.
    """
    builder = TurnBuilder(text)
    for a, b in lines_with_offsets(text):
        header = match_header(text[a:b])
        if header is not None:
            builder.start_turn(*header)
        elif builder.current_speaker is not None and not FOOTER.match(text, a, b):
            builder.add(a, b)
    utterances = builder.utterances()
    if not utterances:
        raise IngestError(source, NO_LABELS)
    return utterances
