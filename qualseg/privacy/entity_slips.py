"""What of the recogniser's output is a name: its slips mended, the implausible left out.

The small English pipeline takes in a sentence's opening word with the name after it ("So
Gail"), calls a title alone a person ("Dr"), a title with a name an organisation ("Dr Hale") and
a job title an organisation ("VP of Fleet"). Each rule reads only the study's own texts: which
words it writes in lower case (``lower_words``) and which it capitalises inside a sentence
(``capitalised_inside``), where only names are capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qualseg.privacy import context

TITLE = re.compile(r"(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?(?=\s|$)")
_JOB_TITLE = re.compile(r"(\w+) of\b", re.I)
# a title and a surname; not a placeholder ("Dr So-and-so")
_HONORIFIC = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?[ \t]+([A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)\b(?!-[a-z])"
)
_NAME_CHARS = re.compile(r"[^\W\d_]+(?:[ &.'’-]+[^\W\d_]+)*")
WORD = re.compile(r"[^\W\d_]+")


def capitalised_inside(texts: Iterable[str]) -> set[str]:
    """Words the texts capitalise inside a sentence (after a lower-case word or a comma, not
    after a title: "Dr So-and-so")."""
    return {
        m.group(1)
        for text in texts
        for m in re.finditer(r"(?:\b[a-z]+|[,;]) ([A-Z][a-z]+)\b", text)
    }


def opening_word(word: str, lower_words: set[str], inner: set[str]) -> bool:
    """A word that opens spoken sentences ("So", "Well"), which the study writes in lower case
    and never capitalises inside a sentence: no part of a name."""
    lower = word.lower()
    return lower in context.OPENING_WORDS and lower in lower_words and word not in inner


def without_opening_word(surface: str, lower_words: set[str], inner: set[str]) -> str:
    """An entity without the opening words the recogniser took in with it ("So Gail" -> "Gail";
    "Will Turner", said inside a sentence, keeps "Will")."""
    words = surface.split(" ")
    while len(words) > 1 and opening_word(words[0], lower_words, inner):
        words = words[1:]
    return " ".join(words)


def honorific_surnames(piece: str, lower_words: set[str], inner: set[str]) -> list[str]:
    """The surnames after a title ("Dr Hale" -> "Hale"), not an opening word after one."""
    return [
        m.group(1)
        for m in _HONORIFIC.finditer(piece)
        if not opening_word(m.group(1), lower_words, inner)
    ]


def mend(
    surface: str, label: str, lower_words: set[str], inner: set[str]
) -> tuple[str, str] | None:
    """An entity as (surface, spaCy label) with the recogniser's slips mended, or None when it
    is no name at all (a title line's parts, a title alone, a job title)."""
    if " - " in surface or " – " in surface:
        return None  # a title line's parts ("Acme Fleet - Vendor interview")
    surface = without_opening_word(surface, lower_words, inner)
    if TITLE.fullmatch(surface):
        return None  # "Dr" alone: a title, not a name
    if TITLE.match(surface):
        return surface, "PERSON"  # "Dr Hale" is a person whatever the recogniser guessed
    title = _JOB_TITLE.match(surface)
    if title and title.group(1).lower() in context.ROLES:
        return None  # "VP of Fleet", "Director of Nursing": a role, not an organisation
    return surface, label


def plausible(surface: str, proper: bool, category: str, lower_words: set[str]) -> bool:
    """A named entity worth proposing: capitalised proper nouns, not acronyms or common words.
    ``proper``: every word of the entity is capitalised inside a sentence."""
    words = WORD.findall(surface)
    if not words or not surface[0].isupper() or any(ch.isdigit() for ch in surface):
        return False
    if not _NAME_CHARS.fullmatch(surface) or len(words) > 5:
        return False
    letters = "".join(words)
    if letters.isupper() and len(letters) <= 3:
        return False  # AP, CFO, ERP, SOX, PDF: roles and terms, not names
    if len(words) == 1 and words[0].lower() in lower_words:
        return False  # "Copy", "Teams", "Email": a word the study also writes in lower case
    if category == "person":  # capitalised where common words are not, or no common word
        return proper or not any(w.lower() in lower_words for w in words)
    return True
