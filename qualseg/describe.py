"""Describe themes: a label in the customers' own words and keyphrases (``qualseg.labels``),
and representative verbatim quotes chosen for centrality and participant variety.

Labels and keyphrases read each excerpt's ``theme_text`` (no fillers, non-speech marks or
pseudonyms); quotes are the excerpts as said."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from qualseg.embed import text_hash
from qualseg.labels import doc_phrases, theme_words
from qualseg.nlp import BATCH, load_pipeline, map_batches
from qualseg.theme_text import PSEUDONYM, has_noise, theme_text

__all__ = [
    "PSEUDONYM",
    "PhraseCache",
    "ThemeDescription",
    "cached_phrases",
    "candidate_phrases",
    "describe_themes",
    "phrase_key",
    "representative_quotes",
]
# Bumped when what ``candidate_phrases`` returns changes, so cached rows of older runs are not read.
PHRASES_VERSION = "phrases-2"


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


def phrase_key(text: str) -> str:
    """The phrase cache's key of an excerpt text (its cleaned text and the phrase version)."""
    return text_hash(f"{PHRASES_VERSION}\n{theme_text(text)}")


def cached_phrases(texts: Sequence[str], cache: PhraseCache) -> list[list[tuple[str, str]]]:
    """``candidate_phrases`` of each text, parsing only the texts the cache does not hold."""
    hashes = [phrase_key(t) for t in texts]
    known = cache.get_phrases(hashes)
    todo = list(dict.fromkeys(h for h in hashes if h not in known))
    by_hash = dict(zip(hashes, texts, strict=True))
    fresh = (
        dict(zip(todo, candidate_phrases([by_hash[h] for h in todo]), strict=True)) if todo else {}
    )
    if fresh:
        cache.put_phrases(fresh)
    known.update(fresh)
    return [[p for p in known[h] if not has_noise(p[1])] for h in hashes]


def candidate_phrases(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """(normalised key, surface form) of the candidate phrases of each text's ``theme_text``:
    actions, nouns with their complement, noun chunks (see ``qualseg.labels``).

    Pronouns, fillers, numbers and named people, dates, amounts and places are left out.
    """
    if not texts:
        return []
    return map_batches(_batch_phrases, [texts])[0]


def _batch_phrases(texts: list[str]) -> list[list[tuple[str, str]]]:
    """The candidate phrases of one batch of texts (``nlp.map_batches``)."""
    nlp = load_pipeline()
    return [doc_phrases(doc) for doc in nlp.pipe((theme_text(t) for t in texts), batch_size=BATCH)]


def describe_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    participants: Sequence[int],
    labels: np.ndarray,
    *,
    quotes_per_theme: int = 5,
    phrases: list[list[tuple[str, str]]] | None = None,
    taken: set[str] | None = None,
) -> dict[int, ThemeDescription]:
    """Describe every theme of one lens (label -1 is skipped); labels are all different, and
    differ from the lower-cased labels in ``taken`` (other lenses'), which gets these added."""
    phrases = phrases if phrases is not None else candidate_phrases(texts)
    themes = sorted(set(labels.tolist()) - {-1})
    quotes = {
        t: representative_quotes(
            vectors, participants, np.flatnonzero(labels == t), k=quotes_per_theme
        )
        for t in themes
    }
    fallbacks = {t: _short(theme_text(texts[quotes[t][0]])) for t in themes if quotes[t]}
    words = theme_words(phrases, labels.tolist(), list(participants), fallbacks, taken=taken)
    return {
        t: ThemeDescription(label=words[t].label, keyphrases=words[t].keyphrases, quotes=quotes[t])
        for t in themes
    }


def _short(text: str, limit: int = 60) -> str:
    """The start of a text, cut at a word boundary."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


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
