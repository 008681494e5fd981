#!/usr/bin/env python
"""Statement themes beside BERTopic: ``qualseg themes`` and ``BERTopic()`` on the same vectors.

    python benchmarks/bench_statements.py [--data CSV] [--split all|held-out|tune|halves]
        [--bertopic-python PATH] [--vectors-cache DIR] [--json FILE]

Data: Banking77's test split by default (``../shared/data/banking77/test.csv``, 3,080 customer
messages to a bank, 77 intents in ``category``); any CSV with a text and a label column works
(``--text-column``, ``--label-column``). Both systems get the same all-MiniLM-L6-v2 vectors: the
vectors of what ``qualseg themes`` embeds (each statement's ``theme_text``), computed once in
this process. Each system then runs in a fresh process, so that its time (clustering and
labelling; embedding excluded) and its peak memory (ru_maxrss) are its own:
- qualseg: ``discover_statement_themes`` with the default config (granularity fine, the number
  of themes chosen automatically), the vectors passed through an embedder that serves them;
- BERTopic: ``BERTopic()`` with default settings, ``fit_transform(docs, embeddings=vectors)``;
  its UMAP has no seed, so its figures vary from run to run (``--repeat``).

Scores against the labels, with unassigned rows (qualseg -1, BERTopic topic -1) as one cluster:
NMI, ARI, ACC (clustering accuracy: Hungarian matching of clusters to labels), the unassigned
share and the number of themes. ``--split`` scores the whole file, or one half: rows alternate
between halves within each label (first, third, ... row of a label in "tune"); tuning was done on
"tune" only, so "held-out" is the figure to quote. ``halves`` runs both halves.

BERTopic is not a dependency of qualseg. Without it the benchmark says so and prints qualseg
alone. ``--bertopic-python`` names an interpreter that has it (default: this one if it can import
bertopic, else ``/work/bench-venv/bin/python`` when present); see benchmarks/README.md.
Nothing is asserted: the figures are printed (and written with ``--json``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "banking77" / "test.csv"
BENCH_VENV_PYTHON = Path("/work/bench-venv/bin/python")


# -- data and scores ---------------------------------------------------------------------------


def read_labelled(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
    texts, labels = [], []
    for row in reader:
        text = (row.get(text_column) or "").strip()
        if text:
            texts.append(text)
            labels.append(row.get(label_column) or "")
    return texts, labels


def split_rows(labels: list[str], split: str) -> np.ndarray:
    """Row indexes of a split: rows alternate between halves within each label."""
    seen: dict[str, int] = {}
    half = []
    for label in labels:
        half.append(seen.get(label, 0) % 2)
        seen[label] = seen.get(label, 0) + 1
    half_arr = np.asarray(half)
    if split == "all":
        return np.arange(len(labels))
    return np.flatnonzero(half_arr == (0 if split == "tune" else 1))


def scores(truth: list[str], found: list[int]) -> dict[str, float]:
    """NMI, ARI, ACC (in %), unassigned share (%) and theme count; -1 is one cluster."""
    from scipy.optimize import linear_sum_assignment
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    found_arr = np.asarray(found)
    unassigned = float((found_arr == -1).mean())
    clusters = np.unique(found_arr, return_inverse=True)[1]
    classes = np.unique(truth, return_inverse=True)[1]
    counts = np.zeros((clusters.max() + 1, classes.max() + 1))
    np.add.at(counts, (clusters, classes), 1)
    rows, cols = linear_sum_assignment(-counts)
    return {
        "nmi": round(100 * float(normalized_mutual_info_score(classes, clusters)), 1),
        "ari": round(100 * float(adjusted_rand_score(classes, clusters)), 1),
        "acc": round(100 * float(counts[rows, cols].sum() / len(found)), 1),
        "unassigned_pct": round(100 * unassigned, 1),
        "themes": len(set(found_arr.tolist()) - {-1}),
    }


# -- workers (fresh processes) -----------------------------------------------------------------


class ServedEmbedder:
    """Serves precomputed vectors for known texts (the benchmark's shared embeddings)."""

    def __init__(self, texts: list[str], vectors: np.ndarray, name: str) -> None:
        self.name = name
        self._rows = {t: i for i, t in enumerate(texts)}
        self._vectors = vectors

    def encode(self, texts, *, batch_size: int = 64) -> np.ndarray:  # noqa: ANN001
        return self._vectors[[self._rows[t] for t in texts]]


def worker_qualseg(job: dict) -> dict:
    start = time.perf_counter()
    from qualseg.config import AnalysisConfig
    from qualseg.statements import discover_statement_themes
    from qualseg.theme_text import theme_text

    texts = job["texts"]
    vectors = np.load(job["vectors"])
    embedder = ServedEmbedder([theme_text(t) for t in texts], vectors, "all-MiniLM-L6-v2")
    config = AnalysisConfig(seed=job["seed"], granularity=job["granularity"])
    result = discover_statement_themes(list(range(1, len(texts) + 1)), texts, embedder, config)
    labels = {n: t["label"] for n, t in result.themes.items()}
    sizes = {n: t["size"] for n, t in result.themes.items()}
    return {
        "assignment": result.assignment,
        "labels": [labels[n] for n in sorted(labels, key=lambda n: -sizes[n])],
        "seconds": round(time.perf_counter() - start, 2),
    }


def worker_bertopic(job: dict) -> dict:
    start = time.perf_counter()
    from bertopic import BERTopic

    vectors = np.load(job["vectors"])
    topics, _ = BERTopic().fit_transform(job["texts"], embeddings=vectors)
    return {
        "assignment": [int(t) for t in topics],
        "seconds": round(time.perf_counter() - start, 2),
    }


WORKERS = {"qualseg": worker_qualseg, "bertopic": worker_bertopic}


def run_worker(python: str, system: str, job: dict) -> dict:
    """Run one system in a fresh process; its result plus its peak RSS in MB."""
    with tempfile.TemporaryDirectory(prefix="bench-statements-") as tmp:
        job_file = Path(tmp) / "job.json"
        out_file = Path(tmp) / "out.json"
        job_file.write_text(json.dumps(job), "utf-8")
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        command = [python, __file__, "--worker", system, str(job_file), str(out_file)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{system} worker failed:\n{done.stderr[-3000:]}")
        return json.loads(out_file.read_text("utf-8"))


def worker_main(system: str, job_file: str, out_file: str) -> int:
    sys.path.insert(0, str(ROOT))
    job = json.loads(Path(job_file).read_text("utf-8"))
    result = WORKERS[system](job)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    Path(out_file).write_text(json.dumps(result), "utf-8")
    return 0


def bertopic_python(choice: str | None) -> str | None:
    """An interpreter that can import bertopic, or None."""
    candidates = [choice] if choice else [sys.executable, str(BENCH_VENV_PYTHON)]
    for python in candidates:
        if python and Path(python).exists():
            probe = subprocess.run(
                [python, "-c", "import bertopic"], capture_output=True, check=False
            )
            if probe.returncode == 0:
                return python
    return None


# -- the benchmark -----------------------------------------------------------------------------


def embed(texts: list[str], cache_dir: Path | None, source: Path) -> tuple[np.ndarray, float]:
    """MiniLM vectors of each statement's theme_text (cached as .npy when asked)."""
    from qualseg.embed import default_embedder, text_hash
    from qualseg.theme_text import theme_text

    cleaned = [theme_text(t) for t in texts]
    cache = None
    if cache_dir:
        cache_dir.mkdir(parents=True, exist_ok=True)
        cache = cache_dir / f"{source.stem}-{text_hash(chr(10).join(cleaned))[:16]}.npy"
        if cache.is_file():
            return np.load(cache), 0.0
    start = time.perf_counter()
    vectors = default_embedder().encode(cleaned, batch_size=64)
    seconds = time.perf_counter() - start
    if cache:
        np.save(cache, vectors)
    return vectors, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="category")
    parser.add_argument("--split", default="halves", choices=("all", "tune", "held-out", "halves"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--granularity", default="fine", choices=("coarse", "medium", "fine"))
    parser.add_argument("--repeat", type=int, default=1, help="BERTopic fits per split")
    parser.add_argument("--bertopic-python", help="an interpreter that can import bertopic")
    parser.add_argument("--vectors-cache", type=Path, help="keep the vectors here as .npy")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    texts, truth = read_labelled(args.data, args.text_column, args.label_column)
    vectors, embed_s = embed(texts, args.vectors_cache, args.data)
    print(f"{args.data.name}: {len(texts)} statements, {len(set(truth))} labels; "
          f"embedded in {embed_s:.1f} s (shared by both systems, not in their times)")  # fmt: skip
    python = bertopic_python(args.bertopic_python)
    if python is None:
        print("BERTopic: not importable here nor in /work/bench-venv; qualseg alone. "
              "Install it in a separate venv (see benchmarks/README.md) or pass --bertopic-python.")  # fmt: skip
    splits = ["tune", "held-out"] if args.split == "halves" else [args.split]
    figures: dict[str, dict] = {}
    header = f"{'split':9} {'system':10} {'NMI':>5} {'ARI':>5} {'ACC':>5} {'unass%':>6} "
    header += f"{'themes':>6} {'time s':>7} {'peak MB':>7}"
    print(header)
    for split in splits:
        rows = split_rows(truth, split)
        with tempfile.TemporaryDirectory(prefix="bench-statements-") as tmp:
            vector_file = Path(tmp) / "vectors.npy"
            np.save(vector_file, vectors[rows])
            job = {
                "texts": [texts[i] for i in rows],
                "vectors": str(vector_file),
                "seed": args.seed,
                "granularity": args.granularity,
            }
            sub_truth = [truth[i] for i in rows]
            runs = [("qualseg", sys.executable)]
            if python:
                runs += [("bertopic", python)] * args.repeat
            for n, (system, interpreter) in enumerate(runs):
                result = run_worker(interpreter, system, job)
                row = {
                    **scores(sub_truth, result["assignment"]),
                    "seconds": result["seconds"],
                    "peak_rss_mb": result["peak_rss_mb"],
                }
                key = system if system == "qualseg" else f"bertopic-{n}"
                figures.setdefault(split, {})[key] = row
                if system == "qualseg":
                    figures[split]["qualseg_labels"] = result["labels"]
                print(f"{split:9} {system:10} {row['nmi']:5.1f} {row['ari']:5.1f} "
                      f"{row['acc']:5.1f} {row['unassigned_pct']:6.1f} {row['themes']:6d} "
                      f"{row['seconds']:7.1f} {row['peak_rss_mb']:7d}", flush=True)  # fmt: skip
    for split in splits:
        labels = figures[split]["qualseg_labels"]
        print(f"\nqualseg's {len(labels)} labels on {split}, largest theme first:")
        print("; ".join(labels))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        raise SystemExit(worker_main(*sys.argv[2:]))
    raise SystemExit(main())
