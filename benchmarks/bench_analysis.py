#!/usr/bin/env python
"""Analysis benchmark: speed, memory and quality of qualseg beside plain embedding and BERTopic.

    python benchmarks/bench_analysis.py [--quick] [--out benchmarks/out/]

Every scenario runs in its own fresh Python process (so "cold" is really cold and the peak RSS,
``resource.getrusage().ru_maxrss``, belongs to that scenario alone) and writes one JSON file;
this process only prepares the data, starts the scenarios one after another and prints the
figures. Nothing here asserts on time: it measures and prints. See benchmarks/README.md.

Scenarios (all on the sample study, imported into a temporary workspace):
    setup      import the sample study, list the excerpt texts, generate and import the scaled study
    bare       load the bundled model and embed the analysis's excerpt texts (the reference cost)
    cold       run_analysis on a fresh project in a fresh process (model and spaCy loads included)
    warm       the same project again in a new process (embeddings cached in the project store)
    seeds      qualseg with seeds 1..5 on the warm project: segment ARI against gold per seed
    bertopic   BERTopic() on the same need+outcome excerpts and embeddings, fitted 5 times
    scale      the Nx study (perturbed variants of the sample, labelled-text files), analyzed cold
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # heavy imports stay inside the workers
    from collections.abc import Sequence

    import numpy as np

T_PROCESS = time.perf_counter()  # a worker's clock starts before any heavy import

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE_DIR = ROOT / "sample_transcripts"
GOLD_FILE = SAMPLE_DIR / "gold.json"
MODEL = "all-MiniLM-L6-v2"
SPLITS = ("tune", "holdout")
GOALS = {
    "cold_over_bare": 1.5,  # at most
    "warm_over_cold": 0.2,  # below
    "peak_rss_mb": 1500,  # below
}


# ---------------------------------------------------------------------------------------------
# helpers used by the workers (imports of qualseg happen inside functions: a worker's clock must
# see them)


def _peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _cpu_s() -> float:
    """CPU seconds (user + system) this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


def _project(state: dict) -> str:
    """The sample-study project of this repetition (each repetition has its own fresh one)."""
    return f"{state['project']}-{state.get('r', 0)}"


def _scaled_project(state: dict) -> str:
    return f"{state['scaled_project']}-{state.get('r', 0)}"


def _open(state: dict, project: str):  # noqa: ANN202 - ProjectStore, imported lazily
    from qualseg.store import Workspace

    return Workspace(state["workspace"]).open(project)


def _texts_of(store) -> dict[str, str]:  # noqa: ANN001
    return {t.source: store.load_transcript(t.id).text for t in store.transcripts()}


def _gold() -> dict:
    return json.loads(GOLD_FILE.read_text("utf-8"))["files"]


def _gold_files(gold: dict, split: str) -> set[str]:
    return {f for f, entry in gold.items() if entry["split"] == split}


def _counting_embedder():  # noqa: ANN202
    """The real embedder, counting what it encodes and timing its (lazy) model load."""
    from qualseg.embed import SentenceTransformerEmbedder

    class CountingEmbedder(SentenceTransformerEmbedder):
        def __init__(self) -> None:
            super().__init__(MODEL)
            self.encode_calls = 0
            self.encoded_texts = 0
            self.encode_s = 0.0
            self.model_load_s: float | None = None  # None: the model was never needed

        def encode(self, texts, *, batch_size: int = 64):  # noqa: ANN001, ANN202
            if texts and "_model" not in self.__dict__:
                start = time.perf_counter()
                self._model  # noqa: B018 - forces the lazy load
                self.model_load_s = round(time.perf_counter() - start, 3)
            start = time.perf_counter()
            out = super().encode(texts, batch_size=batch_size)
            self.encode_s += time.perf_counter() - start
            self.encode_calls += 1
            self.encoded_texts += len(texts)
            return out

        def figures(self) -> dict:
            return {
                "model_load_s": self.model_load_s,
                "encode_calls": self.encode_calls,
                "encoded_texts": self.encoded_texts,
                "encode_s": round(self.encode_s, 3),
            }

    return CountingEmbedder()


def _time_spacy_loads() -> dict:
    """Wrap qualseg's spaCy loaders (benchmark-local) so the first load of each is timed."""
    import qualseg.describe
    import qualseg.excerpts

    timings: dict[str, float] = {}

    def timed(name: str, loader):  # noqa: ANN001, ANN202
        def wrapper():  # noqa: ANN202
            if name not in timings:
                start = time.perf_counter()
                nlp = loader()
                timings[name] = round(time.perf_counter() - start, 3)
                return nlp
            return loader()

        return wrapper

    qualseg.describe.load_pipeline = timed(
        "spacy_full_pipeline_load_s", qualseg.describe.load_pipeline
    )
    qualseg.excerpts.load_sentencizer = timed(
        "spacy_sentencizer_load_s", qualseg.excerpts.load_sentencizer
    )

    import qualseg.analysis

    phrases = qualseg.describe.candidate_phrases

    def timed_phrases(texts):  # noqa: ANN001, ANN202 - the spaCy parse of excerpt texts
        start = time.perf_counter()
        out = phrases(texts)
        timings["candidate_phrases_s"] = round(
            timings.get("candidate_phrases_s", 0.0) + time.perf_counter() - start, 3
        )
        timings["parsed_texts"] = timings.get("parsed_texts", 0) + len(texts)
        return out

    timings.update(candidate_phrases_s=0.0, parsed_texts=0)
    qualseg.describe.candidate_phrases = timed_phrases  # called by describe.cached_phrases
    if hasattr(qualseg.analysis, "candidate_phrases"):  # older code imported it by name
        qualseg.analysis.candidate_phrases = timed_phrases
    return timings


