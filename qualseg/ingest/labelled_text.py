"""Plain text with speaker labels: ``Maya Chen: ...``, ``Interviewer: ...``, ``Q: ...``.

A turn starts on a line that begins with a label and a colon; unlabelled lines continue the
previous turn; lines before the first label are a header, not speech. Tolerated around the
label: a timestamp before it (``[00:01:23] Maya Chen:``, Descript), after it
(``Speaker 1 (00:05):``, Rev) or after its colon (``Maya Chen: [00:01:23] ...``, Sonix), a parenthesis (``Maya Chen (Ledgerly):``) and Markdown bold (``**Maya:**``,
``**Maya**:``, also as a list item: ``- **Maya:** ...``).
Header lines such as ``Interviewer: Maya Chen`` that only name who is who are not turns.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from qualseg.errors import IngestError
from qualseg.ingest.markup import markup_label_problem
from qualseg.ingest.names import is_name, is_speaker_label, role_of_label
from qualseg.ingest.timecode import CLOCK, clock_seconds
from qualseg.ingest.turns import FORMAT_TAG, Head, line_end, normalise_speaker, turns_at_lines
from qualseg.models import Utterance

NO_LABELS = (
    "no speaker labels found; expected lines like 'Name: text' (or 'Interviewer: text', "
    "'Q: text') or Otter-style headers like 'Name  0:03' followed by the speech"
)
_TS_PREFIX = re.compile(
    rf"[ \t]*(?:\[(?P<a>{CLOCK})\]|\((?P<b>{CLOCK})\)|(?P<c>{CLOCK})(?=[ \t]))[ \t]*"
    r"(?:[-–—|][ \t]*)?"
)
# A Markdown list marker, only before a bold label ("- **Maya:** ...").
_BULLET = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+(?=\*\*|__)")
_TS_SUFFIX = re.compile(rf"[ \t]*[\[(](?P<ts>{CLOCK})[\])]$")
_TS_AFTER = re.compile(rf"[ \t]*[\[(](?P<ts>{CLOCK})[\])][ \t]*")
_PAREN_SUFFIX = re.compile(r"[ \t]*\([^()]{1,40}\)$")
_LEADING_TAGS = re.compile(rf"(?:[ \t]*(?:{FORMAT_TAG.pattern}))+", re.IGNORECASE)
_COLON = re.compile(r"[:：]")
# Lines a tool adds that are nobody's speech: Otter's footer, Teams' "Maya Chen stopped
# transcription" (the whole line only).
FOOTER = re.compile(
    r"^[ \t]*(?:transcribed by\b[^\n]*\botter\b"
    r"|[^\n:]{1,60}\b(?:started|stopped) transcription[ \t]*$)",
    re.IGNORECASE | re.MULTILINE,
)
# A line with a colon near its start: the only lines that can start a labelled turn.
_CANDIDATE = re.compile(r"^[^\n:：]{0,100}[:：]", re.MULTILINE)
_NAME_END = re.compile(r"\s*(?:,|\(|\s[-–—|]\s|;|$)")


Label = Head  # a speaker label at the start of a line; speech_start is always set


def match_label(line: str) -> Label | None:
    """The speaker label at the start of ``line``, or None when the line does not start one."""
    pos = 0
    timestamp = None
    m = _TS_PREFIX.match(line)
    if m:
        timestamp = clock_seconds(m.group("a") or m.group("b") or m.group("c"))
        pos = m.end()
    while pos < len(line) and line[pos] in " \t":
        pos += 1
    bullet = _BULLET.match(line, pos)
    if bullet:
        pos = bullet.end()
    tags = _LEADING_TAGS.match(line, pos)
    if tags:  # "<b>Maya</b>: ..." (a label exported as HTML)
        pos = tags.end()
    bold = next((mark for mark in ("**", "__") if line.startswith(mark, pos)), "")
    pos += len(bold)
    for colon in _COLON.finditer(line, pos, pos + 72):
        raw = line[pos : colon.start()]
        if raw.count("(") > raw.count(")") or raw.count("[") > raw.count("]"):
            continue  # the colon of a clock inside "Speaker 1 (00:05):"
        return _label_before(line, raw, colon.end(), bold, timestamp)
    return None


def _label_before(
    line: str, raw: str, after: int, bold: str, timestamp: float | None
) -> Label | None:
    if bold and raw.endswith(bold):
        raw = raw[: -len(bold)]
    raw = FORMAT_TAG.sub("", raw).rstrip()
    suffix = _TS_SUFFIX.search(raw)
    if suffix:
        timestamp = clock_seconds(suffix.group("ts"))
        raw = raw[: suffix.start()].rstrip()
    elif not is_speaker_label(raw):
        paren = _PAREN_SUFFIX.search(raw)
        if paren:
            raw = raw[: paren.start()].rstrip()
    if not is_speaker_label(raw):
        return None
    if after < len(line) and (line[after] == "/" or line[after].isdigit()):
        return None  # a URL ("https://...") or a clock ("10:30")
    if bold and line.startswith(bold, after):
        after += len(bold)
    closing = _LEADING_TAGS.match(line, after)
    if closing:  # "<b>Maya:</b> text"
        after = closing.end()
    stamp = _TS_AFTER.match(line, after)
    if stamp:  # "Maya Chen: [00:00:05] text" (Sonix), "Maya Chen: (00:05)" (Rev)
        timestamp = clock_seconds(stamp.group("ts")) if timestamp is None else timestamp
        after = stamp.end()
    return Label(normalise_speaker(raw), timestamp, after)


def find_labels(text: str) -> dict[int, Label]:
    """Line start offset -> turn start, for the lines of ``text`` that start a turn (the
    reader's choice counts them and then parses: found once per text)."""
    return dict(_find_labels(text))


@lru_cache(maxsize=1)
def _find_labels(text: str) -> tuple[tuple[int, Label], ...]:
    """Line start offset -> label, for the lines of ``text`` that start a turn."""
    found = {}
    for m in _CANDIDATE.finditer(text):
        start = m.start()
        label = match_label(text[start : min(line_end(text, start), start + 256)])
        if label is not None:
            found[start] = label
    found = _drop_header_roster(text, found)
    return tuple(_drop_stray_labels(text, found).items())


def count_labels(text: str) -> int:
    """How many lines start a labelled turn (for choosing a reader)."""
    return len(find_labels(text))


def footer_lines(text: str) -> list[int]:
    """Start offsets of tool lines that are not speech (``Transcribed by https://otter.ai``,
    ``Maya Chen stopped transcription``)."""
    return [m.start() for m in FOOTER.finditer(text)]


def parse(source: str, text: str) -> tuple[Utterance, ...]:
    """Turns of a labelled plain-text transcript.

    Raises:
        IngestError: no speaker label anywhere.
    """
    utterances = turns_at_lines(text, find_labels(text), footer_lines(text))
    if not utterances:
        raise IngestError(source, markup_label_problem(text) or NO_LABELS)
    return utterances


def roster_name(speech: str) -> str | None:
    """The name in a roster line's speech (``Daniel Okafor, Brightwave Media``), or None."""
    speech = speech[:100]
    m = _NAME_END.search(speech)
    name = speech[: m.start()].strip() if m else speech.strip()
    return name if is_name(name) else None


def _drop_header_roster(text: str, found: dict[int, Label]) -> dict[int, Label]:
    """Leave out leading lines like ``Interviewer: Maya Chen`` that say who is who.

    Such a line is roster, not speech, when its speech is just a name and either that name is
    used as a label later or the role label is never used again.
    """
    speakers = Counter(label.speaker.casefold() for label in found.values())
    roster = set()
    for start in sorted(found):
        label = found[start]
        speech = text[start + (label.speech_start or 0) : line_end(text, start)]
        name = roster_name(speech)
        if role_of_label(label.speaker) is None or name is None:
            break
        if speakers[name.casefold()] == 0 and speakers[label.speaker.casefold()] > 1:
            break
        roster.add(start)
    return {start: label for start, label in found.items() if start not in roster}


def _after_blank(text: str, start: int) -> bool:
    """Whether the line starting at ``start`` is the first line or follows a blank line."""
    if start == 0:
        return True
    previous = text.rfind("\n", 0, start - 1) + 1
    return not text[previous : start - 1].strip()


def _drop_stray_labels(text: str, found: dict[int, Label]) -> dict[int, Label]:
    """In files whose turns are separated by blank lines, a one-off "label" in the middle of a
    paragraph (``Honestly: ...`` continuing an answer) is speech, not a new speaker."""
    counts = Counter(label.speaker.casefold() for label in found.values())
    repeated = [s for s, label in found.items() if counts[label.speaker.casefold()] >= 2]
    if len(repeated) < 3:
        return found
    if sum(_after_blank(text, s) for s in repeated) < 0.8 * len(repeated):
        return found
    first = min(found)
    return {
        s: label
        for s, label in found.items()
        if counts[label.speaker.casefold()] >= 2
        or s == first
        or _after_blank(text, s)
        or role_of_label(label.speaker) is not None
    }


cached_finder = _find_labels  # for registry.forget_texts
