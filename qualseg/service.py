"""The use-case layer: everything the CLI and the UI do to a project goes through this module.

Neither ``qualseg/cli*.py`` nor ``qualseg/ui/`` imports the store, importing, running, exports,
privacy or deletion modules (``tests/test_structure.py`` checks it); the larger use-cases live in
:mod:`qualseg.usecases` and are re-exported here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualseg.deletion import (  # noqa: F401 - re-exported for the UI
    DeletionReport,
    complete_pending_erasure,
    delete_participant,
    delete_transcript,
)
from qualseg.editing import (  # noqa: F401 - re-exported for the UI
    EditConflict,
    StudyState,
    add_themes_to_segment,
    adopt_segmentation,
    create_segment,
    current_state,
    delete_segment,
    dismiss_excerpt,
    dismiss_theme,
    merge_themes,
    move_excerpt,
    pin_quote,
    remove_theme_from_segment,
    rename_segment,
    rename_theme,
    set_segment_notes,
    split_theme,
    undo,
    unpin_quote,
)
from qualseg.embed import embed_cached, embedder_for
from qualseg.errors import IngestError, ProjectError
from qualseg.importing import ImportReport, files_in_directory, import_files
from qualseg.models import Transcript
from qualseg.privacy.seam import model_texts
from qualseg.report_types import Report
from qualseg.running import run_analysis  # noqa: F401 - re-exported
from qualseg.store import ProjectStore, Workspace
from qualseg.store.runs import RunRecord
from qualseg.usecases.exporting import (  # noqa: F401 - re-exported
    FORMATS,
    ExportFormat,
    ExportOptions,
    default_file_name,
    export,
    export_folder,
    export_unavailable,
    outgoing_quotes,
)
from qualseg.usecases.folder_analysis import (  # noqa: F401 - re-exported
    FolderImport,
    WrittenRun,
    analyze_into_folder,
    import_folder_for_report,
)
from qualseg.usecases.privacy import (  # noqa: F401 - re-exported
    CATEGORIES,
    DetectionSummary,
    Redaction,
    add_redaction,
    confirm_redactions,
    detect_identifiers,
    ensure_identifiers_detected,
    mark_not_personal,
    not_personal_terms,
    pseudonymisation_enabled,
    pseudonymisation_preview,
    redaction_contexts,
    redactions,
    reject_redactions,
    set_pseudonymisation,
    unmark_not_personal,
)

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_transcripts"
SAMPLE_PROJECT = "sample-study"

__all__ = [
    "SAMPLE_PROJECT",
    "ImportReport",
    "ParticipantRow",
    "ensure_sample_project",
    "import_directory",
    "import_folder",
    "import_files",
    "participant_rows",
    "set_speaker_role",
    "set_participant_metadata",
    "run_history",
    "excerpt_map",
    "create_project",
    "load_transcript",
    "finish_interrupted_deletion",
    "outgoing_quotes",
]


@dataclass(frozen=True)
class ParticipantRow:
    """One speaker of one transcript, as shown in tables."""

    speaker_id: int
    transcript: str
    format: str
    speaker: str
    name: str
    role: str
    role_reason: str
    words: int
    metadata: dict[str, str]


def import_directory(
    store: ProjectStore, folder: Path, *, interviewers: tuple[str, ...] = ()
) -> ImportReport:
    """Import every transcript file (and participants.csv) of a folder."""
    files, _ignored = files_in_directory(folder)
    return import_files(store, files, interviewers=interviewers)


def import_folder(
    workspace: Workspace, project: str, folder: Path, *, interviewers: tuple[str, ...] = ()
) -> tuple[ProjectStore, ImportReport, list[str]]:
    """Import a folder's transcripts into a project, created if new; also the names of the
    folder's files that are not transcripts.

    Raises:
        IngestError: the folder holds no transcript file (no project is created).
    """
    files, ignored = files_in_directory(folder)
    if not files:
        raise IngestError(str(folder), "no transcript files found")
    store = workspace.open(project, create=True)
    return store, import_files(store, files, interviewers=interviewers), ignored


def ensure_sample_project(workspace: Workspace) -> ProjectStore:
    """Open the bundled sample study, importing it on first use."""
    fresh = not workspace.exists(SAMPLE_PROJECT)
    store = workspace.open(SAMPLE_PROJECT, create=True)
    if fresh or not store.transcripts():
        import_directory(store, SAMPLE_DIR)
    return store


def participant_rows(store: ProjectStore) -> list[ParticipantRow]:
    """Every speaker of every transcript with role, word count and metadata."""
    formats = {t.id: t.format for t in store.transcripts()}
    return [
        ParticipantRow(
            speaker_id=s.id,
            transcript=s.source,
            format=formats[s.transcript_id],
            speaker=s.label,
            name=s.display_name,
            role=s.role,
            role_reason=s.role_reason,
            words=s.word_count,
            metadata=s.metadata,
        )
        for s in store.speakers()
    ]


def set_speaker_role(store: ProjectStore, source: str, speaker: str, role: str) -> None:
    """Correct who is interviewer or participant in one transcript (by file name and label)."""
    transcript = store.transcript_by_source(source)
    if transcript is None:
        raise ProjectError(f"no transcript {source!r} in project {store.name!r}")
    store.set_role(transcript.id, speaker, role)  # type: ignore[arg-type]


def set_participant_metadata(
    store: ProjectStore, speaker_id: int, metadata: dict[str, str]
) -> None:
    """Replace one participant's metadata (role, company size, industry, outcome...)."""
    store.set_metadata(speaker_id, {str(k): str(v) for k, v in metadata.items()})


def run_history(store: ProjectStore) -> list[RunRecord]:
    """Every analysis run, newest first, with status, seed, model and config."""
    return store.runs()


def excerpt_map(
    store: ProjectStore, report: Report, *, seed: int = 42
) -> dict[str, tuple[float, float]]:
    """2-D coordinates of every excerpt (PCA of its cached embedding) for a map; the texts are
    those the run embedded (pseudonymised when the project is)."""
    keys = [e["id"] for e in report["excerpts"]]
    if len(keys) < 3:
        return {k: (0.0, 0.0) for k in keys}
    model = report["run"].get("model", "")
    texts = model_texts(store, report["excerpts"])  # what the run embedded: no names
    vectors = embed_cached(embedder_for(model), texts, store)
    from sklearn.decomposition import PCA

    xy = PCA(n_components=2, svd_solver="full", random_state=seed).fit_transform(vectors)
    return {k: (round(float(x), 4), round(float(y), 4)) for k, (x, y) in zip(keys, xy, strict=True)}


def create_project(workspace: Workspace, name: str) -> ProjectStore:
    """Create a new, empty project; refuses a name that is taken or unsafe."""
    name = name.strip()
    if workspace.exists(name):
        raise ProjectError(f"a project named {name!r} exists already; open it instead")
    return workspace.open(name, create=True)


def load_transcript(store: ProjectStore, source: str) -> Transcript | None:
    """A transcript (decoded text, turns, current roles) by its file name, or None."""
    stored = store.transcript_by_source(source)
    return None if stored is None else store.load_transcript(stored.id)


def finish_interrupted_deletion(store: ProjectStore) -> None:
    """Complete a deletion that committed but was cut off before its files were cleaned."""
    if store.pending_erasure() is not None:
        complete_pending_erasure(store)
