"""Google Meet / Google Docs transcripts: the speaker's name alone on a line, then the speech.

::

    Hannah Okafor
    Hi Lena! Can you hear me?

    Lena Kowalczyk
    Hi! Yes! Hi Hannah. ...

A name line follows a blank line (or starts the file) and is followed by speech, or is
followed by a time alone on a line (``Maya Chen`` / ``00:05`` / speech, as Fireflies writes it,
blank lines or not); a speaker counts only when named on at least two such lines. Lines before the first name line (the
title, ``Attendees``, ``Transcript``) are a header; a time alone on a line (``00:05:12``) and
``Meeting ended after 00:13:09`` are not speech.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from qualseg.errors import IngestError
from qualseg.ingest.labelled_text import NO_LABELS
from qualseg.ingest.names import is_speaker_label
from qualseg.ingest.timecode import CLOCK, clock_seconds
from qualseg.ingest.turns import Head, lines_with_offsets, normalise_speaker, turns_at_lines
from qualseg.models import Utterance

_NOT_SPEECH = re.compile(
    rf"[ \t]*(?:\[?{CLOCK}\]?|meeting ended after\b[^\n]*|transcription ended after\b[^\n]*)[ \t]*",
    re.IGNORECASE,
)
_TIME_LINE = re.compile(rf"[ \t]*\[?(?P<clock>{CLOCK})\]?[ \t]*")
MIN_TURNS = 2  # name lines a speaker needs to count as one


def _is_name_line(line: str) -> bool:
    line = line.strip()
    return bool(line) and line[-1].isalpha() and is_speaker_label(line)


def find_heads(text: str) -> dict[int, Head]:
    """Line start offset -> turn start, for the lines of ``text`` that start a turn (the
    reader's choice counts them and then parses: found once per text)."""
    return dict(_find_heads(text))


@lru_cache(maxsize=1)
def _find_heads(text: str) -> tuple[tuple[int, Head], ...]:
    """Line start offset -> turn head, for the name lines of ``text``."""
    lines = lines_with_offsets(text)
    blank = [not text[a:b].strip() for a, b in lines]
    found: dict[int, Head] = {}
    for i, (a, b) in enumerate(lines):
        if i + 1 >= len(lines) or blank[i + 1]:
            continue
        timed = _TIME_LINE.fullmatch(text, *lines[i + 1])
        if i and not blank[i - 1] and not timed:
            continue
        if _is_name_line(text[a:b]) and not _is_name_line(text[slice(*lines[i + 1])]):
            seconds = clock_seconds(timed.group("clock")) if timed else None
            found[a] = Head(normalise_speaker(text[a:b]), seconds)
    counts = Counter(head.speaker.casefold() for head in found.values())
    kept = {a: h for a, h in found.items() if counts[h.speaker.casefold()] >= MIN_TURNS}
    return tuple(kept.items()) if len({h.speaker.casefold() for h in kept.values()}) >= 2 else ()


def count_heads(text: str) -> int:
    """How many lines are speaker-name lines (for choosing a reader)."""
    return len(find_heads(text))


def not_speech(text: str) -> list[int]:
    """Start offsets of lines that are neither speech nor a name: a lone time, 'Meeting ended'."""
    return [a for a, b in lines_with_offsets(text) if _NOT_SPEECH.fullmatch(text, a, b)]


def parse(source: str, text: str) -> tuple[Utterance, ...]:
    """Turns of a Google Meet / Docs transcript.

    Raises:
        IngestError: no speaker-name line anywhere.
    """
    utterances = turns_at_lines(text, find_heads(text), not_speech(text))
    if not utterances:
        raise IngestError(source, NO_LABELS)
    return utterances


cached_finder = _find_heads  # for registry.forget_texts
