"""Files written whole or not at all: a temporary file in the same folder, synced, renamed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PART_SUFFIX = ".part"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it
    over ``path`` (``os.replace``): a reader, or a process killed at any point, sees the old
    complete file or the new one, never half of one; a failure leaves no temporary file."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PART_SUFFIX)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _file_mode(path))
        os.replace(temp, path)
        _sync_folder(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def leftover_parts(folder: Path, names: tuple[str, ...]) -> list[Path]:
    """Temporary files a killed ``write_atomically`` of these file names left in ``folder``."""
    return sorted(
        p for name in names for p in folder.glob(f".{name}.*{PART_SUFFIX}") if p.is_file()
    )


def _sync_folder(folder: Path) -> None:
    """Put the rename itself on disk (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, or what a new file would get (0666 less umask)."""
    if path.is_file():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
