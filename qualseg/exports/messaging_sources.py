"""Where the messaging starters' words come from: members' quotes of a theme, the segment's shared
metadata, a stated desired outcome, headline phrases and quotes that answer an objection.

Pure functions over the current-state report; every quote is verbatim (a whole excerpt, or a
phrase cut from a contiguous excerpt with exact offsets) and every order is deterministic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from qualseg.exports.messaging_text import (
    MIN_WORDS,
    Phrase,
    common_words,
    content_words,
    is_contiguous,
    person_key,
    phrases,
    sub_quote,
    users_of,
    vocabulary,
)
from qualseg.report import quote_of
from qualseg.report_types import Report, ReportSegment, ReportTheme
from qualseg.validation import DOMINANT_SHARE

ANSWER_KINDS = frozenset({"outcome", "trigger"})
MIN_ANSWER_SIMILARITY = 0.12
MAX_PER_PARTICIPANT = 2
BENEFIT_MAX_WORDS = 16
# what people say before the outcome they want: "What I really want is to", "I'd love for us to"
_OUTCOME_LEAD = re.compile(
    r"^(?:and\s+|so\s+|but\s+|honestly,?\s+)*"
    r"(?:(?:what\s+)?(?:i|we)(?:'d|’d|\s+would)?\s+(?:really\s+|just\s+|also\s+)?"
    r"(?:want(?:ed)?|need(?:ed)?|love|like|hope[d]?)\s+(?:(?:is|was)\s+)?(?:for\s+)?"
    r"(?:(?:(?:my|our|the)\s+\w+|us|them)\s+to\s+|to\s+)?"
    r"|ideally,?\s+(?=(?:we|i|they|my|our|the|every|everything|everyone)\b)"
    r"|the\s+(?:goal|dream|idea)\s+(?:is|was)\s+(?:to\s+|that\s+)?"
    r"|(?:it|that)\s+would\s+be\s+(?:great|nice|amazing)\s+(?:if\s+|to\s+)?)",
    re.IGNORECASE,
)


def live_excerpts(report: Report) -> list[dict]:
    """The excerpts not dismissed, in participant then transcript order."""
    return sorted(
        (e for e in report.get("excerpts", []) if not e.get("dismissed")),
        key=lambda e: (person_key(e["participant"]), e["source"], e["start"], e["id"]),
    )


def _theme(report: Report, theme_id: str) -> ReportTheme:
    return next(t for t in report.get("themes", []) if t["id"] == theme_id)


def member_theme_quotes(
    report: Report, theme_id: str, members: set[str], kinds: Sequence[str], limit: int
) -> tuple[dict, ...]:
    """Up to ``limit`` quotes of a theme by the segment's members, one per member: excerpts of
    the wanted ``kinds`` first, then the theme's representative quotes, then transcript order."""
    theme = _theme(report, theme_id)
    by_key = {e["id"]: e for e in live_excerpts(report)}
    representative = {q["excerpt"]: i for i, q in enumerate(theme.get("quotes", []))}
    candidates = [
        by_key[k]
        for k in theme.get("excerpts", [])
        if k in by_key and by_key[k]["participant"] in members
    ]
    candidates.sort(
        key=lambda e: (
            not set(e.get("kinds", [])) & set(kinds),
            representative.get(e["id"], len(representative)),
            person_key(e["participant"]),
            e["source"],
            e["start"],
            e["id"],
        )
    )
    chosen: dict[str, dict] = {}
    for e in candidates:
        chosen.setdefault(e["participant"], quote_of(e))
    return tuple(list(chosen.values())[:limit])


def segment_description(report: Report, segment: ReportSegment) -> tuple[str, str]:
    """The segment's label with the metadata values most of its members share (at least
    ``DOMINANT_SHARE`` of them, and two people); columns where most participants of the study
    have a value of their own (company, name) are left out. Returns (text, shared values)."""
    members = set(segment.get("participants", []))
    people = [p for p in report.get("participants", []) if p["id"] in members]
    everyone = report.get("participants", [])
    columns = sorted({c for p in everyone for c in (p.get("metadata") or {})})
    shared = []
    for column in columns:
        distinct = {str((p.get("metadata") or {}).get(column, "")) for p in everyone}
        if len(distinct) > max(len(everyone) / 2, 2):
            continue
        values = Counter(
            str(v) for p in people if (v := (p.get("metadata") or {}).get(column)) not in (None, "")
        )
        if not values:
            continue
        value, count = min(values.items(), key=lambda kv: (-kv[1], kv[0]))
        if count >= 2 and count / len(people) >= DOMINANT_SHARE:
            shared.append((-count, column, f"{column}: {value}", count))
    shared.sort()
    label = (segment.get("label") or "").strip()
    if not label:
        return "", ""
    values_text = "; ".join(s[2] for s in shared)
    evidence = "; ".join(f"{s[3]} of {len(people)} have {s[2]}" for s in shared)
    return (f"{label} ({values_text})" if shared else label), evidence


def _outcome_phrase(phrase: Phrase, excerpt: dict) -> tuple[Phrase, bool]:
    """The phrase without its lead-in ("What I really want is to ..."), when it can be cut, and
    whether it had one (a stated wish, not just a sentence the classifier called an outcome)."""
    lead = _OUTCOME_LEAD.match(phrase.text)
    if not lead or not lead.end():
        return phrase, False
    rest = phrase.text[lead.end() :]
    if len(rest.split()) < MIN_WORDS or not is_contiguous(excerpt):
        return phrase, True
    index = phrase.quote["start"] - excerpt["start"] + lead.end()
    return Phrase(sub_quote(excerpt, index, len(rest)), frozenset(content_words(rest))), True


