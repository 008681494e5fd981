"""Caption cues (WebVTT, SRT) to turns.

The speaker of a cue line comes from a voice tag (``<v Maya Chen>``, ``<v.loud Maya>``) or, in
files without voice tags, a ``Name: `` prefix (``NAME:`` and ``>> Name:`` too) or a bracketed
``[Name] `` prefix; a line without one continues the previous speaker, also across cues (files
that name the speaker only on the first cue of each turn).
Consecutive pieces of one speaker are joined into one turn with one span per piece. Markup
(``<i>``, ``<c.yellow>``, ``<00:01.000>``, ``{\\an8}``, a leading dialogue dash) is never
inside a span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qualseg.errors import IngestError
from qualseg.ingest.labelled_text import match_label
from qualseg.ingest.names import is_speaker_label, word_set
from qualseg.ingest.notes import note
from qualseg.ingest.timecode import clock_seconds
from qualseg.ingest.turns import UNKNOWN_SPEAKER, Head, TurnBuilder, normalise_speaker, stripped
from qualseg.models import Span, Utterance

_TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
TIMING = re.compile(rf"[ \t]*(?P<start>{_TIME})[ \t]*-->[ \t]*(?P<end>{_TIME})(?:[ \t].*)?")
TAG = re.compile(
    r"</?(?:v|c|i|b|u|s|lang|ruby|rt|font|span|em|strong|br)(?:[.\s/][^<>\n]*)?>"
    r"|<\d{1,3}(?::\d{2}){1,2}(?:[.,]\d{1,3})?>"
    r"|\{\\[^{}\n]*\}",
    re.IGNORECASE,
)
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?[ \t]+(?P<name>[^<>\n]*)>", re.IGNORECASE)
_DASH = re.compile(r"[ \t]*(?:>>|[-–—](?=[ \t]))[ \t]*")
_BRACKET = re.compile(r"\[[ \t]*(?P<name>[^\[\]\n]{1,40}?)[ \t]*\][ \t]*(?=\S)")
# Bracketed sound cues that are not speakers ("[Music] ...", "[Crosstalk] ...").
_SOUNDS = word_set(
    "music applause laughter laughs laughing crosstalk inaudible silence noise background "
    "unintelligible cough coughs pause sighs foreign blank_audio"
)
NO_SPEAKERS = (
    "no speakers found in the captions; expected voice tags like '<v Name>' or cue text "
    "starting with 'Name: ' or '[Name] '"
)


# A time, then an arrow: a timing line, even when the time or the arrow is wrong.
_TIMING_LIKE = re.compile(r"[ \t]*[-+]?\d{1,3}:[^\s<>]{0,12}[ \t]*(?:-{1,3}>|→)")


def is_timing_like(text: str, start: int, end: int) -> bool:
    """A line meant as a cue's timing (``-->`` in it, or a time and an arrow), valid or not."""
    return "-->" in text[start:end] or _TIMING_LIKE.match(text, start, end) is not None


def cue_at(text: str, start: int, end: int) -> tuple[Cue | None, bool]:
    """The cue a line opens, if it is a timing line, and whether its time is valid: a valid
    timing line opens a timed cue, a broken one (see ``broken_timing_cue``) an untimed one, any
    other line none."""
    m = TIMING.fullmatch(text, start, end)
    begins = clock_seconds(m.group("start")) if m else None
    if begins is not None:
        return Cue(begins), True
    if m or is_timing_like(text, start, end):
        return broken_timing_cue(text, start, end), False
    return None, False


def broken_timing_cue(text: str, start: int, end: int) -> Cue:
    """A cue for a timing line that is not valid (``-00:00:10.000 --> ...``, ``00:0x:10``): its
    text is speech all the same, so it is kept, without a time, and the import report says so
    (dropping it would merge the answers around it into one turn)."""
    shown = text[start:end].strip()
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    line = text.count("\n", 0, start) + 1
    note(
        f"line {line}: the caption time {shown!r} is not a valid time; the caption's text was "
        "kept, without a time"
    )
    return Cue(None)


@dataclass
class Cue:
    """One caption: its start time and the (start, end) offsets of its text lines."""

    start: float | None
    lines: list[Span] = field(default_factory=list)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int, str | None]]:
    """Text pieces of one cue line between markup, and voice changes (0, 0, name)."""
    out: list[tuple[int, int, str | None]] = []
    pos = start
    for m in TAG.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start(), None))
        voice = _VOICE.fullmatch(m.group())
        if voice and voice.group("name").strip():
            out.append((0, 0, voice.group("name")))
        pos = m.end()
    if pos < end:
        out.append((pos, end, None))
    return out


def _cue_label(text: str, start: int, end: int) -> Head | None:
    """The speaker a cue line starts with: ``[Name] `` or ``Name: ``; None without one."""
    m = _BRACKET.match(text, start, end)
    if m:
        name = m.group("name")
        if name.casefold() not in _SOUNDS and is_speaker_label(name):
            return Head(normalise_speaker(name), None, m.end() - start)
        return None
    return match_label(text[start:end])


def cues_to_utterances(source: str, text: str, cues: list[Cue]) -> tuple[Utterance, ...]:
    """Join the cues into turns.

    Raises:
        IngestError: no cue names a speaker.
    """
    builder = TurnBuilder(text)
    current: str | None = None
    named = False
    prefixes = _VOICE.search(text) is None  # with voice tags, "Word: " is just speech
    for cue in cues:
        for line_start, line_end in cue.lines:
            first_text, voiced = True, False
            for a, b, voice in _pieces(text, line_start, line_end):
                if voice is not None:
                    current, named, first_text, voiced = voice, True, True, True
                    continue
                if first_text:
                    first_text = False
                    dash = _DASH.match(text, a, b)
                    if dash:
                        a = dash.end()
                    label = _cue_label(text, a, b) if prefixes and not voiced else None
                    if label is not None:
                        current, named = label.speaker, True
                        a += label.speech_start or 0
                if stripped(text, a, b) is None:
                    continue
                builder.continue_or_start(current or UNKNOWN_SPEAKER, cue.start)
                builder.add(a, b)
    if not named:
        raise IngestError(source, NO_SPEAKERS)
    utterances = builder.utterances()
    if not utterances:
        raise IngestError(source, "the captions have speaker names but no speech")
    return utterances
