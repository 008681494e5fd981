"""Who joins a segment the researcher builds (qualseg.edits): never silently nobody."""

from __future__ import annotations

from types import SimpleNamespace

from qualseg.deletion_scrub import Gone, scrub_report
from qualseg.edits import apply_edits
from tests.ui.report_fixture import excerpt, make_report, theme


def _edit(n: int, kind: str, **payload) -> SimpleNamespace:
    return SimpleNamespace(id=n, kind=kind, payload=payload)


def _ref(report: dict, tid: str) -> dict:
    t = next(t for t in report["themes"] if t["id"] == tid)
    return {"id": tid, "lens": t["lens"], "signature": sorted(t["excerpts"])}


def _with_side_theme(report: dict) -> dict:
    """need-4: voiced once each by P1 (of S1) and P4 (of S2), whose suggested segments' themes
    hold more of their talk."""
    side = [
        excerpt("k7:0-30", "P1", "Nobody reads the approval e-mails.", ["need"], ["need-4"]),
        excerpt("k8:0-30", "P4", "Approvals get lost in e-mail.", ["need"], ["need-4"]),
    ]
    report["excerpts"] += side
    report["themes"].append(
        theme("need-4", "need", "Lost approvals", [e["id"] for e in side], ["P1", "P4"])
    )
    for p in report["participants"]:
        p["segment_strength"] = 0.9
    report["segments"][0]["quotes"] = [
        {"excerpt": "k0:0-40", "participant": "P1", "text": "We key every invoice by hand."},
        {"excerpt": "k1:0-40", "participant": "P2", "text": "We key every invoice by hand."},
    ]
    return report


def test_a_built_segment_next_to_suggested_ones_keeps_who_voices_its_themes():
    report = _with_side_theme(make_report())
    create = _edit(1, "create_segment", id="S3", label="Approval chasers")
    create.payload["themes"] = [_ref(report, "need-4")]
    state, outcome = apply_edits(report, [create])
    assert outcome.applied == [1]
    segments = {s["id"]: s for s in state["segments"]}
    assert segments["S3"]["participants"] == ["P1", "P4"]  # was [] before: S1, S2 out-voted it
    assert segments["S3"]["voiced_by"] == ["P1", "P4"]
    assert segments["S1"]["participants"] == ["P2", "P3"]
    assert segments["S2"]["participants"] == ["P5", "P6"]
    assert [q["participant"] for q in segments["S1"]["quotes"]] == ["P2"]
    people = {p["id"]: p for p in state["participants"]}
    assert people["P1"]["segment"] == "S3" and people["P1"]["segment_strength"] is None
    assert people["P2"]["segment"] == "S1" and people["P2"]["segment_strength"] == 0.9


def test_two_built_segments_share_people_by_where_most_of_their_talk_is():
    report = _with_side_theme(make_report())
    first = _edit(1, "create_segment", id="S3", label="Approval chasers")
    first.payload["themes"] = [_ref(report, "need-4")]
    second = _edit(2, "create_segment", id="S4", label="Keyers")
    second.payload["themes"] = [_ref(report, "need-1")]
    state, _ = apply_edits(report, [first, second])
    segments = {s["id"]: s for s in state["segments"]}
    # P1: one excerpt in need-4, two in need-1 -> S4; P4 voices only need-4 -> S3
    assert segments["S4"]["participants"] == ["P1", "P2", "P3"]
    assert segments["S3"]["participants"] == ["P4"]
    assert segments["S3"]["voiced_by"] == ["P1", "P4"]
    assert segments["S1"]["participants"] == []
    assert segments["S2"]["participants"] == ["P5", "P6"]


def test_a_deleted_segment_leaves_its_members_in_no_segment():
    state, _ = apply_edits(make_report(), [_edit(1, "delete_segment", segment="S1")])
    people = {p["id"]: p["segment"] for p in state["participants"]}
    assert people == {"P1": None, "P2": None, "P3": None, "P4": "S2", "P5": "S2", "P6": "S2"}


def test_a_deleted_participant_leaves_no_trace_in_who_voices_a_segment():
    report = _with_side_theme(make_report())
    create = _edit(1, "create_segment", id="S3", label="Approval chasers")
    create.payload["themes"] = [_ref(report, "need-4")]
    state, _ = apply_edits(report, [create])
    assert "P4" in next(s for s in state["segments"] if s["id"] == "S3")["voiced_by"]
    gone = Gone(source="p4.txt", key_prefix="k8", people=frozenset({"P4"}), spans=None)
    scrubbed, _, _ = scrub_report(state, gone)
    for segment in scrubbed["segments"]:
        assert "P4" not in segment["participants"] and "P4" not in segment.get("voiced_by", [])
