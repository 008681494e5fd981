"""The segment profile report as one self-contained HTML page that prints well.

No scripts and no external resources: the CSS is inline, the charts are SVG data URIs, and a
Content-Security-Policy forbids anything else. Every piece of study text goes through
:func:`esc` (``html.escape`` with quotes), so transcript words cannot become markup. Printed, each
segment starts on a new page.
"""

from __future__ import annotations

import base64

from qualseg.escaping import html_text
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

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; font-size: 10.5pt;
  line-height: 1.45; color: #1a1a1a; max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.9em; margin: 0 0 .2em; }
h2 { font-size: 1.45em; border-bottom: 2px solid #2f4b7c; padding-bottom: .15em; margin-top: 1.6em; }
h3 { font-size: 1.15em; margin: 1.3em 0 .4em; color: #2f4b7c; }
h4 { font-size: 1em; margin: 1em 0 .2em; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p, li, blockquote, pre { overflow-wrap: anywhere; }
td, th { overflow-wrap: break-word; }
.subtitle { color: #555; margin: 0 0 1em; }
.figures { color: #555; font-size: .92em; margin: 0 0 .4em; }
blockquote { margin: .45em 0 .7em; padding: .35em .8em; border-left: 4px solid #2f4b7c;
  background: #f3f5f9; break-inside: avoid; page-break-inside: avoid; }
blockquote p { margin: 0; font-style: italic; white-space: pre-wrap; }
blockquote footer { margin-top: .2em; color: #555; font-size: .88em; font-style: normal; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: .92em; }
th, td { border: 1px solid #bbb; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #e8ebf1; }
table.facts { break-inside: avoid; page-break-inside: avoid; }
table.facts th { width: 13em; }
table.checklist td:nth-child(1) { width: 11em; }
table.checklist td:nth-child(2) { width: 6.5em; }
table.checklist td:nth-child(4) { width: 10em; }
table.people { font-size: .82em; }
.theme-head { break-inside: avoid; break-after: avoid; page-break-after: avoid; }
small { color: #555; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; max-width: 46rem; height: auto; display: block; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .5em; font-size: .85em;
  white-space: pre-wrap; }
.status { font-weight: bold; white-space: nowrap; }
.status-supported { color: #1d5e2e; }
.status-weak { color: #8a2b12; }
.status-your-call { color: #555; }
.positioning { font-size: 1.08em; border: 2px solid #2f4b7c; padding: .6em .8em; margin: .6em 0; }
.blank { font-family: monospace; background: #fff3bf; border: 1px dashed #8a6d00; padding: 0 .2em; }
.empty { color: #555; font-style: italic; }
.entry { margin: 1em 0 .2em; break-after: avoid; page-break-after: avoid; }
section.segment { break-before: page; page-break-before: always; }
section.appendix { break-before: page; page-break-before: always; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  blockquote { background: none; }
  th { background: none; }
  a { color: inherit; text-decoration: none; }
}
"""


def render(ctx: ExportContext) -> bytes:
    doc = build_document(ctx)
    return render_document(doc, report_charts(doc))


def render_document(doc: ReportDocument, charts: tuple[Chart, ...] = ()) -> bytes:
    names = names_of(doc)
    body = [f"<h1>{esc(doc.title)}</h1>"]
    m = doc.method
    body.append(
        f'<p class="subtitle">Analysis run {m.run_id} of {esc(m.date)}, seed {m.seed}; '
        f"report generated {esc(m.generated_at)}.</p>"
    )
    body += _summary(doc, charts) + _method(doc)
    for page in doc.segments:
        body += _page(page, names)
    body += _unsegmented(doc) + _themes(doc)
    page_html = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(doc.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return page_html.encode("utf-8")


esc = html_text


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{esc(text)}</p>"


def _table(
    header: list[str],
    rows: list[list[object]],
    numeric: frozenset[int] = frozenset(),
    cls: str = "",
) -> str:
    def cell(tag: str, i: int, value: object) -> str:
        cls = ' class="num"' if i in numeric else ""
        return f"<{tag}{cls}>{esc(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(rows: list[list[object]]) -> str:
    """A two-column table of names and values (no header row)."""
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<table class="facts"><tbody>{body}</tbody></table>'


def _quote(q: Quote) -> str:
    return f"<blockquote><p>“{esc(q.text)}”</p><footer>— {esc(q.cite())}</footer></blockquote>"


def _figure(chart: Chart) -> str:
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return (
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{esc(chart.title)}: '
        f'{esc(chart.alt)}"></figure>'
    )


def _summary(doc: ReportDocument, charts: tuple[Chart, ...]) -> list[str]:
    out = ["<section>", "<h2>Study summary</h2>", "<ul>"]
    out += [f"<li>{esc(s)}</li>" for s in doc.summary] + ["</ul>"]
    if doc.segments:
        out.append(
            _table(
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
                numeric=frozenset({1, 2}),
            )
        )
    out += [_figure(c) for c in charts]
    return out + ["</section>"]


def _method(doc: ReportDocument) -> list[str]:
    m = doc.method
    rows = [
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
    return [
        "<section>",
        "<h2>Method notes</h2>",
        _facts(rows),
        "<h4>Configuration</h4>",
        f"<pre>{esc(m.config_json)}</pre>",
        "</section>",
    ]


def _page(page: SegmentPage, names: dict[str, str]) -> list[str]:
    out = [
        f'<section class="segment" id="segment-{esc(page.id)}">',
        f"<h2>Segment {esc(page.id)}: {esc(page.label)}</h2>",
        "<h3>Who they are</h3>",
        _p(page.who),
    ]
    for lens in LENSES:
        out.append(f"<h3>{esc(LENS_TITLES[lens])}</h3>")
        rows = page.themes(lens)
        if not rows:
            out.append(_p(empty_lens(lens), "empty"))
        for row in rows:
            out += [
                '<div class="theme-head">',
                f"<h4>{esc(row.label)}</h4>",
                _p(row.figures(), "figures"),
                "</div>",
            ]
            out += [_quote(q) for q in row.quotes]
    if page.quotes:
        out += ["<h3>Key quotes</h3>"] + [_quote(q) for q in page.quotes]
    out += _validation(page) + _messaging(page, names) + _people(page)
    return out + ["</section>"]


def _validation(page: SegmentPage) -> list[str]:
    v = page.validation
    rows = "".join(
        f"<tr><td>{esc(c.criterion)}<br><small>{esc(c.question)}</small></td>"
        f'<td class="status status-{esc(c.status.replace(" ", "-"))}">{esc(c.status)}</td>'
        f"<td>{esc(c.evidence)}</td><td>{esc(c.note or '—')}</td></tr>"
        for c in v.checklist
    )
    return [
        "<h3>Is it a real segment?</h3>",
        "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in validation_lines(page)) + "</ul>",
        "<h4>Checklist</h4>",
        '<table class="checklist"><thead><tr><th>Criterion</th><th>Status</th><th>Evidence</th>'
        f"<th>Researcher's note</th></tr></thead><tbody>{rows}</tbody></table>",
    ]


def _sentence(m: MessagingStarters) -> str:
    """The positioning sentence with its blanks marked (escaped first, then the mark added)."""
    blank = f'<span class="blank">{esc(BLANK)}</span>'
    return esc(m.positioning.sentence()).replace(esc(BLANK), blank)


def _entry(label: str, participants: int) -> str:
    """The heading line of a message-map entry or hook."""
    return f'<p class="entry"><strong>{esc(label)}</strong> ({participants} participants)</p>'


def _messaging(page: SegmentPage, names: dict[str, str]) -> list[str]:
    out = ["<h3>Messaging starters</h3>"]
    m = page.messaging
    if m is None:
        return out + [_p(page.messaging_note, "empty")]
    out.append(f'<p class="positioning">{_sentence(m)}</p>')
    out.append(
        _table(
            ["Slot", "Filled with", "From"],
            [[name, slot.shown(), slot.note or "—"] for name, slot in positioning_slots(m)],
        )
    )
    for name, slot in positioning_slots(m):
        if slot.evidence:
            out.append(_p(f"Evidence for {name}:", "figures"))
            out += [_quote(quote_from(q, names)) for q in slot.evidence]
    out.append("<h4>Message map</h4>")
    if not m.message_map:
        out.append(_p("No objection to answer in this segment.", "empty"))
    for entry in m.message_map:
        out.append(_entry(entry.label, entry.participants))
        out.append(_p("Voiced by", "figures"))
        out += [_quote(quote_from(q, names)) for q in entry.voicing]
        out.append(_p("Answered by", "figures"))
        if not entry.answering:
            out.append(
                f'<p class="empty">None in the interviews yet: <span class="blank">'
                f"{esc(BLANK)}</span></p>"
            )
        out += [_quote(quote_from(q, names)) for q in entry.answering]
    out.append("<h4>Hooks</h4>")
    if not m.hooks:
        out.append(_p("No trigger moment found for a hook.", "empty"))
    for hook in m.hooks:
        out.append(_entry(hook.label, hook.participants))
        out += [_quote(quote_from(q, names)) for q in hook.quotes]
    out.append("<h4>Headline phrases</h4>")
    if not m.headlines:
        return out + [_p("No short phrase found.", "empty")]
    return out + [
        _table(
            ["Phrase", "Participants", "Said by"],
            [[h.text, h.participants, quote_from(h.quote, names).cite()] for h in m.headlines],
            numeric=frozenset({1}),
        )
    ]


def _person_table(people: tuple[Person, ...]) -> str:
    rows = "".join(
        f"<tr><td>{esc(p.id)}</td><td>{esc(p.name)}</td><td>{esc(p.source)}</td><td>"
        + "<br>".join(f"{esc(k)}: {esc(v)}" for k, v in p.metadata)
        + "</td></tr>"
        for p in people
    )
    return (
        '<table class="people"><thead><tr><th>ID</th><th>Name</th><th>Transcript</th>'
        f"<th>Metadata</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _people(page: SegmentPage) -> list[str]:
    out = ["<h3>Participants</h3>"]
    if not page.participants:
        return out + [_p("No participant is in this segment yet.", "empty")]
    out.append(_person_table(page.participants))
    if page.mix:
        out.append("<h4>Metadata mix</h4>")
        out.append(
            "<ul>"
            + "".join(
                f"<li><strong>{esc(c.column)}</strong>: {esc(c.shown())}</li>" for c in page.mix
            )
            + "</ul>"
        )
    return out


def _unsegmented(doc: ReportDocument) -> list[str]:
    out = ['<section class="appendix">', "<h2>Participants in no segment</h2>"]
    if not doc.unsegmented:
        out.append(_p("Every participant is in a segment.", "empty"))
    else:
        out.append(_person_table(doc.unsegmented))
    return out


def _themes(doc: ReportDocument) -> list[str]:
    out = ["<h2>Themes across the study</h2>"]
    for lens, rows in doc.themes:
        out.append(f"<h3>{esc(LENS_NAMES[lens])}</h3>")
        if not rows:
            out.append(_p("No themes found.", "empty"))
            continue
        out.append(
            _table(
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
                numeric=frozenset({1, 2}),
            )
        )
    return out + ["</section>"]
