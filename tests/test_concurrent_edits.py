"""Two sessions editing one project: overlapping edits are refused with EditConflict, others apply,
and undo never undoes the other session's edit."""

from __future__ import annotations

import pytest

from qualseg import editing
from qualseg.editing import EditConflict
from qualseg.errors import ProjectError
from qualseg.store import ProjectStore


@pytest.fixture
def sessions(analyzed_store):
    """Two store objects on one project folder, as two browser sessions (or processes) have."""
    other = ProjectStore(analyzed_store.folder)
    yield analyzed_store, other
    other.close()


def _needs(store) -> list[dict]:
    return [t for t in editing.current_state(store).report["themes"] if t["lens"] == "need"]


def _labels(store) -> dict[str, str]:
    return {t["id"]: t["label"] for t in editing.current_state(store).report["themes"]}


def test_state_head_is_the_newest_live_edit(sessions):
    a, _b = sessions
    assert editing.current_state(a).head == 0
    first = editing.rename_theme(a, _needs(a)[0]["id"], "One")
    second = editing.rename_theme(a, _needs(a)[1]["id"], "Two")
    assert editing.current_state(a).head == second
    editing.undo(a)
    assert editing.current_state(a).head == first


def test_renaming_the_same_theme_in_both_sessions_refuses_the_second(sessions):
    a, b = sessions
    theme = _needs(a)[0]["id"]
    seen_a, seen_b = editing.current_state(a).head, editing.current_state(b).head
    first = editing.rename_theme(a, theme, "Keying invoices by hand", seen=seen_a)
    with pytest.raises(EditConflict) as caught:
        editing.rename_theme(b, theme, "Manual data entry", seen=seen_b)
    message = str(caught.value)
    assert f"renamed theme {theme} to “Keying invoices by hand” (edit {first})" in message
    assert "Manual data entry" in message and "not saved" in message
    assert [e.id for e in caught.value.theirs] == [first]
    assert isinstance(caught.value, ProjectError)
    assert _labels(a)[theme] == _labels(b)[theme] == "Keying invoices by hand"
    assert [e.kind for e in b.edits()] == ["rename_theme"], "nothing was logged for b"
    # Once b's view includes a's edit, b may rename it again.
    editing.rename_theme(b, theme, "Manual data entry", seen=editing.current_state(b).head)
    assert _labels(a)[theme] == "Manual data entry"


def test_edits_of_different_themes_both_apply(sessions):
    a, b = sessions
    x, y = (t["id"] for t in _needs(a)[:2])
    seen = editing.current_state(a).head
    editing.rename_theme(a, x, "Theme X", seen=seen)
    editing.rename_theme(b, y, "Theme Y", seen=seen)
    editing.move_excerpt(b, _needs(a)[2]["excerpts"][0], x, lens="need", seen=seen)
    labels = _labels(b)
    assert (labels[x], labels[y]) == ("Theme X", "Theme Y")
    assert len(a.edits()) == 3


def test_moving_different_excerpts_into_one_theme_both_apply(sessions):
    a, b = sessions
    needs = _needs(a)
    x = needs[0]["id"]
    first, second = needs[1]["excerpts"][0], needs[2]["excerpts"][0]
    seen = editing.current_state(a).head
    editing.move_excerpt(a, first, x, lens="need", seen=seen)
    editing.move_excerpt(b, second, x, lens="need", seen=seen)
    moved = next(t for t in _needs(b) if t["id"] == x)["excerpts"]
    assert first in moved and second in moved
    with pytest.raises(EditConflict):  # the same excerpt moved again from the old view
        editing.move_excerpt(b, first, needs[3]["id"], lens="need", seen=seen)


