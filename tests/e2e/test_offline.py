"""The whole pipeline runs with the network blocked: model load, spaCy, analysis, reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT, SAMPLE_DIR

pytestmark = pytest.mark.slow

BLOCK_NETWORK = textwrap.dedent(
    """
    import socket

    def _refuse(*args, **kwargs):
        raise OSError("network access attempted during an offline test")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    """
)


def test_analyze_with_the_network_blocked(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCK_NETWORK, "utf-8")
    study = tmp_path / "study"
    study.mkdir()
    for name in ("interview_bluepeak.txt", "zoom_0316.vtt", "otter_novak.txt", "session4.txt"):
        shutil.copy(SAMPLE_DIR / name, study / name)
    env = {
        k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    }
    env["PYTHONPATH"] = os.pathsep.join([str(blocker), str(ROOT)])
    result = subprocess.run(
        [sys.executable, "-m", "qualseg", "analyze", str(study), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "network access attempted" not in result.stderr
    assert (tmp_path / "out" / "report.json").is_file()
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "network access attempted" in probe.stderr, "the blocker must be active"
