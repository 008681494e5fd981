"""The alternative a segment's members mentioned: what they use now, used before or compared.

Found only in the members' own words, never guessed. A mention is a short phrase next to a cue
("we use X", "we switched from X", "move off X", "instead of X", "compared to X", "replacing X",
"export to X", "the X we were using", "X was too ...") that names a thing: a capitalised name in
mid-sentence (a tool or a vendor) or a tool word (spreadsheet, software, system, app...). After
"instead of" (which mostly introduces an activity or a place) only a tool word counts. Names of
participants, their metadata values and the researcher's product are never taken. Mentions are
grouped by name (or by the stem of their tool word) and ranked by how many members make them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qualseg.exports.messaging_text import person_key, stem, word_set
from qualseg.report import quote_of
from qualseg.report_types import Report

TOOL_WORDS = frozenset(
    stem(w)
    for w in word_set(
        "spreadsheet sheet excel workbook tool software system app application platform",
        "solution vendor provider service module add-on plugin process template paper email",
        "inbox whiteboard fax pdf binder ledger portal script macro form product package suite",
        "database program",
    )
)
DETERMINERS = word_set(
    "a an the this these that those our my their your his her its some any all every one"
)
STOP = word_set(
    "and or but for to with in on at from into onto off because so which that who whom whose "
    "when where while as than then was were is are be been being it we i they you he she me us "
    "them him before after last next every since until of about like by if not no just also "
    "still really now already there here what how why would could should will can do did does "
    "have has had"
)
CALENDAR = word_set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december q1 q2 q3 q4"
)
_VERB = r"(?:us(?:e|ed|ing)|ran|run(?:ning)?|rel(?:y|ied|ying)\s+on|tri(?:ed|es)|went\s+with)"
_SUBJECT = r"(?:we|i|they|our\s+team|the\s+team)"
_AUX = r"(?:'d|'ve|’d|’ve|\s+had|\s+have|\s+were|\s+are|\s+was)?"
_ADVERBS = r"(?:\s+(?:been|still|currently|always|just|mostly|originally|also))*"
FORWARD: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("we use", rf"\b{_SUBJECT}{_AUX}{_ADVERBS}\s+{_VERB}\s+"),
        (
            "we have this",
            r"\b(?:we|i)\s+(?:had|have|keep|kept|maintain(?:ed)?)\s+(?=(?:this|these|an?|our)\s)",
        ),
        (
            "switched from",
            r"\b(?:switch(?:ed|ing)?|mov(?:e|ed|ing)|migrat(?:e|ed|ing)|transition(?:ed|ing)?)"
            r"\s+(?:away\s+)?(?:from|off(?:\s+of)?)\s+",
        ),
        ("instead of", r"\binstead\s+of\s+"),
        ("compared to", r"\b(?:compared|comparing)\s+(?:to|with|against)\s+"),
        ("replacing", r"\breplac(?:e|ed|es|ing)\s+"),
        ("versus", r"\b(?:versus|vs\.?)\s+"),
        ("export to", r"\bexport(?:ed|ing|s)?\s+(?:it\s+|them\s+|everything\s+)?(?:to|into)\s+"),
    )
)
BACKWARD: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("X was too", r"\s+(?:was|is|were|are|felt|seemed)\s+(?:just\s+|way\s+|far\s+)?too\b"),
        (
            "the X we used",
            r"\s+(?:that\s+|which\s+)?(?:we|i|they)\s+(?:were\s+|had\s+been\s+|was\s+)?"
            r"(?:using|used|had|ran|relied\s+on)\b",
        ),
    )
)
MAX_WORDS = 4
_SPACES = re.compile(r"[ \t]*")
_TOKEN = re.compile(r"[A-Za-z0-9][\w&'’+-]*(?:\.[A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Mention:
    """One alternative named in one excerpt."""

    key: str  # what groups mentions: the lower-cased name, or the stem of the tool word
    text: str  # the verbatim words
    cue: str
    excerpt: dict


def _tokens_after(text: str, pos: int) -> list[re.Match[str]]:
    out: list[re.Match[str]] = []
    while len(out) < MAX_WORDS:
        m = _TOKEN.match(text, _SPACES.match(text, pos).end())  # type: ignore[union-attr]
        if not m:
            break
        out.append(m)
        pos = m.end()
    return out


def _tokens_before(text: str, pos: int) -> list[re.Match[str]]:
    found = list(_TOKEN.finditer(text[:pos]))
    out: list[re.Match[str]] = []
    end = pos
    for m in reversed(found):
        if len(out) == MAX_WORDS or text[m.end() : end].strip():
            break
        out.insert(0, m)
        end = m.start()
    return out


def _phrase(tokens: list[re.Match[str]], forward: bool) -> list[re.Match[str]]:
    """The noun-phrase-like words: leading determiners dropped, cut at the first stop word."""
    words = [t.group(0).lower() for t in tokens]
    if forward:
        i = 0
        while i < len(words) and words[i] in DETERMINERS:
            i += 1
        j = i
        while j < len(words) and words[j] not in STOP and words[j] not in DETERMINERS:
            j += 1
        return tokens[i:j]
    j = len(words)
    i = j
    while i > 0 and words[i - 1] not in STOP and words[i - 1] not in DETERMINERS:
        i -= 1
    return tokens[i:j]


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \"“‘'(")
    return not before or before[-1] in ".!?\n"


def _key(text: str, tokens: list[re.Match[str]], cue: str, excluded: set[str]) -> str | None:
    """What the phrase names (its grouping key), or None when it names no tool or vendor."""
    names = [
        t.group(0)
        for t in tokens
        if t.group(0)[0].isupper()
        and t.group(0) != "I"
        and not _sentence_start(text, t.start())
        and t.group(0).lower() not in CALENDAR
    ]
    if any(n.lower() in excluded for n in names):
        return None
    if names and cue != "instead of":
        return names[0].lower()
    head = stem(tokens[-1].group(0))
    return head if head in TOOL_WORDS else None


def mentions(excerpt: dict, excluded: set[str]) -> list[Mention]:
    """The alternatives one excerpt names, in text order."""
    text = excerpt["text"]
    out: list[tuple[int, Mention]] = []
    found: list[tuple[str, list[re.Match[str]]]] = []
    for cue, pattern in FORWARD:
        for m in pattern.finditer(text):
            found.append((cue, _phrase(_tokens_after(text, m.end()), forward=True)))
    for cue, pattern in BACKWARD:
        for m in pattern.finditer(text):
            found.append((cue, _phrase(_tokens_before(text, m.start()), forward=False)))
    for cue, tokens in found:
        if not tokens:
            continue
        key = _key(text, tokens, cue, excluded)
        if key:
            words = text[tokens[0].start() : tokens[-1].end()]
            out.append((tokens[0].start(), Mention(key, words, cue, excerpt)))
    seen: set[tuple[int, str]] = set()
    unique = []
    for start, mention in sorted(out, key=lambda x: (x[0], x[1].key)):
        if (start, mention.key) not in seen:
            seen.add((start, mention.key))
            unique.append(mention)
    return unique


def excluded_words(report: Report, product: str | None) -> set[str]:
    """Lower-cased words that are never an alternative: people's names, metadata values (company
    names, regions) and the researcher's product name."""
    words: set[str] = set()
    for person in report.get("participants", []):
        texts = [person.get("name") or ""]
        texts += [str(v) for v in (person.get("metadata") or {}).values()]
        for text in texts:
            words.update(w.lower() for w in _TOKEN.findall(text))
    words.update(w.lower() for w in _TOKEN.findall(product or ""))
    return words


