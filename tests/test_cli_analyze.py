"""``python -m qualseg analyze FOLDER --out DIR`` with an unreadable file in the folder: the rest
is analyzed (exit 0, the file and its reason on stderr); ``--strict`` stops with exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qualseg import running
from qualseg.cli import main
from qualseg.embed import HashingEmbedder
from tests.conftest import SAMPLE_DIR

GOOD = ("interview_bluepeak.txt", "call_notes_03.srt", "otter_novak.txt")


@pytest.fixture
def study(tmp_path: Path, monkeypatch) -> Path:
    """Three sample interviews, a binary file named .txt, a README.md and gold.json."""
    monkeypatch.delenv("QUALSEG_WORKSPACE", raising=False)
    monkeypatch.setattr(running, "default_embedder", lambda model: HashingEmbedder())
    folder = tmp_path / "study"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(SAMPLE_DIR / name, folder / name)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (folder / "README.md").write_text("# A study\n\nSee gold.json.\n", "utf-8")
    (folder / "gold.json").write_text("{}", "utf-8")
    return folder


def test_analyze_lists_the_unreadable_file_and_analyzes_the_rest(study, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["--workspace", str(tmp_path / "ws"), "analyze", str(study), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "unreadable  broken.txt: " in err
    assert "3 of 4 transcript files read; 1 left out" in err
    assert "README.md, gold.json (not transcripts)" in err
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert len(report["participants"]) == 3


def test_analyze_strict_stops_at_the_unreadable_file(study, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["--workspace", str(tmp_path / "ws"), "analyze", str(study), "--out", str(out)]
    code = main([*argv, "--strict"])
    err = capsys.readouterr().err
    assert code == 2
    assert "error: broken.txt: " in err and "--strict" in err
    assert not (out / "report.json").exists()


def test_analyze_with_no_readable_file_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("QUALSEG_WORKSPACE", raising=False)
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 50)
    code = main(
        ["--workspace", str(tmp_path / "ws"), "analyze", str(folder), "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "unreadable  broken.txt: " in err and "no readable transcript" in err
