"""Clusterings kept between runs: each lens's theme labels and the segment discovery.

Both are deterministic: given the same vectors, participants and settings they give the same
result. A re-run of an unchanged study (embeddings cached) reads them instead of clustering
again. A key hashes the settings (the clusterer's, the seed and k range of discovery), the
source and the upper-case constants of the module that clusters (any change to the algorithm
or a threshold makes every key new), the vectors as float32 bytes and the participants. Only
the defaults are cached: ``analysis`` passes no cache for a clusterer or segmenter of the
caller's.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol, TypeVar, runtime_checkable

import numpy as np

from qualseg.cluster import LensClusterer
from qualseg.segment_discovery import Discovery, Segmentation, Segmenter

T = TypeVar("T")


@runtime_checkable
class ClusteringCache(Protocol):
    """Where clusterings are kept (the project store's ``clusterings`` table); a cache without
    these methods (an in-memory embedding cache) keeps none."""

    def get_clusterings(self, keys: Sequence[str]) -> dict[str, object]: ...

    def put_clusterings(self, values: dict[str, object]) -> None: ...


@cache
def _code_hash(module_file: str) -> str:
    return hashlib.sha256(Path(module_file).read_bytes()).hexdigest()


def _module(name: str) -> dict[str, object]:
    """What of a module decides its results: its source and its upper-case constants."""
    module = sys.modules[name]
    constants = {k: v for k, v in vars(module).items() if k.isupper() and not callable(v)}
    return {"code": _code_hash(str(module.__file__)), "constants": constants}


def _plain(value: object) -> object:
    """A value as JSON the same in every process: sets sorted (their order follows the
    process's string hashing), mappings and sequences element by element."""
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def _digest(what: dict[str, object]) -> hashlib._Hash:
    return hashlib.sha256(json.dumps(_plain(what), sort_keys=True).encode("utf-8"))


def clustering_key(clusterer: object, vectors: np.ndarray, participants: Sequence[int]) -> str:
    """The cache key of one lens's clustering (read ``clusterer``'s settings before it fits)."""
    digest = _digest(
        {
            "class": type(clusterer).__qualname__,
            "settings": vars(clusterer),
            "module": _module(type(clusterer).__module__),
        }
    )
    digest.update(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    digest.update(json.dumps([int(p) for p in participants]).encode("ascii"))
    return digest.hexdigest()


def _read_through(
    store: object | None,
    key: Callable[[], str],
    compute: Callable[[], T],
    decode: Callable[[object], T | None],
    encode: Callable[[T], object],
) -> T:
    """``compute()``, or what ``store`` keeps under ``key()`` when ``decode`` accepts it; a
    computed result is kept. ``key`` is called first (a clusterer's settings before it fits)."""
    if not isinstance(store, ClusteringCache):
        return compute()
    name = key()
    hit = store.get_clusterings([name]).get(name)
    found = decode(hit) if hit is not None else None
    if found is not None:
        return found
    result = compute()
    store.put_clusterings({name: encode(result)})
    return result


def cached_labels(
    clusterer: LensClusterer,
    vectors: np.ndarray,
    participants: Sequence[int],
    store: object | None,
) -> np.ndarray:
    """The clusterer's labels for these vectors: from ``store`` when it has them (and is a
    ``ClusteringCache``), else fitted and kept there."""

    def fit() -> np.ndarray:
        clusterer.fit(vectors, list(participants))
        return np.asarray(clusterer.labels_, dtype=int)

    def decode(hit: object) -> np.ndarray | None:
        ok = isinstance(hit, list) and len(hit) == len(vectors)
        return np.asarray(hit, dtype=int) if ok else None

    return _read_through(
        store,
        lambda: clustering_key(clusterer, vectors, participants),
        fit,
        decode,
        lambda labels: labels.tolist(),
    )


def discovery_key(evidence: Mapping[int, np.ndarray], seed: int, k_range: tuple[int, int]) -> str:
    """The cache key of a segment discovery over each participant's evidence vectors."""
    digest = _digest(
        {
            "what": "discovery",
            "seed": seed,
            "k_range": list(k_range),
            "module": _module(Discovery.__module__),
        }
    )
    for person in sorted(evidence):
        rows = np.ascontiguousarray(evidence[person], dtype=np.float32)
        digest.update(json.dumps([int(person), list(rows.shape)]).encode("ascii"))
        digest.update(rows.tobytes())
    return digest.hexdigest()


def discovery_record(found: Discovery) -> dict[str, object]:
    """A discovery as JSON (participants and groups as [key, value] pairs in their order: JSON
    keys are text)."""
    return {
        "chosen": found.chosen,
        "alternatives": [
            {
                "k": int(s.k),
                "labels": [[int(p), int(g)] for p, g in s.labels.items()],
                "stability": float(s.stability),
                "ambiguity": float(s.ambiguity),
                "distinctness": float(s.distinctness),
                "strength": [[int(p), float(v)] for p, v in s.strength.items()],
                "clear": bool(s.clear),
                "separation": float(s.separation),
            }
            for s in found.alternatives.values()
        ],
    }


def discovery_of(record: Mapping[str, object]) -> Discovery:
    """The discovery a ``discovery_record`` holds."""
    alternatives = {}
    for a in record["alternatives"]:  # type: ignore[attr-defined]
        alternatives[int(a["k"])] = Segmentation(
            k=int(a["k"]),
            labels={int(p): int(g) for p, g in a["labels"]},
            stability=a["stability"],
            ambiguity=a["ambiguity"],
            distinctness=a["distinctness"],
            strength={int(p): v for p, v in a["strength"]},
            clear=a["clear"],
            separation=a["separation"],
        )
    chosen = record["chosen"]
    return Discovery(alternatives=alternatives, chosen=None if chosen is None else int(chosen))


def cached_discovery(
    discover: Segmenter,
    evidence: Mapping[int, np.ndarray],
    seed: int,
    k_range: tuple[int, int],
    store: object | None,
) -> Discovery:
    """``discover(evidence, seed=..., k_range=...)``, from ``store`` when it has it."""
    return _read_through(
        store,
        lambda: discovery_key(evidence, seed, k_range),
        lambda: discover(evidence, seed=seed, k_range=k_range),
        lambda hit: discovery_of(hit) if isinstance(hit, dict) else None,
        discovery_record,
    )
