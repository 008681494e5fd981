"""Segments for studies analyzed with the hashing fake embedder.

The hashing embedder carries no meaning, so no segmentation of a study is clear and nothing is
suggested (as the real pipeline would say of such a study). Pages, edits and exports need
suggested segments to show: inside ``any_segmentation()`` a segmentation is accepted whatever
its stability (still no one-person segment), the best separated one suggested.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

from qualseg import segment_discovery


@contextmanager
def any_segmentation() -> Iterator[None]:
    with patch.object(segment_discovery, "MIN_STABILITY", 0.0):
        yield


def analyze_with_segments(store) -> None:  # noqa: ANN001 - a ProjectStore
    """Analyze a project with the hashing embedder inside ``any_segmentation()``."""
    from qualseg.embed import HashingEmbedder
    from qualseg.running import run_analysis

    with any_segmentation():
        run_analysis(store, embedder=HashingEmbedder())
