"""The named-entity parse of name detection, run in a separate process while this one loads the
embedding model.

On a cold analysis the two slowest steps before any embedding are independent: the parse of
every new transcript by spaCy's recogniser (``entity_records``) and the import and load of the
sentence-transformer model. Each keeps one core busy, mostly in Python; in one process they
queue behind the interpreter lock (a thread made it slower), so the parse runs in a fresh Python
process (``python -m qualseg.privacy.entity_prefetch``) that reads the pieces as JSON on stdin
and writes their records as JSON on stdout. It never opens the project: the caller stores the
records in the entity cache as an in-process parse would (``detect``'s ``parse``). If the
process fails for any reason, the parse runs in-process: the records are the same either way.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import qualseg
from qualseg.privacy.entities import entity_records

_log = logging.getLogger(__name__)


class EntityPrefetch:
    """A running parse of some transcripts' pieces in a child process."""

    def __init__(self, pieces: Sequence[Sequence[str]], command: Sequence[str] | None = None):
        self._count = len(pieces)
        env = dict(os.environ)
        root = Path(qualseg.__file__).resolve().parent.parent
        if root.name not in {"site-packages", "dist-packages"}:  # a checkout, not installed
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen(
            list(command or (sys.executable, "-m", "qualseg.privacy.entity_prefetch")),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        payload = json.dumps([list(p) for p in pieces], ensure_ascii=False).encode("utf-8")
        # written from a thread: the caller goes on with its own work while the child reads
        self._writer = threading.Thread(target=self._write, args=(payload,), daemon=True)
        self._writer.start()

    def _write(self, payload: bytes) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(payload)
            stdin.close()
        except OSError:  # the child died early: result() reports the failure
            pass

    def cancel(self) -> None:
        """Stop the child (the caller's own work failed)."""
        self._process.kill()
        self._process.wait()
        self._writer.join()
        for pipe in (self._process.stdout, self._process.stdin):
            if pipe is not None:
                pipe.close()

    def result(self) -> list[list[list]] | None:
        """Each transcript's entity records, in the order given; None when the child failed
        (the caller then parses in-process)."""
        stdout = self._process.stdout
        assert stdout is not None
        try:
            out = stdout.read()
            self._process.wait()
        except OSError:
            self._process.kill()
            return None
        finally:
            self._writer.join()
            stdout.close()
        if self._process.returncode != 0:
            return None
        try:
            records = json.loads(out.decode("utf-8"))
        except ValueError:
            return None
        if not isinstance(records, list) or len(records) != self._count:
            return None
        return records


def parse_while(
    pieces: Sequence[Sequence[str]],
    work: Callable[[], object],
    command: Sequence[str] | None = None,
) -> list[list[list]] | None:
    """Parse ``pieces`` in a child process while ``work`` runs here; the records, or None when
    the child could not give them (then nothing was lost but the overlap)."""
    if command is None and getattr(sys, "frozen", False):  # a bundled app: no Python to run
        work()
        return None
    try:
        prefetch = EntityPrefetch(pieces, command)
    except OSError as err:
        _log.info("entity parse in a child process not started (%s): parsing here", err)
        work()
        return None
    try:
        work()
    except BaseException:
        prefetch.cancel()
        raise
    records = prefetch.result()
    if records is None:
        _log.info("entity parse in a child process failed: parsing here")
    return records


def parse_overlapping(work: Callable[[], object]) -> Callable[[list[list[str]]], list[list[list]]]:
    """A ``parse`` for ``detect``: the pieces parsed in a child process while ``work`` runs here,
    or here when the child could not give them."""

    def parse(pieces: list[list[str]]) -> list[list[list]]:
        records = parse_while(pieces, work)
        return records if records is not None else entity_records(pieces)

    return parse


def main() -> int:
    """The child: pieces (a JSON list of lists of strings) on stdin, records on stdout."""
    pieces = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    sys.stdout.write(json.dumps(entity_records(pieces), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
