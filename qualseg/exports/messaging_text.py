"""Text helpers of the messaging starters: content words, verbatim phrases with exact offsets,
and how many participants use similar words.

A phrase is cut out of an excerpt only when the excerpt is contiguous in its source (its text is
exactly ``source[start:end]``), so the phrase keeps exact offsets; otherwise only whole excerpts
are used. Content words are lower-cased, stopwords and spoken fillers removed, and crudely stemmed
("invoices", "invoiced", "invoicing" -> "invoic"), which is enough to tell who talks alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from qualseg.nlp import FILLER_WORDS
from qualseg.report import quote_of

MIN_WORDS = 3
MAX_WORDS = 12
COMMON_SHARE = 0.8
MIN_PEOPLE_FOR_COMMON = 5


def word_set(*lines: str) -> frozenset[str]:
    """The words of some space-separated lines."""
    return frozenset(" ".join(lines).split())


SPOKEN = word_set(
    "like just really know mean think thing things kind sort lot lots actually honestly "
    "basically maybe pretty stuff gonna wanna gotta got said say says guess bit little "
    "literally probably definitely certainly obviously okay ok um uh yeah going don didn doesn "
    "isn wasn won couldn wouldn shouldn aren weren haven hasn hadn",
)
STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | FILLER_WORDS | SPOKEN
LEAD_WORDS = word_set(
    "and so but or because then also plus well like um uh oh yeah honestly basically "
    "actually anyway look see",
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# sentence ends, then clause breaks inside a sentence
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+")
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:]|\s[-–—]+)\s+|\s*[–—]\s*")
_EDGE = re.compile(r"^[\s\"“”'‘’(\[-]+|[\s\"“”‘’)\],;:.-]+$")


# (suffix, shortest word it is cut from, replacement), first match wins
_SUFFIXES = (("ies", 5, "y"), ("ing", 6, ""), ("ed", 5, ""), ("ly", 5, ""))


def stem(word: str) -> str:
    """A crude suffix stemmer: plural, -ing, -ed, -ly and a final e."""
    w = word.lower().replace("’", "'").split("'")[0]
    for suffix, shortest, replacement in _SUFFIXES:
        if len(w) >= shortest and w.endswith(suffix):
            w = w[: -len(suffix)] + replacement
            break
    else:
        if len(w) > 3 and w.endswith("es") and w[-3] in "sxzh":
            w = w[:-2]
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def content_words(text: str) -> list[str]:
    """The stemmed content words of a text, in order (stopwords and fillers removed)."""
    out = []
    for token in _WORD.findall(text):
        word = token.lower().replace("’", "'")
        if word in STOPWORDS or word.split("'")[0] in STOPWORDS or len(word) < 3:
            continue
        out.append(stem(word))
    return out


def is_contiguous(excerpt: dict) -> bool:
    """The excerpt's text is exactly its source range (not joined from several cues)."""
    return excerpt["end"] - excerpt["start"] == len(excerpt["text"])


def word_count(text: str) -> int:
    return len(text.split())


def sub_quote(excerpt: dict, index: int, length: int) -> dict:
    """The quote of ``excerpt["text"][index:index + length]`` with exact source offsets."""
    if not is_contiguous(excerpt) and (index, length) != (0, len(excerpt["text"])):
        raise ValueError(f"excerpt {excerpt['id']} is not contiguous: cannot cut a phrase from it")
    quote = quote_of(excerpt)
    start = excerpt["start"] + index
    return quote | {
        "start": start,
        "end": start + length,
        "text": excerpt["text"][index : index + length],
    }


def _trim(text: str, index: int, length: int) -> tuple[int, int]:
    """Shrink a span past surrounding punctuation, quotes and leading connectives ("And so")."""
    span = text[index : index + length]
    while True:
        before = span
        lead = _EDGE.match(span)
        if lead and lead.end():
            index, span = index + lead.end(), span[lead.end() :]
        tail = _EDGE.search(span)
        if tail and tail.start() < len(span):
            span = span[: tail.start()]
        first = re.match(r"[A-Za-z']+", span)
        if first and first.group(0).lower() in LEAD_WORDS and word_count(span) > MIN_WORDS:
            cut = re.match(r"[A-Za-z']+[\s,?!.]*", span)
            assert cut is not None
            index, span = index + cut.end(), span[cut.end() :]
        if span == before:
            return index, len(span)


