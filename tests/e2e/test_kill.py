"""Nothing lost under faults: imports, analysis runs and edits killed with SIGKILL at many points.

Two ways to kill:
- the real CLI (``python -m qualseg import``) in a subprocess, killed after a sweep of delays;
- a driver subprocess (``_driver`` below, run through ``python -c``) that loads qualseg once,
  does the work once to completion (the reference, and a list of its SQL statements), then forks
  one child per fault: the child does the same work on its own copy of the project and is killed
  either right before its n-th SQL statement (every COMMIT, the statement after it, a spread of
  others) or by the parent after a delay. Forking keeps each fault cheap; the children are real
  processes killed by a real SIGKILL, with no hook in the product code.

After every fault the project must open, pass SQLite's integrity check, and hold its last
committed state: whole transcripts (with their originals) or none, the previous result or the
complete new one (a killed run is shown as failed, never as running), each edit whole or absent.
The number of faults and what they left is printed (``pytest -s``) for the closing note.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qualseg.store import ProjectStore
from qualseg.store.runs import INTERRUPTED
from tests.conftest import ROOT, SAMPLE_DIR, SMALL_STUDY

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and fork are POSIX")

FILES = SMALL_STUDY
FIRST = FILES[:3]  # in the project before the killed import
ENV = {
    **os.environ,
    "PYTHONPATH": str(ROOT),
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    # one thread per library: a forked child never inherits a half-held thread-pool lock
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
}
FAULTS: dict[str, dict[str, int]] = {}


# -- the driver (runs in a subprocess) ------------------------------------------------------------


class _KillAt:
    """A connection that kills its process right before its ``at``-th statement (0: never) and
    records the statements it ran."""

    def __init__(self, conn, at: int = 0) -> None:
        self._conn, self._at, self.statements = conn, at, []

    def execute(self, sql: str, *args):
        self.statements.append(sql.split()[0].upper())
        if len(self.statements) == self._at:
            os.kill(os.getpid(), signal.SIGKILL)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def _work(kind: str, store: ProjectStore, source: str) -> None:
    if kind == "import":
        from qualseg.importing import files_in_directory, import_files

        import_files(store, files_in_directory(Path(source))[0])
    elif kind == "analyze":
        from qualseg.embed import HashingEmbedder
        from qualseg.running import run_analysis

        run_analysis(store, embedder=HashingEmbedder())
    else:
        _edit_sequence(store)


def _edit_sequence(store: ProjectStore) -> None:
    """Six edits of several kinds; create_segment with themes is one edit."""
    from qualseg import editing

    needs = [t for t in editing.current_state(store).report["themes"] if t["lens"] == "need"]
    for n in range(3):
        editing.rename_theme(store, needs[0]["id"], f"name {n}")
        editing.create_segment(store, f"segment {n}", [needs[1]["id"], needs[2]["id"]])


def _build_analyzed(folder: Path, source: str) -> None:
    """The six files imported, analyzed (hashing embedder) and edited twice; in the driver, this
    is also what loads spaCy and compiles the clustering code before any child is forked."""
    from qualseg import editing

    store = ProjectStore(folder)
    _work("import", store, source)
    _work("analyze", store, source)
    needs = [t for t in editing.current_state(store).report["themes"] if t["lens"] == "need"]
    editing.rename_theme(store, needs[0]["id"], "Keying invoices by hand")
    editing.pin_quote(store, needs[0]["excerpts"][0])
    store.close()


def _driver(spec: str) -> None:
    """For each kind of work in ``spec`` (JSON: out, source, base or build, kinds: {kind:
    [timed, stepped]}): run it to completion on a copy of the base (the reference, and the list
    of its SQL statements), then fork one child per fault on further copies. Prints one JSON
    line: per kind, the trials and what they were."""
    spec_ = json.loads(spec)
    out_dir = Path(spec_["out"])
    if spec_.get("build"):
        _build_analyzed(out_dir / "base", spec_["source"])
    base = Path(spec_.get("base") or out_dir / "base")
    report = {"base": str(base)}
    for kind, (timed, stepped) in spec_["kinds"].items():
        report[kind] = _faults(kind, base, spec_["source"], out_dir / kind, timed, stepped)
    print(json.dumps(report))


def _faults(kind: str, base: Path, source: str, out_dir: Path, timed: int, stepped: int) -> dict:
    shutil.copytree(base, out_dir / "warm-up")
    warm = ProjectStore(out_dir / "warm-up")
    _work(kind, warm, source)  # loads what the work loads lazily: the children start warm
    warm.close()
    reference = out_dir / "reference"
    shutil.copytree(base, reference)
    store = ProjectStore(reference)
    store._conn = recorder = _KillAt(store._conn)
    started = time.perf_counter()
    _work(kind, store, source)
    duration = time.perf_counter() - started
    store.close()
    commits = [n + 1 for n, s in enumerate(recorder.statements) if s == "COMMIT"]
    total = len(recorder.statements)
    steps = sorted({*commits, *(c + 1 for c in commits if c < total)})
    if len(steps) > stepped:
        steps = [steps[round(i * (len(steps) - 1) / (stepped - 1))] for i in range(stepped)]
    plan = [("step", s, 0.0) for s in steps]
    plan += [("delay", 0, duration * (i + 0.5) / timed) for i in range(timed)]
    plan.append(("done", 0, duration * 10))  # the complete case: killed once it has finished
    trials = []
    for n, (how, at, delay) in enumerate(plan):
        folder = out_dir / f"trial-{n}"
        shutil.copytree(base, folder)
        pid = os.fork()
        if pid == 0:  # the child: do the work, die where told
            code = 0
            try:
                child = ProjectStore(folder)
                child._conn = _KillAt(child._conn, at)
                _work(kind, child, source)
            except BaseException as err:  # noqa: BLE001 - reported to the parent by exit code
                print(f"child {n}: {type(err).__name__}: {err}", file=sys.stderr)
                code = 3
            os._exit(code)
        finished = (0, 0)
        if how == "delay":
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
        elif how == "done":  # wait for the end (a busy machine can take longer than once)
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline:
                finished = os.waitpid(pid, os.WNOHANG)
                if finished != (0, 0):
                    break
                time.sleep(0.05)
            else:
                os.kill(pid, signal.SIGKILL)
        _pid, status = finished if finished != (0, 0) else os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        trials.append(
            {
                "folder": str(folder),
                "how": how,
                "at": at,
                "delay": round(delay, 3),
                "killed": killed,
                "exit": None if killed else os.WEXITSTATUS(status),
            }
        )
    return {"duration": duration, "statements": total, "trials": trials}


def _drive(spec: dict) -> dict:
    code = "import sys; from tests.e2e.test_kill import _driver; _driver(sys.argv[1])"
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(spec)],
        env=ENV,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for kind in spec["kinds"]:
        trials = result[kind]["trials"]
        assert all(t["killed"] or t["exit"] == 0 for t in trials), done.stderr[-3000:]
    return result


# -- checks ---------------------------------------------------------------------------------------


def _open_checked(folder: Path) -> ProjectStore:
    store = ProjectStore(folder)
    assert store.query("PRAGMA integrity_check")[0][0] == "ok", folder
    assert store.query("PRAGMA foreign_key_check") == [], folder
    return store


def _transcript_rows(store: ProjectStore) -> dict[str, tuple]:
    """Every transcript by source: text, speakers and utterances as stored."""
    out = {}
    for t in store.transcripts():
        text = store.query("SELECT text FROM transcripts WHERE id = ?", (t.id,))[0][0]
        speakers = [(s.label, s.display_name, s.role, s.word_count) for s in store.speakers(t.id)]
        turns = [
            (u["idx"], u["spans"], u["timestamp"])
            for u in store.query(
                "SELECT idx, spans, timestamp FROM utterances WHERE transcript_id = ? ORDER BY idx",
                (t.id,),
            )
        ]
        out[t.source] = (t.sha256, text, speakers, turns)
    return out


def _metadata(store: ProjectStore) -> dict[str, dict]:
    return {s.display_name: s.metadata for s in store.participants()}


def _record(kind: str, **counts: int) -> None:
    FAULTS[kind] = counts
    print(f"\n{kind}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """'source': the six files and participants.csv; 'half': a project holding the first three;
    'full': all six (the state a complete import reaches)."""
    from qualseg.importing import files_in_directory, import_files

    root = tmp_path_factory.mktemp("kill")
    source, first = root / "source", root / "first"
    for folder, names in ((source, (*FILES, "participants.csv")), (first, FIRST)):
        folder.mkdir()
        for name in names:
            shutil.copy(SAMPLE_DIR / name, folder / name)
    for name, folder in (("half", first), ("full", source)):
        store = ProjectStore(root / name)
        assert not import_files(store, files_in_directory(folder)[0]).failed
        store.close()
    return {"source": source, "half": root / "half", "full": root / "full"}


@pytest.fixture(scope="module")
def imported(bases) -> dict:
    """The transcripts before the killed imports and after a complete one, with metadata."""
    half, full = ProjectStore(bases["half"]), ProjectStore(bases["full"])
    found = {
        "before": _transcript_rows(half),
        "reference": _transcript_rows(full),
        "metadata": _metadata(full),
    }
    half.close()
    full.close()
    return found


@pytest.fixture(scope="module")
def killed_runs_and_edits(bases, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One driver: builds the analyzed project, then kills analysis runs and edit sequences."""
    out = tmp_path_factory.mktemp("killed")
    spec = {"out": str(out), "source": str(bases["source"]), "build": True}
    return _drive(spec | {"kinds": {"analyze": [5, 4], "edit": [3, 10]}})


