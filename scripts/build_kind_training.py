"""Build qualseg/data/kind_training.jsonl from the TUNING half of sample_transcripts/gold.json.

Each gold sentence of a tuning-half file becomes one labelled example with the interviewer's
preceding question. The held-out half is never read, so it stays a fair test.

    python scripts/build_kind_training.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualseg.ingest import read_transcript  # noqa: E402

KIND_OF_LIST = {
    "triggers": "trigger",
    "objections": "objection",
    "needs": "need",
    "neither": "other",
}


def main() -> None:
    sample = ROOT / "sample_transcripts"
    gold = json.loads((sample / "gold.json").read_text("utf-8"))["files"]
    rows = []
    for source, entry in sorted(gold.items()):
        if entry["split"] != "tune":
            continue
        t = read_transcript(source, (sample / source).read_bytes())
        for list_name, kind in KIND_OF_LIST.items():
            for sentence in entry[list_name]:
                start = t.text.index(sentence)
                prompt = ""
                for u in t.utterances:
                    if u.start > start:
                        break
                    if t.roles.get(u.speaker) == "interviewer":
                        prompt = u.text_in(t.text)
                rows.append({"text": sentence, "prompt": prompt, "kind": kind, "source": source})
    out = ROOT / "qualseg" / "data" / "kind_training.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} examples from {len({r['source'] for r in rows})} tuning files -> {out}")


if __name__ == "__main__":
    main()