def _spans(text: str) -> Iterator[tuple[int, int]]:
    """Sentences of a text; for sentences longer than ``MAX_WORDS``, their clauses."""
    sentence_start = 0
    ends = [m for m in _SENTENCE_END.finditer(text)] + [None]
    for m in ends:
        sentence_end = m.start() if m else len(text)
        sentence = text[sentence_start:sentence_end]
        if word_count(sentence) <= MAX_WORDS:
            yield sentence_start, sentence_end - sentence_start
        else:
            clause_start = 0
            for b in [*_CLAUSE_BREAK.finditer(sentence), None]:
                clause_end = b.start() if b else len(sentence)
                yield sentence_start + clause_start, clause_end - clause_start
                if b:
                    clause_start = b.end()
        if m:
            sentence_start = m.end()


def _unbalanced(text: str) -> bool:
    """A phrase cut inside a quotation ('say "here') reads wrong on its own."""
    straight = text.count('"') % 2 == 1
    curly = text.count("“") != text.count("”")
    return straight or curly or text.count("(") != text.count(")")


@dataclass(frozen=True)
class Phrase:
    """A short verbatim phrase of one excerpt, as a quote with exact offsets."""

    quote: dict
    words: frozenset[str]  # stemmed content words

    @property
    def text(self) -> str:
        return self.quote["text"]


def phrases(
    excerpt: dict, *, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS
) -> list[Phrase]:
    """The short phrases (``min_words``-``max_words`` words) of an excerpt: its sentences, or the
    clauses of long sentences; the whole excerpt only when it is not contiguous in its source."""
    text = excerpt["text"]
    if not is_contiguous(excerpt):
        spans: Iterable[tuple[int, int]] = [(0, len(text))]
    else:
        spans = (_trim(text, i, n) for i, n in _spans(text))
    out = []
    for index, length in spans:
        piece = text[index : index + length]
        if not min_words <= word_count(piece) <= max_words or _unbalanced(piece):
            continue
        quote = quote_of(excerpt) if (index, length) == (0, len(text)) else None
        out.append(
            Phrase(quote or sub_quote(excerpt, index, length), frozenset(content_words(piece)))
        )
    return out


def common_words(excerpts: Sequence[dict], share: float = COMMON_SHARE) -> frozenset[str]:
    """Content words used by more than ``share`` of the participants (the study's topic words,
    "invoice", "team", "want"): they say nothing about who talks alike, like a maximum document
    frequency. None in studies of fewer than ``MIN_PEOPLE_FOR_COMMON`` participants."""
    users: dict[str, set[str]] = {}
    for e in excerpts:
        for word in set(content_words(e["text"])):
            users.setdefault(word, set()).add(e["participant"])
    people = {e["participant"] for e in excerpts}
    if len(people) < MIN_PEOPLE_FOR_COMMON:
        return frozenset()
    return frozenset(w for w, who in users.items() if len(who) > share * len(people))


def needed_overlap(words: frozenset[str]) -> int:
    """How many of a phrase's content words another excerpt must share to count as similar."""
    return max(2, math.ceil(len(words) / 2))


def users_of(words: frozenset[str], vocabulary: dict[str, list[frozenset[str]]]) -> set[str]:
    """Participants with at least one excerpt sharing enough of ``words``.

    ``vocabulary``: participant -> the content-word sets of their excerpts.
    """
    if len(words) < 2:
        return set()
    need = needed_overlap(words)
    return {
        person
        for person, bags in vocabulary.items()
        if any(len(words & bag) >= need for bag in bags)
    }


def vocabulary(
    excerpts: Iterable[dict], ignore: frozenset[str] = frozenset()
) -> dict[str, list[frozenset[str]]]:
    """Participant -> the content-word sets of their excerpts (without the ``ignore`` words)."""
    out: dict[str, list[frozenset[str]]] = {}
    for e in excerpts:
        out.setdefault(e["participant"], []).append(frozenset(content_words(e["text"])) - ignore)
    return out


def person_key(participant: str) -> tuple:
    """Natural order of participant ids: P2 before P10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", participant))
