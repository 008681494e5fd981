"""What every export is built from: the project's current state, pseudonymised when asked.

``build_context`` is the only place where an export reads the store. Each format module turns an
``ExportContext`` into bytes (``render(ctx) -> bytes``) and never touches storage, so a format
cannot leak what the context left out (real names, deleted transcripts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from qualseg.editing import StudyState, current_state
from qualseg.errors import ProjectError
from qualseg.privacy import (
    OffsetMap,
    Pseudonymiser,
    pseudonymisation_enabled,
    pseudonymise_report,
    pseudonymiser_for,
)
from qualseg.store import ProjectStore
from qualseg.store.runs import RunRecord


@dataclass(frozen=True)
class ExportTranscript:
    """One source transcript as exported: its (pseudonymised) text and how offsets move.

    ``offsets`` maps an offset of the stored, original text (the offsets in the report) to the
    offset of the same place in ``text``. Without pseudonymisation it is the identity.
    """

    source: str
    format: str
    sha256: str
    imported_at: str
    text: str
    offsets: OffsetMap


@dataclass(frozen=True)
class ExportOptions:
    """The researcher's choices for one export.

    ``product`` and ``category`` fill the positioning statement's slots that interviews cannot
    (what the offer is called and what kind of thing it is); left empty they stay visible blanks.
    """

    product: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class ExportContext:
    """The current study state (researcher's edits applied) and its sources."""

    project: str
    report: dict  # current state; text fields pseudonymised when ``pseudonymised``
    run: RunRecord
    edits: int  # number of live (not undone) edits applied
    transcripts: tuple[ExportTranscript, ...]
    pseudonymised: bool
    generated_at: str
    options: ExportOptions = ExportOptions()


def _analyzed_state(store: ProjectStore) -> StudyState:
    state = current_state(store)
    if state is None:
        raise ProjectError(
            f"project {store.name!r} has not been analyzed yet: run an analysis before exporting"
        )
    return state


def outgoing_report(store: ProjectStore) -> dict:
    """The current state as it leaves the tool, without the sources: pseudonymised unless the
    project switched it off (what ``build_context`` holds as ``report``, for lighter exports)."""
    state = _analyzed_state(store)
    if not pseudonymisation_enabled(store):
        return state.report
    return pseudonymise_report(state.report, pseudonymiser_for(store))


def build_context(
    store: ProjectStore,
    *,
    pseudonymise: bool | None = None,
    options: ExportOptions | None = None,
) -> ExportContext:
    """The export context of a project.

    Args:
        pseudonymise: replace identifiers by pseudonyms; ``None`` follows the project's setting
            (on unless the researcher switched it off).

    Raises:
        ProjectError: the project has not been analyzed yet.
    """
    state = _analyzed_state(store)
    wanted = pseudonymisation_enabled(store) if pseudonymise is None else pseudonymise
    active = pseudonymiser_for(store) if wanted else Pseudonymiser.identity()
    report = pseudonymise_report(state.report, active)
    transcripts = []
    for stored in store.transcripts():
        text, offsets = active.apply_with_offsets(store.load_transcript(stored.id).text)
        transcripts.append(
            ExportTranscript(
                source=active.apply(stored.source),
                format=stored.format,
                sha256=stored.sha256,
                imported_at=stored.imported_at,
                text=text,
                offsets=offsets,
            )
        )
    run = next(r for r in store.runs() if r.id == state.run_id)
    return ExportContext(
        project=store.name,
        report=report,
        run=run,
        edits=len(state.edits),
        transcripts=tuple(transcripts),
        pseudonymised=wanted,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        options=options or ExportOptions(),
    )
