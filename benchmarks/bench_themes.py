#!/usr/bin/env python
"""Statement-theme benchmark: ``qualseg themes`` on the Jupyter Notebook UX survey (2015).

    python benchmarks/bench_themes.py [--data CSV] [--seed 42] [--granularity medium] [--json F]

Runs what ``python -m qualseg themes FILE --text-column text`` runs (read_statements, then
discover_statement_themes with the real default embedder, all-MiniLM-L6-v2 on CPU) and prints
the time per stage, the number of themes, the unassigned share, agreement with the survey's weak
theme codes (NMI and ARI) and the largest themes with two quotes each. Nothing is asserted.

Data: ../shared/data/jupyter-ux-survey-2015/jupyter_ux_2015_responses_with_themes.csv, one row
per free-text answer (4,659). The text is in ``text``; ``themes_keyword_coded`` holds the
comma-separated codes the survey's authors assigned with keyword rules (weak labels, empty where
no rule fired; see SOURCE.md there).

Reference labels. NMI and ARI need one label per answer, so each coded answer gets its *primary*
code, the first one listed. The order of the codes carries meaning: each question has its own
keyword codebook, and in answers with a single field the codes always follow that codebook's rule
order (3 of 171 code pairs appear both ways round); answers that joined up to three fields with " | "
(2,450 of 4,659) list the codes field by field. The first code is therefore the first rule that
fired on the first thing the respondent wrote - the reading that adds no judgment of ours
(choosing the rarest or the most frequent code would). Answers with no code (328) are left out of
the scores. Many answers touch several topics, so no single-label clustering can reach 1.0. Two
further lines put the figures in scale:
- "without needs_addressed": that code is given to every answer of the question "what needs
  does the notebook address" (680 of 688 answers); it names the question, not a topic, so a
  topic clustering cannot and should not reproduce it;
- "question as cluster": the score of a clustering that only knows which question an answer
  replies to, since the codebooks differ per question.
Unassigned answers count as one extra cluster in the "all coded" line and are dropped in the
"assigned only" line.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = (
    ROOT.parent
    / "shared"
    / "data"
    / "jupyter-ux-survey-2015"
    / "jupyter_ux_2015_responses_with_themes.csv"
)
TEXT_COLUMN = "text"
CODE_COLUMN = "themes_keyword_coded"
QUESTION_COLUMN = "question"
BLANKET_CODE = "needs_addressed"


class TimedEmbedder:
    """Wraps an embedder and adds up the seconds spent in ``encode``."""

    def __init__(self, inner) -> None:  # noqa: ANN001 - an Embedder
        self.inner = inner
        self.name = inner.name
        self.seconds = 0.0
        self.texts = 0

    def encode(self, texts, *, batch_size: int = 64):  # noqa: ANN001, ANN201
        start = time.perf_counter()
        vectors = self.inner.encode(texts, batch_size=batch_size)
        self.seconds += time.perf_counter() - start
        self.texts += len(texts)
        return vectors


def weak_codes(data: bytes) -> dict[int, tuple[str, list[str]]]:
    """Data row number (1-based, as read_statements numbers rows) -> (question, codes)."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return {
        number: (
            row[QUESTION_COLUMN],
            [c.strip() for c in (row[CODE_COLUMN] or "").split(",") if c.strip()],
        )
        for number, row in enumerate(reader, start=1)
    }