# -- imports --------------------------------------------------------------------------------------


def _check_import(folder: Path, before: dict, reference: dict, ref_meta: dict) -> dict[str, int]:
    """The killed import left whole transcripts or none; returns what it left."""
    store = _open_checked(folder)
    rows = _transcript_rows(store)
    assert set(before) <= set(rows) <= set(reference), sorted(rows)
    for source, row in rows.items():
        assert row == reference[source], f"{source} differs from a complete import"
        original = next(t for t in store.transcripts() if t.source == source).original_path
        data = (store.originals_dir / original).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row[0], f"{source}: original missing or wrong"
    meta = _metadata(store)
    for name, values in meta.items():
        assert values in ({}, ref_meta[name]), f"{name}: metadata half written"
    referenced = {t.original_path for t in store.transcripts()}
    files = [p.name for p in store.originals_dir.iterdir()]
    left = {
        "new transcripts": len(rows) - len(before),
        "orphan originals": sum(
            1 for n in files if n not in referenced and not n.endswith(".part")
        ),
        "part files": sum(1 for n in files if n.endswith(".part")),
        "metadata partial": int(
            any(meta.values()) and any(v == {} and ref_meta[n] for n, v in meta.items())
        ),
    }
    store.close()
    return left


def _finish_import(folder: Path, source: Path, reference: dict, ref_meta: dict) -> None:
    """Importing the folder again after the fault completes the project."""
    from qualseg.service import import_directory

    store = ProjectStore(folder)
    report = import_directory(store, source)
    assert not report.failed, report.failed
    assert _transcript_rows(store) == reference
    assert _metadata(store) == ref_meta
    assert not list(store.originals_dir.glob("*.part"))
    store.close()


