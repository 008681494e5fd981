"""What a speaker label looks like, and which labels name a role rather than a person."""

from __future__ import annotations

import re

from qualseg.models import Role


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(words.split())


_LETTER = r"[^\W\d_]"
_WORD = rf"{_LETTER}(?:{_LETTER}|[\u0300-\u036f.'’\-])*"
# A personal name: 1-4 words of letters (with . ' ’ - inside), e.g. "Dr. Ana O'Neil-Souza".
_NAME_RE = re.compile(rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}")
# Teams writes "Chen, Maya"; Otter-style headers may carry one comma.
_HEADER_NAME_RE = re.compile(rf"{_WORD}(?:,?[ \t]+{_WORD}){{0,4}}")

INTERVIEWER_WORDS = frozenset(
    {"interviewer", "moderator", "researcher", "facilitator", "host", "q", "i", "question", "int"}
)
PARTICIPANT_WORDS = frozenset(
    {
        "participant",
        "respondent",
        "interviewee",
        "customer",
        "client",
        "a",
        "p",
        "r",
        "answer",
        "guest",
        "user",
        "resp",
    }
)
_NEUTRAL_WORDS = frozenset({"speaker", "unknown speaker", "unidentified speaker", "voice"})
_GENERIC_RE = re.compile(
    r"(?P<word>[^\W\d_]+(?: speaker)?)(?:[ \t]*#?\d{1,3}|[ \t]+[A-Z])?", re.IGNORECASE
)
# Lower-case words allowed inside a name ("Ana de Souza", "Ludwig van Beethoven").
_PARTICLES = word_set(
    "de da do dos das del della di du van von der den la le bin binti ibn al el y e ten ter"
)
# Labels that are not speakers ("Note: ...", "Date: ...", "Next steps: ...").
_NOT_SPEAKERS = word_set(
    """
    note notes nb n.b. ps p.s. date time day location place venue duration length subject title
    re fwd fw cc bcc to from sent tags tag summary topic topics agenda attendees participants
    interviewers speakers transcript transcription recording recorded project company
    organisation organization file filename source link url http https ftp www mailto email
    e-mail phone tel mobile fax address web website example e.g. i.e. eg ie warning caution
    important update edit edited background context goal goals objective objectives observation
    observations todo to-do action actions step steps result results conclusion conclusions
    takeaway takeaways tip reminder disclaimer copyright status version author language
    translation comment comments interview meeting call session study section part chapter
    page quote quotes highlights highlight insight insights theme themes method methods also and
    but so then well yes no ok okay honestly basically anyway however therefore plus total price
    cost budget prices costs hint caveat definition fyi tl;dr tldr
    attendee minutes purpose scope keywords keyword category categories type format
    """
) | frozenset(
    {
        "action items",
        "next steps",
        "key takeaways",
        "follow up",
        "follow-up",
        "key points",
        "main points",
        "open questions",
        "interview notes",
        "interview date",
        "meeting notes",
        "side note",
        "fun fact",
        "bottom line",
        "long story short",
        "pro tip",
        "good news",
        "bad news",
        "the point",
    }
)


def role_of_label(label: str) -> Role | None:
    """The role a generic label names (``"Interviewer 2"``, ``"Q"``, ``"P1"``), or None."""
    word = _generic_word(label)
    if word in INTERVIEWER_WORDS:
        return "interviewer"
    if word in PARTICIPANT_WORDS:
        return "participant"
    return None


def is_generic_label(label: str) -> bool:
    """A label that names a role or an anonymous speaker rather than a person."""
    word = _generic_word(label)
    return word in INTERVIEWER_WORDS or word in PARTICIPANT_WORDS or word in _NEUTRAL_WORDS


def _generic_word(label: str) -> str | None:
    m = _GENERIC_RE.fullmatch(label.strip())
    return m.group("word").casefold() if m else None


def is_speaker_label(label: str) -> bool:
    """Whether ``label`` (the part before a colon) can be a speaker: a name or a role word."""
    label = label.strip()
    if not label or len(label) > 40:
        return False
    if is_generic_label(label):
        return True
    if label.casefold() in _NOT_SPEAKERS:
        return False
    return _NAME_RE.fullmatch(label) is not None and _capitalised(label)


def is_header_name(label: str) -> bool:
    """Whether the name part of an Otter/Teams header line (``Chen, Maya  0:03``) is a speaker."""
    label = label.strip()
    if not label or len(label) > 50:
        return False
    if is_generic_label(label):
        return True
    if label.casefold() in _NOT_SPEAKERS:
        return False
    return _HEADER_NAME_RE.fullmatch(label) is not None and _capitalised(label.replace(",", " "))


def _capitalised(label: str) -> bool:
    words = label.split()
    if len(words) > 5 or not words:
        return False
    if words[0][0].islower():
        return False
    return all(not w[0].islower() or w.casefold() in _PARTICLES for w in words[1:])


def is_name(text: str) -> bool:
    """A plausible personal name of 1-4 capitalised words (no role words)."""
    text = text.strip()
    return (
        0 < len(text) <= 40
        and _NAME_RE.fullmatch(text) is not None
        and _capitalised(text)
        and not is_generic_label(text)
        and text.casefold() not in _NOT_SPEAKERS
    )


def person_key(display_name: str) -> str | None:
    """The key under which participants of several transcripts are one person: the name with
    case and spacing folded; None for a generic label (``Participant``, ``A``, ``Speaker 2``)
    or a label that is not a personal name, which is never taken for a person seen before."""
    name = " ".join(display_name.split())
    if not is_name(name) or is_generic_label(name):
        return None
    return name.casefold()
