"""A segment the researcher has not named follows its defining needs themes through edits."""

from __future__ import annotations

from qualseg.edits import apply_edits
from qualseg.store.runs import EditRecord
from tests.ui.report_fixture import make_report


def _edit(n: int, kind: str, payload: dict) -> EditRecord:
    return EditRecord(id=n, at="", run_id=1, kind=kind, payload=payload, undone=False)


def _ref(report: dict, theme_id: str) -> dict:
    theme = next(t for t in report["themes"] if t["id"] == theme_id)
    return {"id": theme_id, "excerpts": sorted(theme["excerpts"])}


def _suggested() -> dict:
    report = make_report()
    for s in report["segments"]:
        s["auto_label"] = True
    return report


def test_auto_named_segment_follows_a_theme_rename():
    report = _suggested()
    state, _ = apply_edits(
        report, [_edit(1, "rename_theme", {"theme": _ref(report, "need-1"), "label": "Key less"})]
    )
    assert [s["label"] for s in state["segments"]] == ["Key less", "Approval control"]


def test_merged_away_theme_never_names_a_segment():
    report = _suggested()
    merge = {"themes": [_ref(report, "need-2"), _ref(report, "need-1")], "label": "Both"}
    state, _ = apply_edits(report, [_edit(1, "merge_themes", merge)])
    labels = [s["label"] for s in state["segments"]]
    assert labels == ["Both", "Both"]
    assert all("Manual keying" not in label for label in labels)


def test_a_name_the_researcher_gave_stays():
    report = _suggested()
    state, _ = apply_edits(
        report,
        [
            _edit(1, "rename_segment", {"segment": "S1", "label": "Grinders"}),
            _edit(2, "rename_theme", {"theme": _ref(report, "need-1"), "label": "Key less"}),
        ],
    )
    assert [s["label"] for s in state["segments"]] == ["Grinders", "Approval control"]
    built, _ = apply_edits(make_report(), [])  # no auto_label: names as stored
    assert [s["label"] for s in built["segments"]] == ["Manual grinders", "Control seekers"]
