"""Transcript text meant to break a page or a spreadsheet stays inert in every output.

The corpus files html-and-markdown.txt (script tags, event handlers, Markdown headings, links,
images, pipes) and formula-cells.csv (cells starting with = + - @) are imported with four sample
interviews and analyzed; the Markdown outputs must escape the markup and the CSV outputs must
neutralise the formulas, while the stored excerpts stay verbatim.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from qualseg import quote_bank
from qualseg.embed import HashingEmbedder
from qualseg.importing import import_files
from qualseg.report import quote_of, quotes_csv, report_markdown
from qualseg.running import run_analysis
from qualseg.store import Workspace
from tests.conftest import SAMPLE_DIR

CORPUS = Path(__file__).resolve().parent / "corpus"
HOSTILE = ("html-and-markdown.txt", "formula-cells.csv")
SAMPLES = ("interview_bluepeak.txt", "session4.txt", "otter_novak.txt", "interview_ferreira.txt")
FORMULA_START = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("hostile-render")
    store = Workspace(root).open("render", create=True)
    files = [(n, (CORPUS / n).read_bytes()) for n in HOSTILE]
    files += [(n, (SAMPLE_DIR / n).read_bytes()) for n in SAMPLES]
    report = import_files(store, files)
    assert not report.failed, report.failed
    _, result = run_analysis(store, embedder=HashingEmbedder())
    store.close()
    shutil.rmtree(root, ignore_errors=True)
    return result


def _hostile_excerpts(report: dict) -> list[dict]:
    return [e for e in report["excerpts"] if e["source"] in HOSTILE]


def _markup_excerpts(report: dict) -> list[dict]:
    return [e for e in _hostile_excerpts(report) if re.search(r"[<>\[\]#*`|]", e["text"])]


def assert_inert_markdown(md: str, *, own_headings: bool = False) -> None:
    """No raw HTML tag, link, image, heading or emphasis made from transcript text.

    ``own_headings``: the document has section headings of its own; only quote lines are checked
    for headings then."""
    assert not re.search(r"(?<!\\)<\s*/?\s*(script|img|b)\b", md, re.I), md
    assert not re.search(r"(?<!\\)\]\((javascript|https?):", md), md
    assert not re.search(r"(?<!\\)!\[", md), md
    assert not re.search(r"(?<!\\)\*\*everyone", md), md
    body = md.split("\n", 1)[1]
    heading = r"^\s*>\s*#" if own_headings else r"^\s*(>\s*)?#"
    assert not re.search(heading, body, re.M), md


def test_hostile_text_is_stored_verbatim(hostile_report):
    excerpts = _hostile_excerpts(hostile_report)
    joined = " ".join(e["text"] for e in excerpts)
    assert '<script>alert("xss")</script>' in joined
    assert "[click here](javascript:alert(1))" in joined
    assert any(e["text"].startswith("=HYPERLINK(") for e in excerpts)
    assert any(e["text"].startswith("+cmd|") for e in excerpts)
    assert any(e["text"].startswith("@SUM(") for e in excerpts)


def test_quote_bank_markdown_is_inert(hostile_report):
    items = [q for q in quote_bank.quotes(hostile_report) if q.source in HOSTILE]
    marked = [q for q in items if re.search(r"[<>\[\]#*`|]", q.text)]
    assert len(marked) >= 3, [q.text for q in items]
    md = quote_bank.to_markdown(items, title="<script>alert('title')</script> # quotes")
    assert_inert_markdown(md)
    assert "\\<script\\>alert" in md  # escaped, still readable as the customer's words


def test_report_markdown_quotes_are_inert(hostile_report):
    report = dict(hostile_report)
    hostile = _markup_excerpts(report)
    assert hostile
    theme = {
        "id": "T-hostile",
        "lens": "need",
        "label": "<img src=x onerror=alert(1)> # label",
        "keyphrases": ["<script>alert(2)</script>", "[x](javascript:alert(3))"],
        "participants": [hostile[0]["participant"]],
        "excerpts": [e["id"] for e in hostile],
        "quotes": [quote_of(e) for e in hostile],
        "dismissed": False,
    }
    report["themes"] = [*report["themes"], theme]
    md = report_markdown(report)
    for e in hostile:
        assert str(e["start"]) in md
    assert_inert_markdown(md, own_headings=True)


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _formula_cells(rows: list[list[str]]) -> list[str]:
    return [c for row in rows[1:] for c in row if c.startswith(FORMULA_START) and not _number(c)]


def _number(cell: str) -> bool:
    return re.fullmatch(r"[-+]?\d+(\.\d+)?", cell) is not None


def test_csv_exports_neutralise_formulas(hostile_report):
    starts = [e["text"] for e in _hostile_excerpts(hostile_report)]
    assert sum(t.startswith(FORMULA_START) for t in starts) >= 4
    for text in (
        quotes_csv(hostile_report),
        quote_bank.to_csv(quote_bank.quotes(hostile_report)),
    ):
        rows = _csv_cells(text)
        assert _formula_cells(rows) == []
        cells = {c for row in rows for c in row}
        assert any(c.startswith("'=HYPERLINK(") for c in cells)
        assert any(c.startswith("'+cmd|") for c in cells)
        assert any(c.startswith("'@SUM(") for c in cells)
        assert any(c.startswith("'-2+3 approvals") for c in cells)
