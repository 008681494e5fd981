"""report.json has a versioned, documented shape: docs/report.schema.json is generated from
qualseg/report_types.py, and the sample study's report (as analyzed, and as edited) matches it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from qualseg import editing
from qualseg.errors import ProjectError
from qualseg.report import load_report
from qualseg.report_schema import SCHEMA_FILE, report_schema, schema_text
from qualseg.report_types import SCHEMA_VERSION
from tests.conftest import ROOT


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / SCHEMA_FILE).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(document: dict) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in _validator().iter_errors(document)][:10]


def test_the_schema_file_is_up_to_date():
    """Regenerate it with ``python -m qualseg.report_schema > docs/report.schema.json``."""
    assert (ROOT / SCHEMA_FILE).read_text("utf-8") == schema_text()


def test_the_schema_is_strict_about_keys():
    report = report_schema()["$defs"]["Report"]
    assert report["additionalProperties"] is False
    assert "pins" in report["properties"] and "pins" not in report["required"]
    assert "schema_version" in report["required"]


def test_the_sample_study_report_matches_the_schema(analyzed_store):
    _run_id, document = analyzed_store.latest_result()
    assert document["schema_version"] == SCHEMA_VERSION
    assert _errors(document) == []


def test_the_edited_sample_study_matches_the_schema(analyzed_store):
    state = editing.current_state(analyzed_store)
    theme = state.report["themes"][0]
    excerpt = state.report["excerpts"][0]["id"]
    editing.rename_theme(analyzed_store, theme["id"], "Renamed")
    editing.dismiss_excerpt(analyzed_store, excerpt)
    editing.pin_quote(analyzed_store, state.report["excerpts"][1]["id"])
    segment = editing.create_segment(analyzed_store, "Built", [theme["id"]])
    editing.set_segment_notes(analyzed_store, segment, "accessible", "via LinkedIn")
    edited = editing.current_state(analyzed_store).report
    assert len(editing.current_state(analyzed_store).outcome.applied) == 5
    assert {"pins", "dismissed"} <= set(edited) | set(edited["excerpts"][0])
    assert _errors(edited) == []


def test_a_report_from_before_the_version_loads_as_version_1():
    older = {"run": {"id": 1}, "participants": [], "excerpts": [], "themes": [], "segments": []}
    loaded = load_report(older)
    assert loaded["schema_version"] == 1
    assert {k: v for k, v in loaded.items() if k != "schema_version"} == older


def test_a_stored_result_from_before_the_version_is_still_the_study(analyzed_store):
    """A project analyzed before report.json had ``schema_version`` opens and takes edits."""
    _run_id, document = analyzed_store.latest_result()
    del document["schema_version"]
    old = analyzed_store.start_run(seed=42, model="hashing-256", config="{}", versions={})
    analyzed_store.finish_run(old, document)
    state = editing.current_state(analyzed_store)
    assert state.run_id == old and state.report["schema_version"] == 1
    editing.pin_quote(analyzed_store, document["excerpts"][0]["id"])
    assert editing.current_state(analyzed_store).report["pins"] == [document["excerpts"][0]["id"]]


def test_a_report_from_a_newer_qualseg_is_refused():
    with pytest.raises(ProjectError, match="update qualseg"):
        load_report({"schema_version": SCHEMA_VERSION + 1, "run": {}})
