"""WebVTT captions (Teams, Zoom, YouTube exports).

Blocks are separated by blank lines: the ``WEBVTT`` header block, ``NOTE``/``STYLE``/``REGION``
blocks (skipped), and cues: an optional identifier line, a timing line
(``00:00:01.000 --> 00:00:06.500`` or ``00:01.000 --> ...``, settings allowed), then text lines.
A missing ``WEBVTT`` line is tolerated. Speakers and joining: see :mod:`qualseg.ingest.cues`.
"""

from __future__ import annotations

from qualseg.errors import IngestError
from qualseg.ingest.cues import (
    Cue,
    cue_at,
    cues_to_utterances,
)
from qualseg.ingest.turns import lines_with_offsets
from qualseg.models import Span, Utterance

NO_CUES = "no captions found; expected cues like '00:00:01.000 --> 00:00:04.000' then the text"
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


def _blocks(text: str) -> list[list[Span]]:
    blocks: list[list[Span]] = []
    current: list[Span] = []
    for a, b in lines_with_offsets(text):
        if text[a:b].strip():
            current.append((a, b))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse(source: str, text: str) -> tuple[Utterance, ...]:
    """Turns of a WebVTT file.

    Raises:
        IngestError: no cues, or no cue names a speaker.
    """
    cues: list[Cue] = []
    timed = 0
    for k, block in enumerate(_blocks(text)):
        first = text[block[0][0] : block[0][1]].strip()
        if k == 0 and first.startswith("WEBVTT"):
            continue
        word = first.split(maxsplit=1)[0] if first else ""
        if word in _SKIPPED_BLOCKS and "-->" not in first:
            continue
        cue: Cue | None = None
        for a, b in block:
            opened, valid = cue_at(text, a, b)
            if opened is not None:
                cue = opened
                cues.append(cue)
                timed += valid
            elif cue is not None:
                cue.lines.append((a, b))
    if not timed:  # not one valid timing line: not captions at all
        raise IngestError(source, NO_CUES)
    return cues_to_utterances(source, text, cues)
