"""The workspace: a folder holding one sub-folder per project (``interviews/`` by default)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from qualseg.atomic import write_atomically
from qualseg.errors import ProjectError
from qualseg.store.project_store import DB_NAME, ProjectStore

DEFAULT_WORKSPACE = Path(__file__).resolve().parents[2] / "interviews"
PROJECT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
LAST_USED = ".last-project"  # the project the app opened last: where a new session starts


class Workspace:
    """Lists, creates and opens projects under one root folder."""

    def __init__(self, root: Path | str | None = None) -> None:
        env_root = os.environ.get("QUALSEG_WORKSPACE")
        self.root = Path(root or env_root or DEFAULT_WORKSPACE)

    def projects(self) -> list[str]:
        """Names of the projects in this workspace, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / DB_NAME).is_file())

    def last_used(self) -> str | None:
        """The project the app opened last, when it still exists."""
        try:
            name = (self.root / LAST_USED).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return name if self.exists(name) else None

    def remember(self, name: str) -> None:
        """Keep ``name`` as the last project used (a one-line file in the workspace root)."""
        if self.exists(name) and self.last_used() != name:
            write_atomically(self.root / LAST_USED, f"{name}\n".encode())

    def exists(self, name: str) -> bool:
        return (self.root / name / DB_NAME).is_file() if PROJECT_NAME.match(name) else False

    def open(self, name: str, *, create: bool = False) -> ProjectStore:
        """Open a project, creating it when ``create`` is true.

        Raises:
            ProjectError: the name is not a safe folder name, or the project does not exist.
        """
        if not PROJECT_NAME.match(name):
            raise ProjectError(
                f"project name {name!r} is not allowed: use 1-64 letters, digits, '-', '_' or '.', "
                "starting with a letter or digit"
            )
        folder = self.root / name
        if not (folder / DB_NAME).is_file() and not create:
            known = ", ".join(self.projects()) or "none yet"
            raise ProjectError(f"no project named {name!r} in {self.root} (projects: {known})")
        return ProjectStore(folder)
