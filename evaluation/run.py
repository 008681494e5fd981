"""Analyze gold studies with the real pipeline and grade them: one table, per study and worst.

Each study is imported into a fresh project (its gold files and participants.csv only), analyzed
as a researcher's run would be (pseudonymised, default settings), and graded with the study's
gold. With ``loso`` the kind classifier is fitted again without the study being scored, so that
every figure of a corpus study is held out; a study outside the training corpus is held out from
the shipped classifier already.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.alignment import theme_alignment
from evaluation.corpus import load_gold, study_name
from evaluation.grading import grade
from qualseg.classify import KindClassifier
from qualseg.config import AnalysisConfig
from qualseg.embed import Embedder, MemoryCache, default_embedder
from qualseg.importing import import_files
from qualseg.kind_training import fit_kind_classifier, study_rows
from qualseg.running import run_analysis
from qualseg.store import Workspace

FIGURES = (
    "trigger_recall",
    "trigger_precision",
    "objection_recall",
    "objection_precision",
    "need_recall",
    "need_precision",
    "psychographic_recall",
    "segment_ari",
    "segments_found",
    "segments_planted",
    "unassigned_share",
    "mean_best_theme_f1",
)
HIGHER_IS_WORSE = {"unassigned_share"}
Log = Callable[[str], None]


@dataclass
class StudyResult:
    """The figures of one study and how they were obtained."""

    study: str
    held_out: bool
    figures: dict[str, object]
    failed_files: list[str] = field(default_factory=list)
    report: dict = field(default_factory=dict, repr=False)


def training_studies() -> set[str]:
    """The studies the shipped kind classifier was fitted on."""
    return {r.study for r in study_rows()}


def evaluate_study(
    folder: Path,
    *,
    workspace: Workspace,
    embedder: Embedder,
    cache: MemoryCache,
    loso: bool,
    seed: int = 42,
    lens_clustering: str = AnalysisConfig.lens_clustering,
    log: Log = lambda _: None,
) -> StudyResult:
    """Import, analyze and grade one study folder."""
    name = study_name(folder)
    gold = load_gold(folder)
    held_out = name not in training_studies()
    classifier: KindClassifier | None = None
    if loso and not held_out:
        log(f"{name}: fitting the kind classifier without {name}")
        classifier = fit_kind_classifier(embedder, cache, without=[name])
        held_out = True
    store = workspace.open(name, create=True)
    wanted = [*gold, "participants.csv"]
    files = [(f, (folder / f).read_bytes()) for f in wanted if (folder / f).is_file()]
    imported = import_files(store, files)
    failed = [f"{r.source}: {r.message}" for r in imported.failed]
    for line in failed:
        log(f"{name}: not imported: {line}")
    log(f"{name}: analyzing {len(files) - len(failed)} files")
    _run_id, report = run_analysis(
        store,
        AnalysisConfig(seed=seed, lens_clustering=lens_clustering),
        embedder=embedder,
        classifier=classifier,
    )
    figures = grade(report, gold)
    figures["mean_best_theme_f1"] = theme_alignment(report, gold)["mean_best_theme_f1"]
    return StudyResult(name, held_out, figures, failed, report)


def evaluate(
    folders: Sequence[Path],
    *,
    loso: bool = False,
    seed: int = 42,
    lens_clustering: str = AnalysisConfig.lens_clustering,
    log: Log | None = None,
) -> list[StudyResult]:
    """Every study's figures (see ``evaluate_study``)."""
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    embedder = default_embedder()
    cache = MemoryCache()
    with tempfile.TemporaryDirectory(prefix="qualseg-eval-") as tmp:
        workspace = Workspace(Path(tmp))
        return [
            evaluate_study(
                folder,
                workspace=workspace,
                embedder=embedder,
                cache=cache,
                loso=loso,
                seed=seed,
                lens_clustering=lens_clustering,
                log=log,
            )
            for folder in folders
        ]


def worst(results: Sequence[StudyResult]) -> dict[str, object]:
    """Per figure, the worst value over the studies (highest for shares left unassigned)."""
    out: dict[str, object] = {}
    for key in FIGURES:
        values = [r.figures.get(key) for r in results]
        numbers = [v for v in values if isinstance(v, int | float)]
        if key in ("segments_found", "segments_planted") or not numbers:
            out[key] = None
        else:
            out[key] = max(numbers) if key in HIGHER_IS_WORSE else min(numbers)
    return out


def table(results: Sequence[StudyResult]) -> str:
    """The figures as a Markdown table, one row per study and the worst study last."""
    heads = [
        "study",
        "held out",
        "trig R",
        "trig P",
        "obj R",
        "obj P",
        "need R",
        "need P",
        "psych R",
        "seg ARI",
        "found/planted",
        "unassigned",
        "theme F1",
    ]

    def cell(value: object) -> str:
        return "-" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)

    def row(name: str, held: str, f: dict[str, object]) -> str:
        found = f"{cell(f.get('segments_found'))}/{cell(f.get('segments_planted'))}"
        keys = FIGURES[:8]
        cells = [cell(f.get(k)) for k in keys] + [
            found,
            cell(f.get("unassigned_share")),
            cell(f.get("mean_best_theme_f1")),
        ]
        return "| " + " | ".join([name, held, *cells]) + " |"

    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += [row(r.study, "yes" if r.held_out else "NO (in-sample)", r.figures) for r in results]
    lines.append(row("**worst**", "", worst(results)))
    return "\n".join(lines)


def as_json(results: Sequence[StudyResult]) -> dict:
    return {
        "studies": {
            r.study: {"held_out": r.held_out, "failed_files": r.failed_files, **r.figures}
            for r in results
        },
        "worst": worst(results),
    }
