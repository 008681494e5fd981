"""The kind classifier a run uses: the shipped, fitted one, or one fitted for another model.

The shipped model (``data/kind_model.npz``) was fitted on all-MiniLM-L6-v2 vectors; a run with
another embedding model (or the hashing embedder of the fast tests) fits the classifier on that
model's vectors of the training rows, once per process, with the vectors kept in memory: the
training texts never enter a project's embedding cache.
"""

from __future__ import annotations

import functools

from qualseg.classify import MODEL_FILE, KindClassifier
from qualseg.embed import Embedder, MemoryCache


@functools.cache
def shipped_classifier() -> KindClassifier | None:
    """The fitted classifier shipped with qualseg, or None when the file is missing."""
    return KindClassifier.load(MODEL_FILE) if MODEL_FILE.is_file() else None


_FITTED: dict[str, KindClassifier] = {}


def kind_classifier_for(embedder: Embedder) -> KindClassifier:
    """The shipped classifier when it was fitted for this embedder, else one fitted now."""
    shipped = shipped_classifier()
    if shipped is not None and shipped.embedder_ == embedder.name:
        return shipped
    if embedder.name not in _FITTED:
        from qualseg.kind_training import fit_kind_classifier

        _FITTED[embedder.name] = fit_kind_classifier(embedder, MemoryCache())
    return _FITTED[embedder.name]
