"""The segment profile report as a format-neutral document model.

``build_document`` reads an :class:`ExportContext` and returns a :class:`ReportDocument`: the study
summary, method notes, one page per segment (who they are, defining needs, traits, triggers,
objections with the quotes that voice them, validation figures and checklist, participants and
their metadata mix, messaging starters), the participants in no segment and the study-wide theme
list. The Markdown, HTML and DOCX modules only lay this model out; they decide nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

from qualseg.exports.context import ExportContext
from qualseg.exports.messaging import MessagingStarters, Slot, messaging_starters
from qualseg.exports.report_model import (  # noqa: F401 - the model, re-exported for renderers
    LENS_NAMES,
    LENS_TITLES,
    LENSES,
    MOST_COMMON_SHARE,
    QUOTES_PER_THEME,
    Heatmap,
    MethodNotes,
    MixColumn,
    Person,
    Quote,
    ReportDocument,
    SegmentPage,
    StudyTheme,
    ThemeEntry,
)
from qualseg.report_types import Report, ReportExcerpt, ReportParticipant, ReportTheme
from qualseg.segment_words import NO_CLEAR, alternative_line
from qualseg.validation import SegmentValidation, live_themes, segment_profile, validate

MessagingFn = Callable[..., MessagingStarters]


def build_document(ctx: ExportContext, *, messaging: MessagingFn | None = None) -> ReportDocument:
    """The report document of an export context.

    ``messaging`` builds one segment's starters (``messaging_starters`` unless given); while it is
    not implemented the pages say so instead of failing.
    """
    report = ctx.report
    starters = messaging or messaging_starters
    names = {p["id"]: p.get("name", "") for p in report.get("participants", [])}
    people = {p["id"]: _person(p) for p in report.get("participants", [])}
    pages = tuple(_page(ctx, s["id"], names, people, starters) for s in report.get("segments", []))
    in_segment = {p for s in report.get("segments", []) for p in s.get("participants", [])}
    unsegmented = tuple(p for pid, p in people.items() if pid not in in_segment)
    sizes = tuple((page.label, page.size) for page in pages)
    if unsegmented and pages:
        sizes += (("No segment", len(unsegmented)),)
    title = "Segment profiles: " + ctx.project
    return ReportDocument(
        title=title,
        project=ctx.project,
        summary=_summary(ctx, pages, unsegmented),
        method=_method(ctx),
        segments=pages,
        people=tuple(people.values()),
        unsegmented=unsegmented,
        themes=_study_themes(report),
        sizes=sizes,
        heatmap=_heatmap(report),
    )


# -- pieces ---------------------------------------------------------------------------------------


def _person(p: ReportParticipant) -> Person:
    metadata = tuple((str(k), str(v)) for k, v in (p.get("metadata") or {}).items())
    return Person(p["id"], p.get("name", ""), p.get("source", ""), p.get("segment"), metadata)


def _quote(q: dict, names: dict[str, str]) -> Quote:
    return Quote(
        text=q["text"],
        participant=q["participant"],
        name=names.get(q["participant"], ""),
        source=q["source"],
        start=int(q["start"]),
        end=int(q["end"]),
        excerpt=q.get("excerpt", q.get("id", "")),
    )


def _theme_quotes(
    theme: ReportTheme,
    members: set[str],
    by_key: dict[str, ReportExcerpt],
    names: dict[str, str],
    limit: int,
) -> tuple[Quote, ...]:
    """Up to ``limit`` quotes of the theme said by members: its representative quotes first, one
    per participant before a second from anyone."""
    keys = list(dict.fromkeys([q["excerpt"] for q in theme.get("quotes", [])] + theme["excerpts"]))
    usable = [
        by_key[k]
        for k in keys
        if k in by_key and not by_key[k].get("dismissed") and by_key[k]["participant"] in members
    ]
    first, rest, seen = [], [], set()
    for e in usable:
        (rest if e["participant"] in seen else first).append(e)
        seen.add(e["participant"])
    return tuple(_quote({**e, "excerpt": e["id"]}, names) for e in (first + rest)[:limit])


def _page(
    ctx: ExportContext,
    segment_id: str,
    names: dict[str, str],
    people: dict[str, Person],
    starters: MessagingFn,
) -> SegmentPage:
    report = ctx.report
    profile = segment_profile(report, segment_id)
    check = validate(report, segment_id)
    members = {p["id"] for p in profile.participants}
    live = live_themes(report)
    by_key = {e["id"]: e for e in report.get("excerpts", [])}
    lenses = []
    for lens in LENSES:
        rows = tuple(
            ThemeEntry(
                id=row.id,
                label=row.label,
                lens=lens,
                voicing=row.members_voicing,
                members=len(members),
                lift=row.lift,
                listed=row.listed,
                quotes=_theme_quotes(live[row.id], members, by_key, names, QUOTES_PER_THEME[lens]),
            )
            for row in profile.themes.get(lens, [])
        )
        lenses.append((lens, rows))
    mix = tuple(
        MixColumn(column, tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))))
        for column, counter in profile.metadata_mix.items()
    )
    try:
        found = starters(
            report, segment_id, product=ctx.options.product, category=ctx.options.category
        )
        note = ""
    except NotImplementedError:
        found, note = None, "Messaging starters are not available in this version of qualseg."
    return SegmentPage(
        id=segment_id,
        label=profile.label,
        size=check.size,
        total=check.total_participants,
        who=_who(check, mix),
        participants=tuple(people[p["id"]] for p in profile.participants if p["id"] in people),
        mix=mix,
        lenses=tuple(lenses),
        quotes=tuple(_quote(q, names) for q in profile.quotes),
        validation=check,
        messaging=found,
        messaging_note=note,
    )


def _who(check: SegmentValidation, mix: tuple[MixColumn, ...]) -> str:
    """Size and the metadata values most members share, in one sentence each."""
    text = f"{check.size} of {check.total_participants} participants ({check.share:.0%})."
    if not check.size:
        return text + " No participant is in this segment yet."
    common = [
        f"{column.column} {value} ({count} of {check.size})"
        for column in mix
        if column.column not in check.skipped_columns and column.values
        for value, count in column.values[:1]
        if value and count / check.size > MOST_COMMON_SHARE
    ]
    if common:
        text += " Most members share " + "; ".join(common) + "."
    return text


def _summary(
    ctx: ExportContext, pages: tuple[SegmentPage, ...], unsegmented: tuple[Person, ...]
) -> tuple[str, ...]:
    report = ctx.report
    live = live_themes(report)
    per_lens = Counter(t["lens"] for t in live.values())
    excerpts = [e for e in report.get("excerpts", []) if not e.get("dismissed")]
    themed = sum(1 for e in excerpts if e.get("themes"))
    lines = [
        f"{len(ctx.transcripts)} interviews, {len(report.get('participants', []))} participants, "
        f"{len(excerpts)} excerpts ({themed} in a theme).",
        f"{len(live)} themes: "
        + ", ".join(f"{per_lens.get(lens, 0)} {LENS_NAMES[lens].lower()}" for lens in LENSES)
        + ".",
    ]
    if pages:
        lines.append(
            f"{len(pages)} segments: "
            + "; ".join(f"{p.label} ({p.size} participants)" for p in pages)
            + (f"; {len(unsegmented)} participants in no segment." if unsegmented else ".")
        )
    else:
        lines.append("No segments yet: build or accept segments, then export again.")
    segmentation = report.get("segmentation") or {}
    chosen = segmentation.get("chosen")
    suggested = [a for a in segmentation.get("alternatives", []) if a["k"] == chosen]
    if suggested:
        what = "Chosen" if segmentation.get("adopted") else "Suggested"
        lines.append(f"{what} segmentation: " + alternative_line(suggested[0]))
    elif segmentation.get("alternatives"):
        lines.append(NO_CLEAR)
    if ctx.edits:
        lines.append(f"Researcher edits applied: {ctx.edits}.")
    return tuple(lines)


def _method(ctx: ExportContext) -> MethodNotes:
    run = ctx.run
    try:
        config_json = json.dumps(json.loads(run.config), indent=2, sort_keys=True)
    except (TypeError, ValueError):
        config_json = str(run.config)
    return MethodNotes(
        run_id=run.id,
        date=run.started_at[:10],
        started_at=run.started_at,
        finished_at=run.finished_at or "",
        seed=run.seed,
        model=run.model,
        config_json=config_json,
        versions=tuple(sorted((str(k), str(v)) for k, v in run.versions.items())),
        interviews=len(ctx.transcripts),
        participants=len(ctx.report.get("participants", [])),
        excerpts=len(ctx.report.get("excerpts", [])),
        edits=ctx.edits,
        pseudonymised=ctx.pseudonymised,
        generated_at=ctx.generated_at,
    )


def _study_themes(report: Report) -> tuple[tuple[str, tuple[StudyTheme, ...]], ...]:
    fields = {"need": "themes", "psychographic": "psychographics"}
    fields |= {"trigger": "triggers", "objection": "objections"}
    out = []
    for lens in LENSES:
        rows = []
        for t in live_themes(report).values():
            if t["lens"] != lens:
                continue
            listing = tuple(
                s["label"] for s in report.get("segments", []) if t["id"] in s.get(fields[lens], [])
            )
            rows.append(
                StudyTheme(
                    id=t["id"],
                    lens=lens,
                    label=t["label"],
                    participants=len(t["participants"]),
                    excerpts=len(t["excerpts"]),
                    keyphrases=tuple(t.get("keyphrases", [])[:6]),
                    segments=listing,
                )
            )
        rows.sort(key=lambda r: (-r.participants, -r.excerpts, r.id))
        out.append((lens, tuple(rows)))
    return tuple(out)


def _heatmap(report: Report) -> Heatmap:
    segments = list(report.get("segments", []))
    rows, shares = [], []
    for lens in LENSES:
        for t in live_themes(report).values():
            if t["lens"] != lens:
                continue
            voices = set(t["participants"])
            rows.append((lens, t["label"]))
            shares.append(
                tuple(
                    len(voices & set(s["participants"])) / len(s["participants"])
                    if s.get("participants")
                    else 0.0
                    for s in segments
                )
            )
    return Heatmap(tuple(rows), tuple(s["label"] for s in segments), tuple(shares))


def empty_lens(lens: str) -> str:
    """What a segment page says where no theme of a lens is voiced by its members."""
    return f"No {LENS_TITLES[lens].lower()} voiced by this segment's members."


def positioning_slots(starters: MessagingStarters) -> tuple[tuple[str, Slot], ...]:
    """The positioning statement's slots in reading order, named for a table."""
    p = starters.positioning
    return (
        ("segment", p.segment),
        ("need", p.need),
        ("product", p.product),
        ("category", p.category),
        ("benefit", p.benefit),
        ("alternative", p.alternative),
    )


