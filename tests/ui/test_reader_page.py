"""Transcript reader: highlights by theme or kind, opened at an excerpt, text always escaped."""

from __future__ import annotations

from pathlib import Path

from qualseg import service
from qualseg.embed import HashingEmbedder
from tests.ui.helpers import RAW, SMALL, html, no_exception, open_app, reopen, state, texts

HOSTILE = (
    "Interviewer: Thanks for joining. What was going on before you started looking?\n"
    "Dana Hostile: Honestly <script>alert('x')</script> our invoices were a **mess** and "
    "[click here](http://evil.example) was the vendor portal. We keyed every invoice by hand "
    "into the spreadsheet and the month end close took twelve days every single month.\n"
    "Interviewer: What made you start looking for a tool?\n"
    "Dana Hostile: The auditors flagged that one person could change vendor bank details "
    "and release payments, so the CFO asked for approvals we can actually trace. <b>bold</b>\n"
)


def test_reader_highlights_excerpts_and_switches_colouring(ws_root: Path):
    at = open_app("reader")
    no_exception(at)
    source = at.selectbox(key="reader_source__widget").value
    body = html(at)
    assert '<mark class="qs-mark"' in body
    assert "qs-legend" in body
    report = state(ws_root).report
    mine = [e for e in report["excerpts"] if e["source"] == source]
    assert f"{len(mine)} excerpts" in texts(at)
    at.get("button_group")[0].set_value("kind").run()
    no_exception(at)
    legend = html(at).split('class="qs-legend"')[1].split("</div>")[0]
    assert any(f">{kind}<" in legend for kind in ("need", "outcome", "objection", "trigger"))


def test_reader_opens_at_an_excerpt_with_its_surrounding_turns(ws_root: Path):
    report = state(ws_root).report
    excerpt = next(
        e for e in report["excerpts"] if e["themes"] and e["source"] == "otter_novak.txt"
    )
    at = open_app(project=SMALL)
    at.session_state["reader_excerpt"] = excerpt["id"]
    at.session_state["reader_source"] = excerpt["source"]
    at.session_state["goto"] = "reader"
    at.run()
    no_exception(at)
    assert at.selectbox(key="reader_source__widget").value == "otter_novak.txt"
    assert "At the excerpt" in texts(at)
    assert html(at).count("qs-target") >= 2  # in the context block and in the full transcript
    button = next(b for b in at.button if b.label == "Close")
    button.click().run()
    assert "At the excerpt" not in texts(at)


def test_transcript_text_is_escaped_never_rendered(ws_root: Path):
    store = reopen(ws_root, SMALL)
    report = service.import_files(store, [("hostile.txt", HOSTILE.encode())])
    assert not report.failed, report.failed
    service.run_analysis(store, embedder=HashingEmbedder())
    at = open_app(project=SMALL)
    at.session_state["reader_source"] = "hostile.txt"
    at.session_state["goto"] = "reader"
    at.run()
    no_exception(at)
    body = html(at)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script>" not in body and "<b>bold</b>" not in body
    assert "**mess**" in body and "[click here](http://evil.example)" in body
    assert "Dana Hostile" in body
    assert "<mark" in body  # the hostile participant's excerpts are highlighted, escaped too


def test_reader_before_analysis_shows_the_plain_transcript(ws_root: Path):
    at = open_app("reader", project=RAW)
    no_exception(at)
    assert "Not analyzed yet" in texts(at)
    body = html(at)
    assert "qs-turn" in body and "<mark" not in body
