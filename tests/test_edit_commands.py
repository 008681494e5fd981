"""Each edit kind is one typed command, registered once, that reads and writes the stored
payload format (old rows included)."""

from __future__ import annotations

import dataclasses

from qualseg.edit_commands import (
    COMMANDS,
    CreateSegment,
    EditCommand,
    MergeThemes,
    MoveExcerpt,
    SplitTheme,
    command_of,
)
from qualseg.edits import apply_edits, describe, touches
from qualseg.store.runs import EditRecord
from tests.ui.report_fixture import make_report

REF = {"id": "need-1", "lens": "need", "signature": ["k1"]}
PAYLOADS = {
    "rename_theme": {"theme": REF, "label": "New"},
    "merge_themes": {"themes": [REF, {**REF, "id": "need-2"}], "label": None},
    "split_theme": {
        "theme": REF,
        "was": "Old",
        "moved": ["k1"],
        "label": "A",
        "kept_label": "B",
        "keyphrases": ["a"],
    },
    "move_excerpt": {"excerpt": "k1", "lens": "need", "to": None},
    "dismiss_excerpt": {"excerpt": "k1"},
    "dismiss_theme": {"theme": REF},
    "create_segment": {"id": "S9", "label": "Built", "themes": [REF]},
    "add_themes_to_segment": {"segment": "S1", "themes": [REF]},
    "remove_theme_from_segment": {"segment": "S1", "theme": REF},
    "rename_segment": {"segment": "S1", "label": "Grinders"},
    "delete_segment": {"segment": "S1"},
    "set_segment_notes": {"segment": "S1", "criterion": "accessible", "text": "LinkedIn"},
    "pin_quote": {"excerpt": "k1"},
    "unpin_quote": {"excerpt": "k1"},
    "adopt_segmentation": {"k": 3},
}


def test_every_kind_is_one_registered_frozen_command():
    assert set(COMMANDS) == set(PAYLOADS)
    for kind, cls in COMMANDS.items():
        assert cls.kind == kind and issubclass(cls, EditCommand)
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen


def test_stored_payloads_read_back_and_write_the_same_row():
    for kind, payload in PAYLOADS.items():
        edit = command_of(kind, payload)
        assert edit is not None and edit.kind == kind
        assert edit.payload() == payload
        assert edit.touches() == touches(kind, payload)
        assert edit.describe() == describe(kind, payload)


def test_old_rows_without_later_keys_still_load():
    assert command_of("create_segment", {"id": "S9", "label": "S9"}) == CreateSegment("S9", "S9")
    assert command_of("merge_themes", {"themes": [REF]}) == MergeThemes([REF])
    split = command_of("split_theme", {"theme": REF, "moved": ["k1"]})
    assert split == SplitTheme(REF, moved=["k1"])
    assert command_of("move_excerpt", {"excerpt": "k1"}) == MoveExcerpt("k1")


def test_an_unknown_kind_is_kept_and_reported_not_applied():
    assert command_of("recolour_theme", {}) is None
    assert touches("recolour_theme", {}) == {("edit", "recolour_theme", "*")}
    assert describe("recolour_theme", {}) == "recolour theme"
    record = EditRecord(id=1, at="", run_id=1, kind="recolour_theme", payload={}, undone=False)
    _state, outcome = apply_edits(make_report(), [record])
    assert outcome.skipped == [(1, "unknown edit 'recolour_theme'")]


def test_touches_name_the_part_each_edit_changes():
    assert touches("rename_theme", PAYLOADS["rename_theme"]) == {("theme", "need-1", "label")}
    moved = {"excerpt": "k1", "lens": "need", "to": REF}
    assert touches("move_excerpt", moved) == {
        ("excerpt", "k1", "theme:need"),
        ("theme", "need-1", "member:k1"),
    }
    assert touches("create_segment", PAYLOADS["create_segment"]) == {("segment", "S9", "*")}
    notes = touches("set_segment_notes", PAYLOADS["set_segment_notes"])
    assert notes == {("segment", "S1", "note:accessible")}
    adopt = touches("adopt_segmentation", PAYLOADS["adopt_segmentation"])
    assert ("segment", "S1", "*") in adopt and ("segmentation", "chosen", "*") in adopt


def test_every_command_reads_for_the_researcher_with_current_theme_names():
    def name(ref: dict) -> str:
        return f"“{ref['id'].upper()}”"

    for kind, payload in PAYLOADS.items():
        assert command_of(kind, payload).summary(name), kind
    assert command_of("split_theme", PAYLOADS["split_theme"]).summary(name) == (
        "split theme “Old” into “B” and “A”"
    )
    split_old = command_of("split_theme", {"theme": REF, "moved": ["k1"]})
    assert split_old.summary(name) == "split theme “NEED-1”"
    assert command_of("move_excerpt", PAYLOADS["move_excerpt"]).summary(name) == (
        "moved an excerpt to unassigned"
    )
