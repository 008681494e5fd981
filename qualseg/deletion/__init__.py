"""Delete for real: erase a transcript, or one participant, from a project and its outputs.

What goes, in ONE SQLite transaction with ``secure_delete`` on (see ``ProjectStore.erase``):

- the transcript's rows (transcript, speakers, turns); for a participant, their speaker row and
  turns, and their speech in the stored text replaced by a placeholder of the SAME length
  (``[removed]``, padded with spaces; line breaks kept), their name blanked outside the other
  speakers' speech. Every other speaker's offsets, excerpt keys and edits stay valid.
- the embedding and keyphrase cache rows (keyed by ``text_hash``, also of the text cleaned for
  themes) of every text of that speech:
  each turn (interviewer turns are embedded as the question before an answer) and each excerpt
  as every recorded run's settings cut it. A text that a remaining speaker says word for word is
  kept: it is their words too, and dropping it would only cost a re-computation.
- the whole named-entity cache of name detection (each row holds the names one transcript
  mentions); detection parses the remaining transcripts again when it next runs. The whole
  excerpt-cut cache too (offsets only, but keyed by hashes of speech).
- their excerpts, quotes, participants and pins in EVERY stored run result. A theme that loses
  members keeps only the keyphrases and label words its remaining members say; a theme left
  empty is removed (and from segments); a segment left without participants is removed.
- edits about their excerpts (pins, moves, dismissals); their excerpt keys inside other edits.
- rows of the pseudonymisation review list whose surface only the deleted speech contained.

After the commit: the original file is overwritten and removed (for a participant it is replaced
by the redacted text, since it holds their words; the file hash stays the transcript's identity,
so re-importing the unredacted file is refused as a duplicate), report files that the CLI wrote
into the project folder are rebuilt from the scrubbed result, the pre-migration backups (full
copies of the database) are removed, the database is VACUUMed and its write-ahead log truncated.
A marker committed with the deletion lists what is left; ``complete_pending_erasure`` finishes it
after a crash, and every deletion starts with it. Finally every file of the project folder is read
back to check that no sentence of the deleted speech is left (``DeletionReport.leftovers``).

One-to-one interviews: deleting the only participant of a transcript deletes the whole transcript
(the interviewer's questions were put to that person).
"""

from __future__ import annotations

from qualseg.deletion.erase import (
    MIN_CHECK_WORDS,
    cache_keys,
    complete_pending_erasure,
    delete_participant,
    delete_transcript,
)
from qualseg.deletion.files import REPORT_FILES, REPORT_FOLDER, find_leftovers
from qualseg.deletion.outcome import Completion, DeletionReport
from qualseg.deletion.speaker_text import PLACEHOLDER, placeholder, redact_speaker

__all__ = [
    "MIN_CHECK_WORDS",
    "PLACEHOLDER",
    "REPORT_FILES",
    "REPORT_FOLDER",
    "Completion",
    "DeletionReport",
    "cache_keys",
    "complete_pending_erasure",
    "delete_participant",
    "delete_transcript",
    "find_leftovers",
    "placeholder",
    "redact_speaker",
]
