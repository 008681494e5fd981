"""Analyze a folder of transcripts into a report folder (``analyze DIR --out OUT``), or an
imported project with its report files written elsewhere (``analyze --project P --out OUT``).

The report files (report.json, report.md, quotes.csv) are rendered before the run commits and
written right after it (:func:`qualseg.running.run_analysis`); written outside the project folder
they are pseudonymised unless the project switched it off.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qualseg.config import AnalysisConfig
from qualseg.errors import IngestError
from qualseg.importing import ImportReport, files_in_directory, import_files
from qualseg.privacy import pseudonymisation_enabled, pseudonymise_report, pseudonymiser_for
from qualseg.report import report_markdown
from qualseg.report_types import Report
from qualseg.running import run_analysis
from qualseg.store import ProjectStore
from qualseg.store.project_store import DB_NAME, sha256_hex
from qualseg.tables import run_quotes_csv

SCRATCH = ".qualseg-project"


@dataclass(frozen=True)
class FolderImport:
    """A folder read into the project kept in the report folder."""

    store: ProjectStore
    report: ImportReport
    ignored: list[str]
    only_sha256: frozenset[str]  # the folder's transcripts: the run analyzes these only


@dataclass(frozen=True)
class WrittenRun:
    run_id: int
    report: Report
    pseudonymised: bool  # the files were pseudonymised on their way out of the project


def import_folder_for_report(folder: Path, out: Path) -> FolderImport:
    """Read a folder's transcripts into the project kept in ``out``: reused while the files
    keep their content (a warm re-run), rebuilt when a file of the same name changed.

    Raises:
        IngestError: the folder holds no transcript file.
    """
    files, ignored = files_in_directory(folder)
    if not files:
        raise IngestError(str(folder), "no transcript files found")
    store = _scratch_project(out / SCRATCH, files)
    report = import_files(store, files)
    only = frozenset(sha256_hex(data) for name, data in files if name.lower() != "participants.csv")
    return FolderImport(store, report, ignored, only)


def analyze_into_folder(
    store: ProjectStore,
    config: AnalysisConfig,
    out: Path,
    *,
    only_sha256: frozenset[str] | None = None,
    progress: Callable[[str, float], None] | None = None,
    scratch: bool = False,
) -> WrittenRun:
    """Analyze the project and write report.json, report.md and quotes.csv into ``out``;
    pseudonymised when ``out`` lies outside the project folder and the project pseudonymises,
    unless ``scratch``: the project is the one :func:`import_folder_for_report` keeps in
    ``out``, the researcher's working copy."""
    inside = out.resolve().is_relative_to(store.folder.resolve())
    leaving = not scratch and not inside and pseudonymisation_enabled(store)

    def render(report: Report) -> dict[Path, bytes]:
        if leaving:
            report = pseudonymise_report(report, pseudonymiser_for(store))
        return {
            out / "report.json": json.dumps(report, indent=2, ensure_ascii=False).encode(),
            out / "report.md": report_markdown(report).encode(),
            out / "quotes.csv": run_quotes_csv(report).encode(),
        }

    out.mkdir(parents=True, exist_ok=True)
    run_id, report = run_analysis(
        store, config, only_sha256=only_sha256, progress=progress, outputs=render
    )
    return WrittenRun(run_id, report, leaving)


def _scratch_project(folder: Path, files: list[tuple[str, bytes]]) -> ProjectStore:
    """The project that ``analyze DIR --out OUT`` keeps in OUT, keeping only the embedding
    cache when a file of the same name changed."""
    store = ProjectStore(folder)
    known = {t.source: t.sha256 for t in store.transcripts()}
    if all(known.get(name, sha256_hex(data)) == sha256_hex(data) for name, data in files):
        return store
    store.close()
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    folder.rename(old)
    fresh = ProjectStore(folder)
    fresh.copy_embeddings_from(str(old / DB_NAME))
    shutil.rmtree(old)
    return fresh