def _timed_run(store, config, embedder) -> tuple[dict, float]:  # noqa: ANN001
    from qualseg.running import run_analysis

    start = time.perf_counter()
    _run_id, report = run_analysis(store, config, embedder=embedder)
    return report, round(time.perf_counter() - start, 3)


def _need_rows(report: dict) -> list[dict]:
    return [e for e in report["excerpts"] if {"need", "outcome"} & set(e["kinds"])]


def _pid(ref: str) -> int:
    return int(ref.lstrip("P"))


def _segments_ari(report: dict, segment_of: dict[int, str], gold: dict) -> dict[str, float]:
    """Segment ARI per split of a participant -> segment mapping, scored like qualseg's own."""
    from evaluation.sample_splits import segment_ari

    fake = {
        "participants": [
            {**p, "segment": segment_of.get(_pid(p["id"]))} for p in report["participants"]
        ]
    }
    return {split: segment_ari(fake, gold, _gold_files(gold, split)) for split in SPLITS}


def _pairwise_ari(labelings: list[list]) -> dict[str, float | None]:
    from itertools import combinations

    from sklearn.metrics import adjusted_rand_score

    values = [float(adjusted_rand_score(a, b)) for a, b in combinations(labelings, 2)]
    if not values:
        return {"mean": None, "min": None}
    return {"mean": round(sum(values) / len(values), 4), "min": round(min(values), 4)}


