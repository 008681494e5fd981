"""JSON export: the whole current state, equal to what the researcher sees, in stable bytes."""

from __future__ import annotations

import dataclasses
import json

from qualseg import editing
from qualseg.exports import json_export
from qualseg.exports.context import build_context
from qualseg.validation import validate


def _load(ctx) -> dict:
    return json.loads(json_export.render(ctx).decode("utf-8"))


def test_document_equals_the_current_state(analyzed_store):
    state = editing.current_state(analyzed_store).report
    ctx = build_context(analyzed_store, pseudonymise=False)
    doc = _load(ctx)

    assert doc["schema"] == json_export.SCHEMA and doc["schema_version"] == 1
    assert doc["project"] == "sample" and doc["pseudonymised"] is False
    assert doc["generated_at"] == ctx.generated_at
    assert doc["run"]["id"] == ctx.run.id and doc["run"]["seed"] == 42 == ctx.run.seed
    assert doc["run"]["model"] == ctx.run.model == "hashing-256"
    assert doc["run"]["config"]["seed"] == 42 and doc["run"]["config"]["granularity"] == "medium"
    assert doc["run"]["versions"] == ctx.run.versions
    assert doc["edits"] == 0 and doc["pins"] == []

    assert len(doc["participants"]) == 14 == len(state["participants"])
    assert len(doc["excerpts"]) == len(state["excerpts"])
    assert len(doc["themes"]) == len(state["themes"])
    assert len(doc["segments"]) == len(state["segments"])
    assert doc["counts"]["excerpts"] == len(state["excerpts"])
    assert [t["label"] for t in doc["themes"]] == [t["label"] for t in state["themes"]]
    person = next(p for p in doc["participants"] if p["id"] == "P2")
    assert person["metadata"]["job_title"] == "VP Finance"
    assert {s["sha256"] for s in doc["sources"]} == {t.sha256 for t in ctx.transcripts}

    quote = state["themes"][0]["quotes"][0]
    exported = next(e for e in doc["excerpts"] if e["id"] == quote["excerpt"])
    assert (exported["text"], exported["start"], exported["end"], exported["source"]) == (
        quote["text"],
        quote["start"],
        quote["end"],
        quote["source"],
    )
    transcript = next(t for t in ctx.transcripts if t.source == exported["source"])
    assert transcript.text[exported["start"] : exported["end"]] == exported["text"]


def test_segments_carry_their_validation(analyzed_store):
    ctx = build_context(analyzed_store, pseudonymise=False)
    doc = _load(ctx)
    for segment in doc["segments"]:
        figures = validate(ctx.report, segment["id"])
        shown = segment["validation"]
        assert shown["size"] == len(segment["participants"]) == figures.size
        assert shown["share"] == figures.share
        assert shown["lifts"] == figures.lifts
        assert shown["silhouette"] == figures.silhouette
        assert [c["criterion"] for c in shown["checklist"]] == [
            "measurable",
            "accessible",
            "substantial",
            "differentiable",
            "actionable",
        ]
        assert all(c["status"] in ("supported", "weak", "your call") for c in shown["checklist"])
        assert shown["checklist"][0]["evidence"] == figures.checklist[0].evidence


def test_edits_show_in_the_document(analyzed_store):
    state = editing.current_state(analyzed_store).report
    theme = state["themes"][0]
    excerpt = next(e for e in state["excerpts"] if theme["id"] in e["themes"])
    editing.rename_theme(analyzed_store, theme["id"], "Approvals stuck — budget owners")
    editing.pin_quote(analyzed_store, excerpt["id"])
    editing.dismiss_theme(analyzed_store, state["themes"][1]["id"])

    raw = json_export.render(build_context(analyzed_store, pseudonymise=False))
    doc = json.loads(raw)
    assert doc["edits"] == 3
    assert doc["pins"] == [excerpt["id"]] and doc["counts"]["pins"] == 1
    shown = {t["id"]: t for t in doc["themes"]}
    assert shown[theme["id"]]["label"] == "Approvals stuck — budget owners"
    assert shown[state["themes"][1]["id"]]["dismissed"] is True
    assert doc["counts"]["themes"] == len(state["themes"]) - 1
    assert "Approvals stuck — budget owners".encode() in raw  # UTF-8, not \\u escapes


def test_bytes_are_stable_and_keys_sorted(analyzed_store):
    first = build_context(analyzed_store, pseudonymise=False)
    second = dataclasses.replace(
        build_context(analyzed_store, pseudonymise=False), generated_at=first.generated_at
    )
    raw = json_export.render(first)
    assert raw == json_export.render(first) == json_export.render(second)
    text = raw.decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert "Renée" in text


def test_pseudonymised_flag(analyzed_store):
    assert _load(build_context(analyzed_store, pseudonymise=True))["pseudonymised"] is True
