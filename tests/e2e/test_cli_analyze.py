"""``python -m qualseg analyze INPUT_DIR --out OUT`` end to end, with the real model."""

from __future__ import annotations

import csv
import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from qualseg.cli import main
from qualseg.models import KINDS, LENSES
from qualseg.store import ProjectStore
from tests.conftest import SAMPLE_DIR

pytestmark = pytest.mark.slow

MIXED = {
    "interview_bluepeak.txt": "labelled_text",
    "2026-02-11_halvorsen.vtt": "vtt",
    "call_notes_03.srt": "srt",
    "Interview - Sofia Marquez.docx": "docx_teams",
    "transcript_ridgeline.csv": "csv",
    "otter_export_kellerman.txt": "otter",
}


def analyze_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["analyze", *args])
    return code, out.getvalue(), err.getvalue()


def without_run_id_and_timings(report: dict) -> dict:
    clean = json.loads(json.dumps(report))
    clean["run"].pop("id")
    clean["run"].pop("stage_seconds")
    return clean


@pytest.fixture(scope="module")
def study_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed") / "study"
    folder.mkdir()
    for name in MIXED:
        shutil.copy(SAMPLE_DIR / name, folder / name)
    (folder / "notes.md").write_text("not a transcript")
    return folder


@pytest.fixture(scope="module")
def analyzed(study_dir, tmp_path_factory) -> tuple[Path, int, str, str]:
    out = tmp_path_factory.mktemp("out") / "results"
    code, stdout, stderr = analyze_cli(str(study_dir), "--out", str(out))
    return out, code, stdout, stderr


@pytest.fixture(scope="module")
def report(analyzed) -> dict:
    out, code, _, stderr = analyzed
    assert code == 0, stderr
    return json.loads((out / "report.json").read_text("utf-8"))


def test_analyze_exits_0_and_writes_the_three_outputs(analyzed, report):
    out, code, stdout, stderr = analyzed
    assert code == 0, stderr
    for name in ("report.json", "report.md", "quotes.csv"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert f"{len(report['participants'])} participants" in stdout and str(out) in stdout
    assert "embeddings" in stderr  # progress goes to stderr
    assert (out / "report.md").read_text("utf-8").startswith("# Study report")


def test_report_json_shape(report):
    assert {"run", "participants", "excerpts", "themes", "segments", "measures"} <= set(report)
    run = report["run"]
    assert {"id", "seed", "model", "config", "versions", "stage_seconds"} <= set(run)
    assert run["seed"] == 42 and run["model"] == "all-MiniLM-L6-v2"

    participants = report["participants"]
    assert sorted(p["source"] for p in participants) == sorted(MIXED)
    segment_ids = {s["id"] for s in report["segments"]}
    for p in participants:
        assert {"id", "name", "source", "segment"} <= set(p)
        assert p["id"].startswith("P") and p["name"]
        assert p["segment"] is None or p["segment"] in segment_ids
    participant_ids = {p["id"] for p in participants}
    assert len(participant_ids) == len(MIXED)

    excerpts = {e["id"]: e for e in report["excerpts"]}
    assert len(excerpts) == len(report["excerpts"]) > 100
    for e in report["excerpts"]:
        assert {"id", "participant", "source", "start", "end", "text", "kinds", "themes"} <= set(e)
        assert e["participant"] in participant_ids and e["source"] in MIXED
        assert 0 <= e["start"] < e["end"] and e["text"].strip()
        assert set(e["kinds"]) <= set(KINDS)
    assert {e["source"] for e in report["excerpts"]} == set(MIXED)

    theme_ids = {t["id"] for t in report["themes"]}
    assert {t["lens"] for t in report["themes"]} >= {"need"}
    for t in report["themes"]:
        assert {"id", "lens", "label", "keyphrases", "participants", "excerpts", "quotes"} <= set(t)
        assert t["lens"] in LENSES and t["label"] and t["keyphrases"]
        assert set(t["participants"]) <= participant_ids
        assert set(t["excerpts"]) <= set(excerpts) and t["quotes"]
        for q in t["quotes"]:
            assert q["excerpt"] in t["excerpts"]
            assert q["text"] == excerpts[q["excerpt"]]["text"]
        for key in t["excerpts"]:
            assert t["id"] in excerpts[key]["themes"]

    for s in report["segments"]:
        assert {"id", "label", "participants", "themes", "quotes"} <= set(s)
        assert set(s["participants"]) <= participant_ids and s["label"]
        assert set(s["themes"]) <= theme_ids
        assert all(q["participant"] in s["participants"] for q in s["quotes"])


def test_every_excerpt_is_verbatim_at_its_offsets(analyzed, report):
    out = analyzed[0]
    store = ProjectStore(out / ".qualseg-project")
    try:
        stored = {t.source: t for t in store.transcripts()}
        assert {source: t.format for source, t in stored.items()} == MIXED
        transcripts = {source: store.load_transcript(t.id) for source, t in stored.items()}
    finally:
        store.close()
    quotes = [q for group in report["themes"] + report["segments"] for q in group["quotes"]]
    for item in report["excerpts"] + quotes:
        t = transcripts[item["source"]]
        assert t.speech_between(item["start"], item["end"]) == item["text"], item
        assert item["end"] <= len(t.text)


def test_quotes_csv_lists_every_excerpt(analyzed, report):
    text = (analyzed[0] / "quotes.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["excerpt_id"] for r in rows] == [e["id"] for e in report["excerpts"]]
    for row, e in zip(rows, report["excerpts"], strict=True):
        assert row["text"] in (e["text"], "'" + e["text"])
        assert (row["source"], int(row["start"]), int(row["end"])) == (
            e["source"],
            e["start"],
            e["end"],
        )


def test_second_identical_run_gives_the_same_report(study_dir, analyzed, report):
    out = analyzed[0]
    first_md = (out / "report.md").read_text("utf-8")
    code, _, stderr = analyze_cli(str(study_dir), "--out", str(out))
    assert code == 0, stderr
    again = json.loads((out / "report.json").read_text("utf-8"))
    assert again["run"]["id"] != report["run"]["id"]
    assert without_run_id_and_timings(again) == without_run_id_and_timings(report)
    assert (out / "report.md").read_text("utf-8") == first_md
    store = ProjectStore(out / ".qualseg-project")
    try:
        assert len(store.transcripts()) == len(MIXED)  # re-import skipped, nothing duplicated
        assert [r.status for r in store.runs()] == ["done", "done"]
    finally:
        store.close()


def test_a_broken_file_is_named_and_the_rest_analyzed_unless_strict(tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    for name in ("interview_bluepeak.txt", "call_notes_03.srt"):
        shutil.copy(SAMPLE_DIR / name, folder / name)
    (folder / "call_07.vtt").write_bytes(b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n\x00\x01\x02")
    out = tmp_path / "results"
    code, _, stderr = analyze_cli(str(folder), "--out", str(out), "--strict")
    assert code == 2
    [line] = [ln for ln in stderr.splitlines() if ln.startswith("error:")]
    assert "call_07.vtt" in line
    assert not (out / "report.json").exists()

    code, _, stderr = analyze_cli(str(folder), "--out", str(out))
    assert code == 0, stderr
    [line] = [ln for ln in stderr.splitlines() if "call_07.vtt" in ln]
    assert line.split()[0] == "unreadable"
    assert "2 of 3 transcript files read; 1 left out" in stderr
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert len(report["participants"]) == 2