@dataclass(frozen=True)
class Alternative:
    text: str
    key: str
    members: int
    cues: tuple[str, ...]
    quotes: tuple[dict, ...]


def find_alternative(
    report: Report, members: set[str], *, product: str | None = None, max_quotes: int = 3
) -> Alternative | None:
    """The alternative most members mention, with one quote per member; None when none does.

    Ties: more mentions, then the first mention in participant and transcript order.
    """
    excluded = excluded_words(report, product)
    found: dict[str, list[Mention]] = {}
    excerpts = sorted(
        (e for e in report.get("excerpts", []) if e["participant"] in members),
        key=lambda e: (person_key(e["participant"]), e["source"], e["start"], e["id"]),
    )
    for e in excerpts:
        if e.get("dismissed"):
            continue
        for mention in mentions(e, excluded):
            found.setdefault(mention.key, []).append(mention)
    if not found:
        return None
    order = list(found)

    def rank(key: str) -> tuple:
        people = {m.excerpt["participant"] for m in found[key]}
        return (-len(people), -len(found[key]), order.index(key))

    best = min(found, key=rank)
    chosen = found[best]
    forms = Counter(m.text for m in chosen)
    first = {m.text: i for i, m in reversed(list(enumerate(chosen)))}
    text = min(forms, key=lambda f: (-forms[f], len(f), first[f]))
    quotes: dict[str, dict] = {}
    for m in chosen:
        quotes.setdefault(m.excerpt["participant"], quote_of(m.excerpt))
    return Alternative(
        text=text,
        key=best,
        members=len(quotes),
        cues=tuple(dict.fromkeys(m.cue for m in chosen)),
        quotes=tuple(list(quotes.values())[:max_quotes]),
    )
