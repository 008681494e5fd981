"""The ported grading rule and theme alignment give the shared tools' figures, and match sensibly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.alignment import theme_alignment
from evaluation.corpus import STUDIES, load_gold
from evaluation.grading import grade, matches

TOOLS = Path(__file__).resolve().parents[3] / "shared" / "tools"


def test_match_rule():
    assert matches("we missed the deadline twice", "Um, so we missed the deadline twice that year.")
    assert matches("the tool must tell us what matters", "The tool must tell us")
    assert not matches("the tool must tell us what matters", "Nice weather today, honestly.")
    assert not matches("", "anything")


def synthetic_report(gold: dict) -> dict:
    """Gold sentences as excerpts with deliberately mixed kinds, themes and segments."""
    kinds = [
        ["trigger"],
        ["objection"],
        ["need"],
        ["psychographic"],
        ["other"],
        ["need", "trigger"],
    ]
    participants, excerpts, n = [], [], 0
    for i, (source, entry) in enumerate(sorted(gold.items())):
        participants.append({"id": f"P{i}", "source": source, "segment": f"S{i % 2}"})
        lists = ("triggers", "objections", "needs", "neither")
        for name in lists:
            for sentence in entry[name]:
                excerpts.append(
                    {
                        "participant": f"P{i}",
                        "source": source,
                        "text": sentence,
                        "kinds": kinds[n % len(kinds)],
                        "themes": ["t1"] if n % 3 else [],
                    }
                )
                n += 1
    themes = [
        {"id": "t1", "lens": "need", "participants": [p["id"] for p in participants[::2]]},
        {"id": "t2", "lens": "need", "participants": [p["id"] for p in participants[1::3]]},
    ]
    return {"participants": participants, "excerpts": excerpts, "themes": themes}


def shared_tool(name: str, report: Path, gold: Path) -> dict:
    """What one of the shared tools prints for a report and a gold file."""
    args = [sys.executable, str(TOOLS / name), str(report), str(gold)]
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


@pytest.mark.skipif(not (TOOLS / "grade_study.py").is_file(), reason="../shared is absent")
def test_same_figures_as_the_shared_tools(tmp_path):
    study = STUDIES / "fleet-maintenance"
    gold = load_gold(study)
    report = synthetic_report(gold)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report), "utf-8")
    theirs = shared_tool("grade_study.py", path, study / "gold.json")
    ours = grade(report, gold)
    assert {k: ours[k] for k in theirs} == theirs
    aligned = shared_tool("theme_alignment.py", path, study / "gold.json")
    assert theme_alignment(report, gold) == aligned
