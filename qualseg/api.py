"""The public API (``from qualseg import ...``): analyze a project and export it from Python.

Two thin functions over the use-case layer (:mod:`qualseg.service`), which the CLI and the UI
call too: nothing here reaches the store, the running or the export modules directly
(``tests/test_structure.py`` holds it to that). The pipeline's stages can be passed in
(BERTopic-style); each left out is today's:

- ``embedder``: an :class:`~qualseg.embed.Embedder` (default: the bundled sentence-transformers
  model named by ``config.model``);
- ``clusterer``: a :class:`~qualseg.cluster.LensClusterer`, fitted on each lens of the study in
  turn (default: the one ``config.lens_clustering`` names);
- ``segmenter``: a :class:`~qualseg.segment_discovery.Segmenter`, a function with
  :func:`~qualseg.segment_discovery.discover_segments`' signature (default: that function).

A project is a :class:`~qualseg.store.ProjectStore` (``Workspace(root).open(name)``) or the path
of a project folder, opened for the call and closed after.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qualseg import service
from qualseg.analysis import Progress
from qualseg.atomic import write_atomically
from qualseg.cluster import LensClusterer
from qualseg.config import AnalysisConfig
from qualseg.embed import Embedder
from qualseg.report_types import Report
from qualseg.segment_discovery import Segmenter
from qualseg.service import ProjectStore, Workspace

Project = ProjectStore | str | os.PathLike[str]

__all__ = ["Project", "analyze_project", "export_project"]


def analyze_project(
    project: Project,
    config: AnalysisConfig | None = None,
    *,
    embedder: Embedder | None = None,
    clusterer: LensClusterer | None = None,
    segmenter: Segmenter | None = None,
    progress: Progress | None = None,
) -> Report:
    """Analyze a project's transcripts and record the run as its current result.

    Args:
        config: the run's settings (default: ``AnalysisConfig()``).
        embedder, clusterer, segmenter: stages in place of the defaults (see the module).
        progress: called with each stage's name and the fraction done (0..1).

    Returns:
        The run's report (the report.json document; its run id is ``report["run"]["id"]``).

    Raises:
        QualsegError: the project has no transcript with a participant.
        ProjectError: no such project, or another analysis of it is running.
    """
    with _opened(project) as store:
        _run_id, report = service.run_analysis(
            store,
            config,
            embedder=embedder,
            clusterer=clusterer,
            segmenter=segmenter,
            progress=progress,
        )
    return report


def export_project(
    project: Project,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    pseudonymise: bool | None = None,
    product: str | None = None,
    category: str | None = None,
) -> Path:
    """Write one deliverable of the project's current state (the researcher's edits applied).

    Args:
        fmt: a key of ``qualseg.service.FORMATS`` ("md", "html", "docx", "csv", "xlsx", ...).
        path: the file to write, or an existing folder to write ``<project>-<stem>.<ext>`` in.
        pseudonymise: ``None`` follows the project's setting (on unless switched off).
        product, category: the words the report's messaging starters use (left blank if None).

    Returns:
        The path of the file written (atomically: a reader never sees half of it).

    Raises:
        ProjectError: unknown or unavailable format, or the project has not been analyzed yet.
    """
    target = Path(path)
    with _opened(project) as store:
        data = service.export(
            store, fmt, pseudonymise=pseudonymise, product=product, category=category
        )
        if target.is_dir():
            target = target / service.default_file_name(store.name, fmt)
    write_atomically(target, data)
    return target


@contextmanager
def _opened(project: Project) -> Iterator[ProjectStore]:
    """The project's store: the one given, or the folder's, opened for the call and closed."""
    if isinstance(project, ProjectStore):
        yield project
        return
    folder = Path(project)
    store = Workspace(folder.parent).open(folder.name)
    try:
        yield store
    finally:
        store.close()