def test_import_killed_at_every_commit_and_after_delays(bases, imported, tmp_path):
    spec = {"out": str(tmp_path), "source": str(bases["source"]), "base": str(bases["half"])}
    result = _drive(spec | {"kinds": {"import": [4, 14]}})["import"]
    before, reference, ref_meta = imported["before"], imported["reference"], imported["metadata"]
    assert _transcript_rows(_open_checked(tmp_path / "import" / "reference")) == reference
    left = [_check_import(Path(t["folder"]), before, reference, ref_meta) for t in result["trials"]]
    for trial in result["trials"]:
        _finish_import(Path(trial["folder"]), bases["source"], reference, ref_meta)
    killed = sum(t["killed"] for t in result["trials"])
    partial = sum(1 for x in left if 0 < x["new transcripts"] < len(FILES) - len(FIRST))
    stepped = [t for t in result["trials"] if t["how"] == "step"]
    # every COMMIT (one per new file, one for participants.csv) and the statement after it
    assert len(stepped) >= len(FILES) - len(FIRST) + 1, len(stepped)
    assert all(t["killed"] for t in stepped), [(t["at"], t["killed"], t["exit"]) for t in stepped]
    assert partial >= 3, partial
    # participants.csv is applied in one transaction: never half of it
    assert sum(x["metadata partial"] for x in left) == 0, left
    _record(
        "import (forked, SQL steps + delays)",
        faults=killed,
        statements=result["statements"],
        partial_imports=partial,
        orphan_originals=sum(x["orphan originals"] for x in left),
        part_files=sum(x["part files"] for x in left),
        metadata_partial=sum(x["metadata partial"] for x in left),
        lost=0,
    )


