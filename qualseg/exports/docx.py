"""The segment profile report as a Word document (python-docx).

Headings, tables, the charts as pictures, quotes in the Quote style with their source underneath,
and each segment starting on a new page. Text goes in as runs (never as markup) with the
characters XML cannot hold replaced. The file is repacked with fixed zip timestamps and fixed
core properties, so the same context gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.shared import Cm, Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph

from qualseg.escaping import xml_safe
from qualseg.exports.charts import Chart, report_charts
from qualseg.exports.context import ExportContext
from qualseg.exports.messaging import BLANK, MessagingStarters
from qualseg.exports.report_doc import (
    LENS_NAMES,
    LENS_TITLES,
    LENSES,
    Person,
    Quote,
    ReportDocument,
    SegmentPage,
    build_document,
    empty_lens,
    names_of,
    positioning_slots,
    quote_from,
    validation_lines,
)

PICTURE_WIDTH = Inches(6.3)
TEXT_WIDTH_CM = 17.0
MUTED = RGBColor(0x55, 0x55, 0x55)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def render(ctx: ExportContext) -> bytes:
    doc = build_document(ctx)
    return render_document(doc, report_charts(doc))


def render_document(doc: ReportDocument, charts: tuple[Chart, ...] = ()) -> bytes:
    out = Document()
    _page_setup(out, doc)
    names = names_of(doc)
    out.add_heading(xml_safe(doc.title), 0)
    m = doc.method
    _muted(out, f"Analysis run {m.run_id} of {m.date}, seed {m.seed}; generated {m.generated_at}.")
    _summary(out, doc, charts)
    _method(out, doc)
    for page in doc.segments:
        _page(out, page, names)
    _unsegmented(out, doc)
    _themes(out, doc)
    buffer = io.BytesIO()
    out.save(buffer)
    return _stable_zip(buffer.getvalue())


# -- building blocks ------------------------------------------------------------------------------


def _page_setup(out: DocxDocument, doc: ReportDocument) -> None:
    section = out.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    out.styles["Normal"].font.size = Pt(10)
    props = out.core_properties
    props.title = xml_safe(doc.title)
    props.subject = "Segment profile report"
    props.author = "qualseg"
    props.last_modified_by = "qualseg"
    props.comments = ""
    props.revision = 1
    when = _when(doc.method.generated_at)
    props.created = when
    props.modified = when
    props.last_printed = when


def _when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return datetime(1980, 1, 1, tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _para(out: DocxDocument, text: str, style: str | None = None) -> Paragraph:
    return out.add_paragraph(xml_safe(text), style=style)


def _bold(out: DocxDocument, text: str) -> Paragraph:
    paragraph = out.add_paragraph()
    paragraph.add_run(xml_safe(text)).bold = True
    return paragraph


def _muted(out: DocxDocument, text: str, italic: bool = False) -> Paragraph:
    paragraph = out.add_paragraph()
    run = paragraph.add_run(xml_safe(text))
    run.font.color.rgb = MUTED
    run.font.size = Pt(9)
    run.italic = italic
    return paragraph


def _heading(out: DocxDocument, text: str, level: int) -> Paragraph:
    return out.add_heading(xml_safe(text), level)


def _quote(out: DocxDocument, q: Quote) -> None:
    paragraph = out.add_paragraph(style="Quote")
    paragraph.add_run(xml_safe(f"“{q.text}”"))
    paragraph.add_run().add_break()
    cite = paragraph.add_run(xml_safe(f"— {q.cite()}"))
    cite.italic = False
    cite.font.size = Pt(8.5)
    cite.font.color.rgb = MUTED
    paragraph.paragraph_format.keep_together = True


def _table(
    out: DocxDocument, header: list[str], rows: list[list[object]], widths: tuple[float, ...]
) -> None:
    """A grid table; ``widths`` are relative column widths over the text width."""
    table = out.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    scale = TEXT_WIDTH_CM / sum(widths)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on each page
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_safe(text)).bold = True
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = xml_safe(value)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width * scale)  # the grid, which some word processors follow
        for cell in column.cells:
            cell.width = Cm(width * scale)  # the cells, which others follow
    out.add_paragraph()


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, in the original order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()


# -- sections -------------------------------------------------------------------------------------


def _summary(out: DocxDocument, doc: ReportDocument, charts: tuple[Chart, ...]) -> None:
    _heading(out, "Study summary", 1)
    for line in doc.summary:
        _para(out, line, "List Bullet")
    if doc.segments:
        _table(
            out,
            ["Segment", "Participants", "Share", "Distinctness"],
            [
                [
                    f"{p.id}: {p.label}",
                    p.size,
                    f"{p.validation.share:.0%}",
                    p.validation.distinctness,
                ]
                for p in doc.segments
            ],
            (3, 1.9, 1.1, 6),
        )
    for chart in charts:
        picture = out.add_picture(io.BytesIO(chart.png), width=PICTURE_WIDTH)
        picture._inline.docPr.set("descr", xml_safe(chart.alt))  # the alt text of the picture
        picture._inline.docPr.set("title", xml_safe(chart.title))


def _method(out: DocxDocument, doc: ReportDocument) -> None:
    m = doc.method
    _heading(out, "Method notes", 1)
    rows: list[list[object]] = [
        ["Analysis run", f"{m.run_id} ({m.date})"],
        ["Started / finished", f"{m.started_at} / {m.finished_at or 'n/a'}"],
        ["Interviews", m.interviews],
        ["Participants", m.participants],
        ["Excerpts", m.excerpts],
        ["Seed", m.seed],
        ["Embedding model", m.model],
        ["Researcher edits applied", m.edits],
        ["Pseudonymised", "yes" if m.pseudonymised else "no"],
        ["Report generated", m.generated_at],
        ["Versions", ", ".join(f"{k} {v}" for k, v in m.versions)],
    ]
    _table(out, ["Item", "Value"], rows, (1, 3))
    _heading(out, "Configuration", 3)
    paragraph = out.add_paragraph()
    run = paragraph.add_run(xml_safe(m.config_json))
    run.font.name = "Courier New"
    run.font.size = Pt(8.5)


def _page(out: DocxDocument, page: SegmentPage, names: dict[str, str]) -> None:
    heading = _heading(out, f"Segment {page.id}: {page.label}", 1)
    heading.paragraph_format.page_break_before = True
    _heading(out, "Who they are", 2)
    _para(out, page.who)
    for lens in LENSES:
        _heading(out, LENS_TITLES[lens], 2)
        rows = page.themes(lens)
        if not rows:
            _muted(out, empty_lens(lens), True)
        for row in rows:
            _heading(out, row.label, 3)
            _muted(out, row.figures()).paragraph_format.keep_with_next = True
            for q in row.quotes:
                _quote(out, q)
    if page.quotes:
        _heading(out, "Key quotes", 2)
        for q in page.quotes:
            _quote(out, q)
    _validation(out, page)
    _messaging(out, page, names)
    _people(out, page)


def _validation(out: DocxDocument, page: SegmentPage) -> None:
    v = page.validation
    _heading(out, "Is it a real segment?", 2)
    for item in validation_lines(page):
        _para(out, item, "List Bullet")
    _heading(out, "Checklist", 3)
    _table(
        out,
        ["Criterion", "Status", "Evidence", "Researcher's note"],
        [
            [f"{c.criterion}\n{c.question}", c.status, c.evidence, c.note or "—"]
            for c in v.checklist
        ],
        (2.4, 1.7, 5, 2),
    )


def _positioning(out: DocxDocument, m: MessagingStarters) -> None:
    """The positioning sentence with its blanks highlighted."""
    paragraph = out.add_paragraph()
    pieces = xml_safe(m.positioning.sentence()).split(BLANK)
    for i, piece in enumerate(pieces):
        paragraph.add_run(piece).bold = True
        if i < len(pieces) - 1:
            blank = paragraph.add_run(BLANK)
            blank.bold = True
            blank.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _messaging(out: DocxDocument, page: SegmentPage, names: dict[str, str]) -> None:
    _heading(out, "Messaging starters", 2)
    m = page.messaging
    if m is None:
        _muted(out, page.messaging_note, True)
        return
    _positioning(out, m)
    _table(
        out,
        ["Slot", "Filled with", "From"],
        [[name, slot.shown(), slot.note or "—"] for name, slot in positioning_slots(m)],
        (1.2, 3, 4),
    )
    for name, slot in positioning_slots(m):
        if slot.evidence:
            _muted(out, f"Evidence for {name}:")
            for q in slot.evidence:
                _quote(out, quote_from(q, names))
    _heading(out, "Message map", 3)
    if not m.message_map:
        _muted(out, "No objection to answer in this segment.", True)
    for entry in m.message_map:
        _bold(out, f"{entry.label} ({entry.participants} participants)")
        _muted(out, "Voiced by")
        for q in entry.voicing:
            _quote(out, quote_from(q, names))
        _muted(out, "Answered by")
        if not entry.answering:
            _muted(out, f"None in the interviews yet: {BLANK}", True)
        for q in entry.answering:
            _quote(out, quote_from(q, names))
    _heading(out, "Hooks", 3)
    if not m.hooks:
        _muted(out, "No trigger moment found for a hook.", True)
    for hook in m.hooks:
        _bold(out, f"{hook.label} ({hook.participants} participants)")
        for q in hook.quotes:
            _quote(out, quote_from(q, names))
    _heading(out, "Headline phrases", 3)
    if not m.headlines:
        _muted(out, "No short phrase found.", True)
        return
    _table(
        out,
        ["Phrase", "Participants", "Said by"],
        [[h.text, h.participants, quote_from(h.quote, names).cite()] for h in m.headlines],
        (5, 1.9, 3.5),
    )


def _person_table(out: DocxDocument, people: tuple[Person, ...]) -> None:
    _table(
        out,
        ["ID", "Name", "Transcript", "Metadata"],
        [[p.id, p.name, p.source, p.metadata_lines()] for p in people],
        (0.8, 2, 3, 5),
    )


def _people(out: DocxDocument, page: SegmentPage) -> None:
    _heading(out, "Participants", 2)
    if not page.participants:
        _muted(out, "No participant is in this segment yet.", True)
        return
    _person_table(out, page.participants)
    if page.mix:
        _heading(out, "Metadata mix", 3)
        for column in page.mix:
            _para(out, f"{column.column}: {column.shown()}", "List Bullet")


def _unsegmented(out: DocxDocument, doc: ReportDocument) -> None:
    heading = _heading(out, "Participants in no segment", 1)
    heading.paragraph_format.page_break_before = True
    if not doc.unsegmented:
        _muted(out, "Every participant is in a segment.", True)
        return
    _person_table(out, doc.unsegmented)


def _themes(out: DocxDocument, doc: ReportDocument) -> None:
    _heading(out, "Themes across the study", 1)
    for lens, rows in doc.themes:
        _heading(out, LENS_NAMES[lens], 2)
        if not rows:
            _muted(out, "No themes found.", True)
            continue
        _table(
            out,
            ["Theme", "Participants", "Excerpts", "Keyphrases", "Listed on"],
            [
                [
                    t.label,
                    t.participants,
                    t.excerpts,
                    ", ".join(t.keyphrases),
                    ", ".join(t.segments),
                ]
                for t in rows
            ],
            (3, 1.9, 1.5, 4.5, 3),
        )
