"""Serve the app for a browser: ``streamlit run app.py`` on a free localhost port.

Shared by the browser test (tests/browser/test_e2e_browser.py) and the click benchmark
(benchmarks/bench_clicks.py). No pytest here, so a plain script can import it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(workspace: Path, *, fake_embedder: bool, start_timeout: float = 90) -> Iterator[str]:
    """The app served on localhost over ``workspace``; yields its URL, stops it on exit.

    ``fake_embedder``: analyze with the hashing embedder (QUALSEG_FAKE_EMBEDDER=1, test only)
    instead of the real model. The server's output goes to ``workspace/streamlit.log``."""
    port = free_port()
    env = os.environ | {
        "QUALSEG_WORKSPACE": str(workspace),
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    if fake_embedder:
        env["QUALSEG_FAKE_EMBEDDER"] = "1"
    else:
        env.pop("QUALSEG_FAKE_EMBEDDER", None)
    log_path = workspace / "streamlit.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "localhost",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://localhost:{port}"
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply,
                ):
                    if reply.read().strip() == b"ok":
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "streamlit did not start:\n" + log_path.read_text(errors="replace")
                    )
                time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
