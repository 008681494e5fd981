"""The segment profile report in Markdown, HTML and DOCX, checked against the project state."""

from __future__ import annotations

import io
import json
import re
import shutil
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from qualseg.editing import rename_theme
from qualseg.exports import docx as docx_format
from qualseg.exports import html as html_format
from qualseg.exports import markdown as md_format
from qualseg.exports.context import build_context
from qualseg.exports.messaging import messaging_starters
from qualseg.exports.report_doc import LENSES, build_document
from qualseg.store import Workspace
from qualseg.validation import defining_themes

FORMATS = {"md": md_format, "html": html_format, "docx": docx_format}


# -- reading the documents back -------------------------------------------------------------------


def md_plain(data: bytes) -> str:
    """Markdown source without bold markers and backslash escapes (what a reader sees)."""
    text = re.sub(r"(?<!\\)\*\*", "", data.decode("utf-8"))
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


BLOCKS = {
    "p", "li", "ul", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "br", "blockquote",
    "footer", "div", "section", "pre", "figure",
}  # fmt: skip


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title"):
            self._skip += 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self._skip -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_parse(data: bytes | str) -> _Text:
    parser = _Text()
    parser.feed(data.decode("utf-8") if isinstance(data, bytes) else data)
    return parser


def html_text(data: bytes | str) -> str:
    """The visible text, with a line break around every block element."""
    return "".join(html_parse(data).parts)


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of the body in document order, one a line."""
    doc = Document(io.BytesIO(data))
    lines = []
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, doc).text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, doc).rows:
                lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def text_of(fmt: str, data: bytes) -> str:
    return {"md": md_plain, "html": html_text, "docx": docx_text}[fmt](data)


def segment_sections(fmt: str, data: bytes) -> dict[str, str]:
    """Segment id -> the text of its page."""
    if fmt == "html":
        chunks = data.decode("utf-8").split('<section class="segment"')[1:]
        texts = [html_text('<section class="segment"' + c) for c in chunks]
    else:
        text = text_of(fmt, data)
        texts = re.split(r"^(?:## )?(?=Segment S\d+: )", text, flags=re.M)[1:]
    out = {}
    for t in texts:
        found = re.search(r"Segment (S\d+): ", t)
        assert found, t[:200]
        out[found.group(1)] = t.split("Participants in no segment")[0]
    return out


def flat(text: str) -> str:
    return " ".join(text.split())


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ctx(analyzed_root, tmp_path_factory):
    """The analyzed sample study's export context (a private copy, like ``analyzed_store``, but
    built once for this module's read-only checks)."""
    root = tmp_path_factory.mktemp("report") / "analyzed"
    shutil.copytree(analyzed_root, root)
    store = Workspace(root).open("sample")
    yield build_context(store, pseudonymise=False)
    store.close()


@pytest.fixture(scope="module")
def rendered(ctx):
    return {fmt: module.render(ctx) for fmt, module in FORMATS.items()}


# -- content against the project state ------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_segment_pages_match_the_project_state(ctx, rendered, fmt):
    report = ctx.report
    doc = build_document(ctx)
    assert report["segments"], "the sample study has suggested segments"
    pages = segment_sections(fmt, rendered[fmt])
    assert sorted(pages) == sorted(s["id"] for s in report["segments"])
    live = {t["id"]: t for t in report["themes"] if not t.get("dismissed")}
    total = len(report["participants"])
    names = {p["id"]: p["name"] for p in report["participants"]}
    for segment in report["segments"]:
        page = flat(pages[segment["id"]])
        assert flat(segment["label"]) in page
        assert flat(next(p.who for p in doc.segments if p.id == segment["id"])) in page
        size = len(segment["participants"])
        assert f"{size} of {total} participants" in page
        for theme_id in defining_themes(report, segment["id"]):
            assert flat(live[theme_id]["label"]) in page, (fmt, theme_id)
        for person in segment["participants"]:
            assert person in page and flat(names[person]) in page
        for quote in segment["quotes"]:
            assert flat(quote["text"]) in page, (fmt, quote["excerpt"])
        for criterion in ("measurable", "accessible", "substantial", "differentiable"):
            assert criterion in page


@pytest.mark.parametrize("fmt", FORMATS)
def test_theme_quotes_are_verbatim_and_voiced_by_members(ctx, rendered, fmt):
    doc = build_document(ctx)
    excerpts = {e["id"]: e for e in ctx.report["excerpts"]}
    pages = segment_sections(fmt, rendered[fmt])
    shown = 0
    for page in doc.segments:
        members = {p.id for p in page.participants}
        text = flat(pages[page.id])
        for lens in LENSES:
            for row in page.themes(lens):
                for q in row.quotes:
                    source = excerpts[q.excerpt]
                    assert q.text == source["text"] and q.participant in members
                    assert (q.source, q.start, q.end) == (
                        source["source"],
                        source["start"],
                        source["end"],
                    )
                    assert flat(q.text) in text and f"@{q.start}" in text
                    shown += 1
    assert shown >= 20


