"""AnalysisConfig: every setting of an analysis run, plain values with defaults, saved per run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from qualseg.errors import ConfigError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
GRANULARITIES = ("coarse", "medium", "fine")


def check_granularity(granularity: str) -> str:
    """The granularity itself when it is one of :data:`GRANULARITIES`.

    Raises:
        ConfigError: any other value (it is never replaced by a default).
    """
    if granularity not in GRANULARITIES:
        raise ConfigError(
            f"unknown granularity {granularity!r}: use one of {', '.join(GRANULARITIES)}"
        )
    return granularity


@dataclass(frozen=True)
class AnalysisConfig:
    """Settings of one analysis run.

    Attributes:
        seed: the one source of randomness (clustering tie-breaks, 2-D map, split).
        model: sentence-transformers model: "all-MiniLM-L6-v2" (bundled) or a local path.
        batch_size: excerpts embedded per batch.
        min_excerpt_words: shorter excerpts are merged with a neighbour in the same turn.
        max_excerpt_words: longer sentences are split at clause boundaries.
        granularity: 'coarse' | 'medium' | 'fine': fewer, larger themes or more, smaller ones.
        lens_clustering: 'partition' (every excerpt in a theme: Ward cut with k by silhouette,
            refined) or 'density' (HDBSCAN cores, the rest unassigned unless close to a
            theme), how each lens of a study is clustered.
        reduce_dims: dimensions kept by the deterministic PCA before density clustering.
        reassign_similarity: an outlier joins its nearest theme when cosine similarity to the
            theme's centre is at least this.
        min_theme_participants: themes voiced by fewer participants are dissolved.
        max_segments: the most suggested segments considered.
        quotes_per_theme: representative quotes kept per theme.
    """

    seed: int = 42
    model: str = DEFAULT_MODEL
    batch_size: int = 64
    min_excerpt_words: int = 6
    max_excerpt_words: int = 45
    granularity: str = "medium"
    lens_clustering: str = "partition"
    reduce_dims: int = 8
    reassign_similarity: float = 0.35
    min_theme_participants: int = 2
    max_segments: int = 6
    quotes_per_theme: int = 5

    def __post_init__(self) -> None:
        check_granularity(self.granularity)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> AnalysisConfig:
        """A saved config; keys of settings that no longer exist (``kind_threshold``, saved
        until 2026-12) are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in json.loads(text).items() if k in known})