def _spread(values: list[float]) -> dict[str, float]:
    import statistics

    return {
        "mean": round(statistics.fmean(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
        "stdev": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
    }


# ---------------------------------------------------------------------------------------------
# workers


def worker_setup(state: dict) -> dict:
    """Import the sample study, list its excerpt texts, generate and import the scaled study."""
    from qualseg.analysis import study_excerpts
    from qualseg.config import AnalysisConfig
    from qualseg.running import study_from_store
    from qualseg.service import import_directory
    from qualseg.store import Workspace

    workspace = Workspace(state["workspace"])
    out: dict = {}
    start = time.perf_counter()
    for r in range(state["repeat"]):  # one fresh project per repetition of the cold run
        store = workspace.open(f"{state['project']}-{r}", create=True)
        report = import_directory(store, SAMPLE_DIR)
        if report.failed:
            raise SystemExit(f"sample import failed: {report.failed}")
        out.setdefault("import_1x_s", round(time.perf_counter() - start, 3))

    config = AnalysisConfig()
    study = study_from_store(store)
    texts = [e.text for e in study_excerpts(study, config)]
    Path(state["texts_file"]).write_text(json.dumps(texts), "utf-8")
    out["excerpts_1x"] = len(texts)
    out["participants_1x"] = len(study.participants)

    folder = Path(state["scaled_dir"])
    out["scaled"] = write_scaled_study(store, folder, state["scale"], seed=7)
    for r in range(state["repeat"]):
        start = time.perf_counter()
        scaled = workspace.open(f"{state['scaled_project']}-{r}", create=True)
        report = import_directory(scaled, folder)
        if report.failed:
            raise SystemExit(f"scaled import failed: {report.failed}")
        out.setdefault("import_scaled_s", round(time.perf_counter() - start, 3))
    out["scaled"]["participants"] = len(scaled.participants())
    return out


def worker_bare(state: dict) -> dict:
    """Load the bundled model (fresh) and embed exactly the analysis's excerpt texts."""
    texts = json.loads(Path(state["texts_file"]).read_text("utf-8"))
    start = time.perf_counter()
    from qualseg.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(MODEL)
    embedder._model  # noqa: B018 - the load, timed on its own
    loaded = time.perf_counter()
    vectors = embedder.encode(texts, batch_size=64)
    done = time.perf_counter()
    return {
        "texts": len(texts),
        "unique_texts": len(set(texts)),
        "dim": int(vectors.shape[1]),
        "import_and_load_s": round(loaded - start, 3),
        "encode_s": round(done - loaded, 3),
        "total_s": round(done - start, 3),
        "since_process_start_s": round(done - T_PROCESS, 3),
        "cpu_s": _cpu_s(),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _analysis_worker(state: dict, project: str, *, evaluate_it: bool, report_name: str) -> dict:
    """One run_analysis in this fresh process, with imports, loads and stages timed."""
    start = time.perf_counter()
    from qualseg.config import AnalysisConfig
    from qualseg.running import run_analysis  # noqa: F401 - its import is part of the cost

    imported = time.perf_counter()
    spacy_loads = _time_spacy_loads()
    store = _open(state, project)
    embedder = _counting_embedder()
    report, run_s = _timed_run(store, AnalysisConfig(), embedder)
    done = time.perf_counter()
    out = {
        "import_s": round(imported - start, 3),
        "run_s": run_s,
        "total_s": round(done - start, 3),
        "since_process_start_s": round(done - T_PROCESS, 3),
        "stage_seconds": report["run"]["stage_seconds"],
        "outside_stages_s": round(run_s - sum(report["run"]["stage_seconds"].values()), 3),
        **spacy_loads,
        **embedder.figures(),
        "excerpts": len(report["excerpts"]),
        "participants": len(report["participants"]),
        "cpu_s": _cpu_s(),
        "peak_rss_mb": _peak_rss_mb(),
    }
    out["total_excluding_model_load_s"] = round(out["total_s"] - (out["model_load_s"] or 0.0), 3)
    Path(state["out"], report_name).write_text(json.dumps(report), "utf-8")
    if evaluate_it:  # after the measurements: not part of the cost
        from evaluation.sample_splits import evaluate, study_figures

        scores = evaluate(report, _gold(), _texts_of(store))
        out["quality"] = {
            "splits": {split: s.as_dict() for split, s in scores.items()},
            "study_figures": study_figures(report),
            "need_themes": sum(1 for t in report["themes"] if t["lens"] == "need"),
            "unassigned_need": report["measures"].get("unassigned_need"),
            "need_excerpts": len(_need_rows(report)),
        }
    return out


def worker_cold(state: dict) -> dict:
    return _analysis_worker(
        state, _project(state), evaluate_it=True, report_name=f"report_cold_{state['r']}.json"
    )


def worker_warm(state: dict) -> dict:
    out = _analysis_worker(
        state, _project(state), evaluate_it=False, report_name=f"report_warm_{state['r']}.json"
    )
    # Same process again: what re-running costs inside a long-lived process (the app).
    from qualseg.config import AnalysisConfig
    from qualseg.embed import default_embedder

    store = _open(state, _project(state))
    _report, hot_s = _timed_run(store, AnalysisConfig(), default_embedder(MODEL))
    out["hot_rerun_s"] = hot_s
    # The model load a warm run would pay if it needed the model (it only does on cache misses).
    start = time.perf_counter()
    default_embedder(MODEL)._model  # noqa: B018
    out["model_load_if_needed_s"] = round(time.perf_counter() - start, 3)
    return out


def worker_scale(state: dict) -> dict:
    return _analysis_worker(
        state,
        _scaled_project(state),
        evaluate_it=False,
        report_name=f"report_scaled_{state['r']}.json",
    )


def worker_seeds(state: dict) -> dict:
    """qualseg with seeds 1..n on the warm project: segment ARI against gold, and agreement."""
    from evaluation.sample_splits import evaluate
    from qualseg.config import AnalysisConfig
    from qualseg.embed import default_embedder

    store = _open(state, _project(state))
    gold, texts = _gold(), _texts_of(store)
    runs, segmentations, need_labelings = [], [], []
    for seed in state["seeds"]:
        report, run_s = _timed_run(store, AnalysisConfig(seed=seed), default_embedder(MODEL))
        scores = evaluate(report, gold, texts)
        need_theme = {t["id"] for t in report["themes"] if t["lens"] == "need"}
        rows = sorted(_need_rows(report), key=lambda e: e["id"])
        need_labelings.append(
            [next((t for t in e["themes"] if t in need_theme), "none") for e in rows]
        )
        people = sorted(report["participants"], key=lambda p: p["id"])
        segmentations.append([p["segment"] or "none" for p in people])
        runs.append(
            {
                "seed": seed,
                "run_s": run_s,
                "segment_ari": {split: scores[split].segment_ari for split in SPLITS},
                "segments": len(report["segments"]),
                "need_themes": len(need_theme),
                "unassigned_need": report["measures"].get("unassigned_need"),
            }
        )
    return {
        "runs": runs,
        "segment_ari": {s: _spread([r["segment_ari"][s] for r in runs]) for s in SPLITS},
        "pairwise_segment_ari": _pairwise_ari(segmentations),
        "pairwise_need_theme_ari": _pairwise_ari(need_labelings)
        if len({len(x) for x in need_labelings}) == 1
        else None,
        "peak_rss_mb": _peak_rss_mb(),
    }


# -- topic-share profiles: how segments were found before consensus discovery; kept here so that
# BERTopic's topics and qualseg's themes can be compared as a basis for segments ----------------


def _topic_profiles(
    participants: Sequence[int],
    theme_labels: np.ndarray,
    vectors: np.ndarray,
    *,
    theme_weight: float = 0.5,
) -> tuple[list[int], np.ndarray]:
    """One row per participant: needs-theme shares blended with the mean needs-excerpt vector."""
    import math

    import numpy as np

    people = sorted(set(participants))
    themes = sorted(set(theme_labels.tolist()) - {-1})
    index = {p: i for i, p in enumerate(people)}
    shares = np.zeros((len(people), max(len(themes), 1)))
    centres = np.zeros((len(people), vectors.shape[1]))
    for row, (person, theme) in enumerate(zip(participants, theme_labels.tolist(), strict=True)):
        centres[index[person]] += vectors[row]
        if theme != -1:
            shares[index[person], themes.index(theme)] += 1
    shares = _unit_rows(shares)
    centres = _unit_rows(centres)
    return people, np.hstack(
        [math.sqrt(theme_weight) * shares, math.sqrt(1 - theme_weight) * centres]
    )


def _fit_topic_segments(
    people: list[int], profiles: np.ndarray, *, max_segments: int = 6
) -> tuple[dict[int, int], int]:
    """Choose k by silhouette and group participants into k segments."""
    from collections import Counter

    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = len(people)
    if n < 4:
        return {p: 0 for p in people}, 1
    scores: dict[int, float] = {}
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(2, min(max_segments, n // 2) + 1):
        labels = AgglomerativeClustering(
            n_clusters=k, metric="cosine", linkage="average"
        ).fit_predict(profiles)
        if min(Counter(labels.tolist()).values()) < 2:
            continue
        score = float(silhouette_score(profiles, labels, metric="cosine"))
        scores[k] = round(score, 4)
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    if best is None:
        return {p: 0 for p in people}, 1
    labels = _renumber(best[2])
    return dict(zip(people, labels.tolist(), strict=True)), best[1]


def _unit_rows(m: np.ndarray) -> np.ndarray:

    import numpy as np

    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Segments numbered by size, largest first, ties by first member."""

    import numpy as np

    order = sorted(
        set(labels.tolist()), key=lambda s: (-int((labels == s).sum()), int(np.argmax(labels == s)))
    )
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping[s] for s in labels.tolist()])


def worker_bertopic(state: dict) -> dict:
    """BERTopic() on qualseg's need+outcome excerpts, with the vectors cached by the warm run."""
    import numpy as np

    from qualseg.config import AnalysisConfig
    from qualseg.embed import text_hash

    report = json.loads(Path(state["out"], f"report_cold_{state['r']}.json").read_text("utf-8"))
    rows = _need_rows(report)
    people = [_pid(e["participant"]) for e in rows]
    store = _open(state, _project(state))
    # BERTopic gets the texts qualseg embedded: pseudonymised when the project is (the default)
    from qualseg.privacy import pseudonymisation_enabled, pseudonymiser_for

    hide = pseudonymiser_for(store).apply if pseudonymisation_enabled(store) else str
    docs = [hide(e["text"]) for e in rows]
    hashes = [text_hash(t) for t in docs]
    cached = store.get_embeddings(MODEL, hashes)
    missing = [h for h in hashes if h not in cached]
    if len(missing) > len(hashes) // 10:
        raise SystemExit(f"{len(missing)} need excerpts have no cached vector: run 'warm' first")
    if missing:  # a name cut by an excerpt boundary reads differently alone: embed those few
        from qualseg.embed import default_embedder

        todo = sorted(set(missing))
        by_hash = dict(zip(hashes, docs, strict=True))
        fresh = default_embedder(MODEL).encode([by_hash[h] for h in todo])
        cached |= dict(zip(todo, fresh, strict=True))
    vectors = np.stack([cached[h] for h in hashes]).astype(np.float32)
    gold = _gold()
    max_segments = AnalysisConfig().max_segments

    def segment_scores(labels: np.ndarray, theme_weight: float) -> tuple[dict, dict, int]:
        who, profiles = _topic_profiles(people, labels, vectors, theme_weight=theme_weight)
        fitted, k = _fit_topic_segments(who, profiles, max_segments=max_segments)
        segment_of = {p: f"S{s + 1}" for p, s in fitted.items()}
        return _segments_ari(report, segment_of, gold), segment_of, k

    # Which signal finds the segments? qualseg's own need themes, scored with theme shares only,
    # and a baseline without any themes (the centre of each participant's needs excerpts only).
    need_theme = sorted({t["id"] for t in report["themes"] if t["lens"] == "need"})
    qualseg_labels = np.array(
        [next((need_theme.index(t) for t in e["themes"] if t in need_theme), -1) for e in rows]
    )
    no_themes = np.full(len(rows), -1)
    profiles_check = {
        "qualseg_themes_blended": segment_scores(qualseg_labels, 0.5)[0],
        "qualseg_themes_only": segment_scores(qualseg_labels, 1.0)[0],
        "centres_only_no_themes": segment_scores(no_themes, 0.0)[0],
    }

    start = time.perf_counter()
    from bertopic import BERTopic

    import_s = round(time.perf_counter() - start, 3)
    runs, segmentations, labelings = [], [], []
    for n in range(state["bertopic_runs"]):
        start = time.perf_counter()
        model = BERTopic()  # default settings; embedding_model=None, vectors given to fit
        topics, _probs = model.fit_transform(docs, embeddings=vectors)
        fit_s = round(time.perf_counter() - start, 3)
        labels = np.asarray(topics)
        labelings.append(labels.tolist())
        ari, segment_of, k = segment_scores(labels, 0.5)  # the same profiles as qualseg's
        everyone = sorted(_pid(p["id"]) for p in report["participants"])
        segmentations.append([segment_of.get(p, "none") for p in everyone])
        topic_people = {}
        for label, person in zip(labels.tolist(), people, strict=True):
            if label != -1:
                topic_people.setdefault(label, set()).add(person)
        runs.append(
            {
                "run": n + 1,
                "fit_s": fit_s,
                "topics": len(set(labels.tolist()) - {-1}),
                "outlier_share": round(float((labels == -1).mean()), 4),
                "single_participant_topics": sum(1 for v in topic_people.values() if len(v) < 2),
                "segments": k,
                "segment_ari": ari,
                "segment_ari_topics_only": segment_scores(labels, 1.0)[0],
            }
        )
    fits = [r["fit_s"] for r in runs]
    return {
        "docs": len(docs),
        "participants": len(set(people)),
        "import_s": import_s,
        "runs": runs,
        "fit_s": _spread(fits),
        "first_fit_s": fits[0],
        "later_fits_mean_s": round(sum(fits[1:]) / len(fits[1:]), 3) if len(fits) > 1 else None,
        "topics": _spread([r["topics"] for r in runs]),
        "outlier_share": _spread([r["outlier_share"] for r in runs]),
        "segment_ari": {s: _spread([r["segment_ari"][s] for r in runs]) for s in SPLITS},
        "segment_ari_topics_only": {
            s: _spread([r["segment_ari_topics_only"][s] for r in runs]) for s in SPLITS
        },
        "pairwise_segment_ari": _pairwise_ari(segmentations),
        "pairwise_topic_ari": _pairwise_ari(labelings),
        "profile_check": profiles_check,
        "peak_rss_mb": _peak_rss_mb(),
        "versions": _versions("bertopic", "umap-learn", "hdbscan", "numba"),
    }


def _versions(*names: str) -> dict[str, str]:
    from importlib import metadata

    return {n: metadata.version(n) for n in names}


WORKERS = {
    "setup": worker_setup,
    "bare": worker_bare,
    "cold": worker_cold,
    "warm": worker_warm,
    "seeds": worker_seeds,
    "bertopic": worker_bertopic,
    "scale": worker_scale,
}


# ---------------------------------------------------------------------------------------------
# the scaled study: each transcript as N perturbed labelled-text variants


def _listed(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST = _listed(
    "Ada Ben Carla Dev Elena Farid Gita Hugo Ines Jonas Kira Luis Mira Nils Omar Paula Quinn "
    "Rosa Sven Tara Umar Vera Wes Yara Zane"
)
_LAST = _listed(
    "Abbott Brandt Castro Dahl Eklund Fontaine Gallo Haas Ibsen Jansen Kowal Lund Moreau "
    "Nakamura Ortega Petrov Quist Rossi Sato Thorne Ueda Varga Weber Young Zeller"
)
_ADVERBS = _listed("really actually basically just definitely genuinely certainly frankly")
_SYNONYMS = {
    "big": ["large", "huge"],
    "huge": ["massive", "big"],
    "lot": ["ton", "great deal"],
    "very": ["really", "extremely"],
    "think": ["guess", "believe"],
    "company": ["business", "firm"],
    "team": ["group", "crew"],
    "problem": ["issue", "headache"],
    "issue": ["problem"],
    "fast": ["quickly", "quick"],
    "hard": ["difficult", "tough"],
    "want": ["need"],
    "wanted": ["needed"],
    "people": ["folks", "staff"],
    "every": ["each"],
    "month": ["period"],
    "basically": ["essentially"],
    "really": ["truly", "very"],
    "honestly": ["frankly"],
    "got": ["had"],
    "saw": ["noticed"],
    "important": ["critical", "key"],
    "money": ["cash"],
}
_NUMBER_WORDS = _listed(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty"
)


def _vary_numbers(text: str, rng) -> str:  # noqa: ANN001 - random.Random
    import re

    def digits(match: re.Match[str]) -> str:
        value = int(match.group(0))
        if 1990 <= value <= 2035:  # a year: stays a plausible year
            return str(value + rng.choice((-1, 0, 0, 1)))
        return str(max(1, round(value * rng.uniform(0.6, 1.5))))

    def word(match: re.Match[str]) -> str:
        if rng.random() >= 0.5:
            return match.group(0)
        new = rng.choice(_NUMBER_WORDS)
        return new.capitalize() if match.group(0)[0].isupper() else new

    text = re.sub(r"(?<![\d.,])\d{1,6}(?![\d.,]\d)", digits, text)
    return re.sub(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", word, text, flags=re.IGNORECASE)


def _reword(sentence: str, rng) -> str:  # noqa: ANN001
    """A small change of wording that keeps the meaning: a synonym or an inserted adverb."""
    words = sentence.split(" ")
    swappable = [i for i, w in enumerate(words) if w.lower() in _SYNONYMS]
    if swappable and rng.random() < 0.5:
        i = rng.choice(swappable)
        new = rng.choice(_SYNONYMS[words[i].lower()])
        words[i] = new.capitalize() if words[i][0].isupper() else new
    elif len(words) > 4:
        words.insert(rng.randrange(2, len(words) - 1), rng.choice(_ADVERBS))
    return " ".join(words)


def _perturb(text: str, rng) -> str:  # noqa: ANN001
    """Perturb a participant turn: reword most sentences, swap, drop or repeat a few, vary numbers.

    Most sentences change a little in every variant, so the scaled study's excerpts are (nearly
    all) distinct texts: the embedding cache cannot dedupe its way through the scaled study.
    """
    import re

    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    out: list[str] = []
    for sentence in sentences:
        roll = rng.random()
        if roll < 0.08 and len(sentences) > 2:
            continue  # dropped
        out.append(_reword(sentence, rng) if rng.random() < 0.85 else sentence)
        if roll > 0.95:
            out.append(sentence)  # repeated, as people do
    for i in range(len(out) - 1):
        if rng.random() < 0.12:
            out[i], out[i + 1] = out[i + 1], out[i]
    return _vary_numbers(" ".join(out or sentences), rng)


def write_scaled_study(store, folder: Path, factor: int, *, seed: int) -> dict:  # noqa: ANN001
    """Write ``factor`` perturbed variants of every transcript as labelled-text .txt files."""
    import csv
    import random

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"{a} {b}" for a in _FIRST for b in _LAST]
    rng.shuffle(names)
    with (SAMPLE_DIR / "participants.csv").open(encoding="utf-8", newline="") as fh:
        metadata = {row["file"]: row for row in csv.DictReader(fh)}
    rows, files, words = [], 0, 0
    for stored in store.transcripts():
        transcript = store.load_transcript(stored.id)
        participants = [s for s, role in transcript.roles.items() if role == "participant"]
        stem = Path(stored.source).stem.replace(" ", "_")
        for variant in range(factor):
            rename = {label: names.pop() for label in participants}
            lines = []
            for u in transcript.utterances:
                speech = " ".join(u.text_in(transcript.text).split())
                if not speech:
                    continue
                role = transcript.roles.get(u.speaker)
                if role == "participant":
                    lines.append(f"{rename[u.speaker]}: {_perturb(speech, rng)}")
                    words += len(speech.split())
                elif role == "interviewer":
                    lines.append(f"Interviewer: {speech}")
                else:
                    lines.append(f"{u.speaker}: {speech}")
            name = f"{stem}_v{variant + 1:02d}.txt"
            (folder / name).write_text("\n\n".join(lines) + "\n", "utf-8")
            files += 1
            if stored.source in metadata:
                row = dict(metadata[stored.source])
                row["file"], row["participant"] = name, next(iter(rename.values()))
                rows.append(row)
    if rows:
        with (folder / "participants.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return {"factor": factor, "files": files, "participant_words": words}


# ---------------------------------------------------------------------------------------------
# the orchestrating process


def _busy_cpu_s() -> float | None:
    """CPU seconds the whole machine has been busy since boot (Linux /proc/stat), else None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields[:8]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_for_quiet(max_wait_s: float, *, window_s: float = 3.0, cores: float = 0.15) -> dict:
    """Wait (at most max_wait_s) until other processes use under ``cores`` CPUs on average.

    On a shared machine another job (a test run) halves the speed of torch's threads and makes
    the wall times meaningless; this waits for a quiet moment instead of measuring through it.
    """
    start = time.perf_counter()
    said = -1
    while True:
        before = _busy_cpu_s()
        if before is None:
            return {"waited_s": 0.0, "busy_cores": None}
        time.sleep(window_s)
        busy = ((_busy_cpu_s() or before) - before) / window_s
        waited = time.perf_counter() - start
        if busy < cores or waited >= max_wait_s:
            if busy >= cores:
                print(
                    f"[bench] machine still busy ({busy:.2f} CPUs), measuring anyway",
                    file=sys.stderr,
                )
            return {"waited_s": round(waited, 1), "busy_cores": round(busy, 2)}
        if int(waited // 30) > said:  # one line per half minute
            said = int(waited // 30)
            print(
                f"[bench] machine busy ({busy:.2f} CPUs used by others), waiting", file=sys.stderr
            )


def source_digest() -> str:
    """sha256 over qualseg/'s Python and data files: ties the figures to the code measured."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "qualseg").rglob("*")):
        if path.is_file() and path.suffix in {".py", ".jsonl", ".json", ".txt"}:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def git_head() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def run_worker(
    name: str, state_file: Path, out: Path, *, r: int = 0, quiet_wait_s: float = 0.0
) -> dict:
    """Run one scenario in a fresh interpreter; its JSON result plus what was seen from here.

    Besides the wall time, this records the scenario's own CPU seconds and the CPU seconds that
    *other* processes used meanwhile (``other_cpu_s``): on a shared machine a large value means
    the scenario's wall times were inflated by contention and should be rerun.
    """
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    quiet = wait_for_quiet(quiet_wait_s) if quiet_wait_s > 0 else None
    print(f"[bench] {name} #{r + 1} ...", file=sys.stderr, flush=True)
    busy0, child0 = _busy_cpu_s(), _children_cpu_s()
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--repeat-index",
            str(r),
            "--worker",
            name,
            "--state",
            str(state_file),
        ],
        env=env,
        check=True,
    )
    wall = round(time.perf_counter() - start, 3)
    busy1, child1 = _busy_cpu_s(), _children_cpu_s()
    result = json.loads((out / f"scenario_{name}_{r}.json").read_text("utf-8"))
    result["process_wall_s"] = wall
    result["process_cpu_s"] = round(child1 - child0, 2)
    if quiet is not None:
        result["before_start"] = quiet
    if busy0 is not None and busy1 is not None:
        result["other_cpu_s"] = round(max(0.0, (busy1 - busy0) - (child1 - child0)), 2)
    note = f", other processes used {result.get('other_cpu_s', '?')} CPU s meanwhile"
    print(f"[bench] {name} #{r + 1} done in {wall:.1f} s{note}", file=sys.stderr, flush=True)
    return result


def fastest(runs: list[dict]) -> dict:
    """The fastest repetition of a scenario (the least disturbed one), with all of them listed.

    Peak RSS is the largest over the repetitions, not the fastest one's.
    """
    best = dict(min(runs, key=lambda run: run["total_s"]))
    keys = ("total_s", "run_s", "cpu_s", "other_cpu_s", "peak_rss_mb")
    best["repeats"] = [{k: run.get(k) for k in keys if k in run} for run in runs]
    best["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
    return best


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def summarize(r: dict) -> dict:
    """The side-by-side figures: ratios against the goals, quality beside BERTopic, scaling."""
    bare, cold, warm = r["bare"], r["cold"], r["warm"]
    seeds, bert, scale = r["seeds"], r["bertopic"], r["scale"]
    factor = r["setup"]["scaled"]["factor"]
    quality = cold["quality"]
    peak = max(bare["peak_rss_mb"], cold["peak_rss_mb"], warm["peak_rss_mb"])
    return {
        "cold_over_bare": _ratio(cold["total_s"], bare["total_s"]),
        "warm_over_cold": _ratio(warm["total_s"], cold["total_s"]),
        "cold_over_bare_cpu_seconds": _ratio(cold["cpu_s"], bare["cpu_s"]),
        "warm_over_cold_cpu_seconds": _ratio(warm["cpu_s"], cold["cpu_s"]),
        "warm_excluding_model_load_over_cold": _ratio(
            warm["total_excluding_model_load_s"], cold["total_s"]
        ),
        "warm_run_only_over_cold_run_only": _ratio(warm["run_s"], cold["run_s"]),
        "peak_rss_mb_1x": peak,
        "peak_rss_mb_scaled": scale["peak_rss_mb"],
        "scaled_over_1x_time": _ratio(scale["total_s"], cold["total_s"]),
        "scaled_over_1x_run_only": _ratio(scale["run_s"], cold["run_s"]),
        "scaled_over_1x_rss": _ratio(scale["peak_rss_mb"], cold["peak_rss_mb"]),
        "scaled_over_1x_excerpts": _ratio(scale["excerpts"], cold["excerpts"]),
        "scale_factor": factor,
        "goals_met": {
            "cold_over_bare<=1.5": _ratio(cold["total_s"], bare["total_s"])
            <= GOALS["cold_over_bare"],
            "warm_over_cold<0.2": _ratio(warm["total_s"], cold["total_s"])
            < GOALS["warm_over_cold"],
            "peak_rss_mb<1500": peak < GOALS["peak_rss_mb"],
        },
        "quality": {
            "qualseg": {
                "segment_ari": {s: quality["splits"][s]["segment_ari"] for s in SPLITS},
                "segment_ari_seeds": seeds["segment_ari"],
                "pairwise_segment_ari_seeds": seeds["pairwise_segment_ari"],
                "segment_ari_themes_only": bert["profile_check"]["qualseg_themes_only"],
                "segment_ari_no_themes_baseline": bert["profile_check"]["centres_only_no_themes"],
                "need_themes": quality["need_themes"],
                "unassigned_need": quality["unassigned_need"],
            },
            "bertopic": {
                "segment_ari": bert["segment_ari"],
                "segment_ari_topics_only": bert["segment_ari_topics_only"],
                "pairwise_segment_ari_runs": bert["pairwise_segment_ari"],
                "topics": bert["topics"],
                "outlier_share": bert["outlier_share"],
            },
        },
    }


def print_table(r: dict, s: dict) -> None:
    bare, cold, warm, bert, scale = r["bare"], r["cold"], r["warm"], r["bertopic"], r["scale"]
    q, b = s["quality"]["qualseg"], s["quality"]["bertopic"]
    factor = s["scale_factor"]

    def ok(flag: bool) -> str:
        return "met" if flag else "MISSED"

    def sp(d: dict) -> str:
        return f"{d['mean']:.3f} [{d['min']:.3f}..{d['max']:.3f}]"

    def every(scenario: dict) -> str:
        runs = scenario.get("repeats", [])
        if len(runs) < 2:
            return ""
        return "fastest of " + ", ".join(f"{run['total_s']:.1f}" for run in runs)

    def pair(d: dict) -> str:
        return f"{d['tune']:.3f} | {d['holdout']:.3f}"

    lines = [
        ("figure", "value", "goal"),
        ("bare: model load + embed (s)", f"{bare['total_s']:.1f}", every(bare)),
        ("cold: fresh process + run_analysis (s)", f"{cold['total_s']:.1f}", every(cold)),
        ("warm: new process, cached embeddings (s)", f"{warm['total_s']:.1f}", every(warm)),
        (
            "cold / bare",
            f"{s['cold_over_bare']:.2f}",
            f"<= 1.5  {ok(s['goals_met']['cold_over_bare<=1.5'])}",
        ),
        (
            "warm / cold",
            f"{s['warm_over_cold']:.2f}",
            f"< 0.2  {ok(s['goals_met']['warm_over_cold<0.2'])}",
        ),
        (
            "same ratios in CPU seconds: cold/bare | warm/cold",
            f"{s['cold_over_bare_cpu_seconds']:.2f} | {s['warm_over_cold_cpu_seconds']:.2f}",
            "(less sensitive to other jobs)",
        ),
        (
            "warm excl. model load / cold",
            f"{s['warm_excluding_model_load_over_cold']:.2f}",
            "(model loaded in warm run)"
            if warm["model_load_s"] is not None
            else "(warm run never loaded the model)",
        ),
        (
            "peak RSS MB (max of bare/cold/warm)",
            f"{s['peak_rss_mb_1x']:.0f}",
            f"< 1500  {ok(s['goals_met']['peak_rss_mb<1500'])}",
        ),
        (
            "  bare / cold / warm RSS MB",
            f"{bare['peak_rss_mb']:.0f} / {cold['peak_rss_mb']:.0f} / {warm['peak_rss_mb']:.0f}",
            "",
        ),
        (
            "segment ARI tune: qualseg (seed 42) | BERTopic",
            f"{q['segment_ari']['tune']:.3f} | {sp(b['segment_ari']['tune'])}",
            "",
        ),
        (
            "segment ARI holdout: qualseg (seed 42) | BERTopic",
            f"{q['segment_ari']['holdout']:.3f} | {sp(b['segment_ari']['holdout'])}",
            "",
        ),
        (
            "segment ARI tune | holdout, theme shares only: qualseg",
            pair(q["segment_ari_themes_only"]),
            "",
        ),
        (
            "segment ARI tune, topic shares only: BERTopic",
            sp(b["segment_ari_topics_only"]["tune"]),
            "",
        ),
        (
            "segment ARI holdout, topic shares only: BERTopic",
            sp(b["segment_ari_topics_only"]["holdout"]),
            "",
        ),
        (
            "segment ARI tune | holdout, no themes (excerpt centres)",
            pair(q["segment_ari_no_themes_baseline"]),
            "",
        ),
        ("segment ARI tune, qualseg seeds", sp(q["segment_ari_seeds"]["tune"]), ""),
        ("segment ARI holdout, qualseg seeds", sp(q["segment_ari_seeds"]["holdout"]), ""),
        (
            "run-to-run segment agreement (pairwise ARI): qualseg | BERTopic",
            f"{q['pairwise_segment_ari_seeds']['mean']} | {b['pairwise_segment_ari_runs']['mean']}",
            "",
        ),
        ("need themes / topics: qualseg | BERTopic", f"{q['need_themes']} | {sp(b['topics'])}", ""),
        (
            "unassigned / outlier share: qualseg | BERTopic",
            f"{q['unassigned_need']:.3f} | {sp(b['outlier_share'])}",
            "",
        ),
        (
            "BERTopic fit (s): first | later mean",
            f"{bert['first_fit_s']:.1f} | {bert['later_fits_mean_s']}",
            "",
        ),
        (f"{factor}x study: cold total (s)", f"{scale['total_s']:.1f}", every(scale)),
        (
            f"{factor}x / 1x time (total | run only)",
            f"{s['scaled_over_1x_time']:.2f} | {s['scaled_over_1x_run_only']:.2f}",
            f"excerpts x{s['scaled_over_1x_excerpts']:.1f}",
        ),
        (
            f"{factor}x peak RSS MB (ratio to 1x)",
            f"{scale['peak_rss_mb']:.0f} ({s['scaled_over_1x_rss']:.2f})",
            "",
        ),
    ]
    width = [max(len(row[i]) for row in lines) for i in range(3)]
    for n, row in enumerate(lines):
        print("  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in width))
    print()
    print("stage seconds (cold | warm | " + f"{factor}x):")
    for stage in cold["stage_seconds"]:
        c, w, x = (
            r[stage] for r in (cold["stage_seconds"], warm["stage_seconds"], scale["stage_seconds"])
        )
        print(f"  {stage:<11} {c:>7.2f} | {w:>6.2f} | {x:>7.2f}")
    print(
        f"  cold: imports {cold['import_s']:.1f} s, model load {cold['model_load_s']} s, "
        f"spaCy full pipeline load {cold.get('spacy_full_pipeline_load_s')} s, "
        f"noun-chunk parse {cold.get('candidate_phrases_s')} s ({cold.get('parsed_texts')} texts), "
        f"{cold['encoded_texts']} texts encoded ({cold['excerpts']} excerpts) "
        f"in {cold['encode_s']:.1f} s"
    )
    print(
        f"  warm: imports {warm['import_s']:.1f} s, model load {warm['model_load_s']} s, "
        f"spaCy full pipeline load {warm.get('spacy_full_pipeline_load_s')} s, "
        f"noun-chunk parse {warm.get('candidate_phrases_s')} s ({warm.get('parsed_texts')} texts), "
        f"{warm['encoded_texts']} texts encoded; "
        f"rerun in the same process {warm['hot_rerun_s']:.1f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 BERTopic fits, 2 seeds, 2x study")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--scale", type=int, help="variants per transcript (default 10, quick 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=180.0,
        metavar="S",
        help="before each scenario wait up to S seconds for other processes to go idle (0: never)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        help="runs of each timed scenario, the fastest reported (default 3, quick 1)",
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--repeat-index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--state", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        state = {**json.loads(args.state.read_text("utf-8")), "r": args.repeat_index}
        result = WORKERS[args.worker](state)
        Path(state["out"], f"scenario_{args.worker}_{args.repeat_index}.json").write_text(
            json.dumps(result, indent=2), "utf-8"
        )
        return 0

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="qualseg-bench-"))
    state = {
        "workspace": str(tmp / "ws"),
        "project": "sample",
        "scaled_project": "scaled",
        "texts_file": str(tmp / "excerpt_texts.json"),
        "scaled_dir": str(tmp / "scaled_study"),
        "scale": args.scale or (2 if args.quick else 10),
        "seeds": [1, 2] if args.quick else [1, 2, 3, 4, 5],
        "bertopic_runs": 2 if args.quick else 5,
        "repeat": max(1, args.repeat or (1 if args.quick else 3)),
        "out": str(out),
    }
    state_file = tmp / "state.json"
    state_file.write_text(json.dumps(state), "utf-8")
    started = time.perf_counter()
    digest = source_digest()
    results: dict = {}
    try:
        # Order matters: cold needs a fresh project; warm, seeds and bertopic need its cache.
        def run(name: str, r: int = 0) -> dict:
            return run_worker(name, state_file, out, r=r, quiet_wait_s=args.quiet_wait)

        results["setup"] = run("setup")
        repeats: dict[str, list[dict]] = {"bare": [], "cold": [], "warm": [], "scale": []}
        for r in range(state["repeat"]):
            for name in ("bare", "cold", "warm"):
                repeats[name].append(run(name, r))
        results["seeds"] = run("seeds")
        results["bertopic"] = run("bertopic")
        for r in range(state["repeat"]):
            repeats["scale"].append(run("scale", r))
        for name, runs in repeats.items():
            results[name] = fastest(runs)
    finally:
        if args.keep:
            print(f"[bench] workspace kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    summary = summarize(results)
    import platform

    document = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "code": {
            "git_head": git_head(),
            "qualseg_sources_sha256": digest,
            "changed_during_run": source_digest() != digest,
        },
        "options": {k: state[k] for k in ("scale", "seeds", "bertopic_runs", "repeat")},
        "benchmark_wall_s": round(time.perf_counter() - started, 1),
        "summary": summary,
        "scenarios": results,
    }
    (out / "results.json").write_text(json.dumps(document, indent=2), "utf-8")
    print()
    print_table(results, summary)
    if document["code"]["changed_during_run"]:
        print(
            "\nWARNING: qualseg/ changed while the benchmark ran: scenarios measured different code"
        )
    busy = {
        n: r.get("other_cpu_s")
        for n, r in results.items()
        if (r.get("other_cpu_s") or 0) > 0.1 * r["process_wall_s"]
    }
    if busy:
        print(f"\nWARNING: other processes used CPU during {busy} (CPU s): wall times are inflated")
    print(f"\nresults: {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
