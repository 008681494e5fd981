"""The report in every format with no segments, a segment without objections, hostile text, and
messaging starters built by hand."""

from __future__ import annotations

import copy
import dataclasses
import io
import re

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from markdown_it import MarkdownIt

from qualseg.editing import current_state, delete_segment, dismiss_theme
from qualseg.exports import docx as docx_format
from qualseg.exports import html as html_format
from qualseg.exports import markdown as md_format
from qualseg.exports.context import ExportOptions, build_context
from qualseg.exports.messaging import (
    BLANK,
    HeadlinePhrase,
    Hook,
    MessageMapEntry,
    MessagingStarters,
    Positioning,
    Slot,
)
from qualseg.exports.report_doc import build_document, empty_lens
from qualseg.report import quote_of
from tests.exports.test_report_formats import (
    FORMATS,
    docx_text,
    flat,
    html_parse,
    html_text,
    md_plain,
    segment_sections,
    text_of,
)

HOSTILE_QUOTE = (
    "He said \"quotes\" & 'apostrophes' <script>alert(1)</script> — naïve café 日本語 😀 "
    "*not bold* _x_ [link](http://evil.example) `code` | pipe \\ backslash # hash"
)
HOSTILE_LABEL = '<b>bold</b> & "label" </section><h1>x</h1>'
HOSTILE_NAME = "O'Brien <img src=x onerror=alert(1)>"
LONG_QUOTE = ("because the invoice sat in someone's inbox for a week " * 60)[:2600] + "x" * 400
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "section", "h1", "h2", "h3", "h4", "p",
    "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "footer", "figure",
    "img", "pre", "strong", "small", "br", "div", "span",
}  # fmt: skip


def renders(ctx) -> dict[str, bytes]:
    return {fmt: module.render(ctx) for fmt, module in FORMATS.items()}


# -- no segments ----------------------------------------------------------------------------------


def test_a_study_with_no_segments(analyzed_store):
    for segment in list(current_state(analyzed_store).report["segments"]):
        delete_segment(analyzed_store, segment["id"])
    ctx = build_context(analyzed_store, pseudonymise=False)
    assert ctx.report["segments"] == []
    out = renders(ctx)
    live = [t for t in ctx.report["themes"] if not t.get("dismissed")]
    for fmt, data in out.items():
        text = flat(text_of(fmt, data))
        assert "No segments yet" in text
        assert not re.search(r"Segment S\d+:", text)
        tail = text.split("Participants in no segment")[1]
        for person in ctx.report["participants"]:
            assert person["id"] in tail and flat(person["name"]) in tail
        for theme in live:
            assert flat(theme["label"]) in text
    assert "<img" not in out["html"].decode()
    assert len(Document(io.BytesIO(out["docx"])).inline_shapes) == 0


# -- a segment with no objections -----------------------------------------------------------------


def test_a_segment_with_no_objections(analyzed_store):
    report = current_state(analyzed_store).report
    objections = [t for t in report["themes"] if t["lens"] == "objection"]
    assert objections
    for theme in objections:
        dismiss_theme(analyzed_store, theme["id"])
    ctx = build_context(analyzed_store, pseudonymise=False)
    for fmt, data in renders(ctx).items():
        pages = segment_sections(fmt, data)
        assert pages
        for page in pages.values():
            text = flat(page)
            assert empty_lens("objection") in text
            assert "Buying triggers" in text  # the other lenses are still there
            for theme in objections:  # no entry either: "email (", not "get an email ("
                entry = re.compile(r"(?<!\w )(?<![\w-])" + re.escape(theme["label"]) + r" \(")
                assert not entry.search(text), theme["label"]


# -- hostile text ---------------------------------------------------------------------------------


def _hostile_context(analyzed_store):
    """The sample study with a hostile and a very long quote on a segment page, a hostile defining
    theme label, participant name and metadata value, and a control character in a quote."""
    ctx = build_context(analyzed_store, pseudonymise=False)
    report = copy.deepcopy(ctx.report)
    segment = report["segments"][0]
    texts = {
        segment["quotes"][0]["excerpt"]: HOSTILE_QUOTE,
        segment["quotes"][1]["excerpt"]: LONG_QUOTE,
        segment["quotes"][2]["excerpt"]: "a vertical\x0btab and a nul\x00 in speech",
    }
    for e in report["excerpts"]:
        e["text"] = texts.get(e["id"], e["text"])
    for holder in report["themes"] + report["segments"]:
        for q in holder["quotes"]:
            q["text"] = texts.get(q["excerpt"], q["text"])
    theme = next(t for t in report["themes"] if t["id"] == segment["themes"][0])
    theme["label"] = HOSTILE_LABEL
    person = next(p for p in report["participants"] if p["id"] == segment["participants"][0])
    person["name"] = HOSTILE_NAME
    person["metadata"] = {**person["metadata"], "region": "EMEA | <u>north</u>"}
    return dataclasses.replace(ctx, report=report, project="<i>proj</i> & co")


def test_hostile_text_is_inert_in_html(analyzed_store):
    ctx = _hostile_context(analyzed_store)
    page = html_format.render(ctx).decode("utf-8")
    parsed = html_parse(page)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    assert "<script" not in page.lower() and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = html_text(page)
    for verbatim in (HOSTILE_QUOTE, LONG_QUOTE, HOSTILE_LABEL, HOSTILE_NAME, "EMEA | <u>north</u>"):
        assert verbatim in text
    assert "<i>proj</i> & co" in text
    assert "a vertical\ufffdtab and a nul\ufffd in speech" in text


