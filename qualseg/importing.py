"""Import use-case: files in, transcripts and participants stored, one transaction per file.

A failed file changes nothing in the store; the other files of the batch still import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from qualseg.errors import IngestError
from qualseg.ingest import (
    SUPPORTED_EXTENSIONS,
    detect_roles,
    read_participants_csv,
    read_transcript,
)
from qualseg.ingest.filenames import clean_upload_name
from qualseg.ingest.metadata import ParticipantRecord
from qualseg.ingest.names import person_key
from qualseg.ingest.variants import variant_pairs
from qualseg.language import language_warning
from qualseg.models import Transcript
from qualseg.store import ProjectStore
from qualseg.store.project_store import sha256_hex

PARTICIPANTS_FILE = "participants.csv"
# A folder's documentation files, never transcripts even with a transcript extension (README.md).
DOCUMENTATION_STEMS = frozenset({"readme", "changelog", "license", "contributing"})
Status = Literal["imported", "skipped", "failed", "metadata"]


@dataclass(frozen=True)
class FileResult:
    """What happened to one file of a batch."""

    source: str
    status: Status
    message: str = ""
    transcript_id: int | None = None
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The result in one line, the file named first: ``"a.txt: the file is empty"``."""
        return f"{self.source}: {self.message}" if self.message else self.source


@dataclass
class ImportReport:
    """Per-file results of a batch, in the order the files were given."""

    results: list[FileResult] = field(default_factory=list)
    unmatched_metadata: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def imported(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "imported"]

    @property
    def warnings(self) -> list[str]:
        """Every file's warnings (each names its file), in file order."""
        return [w for r in self.results for w in r.warnings]


