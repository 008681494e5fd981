"""The evaluation corpus: the bundled sample study and the studies under ``evaluation/studies``."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_transcripts"
STUDIES = ROOT / "evaluation" / "studies"
STUDY_DIRS: tuple[Path, ...] = (
    SAMPLE,
    *sorted(p for p in STUDIES.iterdir() if (p / "gold.json").is_file()),
)


def study_name(folder: Path) -> str:
    """A study's name: "sample" for the bundled study, else its folder's name."""
    return "sample" if folder.resolve() == SAMPLE.resolve() else folder.name


def load_gold(folder: Path) -> dict:
    """gold.json's ``files`` mapping: file name -> what was planted in it."""
    return json.loads((folder / "gold.json").read_text("utf-8"))["files"]