def test_hostile_text_is_intact_in_docx(analyzed_store):
    ctx = _hostile_context(analyzed_store)
    text = docx_text(docx_format.render(ctx))
    for verbatim in (HOSTILE_QUOTE, LONG_QUOTE, HOSTILE_LABEL, HOSTILE_NAME, "EMEA | <u>north</u>"):
        assert verbatim in text
    assert f"“{HOSTILE_QUOTE}”" in text
    assert "a vertical\ufffdtab and a nul\ufffd in speech" in text


def test_hostile_text_is_intact_and_inert_in_markdown(analyzed_store):
    ctx = _hostile_context(analyzed_store)
    source = md_format.render(ctx).decode("utf-8")
    plain = md_plain(source.encode())
    for verbatim in (HOSTILE_QUOTE, LONG_QUOTE, HOSTILE_LABEL, HOSTILE_NAME, "EMEA | <u>north</u>"):
        assert verbatim in plain
    rendered = MarkdownIt("commonmark").enable("table").render(source)
    parsed = html_parse(rendered)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "a", "b", "u", "i", "section"}
    shown = html_text(rendered)
    assert HOSTILE_QUOTE in shown and LONG_QUOTE in shown and HOSTILE_NAME in shown
    assert f"{ctx.project}" in shown


# -- messaging starters ---------------------------------------------------------------------------


def _starters_for(report: dict) -> dict[str, MessagingStarters]:
    """Hand-built starters for every segment: filled and blank slots, a message-map entry with
    and one without answering quotes, a hook and headline phrases, all from real excerpts."""
    out = {}
    for segment in report["segments"]:
        members = set(segment["participants"])
        mine = [
            quote_of(e)
            for e in report["excerpts"]
            if e["participant"] in members and not e.get("dismissed") and e["themes"]
        ]
        assert len(mine) >= 8
        positioning = Positioning(
            segment=Slot(f"{segment['label']} teams", (mine[0],), "the segment's label"),
            need=Slot("one place for every approval", (mine[1],), "its top need"),
            product=Slot(None, note="the product's name is the researcher's to give"),
            category=Slot(None, note="not in the interviews"),
            benefit=Slot("closes the books days sooner", (mine[2],), "desired outcome"),
            alternative=Slot(None, note="no alternative named"),
        )
        out[segment["id"]] = MessagingStarters(
            segment=segment["id"],
            label=segment["label"],
            positioning=positioning,
            message_map=(
                MessageMapEntry(
                    "objection-x", "Too pricey per approver", 5, (mine[3],), (mine[4],)
                ),
                MessageMapEntry(
                    "objection-y", "Integration risk <mid-migration>", 2, (mine[5],), ()
                ),
            ),
            hooks=(Hook("trigger-x", "Audit finding", 4, (mine[6],)),),
            headlines=(HeadlinePhrase("approvals in one place", 3, mine[7]),),
        )
    return out


def test_hand_built_messaging_starters_in_every_format(analyzed_store):
    ctx = build_context(
        analyzed_store, pseudonymise=False, options=ExportOptions(product="Ledgerly")
    )
    starters = _starters_for(ctx.report)
    calls = []

    def fake(report, segment_id, *, product=None, category=None):
        calls.append((segment_id, product, category))
        return starters[segment_id]

    doc = build_document(ctx, messaging=fake)
    assert calls == [(s["id"], "Ledgerly", None) for s in ctx.report["segments"]]
    out = {
        "md": md_format.render_document(doc),
        "html": html_format.render_document(doc),
        "docx": docx_format.render_document(doc),
    }
    for fmt, data in out.items():
        pages = segment_sections(fmt, data)
        for segment_id, m in starters.items():
            text = flat(pages[segment_id])
            sentence = m.positioning.sentence()
            assert sentence.count(BLANK) == 3 and flat(sentence) in text, fmt
            for entry in m.message_map:
                assert f"{entry.label} ({entry.participants} participants)" in text
                for q in entry.voicing + entry.answering:
                    assert flat(q["text"]) in text
            assert f"None in the interviews yet: {BLANK}" in text
            hook = m.hooks[0]
            assert f"{hook.label} ({hook.participants} participants)" in text
            assert flat(hook.quotes[0]["text"]) in text
            phrase = m.headlines[0]
            assert re.search(rf"{re.escape(phrase.text)} \|? ?{phrase.participants}\b", text)
            for q in m.positioning.need.evidence + m.positioning.benefit.evidence:
                assert flat(q["text"]) in text
            assert "the product's name is the researcher's to give" in text
    html = out["html"].decode()
    assert f'<span class="blank">{BLANK}</span>' in html
    assert "Integration risk &lt;mid-migration&gt;" in html
    doc_x = Document(io.BytesIO(out["docx"]))
    blanks = [
        run
        for p in doc_x.paragraphs
        for run in p.runs
        if run.text == BLANK and run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert len(blanks) == 3 * len(starters)


def test_messaging_not_built_yet_leaves_a_note(analyzed_store):
    ctx = build_context(analyzed_store, pseudonymise=False)

    def missing(report, segment_id, *, product=None, category=None):
        raise NotImplementedError("messaging starters are being built")

    doc = build_document(ctx, messaging=missing)
    assert all(page.messaging is None for page in doc.segments)
    text = md_plain(md_format.render_document(doc))
    assert text.count("Messaging starters are not available") == len(doc.segments)
