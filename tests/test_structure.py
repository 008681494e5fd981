"""The layout keeps its rules (read from the source, nothing imported): the CLI, the UI and the
public API reach the project only through the use-case layer (``qualseg/service.py``)."""

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
    """The CLI, the UI and the public API (``qualseg/api.py``)."""
    return [
        PACKAGE / "cli.py",
        PACKAGE / "cli_privacy.py",
        PACKAGE / "api.py",
        *sorted((PACKAGE / "ui").rglob("*.py")),
    ]


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


def _writes_csv(path: Path) -> bool:
    """Whether a module writes CSV itself: ``csv.writer`` / ``csv.DictWriter`` (any import form)
    or a ``.to_csv`` call that is not a call into a qualseg module (pandas' ``DataFrame.to_csv``)."""
    tree = ast.parse(path.read_text("utf-8"))
    csv_names = {"csv"}
    writer_names: set[str] = set()
    qualseg_names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "csv":
                    csv_names.add(alias.asname or "csv")
                elif alias.name.startswith("qualseg") and alias.asname:
                    qualseg_names.add(alias.asname)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if node.module == "csv" and alias.name in ("writer", "DictWriter"):
                    writer_names.add(alias.asname or alias.name)
                elif node.module.startswith("qualseg"):
                    qualseg_names.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in writer_names:
            return True
        if isinstance(func, ast.Attribute):
            receiver = func.value.id if isinstance(func.value, ast.Name) else None
            if func.attr in ("writer", "DictWriter") and receiver in csv_names:
                return True
            if func.attr == "to_csv" and receiver not in qualseg_names:
                return True
    return False


def _csv_writers() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py") if _writes_csv(path)
    )


def test_one_module_writes_csv():
    """The quote table (quote bank download, csv and xlsx exports, quotes.csv) and every other
    CSV are written by qualseg/tables.py; the issue's bound is two modules."""
    writers = _csv_writers()
    assert len(writers) <= 2, writers
    assert writers == ["qualseg/tables.py"]


def test_the_csv_writer_count_sees_every_form(tmp_path):
    samples = {
        "a.py": "import csv\ncsv.writer(x)\n",
        "b.py": "import csv as c\nc.DictWriter(x, [])\n",
        "c.py": "from csv import writer\nwriter(x)\n",
        "d.py": "import pandas as pd\npd.DataFrame().to_csv('x')\n",
        "e.py": "from qualseg import quote_bank\nquote_bank.to_csv([])\n",
        "f.py": "import csv\ncsv.reader(x)\n",
    }
    found = set()
    for name, text in samples.items():
        (tmp_path / name).write_text(text)
        if _writes_csv(tmp_path / name):
            found.add(name)
    assert found == {"a.py", "b.py", "c.py", "d.py"}


MAX_MODULE_LINES = 450


def test_no_module_is_over_450_lines():
    """A module that grows past this holds more than one job: split it (see ARCHITECTURE.md)."""
    lines = {
        str(path.relative_to(ROOT)): len(path.read_text("utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {p: n for p, n in lines.items() if n > MAX_MODULE_LINES} == {}
