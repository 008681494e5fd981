#!/usr/bin/env python
"""Speed benchmark: cold `analyze` against its embedding floor, warm against cold, peak memory.

    python benchmarks/bench_speed.py [--studies sample,appsec-tooling] [--base DIR] [--repeat N]

For each study (``sample`` is ``sample_transcripts/``, any other name a folder of
``evaluation/studies/``) and each code tree (this checkout, and ``--base DIR``, another checkout
such as ``git worktree add /tmp/speed-base main``, measured side by side in the same run):

    import  ``python -m qualseg import DIR --project P`` into a fresh workspace (not timed)
    cold    ``python -m qualseg analyze --project P``: a fresh process, a fresh project (no
            cached embeddings, no cached name detection); model and spaCy loads, imports,
            name detection, every embedding, kinds, themes, segments, report files
    warm    the same command again in a new process (everything cacheable is cached)
    floor   a fresh process that imports sentence-transformers, loads the same model and embeds
            the same excerpt texts (what the analysis embeds), in one ``encode`` call: the cost
            any tool must pay

Every figure is the wall time of a whole process, seen from here (``os.wait4``), and the peak
RSS of that process (``ru_maxrss``). With ``--repeat N`` each scenario runs N times, alternating
between the trees, and the fastest run is kept. Each process waits for a quiet machine first
(``--quiet-wait``); the CPU seconds other processes used meanwhile are printed beside it. The
report.json of the cold and warm runs of both trees is compared, timing fields left out.

Nothing here asserts on time: it measures and prints (and writes ``--out``/speed.json).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDIES = ROOT / "evaluation" / "studies"
GOALS = {"cold_over_floor": 1.3, "warm_over_cold": 0.10, "peak_mb": 1500}
TIME_FIELDS = ("started_at", "finished_at", "stage_seconds")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analysis import _busy_cpu_s, wait_for_quiet  # noqa: E402


def study_dir(name: str) -> Path:
    return ROOT / "sample_transcripts" if name == "sample" else STUDIES / name


def _env(tree: Path) -> dict[str, str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env["PYTHONPATH"] = str(tree)
    env.pop("QUALSEG_WORKSPACE", None)
    return env


def timed(cmd: list[str], tree: Path, quiet_wait_s: float) -> dict:
    """Run a command in a fresh process; its wall time, CPU time, peak RSS and others' CPU."""
    if quiet_wait_s > 0:
        wait_for_quiet(quiet_wait_s)
    busy0 = _busy_cpu_s()
    start = time.perf_counter()
    # cwd is the tree: ``python -m`` puts the working folder first on sys.path
    proc = subprocess.Popen(cmd, env=_env(tree), cwd=tree)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    busy1 = _busy_cpu_s()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    cpu = usage.ru_utime + usage.ru_stime
    out = {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
    }
    if busy0 is not None and busy1 is not None:
        out["other_cpu_s"] = round(max(0.0, busy1 - busy0 - cpu), 1)
    return out


def untimed(cmd: list[str], tree: Path) -> None:
    subprocess.run(cmd, env=_env(tree), cwd=tree, check=True, stdout=subprocess.DEVNULL)


def list_texts(tree: Path, workspace: Path, project: str, texts_file: Path) -> None:
    """The excerpt texts the analysis embedded (pseudonymised when the project is), in a helper
    process of the tree's own code (another tree's would migrate its project), after the cold
    run (so that the project's name detection is there already)."""
    code = (
        "import json,sys\n"
        "from qualseg.analysis import study_excerpts\n"
        "from qualseg.config import AnalysisConfig\n"
        "from qualseg.privacy import pseudonymisation_enabled, pseudonymiser_for\n"
        "from qualseg.privacy.study import pseudonymise_study\n"
        "from qualseg.running import study_from_store\n"
        "from qualseg.store import Workspace\n"
        "store = Workspace(sys.argv[1]).open(sys.argv[2])\n"
        "study = study_from_store(store)\n"
        "if pseudonymisation_enabled(store):\n"
        "    study, _ = pseudonymise_study(study, pseudonymiser_for(store))\n"
        "texts = [e.text for e in study_excerpts(study, AnalysisConfig())]\n"
        "open(sys.argv[3], 'w').write(json.dumps(texts))\n"
    )
    untimed([sys.executable, "-c", code, str(workspace), project, str(texts_file)], tree)


def floor_worker(texts_file: str) -> None:
    """The floor: import, load the model, embed the texts; nothing else."""
    from qualseg.embed import SentenceTransformerEmbedder

    texts = json.loads(Path(texts_file).read_text("utf-8"))
    SentenceTransformerEmbedder().encode(texts, batch_size=64)


