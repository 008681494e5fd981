"""Find the identifiers of a study: speakers, participants.csv values, named entities, patterns.

Sources, strongest first (a surface found by several keeps the first):
1. speaker names (participants, interviewers, others) from the store;
2. values of identifier-like participants.csv columns (company, name, email, phone, city...);
3. identifier patterns (e-mails, phones, URLs, street addresses, account numbers);
4. people and companies the sentence shapes point at (``context.py``): greetings ("Hi Oskar!"),
   self-introductions ("it's Yvette from Corriebrook Labs"), roles ("our CEO, Rhiannon");
5. spaCy named entities in the speech and header lines: PERSON, ORG, GPE/LOC/FAC; a surname
   after Dr./Mr./Ms. An entity's category is the vote of all its occurrences, overruled by an
   organisation's ending ("... Savings Bank") or a person's sentence shape. An entity the study
   uses as a tool or product ("we use X", "switched from X") or a regulation ("under X", "X
   rules"), a holiday, month or weekday, or an all-capitals acronym is not an identifier: a tool
   is listed as ``auto_reject`` (kept, the researcher may still confirm it), the rest is left out.
   The recogniser's slips are mended first (``entity_slips.py``): an opening word it took in
   ("So Gail") is dropped, a title alone ("Dr") is nothing and a title with a name is a person,
   "VP of Fleet" is a role.

Variants point at the full form they belong to ("Dana" -> "Dana Whitfield", "Acme" -> "Acme
Corp") so that they get the same pseudonym; a first name is linked to a full name only when every
transcript that says the first name says the full name too (another "Dana" elsewhere is somebody
else, with a pseudonym of their own). A capitalised word after a person's first name is their
surname ("Dana Whitfield" when only "Dana" was known): the full form is one entity. A candidate that is probably not identifying is
proposed as ``auto_reject`` with the reason: a place of state size or larger (HIPAA Safe Harbor
keeps states), or an organisation named in three or more transcripts (the product under study or
a tool everybody uses).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from qualseg.ingest.names import is_generic_label
from qualseg.models import Transcript
from qualseg.privacy import context
from qualseg.privacy.entities import EntityCache, entity_key, entity_records
from qualseg.privacy.entity_slips import (
    TITLE,
    WORD,
    capitalised_inside,
    honorific_surnames,
    mend,
    plausible,
)
from qualseg.privacy.known_products import keep_products
from qualseg.privacy.large_places import LARGE_PLACES
from qualseg.privacy.patterns import pattern_matches

NER_CATEGORIES = {
    "PERSON": "person",
    "ORG": "company",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
SPEAKER_CATEGORIES = {"participant": "participant", "interviewer": "interviewer", "other": "person"}
COMMON_ORG_FILES = 3
KEEP_LABELS = {"PRODUCT", "LAW", "DATE", "TIME", "EVENT", "LANGUAGE", "MONEY", "PERCENT"}
TOOL = "used as a tool or product in the interviews (not a person, company or place)"
_IDENTIFIER_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"e-?mail", re.I), "email"),
    (re.compile(r"phone|mobile|\btel", re.I), "phone"),
    (re.compile(r"address|street", re.I), "address"),
    (re.compile(r"company|organi[sz]ation|employer|firm|account name|customer", re.I), "company"),
    (re.compile(r"city|town", re.I), "place"),
    (re.compile(r"name|participant|person|contact", re.I), "participant"),
)
_NOT_SPEECH_LINE = re.compile(
    r"-->|[<>]|^\s*(?:WEBVTT|\d+|Attendees|Transcript)\s*$|^\s*Transcribed by\b"
)


@dataclass(frozen=True)
class SpeakerInfo:
    """A speaker as detection needs it."""

    id: int
    label: str
    display_name: str
    role: str
    metadata: dict[str, str] = field(default_factory=dict)
    transcript: int = 0


@dataclass
class Candidate:
    """A surface string proposed for replacement.

    Attributes:
        surface: the exact string in the texts.
        category: participant, interviewer, person, company, place, email, phone, url, address,
            number or file.
        origin: where it was found ("speaker", "participants.csv company", "ner:ORG", ...).
        count: occurrences in the study's texts (not inside a longer candidate).
        files: transcripts it occurs in.
        link: the full form whose pseudonym it shares, for variants.
        rank: order of numbering within a category (participants by speaker id).
        auto_reject: why it is proposed as not identifying, or "".
    """

    surface: str
    category: str
    origin: str
    count: int = 0
    files: set[str] = field(default_factory=set)
    link: str | None = None
    rank: tuple = ()
    auto_reject: str = ""


def speech_pieces(transcript: Transcript) -> list[str]:
    """The texts NER reads: each turn's speech and the header lines outside the turns."""
    pieces = [u.text_in(transcript.text) for u in transcript.utterances]
    covered = sorted(span for u in transcript.utterances for span in u.spans)
    outside, last = [], 0
    for a, b in covered:
        outside.append(transcript.text[last:a])
        last = max(last, b)
    outside.append(transcript.text[last:])
    labels = set(transcript.speakers)
    for line in "\n".join(outside).splitlines():
        line = line.strip().rstrip(":")
        if line and not _NOT_SPEECH_LINE.search(line) and line not in labels:
            pieces.append(line)
    return pieces


