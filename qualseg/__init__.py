"""qualseg: find needs-based segments in customer interviews, with the customers' own words.

The public API::

    from qualseg import Workspace, AnalysisConfig, analyze_project, export_project

Its names are loaded on first use: ``import qualseg`` itself loads no model library (torch,
spaCy, scikit-learn, sentence-transformers), so the CLI's help and the package's version stay
quick. See :mod:`qualseg.api`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_PUBLIC = {
    "Workspace": "qualseg.store.workspace",
    "AnalysisConfig": "qualseg.config",
    "analyze_project": "qualseg.api",
    "export_project": "qualseg.api",
}

__all__ = ["AnalysisConfig", "Workspace", "__version__", "analyze_project", "export_project"]

if TYPE_CHECKING:
    from qualseg.api import analyze_project, export_project
    from qualseg.config import AnalysisConfig
    from qualseg.store.workspace import Workspace


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'qualseg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
