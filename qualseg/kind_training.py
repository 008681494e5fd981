"""What the kind classifier learns from, and fitting it.

Two sources: every excerpt of the annotated studies (``data/kind_training.jsonl``, built by
``scripts/build_kind_training.py``: each excerpt with its study, turn and interviewer question,
labelled by the gold sentence it stands for, or unlabelled), and the generic examples of
``kind_examples.py``, each paired with a generic question of its kind. Unlabelled excerpts are
never fitted on; they only give the labelled ones their answer turn.

The shipped model (``data/kind_model.npz``) is fitted on all of it once by
``scripts/train_kinds.py``; the evaluation fits it again without one study to score that study
(leave-one-study-out). A run with another embedding model fits it here, on that model's vectors.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qualseg.classify import KindClassifier, KindInput, embed_kind_input
from qualseg.embed import Embedder, EmbeddingCache, MemoryCache, embed_cached
from qualseg.kind_examples import EXAMPLES, PROMPTS
from qualseg.kind_features import relative_positions

TRAINING_FILE = Path(__file__).with_name("data") / "kind_training.jsonl"
GENERIC = "generic"
"""The study name of the generic examples."""
FITTED_KIND = {"need": "need", "outcome": "need"}
"""Kinds the classifier tells apart: outcome is fitted as need (split afterwards by wording)."""


@dataclass(frozen=True)
class TrainingRow:
    """One excerpt (or generic example) with its context and label ("" when unlabelled)."""

    study: str
    turn: str
    text: str
    prompt: str
    kind: str


@functools.cache
def study_rows(path: Path = TRAINING_FILE) -> tuple[TrainingRow, ...]:
    """The annotated studies' excerpts, in transcript order (read once per process)."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            rows.append(
                TrainingRow(
                    study=item["study"],
                    turn=f"{item['study']}/{item['source']}#{item['turn']}",
                    text=item["text"],
                    prompt=item["prompt"],
                    kind=item["kind"],
                )
            )
    return tuple(rows)


def generic_rows() -> list[TrainingRow]:
    """The generic examples, each with a generic question of its kind (round robin)."""
    rows = []
    for kind, texts in EXAMPLES.items():
        prompts = PROMPTS[kind]
        for i, text in enumerate(texts):
            rows.append(
                TrainingRow(
                    study=GENERIC,
                    turn=f"{GENERIC}#{kind}{i}",
                    text=text,
                    prompt=prompts[i % len(prompts)],
                    kind=FITTED_KIND.get(kind, kind),
                )
            )
    return rows


def training_rows(*, without: Iterable[str] = ()) -> list[TrainingRow]:
    """All training rows but those of the named studies."""
    left_out = set(without)
    return [r for r in (*study_rows(), *generic_rows()) if r.study not in left_out]


def training_digest() -> str:
    """A fingerprint of everything a fit reads (the training file and the generic examples)."""
    payload = TRAINING_FILE.read_bytes() + json.dumps([EXAMPLES, PROMPTS], sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()


def training_texts() -> list[str]:
    """Every text a fit embeds: the rows' texts and questions (none of them a user's)."""
    rows = training_rows()
    return sorted({r.text for r in rows} | {r.prompt for r in rows if r.prompt})


def kind_input(
    rows: list[TrainingRow], embedder: Embedder, cache: EmbeddingCache | None
) -> KindInput:
    """The classifier's input for training rows (texts and questions embedded, cached)."""
    cache = cache if cache is not None else MemoryCache()
    texts = [r.text for r in rows]
    vectors = embed_cached(embedder, texts, cache)
    return embed_kind_input(
        texts,
        vectors,
        [r.prompt for r in rows],
        [r.turn for r in rows],
        row_positions(rows),
        embedder,
        cache,
        studies=[r.study for r in rows],
    )


def row_positions(rows: list[TrainingRow]) -> np.ndarray:
    """Each study row's relative place in its interview; nan for a generic example."""
    studied = [i for i, r in enumerate(rows) if r.study != GENERIC]
    out = np.full(len(rows), np.nan)
    if studied:
        sources = [rows[i].turn.rsplit("#", 1)[0] for i in studied]
        turns = [int(rows[i].turn.rsplit("#", 1)[1]) for i in studied]
        out[studied] = relative_positions(sources, turns)
    return out


def fit_kind_classifier(
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    *,
    without: Iterable[str] = (),
) -> KindClassifier:
    """Fit the kind classifier on every training row but those of the named studies."""
    rows = training_rows(without=without)
    # features over every row, so that a labelled excerpt's turn includes its unlabelled
    # neighbours; fitted on the labelled rows only
    data = kind_input(rows, embedder, cache)
    features = data.features()
    labelled = [i for i, r in enumerate(rows) if r.kind]
    classifier = KindClassifier()
    classifier.fit(
        features[labelled],
        [rows[i].kind for i in labelled],
        embedder=embedder.name,
        prior_mean=data.blocks().mean(axis=0),
    )
    classifier.training_digest_ = training_digest()
    return classifier