def test_cli_import_killed_after_a_sweep_of_delays(bases, imported, tmp_path):
    """The real ``python -m qualseg import`` process, killed from outside once it has opened
    the project (its write-ahead log appears) and a delay has passed."""
    before, reference, ref_meta = imported["before"], imported["reference"], imported["metadata"]
    killed, left = 0, []
    for n, delay in enumerate((0.0, 0.01, 0.03)):
        folder = tmp_path / f"killed-{n}"
        shutil.copytree(bases["half"], folder)
        command = [sys.executable, "-m", "qualseg", "--workspace", str(tmp_path)]
        command += ["import", str(bases["source"]), "--project", folder.name]
        process = subprocess.Popen(
            command, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wal = folder / "project.sqlite-wal"
        deadline = time.monotonic() + 120
        while not wal.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        killed += process.wait(timeout=60) == -signal.SIGKILL
        left.append(_check_import(folder, before, reference, ref_meta))
        _finish_import(folder, bases["source"], reference, ref_meta)
    assert killed == 3
    _record(
        "import (real CLI, delays)",
        faults=killed,
        new_transcripts=sum(x["new transcripts"] for x in left),
        orphan_originals=sum(x["orphan originals"] for x in left),
        lost=0,
    )


# -- analysis -------------------------------------------------------------------------------------


def _results(store: ProjectStore) -> tuple[int, dict]:
    run_id, result = store.latest_result()
    return run_id, {k: v for k, v in result.items() if k != "run"}


def test_analysis_killed_keeps_the_previous_result_or_the_new_one(killed_runs_and_edits):
    from qualseg.editing import current_state

    found = killed_runs_and_edits
    base = ProjectStore(found["base"])
    before_id, before_result = _results(base)
    before_state = current_state(base).report
    base.close()
    result = found["analyze"]
    reference = Path(result["trials"][0]["folder"]).parent / "reference"
    new_id, new_result = _results(_open_checked(reference))
    assert new_id != before_id
    outcomes = {"previous": 0, "new": 0, "interrupted": 0}
    for trial in result["trials"]:
        store = _open_checked(Path(trial["folder"]))
        runs = store.runs()
        assert all(r.status in ("done", "failed") for r in runs), "no run is shown as running"
        run_id, latest = _results(store)
        if run_id == before_id:
            assert latest == before_result
            assert current_state(store).report == before_state, "edits and result as they were"
            outcomes["previous"] += 1
        else:
            assert latest == new_result, "a new result is complete"
            outcomes["new"] += 1
        outcomes["interrupted"] += sum(1 for r in runs if r.error == INTERRUPTED)
        assert len(store.edits()) == 2
        store.close()
    killed = sum(t["killed"] for t in result["trials"])
    assert killed >= 7 and outcomes["previous"] >= 4 and outcomes["interrupted"] >= 4, outcomes
    assert outcomes["new"] >= 1, outcomes
    _record("analysis", faults=killed, statements=result["statements"], **outcomes, lost=0)


def test_a_run_in_progress_is_not_taken_for_an_interrupted_one(bases, tmp_path):
    """Another store on the same project sees a live run as running, a dead one as failed."""
    shutil.copytree(bases["full"], tmp_path / "p")
    owner, other = ProjectStore(tmp_path / "p"), ProjectStore(tmp_path / "p")
    run_id = owner.start_run(seed=1, model="m", config="{}", versions={})
    assert other.runs()[0].status == "running"
    assert other.recover_interrupted_runs() == []
    owner.close()
    owner._held_run_locks().pop(run_id).close()  # what the end of its process does
    [interrupted] = [r for r in other.runs() if r.id == run_id]
    assert (interrupted.status, interrupted.error) == ("failed", INTERRUPTED)
    assert other.latest_result() is None
    assert not (tmp_path / "p" / f".run-{run_id}.lock").exists()


def test_a_failed_analysis_keeps_the_previous_results(analyzed_store):
    from qualseg.editing import current_state
    from qualseg.embed import HashingEmbedder
    from qualseg.running import run_analysis

    class Broken(HashingEmbedder):
        def encode(self, texts, *, batch_size=64):
            raise RuntimeError("out of memory")

    store = analyzed_store
    with store.transaction() as conn:
        conn.execute("DELETE FROM embeddings")  # so that the broken embedder is asked
    before = current_state(store).report
    with pytest.raises(RuntimeError, match="out of memory"):
        run_analysis(store, embedder=Broken(dim=256))
    assert store.runs()[0].status == "failed" and "out of memory" in store.runs()[0].error
    assert current_state(store).report == before


# -- edits ----------------------------------------------------------------------------------------


def test_edits_killed_are_whole_or_absent(killed_runs_and_edits):
    from qualseg.editing import current_state

    result = killed_runs_and_edits["edit"]
    reference_folder = Path(result["trials"][0]["folder"]).parent / "reference"
    reference = _open_checked(reference_folder).edits(include_undone=True)
    assert [e.kind for e in reference[2:]] == ["rename_theme", "create_segment"] * 3
    counts = []
    for trial in result["trials"]:
        store = _open_checked(Path(trial["folder"]))
        edits = store.edits(include_undone=True)
        n = len(edits)
        assert [(e.kind, e.payload) for e in edits] == [
            (e.kind, e.payload) for e in reference[:n]
        ], "the log is the edits made so far, each whole"
        state = current_state(store)
        assert not state.outcome.skipped
        made = [s for s in state.report["segments"] if s.get("built")]
        assert all(len(s["themes"]) == 2 for s in made), "no segment without its themes"
        counts.append(n - 2)
        store.close()
    killed = sum(t["killed"] for t in result["trials"])
    assert killed >= 10 and len(set(counts)) >= 4, counts
    _record("edits", faults=killed, statements=result["statements"], lost=0)
