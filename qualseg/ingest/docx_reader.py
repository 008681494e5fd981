"""Word .docx transcripts (Teams, Zoom, hand-typed), read with python-docx.

The decoded text is the document's paragraphs (tables included, in order) joined with ``"\\n"``;
offsets point into it. Accepted layouts:

* Teams/Zoom/Otter headers: ``Maya Chen   0:03`` (or ``Chen, Maya 00:01:02``) paragraphs, each
  followed by the turn's text paragraph(s);
* the older Teams layout: ``0:0:3.52 --> 0:0:6.24``, then the name, then the text;
* ``Name: text`` paragraphs (any labelled-text variant).

The archive is checked before python-docx opens it: not a ZIP, damaged, too many entries, or
unpacking to far more than it weighs (a zip bomb) is refused with an :class:`IngestError`.
"""

from __future__ import annotations

import io
import re
import zipfile

from qualseg.errors import IngestError
from qualseg.ingest import labelled_text, otter
from qualseg.ingest.decode import Decoded, format_size, normalise_newlines
from qualseg.ingest.names import is_header_name
from qualseg.ingest.timecode import clock_seconds
from qualseg.ingest.turns import TurnBuilder, lines_with_offsets
from qualseg.models import Utterance

MAX_ENTRIES = 2000
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_MIN_SIZE
RATIO_MIN_SIZE = 1_000_000
UNPACKED_PER_BYTE_LIMIT = 10  # total unpacked size may be up to 10 x max_bytes

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_TEAMS_TIMING = re.compile(
    r"[ \t]*(?P<start>\d{1,3}:\d{1,2}:\d{1,2}(?:\.\d+)?)[ \t]*-->[ \t]*"
    r"\d{1,3}:\d{1,2}:\d{1,2}(?:\.\d+)?[ \t]*"
)


def load(source: str, data: bytes, max_bytes: int) -> Decoded:
    """The text of a .docx file.

    Raises:
        IngestError: not a .docx, damaged, a zip bomb, or no text.
    """
    _check_archive(source, data, max_bytes)
    try:
        import docx  # python-docx; imported here to keep plain-text imports light

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        paragraphs = [p.text for p in body.iter(_W_P)]
    except Exception as exc:  # python-docx raises many kinds on broken packages
        raise IngestError(
            source, f"could not be opened as a Word document ({_describe(exc)})"
        ) from None
    text = normalise_newlines("\n".join(paragraphs))
    if not text.strip():
        raise IngestError(source, "the Word document has no text")
    return Decoded(text, "docx")


def _describe(exc: Exception) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    return f"{kind}: {message[:120]}" if message else kind


def _check_archive(source: str, data: bytes, max_bytes: int) -> None:
    if data.startswith(_OLE):
        raise IngestError(
            source,
            "is an old-format (.doc) or password-protected Word file; save it as .docx "
            "without a password",
        )
    if not data.startswith(b"PK"):
        raise IngestError(
            source, "is not a Word .docx file (a .docx is a ZIP archive; this one is not)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise IngestError(
            source, f"is a damaged .docx file (not a readable ZIP archive: {exc})"
        ) from None
    if len(infos) > MAX_ENTRIES:
        raise IngestError(
            source, f"is not a normal .docx: its archive holds {len(infos)} files (zip bomb?)"
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise IngestError(source, "is not a Word .docx file (a ZIP archive without Word parts)")
    total = sum(info.file_size for info in infos)
    limit = UNPACKED_PER_BYTE_LIMIT * max_bytes
    if total > limit:
        raise IngestError(
            source,
            f"unpacks to {format_size(total)}, more than the {format_size(limit)} allowed "
            "(a zip bomb?)",
        )
    for info in infos:
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise IngestError(
                source,
                f"is not a normal .docx: {info.filename} is compressed "
                f"{info.file_size // max(info.compress_size, 1)} to 1 (a zip bomb?)",
            )


def parse(source: str, text: str) -> tuple[str, tuple[Utterance, ...]]:
    """(format name, turns) of a .docx text, choosing the layout that fits best."""
    cues = sum(bool(_TEAMS_TIMING.fullmatch(text, a, b)) for a, b in lines_with_offsets(text))
    headers = otter.count_headers(text)
    labels = labelled_text.count_labels(text)
    if cues and cues >= headers and cues >= labels:
        return "docx_teams", _parse_teams_cues(source, text)
    if headers > labels:
        return "docx_teams", otter.parse(source, text)
    return "docx_labelled", labelled_text.parse(source, text)


def _parse_teams_cues(source: str, text: str) -> tuple[Utterance, ...]:
    """The older Teams layout: timing paragraph, speaker paragraph, text paragraph(s)."""
    builder = TurnBuilder(text)
    pending = False
    start: float | None = None
    for a, b in lines_with_offsets(text):
        m = _TEAMS_TIMING.fullmatch(text, a, b)
        if m:
            pending, start = True, _seconds(m.group("start"))
            continue
        line = text[a:b].strip()
        if pending and line:
            pending = False
            if is_header_name(line):
                builder.start_turn(line, start)
                continue
        if builder.current_speaker is not None:
            builder.add(a, b)
    utterances = builder.utterances()
    if not utterances:
        raise IngestError(source, labelled_text.NO_LABELS)
    return utterances


def _seconds(value: str) -> float | None:
    main, _, frac = value.partition(".")
    parts = main.split(":")
    padded = ":".join([parts[0]] + [p.zfill(2) for p in parts[1:]])
    return clock_seconds(padded + ("." + frac[:3] if frac else ""))
