"""An excerpt's framing: its words with the content words masked, so that what is left is how
it is said, not what it is about.

"Nobody could ever prove who had signed off on the payment" becomes "Nobody could ever prove
who had signed off on the something": the shape of a standing problem, which reads the same in
any market. The kind classifier reads the embedding of this text beside the excerpt's own
(``kind_features``): within one study the topic of an excerpt (audits, invoices, vans) says
little about its kind, and a classifier reading only the words of a study it never saw takes
the topic of a trigger for a trigger.

Masked: nouns, proper nouns, numbers and adjectives (spaCy's part-of-speech tags). Verbs,
pronouns, auxiliaries, adverbs and function words stay: "had to", "then", "nobody", "every",
"wanted", "happened" carry the kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from qualseg.embed import text_hash
from qualseg.nlp import BATCH, load_pipeline, map_batches

MASKED_POS = frozenset({"NOUN", "PROPN", "NUM", "ADJ"})
MASK = "something"
FRAMING_VERSION = "framing-1"
_UNUSED_COMPONENTS = ("parser", "lemmatizer", "ner")
"""Components the part-of-speech tags do not need (the tagger and attribute ruler stay)."""


class FramingCache(Protocol):
    """Where framings are kept between runs: the project store's per-text parse results."""

    def get_phrases(self, hashes: Sequence[str]) -> dict[str, list[tuple[str, str]]]: ...

    def put_phrases(self, phrases: dict[str, list[tuple[str, str]]]) -> None: ...


def framings(texts: Sequence[str]) -> list[str]:
    """The framing of each text (see the module docstring)."""
    if not texts:
        return []
    return map_batches(_batch_framings, [texts])[0]


def _batch_framings(texts: list[str]) -> list[str]:
    nlp = load_pipeline()
    return [
        "".join(
            (MASK if token.pos_ in MASKED_POS else token.text) + token.whitespace_ for token in doc
        )
        for doc in nlp.pipe(texts, batch_size=BATCH, disable=list(_UNUSED_COMPONENTS))
    ]


def framing_key(text: str) -> str:
    """The cache key of a text's framing (its text and the framing version)."""
    return text_hash(f"{FRAMING_VERSION}\n{text}")


def cached_framings(texts: Sequence[str], cache: FramingCache) -> list[str]:
    """``framings`` of the texts, tagging only those the cache does not hold.

    The framing is kept in the phrase table as one ("framing", text) pair under its own key.
    """
    keys = [framing_key(t) for t in texts]
    known = {k: v[0][1] for k, v in cache.get_phrases(keys).items() if v}
    todo = list(dict.fromkeys(k for k in keys if k not in known))
    by_key = dict(zip(keys, texts, strict=True))
    fresh = dict(zip(todo, framings([by_key[k] for k in todo]), strict=True)) if todo else {}
    if fresh:
        cache.put_phrases({k: [("framing", v)] for k, v in fresh.items()})
    known.update(fresh)
    return [known[k] for k in keys]


def stored_framings(texts: Iterable[str], cache: FramingCache) -> dict[str, str]:
    """The framing the cache holds of each of these texts (none tagged here): what deletion
    needs to find the framing's own embedding row."""
    key_of = {framing_key(t): t for t in texts}
    found = cache.get_phrases(list(key_of))
    return {key_of[k]: v[0][1] for k, v in found.items() if v}
