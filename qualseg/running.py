"""Analyze use-case: build the study from the store, run the pipeline, record the run.

Every run is recorded with its config, seed, model and library versions. A failed run is marked
failed and the previous results stay the current ones; a run never overwrites another.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from importlib import metadata

from qualseg import __version__
from qualseg.analysis import Participant, Progress, Study, StudyTranscript, analyze
from qualseg.config import AnalysisConfig
from qualseg.embed import Embedder, default_embedder
from qualseg.errors import QualsegError
from qualseg.report import build_report
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
    """The transcripts and participants of a project (optionally only some files, by hash)."""
    wanted = set(only_sha256) if only_sha256 is not None else None
    transcripts, participants = [], []
    for stored in store.transcripts():
        if wanted is not None and stored.sha256 not in wanted:
            continue
        speakers = [s for s in store.speakers(stored.id) if s.role == "participant"]
        if not speakers:
            continue
        transcripts.append(
            StudyTranscript(
                transcript=store.load_transcript(stored.id),
                participant_ids={s.label: s.id for s in speakers},
                key_prefix=stored.sha256[:12],
            )
        )
        participants += [Participant(s.id, s.display_name, s.source, s.metadata) for s in speakers]
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
) -> tuple[int, dict]:
    """Analyze a project and record the run.

    Returns:
        The run id and its report (the report.json document).
    """
    config = config or AnalysisConfig()
    embedder = embedder or default_embedder(config.model)
    study = study_from_store(store, only_sha256=only_sha256)
    versions = library_versions()
    run_id = store.start_run(
        seed=config.seed, model=embedder.name, config=config.to_json(), versions=versions
    )
    try:
        result = analyze(study, config, embedder, store, progress=progress)
        run = {
            "id": run_id,
            "seed": config.seed,
            "model": embedder.name,
            "config": config.to_json(),
            "versions": versions,
        }
        report = build_report(result, run=run)
        store.finish_run(run_id, report)
    except BaseException as err:
        store.fail_run(run_id, f"{type(err).__name__}: {err}")
        raise
    return run_id, report
