from __future__ import annotations

import numpy as np

from qualseg.embed import HashingEmbedder, embed_cached
from qualseg.statements import MemoryCache


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__(dim=32)
        self.seen: list[str] = []

    def encode(self, texts, *, batch_size=64):
        self.seen.extend(texts)
        return super().encode(texts, batch_size=batch_size)


def test_only_new_texts_are_embedded():
    cache = MemoryCache()
    embedder = CountingEmbedder()
    first = embed_cached(embedder, ["a b c", "d e f", "a b c"], cache)
    assert embedder.seen == ["a b c", "d e f"]
    embedder.seen.clear()
    second = embed_cached(embedder, ["d e f", "g h i"], cache)
    assert embedder.seen == ["g h i"]
    assert np.allclose(first[1], second[0])
    assert first.shape == (3, 32)


def test_hashing_embedder_is_deterministic_and_unit_length():
    e = HashingEmbedder()
    a = e.encode(["invoices keyed by hand every month"])
    b = e.encode(["invoices keyed by hand every month"])
    assert np.array_equal(a, b)
    assert abs(float(np.linalg.norm(a[0])) - 1.0) < 1e-5
