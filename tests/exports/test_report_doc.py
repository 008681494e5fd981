"""The format-neutral report model, checked against the project state it is built from."""

from __future__ import annotations

import json
from collections import Counter

from qualseg.editing import dismiss_theme
from qualseg.exports.context import build_context
from qualseg.exports.report_doc import LENSES, QUOTES_PER_THEME, build_document
from qualseg.validation import segment_profile


def test_model_of_the_sample_study(analyzed_store):
    ctx = build_context(analyzed_store, pseudonymise=False)
    report = ctx.report
    doc = build_document(ctx)
    assert [p.id for p in doc.segments] == [s["id"] for s in report["segments"]]
    assert [p.id for p in doc.people] == [p["id"] for p in report["participants"]]
    in_segment = {p for s in report["segments"] for p in s["participants"]}
    assert {p.id for p in doc.unsegmented} == {
        p["id"] for p in report["participants"] if p["id"] not in in_segment
    }
    expected_sizes = [(s["label"], len(s["participants"])) for s in report["segments"]]
    if doc.unsegmented:
        expected_sizes.append(("No segment", len(doc.unsegmented)))
    assert list(doc.sizes) == expected_sizes
    excerpts = {e["id"]: e for e in report["excerpts"]}
    for page in doc.segments:
        profile = segment_profile(report, page.id)
        members = {p["id"] for p in profile.participants}
        assert page.size == len(members) and {p.id for p in page.participants} == members
        mix = {c.column: dict(c.values) for c in page.mix}
        assert mix == {column: dict(counter) for column, counter in profile.metadata_mix.items()}
        for lens in LENSES:
            assert [r.id for r in page.themes(lens)] == [r.id for r in profile.themes[lens]]
            for row in page.themes(lens):
                assert len(row.quotes) <= QUOTES_PER_THEME[lens]
                speakers = [q.participant for q in row.quotes]
                assert set(speakers) <= members
                # one quote per participant before a second from anyone
                voices = {
                    excerpts[k]["participant"]
                    for k in next(t for t in report["themes"] if t["id"] == row.id)["excerpts"]
                } & members
                assert len(set(speakers)) == min(len(speakers), len(voices))
                assert all(excerpts[q.excerpt]["text"] == q.text for q in row.quotes)
        assert [q.text for q in page.quotes] == [q["text"] for q in profile.quotes]
        assert f"{page.size} of {len(report['participants'])} participants" in page.who


def test_heatmap_study_themes_and_method(analyzed_store):
    ctx = build_context(analyzed_store, pseudonymise=False)
    report = ctx.report
    doc = build_document(ctx)
    live = [t for t in report["themes"] if not t.get("dismissed")]
    assert len(doc.heatmap.rows) == len(live)
    assert doc.heatmap.columns == tuple(s["label"] for s in report["segments"])
    for (lens, label), shares in zip(doc.heatmap.rows, doc.heatmap.shares, strict=True):
        theme = next(t for t in live if t["label"] == label and t["lens"] == lens)
        for segment, share in zip(report["segments"], shares, strict=True):
            members = set(segment["participants"])
            assert share == len(set(theme["participants"]) & members) / len(members)
    listed = {lens: [t.id for t in rows] for lens, rows in doc.themes}
    assert Counter(t["lens"] for t in live) == Counter(
        {lens: len(ids) for lens, ids in listed.items() if ids}
    )
    m = doc.method
    assert (m.seed, m.model, m.run_id) == (ctx.run.seed, ctx.run.model, ctx.run.id)
    assert json.loads(m.config_json) == json.loads(ctx.run.config)
    assert m.interviews == len(ctx.transcripts) == 14
    assert dict(m.versions) == ctx.run.versions


def test_dismissed_themes_leave_the_report(analyzed_store):
    first = build_context(analyzed_store, pseudonymise=False).report
    gone = next(t for t in first["themes"] if t["lens"] == "trigger")
    dismiss_theme(analyzed_store, gone["id"])
    doc = build_document(build_context(analyzed_store, pseudonymise=False))
    assert gone["id"] not in {t.id for _, rows in doc.themes for t in rows}
    assert all(gone["id"] not in {r.id for r in p.themes("trigger")} for p in doc.segments)
    assert ("trigger", gone["label"]) not in doc.heatmap.rows
