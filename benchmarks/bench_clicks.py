"""Click-to-render time of the app's edits and page switches, measured in a real browser.

What it does:

1. Makes a temporary workspace, imports the bundled sample study into it as the app does
   (``service.ensure_sample_project``) and analyzes it with the real all-MiniLM-L6-v2 model
   (``python -m qualseg analyze --project sample-study``, a separate process; not timed here,
   see bench_analysis.py for that). ``--fake-embedder`` uses the browser test's hashing
   embedder instead (faster set-up, different themes).
2. Serves the app (``streamlit run app.py`` on a free localhost port, the same server as the
   browser test: tests/browser/appserver.py) over that workspace, with the real embedder (or
   the fake one with ``--fake-embedder``), and opens it in headless Debian chromium
   (/usr/bin/chromium) through playwright.
3. One warm-up visit of each page (reported apart as "first visit"), then ``--repeat`` rounds of:
   rename the selected needs theme, undo; merge the first two needs themes, undo; split the
   selected needs theme, undo; switch Themes -> Segments -> Quote bank -> Overview -> Themes.
   Each undo puts the study back, so every round starts from the same state.

Click-to-render, precisely: a capture-phase ``click`` listener on the document records
``performance.now()`` when the browser dispatches the click (t0). Then, polling on every
animation frame (``requestAnimationFrame``) in the page, the benchmark waits for

- the new state on screen: for rename, an alert holding "Renamed theme to “<new name>”." and the
  theme's heading showing the new name; for merge, the alert "Merged 2 themes."; for split, an
  alert starting "Split theme"; for undo, an alert starting "Undone: <what was undone>"; for a
  page switch, the page's own ``<h1>`` heading; and
- Streamlit's script to have finished: ``[data-testid="stApp"]`` has
  ``data-test-script-state="notRunning"`` (the app's own run state; an edit's ``st.rerun`` keeps
  it "running" until the rerun ends).

The reported time is the first animation frame at which both hold, minus t0 (``ms``). The
frame at which also the "Running…" indicator ``[data-testid="stStatusWidget"]`` has left the
DOM is recorded too (``ms_widget_gone`` in the JSON). The run state is the headline because it
is the state the widget itself follows, without the widget's exit animation (a 200 ms
transition in Streamlit's bundle); in every sample measured so far both fell on the same frame.
``ms_python_wall`` is playwright's wall time around the click, for reference. Charts (Vega)
that finish drawing after the script ends are not waited for.

Before each click the benchmark checks that the awaited text is not already on the page, and
after each measurement it lets the app settle (no run in progress, then a short pause) so that
one action's trailing work never lands in the next one's time.

It asserts nothing about time: it prints a table (median, min, max per action, beside the
issue's goals: 300 ms per edit, 500 ms per page switch) and writes the raw samples to
``benchmarks/out/clicks.json`` (git-ignored).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_clicks.py [--repeat 5] [--fake-embedder]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.appserver import CHROMIUM, CHROMIUM_ARGS, serve_app  # noqa: E402

TIMEOUT_MS = 120_000
EDIT_GOAL_MS = 300
PAGE_GOAL_MS = 500
# page title in the sidebar -> text its <h1> starts with
PAGES = {
    "Themes": "Themes",
    "Segments": "Segments",
    "Quote bank": "Quote bank",
    "Overview": "Overview",
}
ROUND = ("Segments", "Quote bank", "Overview", "Themes")  # starts and ends on Themes

# Installed before a click: t0 when the browser dispatches it.
ARM_JS = """() => {
  window.__qsT0 = null; window.__qsState = null;
  document.addEventListener('click', () => {
    if (window.__qsT0 === null) window.__qsT0 = performance.now();
  }, {capture: true, once: true});
}"""

# Polled on every animation frame after the click: the new state shown and the run finished.
DONE_JS = """(want) => {
  if (window.__qsT0 === null) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const text = (el) => (el.textContent || '').replace(/\\s+/g, ' ').trim();
  if (want.h1 && ![...main.querySelectorAll('h1')].some((h) => text(h).startsWith(want.h1)))
    return false;
  if (want.alert && ![...main.querySelectorAll('[data-testid="stAlert"]')]
      .some((a) => text(a).startsWith(want.alert))) return false;
  if (want.heading && ![...main.querySelectorAll('h1, h2, h3')]
      .some((h) => text(h) === want.heading)) return false;
  const now = performance.now();
  if (window.__qsState === null) window.__qsState = now;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  return {t0: window.__qsT0, state: window.__qsState, widget: now};
}"""

PRESENT_JS = """(want) => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const text = (el) => (el.textContent || '').replace(/\\s+/g, ' ').trim();
  return [...main.querySelectorAll('[data-testid="stAlert"]')]
    .some((a) => text(a).startsWith(want));
}"""


def settle(page, pause: float = 0.4) -> None:
    """No run in progress (and no "Running…" indicator), then a short pause."""
    time.sleep(pause)
    page.wait_for_function(
        """() => {
          const app = document.querySelector('[data-testid="stApp"]');
          return app && app.getAttribute('data-test-script-state') === 'notRunning'
            && !document.querySelector('[data-testid="stStatusWidget"]');
        }""",
        timeout=TIMEOUT_MS,
    )
    time.sleep(0.3)


def timed_click(page, target, want: dict) -> dict:
    """Click ``target`` and wait for ``want`` (see DONE_JS); the times in ms from the click."""
    if want.get("alert") and page.evaluate(PRESENT_JS, want["alert"]):
        raise RuntimeError(f"already on the page before the click: {want['alert']!r}")
    target.wait_for(state="visible")
    page.evaluate(ARM_JS)
    wall0 = time.perf_counter()
    target.click()
    done = page.wait_for_function(DONE_JS, arg=want, polling="raf", timeout=TIMEOUT_MS).json_value()
    wall = (time.perf_counter() - wall0) * 1000
    sample = {
        "ms": round(done["state"] - done["t0"], 1),
        "ms_widget_gone": round(done["widget"] - done["t0"], 1),
        "ms_python_wall": round(wall, 1),
    }
    settle(page)
    return sample


def panel(page):
    """The visible tab panel (the themes page renders every lens; one is shown)."""
    return page.locator('[role="tabpanel"]:visible').first


def nav_link(page, title: str):
    return page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title)


def switch(page, title: str) -> dict:
    return timed_click(page, nav_link(page, title), {"h1": PAGES[title]})


def theme_heading(page) -> str:
    return panel(page).locator("h3").first.inner_text().strip()


def rename(page, n: int) -> tuple[dict, str]:
    box = panel(page).get_by_label("Name", exact=True)
    new = f"Bench rename {n}"
    box.fill(new)
    box.press("Enter")
    settle(page)
    sample = timed_click(
        page,
        panel(page).get_by_role("button", name="Rename", exact=True),
        {"alert": f"Renamed theme to “{new}”.", "heading": new},
    )
    return sample, "renamed theme"


def merge(page) -> dict:
    pick = panel(page).locator('[data-testid="stMultiSelect"]').filter(has_text="Themes to merge")
    for _ in range(4):
        if pick.locator("[data-tag]").count() >= 2:
            break
        if not pick.is_visible():
            panel(page).get_by_text("Merge themes", exact=True).click()
            settle(page)
        pick.locator("input").click()
        page.get_by_role("option").filter(has_not_text="Select all").first.click()
        page.keyboard.press("Escape")
        settle(page)
    if pick.locator("[data-tag]").count() != 2:
        raise RuntimeError("could not pick two themes to merge")
    return timed_click(
        page,
        panel(page).get_by_role("button", name="Merge", exact=True),
        {"alert": "Merged 2 themes."},
    )


def split(page) -> dict:
    return timed_click(
        page,
        panel(page).get_by_role("button", name="Split in two"),
        {"alert": "Split theme"},
    )


def undo(page, what: str) -> dict:
    return timed_click(
        page,
        page.get_by_role("button", name="Undo last edit"),
        {"alert": f"Undone: {what}"},
    )


def prepare(workspace: Path, fake_embedder: bool) -> float:
    """The sample study imported and analyzed in ``workspace``; returns the seconds it took."""
    env = os.environ | {
        "QUALSEG_WORKSPACE": str(workspace),
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    start = time.perf_counter()
    if fake_embedder:
        code = (
            "from qualseg import service\n"
            "from qualseg.config import AnalysisConfig\n"
            "from qualseg.embed import HashingEmbedder\n"
            "from qualseg.running import run_analysis\n"
            "from qualseg.store import Workspace\n"
            "store = service.ensure_sample_project(Workspace())\n"
            "run_analysis(store, AnalysisConfig(), embedder=HashingEmbedder())\n"
        )
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    else:
        code = (
            "from qualseg import service\n"
            "from qualseg.store import Workspace\n"
            "service.ensure_sample_project(Workspace()).close()\n"
        )
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [sys.executable, "-m", "qualseg", "analyze", "--project", "sample-study"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def summary(samples: list[dict]) -> dict:
    ms = [s["ms"] for s in samples]
    widget = [s["ms_widget_gone"] for s in samples]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "min_ms": round(min(ms), 1),
        "max_ms": round(max(ms), 1),
        "median_ms_widget_gone": round(statistics.median(widget), 1),
    }


def measure(url: str, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[dict]] = {
        "rename": [],
        "merge": [],
        "split": [],
        "undo": [],
        "page switch": [],
    }
    first_visit: dict[str, dict] = {}
    per_page: dict[str, list[dict]] = {title: [] for title in PAGES}
    undo_of: dict[str, list[dict]] = {"rename": [], "merge": [], "split": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.get_by_role("heading", name="Overview · sample-study").wait_for()
        settle(page)
        for title in ("Themes", *ROUND):  # warm-up: each page once, reported apart
            first_visit[title] = switch(page, title)
        for n in range(1, repeat + 1):
            sample, what = rename(page, n)
            runs["rename"].append(sample)
            undo_of["rename"].append(undo(page, what))
            runs["merge"].append(merge(page))
            undo_of["merge"].append(undo(page, "merged 2 themes"))
            heading = theme_heading(page)
            runs["split"].append(split(page))
            undo_of["split"].append(undo(page, "split theme"))
            if theme_heading(page) != heading:
                raise RuntimeError(f"undo did not restore {heading!r}")
            for title in ROUND:
                sample = switch(page, title)
                per_page[title].append(sample)
                runs["page switch"].append(sample)
            print(f"  round {n}/{repeat} done", flush=True)
        context.close()
        browser.close()
    runs["undo"] = [s for kind in ("rename", "merge", "split") for s in undo_of[kind]]
    return {
        "actions": {name: summary(s) | {"samples": s} for name, s in runs.items()},
        "undo_by_edit": {name: summary(s) for name, s in undo_of.items()},
        "page_switch_to": {name: summary(s) for name, s in per_page.items() if s},
        "first_visit_ms": {name: s["ms"] for name, s in first_visit.items()},
    }


def table(result: dict) -> str:
    rows = [("action", "median ms", "min ms", "max ms", "goal ms", "n")]
    for name, figures in result["actions"].items():
        goal = PAGE_GOAL_MS if name == "page switch" else EDIT_GOAL_MS
        rows.append(
            (
                name,
                f"{figures['median_ms']:.0f}",
                f"{figures['min_ms']:.0f}",
                f"{figures['max_ms']:.0f}",
                f"< {goal}",
                str(figures["n"]),
            )
        )
    for name, figures in result["page_switch_to"].items():
        rows.append(
            (
                f"  to {name}",
                f"{figures['median_ms']:.0f}",
                f"{figures['min_ms']:.0f}",
                f"{figures['max_ms']:.0f}",
                f"< {PAGE_GOAL_MS}",
                str(figures["n"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of every action")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument(
        "--fake-embedder",
        action="store_true",
        help="analyze and serve with the hashing embedder (the browser test's) instead of the "
        "real model",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    workspace = Path(tempfile.mkdtemp(prefix="qualseg-clicks-"))
    try:
        embedder = "hashing (test fake)" if args.fake_embedder else "all-MiniLM-L6-v2 (real)"
        print(f"analyzing the sample study in {workspace} with {embedder}…", flush=True)
        prepare_s = prepare(workspace, args.fake_embedder)
        print(f"  done in {prepare_s:.1f} s; serving the app and measuring…", flush=True)
        load_before = os.getloadavg()
        started = time.perf_counter()
        with serve_app(workspace, fake_embedder=args.fake_embedder) as url:
            result = measure(url, args.repeat)
        load_after = os.getloadavg()
    finally:
        if args.keep:
            print(f"workspace kept: {workspace}")
        else:
            shutil.rmtree(workspace, ignore_errors=True)
    result |= {
        "repeat": args.repeat,
        "embedder": embedder,
        "prepare_s": round(prepare_s, 1),
        "measure_s": round(time.perf_counter() - started, 1),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "goals_ms": {"edit": EDIT_GOAL_MS, "page switch": PAGE_GOAL_MS},
    }
    print()
    print(table(result))
    print()
    print(
        "first visit of each page (warm-up, not in the table): "
        + ", ".join(f"{k} {v:.0f} ms" for k, v in result["first_visit_ms"].items())
    )
    print(
        "undo by edit undone (median ms): "
        + ", ".join(f"{k} {v['median_ms']:.0f}" for k, v in result["undo_by_edit"].items())
    )
    print(f"load average before / after: {load_before[0]:.1f} / {load_after[0]:.1f}")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "clicks.json"
    path.write_text(json.dumps(result, indent=2), "utf-8")
    print(f"raw samples: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
