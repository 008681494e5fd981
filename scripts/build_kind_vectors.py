"""Precompute the bundled model's vectors of every text the kind classifier trains on.

Saves qualseg/data/kind_vectors.npz (text hash -> float32 vector) so that a project's first run
embeds only its own excerpts. Texts added later without re-running this are embedded at run time.

    python scripts/build_kind_vectors.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualseg.classify import SHIPPED_VECTORS, classifier_texts  # noqa: E402
from qualseg.embed import SentenceTransformerEmbedder, text_hash  # noqa: E402


def main() -> None:
    texts = classifier_texts()
    vectors = SentenceTransformerEmbedder().encode(texts)
    np.savez_compressed(
        SHIPPED_VECTORS,
        hashes=np.array([text_hash(t) for t in texts]),
        vectors=vectors.astype(np.float32),
    )
    print(f"{len(texts)} vectors -> {SHIPPED_VECTORS}")


if __name__ == "__main__":
    main()