def detect(
    transcripts: Sequence[Transcript],
    speakers: Sequence[SpeakerInfo],
    cache: EntityCache | None = None,
    not_personal: Sequence[str] = (),
    parse: Callable[[list[list[str]]], list[list[list]]] = entity_records,
) -> list[Candidate]:
    """Every candidate identifier of a study, with counts, links and auto-reject reasons.

    ``cache`` keeps each transcript's named-entity parse (``entity_records``) by the hash of
    what the recogniser reads, so that only new or changed transcripts are parsed again.
    ``not_personal``: the project's terms to keep as written (the product under study, its
    competitors), besides the widely used products of ``known_products``.
    ``parse``: how the transcripts the cache lacks are parsed (``entity_records``, or the same
    in a child process: ``entity_prefetch``); not called when the cache holds them all.
    """
    texts = {t.source: t.text for t in transcripts}
    prose = [_prose(t) for t in texts.values()]
    lower_words = {w for t in prose for w in WORD.findall(t) if w.islower()}
    inner = capitalised_inside(prose)
    found: dict[str, Candidate] = {}

    def offer(c: Candidate) -> None:
        surface = c.surface.strip()
        if len(surface) < 2 or surface in found:
            return
        c.surface = surface
        found[surface] = c

    for s in sorted(speakers, key=lambda s: s.id):
        for name in dict.fromkeys([s.display_name, s.label]):
            if name.strip() and not is_generic_label(name) and WORD.search(name):
                category = SPEAKER_CATEGORIES.get(s.role, "person")
                link = _same_person(name, s, speakers)
                offer(Candidate(name, category, "speaker", rank=(s.id,), link=link))
    for s in sorted(speakers, key=lambda s: s.id):
        for column, value in sorted(s.metadata.items()):
            category = metadata_category(column)
            if category and value.strip():
                offer(Candidate(value, category, f"participants.csv {column}", rank=(s.id,)))
    for text in texts.values():
        for pattern, match in pattern_matches(text):
            offer(Candidate(match.group(0), pattern.category, f"pattern:{pattern.category}"))
    people = _shaped(transcripts, lower_words)
    for c in people:
        if (
            c.category in {"company", "place"}
            and not context.org_ending(c.surface)
            and _uses(c.surface, texts)["tool"]
        ):
            c.auto_reject = TOOL  # the company whose product they bought: kept as a product
        offer(c)
    named = {c.surface for c in people if c.category == "person"}
    for c in _entities(transcripts, (lower_words, inner), named, texts, cache, parse):
        offer(c)
    keep_products(found, not_personal, lower_words)
    _add_surnames(found, texts, lower_words)
    _join_companies(found, texts)
    _add_variants(found, texts, lower_words)
    _count(found, texts)
    _auto_reject(found)
    return [c for c in found.values() if c.count > 0 or c.origin == "speaker"]


def _prose(text: str) -> str:
    """The text without e-mail addresses and links: "lumenfold" in "tomasz@lumenfold.io" does
    not make "Fernhollow" an ordinary word."""
    for pattern, match in pattern_matches(text):
        if pattern.category in {"email", "url"}:
            text = text.replace(match.group(0), " ")
    return text


def _same_person(name: str, speaker: SpeakerInfo, speakers: Sequence[SpeakerInfo]) -> str | None:
    """The full name a one-word speaker label shortens in the same transcript ("Dana" for
    "Dana Whitfield"), if exactly one speaker there has it as first name."""
    if " " in name.strip():
        return None
    fulls = {
        s.display_name
        for s in speakers
        if s.transcript == speaker.transcript
        and s.display_name.split()[:1] == [name]
        and " " in s.display_name.strip()
    }
    return fulls.pop() if len(fulls) == 1 else None


