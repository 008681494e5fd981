"""Paragraphs without a speaker label, counted for the import report.

In text whose turns start on labelled lines (``Name: ...``, ``Name  0:03``, a name line), a
paragraph without a label belongs to the previous speaker; the report says how many were
carried over. Paragraphs before the first label belong to no one: a title or a date is a
header, but paragraphs that read as speech (a sentence of some length) are reported, with their
first words, so that nothing is dropped without a word.

Paragraphs are blocks of lines between blank lines; in text without any blank line (a Word
document's paragraphs, one per line) each line is counted, as a line.
"""

from __future__ import annotations

import re

from qualseg.ingest.notes import note, plural
from qualseg.models import Span

MIN_SPEECH_WORDS = 8  # an opening paragraph whose first line has this many words ...
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")  # ... ending like a sentence is speech
_FIELD = re.compile(r"[ \t]*[^\s:=][^:=\n]{0,30}[:=]")  # "Date: ...", "Q = Hannah Okafor"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NON_SPACE = re.compile(r"\S")


def paragraphs(text: str, start: int, end: int, *, by_line: bool) -> list[Span]:
    """The (start, end) of each paragraph of ``text[start:end]`` holding some text."""
    splitter = re.compile(r"\n") if by_line else _BLANK_LINE
    out = []
    pos = start
    for m in splitter.finditer(text, start, end):
        piece = stripped(text, pos, m.start())
        if piece:
            out.append(piece)
        pos = m.end()
    piece = stripped(text, pos, end)
    if piece:
        out.append(piece)
    return out


def stripped(text: str, start: int, end: int) -> Span | None:
    """``(start, end)`` without the whitespace around it; None when nothing is left."""
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return None
    while text[end - 1].isspace():
        end -= 1
    return first.start(), end


def is_note(paragraph: str) -> bool:
    """A paragraph wholly in brackets or Markdown emphasis (``[End of transcript]``,
    ``*Recorded in May...*``): a note of the transcriber, not a turn of speech."""
    p = paragraph.strip()
    return len(p) >= 2 and (p[0], p[-1]) in {("[", "]"), ("(", ")"), ("*", "*"), ("_", "_")}


def reads_as_speech(paragraph: str) -> bool:
    """A paragraph that reads as someone speaking rather than a header (a title line, ``Date:``
    or ``Q = Name`` lines) or a transcriber's note: it opens with a line of some length, ends
    like a sentence, and has no ``Key: value`` line."""
    lines = paragraph.strip().split("\n")
    return (
        len(lines[0].split()) >= MIN_SPEECH_WORDS
        and _SENTENCE_END.search(lines[-1].strip()) is not None
        and not any(_FIELD.match(line) for line in lines)
        and not is_note(paragraph)
    )


def report_unlabelled(
    text: str, turn_starts: list[int], speech_starts: list[bool], skipped: set[int]
) -> None:
    """Note the opening paragraphs that read as speech but were skipped, and how many
    unlabelled paragraphs were carried to the previous speaker.

    Args:
        text: the transcript text.
        turn_starts: the start offset of each line that starts a turn, in order.
        speech_starts: for each, whether its line holds speech (``Name: text``) rather than
            only the speaker (an Otter or Google Meet header line).
        skipped: start offsets of lines that are not speech (a footer, a lone time).
    """
    if not turn_starts:
        return
    by_line = _BLANK_LINE.search(text) is None
    opening = [
        (a, b)
        for a, b in paragraphs(text, 0, turn_starts[0], by_line=by_line)
        if a not in skipped and reads_as_speech(text[a:b])
    ]
    if opening:
        first = " ".join(text[slice(*opening[0])].split())
        shown = first if len(first) <= 60 else first[:57] + "..."
        note(
            f"{plural(len(opening), 'unlabelled paragraph')} at the start, before the first "
            f"speaker label, {'was' if len(opening) == 1 else 'were'} skipped (it begins "
            f"{shown!r}); add a speaker label if it is speech"
        )
    carried = 0
    bounds = [*turn_starts[1:], len(text)]
    for start, end, has_speech in zip(turn_starts, bounds, speech_starts, strict=True):
        if not has_speech:
            start = text.find("\n", start, end) + 1 or end
        kept = [
            (a, b)
            for a, b in paragraphs(text, start, end, by_line=by_line)
            if a not in skipped and not is_note(text[a:b])
        ]
        carried += max(0, len(kept) - 1)
    if carried:
        unit = "line" if by_line else "paragraph"
        note(
            f"{plural(carried, unit)} without a speaker label "
            f"{'was' if carried == 1 else 'were'} read as the previous speaker's"
        )