def _report(path: Path) -> dict:
    report = json.loads(path.read_text("utf-8"))
    for key in TIME_FIELDS:
        report["run"].pop(key, None)
    report["run"].pop("id", None)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", default="sample,appsec-tooling")
    parser.add_argument("--base", type=Path, help="another checkout, measured side by side")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--quiet-wait", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--floor-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_worker:
        floor_worker(args.floor_worker)
        return 0

    trees = {"this": ROOT}
    if args.base:
        trees = {"base": args.base.resolve(), "this": ROOT}
    py = sys.executable
    tmp = Path(tempfile.mkdtemp(prefix="qualseg-speed-"))
    results: dict = {}
    try:
        for study in args.studies.split(","):
            folder = study_dir(study)
            for r in range(args.repeat):
                for name, tree in trees.items():
                    ws = tmp / f"{name}-{study}-{r}"
                    qs = [py, "-m", "qualseg", "--workspace", str(ws)]
                    untimed([*qs, "import", str(folder), "--project", "p"], tree)
                    row = results.setdefault(study, {}).setdefault(name, {})
                    print(f"[speed] {study} {name} #{r + 1}: cold", file=sys.stderr, flush=True)
                    cold = timed([*qs, "analyze", "--project", "p"], tree, args.quiet_wait)
                    report_file = ws / "p" / "report" / "report.json"
                    shutil.copy(report_file, tmp / f"{name}-{study}-{r}-cold.json")
                    texts_file = tmp / f"{name}-{study}-{r}-texts.json"
                    list_texts(tree, ws, "p", texts_file)
                    print(f"[speed] {study} {name} #{r + 1}: floor", file=sys.stderr, flush=True)
                    floor = timed(
                        [py, str(Path(__file__).resolve()), "--floor-worker", str(texts_file)],
                        ROOT,
                        args.quiet_wait,
                    )
                    print(f"[speed] {study} {name} #{r + 1}: warm", file=sys.stderr, flush=True)
                    warm = timed([*qs, "analyze", "--project", "p"], tree, args.quiet_wait)
                    shutil.copy(report_file, tmp / f"{name}-{study}-{r}-warm.json")
                    stages = {
                        "cold": _report_stages(tmp / f"{name}-{study}-{r}-cold.json"),
                        "warm": _report_stages(tmp / f"{name}-{study}-{r}-warm.json"),
                    }
                    for key, value in (("cold", cold), ("floor", floor), ("warm", warm)):
                        row.setdefault(key, []).append(value)
                    row.setdefault("stages", []).append(stages)
                    row["texts"] = len(json.loads(texts_file.read_text("utf-8")))
            for name in trees:
                row = results[study][name]
                same = [
                    _report(tmp / f"{name}-{study}-{r}-{w}.json")
                    == _report(tmp / f"{next(iter(trees))}-{study}-0-cold.json")
                    for r in range(args.repeat)
                    for w in ("cold", "warm")
                ]
                row["reports_identical"] = all(same)
        summary = summarize(results)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "speed.json").write_text(
            json.dumps({"results": results, "summary": summary}, indent=2), "utf-8"
        )
        print_table(summary, list(trees))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _report_stages(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))["run"].get("stage_seconds", {})


def _fastest(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall_s"])


def summarize(results: dict) -> dict:
    out: dict = {}
    for study, trees in results.items():
        for name, row in trees.items():
            cold, floor, warm = (_fastest(row[k]) for k in ("cold", "floor", "warm"))
            out.setdefault(study, {})[name] = {
                "texts": row["texts"],
                "cold_s": cold["wall_s"],
                "floor_s": floor["wall_s"],
                "warm_s": warm["wall_s"],
                "cold_over_floor": round(cold["wall_s"] / floor["wall_s"], 2),
                "warm_over_cold": round(warm["wall_s"] / cold["wall_s"], 3),
                "cpu_s": {"cold": cold["cpu_s"], "floor": floor["cpu_s"], "warm": warm["cpu_s"]},
                "cpu_cold_over_floor": round(cold["cpu_s"] / floor["cpu_s"], 2),
                "cpu_warm_over_cold": round(warm["cpu_s"] / cold["cpu_s"], 3),
                "cold_peak_mb": cold["peak_mb"],
                "floor_peak_mb": floor["peak_mb"],
                "warm_peak_mb": warm["peak_mb"],
                "other_cpu_s": [
                    r.get("other_cpu_s") for k in ("cold", "floor", "warm") for r in row[k]
                ],
                "cold_stages": row["stages"][row["cold"].index(cold)]["cold"],
                "warm_stages": row["stages"][row["warm"].index(warm)]["warm"],
                "reports_identical": row["reports_identical"],
            }
    return out


def print_table(summary: dict, trees: list[str]) -> None:
    head = (
        f"{'study':<16} {'code':<5} {'texts':>5} {'cold s':>7} {'floor s':>7} {'cold/floor':>10} "
        f"{'warm s':>7} {'warm/cold':>9} {'cold peak MB':>12} {'same report':>11}"
    )
    print(head)
    print("-" * len(head))
    for study, rows in summary.items():
        for name in trees:
            s = rows[name]
            print(
                f"{study:<16} {name:<5} {s['texts']:>5} {s['cold_s']:>7.1f} {s['floor_s']:>7.1f} "
                f"{s['cold_over_floor']:>10.2f} {s['warm_s']:>7.2f} {s['warm_over_cold']:>9.3f} "
                f"{s['cold_peak_mb']:>12.0f} {'yes' if s['reports_identical'] else 'NO':>11}"
            )
    print(
        f"goals: cold/floor <= {GOALS['cold_over_floor']}, warm/cold <= {GOALS['warm_over_cold']},"
        f" cold peak < {GOALS['peak_mb']} MB"
    )
    for study, rows in summary.items():
        for name in trees:
            s = rows[name]
            print(
                f"{study} {name}: CPU s cold {s['cpu_s']['cold']}, floor {s['cpu_s']['floor']}, "
                f"warm {s['cpu_s']['warm']}; cold/floor {s['cpu_cold_over_floor']}, "
                f"warm/cold {s['cpu_warm_over_cold']} (CPU seconds, all processes of the run)"
            )
            print(f"{study} {name}: cold stages {s['cold_stages']}")
            print(f"{study} {name}: warm stages {s['warm_stages']}")
            print(f"{study} {name}: other processes' CPU s (cold, floor, warm): {s['other_cpu_s']}")


if __name__ == "__main__":
    raise SystemExit(main())
