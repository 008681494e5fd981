"""The analysis pipeline: excerpts -> embeddings -> kinds -> themes per lens -> segments.

Pure with respect to storage: it takes a ``Study`` (transcripts and participants) and an
embedding cache, and returns an ``AnalysisResult``; the service saves it as a run.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from qualseg.classify import KindClassifier, KindDecision, embed_kind_input
from qualseg.cluster import LensClusterer, lens_clusterer_for
from qualseg.cluster_cache import cached_discovery, cached_labels
from qualseg.config import AnalysisConfig
from qualseg.describe import PhraseCache, cached_phrases, describe_themes
from qualseg.embed import Embedder, EmbeddingCache, embed_cached
from qualseg.excerpts import PieceCache, excerpt_transcript
from qualseg.kind_features import relative_positions
from qualseg.kind_model import kind_classifier_for
from qualseg.models import LENSES, Excerpt, Kind, Lens, Transcript
from qualseg.segment_discovery import Discovery, Segmenter, discover_segments, segment_evidence
from qualseg.segments import (
    VoicedTheme,
    metadata_association,
    segment_name,
    segment_profiles,
)
from qualseg.theme_text import theme_text

Progress = Callable[[str, float], None]


class StudyCache(EmbeddingCache, PhraseCache, Protocol):
    """What a run reuses from earlier runs: embeddings and keyphrases (the project store)."""


LENS_KINDS: dict[Lens, tuple[Kind, ...]] = {
    "need": ("need", "outcome"),
    "psychographic": ("psychographic",),
    "trigger": ("trigger",),
    "objection": ("objection",),
}


@dataclass(frozen=True)
class Participant:
    """A participant as the analysis sees it."""

    id: int
    name: str
    source: str
    metadata: dict[str, str]


@dataclass(frozen=True)
class StudyTranscript:
    """A transcript, the participant id of each participant speaker, and its hash prefix."""

    transcript: Transcript
    participant_ids: dict[str, int]
    key_prefix: str


@dataclass(frozen=True)
class Study:
    transcripts: list[StudyTranscript]
    participants: list[Participant]


@dataclass
class Theme:
    id: str
    lens: Lens
    label: str
    keyphrases: list[str]
    excerpts: list[str]  # excerpt keys
    participants: list[int]
    quotes: list[str]  # excerpt keys, most representative first


@dataclass
class Segment:
    id: str
    label: str
    participants: list[int]
    themes: list[str]  # defining needs themes, strongest first
    psychographics: list[str]
    triggers: list[str]
    objections: list[str]
    quotes: list[str]
    measures: dict[str, object] = field(default_factory=dict)


@dataclass
class AnalysisResult:
    config: AnalysisConfig
    model: str
    participants: list[Participant]
    excerpts: list[Excerpt]
    kinds: dict[str, list[Kind]]
    kind_scores: dict[str, dict[str, float]]
    themes: list[Theme]
    segments: list[Segment]
    segment_of: dict[int, str]
    segmentations: Discovery
    measures: dict[str, object]
    stage_seconds: dict[str, float]


def study_excerpts(
    study: Study, config: AnalysisConfig, cache: PieceCache | None = None
) -> list[Excerpt]:
    """The excerpts of every participant turn of the study, in transcript order; ``cache``
    keeps where each turn is cut (a re-run needs no sentencizer)."""
    return [
        e
        for st in study.transcripts
        for e in excerpt_transcript(
            st.transcript,
            st.participant_ids,
            key_prefix=st.key_prefix,
            min_words=config.min_excerpt_words,
            max_words=config.max_excerpt_words,
            cache=cache,
        )
    ]


def analyze(
    study: Study,
    config: AnalysisConfig,
    embedder: Embedder,
    cache: StudyCache,
    *,
    progress: Progress | None = None,
    classifier: KindClassifier | None = None,
    clusterer: LensClusterer | None = None,
    segmenter: Segmenter | None = None,
) -> AnalysisResult:
    """Run the whole pipeline on a study.

    ``classifier`` gives the excerpts their kinds; by default the shipped one (``kind_model``).
    ``clusterer`` is fitted on each lens in turn; by default the one ``config`` names
    (``cluster.lens_clusterer_for``). ``segmenter`` finds the segments; by default
    ``segment_discovery.discover_segments``.
    """
    report = progress or (lambda stage, fraction: None)
    clock = _StageClock()

    report("excerpts", 0.0)
    excerpts = study_excerpts(study, config, cache if hasattr(cache, "get_pieces") else None)
    clock.lap("excerpts")

    report("embeddings", 0.0)
    texts = [e.text for e in excerpts]
    vectors = embed_cached(
        embedder,
        texts,
        cache,
        batch_size=config.batch_size,
        progress=lambda done, total: report("embeddings", done / max(total, 1)),
    )
    clock.lap("embeddings")

    report("kinds", 0.0)
    decisions = _kinds(excerpts, vectors, embedder, cache, classifier)
    clock.lap("kinds")

    report("themes", 0.0)
    in_a_lens = [i for i, d in enumerate(decisions) if d.kinds != ("other",)]
    theme_vectors = _theme_vectors(texts, vectors, in_a_lens, embedder, cache, config)
    lens_phrases = cached_phrases([texts[i] for i in in_a_lens], cache)
    phrases: list[list[tuple[str, str]]] = [[] for _ in texts]
    for i, found in zip(in_a_lens, lens_phrases, strict=True):
        phrases[i] = found
    people = [e.participant_id for e in excerpts]
    themes: list[Theme] = []
    taken: set[str] = set()  # labels differ across the whole study, needs choosing first
    for n_lens, lens in enumerate(LENSES):
        rows = np.array(
            [i for i, d in enumerate(decisions) if set(d.kinds) & set(LENS_KINDS[lens])], dtype=int
        )
        lens_themes, _labels = _themes_for_lens(
            lens,
            rows,
            excerpts,
            texts,
            theme_vectors,
            people,
            phrases,
            config,
            taken,
            clusterer,
            None if clusterer is not None else cache,  # a caller's clusterer is never cached
        )
        themes.extend(lens_themes)
        report("themes", (n_lens + 1) / len(LENSES))
    clock.lap("themes")

    report("segments", 0.0)
    segments, segment_of, seg_measures, discovery = _segments(
        study, excerpts, vectors, decisions, themes, config, segmenter, cache
    )
    clock.lap("segments")
    report("done", 1.0)

    return AnalysisResult(
        config=config,
        model=embedder.name,
        participants=study.participants,
        excerpts=excerpts,
        kinds={e.key: list(d.kinds) for e, d in zip(excerpts, decisions, strict=True)},
        kind_scores={e.key: d.scores for e, d in zip(excerpts, decisions, strict=True)},
        themes=themes,
        segments=segments,
        segment_of=segment_of,
        segmentations=discovery,
        measures={**seg_measures, **_coverage(themes, excerpts, decisions)},
        stage_seconds=clock.laps,
    )


def _kinds(
    excerpts: list[Excerpt],
    vectors: np.ndarray,
    embedder: Embedder,
    cache: StudyCache,
    classifier: KindClassifier | None,
) -> list[KindDecision]:
    """The kind decision of every excerpt, read with its question and its answer turn."""
    classifier = classifier or kind_classifier_for(embedder)
    data = embed_kind_input(
        [e.text for e in excerpts],
        vectors,
        [e.prompt for e in excerpts],
        [(e.source, e.utterance_index) for e in excerpts],
        relative_positions([e.source for e in excerpts], [e.utterance_index for e in excerpts]),
        embedder,
        cache,
    )
    return classifier.predict(data)


def _theme_vectors(
    texts: list[str],
    vectors: np.ndarray,
    rows: list[int],
    embedder: Embedder,
    cache: StudyCache,
    config: AnalysisConfig,
) -> np.ndarray:
    """The vectors themes are built from: of each excerpt's ``theme_text`` where cleaning
    removed something (fillers, non-speech marks, pseudonyms), else the excerpt's own.

    The cleaned texts are embedded through the same cache, under their own text hash; the
    kind classifier keeps reading the excerpts as said.
    """
    changed = [i for i in rows if theme_text(texts[i]) != texts[i]]
    out = vectors.copy()
    if changed:
        cleaned = [theme_text(texts[i]) for i in changed]
        out[changed] = embed_cached(embedder, cleaned, cache, batch_size=config.batch_size)
    return out


def _themes_for_lens(
    lens: Lens,
    rows: np.ndarray,
    excerpts: list[Excerpt],
    texts: list[str],
    vectors: np.ndarray,
    people: list[int],
    phrases: list[list[tuple[str, str]]],
    config: AnalysisConfig,
    taken: set[str],
    clusterer: LensClusterer | None = None,
    cache: object | None = None,
) -> tuple[list[Theme], np.ndarray]:
    if len(rows) == 0:
        return [], np.zeros(0, dtype=int)
    lens_people = [people[i] for i in rows]
    if clusterer is None:
        clusterer = lens_clusterer_for(config)
    labels = cached_labels(clusterer, vectors[rows], lens_people, cache)
    descriptions = describe_themes(
        [texts[i] for i in rows],
        vectors[rows],
        lens_people,
        labels,
        quotes_per_theme=config.quotes_per_theme,
        phrases=[phrases[i] for i in rows],
        taken=taken,
    )
    themes = []
    for number, description in sorted(descriptions.items()):
        members = rows[labels == number]
        themes.append(
            Theme(
                id=f"{lens}-{number + 1}",
                lens=lens,
                label=description.label,
                keyphrases=list(description.keyphrases),
                excerpts=[excerpts[i].key for i in members],
                participants=sorted({people[i] for i in members}),
                quotes=[excerpts[rows[q]].key for q in description.quotes],
            )
        )
    return themes, labels


def _segments(
    study: Study,
    excerpts: list[Excerpt],
    vectors: np.ndarray,
    decisions: list,
    themes: list[Theme],
    config: AnalysisConfig,
    segmenter: Segmenter | None,
    cache: object | None,
) -> tuple[list[Segment], dict[int, str], dict[str, object], Discovery]:
    """Suggested segments from consensus discovery over what each participant said (the
    default discovery's result cached; a caller's segmenter is never cached)."""
    evidence = segment_evidence(excerpts, vectors, decisions)
    k_range = (2, max(2, min(5, config.max_segments)))
    if segmenter is None:
        discovery = cached_discovery(discover_segments, evidence, config.seed, k_range, cache)
    else:
        discovery = segmenter(evidence, seed=config.seed, k_range=k_range)
    measures: dict[str, object] = {
        "segments_k": discovery.chosen or 0,
        "segmentation_clear": discovery.chosen is not None,
    }
    chosen = discovery.suggested
    if chosen is None:
        return [], {}, measures, discovery
    labels = chosen.labels
    segment_ids = {n: f"S{n + 1}" for n in sorted(set(labels.values()))}
    segment_of = {p: segment_ids[s] for p, s in labels.items()}
    by_key = {e.key: e for e in excerpts}
    metadata = {p.id: p.metadata for p in study.participants}
    voiced = [
        VoicedTheme(t.id, t.lens, frozenset(t.participants), (*t.quotes, *t.excerpts))
        for t in themes
    ]
    profiles = segment_profiles(labels, voiced, lambda key: by_key[key].participant_id)
    label_of = {t.id: t.label for t in themes}
    segments = []
    for number, sid in segment_ids.items():
        profile = profiles[number]
        segments.append(
            Segment(
                id=sid,
                label=segment_name([label_of[t] for t in profile.needs], sid),
                participants=list(profile.members),
                themes=profile.needs,
                psychographics=profile.psychographics,
                triggers=profile.triggers,
                objections=profile.objections,
                quotes=profile.quotes,
                measures={
                    "size": len(profile.members),
                    "share": round(len(profile.members) / max(len(labels), 1), 3),
                    "theme_lift": profile.lift,
                },
            )
        )
    measures.update(
        {
            "segment_stability": chosen.stability,
            "segment_ambiguity": chosen.ambiguity,
            "segment_distinctness": chosen.distinctness,
            "metadata_association": metadata_association(labels, metadata),
        }
    )
    return segments, segment_of, measures, discovery


def _coverage(themes: list[Theme], excerpts: list[Excerpt], decisions: list) -> dict[str, object]:
    """Share of each lens's excerpts left unassigned."""
    assigned: dict[str, set[str]] = {lens: set() for lens in LENSES}
    for t in themes:
        assigned[t.lens].update(t.excerpts)
    out: dict[str, object] = {}
    for lens in LENSES:
        keys = {
            e.key
            for e, d in zip(excerpts, decisions, strict=True)
            if set(d.kinds) & set(LENS_KINDS[lens])
        }
        out[f"unassigned_{lens}"] = (
            round(1 - len(assigned[lens] & keys) / len(keys), 4) if keys else 0.0
        )
    out["kind_counts"] = dict(Counter(k for d in decisions for k in d.kinds))
    return out


class _StageClock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(now - self._last, 3)
        self._last = now