@pytest.mark.parametrize("fmt", FORMATS)
def test_method_notes_and_study_figures(ctx, rendered, fmt):
    text = flat(text_of(fmt, rendered[fmt]))
    run = ctx.run
    assert re.search(rf"Seed:? {run.seed}\b", text)
    assert run.model in text and run.started_at[:10] in text
    assert re.search(rf"Interviews:? {len(ctx.transcripts)}\b", text)
    for name, version in run.versions.items():
        assert f"{name} {version}" in text
    config = json.loads(run.config)
    for key, value in config.items():
        assert f'"{key}": {json.dumps(value)}' in text
    n_segments = len(ctx.report["segments"])
    assert f"{n_segments} segments" in text
    in_segment = {p for s in ctx.report["segments"] for p in s["participants"]}
    outside = [p for p in ctx.report["participants"] if p["id"] not in in_segment]
    tail = text.split("Participants in no segment")[-1]
    for person in outside:
        assert person["id"] in tail
    if not outside:
        assert "Every participant is in a segment." in tail


def test_markdown_config_block_is_the_run_config(ctx, rendered):
    md = rendered["md"].decode("utf-8")
    block = re.search(r"```json\n(.*?)\n```", md, flags=re.S)
    assert block and json.loads(block.group(1)) == json.loads(ctx.run.config)


def test_html_is_self_contained_and_prints_a_page_per_segment(ctx, rendered):
    page = rendered["html"].decode("utf-8")
    parsed = html_parse(page)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "iframe" not in tags and "link" not in tags
    assert page.count('<section class="segment"') == len(ctx.report["segments"])
    assert "@media print" in page and "break-before: page" in page
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(images) == 2
    assert all(a["src"].startswith("data:image/svg+xml;base64,") for a in images)
    sizes, heat = images[0]["alt"], images[1]["alt"]
    for segment in ctx.report["segments"]:
        assert f"{segment['label']}: {len(segment['participants'])} participants" in sizes
        assert segment["label"] in heat
    for _, attrs in parsed.tags:
        for name in ("src", "href"):
            assert not attrs.get(name, "data:").startswith(("http", "//", "file:"))
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_docx_structure(ctx, rendered):
    doc = Document(io.BytesIO(rendered["docx"]))
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    segment_heads = [p for p in headings if p.text.startswith("Segment S")]
    assert [p.text.split(":")[0] for p in segment_heads] == [
        f"Segment {s['id']}" for s in ctx.report["segments"]
    ]
    assert all(p.paragraph_format.page_break_before for p in segment_heads)
    assert len(doc.inline_shapes) == 2
    quotes = [p for p in doc.paragraphs if p.style.name == "Quote"]
    first = ctx.report["segments"][0]["quotes"][0]
    assert any(p.text.startswith(f"“{first['text']}”") for p in quotes)
    checklist = [t for t in doc.tables if t.rows[0].cells[0].text == "Criterion"]
    assert len(checklist) == len(ctx.report["segments"])
    assert doc.core_properties.title.startswith("Segment profiles")


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_context_gives_same_bytes(ctx, rendered, fmt):
    assert FORMATS[fmt].render(ctx) == rendered[fmt]


def test_rename_shows_in_every_format(analyzed_store):
    before = build_context(analyzed_store, pseudonymise=False).report
    labels = [t["label"] for t in before["themes"]] + [s["label"] for s in before["segments"]]
    texts = [e["text"] for e in before["excerpts"]]
    in_segments = {t for s in before["segments"] for t in defining_themes(before, s["id"])}

    def said_elsewhere(theme: dict) -> bool:
        """The label inside another label, a quote or another theme's keyphrases."""
        keyphrases = [
            k for t in before["themes"] if t["id"] != theme["id"] for k in t["keyphrases"]
        ]
        return (
            sum(theme["label"] in other for other in labels) != 1
            or any(theme["label"] in text for text in texts)
            or any(theme["label"] in k for k in keyphrases)
        )

    theme = next(t for t in before["themes"] if t["id"] in in_segments and not said_elsewhere(t))
    rename_theme(analyzed_store, theme["id"], "Audit-proof approvals ✓")
    ctx = build_context(analyzed_store, pseudonymise=False)
    for fmt, module in FORMATS.items():
        text = text_of(fmt, module.render(ctx))
        assert "Audit-proof approvals ✓" in text, fmt
        assert theme["label"] not in text, fmt
        assert "Researcher edits applied: 1." in flat(text), fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_messaging_starters_from_the_real_function(ctx, rendered, fmt):
    text = flat(text_of(fmt, rendered[fmt]))
    for segment in ctx.report["segments"]:
        try:
            starters = messaging_starters(ctx.report, segment["id"])
        except NotImplementedError:
            assert "Messaging starters are not available" in text
            continue
        assert flat(starters.positioning.sentence()) in text
        for entry in starters.message_map:
            assert flat(entry.label) in text
        for headline in starters.headlines:
            assert flat(headline.text) in text
