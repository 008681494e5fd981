"""Frozen dataclasses passed between the layers of qualseg.

Offsets are character offsets into a transcript's decoded ``text`` (for DOCX: the paragraphs
joined with ``"\\n"``). An utterance's speech may be made of several spans (a WebVTT turn joined
from consecutive cues); each span's slice of the text is verbatim speech.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["interviewer", "participant", "other"]
ROLES: tuple[Role, ...] = ("interviewer", "participant", "other")

Span = tuple[int, int]


def joiner(text: str, previous_end: int, next_start: int) -> str:
    """What stands between two spans of speech when they are read as one: a space where the
    markup between them holds whitespace (cue breaks, line ends), nothing where it does not
    (a CSV escape quote inside a word)."""
    gap = text[previous_end:next_start]
    return " " if not gap or any(c.isspace() for c in gap) else ""


def join_spans(
    text: str, spans: tuple[Span, ...] | list[Span]
) -> tuple[str, list[tuple[int, int]]]:
    """The spans' speech read as one string, and (offset in that string, source start) per span."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    length = 0
    for i, (a, b) in enumerate(spans):
        if i:
            glue = joiner(text, spans[i - 1][1], a)
            parts.append(glue)
            length += len(glue)
        starts.append((length, a))
        parts.append(text[a:b])
        length += b - a
    return "".join(parts), starts


@dataclass(frozen=True)
class Utterance:
    """One speaker turn.

    Attributes:
        index: position of the turn in its transcript, from 0.
        speaker: the speaker label as written in the file (``"Maya Chen"``, ``"Q"``).
        spans: (start, end) character ranges of the speech in the transcript text, in order.
        timestamp: seconds from the start of the recording, where the format has one.
    """

    index: int
    speaker: str
    spans: tuple[Span, ...]
    timestamp: float | None = None

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def text_in(self, source_text: str) -> str:
        """The verbatim speech of this turn (spans joined as ``join_spans`` does)."""
        return join_spans(source_text, self.spans)[0]


@dataclass(frozen=True)
class Transcript:
    """A decoded transcript file with its turns and the role of each speaker.

    Attributes:
        source: the file name as given by the user.
        format: the reader that parsed it (``"labelled_text"``, ``"otter"``, ``"vtt"``...).
        text: the decoded text that every offset points into.
        encoding: the detected encoding of the original bytes.
        utterances: the turns, in order.
        roles: speaker label -> role.
        role_reasons: speaker label -> why that role was chosen, for the researcher.
        participant_names: speaker label -> display name, where a label is generic (``"A"``).
        notes: what the reader kept or skipped that the researcher should know (a caption with a
            broken time, unlabelled paragraphs carried to the previous speaker), for the import
            report; not stored.
    """

    source: str
    format: str
    text: str
    encoding: str
    utterances: tuple[Utterance, ...]
    roles: dict[str, Role] = field(default_factory=dict)
    role_reasons: dict[str, str] = field(default_factory=dict)
    participant_names: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for u in self.utterances:
            seen.setdefault(u.speaker, None)
        return list(seen)

    def words_by_speaker(self) -> dict[str, int]:
        """Word count of each speaker's speech."""
        counts: dict[str, int] = {s: 0 for s in self.speakers}
        for u in self.utterances:
            counts[u.speaker] += len(u.text_in(self.text).split())
        return counts

    def speech_between(self, start: int, end: int) -> str:
        """The verbatim speech inside [start, end), skipping markup between spans."""
        pieces = [
            (max(a, start), min(b, end))
            for u in self.utterances
            for a, b in u.spans
            if max(a, start) < min(b, end)
        ]
        return join_spans(self.text, pieces)[0]


Kind = Literal["need", "outcome", "psychographic", "trigger", "objection", "other"]
KINDS: tuple[Kind, ...] = ("need", "outcome", "psychographic", "trigger", "objection", "other")
Lens = Literal["need", "psychographic", "trigger", "objection"]
LENSES: tuple[Lens, ...] = ("need", "psychographic", "trigger", "objection")


@dataclass(frozen=True)
class Excerpt:
    """A quotable piece of one participant's speech.

    Attributes:
        key: stable identity across runs: transcript hash prefix and offsets.
        participant_id: the stored speaker id of the participant.
        source: the transcript's file name as given.
        start, end: offsets into the transcript text; ``text`` is the speech between them.
        text: the customer's exact words.
        utterance_index: the turn it comes from.
        timestamp: the turn's timestamp in seconds, where the format has one.
        prompt: the interviewer's last real question before this excerpt's turn (context for its kind).
    """

    key: str
    participant_id: int
    source: str
    start: int
    end: int
    text: str
    utterance_index: int
    timestamp: float | None = None
    prompt: str = ""
