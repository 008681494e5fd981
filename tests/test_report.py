"""report.json shape, quotes.csv and report.md on a small synthetic study (hashing embedder)."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest

from qualseg.analysis import Participant, Study, StudyTranscript, analyze
from qualseg.config import AnalysisConfig
from qualseg.embed import HashingEmbedder
from qualseg.escaping import md_escape
from qualseg.models import KINDS, LENSES, Transcript, Utterance
from qualseg.report import build_report, quotes_csv, report_markdown
from qualseg.statements import MemoryCache
from tests.segmenting import any_segmentation

# Interviewer question -> three ways participants answer it (each answer is two of them).
QA = [
    (
        "What is the hardest part of your invoice process today?",
        [
            "We key every single invoice by hand into the ERP and it takes days every month.",
            "Keying invoices by hand into the ERP eats three days of the month for my team.",
            "Every invoice gets typed by hand into the ERP, which is slow and full of errors.",
        ],
    ),
    (
        "What made you start looking for a new tool?",
        [
            "Our auditor found duplicate payments last spring, so the CFO asked me to find a tool.",
            "The auditor flagged duplicate payments and the CFO told me to fix it before audit.",
            "After the audit found duplicate payments, our CFO pushed us to look for a tool.",
        ],
    ),
    (
        "What almost stopped you from buying?",
        [
            "Honestly the price worried me, since the budget for new software is very tight.",
            "The price was a concern because our software budget is tight and the CFO hates costs.",
            "I worried about the price, our budget for software is really tight right now.",
        ],
    ),
    (
        "How do you like to make decisions about vendors?",
        [
            "I always want to see proof from a peer before I trust a new vendor with payments.",
            "I trust vendors only after a peer shows me proof that it works for them.",
            "We are careful people, I need proof from peers before trusting any vendor.",
        ],
    ),
]
NAMES = [
    "Priya Raman",
    "Marcus Halvorsen",
    "Aisha Bello",
    "Tom Kellerman",
    "Sofia Marquez",
    "Jo Li",
]
RUN = {"id": 7, "seed": 42, "model": "hashing-256", "config": "{}", "versions": {"qualseg": "0"}}


def _transcript(source: str, name: str, k: int, qa=QA) -> Transcript:
    text, utterances = "", []
    for question, answers in qa:
        for speaker, line in (
            ("Maya Chen", question),
            (name, f"{answers[k % 3]} {answers[(k + 1) % 3]}"),
        ):
            text += f"{speaker}: "
            utterances.append(
                Utterance(len(utterances), speaker, ((len(text), len(text) + len(line)),))
            )
            text += line + "\n\n"
    roles = {"Maya Chen": "interviewer", name: "participant"}
    return Transcript(source, "labelled_text", text, "utf-8", tuple(utterances), roles)


def _study(qa=QA) -> Study:
    transcripts, participants = [], []
    for k, name in enumerate(NAMES):
        source = f"call_{k}.txt"
        transcripts.append(
            StudyTranscript(_transcript(source, name, k, qa), {name: k + 1}, f"{k:012d}")
        )
        participants.append(Participant(k + 1, name, source, {"industry": "A" if k % 2 else "B"}))
    return Study(transcripts, participants)


@pytest.fixture(scope="module")
def study() -> Study:
    return _study()


@pytest.fixture(scope="module")
def result(study):
    with any_segmentation():
        return analyze(study, AnalysisConfig(), HashingEmbedder(), MemoryCache())


@pytest.fixture(scope="module")
def report(result) -> dict:
    return build_report(result, run=RUN)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_report_shape(report, result, study):
    assert set(report) == {
        "schema_version",
        "run",
        "participants",
        "excerpts",
        "themes",
        "segments",
        "segmentation",
        "measures",
    }
    assert report["run"] == {**RUN, "stage_seconds": result.stage_seconds}

    segment_ids = {s["id"] for s in report["segments"]}
    assert [p["id"] for p in report["participants"]] == [f"P{i}" for i in range(1, 7)]
    for p, expected in zip(report["participants"], study.participants, strict=True):
        assert (p["name"], p["source"], p["metadata"]) == (
            expected.name,
            expected.source,
            expected.metadata,
        )
        assert p["segment"] in segment_ids
    participant_ids = {p["id"] for p in report["participants"]}

    texts = {st.transcript.source: st.transcript for st in study.transcripts}
    excerpts = {e["id"]: e for e in report["excerpts"]}
    assert len(excerpts) == len(report["excerpts"]) == 48
    for e in report["excerpts"]:
        assert set(e) == {
            "id", "participant", "source", "start", "end", "timestamp", "text", "kinds",
            "kind_scores", "themes",
        }  # fmt: skip
        assert e["participant"] in participant_ids
        assert texts[e["source"]].speech_between(e["start"], e["end"]) == e["text"]
        assert e["id"].endswith(f":{e['start']}-{e['end']}")
        assert e["kinds"] and set(e["kinds"]) <= set(KINDS)

    assert report["themes"], "the synthetic study has clear themes"
    theme_ids = {t["id"] for t in report["themes"]}
    for t in report["themes"]:
        assert set(t) == {"id", "lens", "label", "keyphrases", "participants", "excerpts", "quotes"}
        assert t["lens"] in LENSES and t["id"].startswith(t["lens"] + "-")
        assert t["label"] and t["keyphrases"]
        assert set(t["participants"]) <= participant_ids and len(t["participants"]) >= 2
        assert {excerpts[k]["participant"] for k in t["excerpts"]} == set(t["participants"])
        for key in t["excerpts"]:
            assert t["id"] in excerpts[key]["themes"]
        assert t["quotes"]
        for q in t["quotes"]:
            e = excerpts[q["excerpt"]]
            assert q == {k: e[k] for k in ("participant", "source", "start", "end", "text")} | {
                "excerpt": e["id"]
            }
            assert q["excerpt"] in t["excerpts"]
    for e in report["excerpts"]:
        assert set(e["themes"]) <= theme_ids

    assert report["segments"]
    members = [p for s in report["segments"] for p in s["participants"]]
    assert sorted(members) == sorted(participant_ids)  # each participant in exactly one segment
    for s in report["segments"]:
        assert {p["id"] for p in report["participants"] if p["segment"] == s["id"]} == set(
            s["participants"]
        )
        assert set(s["themes"] + s["psychographics"] + s["triggers"] + s["objections"]) <= theme_ids
        assert all(q["participant"] in s["participants"] for q in s["quotes"])
        assert s["measures"]["size"] == len(s["participants"])
    assert {
        "segments_k",
        "segment_stability",
        "segment_ambiguity",
        "metadata_association",
        "unassigned_need",
    } <= set(report["measures"])
    segmentation = report["segmentation"]
    assert segmentation["chosen"] == len(report["segments"])
    chosen = next(a for a in segmentation["alternatives"] if a["k"] == segmentation["chosen"])
    assert sorted(p for g in chosen["groups"] for p in g) == sorted(participant_ids)
    assert all(0 <= p["segment_strength"] <= 1 for p in report["participants"])


def test_report_survives_a_json_round_trip(report):
    assert json.loads(json.dumps(report)) == report


def test_report_is_deterministic(study, report):
    with any_segmentation():
        again = build_report(
            analyze(study, AnalysisConfig(), HashingEmbedder(), MemoryCache()), run=RUN
        )
    again["run"].pop("stage_seconds")
    expected = copy.deepcopy(report)
    expected["run"].pop("stage_seconds")
    assert again == expected


def test_quotes_csv_has_one_row_per_excerpt(report):
    rows = _rows(quotes_csv(report))
    assert list(rows[0]) == [
        "excerpt_id", "participant_id", "participant", "segment", "source", "start", "end",
        "timestamp", "kinds", "themes", "theme_labels", "text",
    ]  # fmt: skip
    assert len(rows) == len(report["excerpts"])
    labels = {t["id"]: t["label"] for t in report["themes"]}
    names = {p["id"]: p for p in report["participants"]}
    for row, e in zip(rows, report["excerpts"], strict=True):
        assert row["excerpt_id"] == e["id"] and row["text"] == e["text"]
        assert row["participant"] == names[e["participant"]]["name"]
        assert row["segment"] == names[e["participant"]]["segment"]
        assert (int(row["start"]), int(row["end"])) == (e["start"], e["end"])
        assert row["kinds"].split(";") == e["kinds"]
        assert row["themes"] == ";".join(e["themes"])
        assert row["theme_labels"] == "; ".join(labels[t] for t in e["themes"])


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+1 555 0100", "-42 invoices a day", "@admin"])
def test_quotes_csv_neutralises_formula_like_text(report, text):
    doctored = copy.deepcopy(report)
    doctored["excerpts"][0]["text"] = text
    row = _rows(quotes_csv(doctored))[0]
    assert row["text"] == "'" + text


def test_quotes_csv_keeps_commas_quotes_newlines_and_unicode(report):
    text = 'We said "no, not yet", then — naïve café, 請求書, 💸\nsecond line; done'
    doctored = copy.deepcopy(report)
    doctored["excerpts"][3]["text"] = text
    doctored["participants"][0]["name"] = 'Zoë "Z" O\'Brien, Jr.'
    rows = _rows(quotes_csv(doctored))
    assert rows[3]["text"] == text
    assert rows[0]["participant"] == 'Zoë "Z" O\'Brien, Jr.'
    assert len(rows) == len(report["excerpts"])


def test_quotes_csv_neutralises_formula_like_names_sources_and_labels(report):
    doctored = copy.deepcopy(report)
    first = doctored["excerpts"][0]
    doctored["participants"][0]["name"] = '=HYPERLINK("http://evil.example","Priya")'
    first["source"] = "+1 call with Priya.txt"
    doctored["themes"][0]["label"] = "@everyone budget"
    doctored["themes"][0]["excerpts"].append(first["id"])
    first["themes"] = [doctored["themes"][0]["id"]]
    for row in csv.reader(io.StringIO(quotes_csv(doctored), newline="")):
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), (cell, row)


def test_markdown_has_segments_themes_quotes_and_measures(report):
    md = report_markdown(report)
    assert md.startswith("# Study report\n")
    assert "6 participants, 48 excerpts" in md
    assert "Model `hashing-256`, seed 42." in md
    for s in report["segments"]:
        assert f"### {s['id']}: {md_escape(s['label'])}" in md
    for t in report["themes"]:
        assert f"### {md_escape(t['label'])} ({len(t['participants'])} participants" in md
    first_quote = report["themes"][0]["quotes"][0]
    assert f'> "{md_escape(first_quote["text"])}" — ' in md
    assert f"{md_escape(first_quote['source'])} @{first_quote['start']}" in md
    assert "## Measures" in md and "segments_k: " in md


def test_markdown_renders_a_study_without_segments():
    only_objections = [QA[2]]
    result = analyze(_study(only_objections), AnalysisConfig(), HashingEmbedder(), MemoryCache())
    report = build_report(result, run=RUN)
    assert report["segments"] == []
    assert all(p["segment"] is None for p in report["participants"])
    md = report_markdown(report)
    assert "No segments could be suggested" in md
    assert "0 suggested segments" in md
    assert "## Needs and desired outcomes\n\nNo themes found." in md
    rows = _rows(quotes_csv(report))
    assert all(row["segment"] == "" for row in rows)


def test_markdown_escapes_emphasis_in_quotes(report):
    doctored = copy.deepcopy(report)
    quote = doctored["themes"][0]["quotes"][0]
    quote["text"] = "the *only* thing we need is a snake_case export,\n  __really__"
    md = report_markdown(doctored)
    assert r'> "the \*only\* thing we need is a snake\_case export, \_\_really\_\_"' in md
    assert "*only*" not in md and "snake_case" not in md
