"""Build qualseg/data/kind_training.jsonl from the annotated studies of the evaluation corpus.

Every participant excerpt of every gold file, as the pipeline cuts it, with its study, source,
answer turn and interviewer question; labelled with the kind of the gold sentence it stands for
(the grading rule's match), or "" when it stands for none. The studies: the bundled sample
(``sample_transcripts/``, study name "sample") and each folder of ``evaluation/studies/``.

    python scripts/build_kind_training.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.corpus import STUDY_DIRS, study_name  # noqa: E402
from evaluation.grading import matches  # noqa: E402
from qualseg.excerpts import excerpt_transcript  # noqa: E402
from qualseg.ingest import read_transcript  # noqa: E402
from qualseg.kind_training import TRAINING_FILE  # noqa: E402

LABEL_OF_LIST = (
    ("triggers", "trigger"),
    ("objections", "objection"),
    ("needs", "need"),
    ("neither", "other"),
)


def label(text: str, entry: dict) -> str:
    """The kind of the gold sentence an excerpt stands for, or ""."""
    for list_name, kind in LABEL_OF_LIST:
        if any(matches(g, text) for g in entry.get(list_name, [])):
            return kind
    evidence = entry.get("psychographic_evidence", {}).values()
    if any(matches(g, text) for quotes in evidence for g in quotes):
        return "psychographic"
    return ""


def study_rows(folder: Path) -> list[dict]:
    gold = json.loads((folder / "gold.json").read_text("utf-8"))["files"]
    rows = []
    for source, entry in sorted(gold.items()):
        t = read_transcript(source, (folder / source).read_bytes())
        ids = {s: n for n, s in enumerate(t.speakers) if t.roles.get(s) == "participant"}
        for e in excerpt_transcript(t, ids, key_prefix=source):
            rows.append(
                {
                    "study": study_name(folder),
                    "source": source,
                    "turn": e.utterance_index,
                    "text": e.text,
                    "prompt": e.prompt,
                    "kind": label(e.text, entry),
                }
            )
    return rows


def main() -> None:
    rows = [row for folder in STUDY_DIRS for row in study_rows(folder)]
    TRAINING_FILE.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8"
    )
    labelled = sum(1 for r in rows if r["kind"])
    print(
        f"{len(rows)} excerpts ({labelled} labelled) from {len(STUDY_DIRS)} studies -> {TRAINING_FILE}"
    )


if __name__ == "__main__":
    main()
