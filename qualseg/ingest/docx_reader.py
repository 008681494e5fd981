"""Word .docx transcripts (Teams, Zoom, hand-typed), read with python-docx.

The decoded text is the document's paragraphs (tables included, in order) joined with ``"\\n"``;
offsets point into it. Accepted layouts:

* Teams/Zoom/Otter headers: ``Maya Chen   0:03`` (or ``Chen, Maya 00:01:02``) paragraphs, each
  followed by the turn's text paragraph(s);
* the older Teams layout: ``0:0:3.52 --> 0:0:6.24``, then the name, then the text;
* ``Name: text`` paragraphs (any labelled-text variant).

The archive is checked before python-docx opens it (:mod:`qualseg.ingest.docx_archive`): not a
ZIP, damaged, a zip bomb, entity declarations, malformed or deeply nested XML are refused with an
:class:`IngestError`.
"""

from __future__ import annotations

import io
import re

from qualseg.errors import IngestError
from qualseg.ingest import labelled_text, meet, otter
from qualseg.ingest.decode import Decoded, normalise_newlines
from qualseg.ingest.docx_archive import check_archive
from qualseg.ingest.names import is_header_name
from qualseg.ingest.timecode import clock_seconds
from qualseg.ingest.turns import TurnBuilder, lines_with_offsets
from qualseg.models import Utterance

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
    check_archive(source, data, max_bytes)
    try:
        import docx  # python-docx; imported here to keep plain-text imports light

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        paragraphs = [p.text for p in body.iter(_W_P)]
    except Exception as exc:  # python-docx raises many kinds on broken packages
        raise IngestError(
            source,
            "could not be opened as a Word document: its parts are damaged or not what Word "
            f"writes; open it in Word and save it again (detail: {_describe(exc)})",
        ) from None
    text = normalise_newlines("\n".join(paragraphs))
    if not text.strip():
        raise IngestError(source, "the Word document has no text")
    return Decoded(text, "docx")


def _describe(exc: Exception) -> str:
    """The kind of a python-docx failure, without its internals (object reprs, XML paths)."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    if not message or "object" in message or "<" in message:
        return kind
    return f"{kind}: {message[:80]}"


def parse(source: str, text: str) -> tuple[str, tuple[Utterance, ...]]:
    """(format name, turns) of a .docx text, choosing the layout that fits best."""
    cues = sum(bool(_TEAMS_TIMING.fullmatch(text, a, b)) for a, b in lines_with_offsets(text))
    headers = otter.count_headers(text)
    labels = labelled_text.count_labels(text)
    if cues and cues >= headers and cues >= labels:
        return "docx_teams", _parse_teams_cues(source, text)
    if meet.count_heads(text) > max(headers, labels):
        return "docx_name_lines", meet.parse(source, text)
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
