"""The text of one speaker blanked: their speech and name replaced by a placeholder of the same
length (``[removed]`` per line, padded with spaces), so every other offset stays valid."""

from __future__ import annotations

import re
from collections.abc import Iterable

from qualseg.models import Span, Transcript
from qualseg.store import StoredSpeaker

PLACEHOLDER = "[removed]"


def redact_speaker(
    transcript: Transcript, speaker: StoredSpeaker, others: list[StoredSpeaker]
) -> tuple[str, tuple[Span, ...]]:
    """The transcript text with this speaker's speech and name blanked, same length.

    Returns:
        The new text and the spans of the removed speech.
    """
    spans = tuple(
        span for u in transcript.utterances if u.speaker == speaker.label for span in u.spans
    )
    protected = [
        span for u in transcript.utterances if u.speaker != speaker.label for span in u.spans
    ]
    for other in others:
        protected += _occurrences(transcript.text, {other.label, other.display_name})
    names = _occurrences(transcript.text, {speaker.label, speaker.display_name})
    blank = list(spans) + [
        (a, b) for a, b in names if not any(x < b and a < y for x, y in protected)
    ]
    chars = list(transcript.text)
    for a, b in blank:
        chars[a:b] = list(placeholder(transcript.text[a:b]))
    text = "".join(chars)
    assert len(text) == len(transcript.text)
    return text, spans


def placeholder(segment: str) -> str:
    """What replaces removed text: ``[removed]`` per line, padded to the same length."""
    return re.sub(r"[^\n]+", lambda m: _fill(len(m.group(0))), segment)


def _fill(n: int) -> str:
    if n >= len(PLACEHOLDER):
        return PLACEHOLDER + " " * (n - len(PLACEHOLDER))
    return "[…]" + " " * (n - 3) if n >= 3 else "…" * n


def _occurrences(text: str, names: Iterable[str]) -> list[Span]:
    found = []
    for name in names:
        if len(name.strip()) < 2:
            continue
        pattern = r"(?<!\w)" + re.escape(name.strip()) + r"(?!\w)"
        found += [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    return found
