"""A lens's theme labels kept between runs.

The lens clusterer is deterministic: given the same vectors, participants and settings it gives
the same labels. A re-run of an unchanged study (embeddings cached) reads them instead of
clustering again. The key hashes the clusterer's class and settings, the source of the module
that clusters (any change to the algorithm makes every key new), the vectors as float32 bytes
and the participants; the value is the labels. Only the default clusterer of a config is cached
(``analysis`` passes no cache for a clusterer of the caller's).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np


class ClusteringCache(Protocol):
    """Where a lens's theme labels are kept (the project store's ``clusterings`` table)."""

    def get_clusterings(self, keys: Sequence[str]) -> dict[str, list[int]]: ...

    def put_clusterings(self, labels: dict[str, list[int]]) -> None: ...


@cache
def _code_hash(module_file: str) -> str:
    return hashlib.sha256(Path(module_file).read_bytes()).hexdigest()


def clustering_key(clusterer: object, vectors: np.ndarray, participants: Sequence[int]) -> str:
    """The cache key of one lens's clustering (read ``clusterer``'s settings before it fits)."""
    module = __import__(type(clusterer).__module__, fromlist=["__file__"])
    settings = json.dumps(
        {
            "class": type(clusterer).__qualname__,
            "settings": vars(clusterer),
            "code": _code_hash(module.__file__),
        },
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(settings.encode("utf-8"))
    digest.update(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    digest.update(json.dumps([int(p) for p in participants]).encode("ascii"))
    return digest.hexdigest()


def cached_labels(
    clusterer: object,  # a LensClusterer: fit(vectors, participants) and labels_
    vectors: np.ndarray,
    participants: Sequence[int],
    store: object | None,
) -> np.ndarray:
    """The clusterer's labels for these vectors: from ``store`` when it has them (and is a
    ``ClusteringCache``), else fitted and kept there."""
    if store is None or not hasattr(store, "get_clusterings"):
        clusterer.fit(vectors, list(participants))  # type: ignore[attr-defined]
        return np.asarray(clusterer.labels_, dtype=int)  # type: ignore[attr-defined]
    key = clustering_key(clusterer, vectors, participants)
    found = store.get_clusterings([key])  # type: ignore[attr-defined]
    if key in found and len(found[key]) == len(vectors):
        return np.asarray(found[key], dtype=int)
    clusterer.fit(vectors, list(participants))  # type: ignore[attr-defined]
    labels = np.asarray(clusterer.labels_, dtype=int)  # type: ignore[attr-defined]
    store.put_clusterings({key: labels.tolist()})  # type: ignore[attr-defined]
    return labels