def metadata_category(column: str) -> str | None:
    """The identifier category of a participants.csv column, or None for descriptive columns."""
    for pattern, category in _IDENTIFIER_COLUMNS:
        if pattern.search(column):
            return category
    return None


def _shaped(transcripts: Sequence[Transcript], lower_words: set[str]) -> list[Candidate]:
    """People and companies found by the shape of the sentence around them (greetings,
    self-introductions, roles), in order of appearance."""
    out: list[Candidate] = []
    for t in transcripts:
        for piece in speech_pieces(t):
            for name, how in context.people_in(piece, lower_words):
                # "our auditor, Okonkwo Partners": the role's shape, an organisation's name
                category = "company" if context.org_ending(name) else "person"
                out.append(Candidate(name, category, how))
            for company in context.companies_in(piece, lower_words):
                out.append(Candidate(company, "company", "where someone works or is from"))
            for place in context.places_in(piece, lower_words):
                out.append(Candidate(place, "place", "a named site or road"))
    return out


def _entities(
    transcripts: Sequence[Transcript],
    words: tuple[set[str], set[str]],
    people: set[str],
    texts: dict[str, str],
    cache: EntityCache | None = None,
    parse: Callable[[list[list[str]]], list[list[list]]] = entity_records,
) -> Iterable[Candidate]:
    """Named entities, one candidate per surface: the category its occurrences vote for, unless
    its ending or a person's sentence shape says otherwise; tools, regulations and dates out.
    ``words``: the study's lower-case words and the words it capitalises inside a sentence."""
    lower_words, inner = words
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    keep: Counter[str] = Counter()
    labels: dict[str, str] = {}
    all_pieces = [speech_pieces(t) for t in transcripts]
    keys = [entity_key(pieces) for pieces in all_pieces]
    known = cache.get_entities(keys) if cache is not None else {}
    todo = {k: p for k, p in zip(keys, all_pieces, strict=True) if k not in known}
    fresh = dict(zip(todo, parse(list(todo.values())), strict=True)) if todo else {}
    for pieces, key in zip(all_pieces, keys, strict=True):
        for piece in pieces:
            for surname in honorific_surnames(piece, lower_words, inner):
                yield Candidate(surname, "person", "title + surname")
        for raw, raw_label, proper in known[key] if key in known else fresh[key]:
            mended = mend(raw, raw_label, lower_words, inner)
            if mended is None:
                continue
            surface, label = mended
            if label in KEEP_LABELS:
                keep[surface] += 1
                continue
            category = NER_CATEGORIES.get(label)
            if category is None or not surface:
                continue
            if plausible(surface, proper, category, lower_words):
                votes[surface][category] += 1
                labels.setdefault(surface, label)
    if cache is not None and fresh:
        cache.put_entities(fresh)
    for surface, counts in votes.items():
        if context.is_date_word(surface) or keep[surface] > sum(counts.values()):
            continue  # "Easter", "Monday", a name the recogniser mostly calls a product or law
        if context.org_ending(surface):
            yield Candidate(surface, "company", f"ner:{labels[surface]}; organisation's ending")
            continue
        if surface in people:
            continue  # offered already as a person
        uses = _uses(surface, texts)
        if uses["law"]:
            continue
        category = counts.most_common(1)[0][0]
        candidate = Candidate(surface, category, f"ner:{labels[surface]}")
        if uses["tool"]:
            candidate.auto_reject = TOOL
        yield candidate


def _uses(surface: str, texts: dict[str, str]) -> Counter[str]:
    """How the occurrences of a surface are used: tool, law or nothing said."""
    regex = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    return Counter(
        context.use_of(text, m.start(), m.end())
        for text in texts.values()
        if surface in text  # a substring test first: most names are said in a few transcripts
        for m in regex.finditer(text)
    )


