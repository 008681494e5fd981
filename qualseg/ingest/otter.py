"""Otter-style text (also Teams/Zoom paragraphs): a header line per turn, then the speech.

``Maya Chen  0:03`` (name, spaces, ``m:ss`` or ``h:mm:ss``; a bracketed ``[00:00:03]`` is
accepted too, as are ``Maya Chen - 00:03`` as Fireflies writes it and the time first,
``[00:00:03] Maya Chen``, as Trint can, and ``[Maya Chen] 10:02:15`` as Zoom saves a meeting's
transcript) starts a turn; the following lines up to the next header are its speech. Lines
before the first header are a title, not speech; ``Transcribed by https://otter.ai`` is
ignored.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qualseg.errors import IngestError
from qualseg.ingest.labelled_text import NO_LABELS, footer_lines
from qualseg.ingest.names import is_header_name
from qualseg.ingest.timecode import CLOCK, clock_seconds
from qualseg.ingest.turns import Head, normalise_speaker, turns_at_lines
from qualseg.models import Utterance

_CLOCKS = rf"(?:\[(?P<a>{CLOCK})\]|\((?P<b>{CLOCK})\)|(?P<c>{CLOCK}))"
# "Maya Chen  0:03", "Maya Chen [00:00:03]" (Trint), "Maya Chen - 00:03" (Fireflies).
_HEADER = re.compile(rf"[ \t]*(?P<name>[^\s:：].*?)(?:[ \t]+[-–—|])?[ \t]+{_CLOCKS}[ \t]*")
# "[00:00:03] Maya Chen" (Trint), "00:03 - Maya Chen": the time first.
_TIME_FIRST = re.compile(rf"[ \t]*{_CLOCKS}(?:[ \t]+[-–—|])?[ \t]+(?P<name>[^\s:：\d].*?)[ \t]*")
# A line with a clock near its end or its start: the only lines that can be turn headers.
_CANDIDATE = re.compile(
    r"^(?:[^\n]{1,110}\d:\d\d[^\n]{0,16}|[ \t]*[\[(]?\d{1,3}:\d\d[^\n]{1,110})$", re.MULTILINE
)


def match_header(line: str) -> Head | None:
    """The turn header on ``line``, or None."""
    if len(line) > 120:
        return None
    m = _HEADER.fullmatch(line)
    if m is None or not is_header_name(_unbracketed(m.group("name"))):
        m = _TIME_FIRST.fullmatch(line)
        if m is None or not is_header_name(_unbracketed(m.group("name"))):
            return None
    seconds = clock_seconds(m.group("a") or m.group("b") or m.group("c"))
    return Head(normalise_speaker(_unbracketed(m.group("name"))), seconds)


def _unbracketed(name: str) -> str:
    """``[Maya Chen]`` -> ``Maya Chen`` (Zoom's saved meeting transcript)."""
    name = name.strip()
    return name[1:-1].strip() if name.startswith("[") and name.endswith("]") else name


def find_headers(text: str) -> dict[int, Head]:
    """Line start offset -> turn start, for the lines of ``text`` that start a turn (the
    reader's choice counts them and then parses: found once per text)."""
    return dict(_find_headers(text))


@lru_cache(maxsize=1)
def _find_headers(text: str) -> tuple[tuple[int, Head], ...]:
    """Line start offset -> header, for the turn header lines of ``text``."""
    found = {}
    for m in _CANDIDATE.finditer(text):
        header = match_header(m.group())
        if header is not None:
            found[m.start()] = header
    return tuple(found.items())


def count_headers(text: str) -> int:
    """How many lines are turn headers (for choosing a reader)."""
    return len(find_headers(text))


def parse(source: str, text: str) -> tuple[Utterance, ...]:
    """Turns of an Otter-style transcript.

    Raises:
        IngestError: no turn header anywhere.
    """
    utterances = turns_at_lines(text, find_headers(text), footer_lines(text))
    if not utterances:
        raise IngestError(source, NO_LABELS)
    return utterances


cached_finder = _find_headers  # for registry.forget_texts
