"""Turn an analysis result into report.json (typed: qualseg.report_types) and report.md
(quotes.csv: qualseg.tables)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from qualseg.analysis import AnalysisResult
from qualseg.errors import ProjectError
from qualseg.escaping import md_escape
from qualseg.report_types import (
    SCHEMA_VERSION,
    Report,
    ReportExcerpt,
    ReportQuote,
    ReportRun,
    Segmentation,
    SegmentList,
    SegmentMeasures,
)
from qualseg.segment_discovery import Discovery
from qualseg.segment_words import segmentation_markdown
from qualseg.tables import run_quotes_csv as quotes_csv  # noqa: F401 - quotes.csv, re-exported

TIME_FIELDS = ("started_at", "finished_at", "stage_seconds")


def participant_ref(participant_id: int) -> str:
    return f"P{participant_id}"


def build_report(result: AnalysisResult, *, run: dict[str, Any]) -> Report:
    """The report.json document (its shape: qualseg/report_types.py, docs/report.schema.json)."""
    by_key = {e.key: e for e in result.excerpts}
    themes_of: dict[str, list[str]] = defaultdict(list)
    for theme in result.themes:
        for key in theme.excerpts:
            themes_of[key].append(theme.id)

    def quote(key: str) -> ReportQuote:
        e = by_key[key]
        return {
            "excerpt": e.key,
            "participant": participant_ref(e.participant_id),
            "source": e.source,
            "start": e.start,
            "end": e.end,
            "text": e.text,
        }

    return {
        "schema_version": SCHEMA_VERSION,
        "run": cast(ReportRun, {**run, "stage_seconds": result.stage_seconds}),
        "participants": [
            {
                "id": participant_ref(p.id),
                "name": p.name,
                "source": p.source,
                "segment": result.segment_of.get(p.id),
                "segment_strength": _strength(result, p.id),
                "metadata": p.metadata,
            }
            for p in result.participants
        ],
        "excerpts": [
            {
                "id": e.key,
                "participant": participant_ref(e.participant_id),
                "source": e.source,
                "start": e.start,
                "end": e.end,
                "timestamp": e.timestamp,
                "text": e.text,
                "kinds": result.kinds[e.key],
                "kind_scores": result.kind_scores[e.key],
                "themes": themes_of.get(e.key, []),
            }
            for e in result.excerpts
        ],
        "themes": [
            {
                "id": t.id,
                "lens": t.lens,
                "label": t.label,
                "keyphrases": t.keyphrases,
                "participants": [participant_ref(p) for p in t.participants],
                "excerpts": t.excerpts,
                "quotes": [quote(k) for k in t.quotes],
            }
            for t in result.themes
        ],
        "segments": [
            {
                "id": s.id,
                "label": s.label,
                "participants": [participant_ref(p) for p in s.participants],
                "themes": s.themes,
                "psychographics": s.psychographics,
                "triggers": s.triggers,
                "objections": s.objections,
                "quotes": [quote(k) for k in s.quotes],
                "measures": cast(SegmentMeasures, s.measures),
                "auto_label": True,
            }
            for s in result.segments
        ],
        "segmentation": segmentation_summary(result.segmentations),
        "measures": result.measures,
    }


def _strength(result: AnalysisResult, participant_id: int) -> float | None:
    chosen = result.segmentations.suggested
    return chosen.strength.get(participant_id) if chosen else None


def segmentation_summary(discovery: Discovery) -> Segmentation:
    """Every consensus segmentation tried (k = 2..5) with its stability, ambiguity and
    distinctness, its groups and who sits between segments; ``chosen`` is null when no
    segmentation is clear enough to suggest."""
    return {
        "chosen": discovery.chosen,
        "alternatives": [
            {
                "k": s.k,
                "clear": s.clear,
                "stability": s.stability,
                "ambiguity": s.ambiguity,
                "distinctness": s.distinctness,
                "separation": s.separation,
                "groups": [
                    [participant_ref(p) for p, g in sorted(s.labels.items()) if g == group]
                    for group in range(s.k)
                ],
                "between": [participant_ref(p) for p in s.between()],
            }
            for s in discovery.alternatives.values()
        ],
    }


def quote_of(excerpt: ReportExcerpt) -> ReportQuote:
    """A quote (as in report.json's theme and segment quotes) from a report.json excerpt."""
    return ReportQuote(
        participant=excerpt["participant"],
        source=excerpt["source"],
        start=excerpt["start"],
        end=excerpt["end"],
        text=excerpt["text"],
        excerpt=excerpt["id"],
    )


def load_report(document: dict[str, Any]) -> Report:
    """A stored report.json document as a Report: one written before ``schema_version`` existed
    has the version-1 shape and is read as version 1; a newer version is refused."""
    version = document.get("schema_version", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ProjectError(
            f"this result has report schema version {version!r}; this qualseg reads up to "
            f"{SCHEMA_VERSION}: update qualseg to open it"
        )
    return cast(Report, {"schema_version": version, **document})


SEGMENT_SECTIONS: tuple[tuple[str, SegmentList], ...] = (
    ("Defining needs", "themes"),
    ("Psychographics", "psychographics"),
    ("Triggers", "triggers"),
    ("Objections", "objections"),
)


def report_markdown(report: Report) -> str:
    """A readable study summary: segments, themes per lens, quotes with their sources."""
    names = {p["id"]: p["name"] for p in report["participants"]}
    themes = {t["id"]: t for t in report["themes"]}
    run = report["run"]
    lines = [
        "# Study report",
        "",
        f"{len(report['participants'])} participants, {len(report['excerpts'])} excerpts, "
        f"{len(report['themes'])} themes, {len(report['segments'])} suggested segments. "
        f"Model `{run.get('model')}`, seed {run.get('seed')}.",
        "",
        "## Suggested segments",
        "",
    ]
    lines += segmentation_markdown(
        report.get("segmentation"), {p: md_escape(n) for p, n in names.items()}
    )
    if not report["segments"] and not report.get("segmentation", {}).get("alternatives"):
        lines += ["No segments could be suggested (too few needs excerpts or participants).", ""]
    for s in report["segments"]:
        people = ", ".join(md_escape(names[p]) for p in s["participants"])
        lines += [
            f"### {s['id']}: {md_escape(s['label'])}",
            "",
            f"**Participants ({len(s['participants'])}):** {people}",
            "",
        ]
        for title, key in SEGMENT_SECTIONS:
            items = [md_escape(themes[t]["label"]) for t in s[key][:4]]
            lines.append(f"- **{title}:** " + ("; ".join(items) if items else "none found"))
        lines.append("")
        lines += [_md_quote(q, names) for q in s["quotes"][:4]] + [""]
    for lens, title in (
        ("need", "Needs and desired outcomes"),
        ("psychographic", "Psychographics"),
        ("trigger", "Buying triggers"),
        ("objection", "Objections"),
    ):
        lens_themes = [t for t in report["themes"] if t["lens"] == lens]
        lines += [f"## {title}", ""]
        if not lens_themes:
            lines += ["No themes found.", ""]
        for t in lens_themes:
            lines += [
                f"### {md_escape(t['label'])} ({len(t['participants'])} participants, "
                f"{len(t['excerpts'])} excerpts)",
                "",
                "Keyphrases: " + ", ".join(md_escape(k) for k in t["keyphrases"][:6]),
                "",
                *[_md_quote(q, names) for q in t["quotes"]],
                "",
            ]
    m = report["measures"]
    lines += ["## Measures", "", "```", *[f"{k}: {v}" for k, v in sorted(m.items())], "```", ""]
    return "\n".join(lines)


def _md_quote(q: ReportQuote, names: dict[str, str]) -> str:
    who = md_escape(names.get(q["participant"], q["participant"]))
    return f'> "{md_escape(q["text"])}" — {who}, {md_escape(q["source"])} @{q["start"]}\n'
