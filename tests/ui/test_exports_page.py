"""Export page: one download per format built on click, pseudonymise toggle, empty states."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from qualseg import quote_bank
from qualseg.errors import ProjectError
from qualseg.escaping import md_escape
from qualseg.exports import registry
from qualseg.ui.pages import exports
from tests.ui.helpers import SMALL, button, by_key, go, no_exception, open_app, state, texts


def test_one_download_per_format_built_on_click(ws_root: Path):
    at = open_app("exports")
    no_exception(at)
    assert at.title[0].value == "Export"
    shown = texts(at)
    assert exports.PSEUDONYMISE_HELP in shown
    study = state(ws_root)
    assert f"(now: run {study.run_id} with {len(study.edits)} edit(s) of yours applied)" in shown
    toggle = by_key(at.toggle, f"ex_pseudonymise:{SMALL}")
    assert toggle.label == "Pseudonymise participants" and toggle.value is True
    missing = {fmt: registry.unavailable(fmt) for fmt in registry.FORMATS}
    assert sorted(e.value for e in at.error) == sorted(md_escape(r) for r in missing.values() if r)
    for fmt, spec in registry.FORMATS.items():
        download = by_key(at.download_button, f"ex_dl:{fmt}")
        name = registry.default_file_name(SMALL, fmt)
        assert download.label == f"Download {md_escape(name)}"
        assert download.proto.disabled == (missing[fmt] is not None)
        if not missing[fmt]:
            assert download.proto.deferred_file_id, "the file is built when clicked"
        assert md_escape(spec.description) in shown
        assert f"**{md_escape(spec.label)}**" in shown


def test_toggle_and_messaging_words_reach_the_downloads(ws_root: Path, monkeypatch):
    calls: dict[str, tuple] = {}
    real = exports.downloader

    def recording(folder, fmt, pseudonymise, product, category):
        calls[fmt] = (folder, pseudonymise, product, category)
        return real(folder, fmt, pseudonymise, product, category)

    monkeypatch.setattr(exports, "downloader", recording)
    at = open_app("exports")
    assert calls["csv"] == (str(ws_root / SMALL), True, "", "")
    by_key(at.toggle, f"ex_pseudonymise:{SMALL}").set_value(False).run()
    at.text_input(key="ex_product").input("Ledgerly").run()
    at.text_input(key="ex_category").input("AP automation tool").run()
    no_exception(at)
    assert set(calls) == set(registry.FORMATS)
    assert calls["xlsx"] == (str(ws_root / SMALL), False, "Ledgerly", "AP automation tool")


def test_the_download_is_the_current_state(ws_root: Path):
    data = exports.build(str(ws_root / SMALL), "csv", False)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    report = state(ws_root).report
    assert [r["excerpt_id"] for r in rows] == [q.excerpt for q in quote_bank.quotes(report)]
    assert "industry" in rows[0] and {r["industry"] for r in rows} >= {"Logistics"}
    assert data == registry.export_project(state_store(ws_root), "csv", pseudonymise=False)
    made = exports.downloader(str(ws_root / SMALL), "swipe-md", True, "", "")
    assert made().decode().startswith(f"# Swipe file · {SMALL}")


def state_store(root: Path):
    from tests.ui.helpers import reopen

    return reopen(root)


def test_a_failed_build_is_shown_on_the_next_run(ws_root: Path, monkeypatch):
    def broken(store, fmt, **kwargs):
        raise ProjectError("the disk is full")

    monkeypatch.setattr(registry, "export_project", broken)
    with pytest.raises(ProjectError):
        exports.build(str(ws_root / SMALL), "xlsx", True)
    at = open_app("exports")
    no_exception(at)
    assert "The Quote bank \\(Excel\\) export failed: the disk is full" in [
        e.value for e in at.error
    ]
    at.run()
    assert not any("the disk is full" in e.value for e in at.error), "shown once"


def test_a_missing_project_folder_fails_the_build_without_creating_it(ws_root: Path):
    with pytest.raises(ProjectError, match="no project named 'gone'"):
        exports.build(str(ws_root / "gone"), "csv", True)
    assert not (ws_root / "gone").exists()


def test_empty_states(ws_root: Path):
    at = open_app("exports", project="small-raw")
    no_exception(at)
    assert "has not been analyzed yet" in texts(at)
    assert button(at, "Analyze now")
    assert not at.download_button
    at.sidebar.text_input(key="new_project_name").input("empty-one")
    button(at, "Create project").click().run()
    go(at, "exports")
    no_exception(at)
    assert "has no transcripts yet" in texts(at)
    assert not at.download_button