def files_in_directory(folder: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The transcript files (and participants.csv) of a folder, and the names it ignores.

    Only the folder's own files are read (not sub-folders); hidden files, documentation files
    (README.md, LICENSE.txt...) and files whose extension is not a transcript format
    (gold.json...) are ignored, by name.
    """
    if not folder.is_dir():
        raise IngestError(str(folder), "is not a folder")
    chosen: list[tuple[str, bytes]] = []
    ignored: list[str] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.is_file() or path.name.startswith("."):
            continue
        if path.stem.lower() in DOCUMENTATION_STEMS:
            ignored.append(path.name)
        elif path.suffix.lower() in SUPPORTED_EXTENSIONS or path.name.lower() == PARTICIPANTS_FILE:
            chosen.append((path.name, path.read_bytes()))
        else:
            ignored.append(path.name)
    return chosen, ignored


def import_files(
    store: ProjectStore,
    files: Sequence[tuple[str, bytes]],
    *,
    interviewers: Iterable[str] = (),
) -> ImportReport:
    """Import a batch of uploaded files into a project.

    Args:
        store: the project to import into.
        files: (file name as given, bytes) pairs; a file named participants.csv is read as
            participant metadata and applied to this batch and to participants already stored.
            Names are reduced to their base name (folder parts dropped, with a warning); an
            empty, control-character or ``..`` name fails that file.
        interviewers: speaker labels that are interviewers wherever they appear (corrects the
            automatic role detection).
    """
    report = ImportReport()
    records: list[ParticipantRecord] = []
    transcripts = []
    for given, data in files:
        try:
            clean = clean_upload_name(given)
        except IngestError as err:
            report.results.append(FileResult(err.source, "failed", err.problem))
            continue
        name = clean.name
        notes = (f"{name}: the folder part of the name ({clean.dropped}) was dropped",)
        notes = notes if clean.dropped else ()
        if name.lower() == PARTICIPANTS_FILE:
            try:
                records = read_participants_csv(name, data)
                report.results.append(
                    FileResult(name, "metadata", f"{len(records)} participant rows", None, notes)
                )
            except IngestError as err:
                report.results.append(FileResult(name, "failed", err.problem, None, notes))
        else:
            transcripts.append((name, data, notes))
    interviewer_set = {label.strip().casefold() for label in interviewers}
    for name, data, notes in transcripts:
        result = _import_one(store, name, data, records, interviewer_set)
        report.results.append(replace(result, warnings=notes + result.warnings))
    if records:
        report.unmatched_metadata = apply_participant_records(store, records)
    return report


def _import_one(
    store: ProjectStore,
    name: str,
    data: bytes,
    records: list[ParticipantRecord],
    interviewers: set[str],
) -> FileResult:
    digest = sha256_hex(data)
    existing = store.transcript_by_sha(digest)
    if existing is not None:
        return FileResult(name, "skipped", f"already imported as {existing.source}", existing.id)
    if store.transcript_by_source(name) is not None:
        return FileResult(
            name,
            "failed",
            "a different file with this name is already in the project; rename the new file",
        )
    try:
        transcript = read_transcript(name, data)
        hint = _record_for_file(records, name)
        if hint is not None and hint.participant:
            transcript = detect_roles(transcript, participant_name=hint.participant)
        transcript = _apply_interviewers(transcript, interviewers)
        people = _people_notes(store, transcript)
        tid = store.add_transcript(transcript, data)
    except IngestError as err:
        return FileResult(name, "failed", err.problem)
    except OSError as err:  # the disk, not the file: full, read-only, a name the OS refuses
        reason = err.strerror or type(err).__name__
        return FileResult(
            name,
            "failed",
            f"could not be saved in the project folder ({reason}); nothing was imported from it",
        )
    participants = [transcript.participant_names.get(s, s) for s in _participant_labels(transcript)]
    warning = language_warning(name, transcript)
    return FileResult(
        name,
        "imported",
        "participant: " + ", ".join(participants),
        tid,
        transcript.notes + people + ((warning,) if warning else ()),
    )


def _participant_labels(t: Transcript) -> list[str]:
    return [s for s in t.speakers if t.roles.get(s) == "participant"]


def _apply_interviewers(t: Transcript, interviewers: set[str]) -> Transcript:
    named = [s for s in t.speakers if s.casefold() in interviewers]
    if not named:
        return t
    roles = dict(t.roles)
    reasons = dict(t.role_reasons)
    for label in named:
        roles[label] = "interviewer"
        reasons[label] = "named as interviewer at import"
    if not any(r == "participant" for r in roles.values()):
        others = [s for s in t.speakers if s not in named]
        if others:
            busiest = max(others, key=lambda s: t.words_by_speaker()[s])
            roles[busiest] = "participant"
            reasons[busiest] = "speaks most apart from the named interviewer"
    return replace(t, roles=roles, role_reasons=reasons)


def _people_notes(store: ProjectStore, t: Transcript) -> tuple[str, ...]:
    """Refuse a transcript without a participant; say which of its participants are already
    in the project (the same person interviewed again: one participant with two transcripts)
    and which may be a short or full form of a stored participant's name (a proposal only:
    two interviews may be two people).

    Raises:
        IngestError: no participant in the transcript.
    """
    labels = _participant_labels(t)
    if not labels:
        raise IngestError(
            t.source, "no participant found: every speaker looks like an interviewer or a bystander"
        )
    stored: dict[str, list[str]] = {}  # person key -> sources
    shown: dict[str, str] = {}  # person key -> the name as stored
    for p in store.participants():
        key = person_key(p.display_name)
        if key is not None:
            stored.setdefault(key, []).append(p.source)
            shown.setdefault(key, p.display_name)
    notes = []
    names = [t.participant_names.get(label, label) for label in labels]
    keys = {person_key(n) for n in names} - {None}
    for name in names:
        key = person_key(name)
        if key in stored:
            notes.append(
                f"{t.source}: participant {name!r} is also in {', '.join(stored[key])}; the "
                "interviews are analysed as one participant (a follow-up). If they are two "
                "people, rename the speaker in one of the files"
            )
    others = [shown[k] for k in stored if k not in keys]
    for name, other in variant_pairs([n for n in names if person_key(n)], others):
        sources = ", ".join(stored[person_key(other) or ""])
        notes.append(
            f"{t.source}: participant {name!r} may be {other!r} ({sources}); if they are one "
            "person, give both the same name in the files so that they are analysed as one "
            "participant"
        )
    return tuple(notes)


def _record_for_file(records: list[ParticipantRecord], source: str) -> ParticipantRecord | None:
    for record in records:
        if record.file and record.file.casefold() == source.casefold():
            return record
    return None


def apply_participant_records(store: ProjectStore, records: list[ParticipantRecord]) -> list[str]:
    """Set stored participants' metadata from participants.csv rows.

    Returns:
        A description of each row that matched no stored participant.
    """
    participants = store.participants()
    unmatched: list[str] = []
    updates: list[tuple[int, dict[str, str]]] = []
    for record in records:
        match = [
            p
            for p in participants
            if (record.participant and p.display_name.casefold() == record.participant.casefold())
            or (
                not record.participant
                and record.file
                and p.source.casefold() == record.file.casefold()
            )
        ]
        if not match:
            unmatched.append(record.participant or record.file or "?")
        updates += [(p.id, dict(record.fields)) for p in match]
    store.set_metadata_many(updates)  # one transaction: a crash leaves all or none applied
    return unmatched
