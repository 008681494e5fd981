"""What every export is built from: the project's current state, pseudonymised when asked.

``build_context`` is the only place where an export reads the store. Each format module turns an
``ExportContext`` into bytes (``render(ctx) -> bytes``) and never touches storage, so a format
cannot leak what the context left out (real names, deleted transcripts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from qualseg.deletion_scrub import Gone, scrub_report
from qualseg.editing import StudyState, current_state
from qualseg.errors import ProjectError
from qualseg.privacy import (
    OffsetMap,
    Pseudonymiser,
    pseudonymisation_enabled,
    pseudonymise_report,
    pseudonymiser_for,
)
from qualseg.report_types import Report
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
    report: Report  # current state; text fields pseudonymised when ``pseudonymised``
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
    return replace(state, report=only_stored_people(state.report, store))


def only_stored_people(report: Report, store: ProjectStore) -> Report:
    """The report without excerpts, quotes and participants of transcripts or speakers the
    project no longer holds. A deletion scrubs stored results itself; this is the last guard:
    whoever is not in the store has no pseudonym any more, so nothing of theirs may leave."""
    speakers = {f"P{s.id}" for s in store.speakers()}
    prefixes = {t.sha256[:12] for t in store.transcripts()}
    excerpts = report.get("excerpts", [])
    people = {p["id"] for p in report.get("participants", []) if p.get("id") not in speakers}
    people |= {e["participant"] for e in excerpts if e.get("participant") not in speakers}
    stale = {str(e.get("id", "")).partition(":")[0] for e in excerpts} - prefixes
    for prefix in sorted(stale):
        report, _n, _q = scrub_report(report, Gone("", prefix, frozenset(), None))
    if people:
        report, _n, _q = scrub_report(report, Gone("", "", frozenset(people), ()))
    return report


def outgoing_report(store: ProjectStore) -> Report:
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
    options = options or ExportOptions()
    wanted = pseudonymisation_enabled(store) if pseudonymise is None else pseudonymise
    # the product and category words the researcher gave are not personal: kept in quotes too
    keep = [w for w in (options.product, options.category) if w]
    active = pseudonymiser_for(store, keep) if wanted else Pseudonymiser.identity()
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
        options=options,
    )
