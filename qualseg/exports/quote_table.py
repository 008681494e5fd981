"""The quote bank as deliverables: a CSV, an XLSX workbook and the swipe file as Markdown.

Rows are every excerpt the researcher has not dismissed (:func:`qualseg.quote_bank.quotes` over
the export context's current state), in transcript order, in the columns of the one quote table
(:mod:`qualseg.tables`: segment, themes, kinds, participant, the participant's metadata columns,
the verbatim text and where it was said).

Spreadsheet safety: every text cell goes through :func:`qualseg.escaping.csv_safe` (a cell starting
with = + - @ gets a leading apostrophe), and in XLSX every text cell is stored as a string, never
as a formula or an error value. The XLSX bytes depend only on the context: the workbook's dates
are the context's ``generated_at`` and the zip entries carry a fixed time.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from qualseg.escaping import csv_safe, xml_safe
from qualseg.exports.context import ExportContext
from qualseg.quote_bank import quotes, swipe_file, to_markdown
from qualseg.tables import header, metadata_columns, quotes_csv, row

EXCEL_CELL_MAX = 32_767  # the most characters an Excel cell holds
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
# Characters XML 1.0 cannot hold (C0 controls but tab, newline, carriage return).
TEXT_WIDTH = 80
MAX_WIDTH = 40
MIN_WIDTH = 8


# -- CSV ------------------------------------------------------------------------------------------


def render_csv(ctx: ExportContext) -> bytes:
    """Every non-dismissed quote as CSV (UTF-8 with a byte-order mark so that spreadsheet programs
    read the accents right), every text cell formula-safe."""
    return quotes_csv(quotes(ctx.report)).encode("utf-8-sig")


# -- XLSX -----------------------------------------------------------------------------------------


def xlsx_text(text: str) -> str:
    """A text made safe for a workbook cell: characters XML cannot hold become U+FFFD, formula
    starts get an apostrophe, and the text is cut to Excel's cell limit."""
    return csv_safe(xml_safe(text))[:EXCEL_CELL_MAX]


def put(ws: Worksheet, row_no: int, col_no: int, value: str | int | float) -> None:
    """Write one cell; a text is always stored as a string (never a formula or an error), an
    empty text leaves the cell empty."""
    cell = ws.cell(row=row_no, column=col_no)
    if value == "":
        return
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"
    else:
        cell.value = value


def write_table(ws: Worksheet, names: Sequence[str], rows: Sequence[Sequence]) -> None:
    """A header row (bold, frozen, with an autofilter) and the rows; the text column wraps."""
    bold = Font(bold=True)
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    text_col = list(names).index("text") + 1
    for col, name in enumerate(names, start=1):
        put(ws, 1, col, name)
        ws.cell(row=1, column=col).font = bold
    for row_no, cells in enumerate(rows, start=2):
        for col, value in enumerate(cells, start=1):
            put(ws, row_no, col, value)
            ws.cell(row=row_no, column=col).alignment = wrapped if col == text_col else top
    ws.freeze_panes = "A2"
    last = get_column_letter(len(names))
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for col, name in enumerate(names, start=1):
        if col == text_col:
            width = TEXT_WIDTH
        else:
            longest = max([len(str(name)), *(len(str(r[col - 1])) for r in rows)])
            width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
        ws.column_dimensions[get_column_letter(col)].width = width


def about_rows(ctx: ExportContext, total: int, pinned: int) -> list[tuple[str, str | int]]:
    """What the workbook was built from."""
    run = ctx.run
    rows: list[tuple[str, str | int]] = [
        ("project", ctx.project),
        ("generated_at", ctx.generated_at),
        ("run", run.id),
        ("run started_at", run.started_at),
        ("seed", run.seed),
        ("model", run.model),
        ("edits applied", ctx.edits),
        ("pseudonymised", "yes" if ctx.pseudonymised else "no"),
        ("quotes", total),
        ("pinned quotes", pinned),
    ]
    rows += [(f"version {name}", version) for name, version in sorted(run.versions.items())]
    rows.append(
        (
            "note",
            "Quotes are verbatim, with their source file, character offsets (start, end) and "
            "timestamp. The offsets point into the original file, which stays in the project "
            "folder; with names pseudonymised, the text differs from it by the pseudonyms. A cell that starts with = + - or @ begins with an apostrophe so that no "
            "spreadsheet runs it as a formula.",
        )
    )
    return rows


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry the same time, so the same workbook gives the same
    bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as handle:
            self.writestr(arcname or str(filename), handle.read())


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes of a workbook, without the save-time stamp openpyxl would add."""
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return buffer.getvalue()


def _when(ctx: ExportContext) -> datetime:
    try:
        return datetime.fromisoformat(ctx.generated_at).replace(tzinfo=None)
    except ValueError:
        return datetime(1980, 1, 1)


def render_xlsx(ctx: ExportContext) -> bytes:
    """The quote bank as a workbook: 'Quotes' (every non-dismissed quote), 'Swipe file' (the
    pinned ones, in pin order) and 'About' (project, when, run, pseudonymisation)."""
    everything = quotes(ctx.report)
    pinned = swipe_file(ctx.report)
    meta = metadata_columns(everything)
    names = header(meta)

    wb = Workbook()
    wb.properties.creator = "qualseg"
    wb.properties.title = f"Quote bank · {ctx.project}"
    wb.properties.created = wb.properties.modified = _when(ctx)
    sheet = wb.active
    sheet.title = "Quotes"
    write_table(sheet, names, [row(q, meta) for q in everything])
    write_table(wb.create_sheet("Swipe file"), names, [row(q, meta) for q in pinned])

    about = wb.create_sheet("About")
    for row_no, (key, value) in enumerate(about_rows(ctx, len(everything), len(pinned)), 1):
        put(about, row_no, 1, key)
        put(about, row_no, 2, value)
        about.cell(row=row_no, column=1).font = Font(bold=True)
        about.cell(row=row_no, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = TEXT_WIDTH
    return workbook_bytes(wb)


# -- swipe file as Markdown -----------------------------------------------------------------------


def render_swipe_md(ctx: ExportContext) -> bytes:
    """The pinned quotes as a Markdown document, each with who said it and where."""
    pinned = swipe_file(ctx.report)
    text = to_markdown(pinned, f"Swipe file · {ctx.project}")
    if not pinned:
        text += "No pinned quotes yet: pin quotes in the quote bank to collect them here.\n\n"
    names = "pseudonymised" if ctx.pseudonymised else "real names"
    text += (
        f"\n---\n\nGenerated {ctx.generated_at} from run {ctx.run.id} (seed {ctx.run.seed}), "
        f"{ctx.edits} edit(s) applied, {names}. Quotes are verbatim; each gives its source file "
        "and the character offset where it starts.\n"
    )
    return text.encode("utf-8")
