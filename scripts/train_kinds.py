"""Fit the shipped kind classifier on every annotated study and the generic examples, once.

Writes qualseg/data/kind_model.npz (plain arrays: classes, coefficients, settings). Run it
after changing the examples, the training studies or the features:

    python scripts/build_kind_training.py && python scripts/train_kinds.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualseg.classify import MODEL_FILE  # noqa: E402
from qualseg.embed import default_embedder  # noqa: E402
from qualseg.kind_training import fit_kind_classifier, training_rows  # noqa: E402


def main() -> None:
    classifier = fit_kind_classifier(default_embedder())
    classifier.save(MODEL_FILE)
    rows = training_rows()
    labelled = sum(1 for r in rows if r.kind)
    print(
        f"fitted on {labelled} labelled rows ({len({r.study for r in rows})} sources) -> {MODEL_FILE}"
    )


if __name__ == "__main__":
    main()
