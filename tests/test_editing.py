"""Edits are logged, applied on read, undoable, survive a restart and a re-run."""

from __future__ import annotations

import pytest

from qualseg import editing
from qualseg.errors import ProjectError
from qualseg.store import ProjectStore
from tests.conftest import SMALL_STUDY, import_sample_files
from tests.segmenting import analyze_with_segments


@pytest.fixture
def store(tmp_path, workspace):
    store = import_sample_files(workspace, tmp_path / "in", "edits", SMALL_STUDY)
    analyze_with_segments(store)
    return store


def _themes(store, lens="need"):
    return [t for t in editing.current_state(store).report["themes"] if t["lens"] == lens]


def test_no_state_before_analysis(workspace):
    store = workspace.open("empty", create=True)
    assert editing.current_state(store) is None
    with pytest.raises(ProjectError):
        editing.rename_theme(store, "need-1", "x")


def test_rename_merge_and_undo(store):
    first, second = _themes(store)[:2]
    editing.rename_theme(store, first["id"], "Keying invoices by hand")
    assert _themes(store)[0]["label"] == "Keying invoices by hand"
    editing.merge_themes(store, [first["id"], second["id"]], "Manual work")
    merged = next(t for t in _themes(store) if t["id"] == first["id"])
    assert merged["label"] == "Manual work"
    assert set(second["excerpts"]) <= set(merged["excerpts"])
    assert all(t["id"] != second["id"] for t in _themes(store))
    undone = editing.undo(store)
    assert undone.kind == "merge_themes"
    assert any(t["id"] == second["id"] for t in _themes(store))
    assert _themes(store)[0]["label"] == "Keying invoices by hand"


def test_merge_refuses_mixed_lenses(store):
    need, trigger = _themes(store)[0], _themes(store, "trigger")[0]
    with pytest.raises(ProjectError):
        editing.merge_themes(store, [need["id"], trigger["id"]])


def test_split_move_dismiss_pin(store):
    big = max(_themes(store), key=lambda t: len(t["excerpts"]))
    editing.split_theme(store, big["id"])
    after = {t["id"]: t for t in _themes(store)}
    assert f"{big['id']}.2" in after
    assert set(after[big["id"]]["excerpts"]) | set(after[f"{big['id']}.2"]["excerpts"]) == set(
        big["excerpts"]
    )
    key = after[big["id"]]["excerpts"][0]
    target = next(t for t in _themes(store) if t["id"] != big["id"])
    editing.move_excerpt(store, key, target["id"], lens="need")
    state = editing.current_state(store).report
    excerpt = next(e for e in state["excerpts"] if e["id"] == key)
    assert target["id"] in excerpt["themes"] and big["id"] not in excerpt["themes"]
    editing.dismiss_excerpt(store, key)
    state = editing.current_state(store).report
    assert all(key not in t["excerpts"] for t in state["themes"])
    editing.pin_quote(store, state["excerpts"][0]["id"])
    assert editing.current_state(store).report["pins"] == [state["excerpts"][0]["id"]]


def test_a_split_never_repeats_another_themes_label(store):
    big = max(_themes(store), key=lambda t: len(t["excerpts"]))
    editing.split_theme(store, big["id"])
    after = {t["id"]: t["label"] for t in _themes(store)}
    first, second = after[big["id"]], after[f"{big['id']}.2"]
    editing.undo(store)
    others = [t for t in _themes(store) if t["id"] != big["id"]]
    editing.rename_theme(store, others[0]["id"], first.upper())  # the labels the split chose
    editing.rename_theme(store, others[1]["id"], second)
    editing.split_theme(store, big["id"])
    labels = [t["label"].lower() for t in editing.current_state(store).report["themes"]]
    assert len(labels) == len(set(labels)), sorted(labels)


def test_segments_built_from_scratch_out_of_themes(store):
    for suggested in editing.current_state(store).report["segments"]:
        editing.delete_segment(store, suggested["id"])
    needs = _themes(store)
    first = editing.create_segment(store, "Manual grinders", [needs[0]["id"]])
    second = editing.create_segment(store, "Control seekers", [needs[1]["id"]])
    report = editing.current_state(store).report
    assert [s["id"] for s in report["segments"]] == [first, second]
    built = report["segments"][0]
    assert built["label"] == "Manual grinders" and built["themes"] == [needs[0]["id"]]
    voices = set(needs[0]["participants"]) | set(needs[1]["participants"])
    members = {p for s in report["segments"] for p in s["participants"]}
    assert members == voices, "everyone voicing a segment's themes joins the closest segment"
    for s in report["segments"]:
        assert {p["id"] for p in report["participants"] if p["segment"] == s["id"]} == set(
            s["participants"]
        )


def test_edits_survive_restart_and_rerun(store):
    theme = _themes(store)[0]
    editing.rename_theme(store, theme["id"], "Renamed by the researcher")
    reopened = ProjectStore(store.folder)
    assert _themes(reopened)[0]["label"] == "Renamed by the researcher"
    analyze_with_segments(reopened)
    state = editing.current_state(reopened)
    assert state.run_id == max(r.id for r in reopened.runs())
    assert any(t["label"] == "Renamed by the researcher" for t in state.report["themes"])
    assert not state.outcome.skipped
