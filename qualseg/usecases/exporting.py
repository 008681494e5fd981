"""Export use-cases: one deliverable of a project's current state, as bytes (the CLI writes
them to a file, the UI hands them to a download button)."""

from __future__ import annotations

from pathlib import Path

from qualseg.exports import registry
from qualseg.exports.context import ExportOptions, outgoing_report
from qualseg.exports.registry import FORMATS, ExportFormat, default_file_name, unavailable
from qualseg.quote_bank import Quote, quotes
from qualseg.store import ProjectStore, Workspace

__all__ = [
    "FORMATS",
    "ExportFormat",
    "ExportOptions",
    "default_file_name",
    "export",
    "export_folder",
    "export_unavailable",
    "outgoing_quotes",
]


def export(
    store: ProjectStore,
    fmt: str,
    *,
    pseudonymise: bool | None = None,
    product: str | None = None,
    category: str | None = None,
) -> bytes:
    """A deliverable built from the project's current state (the researcher's edits applied);
    ``pseudonymise=None`` follows the project's setting. Empty product and category words are
    left out (their slots stay visible blanks)."""
    options = ExportOptions(
        product=(product or "").strip() or None, category=(category or "").strip() or None
    )
    return registry.export_project(store, fmt, pseudonymise=pseudonymise, options=options)


def export_folder(
    folder: str, fmt: str, *, pseudonymise: bool, product: str = "", category: str = ""
) -> bytes:
    """:func:`export` of the project in ``folder`` through a store of its own, closed after
    (safe on another thread, e.g. Streamlit's download thread)."""
    store = Workspace(Path(folder).parent).open(Path(folder).name)
    try:
        return export(store, fmt, pseudonymise=pseudonymise, product=product, category=category)
    finally:
        store.close()


def export_unavailable(fmt: str) -> str | None:
    """Why a format cannot be exported in this installation, or None."""
    return unavailable(fmt)


def outgoing_quotes(folder: str, excerpt_ids: list[str]) -> list[Quote]:
    """Quotes as they leave the tool (downloads): pseudonymised unless the project switched it
    off, in the order given. Opens its own store: a download is built on another thread."""
    store = ProjectStore(folder)
    try:
        report = outgoing_report(store)
    finally:
        store.close()
    by_id = {q.excerpt: q for q in quotes(report)}
    return [by_id[k] for k in excerpt_ids if k in by_id]
