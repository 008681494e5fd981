"""The quote bank page shows hostile transcript text escaped: no tag, link or heading renders."""

from __future__ import annotations

import re
from pathlib import Path

from qualseg import service
from qualseg.embed import HashingEmbedder
from tests.ui.conftest import built_workspace, clear_streamlit_caches, ws_root  # noqa: F401
from tests.ui.helpers import SMALL, html, no_exception, open_app, reopen, texts

CORPUS = Path(__file__).resolve().parent / "corpus"


def test_quote_bank_page_shows_hostile_text_escaped(ws_root: Path):  # noqa: F811
    store = reopen(ws_root, SMALL)
    name = "html-and-markdown.txt"
    report = service.import_files(store, [(name, (CORPUS / name).read_bytes())])
    assert not report.failed, report.failed
    service.run_analysis(store, embedder=HashingEmbedder())
    at = open_app("quotes", project=SMALL)
    no_exception(at)
    at.toggle(key="qb_small_talk").set_value(True).run()  # every excerpt, whatever its kind
    at.text_input(key="qb_text").input("alert").run()
    no_exception(at)
    # Quote text is shown in copy boxes (code blocks: shown literally, never rendered) ...
    codes = [c.value for c in at.code]
    assert any('<script>alert("xss")</script>' in c for c in codes), codes
    # ... and nowhere as live HTML or Markdown.
    body = html(at)
    assert "html-and-markdown.txt @" in body
    assert not re.search(r"<script|<img|<b onmouseover", body, re.I)
    shown = texts(at)
    assert not re.search(r"(?<!\\)<script|(?<!\\)\]\(javascript:", shown)
