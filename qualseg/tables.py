"""The quote table and CSV text: the one module that writes CSV.

One quote table serves every quote deliverable (the quote bank's CSV download, the ``csv`` and
``xlsx`` exports): the fixed columns, then the participants' metadata columns, then the text and
where it was said. ``quotes.csv`` beside report.json (``analyze --out``) lists every excerpt of
a run in its own documented subset of columns. Every text cell goes through
:func:`qualseg.escaping.csv_safe` (a cell starting with = + - @ gets a leading apostrophe).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from qualseg.escaping import csv_safe
from qualseg.ingest.timecode import timecode
from qualseg.report_types import Report

if TYPE_CHECKING:
    from qualseg.quote_bank import Quote

Cell = str | int | float

FIXED_COLUMNS = (
    "excerpt_id",
    "segment",
    "segment_label",
    "themes",
    "theme_labels",
    "kinds",
    "participant_id",
    "participant",
)
TAIL_COLUMNS = (
    "text",
    "words",
    "source",
    "start",
    "end",
    "timestamp",
    "time",
    "punchy",
    "pinned",
)
# quotes.csv of ``analyze --out``: every excerpt of the run (documented in README.md).
RUN_COLUMNS = (
    "excerpt_id",
    "participant_id",
    "participant",
    "segment",
    "source",
    "start",
    "end",
    "timestamp",
    "kinds",
    "themes",
    "theme_labels",
    "text",
)


def csv_text(rows: Iterable[Sequence[Cell]]) -> str:
    """Rows as CSV text (lines end in CRLF), every text cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for cells in rows:
        writer.writerow([csv_safe(c) if isinstance(c, str) else c for c in cells])
    return out.getvalue()


# -- the quote table ------------------------------------------------------------------------------


def metadata_columns(items: Sequence[Quote]) -> list[str]:
    """The participants' metadata column names found in the quotes, sorted."""
    return sorted({c for q in items for c in q.metadata})


def header(meta_columns: Sequence[str]) -> list[str]:
    """Column names; a metadata column named like a fixed column gets a 'metadata:' prefix."""
    taken = set(FIXED_COLUMNS) | set(TAIL_COLUMNS)
    meta = [f"metadata:{c}" if c in taken else c for c in meta_columns]
    return [*FIXED_COLUMNS, *meta, *TAIL_COLUMNS]


def row(quote: Quote, meta_columns: Sequence[str]) -> list[Cell]:
    """One quote's cells, in :func:`header` order (raw values, not yet made spreadsheet-safe)."""
    return [
        quote.excerpt,
        quote.segment or "",
        quote.segment_label,
        ";".join(quote.themes),
        "; ".join(quote.theme_labels),
        ";".join(quote.kinds),
        quote.participant_id,
        quote.participant,
        *[quote.metadata.get(c, "") for c in meta_columns],
        quote.text,
        quote.words,
        quote.source,
        quote.start,
        quote.end,
        "" if quote.timestamp is None else quote.timestamp,
        timecode(quote.timestamp),
        "yes" if quote.punchy else "no",
        "yes" if quote.pinned else "no",
    ]


def table(items: Sequence[Quote]) -> tuple[list[str], list[list[Cell]]]:
    """The header and the rows of a list of quotes."""
    meta = metadata_columns(items)
    return header(meta), [row(q, meta) for q in items]


def quotes_csv(items: Sequence[Quote]) -> str:
    """The quote table of ``items`` as CSV text."""
    names, rows = table(items)
    return csv_text([names, *rows])


# -- quotes.csv of a run --------------------------------------------------------------------------


def run_quotes_csv(report: Report) -> str:
    """Every excerpt of a run's report with its participant, segment, source, position, kinds,
    themes and text, in :data:`RUN_COLUMNS`."""
    names = {p["id"]: p for p in report["participants"]}
    labels = {t["id"]: t["label"] for t in report["themes"]}
    rows: list[Sequence[Cell]] = [RUN_COLUMNS]
    for e in report["excerpts"]:
        person = names.get(e["participant"], {})
        rows.append(
            [
                e["id"],
                e["participant"],
                person.get("name", ""),
                person.get("segment") or "",
                e["source"],
                e["start"],
                e["end"],
                "" if e["timestamp"] is None else e["timestamp"],
                ";".join(e["kinds"]),
                ";".join(e["themes"]),
                "; ".join(labels[t] for t in e["themes"] if t in labels),
                e["text"],
            ]
        )
    return csv_text(rows)
