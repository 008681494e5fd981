"""The files of a deletion: report files rebuilt without the deleted speech, originals and
backups shredded (overwritten, synced, removed), the project folder read back for leftovers."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from qualseg.atomic import leftover_parts, write_atomically
from qualseg.store import ProjectStore

REPORT_FOLDER = "report"  # where `qualseg analyze --project` writes its files by default
REPORT_FILES = ("report.json", "report.md", "quotes.csv")


def find_leftovers(folder: Path, needles: Iterable[str]) -> list[str]:
    """Files under ``folder`` (relative paths) whose bytes still contain one of the texts."""
    encoded = sorted({n.encode("utf-8") for n in needles}, key=len, reverse=True)
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if any(n in data for n in encoded):
            hits.append(str(path.relative_to(folder)))
    return hits


def rebuild_outputs(store: ProjectStore) -> list[str]:
    """Rebuild the report files the CLI wrote into the project folder from the scrubbed run
    result they came from (removed when that run has no result any more)."""
    from qualseg.report import report_markdown
    from qualseg.tables import run_quotes_csv

    folder = store.folder / REPORT_FOLDER
    for part in leftover_parts(folder, REPORT_FILES):  # a killed write's temporary file
        shred(part)
    written = folder / REPORT_FILES[0]
    if not written.is_file():
        return []
    try:
        run_id = json.loads(written.read_text("utf-8"))["run"]["id"]
    except (ValueError, KeyError, TypeError):
        run_id = None
    result = dict(store.stored_results()).get(run_id)
    done = []
    for name in REPORT_FILES:
        path = folder / name
        if path.exists():
            # the old bytes are overwritten in place first: a rename alone would leave them
            # in free blocks of the disk
            shred(path)
        if result is not None:
            content = {
                "report.json": lambda r: json.dumps(r, indent=2, ensure_ascii=False),
                "report.md": report_markdown,
                "quotes.csv": run_quotes_csv,
            }[name](result)
            write_atomically(path, content.encode("utf-8"))
        done.append(f"{REPORT_FOLDER}/{name}")
    return done


def shred(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, then remove it."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()


def write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
