"""The layout keeps its rules (read from the source, nothing imported): the CLI and the UI reach
the project only through the use-case layer (``qualseg/service.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "qualseg"
# Modules that only the use-case layer (service.py, usecases/) may import for the CLI and the UI.
BEHIND_THE_SERVICE = (
    "qualseg.store",
    "qualseg.importing",
    "qualseg.running",
    "qualseg.exports",
    "qualseg.privacy",
    "qualseg.deletion",
)


def _modules_imported(path: Path) -> set[str]:
    """Every module an import statement of the file names, at any depth (function-level imports
    included); ``from qualseg import store`` counts as ``qualseg.store``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _behind_the_service(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in BEHIND_THE_SERVICE)


def _front_ends() -> list[Path]:
    return [PACKAGE / "cli.py", PACKAGE / "cli_privacy.py", *sorted((PACKAGE / "ui").rglob("*.py"))]


def test_the_cli_and_the_ui_go_through_the_service():
    offending = {
        str(path.relative_to(ROOT)): sorted(
            m for m in _modules_imported(path) if _behind_the_service(m)
        )
        for path in _front_ends()
    }
    assert {p: m for p, m in offending.items() if m} == {}


def test_the_import_rule_sees_every_form_of_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from qualseg import store\n"
        "def f():\n    import qualseg.running\n    from qualseg.exports.registry import FORMATS\n"
    )
    found = {m for m in _modules_imported(sample) if _behind_the_service(m)}
    assert found >= {"qualseg.store", "qualseg.running", "qualseg.exports.registry"}
