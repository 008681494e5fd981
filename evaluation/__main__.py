"""``python -m evaluation [STUDY_DIR ...] [--loso] [--json PATH]``: grade studies, print the table.

With no folder, every study of the corpus (the sample and ``evaluation/studies/*``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evaluation.corpus import STUDY_DIRS
from evaluation.run import as_json, evaluate, table
from qualseg.config import AnalysisConfig


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__)
    parser.add_argument("studies", nargs="*", type=Path, help="study folders (each with gold.json)")
    parser.add_argument(
        "--loso",
        action="store_true",
        help="refit the kind classifier without each corpus study before scoring it",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--lens-clustering",
        choices=("partition", "density"),
        default=AnalysisConfig.lens_clustering,
        help="how each lens is clustered (see AnalysisConfig)",
    )
    args = parser.parse_args()
    folders = args.studies or list(STUDY_DIRS)
    missing = [f for f in folders if not (f / "gold.json").is_file()]
    if missing:
        parser.error(f"{missing[0]}: no gold.json in this folder")
    results = evaluate(
        folders, loso=args.loso, seed=args.seed, lens_clustering=args.lens_clustering
    )
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(as_json(results), indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
