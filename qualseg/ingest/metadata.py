"""participants.csv: metadata about the participants, beside the transcripts.

Columns: ``file`` and/or ``participant`` (or ``name``) identify the row; every other column
(role, company_size, industry, region, outcome...) is kept, in order, as text. Empty cells are
left out of a row's fields (unknown, not an empty value).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qualseg.errors import IngestError
from qualseg.ingest.csv_reader import find_column, normalise_header, rows_for_header
from qualseg.ingest.decode import check_size, decode_bytes

FILE_COLUMNS = ("file", "file name", "filename", "transcript", "transcript file", "source")
PARTICIPANT_COLUMNS = ("participant", "participant name", "name", "full name", "interviewee")
MAX_METADATA_BYTES = 5_000_000


@dataclass(frozen=True)
class ParticipantRecord:
    """One row of participants.csv.

    Attributes:
        file: the transcript file name the row is about, if the file has that column.
        participant: the participant's name, if the file has that column.
        fields: the other columns, header -> value, in column order, empty cells left out.
    """

    file: str | None
    participant: str | None
    fields: dict[str, str] = field(default_factory=dict)


def read_participants_csv(source: str, data: bytes) -> list[ParticipantRecord]:
    """The rows of a participants.csv.

    Raises:
        IngestError: empty, no ``file``/``participant`` column, duplicate rows or columns,
            a row with more values than columns, or no rows.
    """
    check_size(source, data, MAX_METADATA_BYTES)
    text = decode_bytes(source, data).text

    def fits(header: list[str]) -> bool:
        return (
            find_column(header, FILE_COLUMNS) is not None
            or find_column(header, PARTICIPANT_COLUMNS) is not None
        )

    rows = rows_for_header(source, text, fits)
    raw_header = [c.value.strip() for c in rows[0].cells] if rows else []
    while raw_header and not raw_header[-1]:
        raw_header.pop()  # trailing separators, as spreadsheets write them
    header = [normalise_header(h) for h in raw_header]
    if not fits(header):
        found = ", ".join(repr(h) for h in raw_header[:8] if h) or "nothing"
        raise IngestError(
            source,
            "needs a 'file' column or a 'participant' (or 'name') column in its header row; "
            f"found {found}",
        )
    file_col = find_column(header, FILE_COLUMNS)
    name_col = find_column(header, PARTICIPANT_COLUMNS)
    _check_header(source, raw_header, header)
    if len(rows) < 2:
        raise IngestError(source, "has a header row but no participant rows")

    records: list[ParticipantRecord] = []
    seen_names: dict[str, int] = {}
    seen_keys: dict[tuple[str, str], int] = {}
    for row in rows[1:]:
        extra = row.cells[len(header) :]
        if any(c.value.strip() for c in extra):
            raise IngestError(
                source,
                f"line {row.line} has {len(row.cells)} values but the header has "
                f"{len(header)} columns (a value with a comma needs quotes)",
            )
        file = row.value(file_col) or None
        name = row.value(name_col) or None
        if file is None and name is None:
            raise IngestError(source, f"line {row.line} has neither a file nor a participant")
        key = ((file or "").casefold(), (name or "").casefold())
        if key in seen_keys:
            what = f"participant {name!r}" if name else f"file {file!r}"
            raise IngestError(
                source, f"line {row.line} repeats {what} (already on line {seen_keys[key]})"
            )
        seen_keys[key] = row.line
        if name is not None:
            if name.casefold() in seen_names:
                raise IngestError(
                    source,
                    f"line {row.line} repeats participant {name!r} "
                    f"(already on line {seen_names[name.casefold()]})",
                )
            seen_names[name.casefold()] = row.line
        fields = {
            raw_header[i]: row.value(i)
            for i in range(len(header))
            if i not in (file_col, name_col) and row.value(i)
        }
        records.append(ParticipantRecord(file, name, fields))
    return records


def _check_header(source: str, raw_header: list[str], header: list[str]) -> None:
    seen: set[str] = set()
    for raw, norm in zip(raw_header, header, strict=True):
        if not norm:
            raise IngestError(source, "has a column without a name in its header row")
        if norm in seen:
            raise IngestError(source, f"has the column {raw!r} twice in its header row")
        seen.add(norm)