def quote_from(q: dict, names: dict[str, str]) -> Quote:
    """A messaging quote (a report.json quote dict) as a document quote."""
    return _quote(q, names)


def names_of(doc: ReportDocument) -> dict[str, str]:
    """Participant id -> name (pseudonym when pseudonymised), over the whole study."""
    return {p.id: p.name for p in doc.people}


def validation_lines(page: SegmentPage) -> tuple[str, ...]:
    """The 'is it a real segment?' figures of a page as plain sentences, one a line."""
    v = page.validation
    lines = [f"Size: {v.size} of {v.total_participants} participants ({v.share:.0%})"]
    if v.silhouette is not None:
        lines.append(f"Silhouette: {v.silhouette:+.2f}")
    lines.append(f"Distinctness: {v.distinctness}")
    if v.lifts:
        labels = {row.id: row.label for _, rows in page.lenses for row in rows}
        lines.append(
            "Lift of defining themes: "
            + "; ".join(f"{labels.get(t, t)} {x:.1f}×" for t, x in v.lifts.items())
        )
    shared: dict[tuple[str, ...], list[str]] = {}
    for theme, others in v.shared_themes.items():
        shared.setdefault(tuple(others), []).append(theme)
    lines += [
        f"Also voiced by most members of {', '.join(others)}: {'; '.join(themes)}"
        for others, themes in shared.items()
    ]
    lines += [f"Metadata: {mirror.reading}" for mirror in v.mirrors]
    if v.skipped_columns:
        lines.append("Not judged (a value per participant): " + ", ".join(v.skipped_columns))
    return tuple(lines)
