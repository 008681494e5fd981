"""Ingestion: the bytes of one uploaded file in, a :class:`~qualseg.models.Transcript` out.

Every problem with a file (unknown type, too big, binary, undecodable, no speakers, a damaged
.docx...) is an :class:`~qualseg.errors.IngestError` naming the file and the problem in plain
words; nothing else escapes :func:`read_transcript`.
"""

from __future__ import annotations

from dataclasses import replace

from qualseg.errors import IngestError
from qualseg.ingest.decode import check_size
from qualseg.ingest.labels_check import check_labels, note_shared_labels
from qualseg.ingest.metadata import ParticipantRecord, read_participants_csv
from qualseg.ingest.notes import collecting
from qualseg.ingest.registry import READERS, forget_texts, reader_for
from qualseg.ingest.roles import detect_roles
from qualseg.ingest.variants import merge_name_variants
from qualseg.models import Transcript

MAX_BYTES = 20_000_000
"""Largest transcript file accepted: 20 MB (decimal megabytes)."""

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(READERS)
"""File extensions :func:`read_transcript` reads: .txt, .vtt, .srt, .docx, .csv, .md."""

UNEXPECTED = "an unexpected problem occurred while reading it"

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "ParticipantRecord",
    "detect_roles",
    "read_participants_csv",
    "read_transcript",
]


def read_transcript(source: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> Transcript:
    """Read one transcript file.

    Args:
        source: the file name as given by the user; its extension picks the reader and it
            names the file in error messages.
        data: the file's bytes.
        max_bytes: the size limit (default :data:`MAX_BYTES`, 20 MB).

    Returns:
        The transcript with its turns, roles, role reasons, participant display names and the
        reader's notes for the import report (``"a.txt: 2 paragraphs without a speaker
        label..."``). A short and a full form of one name (``David``, ``David Ashpole``) are
        one speaker (:mod:`qualseg.ingest.variants`).

    Raises:
        IngestError: the file cannot be read as a transcript; ``problem`` says why.
    """
    reader = reader_for(source)
    data = bytes(data)
    check_size(source, data, max_bytes)
    try:
        decoded = reader.load(source, data, max_bytes)
        with collecting() as notes:
            format_name, utterances = reader.parse(source, decoded.text)
            transcript = Transcript(
                source=source,
                format=format_name,
                text=decoded.text,
                encoding=decoded.encoding,
                utterances=utterances,
            )
            check_labels(transcript)
            note_shared_labels(transcript)
            transcript = merge_name_variants(detect_roles(transcript))
        return replace(transcript, notes=tuple(f"{source}: {n}" for n in notes))
    except IngestError:
        raise
    except Exception as exc:  # a reader bug must still reach the user as a message on the file
        raise IngestError(source, f"{UNEXPECTED} ({type(exc).__name__}); please report it") from exc
    finally:
        forget_texts()
