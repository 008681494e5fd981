"""The one table of what a project can be exported as, and the export use-case.

Each format names the module and function that turn an
:class:`~qualseg.exports.context.ExportContext` into bytes. Modules are imported only when their
format is asked for, so a heavy dependency is loaded only by the export that needs it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import NamedTuple

from qualseg.errors import ProjectError
from qualseg.exports.context import ExportContext, ExportOptions, build_context
from qualseg.store import ProjectStore


class ExportFormat(NamedTuple):
    """One deliverable: how it is shown, named and typed, and which function renders it."""

    label: str
    extension: str
    mime: str
    module: str
    function: str
    description: str
    stem: str  # the default file name is "<project>-<stem>.<extension>"


FORMATS: dict[str, ExportFormat] = {
    "md": ExportFormat(
        "Report (Markdown)",
        "md",
        "text/markdown",
        "qualseg.exports.markdown",
        "render",
        "Segment profile report: segments, their needs, traits, triggers and objections, "
        "validation and messaging starters, with verbatim quotes and their sources.",
        "report",
    ),
    "html": ExportFormat(
        "Report (HTML)",
        "html",
        "text/html",
        "qualseg.exports.html",
        "render",
        "The segment profile report as one self-contained web page, to open in any browser.",
        "report",
    ),
    "docx": ExportFormat(
        "Report (Word)",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "qualseg.exports.docx",
        "render",
        "The segment profile report as a Word document, to edit and share.",
        "report",
    ),
    "csv": ExportFormat(
        "Quote bank (CSV)",
        "csv",
        "text/csv",
        "qualseg.exports.quote_table",
        "render_csv",
        "Every quote not dismissed: segment, themes, kinds, participant and metadata, the "
        "verbatim text, source file, offsets and timestamp. Formula-safe.",
        "quotes",
    ),
    "xlsx": ExportFormat(
        "Quote bank (Excel)",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "qualseg.exports.quote_table",
        "render_xlsx",
        "The quote bank as a workbook with filters, the swipe file on its own sheet and what "
        "the export was built from. Formula-safe.",
        "quotes",
    ),
    "swipe-md": ExportFormat(
        "Swipe file (Markdown)",
        "md",
        "text/markdown",
        "qualseg.exports.quote_table",
        "render_swipe_md",
        "The pinned quotes, each with who said it and where.",
        "swipe-file",
    ),
    "qdpx": ExportFormat(
        "REFI-QDA project (QDPX)",
        "qdpx",
        "application/zip",
        "qualseg.exports.qdpx",
        "render",
        "Transcripts, themes as codes and excerpts as coded segments, for other qualitative "
        "analysis tools that read the REFI-QDA exchange standard.",
        "study",
    ),
    "json": ExportFormat(
        "Study data (JSON)",
        "json",
        "application/json",
        "qualseg.exports.json_export",
        "render",
        "The whole current state (participants, excerpts, themes, segments, edits applied) as "
        "JSON for scripts and other tools.",
        "study",
    ),
}


def format_of(fmt: str) -> ExportFormat:
    """The table entry of a format.

    Raises:
        ProjectError: unknown format (the message lists the known ones).
    """
    if fmt not in FORMATS:
        raise ProjectError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return FORMATS[fmt]


def unavailable(fmt: str) -> str | None:
    """Why a format cannot be exported in this installation, or None when its module is there.

    Cheap: looks the module up without importing it.
    """
    spec = format_of(fmt)
    if importlib.util.find_spec(spec.module) is None:
        return f"the {spec.label} export is not available: module {spec.module} is missing"
    return None


def renderer(fmt: str) -> Callable[[ExportContext], bytes]:
    """The function that renders a format, imported now.

    Raises:
        ProjectError: unknown format, or its module (or a library it needs) is missing.
    """
    spec = format_of(fmt)
    try:
        module = importlib.import_module(spec.module)
    except ImportError as err:
        if err.name == spec.module:
            raise ProjectError(
                f"the {spec.label} export is not available: module {spec.module} is missing"
            ) from err
        raise ProjectError(
            f"the {spec.label} export needs the Python package {err.name!r}, which is not installed"
        ) from err
    function = getattr(module, spec.function, None)
    if not callable(function):
        raise ProjectError(
            f"the {spec.label} export is not available: {spec.module} has no {spec.function}()"
        )
    return function


def render(ctx: ExportContext, fmt: str) -> bytes:
    """One format of an already built context."""
    data = renderer(fmt)(ctx)
    if not isinstance(data, bytes):
        raise TypeError(f"{FORMATS[fmt].module}.{FORMATS[fmt].function} returned {type(data)}")
    return data


def export_project(
    store: ProjectStore,
    fmt: str,
    *,
    pseudonymise: bool | None = None,
    options: ExportOptions | None = None,
) -> bytes:
    """A deliverable built from the project's current state (the researcher's edits applied).

    Args:
        pseudonymise: ``None`` follows the project's setting (on unless switched off).

    Raises:
        ProjectError: unknown or unavailable format, or the project has not been analyzed yet.
    """
    renderer(fmt)  # an unknown or missing format fails before the context is built
    ctx = build_context(store, pseudonymise=pseudonymise, options=options)
    return render(ctx, fmt)


def default_file_name(project: str, fmt: str) -> str:
    """``<project>-<stem>.<extension>``, e.g. ``acme-quotes.xlsx``."""
    spec = format_of(fmt)
    return f"{project}-{spec.stem}.{spec.extension}"
