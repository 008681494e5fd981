"""What a deletion did: :class:`DeletionReport` for the researcher and the CLI, and
:class:`Completion` for the finishing of an interrupted one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class DeletionReport:
    """What a deletion removed, for the researcher and the CLI."""

    what: Literal["transcript", "participant"]
    source: str
    participant: str  # display name; '' for a transcript
    whole_transcript: bool  # the transcript went (always for 'transcript')
    speakers: int = 0
    utterances: int = 0
    excerpts: int = 0  # excerpt entries removed, summed over stored run results
    quotes: int = 0  # theme and segment quotes removed, summed over stored run results
    runs_rewritten: int = 0
    embeddings: int = 0
    phrases: int = 0
    edits_removed: int = 0
    edits_rewritten: int = 0
    redactions: int = 0
    original_removed: bool = False
    backups_removed: tuple[str, ...] = ()
    outputs_rewritten: tuple[str, ...] = ()
    compacted: bool = False
    log_emptied: bool = False
    leftovers: tuple[str, ...] = ()  # files that still hold a deleted sentence (should be none)
    retried: bool = False  # the rows were gone already: an interrupted deletion was finished

    def summary(self) -> str:
        """One paragraph in plain words."""
        who = f"{self.participant} ({self.source})" if self.participant else self.source
        if self.retried:
            head = f"Finished the interrupted deletion of {who}."
        elif self.what == "participant" and self.whole_transcript:
            head = (
                f"Deleted {who} for good: the only participant of the transcript, so the whole "
                "transcript went."
            )
        else:
            head = f"Deleted {who} for good."
        parts = [
            f"{self.speakers} speaker(s), {self.utterances} turn(s)",
            f"{self.excerpts} excerpt(s) and {self.quotes} quote(s) in {self.runs_rewritten} "
            "stored result(s)",
            f"{self.embeddings} cached embedding(s) and {self.phrases} cached keyphrase row(s)",
            f"{self.edits_removed} edit(s) removed, {self.edits_rewritten} rewritten",
        ]
        if self.redactions:
            parts.append(f"{self.redactions} pseudonymisation entr(ies)")
        lines = [head, "Removed: " + "; ".join(parts) + "."]
        if self.original_removed:
            lines.append(
                "The original file was overwritten and removed"
                + (" (replaced by the redacted text)." if not self.whole_transcript else ".")
            )
        if self.what == "participant" and not self.whole_transcript:
            lines.append(
                "What the other speakers said stays, including where they name this person; "
                "exports pseudonymise such names."
            )
        if self.backups_removed:
            lines.append(
                f"{len(self.backups_removed)} pre-migration backup(s) of the database were "
                "removed too, as they held the text: " + ", ".join(self.backups_removed) + "."
            )
        if self.outputs_rewritten:
            lines.append("Rebuilt without it: " + ", ".join(self.outputs_rewritten) + ".")
        if self.compacted:
            lines.append("The database file was rebuilt so the deleted text cannot be recovered.")
        if not self.log_emptied:
            lines.append(
                "Another program is reading the project, so its write-ahead log could not be "
                "emptied yet; close it and delete again (nothing more is removed) to finish."
            )
        if self.leftovers:
            lines.append("STILL FOUND in: " + ", ".join(self.leftovers) + ".")
        return " ".join(lines)


@dataclass(frozen=True)
class Completion:
    """What complete_pending_erasure did."""

    sources: tuple[str, ...] = ()
    originals: int = 0
    backups: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    compacted: bool = False
    log_emptied: bool = True
