"""The segment profile report as Markdown.

Every piece of study text (labels, quotes, metadata) goes through :func:`md_text`, which keeps the
words and neutralises Markdown and HTML syntax with backslash escapes, so a rendered quote reads
exactly as said and a transcript cannot inject markup. Markdown cannot carry pictures without
side files, so the heat map is given as a table.
"""

from __future__ import annotations

import re

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

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&])")


def render(ctx: ExportContext) -> bytes:
    return render_document(build_document(ctx))


def render_document(doc: ReportDocument) -> bytes:
    lines = [f"# {md_text(doc.title)}", ""]
    lines += _summary(doc) + _method(doc)
    for page in doc.segments:
        lines += _page(page, names_of(doc))
    lines += _unsegmented(doc) + _themes(doc)
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def md_text(text: str) -> str:
    """Text on one line, Markdown and HTML syntax escaped, words unchanged."""
    flat = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    if flat[:1] in ("-", "+", "="):
        flat = "\\" + flat
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", flat)


def _cell(text: object) -> str:
    return md_text(str(text)) or " "


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def _quote(q: Quote) -> list[str]:
    return [f"> “{md_text(q.text)}”", ">", f"> — {md_text(q.cite())}", ""]


def _fence(text: str, info: str = "") -> list[str]:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, text, fence, ""]


def _summary(doc: ReportDocument) -> list[str]:
    lines = ["## Study summary", ""] + [f"- {md_text(s)}" for s in doc.summary] + [""]
    if doc.segments:
        lines += _table(
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
        )
        lines += ["### Themes by segment: share of members voicing each theme", ""]
        heat = doc.heatmap
        lines += _table(
            ["Lens", "Theme", *heat.columns],
            [
                [LENS_NAMES[lens], label, *(f"{s:.0%}" for s in shares)]
                for (lens, label), shares in zip(heat.rows, heat.shares, strict=True)
            ],
        )
    return lines


def _method(doc: ReportDocument) -> list[str]:
    m = doc.method
    lines = [
        "## Method notes",
        "",
        f"- Analysis run: {m.run_id}, {md_text(m.date)} "
        f"(started {md_text(m.started_at)}, finished {md_text(m.finished_at or 'n/a')})",
        f"- Interviews: {m.interviews}; participants: {m.participants}; excerpts: {m.excerpts}",
        f"- Seed: {m.seed}",
        f"- Embedding model: {md_text(m.model)}",
        f"- Researcher edits applied: {m.edits}",
        f"- Pseudonymised: {'yes' if m.pseudonymised else 'no'}",
        f"- Report generated: {md_text(m.generated_at)}",
        "- Versions: " + md_text(", ".join(f"{k} {v}" for k, v in m.versions)),
        "",
        "Configuration:",
        "",
    ]
    return lines + _fence(m.config_json, "json")


def _page(page: SegmentPage, names: dict[str, str]) -> list[str]:
    lines = [f"## Segment {md_text(page.id)}: {md_text(page.label)}", ""]
    lines += ["### Who they are", "", md_text(page.who), ""]
    for lens in LENSES:
        lines += [f"### {LENS_TITLES[lens]}", ""]
        rows = page.themes(lens)
        if not rows:
            lines += [empty_lens(lens), ""]
        for row in rows:
            lines += [f"#### {md_text(row.label)}", "", md_text(row.figures()), ""]
            for q in row.quotes:
                lines += _quote(q)
    if page.quotes:
        lines += ["### Key quotes", ""]
        for q in page.quotes:
            lines += _quote(q)
    lines += _validation(page) + _messaging(page, names) + _people(page)
    return lines


def _validation(page: SegmentPage) -> list[str]:
    v = page.validation
    lines = ["### Is it a real segment?", ""]
    lines += [f"- {md_text(line)}" for line in validation_lines(page)]
    lines += ["", "#### Checklist", ""]
    lines += _table(
        ["Criterion", "Status", "Evidence", "Researcher's note"],
        [[c.criterion, c.status, c.evidence, c.note or "—"] for c in v.checklist],
    )
    return lines


def _messaging(page: SegmentPage, names: dict[str, str]) -> list[str]:
    lines = ["### Messaging starters", ""]
    m: MessagingStarters | None = page.messaging
    if m is None:
        return lines + [md_text(page.messaging_note), ""]
    lines += [f"**Positioning:** {md_text(m.positioning.sentence())}", ""]
    lines += _table(
        ["Slot", "Filled with", "From"],
        [[name, slot.shown(), slot.note or "—"] for name, slot in positioning_slots(m)],
    )
    for name, slot in positioning_slots(m):
        for q in slot.evidence:
            lines += [f"Evidence for *{name}*:", ""] + _quote(quote_from(q, names))
    lines += ["#### Message map", ""]
    if not m.message_map:
        lines += ["No objection to answer in this segment.", ""]
    for entry in m.message_map:
        lines += [f"**{md_text(entry.label)}** ({entry.participants} participants)", ""]
        lines += ["Voiced by:", ""]
        for q in entry.voicing:
            lines += _quote(quote_from(q, names))
        lines += ["Answered by:", ""]
        if not entry.answering:
            lines += [f"None in the interviews yet: {BLANK}", ""]
        for q in entry.answering:
            lines += _quote(quote_from(q, names))
    lines += ["#### Hooks", ""]
    if not m.hooks:
        lines += ["No trigger moment found for a hook.", ""]
    for hook in m.hooks:
        lines += [f"**{md_text(hook.label)}** ({hook.participants} participants)", ""]
        for q in hook.quotes:
            lines += _quote(quote_from(q, names))
    lines += ["#### Headline phrases", ""]
    if not m.headlines:
        return lines + ["No short phrase found.", ""]
    return lines + _table(
        ["Phrase", "Participants", "Said by"],
        [[h.text, h.participants, quote_from(h.quote, names).cite()] for h in m.headlines],
    )


def _person_table(people: tuple[Person, ...]) -> list[str]:
    return _table(
        ["ID", "Name", "Transcript", "Metadata"],
        [[p.id, p.name, p.source, "; ".join(p.metadata_lines().splitlines())] for p in people],
    )


def _people(page: SegmentPage) -> list[str]:
    lines = ["### Participants", ""]
    if not page.participants:
        return lines + ["No participant is in this segment yet.", ""]
    lines += _person_table(page.participants)
    if page.mix:
        lines += ["Metadata mix:", ""]
        lines += [f"- {md_text(c.column)}: {md_text(c.shown())}" for c in page.mix] + [""]
    return lines


def _unsegmented(doc: ReportDocument) -> list[str]:
    lines = ["## Participants in no segment", ""]
    if not doc.unsegmented:
        return lines + ["Every participant is in a segment.", ""]
    return lines + _person_table(doc.unsegmented)


def _themes(doc: ReportDocument) -> list[str]:
    lines = ["## Themes across the study", ""]
    for lens, rows in doc.themes:
        lines += [f"### {LENS_NAMES[lens]}", ""]
        if not rows:
            lines += ["No themes found.", ""]
            continue
        lines += _table(
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
        )
    return lines
