"""The export table and the export use-case: formats, lazy modules, context, clear errors."""

from __future__ import annotations

import csv
import importlib.util
import io
import json

import openpyxl
import pytest

from qualseg import editing
from qualseg.errors import ProjectError
from qualseg.exports import registry
from qualseg.exports.context import ExportContext, ExportOptions, build_context
from qualseg.exports.quote_table import render_csv
from qualseg.exports.registry import (
    FORMATS,
    ExportFormat,
    default_file_name,
    export_project,
    format_of,
    renderer,
    unavailable,
)
from tests.conftest import SAMPLE_DIR

SAMPLE_PARTICIPANTS = SAMPLE_DIR / "participants.csv"


def probe(ctx: ExportContext) -> bytes:
    """A format used by these tests: what the context was built with."""
    return json.dumps(
        {
            "project": ctx.project,
            "pseudonymised": ctx.pseudonymised,
            "product": ctx.options.product,
            "category": ctx.options.category,
            "edits": ctx.edits,
            "labels": sorted(t["label"] for t in ctx.report["themes"]),
        }
    ).encode()


def not_bytes(ctx: ExportContext) -> str:
    return "text"


@pytest.fixture
def probe_format(monkeypatch):
    spec = ExportFormat("Probe", "json", "application/json", __name__, "probe", "test", "probe")
    monkeypatch.setitem(FORMATS, "probe", spec)
    return "probe"


def present(fmt: str) -> bool:
    return importlib.util.find_spec(FORMATS[fmt].module) is not None


def test_the_table_names_every_deliverable():
    assert {"md", "html", "docx", "csv", "xlsx", "qdpx", "json", "swipe-md"} <= set(FORMATS)
    assert FORMATS["csv"].module == FORMATS["xlsx"].module == "qualseg.exports.quote_table"
    assert (FORMATS["csv"].function, FORMATS["xlsx"].function) == ("render_csv", "render_xlsx")
    assert FORMATS["swipe-md"].function == "render_swipe_md"
    assert FORMATS["md"].module == "qualseg.exports.markdown"
    assert FORMATS["json"].module == "qualseg.exports.json_export"
    for fmt, spec in FORMATS.items():
        assert spec.label and spec.description.endswith("."), fmt
        assert spec.extension and not spec.extension.startswith("."), fmt
        assert "/" in spec.mime, fmt
        assert spec.module.startswith("qualseg.exports."), fmt
    names = {default_file_name("acme", fmt) for fmt in FORMATS}
    assert len(names) == len(FORMATS), "every format has its own default file name"
    assert default_file_name("acme", "xlsx") == "acme-quotes.xlsx"
    assert default_file_name("acme", "swipe-md") == "acme-swipe-file.md"
    assert default_file_name("acme", "md") == "acme-report.md"


def test_an_unknown_format_is_refused_with_the_known_ones():
    with pytest.raises(ProjectError) as err:
        format_of("pdf")
    for fmt in FORMATS:
        assert fmt in str(err.value)
    with pytest.raises(ProjectError, match="unknown export format 'pdf'"):
        default_file_name("acme", "pdf")


def test_unknown_format_fails_before_the_project_is_read(workspace):
    store = workspace.open("empty", create=True)
    with pytest.raises(ProjectError, match="unknown export format"):
        export_project(store, "pdf")


def test_export_is_built_from_the_current_state(analyzed_store, probe_format):
    state = editing.current_state(analyzed_store)
    theme = state.report["themes"][0]
    editing.rename_theme(analyzed_store, theme["id"], "Renamed by the researcher")
    out = json.loads(
        export_project(
            analyzed_store,
            probe_format,
            pseudonymise=False,
            options=ExportOptions(product="Ledgerly", category="AP tool"),
        )
    )
    assert out["project"] == "sample"
    assert out["pseudonymised"] is False
    assert (out["product"], out["category"]) == ("Ledgerly", "AP tool")
    assert out["edits"] == 1
    assert "Renamed by the researcher" in out["labels"]
    default = json.loads(export_project(analyzed_store, probe_format))
    assert default["pseudonymised"] is True  # the project's setting: on by default
    assert default["product"] is None


def test_quote_bank_export_matches_its_renderer(analyzed_store):
    data = export_project(analyzed_store, "csv", pseudonymise=False)
    assert data == render_csv(build_context(analyzed_store, pseudonymise=False))
    wb = openpyxl.load_workbook(io.BytesIO(export_project(analyzed_store, "xlsx")))
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["pseudonymised"] == "yes"
    swipe = export_project(analyzed_store, "swipe-md").decode()
    assert swipe.startswith("# Swipe file · sample")


def test_not_analyzed_project_is_refused(workspace):
    store = workspace.open("fresh", create=True)
    with pytest.raises(ProjectError, match="has not been analyzed yet"):
        export_project(store, "csv")


def test_a_missing_module_is_reported_clearly(monkeypatch, workspace):
    spec = ExportFormat("Ghost", "txt", "text/plain", "qualseg.exports.ghost", "render", "x.", "g")
    monkeypatch.setitem(FORMATS, "ghost", spec)
    assert unavailable("ghost") == (
        "the Ghost export is not available: module qualseg.exports.ghost is missing"
    )
    with pytest.raises(ProjectError, match="module qualseg.exports.ghost is missing"):
        renderer("ghost")
    with pytest.raises(ProjectError, match="not available"):
        export_project(workspace.open("fresh", create=True), "ghost")


def test_a_missing_library_or_function_is_reported_clearly(monkeypatch):
    def failing_import(name):
        raise ModuleNotFoundError("No module named 'docxlib'", name="docxlib")

    monkeypatch.setattr(registry.importlib, "import_module", failing_import)
    with pytest.raises(ProjectError, match="needs the Python package 'docxlib'"):
        renderer("csv")
    monkeypatch.undo()
    spec = ExportFormat("Odd", "txt", "text/plain", __name__, "no_such_function", "x.", "o")
    monkeypatch.setitem(FORMATS, "odd", spec)
    with pytest.raises(ProjectError, match="has no no_such_function"):
        renderer("odd")


def test_a_renderer_must_return_bytes(analyzed_store, monkeypatch):
    spec = ExportFormat("Text", "txt", "text/plain", __name__, "not_bytes", "x.", "t")
    monkeypatch.setitem(FORMATS, "text", spec)
    with pytest.raises(TypeError, match="not_bytes returned"):
        export_project(analyzed_store, "text")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_present_format_exports(analyzed_store, fmt):
    if not present(fmt):
        assert unavailable(fmt)
        with pytest.raises(ProjectError, match="not available"):
            export_project(analyzed_store, fmt)
        return
    assert unavailable(fmt) is None
    data = export_project(analyzed_store, fmt, pseudonymise=False)
    assert isinstance(data, bytes) and data


def test_quote_bank_exports_carry_no_real_names_unless_asked(analyzed_store):
    names = [row["participant"] for row in csv.DictReader(SAMPLE_PARTICIPANTS.open())]
    assert len(names) == 14
    for fmt in ("csv", "xlsx", "swipe-md"):
        data = export_project(analyzed_store, fmt)
        text = data.decode("utf-8-sig") if fmt != "xlsx" else xlsx_text(data)
        assert not [n for n in names if n in text], fmt
    real = export_project(analyzed_store, "csv", pseudonymise=False).decode("utf-8-sig")
    assert all(n in real for n in names)


def xlsx_text(data: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )
