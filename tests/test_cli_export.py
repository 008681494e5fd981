"""``python -m qualseg export``: every format, --out file or folder, clear errors, atomic write."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from qualseg import cli, editing
from qualseg.cli import main
from qualseg.exports import quote_table, registry
from qualseg.exports.registry import FORMATS, default_file_name, export_project


@pytest.fixture(autouse=True)
def _no_workspace_env(monkeypatch):
    monkeypatch.delenv("QUALSEG_WORKSPACE", raising=False)


@pytest.fixture
def root(analyzed_store) -> Path:
    """The workspace folder of a private copy of the analyzed sample study ('sample')."""
    return analyzed_store.folder.parent


def run(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--workspace", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def present(fmt: str) -> bool:
    return importlib.util.find_spec(FORMATS[fmt].module) is not None


def check_file(fmt: str, data: bytes) -> None:
    """The file is a well-formed document of its format that mentions the study's people."""
    assert data
    if fmt in ("xlsx", "docx", "qdpx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert wb.sheetnames == ["Quotes", "Swipe file", "About"]
    elif fmt == "json":
        assert isinstance(json.loads(data), dict)
    elif fmt in ("md", "html", "csv", "swipe-md"):
        text = data.decode("utf-8-sig")
        assert text.strip()
        if fmt != "swipe-md":
            assert "Priya Raman" in text or "P1" in text


def test_export_writes_the_quote_bank_csv_of_the_current_state(capsys, root, analyzed_store):
    state = editing.current_state(analyzed_store)
    dismissed = state.report["excerpts"][5]["id"]
    editing.dismiss_excerpt(analyzed_store, dismissed)
    target = root.parent / "quotes.csv"
    code, out, err = run(
        capsys, root, "export", "--project", "sample", "--format", "csv", "--out", str(target)
    )
    assert code == 0, err
    data = target.read_bytes()
    assert data == export_project(analyzed_store, "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert dismissed not in {r["excerpt_id"] for r in rows}
    assert len(rows) == len(state.report["excerpts"]) - 1
    assert f"wrote {target} (" in out
    assert "KB" in out and "Quote bank (CSV)" in out and "names pseudonymised" in out
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_writes_each_format_or_says_why_not(capsys, root, fmt):
    target = root.parent / f"out.{FORMATS[fmt].extension}"
    code, out, err = run(
        capsys, root, "export", "--project", "sample", "--format", fmt, "--out", str(target)
    )
    if not present(fmt):
        assert code == 2
        assert f"error: the {FORMATS[fmt].label} export is not available" in err
        assert not target.exists()
        return
    assert code == 0, err
    assert f"wrote {target}" in out
    check_file(fmt, target.read_bytes())


def test_out_folder_gets_the_default_file_name(capsys, root, monkeypatch):
    folder = root.parent / "deliverables"
    folder.mkdir()
    monkeypatch.setenv("QUALSEG_WORKSPACE", str(root))
    code = main(["export", "--project", "sample", "--format", "xlsx", "--out", str(folder)])
    out, err = capsys.readouterr()
    assert code == 0, err
    written = folder / default_file_name("sample", "xlsx")
    assert written.name == "sample-quotes.xlsx"
    assert sorted(p.name for p in folder.iterdir()) == [written.name]
    check_file("xlsx", written.read_bytes())
    assert str(written) in out


def test_real_names_and_messaging_words_reach_the_export(capsys, root, monkeypatch):
    seen = {}

    def fake_export(store, fmt, *, pseudonymise=None, options=None):
        seen.update(fmt=fmt, pseudonymise=pseudonymise, options=options)
        return b"ok"

    monkeypatch.setattr(registry, "export_project", fake_export)
    target = root.parent / "r.md"
    code, out, _err = run(
        capsys,
        root,
        "export",
        "--project",
        "sample",
        "--format",
        "md",
        "--out",
        str(target),
        "--real-names",
        "--product",
        "Ledgerly",
        "--category",
        "AP automation tool",
    )
    assert code == 0
    assert seen["fmt"] == "md" and seen["pseudonymise"] is False
    assert (seen["options"].product, seen["options"].category) == ("Ledgerly", "AP automation tool")
    assert "real names" in out and "(2 bytes" in out
    assert target.read_bytes() == b"ok"
    run(capsys, root, "export", "--project", "sample", "--format", "md", "--out", str(target))
    assert seen["pseudonymise"] is None  # follows the project's setting
    assert seen["options"].product is None


def test_real_names_switch_pseudonymisation_off(capsys, root):
    target = root.parent / "q.xlsx"
    for flag, expected in (([], "yes"), (["--real-names"], "no")):
        code, _out, err = run(
            capsys, root, "export", "--project", "sample", "--format", "xlsx", "--out",
            str(target), *flag,
        )  # fmt: skip
        assert code == 0, err
        wb = openpyxl.load_workbook(target)
        about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
        assert about["pseudonymised"] == expected


def test_unknown_project_is_an_error(capsys, root):
    code, out, err = run(
        capsys, root, "export", "--project", "nope", "--format", "csv", "--out", str(root.parent)
    )
    assert code == 2
    assert "error: no project named 'nope'" in err and "sample" in err
    assert not list(root.parent.glob("*.csv"))


def test_project_not_analyzed_is_an_error(capsys, root):
    from qualseg.store import Workspace

    Workspace(root).open("fresh", create=True).close()
    target = root.parent / "x.csv"
    code, _out, err = run(
        capsys, root, "export", "--project", "fresh", "--format", "csv", "--out", str(target)
    )
    assert code == 2
    assert "error: project 'fresh' has not been analyzed yet" in err
    assert not target.exists()


def test_unknown_format_is_refused_by_the_parser(capsys, root):
    with pytest.raises(SystemExit) as exit_:
        main(["--workspace", str(root), "export", "--project", "sample", "--format", "pdf",
              "--out", "x"])  # fmt: skip
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'pdf'" in err and "xlsx" in err


def test_missing_folder_is_an_error(capsys, root):
    missing = root.parent / "nowhere"
    for out in (str(missing / "q.csv"), f"{missing}/"):
        code, _o, err = run(
            capsys, root, "export", "--project", "sample", "--format", "csv", "--out", out
        )
        assert code == 2
        assert f"error: {out}: folder {missing}" in err and "does not exist" in err
    assert not missing.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_an_error(capsys, root):
    folder = root.parent / "locked"
    folder.mkdir(mode=0o500)
    try:
        code, _o, err = run(
            capsys, root, "export", "--project", "sample", "--format", "csv", "--out",
            str(folder / "q.csv"),
        )  # fmt: skip
    finally:
        folder.chmod(0o700)
    assert code == 2 and "cannot write" in err
    assert not list(folder.iterdir())


def test_a_failing_render_leaves_no_file(capsys, root, monkeypatch):
    folder = root.parent / "atomic"
    folder.mkdir()
    target = folder / "q.csv"
    target.write_bytes(b"previous export")

    def broken(ctx):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(quote_table, "render_csv", broken)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        main(["--workspace", str(root), "export", "--project", "sample", "--format", "csv",
              "--out", str(target)])  # fmt: skip
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in folder.iterdir()] == ["q.csv"]


def test_a_failing_write_leaves_no_partial_file(capsys, root, monkeypatch):
    folder = root.parent / "atomic"
    folder.mkdir()
    target = folder / "q.xlsx"
    target.write_bytes(b"previous export")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli.os, "replace", refuse)
    code, _out, err = run(
        capsys, root, "export", "--project", "sample", "--format", "xlsx", "--out", str(target)
    )
    assert code == 2
    assert f"error: {target}: cannot write (Permission denied)" in err
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in folder.iterdir()] == ["q.xlsx"], "the temporary file is removed"


def test_write_atomically_replaces_and_keeps_the_mode(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o640)
    cli.write_atomically(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
