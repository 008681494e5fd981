"""Files written whole or not at all: a process killed at any moment of a write leaves the old
complete file or the new one, never a mix; a failure leaves no temporary file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from qualseg import atomic
from tests.conftest import ROOT

OLD = b"old report\n" * 1000
NEW = b"N" * (64 * 1024 * 1024)  # large enough that a kill often lands inside the write


def test_a_failure_during_the_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_bytes(OLD)

    def power_cut(fd):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomically(target, NEW)
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_a_kill_at_any_moment_leaves_the_old_or_the_new_complete_file(tmp_path):
    code = (
        "import sys; from pathlib import Path; from qualseg.atomic import write_atomically; "
        f"write_atomically(Path(sys.argv[1]), b'N' * {len(NEW)})"
    )
    outcomes = set()
    for delay in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.5):
        folder = tmp_path / f"d{delay}"
        folder.mkdir()
        target = folder / "quotes.csv"
        target.write_bytes(OLD)
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(target)], env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = target.read_bytes()
        assert data in (OLD, NEW), (delay, len(data))
        outcomes.add("new" if data == NEW else "old")
    assert "old" in outcomes  # at least one kill landed before the rename


def test_leftover_parts_finds_only_temporaries_of_the_named_files(tmp_path):
    (tmp_path / ".report.json.abc123.part").write_bytes(b"x")
    (tmp_path / ".other.csv.abc123.part").write_bytes(b"x")
    (tmp_path / "report.json").write_bytes(b"x")
    found = atomic.leftover_parts(tmp_path, ("report.json", "quotes.csv"))
    assert [p.name for p in found] == [".report.json.abc123.part"]