def agreement(pairs: list[tuple[object, str]]) -> dict[str, float]:
    """NMI and ARI of (cluster, reference label) pairs."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    clusters = [str(c) for c, _ in pairs]
    labels = [r for _, r in pairs]
    return {
        "n": len(pairs),
        "nmi": round(float(normalized_mutual_info_score(labels, clusters)), 3),
        "ari": round(float(adjusted_rand_score(labels, clusters)), 3),
    }


def short(text: str, limit: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--granularity", default="medium", choices=("coarse", "medium", "fine"))
    parser.add_argument("--top", type=int, default=10, help="largest themes to print")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    t0 = time.perf_counter()
    from qualseg.cluster import UNASSIGNED
    from qualseg.config import AnalysisConfig
    from qualseg.embed import default_embedder
    from qualseg.statements import discover_statement_themes, read_statements

    t_import = time.perf_counter() - t0

    data = args.data.read_bytes()
    t0 = time.perf_counter()
    rows, statements = read_statements(args.data.name, data, TEXT_COLUMN)
    t_read = time.perf_counter() - t0

    config = AnalysisConfig(seed=args.seed, granularity=args.granularity)
    t0 = time.perf_counter()
    embedder = default_embedder(config.model)
    embedder.encode(["warm up"])  # loads the model (sha256 check included)
    t_load = time.perf_counter() - t0

    timed = TimedEmbedder(embedder)
    t0 = time.perf_counter()
    result = discover_statement_themes(rows, statements, timed, config)
    t_discover = time.perf_counter() - t0

    n = len(statements)
    unassigned = sum(1 for t in result.assignment if t == UNASSIGNED)
    codes = weak_codes(data)
    coded = [
        (row, theme, codes[row][0], codes[row][1])
        for row, theme in zip(result.rows, result.assignment, strict=True)
        if codes[row][1]
    ]
    scores = {
        "all coded (unassigned = one cluster)": agreement([(t, c[0]) for _, t, _, c in coded]),
        "assigned only": agreement([(t, c[0]) for _, t, _, c in coded if t != UNASSIGNED]),
        f"assigned, without {BLANKET_CODE}": agreement(
            [(t, c[0]) for _, t, _, c in coded if t != UNASSIGNED and c[0] != BLANKET_CODE]
        ),
        "baseline: question as cluster": agreement([(q, c[0]) for _, _, q, c in coded]),
    }

    print(f"data        {args.data} ({n} statements, column {TEXT_COLUMN!r})")
    print(f"config      model {config.model}, seed {config.seed}, granularity {config.granularity}")
    print(
        f"time        total {t_import + t_read + t_load + t_discover:.1f} s = imports "
        f"{t_import:.1f} + read {t_read:.2f} + model load {t_load:.1f} + discover "
        f"{t_discover:.1f} (of which embedding {timed.seconds:.1f} s, "
        f"{timed.texts / max(timed.seconds, 1e-9):.0f} statements/s; clustering and "
        f"describing {t_discover - timed.seconds:.1f} s)"
    )
    print(f"themes      {len(result.themes)}")
    print(f"unassigned  {unassigned} of {n} ({unassigned / n:.1%})")
    print(
        f"weak codes  {len(coded)} answers with a code ({n - len(coded)} without); "
        "reference = primary (first listed) code"
    )
    for name, s in scores.items():
        print(f"  {name:<40} n={s['n']:<5} NMI {s['nmi']:.3f}  ARI {s['ari']:.3f}")

    primary_by_row = {row: c[0] for row, _, _, c in coded}
    largest = sorted(result.themes.items(), key=lambda kv: (-kv[1]["size"], kv[0]))[: args.top]
    print(f"\n{len(largest)} largest themes")
    top_themes = []
    for number, theme in largest:
        members = [
            row for row, t in zip(result.rows, result.assignment, strict=True) if t == number
        ]
        primaries = Counter(primary_by_row[r] for r in members if r in primary_by_row)
        code, count = primaries.most_common(1)[0] if primaries else ("-", 0)
        share = count / max(sum(primaries.values()), 1)
        print(
            f"{theme['id']:>9}  {theme['size']:>4} statements  {theme['label']!r}  "
            f"(weak code {code} {share:.0%})"
        )
        for quote in theme["quotes"][:2]:
            print(f'             row {quote["row"]:>4}: "{short(quote["text"])}"')
        top_themes.append({**theme, "dominant_code": code, "dominant_share": round(share, 3)})

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {
            "data": str(args.data),
            "statements": n,
            "config": json.loads(config.to_json()),
            "seconds": {
                "imports": round(t_import, 2),
                "read": round(t_read, 3),
                "model_load": round(t_load, 2),
                "discover": round(t_discover, 2),
                "embedding": round(timed.seconds, 2),
            },
            "themes": len(result.themes),
            "unassigned": unassigned,
            "scores": scores,
            "largest_themes": top_themes,
        }
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
