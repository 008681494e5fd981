"""Describe themes: keyphrases (noun chunks weighted c-TF-IDF style), a label in the customers'
own words, and representative verbatim quotes chosen for centrality and participant variety."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from qualseg.embed import text_hash
from qualseg.nlp import load_pipeline

# Pseudonyms put into the text before analysis ("Participant 3", "Person B", "[email]",
# "Transcript 2.vtt"; see qualseg.privacy.pseudonyms) are nobody's words: never a keyphrase.
PSEUDONYM = re.compile(
    r"\b(?:Participant|Interviewer|Transcript) \d+\b|\b(?:Person|Company|Place) [A-Z]{1,3}\b"
    r"|\[(?:email|phone|url|address|number)\]"
)
# Entities that name no need: people, dates, amounts, places.
_SKIP_ENTITIES = frozenset(
    [
        "PERSON",
        "DATE",
        "TIME",
        "CARDINAL",
        "ORDINAL",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
    ]
)
_SKIP_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "it",
        "its",
        "they",
        "them",
        "their",
        "he",
        "she",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "who",
        "thing",
        "things",
        "stuff",
        "lot",
        "lots",
        "kind",
        "sort",
        "way",
        "ways",
        "time",
        "times",
        "bit",
        "one",
        "ones",
        "something",
        "everything",
        "anything",
        "nothing",
        "everyone",
        "someone",
        "people",
        "guy",
        "guys",
        "question",
        "point",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "hour",
        "hours",
        "minute",
        "minutes",
    ]
)


@dataclass(frozen=True)
class ThemeDescription:
    """Label, keyphrases and representative quote indexes of one theme."""

    label: str
    keyphrases: tuple[str, ...]
    quotes: tuple[int, ...]  # indexes into the excerpt list given to describe_themes


class PhraseCache(Protocol):
    """Where keyphrases of excerpt texts are kept between runs (the project store)."""

    def get_phrases(self, hashes: Sequence[str]) -> dict[str, list[tuple[str, str]]]: ...

    def put_phrases(self, phrases: dict[str, list[tuple[str, str]]]) -> None: ...


def cached_phrases(texts: Sequence[str], cache: PhraseCache) -> list[list[tuple[str, str]]]:
    """``candidate_phrases`` of each text, parsing only the texts the cache does not hold."""
    hashes = [text_hash(t) for t in texts]
    known = cache.get_phrases(hashes)
    todo = list(dict.fromkeys(h for h in hashes if h not in known))
    by_hash = dict(zip(hashes, texts, strict=True))
    fresh = (
        dict(zip(todo, candidate_phrases([by_hash[h] for h in todo]), strict=True)) if todo else {}
    )
    if fresh:
        cache.put_phrases(fresh)
    known.update(fresh)
    return [[p for p in known[h] if not PSEUDONYM.search(p[1])] for h in hashes]


def candidate_phrases(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """(normalised key, surface form) of the noun chunks of each text.

    Pronouns, fillers, numbers and named people, dates, amounts and places are left out.
    """
    nlp = load_pipeline()
    out: list[list[tuple[str, str]]] = []
    for doc in nlp.pipe(texts, batch_size=64):
        phrases = []
        for chunk in doc.noun_chunks:
            tokens = [
                t
                for t in chunk
                if not (t.is_stop or t.is_punct or t.is_space or t.like_num)
                and any(ch.isalnum() for ch in t.text)
                and t.ent_type_ not in _SKIP_ENTITIES
            ]
            while tokens and tokens[0].pos_ in {"DET", "PRON", "ADV", "CCONJ"}:
                tokens = tokens[1:]
            if not tokens or all(t.lemma_.lower() in _SKIP_WORDS for t in tokens):
                continue
            key = " ".join(t.lemma_.lower() for t in tokens)
            surface = doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
            if len(key) > 2:
                phrases.append((key, surface))
        out.append(phrases)
    return out


def describe_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    participants: Sequence[int],
    labels: np.ndarray,
    *,
    quotes_per_theme: int = 5,
    phrases: list[list[tuple[str, str]]] | None = None,
) -> dict[int, ThemeDescription]:
    """Describe every theme of one lens (label -1 is skipped)."""
    phrases = phrases if phrases is not None else candidate_phrases(texts)
    themes = sorted(set(labels.tolist()) - {-1})
    term_counts = {t: Counter() for t in themes}
    surfaces: dict[str, Counter[str]] = {}
    for idx, theme in enumerate(labels.tolist()):
        if theme == -1:
            continue
        for key, surface in phrases[idx]:
            term_counts[theme][key] += 1
            surfaces.setdefault(key, Counter())[surface.lower()] += 1
    weights = _ctfidf(term_counts)
    out = {}
    for theme in themes:
        members = np.flatnonzero(labels == theme)
        ranked = [k for k, _ in weights[theme].most_common(8)]
        top = [surfaces[k].most_common(1)[0][0] for k in ranked]
        label = " / ".join(top[:2]) if top else texts[members[0]][:60]
        quotes = representative_quotes(vectors, participants, members, k=quotes_per_theme)
        out[theme] = ThemeDescription(label=label, keyphrases=tuple(top), quotes=quotes)
    return out


def _ctfidf(term_counts: dict[int, Counter]) -> dict[int, Counter]:
    """Class-based TF-IDF: a phrase weighs more when frequent in its theme, rare elsewhere."""
    totals: Counter[str] = Counter()
    for counts in term_counts.values():
        totals.update(counts)
    avg_words = sum(totals.values()) / max(len(term_counts), 1)
    weights = {}
    for theme, counts in term_counts.items():
        size = sum(counts.values()) or 1
        weights[theme] = Counter(
            {
                term: (count / size)
                * math.log(1 + avg_words / totals[term])
                * (1.0 if count > 1 else 0.5)
                * (1.5 if " " in term else 1.0)
                for term, count in counts.items()
            }
        )
    return weights


def representative_quotes(
    vectors: np.ndarray, participants: Sequence[int], members: np.ndarray, *, k: int = 5
) -> tuple[int, ...]:
    """Up to k central member indexes, from as many different participants as possible.

    Near-identical excerpts (cosine > 0.99) are quoted once.
    """
    centre = vectors[members].mean(axis=0)
    centre = centre / (np.linalg.norm(centre) or 1.0)
    order = members[np.argsort(-(vectors[members] @ centre), kind="stable")]
    chosen: list[int] = []
    seen: set[int] = set()

    def repeats(idx: int) -> bool:
        return any(float(vectors[idx] @ vectors[c]) > 0.99 for c in chosen)

    for idx in order:
        if participants[idx] not in seen and not repeats(idx):
            chosen.append(int(idx))
            seen.add(participants[idx])
        if len(chosen) == k:
            return tuple(chosen)
    for idx in order:
        if int(idx) not in chosen and not repeats(idx):
            chosen.append(int(idx))
        if len(chosen) == k:
            break
    return tuple(chosen)
