"""Analyze use-case: build the study from the store, run the pipeline, record the run.

Every run is recorded with its config, seed, model and library versions. A failed run is marked
failed and the previous results stay the current ones; a run never overwrites another.

When the project pseudonymises (the default), identifiers are detected first (new transcripts
only) and the pipeline sees pseudonymised transcripts: excerpts, embeddings, interviewer prompts,
keyphrases and theme labels are computed on "Participant 3" and "Company B", so names do not
drive themes. The run's result keeps the verbatim original excerpts and participant names with
their offsets (the researcher's own view, inside the project folder); exports pseudonymise it.
The run's config and record say ``"pseudonymised": true|false``.

A deletion wins every race with a run (``qualseg.store.guard``): the run's cache writes and its
commit are refused once a deletion has committed since it started (DeletedDuringRun: the run is
marked failed, nothing of it stays), and its report files are written under the project lock
right after its commit, each through a temporary file renamed into place. One run of a project
at a time: a second one is refused while the first is alive.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from qualseg import __version__
from qualseg.analysis import (
    AnalysisResult,
    Participant,
    Progress,
    Study,
    StudyCache,
    StudyTranscript,
    analyze,
)
from qualseg.atomic import write_atomically
from qualseg.classify import KindClassifier
from qualseg.cluster import LensClusterer
from qualseg.config import AnalysisConfig
from qualseg.embed import Embedder, Preloadable, default_embedder
from qualseg.errors import QualsegError
from qualseg.ingest.names import person_key
from qualseg.nlp import load_pipeline, load_sentencizer
from qualseg.privacy import pseudonymisation_enabled, pseudonymiser_for
from qualseg.privacy.review import ensure_detected
from qualseg.report import build_report
from qualseg.report_types import Report
from qualseg.segment_discovery import Segmenter
from qualseg.store import ProjectStore

_VERSIONED = ("sentence-transformers", "torch", "spacy", "hdbscan", "scikit-learn", "numpy")


def library_versions() -> dict[str, str]:
    versions = {"qualseg": __version__, "python": platform.python_version()}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def study_from_store(store: ProjectStore, *, only_sha256: Iterable[str] | None = None) -> Study:
    """The transcripts and participants of a project (optionally only some files, by hash).

    A participant interviewed twice (the same personal name in two transcripts: a follow-up)
    is one participant, under the id of their first interview's speaker row, with the sources
    of both and the metadata of both (the first interview's values win). Generic labels
    (``Participant``, ``A``, ``Speaker 2``) are never taken for the same person.
    """
    wanted = set(only_sha256) if only_sha256 is not None else None
    transcripts = []
    people: dict[str, Participant] = {}  # person key -> the participant, in order
    for stored in store.transcripts():
        if wanted is not None and stored.sha256 not in wanted:
            continue
        speakers = [s for s in store.speakers(stored.id) if s.role == "participant"]
        if not speakers:
            continue
        ids = {}
        for s in speakers:
            key = person_key(s.display_name) or f"speaker:{s.id}"
            seen = people.get(key)
            if seen is None:
                people[key] = Participant(s.id, s.display_name, s.source, dict(s.metadata))
            else:
                people[key] = Participant(
                    seen.id,
                    seen.name,
                    f"{seen.source}, {s.source}",
                    {**s.metadata, **seen.metadata},
                )
            ids[s.label] = people[key].id
        transcripts.append(
            StudyTranscript(
                transcript=store.load_transcript(stored.id),
                participant_ids=ids,
                key_prefix=stored.sha256[:12],
            )
        )
    participants = list(people.values())
    if not transcripts:
        raise QualsegError(
            f"project {store.name!r} has no transcripts with a participant to analyze; "
            "import transcripts first"
        )
    return Study(transcripts=transcripts, participants=participants)


def run_analysis(
    store: ProjectStore,
    config: AnalysisConfig | None = None,
    *,
    embedder: Embedder | None = None,
    only_sha256: Iterable[str] | None = None,
    progress: Progress | None = None,
    classifier: KindClassifier | None = None,
    outputs: Callable[[Report], dict[Path, bytes]] | None = None,
    clusterer: LensClusterer | None = None,
    segmenter: Segmenter | None = None,
) -> tuple[int, Report]:
    """Analyze a project and record the run.

    ``classifier`` overrides the shipped kind classifier (the evaluation's held-out fits).
    ``clusterer`` and ``segmenter`` replace the pipeline's lens clustering and segment discovery
    (:func:`qualseg.analysis.analyze`); the run's config names each one given (``"clusterer"``,
    ``"segmenter"``: its class or function), so that the record does not claim the defaults.
    ``outputs`` renders the report into files (path -> bytes); they are rendered before the
    commit and written, each atomically, right after it, under the project lock, so that a
    deletion finds them complete and rebuilds them, and a failed run writes none.

    Raises:
        DeletedDuringRun: a transcript or participant was deleted while the run went on.
        ProjectError: another analysis of the project is running.

    Returns:
        The run id and its report (the report.json document).
    """
    config = config or AnalysisConfig()
    embedder = embedder or default_embedder(config.model)
    epoch = store.erasure_epoch()  # before the study is read: a deletion after it wins
    study = study_from_store(store, only_sha256=only_sha256)
    pseudonymised = pseudonymisation_enabled(store)
    started = time.perf_counter()
    if pseudonymised:
        if progress is not None:
            progress("names", 0.0)
        # new or changed transcripts only (their parses are cached), in a child process while
        # this one loads what the rest of a cold run needs
        ensure_detected(store, while_parsing=load_ahead(embedder))
    names_s = round(time.perf_counter() - started, 3)
    versions = library_versions()
    stages = {"clusterer": _stage_name(clusterer), "segmenter": _stage_name(segmenter)}
    config_json = json.dumps(
        {
            **json.loads(config.to_json()),
            "pseudonymised": pseudonymised,
            **{stage: name for stage, name in stages.items() if name is not None},
        }
    )
    run_id = store.start_run(
        seed=config.seed, model=embedder.name, config=config_json, versions=versions, epoch=epoch
    )
    committed = False
    try:
        cache = store.run_cache(run_id)
        result = _analyze(
            study,
            config,
            embedder,
            store,
            cache,
            pseudonymised,
            progress,
            classifier=classifier,
            clusterer=clusterer,
            segmenter=segmenter,
        )
        result.stage_seconds = {"names": names_s, **result.stage_seconds}
        run = {
            "id": run_id,
            "seed": config.seed,
            "model": embedder.name,
            "config": config_json,
            "versions": versions,
            "pseudonymised": pseudonymised,
        }
        report = build_report(result, run=run)
        with store.exclusive():
            files = outputs(report) if outputs is not None else {}
            store.finish_run(run_id, report)
            committed = True
            for path, data in files.items():
                write_atomically(path, data)
    except BaseException as err:
        if not committed:
            store.fail_run(run_id, f"{type(err).__name__}: {err}")
        raise
    return run_id, report


def load_ahead(embedder: Embedder) -> Callable[[], None] | None:
    """What a cold run loads anyway, to load while new transcripts are parsed for names in a
    child process: the embedding model, then the later stages' libraries (scikit-learn and SciPy
    for clustering, spaCy's sentence splitter and English pipeline for excerpts and labels).
    None for an embedder without a model to load."""
    if not isinstance(embedder, Preloadable):
        return None

    def load() -> None:
        embedder.preload()
        import scipy.cluster.hierarchy  # noqa: F401
        import sklearn.cluster  # noqa: F401
        import sklearn.metrics  # noqa: F401

        load_sentencizer()
        load_pipeline()

    return load


def _analyze(
    study: Study,
    config: AnalysisConfig,
    embedder: Embedder,
    store: ProjectStore,
    cache: StudyCache,
    pseudonymised: bool,
    progress: Progress | None,
    *,
    classifier: KindClassifier | None = None,
    clusterer: LensClusterer | None = None,
    segmenter: Segmenter | None = None,
) -> AnalysisResult:
    """The pipeline on the pseudonymised study when asked, its result on the original texts."""
    stages = {"classifier": classifier, "clusterer": clusterer, "segmenter": segmenter}
    if not pseudonymised:
        return analyze(study, config, embedder, cache, progress=progress, **stages)
    from qualseg.privacy.study import pseudonymise_study, restore_result

    pseudo, maps = pseudonymise_study(study, pseudonymiser_for(store))
    result = analyze(pseudo, config, embedder, cache, progress=progress, **stages)
    restore_result(result, maps, {st.transcript.source: st.key_prefix for st in study.transcripts})
    return result


def _stage_name(stage: object | None) -> str | None:
    """How the run's config names a stage given in place of the default: its function's or
    class's qualified name."""
    if stage is None:
        return None
    named = stage if hasattr(stage, "__qualname__") else type(stage)
    return f"{named.__module__}.{named.__qualname__}"
