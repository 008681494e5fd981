"""SubRip (.srt) captions: numbered cues, ``00:00:01,000 --> 00:00:04,200``, text lines.

Tolerated: missing blank lines between cues, blank lines inside a cue's text, a dot instead of
the comma, a missing cue number. Speakers (``Name: `` prefixes, voice tags) and joining: see
:mod:`qualseg.ingest.cues`.
"""

from __future__ import annotations

import re

from qualseg.errors import IngestError
from qualseg.ingest.cues import (
    Cue,
    cue_at,
    cues_to_utterances,
    is_timing_like,
)
from qualseg.ingest.turns import lines_with_offsets
from qualseg.models import Utterance

NO_CUES = "no subtitles found; expected cues like '00:00:01,000 --> 00:00:04,200' then the text"
_INDEX = re.compile(r"[ \t]*\d+[ \t]*")


def parse(source: str, text: str) -> tuple[Utterance, ...]:
    """Turns of an SRT file.

    Raises:
        IngestError: no cues, or no cue names a speaker.
    """
    lines = lines_with_offsets(text)
    cues: list[Cue] = []
    cue: Cue | None = None
    timed = 0
    for i, (a, b) in enumerate(lines):
        opened, valid = cue_at(text, a, b)
        if opened is not None:
            cue = opened
            cues.append(cue)
            timed += valid
        elif cue is not None and text[a:b].strip() and not _is_index(text, lines, i):
            cue.lines.append((a, b))
    if not timed:  # not one valid timing line: not subtitles at all
        raise IngestError(source, NO_CUES)
    return cues_to_utterances(source, text, cues)


def _is_index(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """A cue number: digits alone on a line, with a timing line (valid or not) next."""
    return (
        _INDEX.fullmatch(text, *lines[i]) is not None
        and i + 1 < len(lines)
        and is_timing_like(text, *lines[i + 1])
    )