@pytest.mark.parametrize(
    ("theirs", "mine"),
    [
        ("merge", "rename"),  # a merge of X changes X wholly
        ("dismiss", "move_into"),
        ("pin", "pin"),
        ("segment_rename", "segment_rename"),
    ],
)
def test_overlapping_kinds_conflict(sessions, theirs, mine):
    a, b = sessions
    x, y = (t["id"] for t in _needs(a)[:2])
    key = _needs(a)[2]["excerpts"][0]
    segment = editing.current_state(a).report["segments"][0]["id"]
    seen = editing.current_state(a).head
    do = {
        "merge": lambda s: editing.merge_themes(s, [x, y], seen=seen),
        "rename": lambda s: editing.rename_theme(s, x, "Renamed", seen=seen),
        "dismiss": lambda s: editing.dismiss_theme(s, x, seen=seen),
        "move_into": lambda s: editing.move_excerpt(s, key, x, lens="need", seen=seen),
        "pin": lambda s: editing.pin_quote(s, key, seen=seen),
        "segment_rename": lambda s: editing.rename_segment(s, segment, "Mine", seen=seen),
    }
    do[theirs](a)
    with pytest.raises(EditConflict):
        do[mine](b)
    assert len(b.edits()) == 1


def test_notes_on_different_criteria_and_label_with_members_do_not_conflict(sessions):
    a, b = sessions
    x = _needs(a)[0]["id"]
    key = _needs(a)[1]["excerpts"][0]
    segment = editing.current_state(a).report["segments"][0]["id"]
    seen = editing.current_state(a).head
    editing.set_segment_notes(a, segment, "accessible", "forum", seen=seen)
    editing.set_segment_notes(b, segment, "actionable", "pricing page", seen=seen)
    editing.rename_theme(a, x, "Label only", seen=seen)
    editing.move_excerpt(b, key, x, lens="need", seen=seen)
    state = editing.current_state(a).report
    notes = next(s for s in state["segments"] if s["id"] == segment)["notes"]
    assert notes == {"accessible": "forum", "actionable": "pricing page"}
    theme = next(t for t in state["themes"] if t["id"] == x)
    assert theme["label"] == "Label only" and key in theme["excerpts"]


def test_undo_refuses_when_the_other_session_edited_since(sessions):
    a, b = sessions
    mine = editing.rename_theme(b, _needs(b)[0]["id"], "B's name")
    seen_b = editing.current_state(b).head
    assert seen_b == mine
    theirs = editing.rename_theme(a, _needs(a)[1]["id"], "A's name")
    with pytest.raises(EditConflict, match=f"edit {theirs}"):
        editing.undo(b, seen=seen_b)
    assert [e.id for e in a.edits()] == [mine, theirs], "nothing was undone"
    # Undo of what the caller saw goes through once the view is current.
    undone = editing.undo(b, seen=editing.current_state(b).head)
    assert undone.id == theirs


def test_undo_refuses_an_edit_already_undone_elsewhere(sessions):
    a, b = sessions
    first = editing.rename_theme(a, _needs(a)[0]["id"], "First")
    second = editing.rename_theme(a, _needs(a)[1]["id"], "Second")
    seen_b = editing.current_state(b).head
    assert editing.undo(a, seen=second).id == second
    with pytest.raises(EditConflict, match="already undone"):
        editing.undo(b, seen=seen_b)
    assert [e.id for e in a.edits()] == [first], "the older edit was not undone instead"


def test_callers_without_seen_still_work_and_race_safely(sessions):
    """Without ``seen`` (the CLI), the state the call read itself is the view: a plain call works,
    and an edit logged between that read and the append is still caught."""
    a, b = sessions
    theme = _needs(a)[0]["id"]
    editing.rename_theme(a, theme, "Plain")
    assert _labels(b)[theme] == "Plain"
    state = editing.current_state(b)
    editing.rename_theme(a, theme, "Meanwhile")
    with pytest.raises(EditConflict):
        editing._log(
            b, state, "rename_theme", {"theme": editing._ref(state, theme), "label": "Late"}, None
        )
    assert editing.undo(b).kind == "rename_theme"


def test_create_segment_is_one_edit_and_undoes_whole(analyzed_store):
    store = analyzed_store
    needs = _needs(store)
    before = len(editing.current_state(store).report["segments"])
    segment = editing.create_segment(store, "Control seekers", [needs[0]["id"], needs[1]["id"]])
    [edit] = store.edits()
    assert edit.kind == "create_segment" and len(edit.payload["themes"]) == 2
    built = next(s for s in editing.current_state(store).report["segments"] if s["id"] == segment)
    assert built["themes"] == [needs[0]["id"], needs[1]["id"]]
    editing.undo(store)
    assert len(editing.current_state(store).report["segments"]) == before