def benefit_phrase(
    report: Report, theme_ids: Sequence[str], members: set[str]
) -> tuple[Phrase, int] | None:
    """A desired outcome members state in the segment's needs themes, as a short verbatim phrase,
    with how many members use similar words. Ranked by that count, then by theme order (strongest
    theme first), then shorter, then participant and place."""
    everyone = live_excerpts(report)
    common = common_words(everyone)
    excerpts = [e for e in everyone if e["participant"] in members]
    vocab = vocabulary(excerpts, common)
    rank = {t: i for i, t in enumerate(theme_ids)}
    found: list[tuple[tuple, Phrase, int]] = []
    for e in excerpts:
        themes = [rank[t] for t in e.get("themes", []) if t in rank]
        if "outcome" not in e.get("kinds", []) or not themes:
            continue
        for phrase in phrases(e, max_words=BENEFIT_MAX_WORDS + 4):
            phrase, stated = _outcome_phrase(phrase, e)
            if len(phrase.words) < 2 or len(phrase.text.split()) > BENEFIT_MAX_WORDS:
                continue
            count = len(users_of(phrase.words - common, vocab) | {e["participant"]})
            key = (not stated, -count, min(themes), len(phrase.text.split()), _place(phrase.quote))
            found.append((key, phrase, count))
    if not found:
        return None
    _, phrase, count = min(found, key=lambda f: f[0])
    return phrase, count


def _place(quote: dict) -> tuple:
    return (person_key(quote["participant"]), quote["source"], quote["start"], quote["end"])


def headline_phrases(report: Report, members: set[str], *, limit: int) -> list[tuple[Phrase, int]]:
    """Short verbatim phrases of the segment's members, each with how many members use similar
    content words (an excerpt sharing at least half of the phrase's content words, and two).

    Ranked by that count, then by participants of the whole study using similar words, then
    shorter first, then participant and place. Small talk (no theme, no kind but 'other') and
    phrases of fewer than two content words are left out; the same wording is kept once, and at
    most ``MAX_PER_PARTICIPANT`` phrases per participant so that one talkative member does not
    fill the list.
    """
    everyone = live_excerpts(report)
    common = common_words(everyone)
    study_vocab = vocabulary(everyone, common)
    mine = [e for e in everyone if e["participant"] in members]
    member_vocab = vocabulary(mine, common)
    scored = []
    for e in mine:
        if not e.get("themes") and set(e.get("kinds", [])) <= {"other"}:
            continue
        for phrase in phrases(e):
            words = phrase.words - common
            if len(words) < 2:
                continue
            in_segment = len(users_of(words, member_vocab))
            study = len(users_of(words, study_vocab))
            key = (-in_segment, -study, len(phrase.text.split()), _place(phrase.quote))
            scored.append((key, phrase, in_segment))
    scored.sort(key=lambda s: s[0])
    out: list[tuple[Phrase, int]] = []
    seen_texts: set[str] = set()
    seen_words: set[frozenset[str]] = set()
    per_person: Counter[str] = Counter()
    for _, phrase, count in scored:
        wording = " ".join(phrase.text.casefold().split())
        person = phrase.quote["participant"]
        if wording in seen_texts or phrase.words in seen_words:
            continue
        if per_person[person] >= MAX_PER_PARTICIPANT:
            continue
        seen_texts.add(wording)
        seen_words.add(phrase.words)
        per_person[person] += 1
        out.append((phrase, count))
        if len(out) == limit:
            break
    return out


def similar_answers(report: Report, theme_id: str, limit: int) -> tuple[dict, ...]:
    """Quotes from anyone in the study that may answer an objection: outcome or trigger excerpts
    (not objections, not in the objection theme) that use at least one word of the objection's
    keyphrases and are closest to its words (TF-IDF over content words; the query is the theme's
    keyphrases plus the mean of its excerpts; cosine at least ``MIN_ANSWER_SIMILARITY``), most
    similar first, one per participant."""
    theme = _theme(report, theme_id)
    excerpts = live_excerpts(report)
    inside = set(theme.get("excerpts", []))
    keywords = {w for phrase in theme.get("keyphrases", []) for w in content_words(phrase)}
    candidates = [
        e
        for e in excerpts
        if set(e.get("kinds", [])) & ANSWER_KINDS
        and "objection" not in e.get("kinds", [])
        and e["id"] not in inside
        and keywords & set(content_words(e["text"]))
    ]
    voiced = [e["text"] for e in excerpts if e["id"] in inside]
    if not candidates or not voiced:
        return ()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    vectorizer = TfidfVectorizer(
        tokenizer=content_words, lowercase=False, token_pattern=None, sublinear_tf=True
    ).fit([e["text"] for e in excerpts])
    centre = np.asarray(vectorizer.transform(voiced).mean(axis=0))
    query = centre + vectorizer.transform([" ".join(theme["keyphrases"])]).toarray()
    scores = cosine_similarity(query, vectorizer.transform([e["text"] for e in candidates]))[0]
    ranked = sorted(
        (
            (-round(float(s), 6), person_key(e["participant"]), e["id"], e)
            for s, e in zip(scores, candidates, strict=True)
            if s >= MIN_ANSWER_SIMILARITY
        ),
        key=lambda r: r[:3],
    )
    chosen: dict[str, dict] = {}
    for *_, e in ranked:
        chosen.setdefault(e["participant"], quote_of(e))
    return tuple(list(chosen.values())[:limit])