def _add_variants(found: dict[str, Candidate], texts: dict[str, str], lower_words: set) -> None:
    """First names of people and short names of companies, linked to their full form."""
    firsts: dict[str, list[Candidate]] = defaultdict(list)
    for c in list(found.values()):
        words = c.surface.split()
        if c.category in {"participant", "interviewer", "person"} and len(words) >= 2:
            if WORD.fullmatch(words[0]) and words[0][0].isupper() and not TITLE.match(words[0]):
                firsts[words[0]].append(c)
        elif c.category == "company" and len(words) >= 2:
            for short in (words[0], " ".join(words[:-1])):
                if (
                    short not in found
                    and WORD.search(short)
                    and short[0].isupper()
                    and short.lower() not in lower_words
                    and short not in {"&", "The"}
                ):
                    found[short] = Candidate(
                        short, c.category, f"short name of {c.surface}", link=c.surface
                    )
    for first, owners in firsts.items():
        full = sorted({o.surface for o in owners})
        if len(full) == 1 and not _files_of(first, texts) <= _files_of(full[0], texts):
            # somebody else has this first name where the full name is never said
            if first not in found:
                found[first] = Candidate(first, "person", "first name (not linked: said alone)")
            continue
        if len(full) == 1:
            owner = owners[0]
            if first in found and found[first].origin.startswith("speaker"):
                continue
            found[first] = Candidate(
                first, owner.category, f"first name of {owner.surface}", link=owner.surface
            )
        elif first not in found:
            found[first] = Candidate(first, "person", "first name of " + ", ".join(full))


def _files_of(surface: str, texts: dict[str, str]) -> set[str]:
    regex = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    return {source for source, text in texts.items() if regex.search(text)}


def _add_surnames(found: dict[str, Candidate], texts: dict[str, str], lower_words: set) -> None:
    """A person known by one word followed by a capitalised word that is no ordinary word of
    the study: the two are the person's full name, one entity with the same pseudonym."""
    singles = [
        c
        for c in list(found.values())
        if c.category in {"participant", "interviewer", "person"}
        and WORD.fullmatch(c.surface)
        and not c.auto_reject
    ]
    for c in singles:
        regex = re.compile(
            r"(?<!\w)" + re.escape(c.surface) + r"[ \t]+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b"
        )
        for text in texts.values():
            if c.surface not in text:
                continue
            for m in regex.finditer(text):
                surname = m.group(1)
                full = f"{c.surface} {surname}"
                if (
                    surname.lower() in lower_words
                    or TITLE.fullmatch(surname)
                    or context.is_date_word(surname)
                    or full in found
                    or surname in found
                    and found[surname].category not in {"person"}
                ):
                    continue
                found[full] = Candidate(
                    full, c.category, f"surname after {c.surface}", link=c.link or c.surface
                )


def _join_companies(found: dict[str, Candidate], texts: dict[str, str]) -> None:
    """A company name continued by "and"/"&" and capitalised words ("Acme Tools and Dies")
    is one name: the whole of it is a company, with the same pseudonym; so is a name the
    recogniser took for a person or place when the whole ends like an organisation."""
    for c in list(found.values()):
        if c.auto_reject or c.category not in {"company", "person", "place"}:
            continue
        regex = re.compile(
            r"(?<!\w)"
            + re.escape(c.surface)
            + r"\s+(?:and|&)\s+((?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*)*)"
        )
        for text in texts.values():
            if c.surface not in text:
                continue
            for m in regex.finditer(text):
                full = m.group(0)
                tail = m.group(1)
                if tail == "I" or tail.startswith("I "):
                    continue  # "... on LinkedIn and I booked": the speaker, not a name
                if full in found or (tail in found and found[tail].auto_reject):
                    continue
                if c.category != "company" and not context.org_ending(full):
                    continue  # "Dana and Lee" are two people; "Lind Tools and Fuel" one firm
                link = c.surface if c.category == "company" else None
                found[full] = Candidate(full, "company", f"{c.surface} and more", link=link)


def _count(found: dict[str, Candidate], texts: dict[str, str]) -> None:
    """Occurrences of each candidate, longest first, never inside a longer one."""
    ordered = sorted(found, key=lambda s: (-len(s), s))
    if not ordered:
        return
    regex = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in ordered) + r")(?!\w)")
    counts: Counter[str] = Counter()
    for source, text in texts.items():
        for m in regex.finditer(text):
            counts[m.group(0)] += 1
            found[m.group(0)].files.add(source)
    for surface, c in found.items():
        c.count = counts[surface]


def _auto_reject(found: dict[str, Candidate]) -> None:
    for c in found.values():
        if c.category == "place" and c.surface in LARGE_PLACES:
            c.auto_reject = "a state, country or larger region (not identifying on its own)"
        elif (
            c.category == "company"
            and c.origin.startswith("ner")
            and len(c.files) >= COMMON_ORG_FILES
        ):
            c.auto_reject = (
                f"named in {len(c.files)} transcripts: likely the product under study or a tool"
            )
    for c in found.values():
        if c.link and c.link in found and found[c.link].auto_reject:
            c.auto_reject = found[c.link].auto_reject
