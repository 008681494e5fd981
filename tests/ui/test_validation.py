"""validation: segment profile, lift, silhouette, overlaps, mirroring, MASE checklist."""

from __future__ import annotations

from qualseg import validation as v
from tests.ui.report_fixture import make_report


def test_profile_lists_members_mix_and_themes_per_lens():
    prof = v.segment_profile(make_report(), "S2")
    assert [p["id"] for p in prof.participants] == ["P4", "P5", "P6"]
    assert prof.metadata_mix["company_size"] == {"1000+": 3}
    assert [t.id for t in prof.themes["need"]] == ["need-2"]
    assert prof.themes["need"][0].members_voicing == 3 and prof.themes["need"][0].listed
    assert [t.id for t in prof.themes["trigger"]] == ["trigger-1"]
    assert prof.themes["objection"] == []
    # No stored quotes: the members' excerpts of the defining themes stand in.
    assert {q["excerpt"] for q in prof.quotes} == {"k3:0-50", "k4:0-50", "k5:0-50"}


def test_distinct_segments_read_as_distinct():
    report = make_report()
    check = v.validate(report, "S1")
    assert check.size == 3 and check.share == 0.5 and check.total_participants == 6
    assert check.lifts == {"need-1": 21.0}
    assert check.silhouette == 1.0
    assert check.distinctness.startswith("Clearly distinct")
    assert "Manual keying, 21.0×" in check.distinctness
    assert check.overlaps == [] and check.shared_themes == {}


def test_overlap_is_named():
    report = make_report()
    report["segments"][1]["themes"].append("need-1")  # S2 claims S1's theme too
    check = v.validate(report, "S1")
    assert [o.segment for o in check.overlaps] == ["S2"]
    assert "overlaps with S2 on Manual keying" in check.distinctness
    assert not check.distinctness.startswith("Clearly")


def test_mirroring_flags_a_firmographic_proxy_and_skips_identifiers():
    check = v.validate(make_report(), "S2")
    readings = {m.column: m for m in check.mirrors}
    assert readings["company_size"].proxy
    assert readings["company_size"].reading == (
        "mirrors company_size (Cramér's V 1.00): 3 of 3 members are 1000+"
    )
    assert not readings["region"].proxy
    assert readings["region"].reading.startswith("independent of region")
    assert check.skipped_columns == ["company"]


def test_checklist_has_the_five_criteria_with_evidence_and_notes():
    check = v.validate(make_report(), "S2")
    items = {c.criterion: c for c in check.checklist}
    assert list(items) == list(v.CRITERIA)
    assert items["measurable"].status == "supported"
    assert "3 participants; defined by Approval control" in items["measurable"].evidence
    assert items["substantial"].status == "supported" and "3 of 6 participants (50%)" in (
        items["substantial"].evidence
    )
    assert items["accessible"].status == "supported"
    assert "3/3 1000+ (company_size)" in items["accessible"].evidence
    assert "Audit finding" in items["accessible"].evidence
    assert items["accessible"].note == "AP forums"
    assert items["differentiable"].status == "supported"
    assert "mirrors company_size" in items["differentiable"].evidence
    assert items["actionable"].status == "supported"
    assert all(c.question for c in check.checklist)


def test_edge_cases_read_in_plain_words():
    report = make_report()
    report["segments"] = report["segments"][:1]
    for p in report["participants"]:
        p["segment"] = "S1" if p["id"] in ("P1", "P2", "P3") else None
    only = v.validate(report, "S1")
    assert only.distinctness == "This is the only segment: there is nothing to compare it with."
    assert only.silhouette is None and only.mirrors == []
    report = make_report()
    report["segments"].append(
        {
            "id": "S3",
            "label": "Empty",
            "participants": [],
            "themes": [],
            "psychographics": [],
            "triggers": [],
            "objections": [],
            "quotes": [],
            "measures": {},
            "built": True,
        }
    )
    empty = v.validate(report, "S3")
    assert empty.size == 0 and empty.distinctness.startswith("No participant falls")
    assert {c.criterion: c.status for c in empty.checklist}["measurable"] == "weak"


def test_no_lift_for_a_segment_holding_everyone():
    report = make_report()
    report["segments"] = report["segments"][:1]
    report["segments"][0]["participants"] = ["P1", "P2", "P3", "P4", "P5", "P6"]
    for p in report["participants"]:
        p["segment"] = "S1"
    assert v.lifts(report) == {}
    prof = v.segment_profile(report, "S1")
    assert all(t.lift is None for rows in prof.themes.values() for t in rows)
    check = v.validate(report, "S1")
    assert check.lifts == {}
    measurable = check.checklist[0]
    assert measurable.status == "supported" and "defined by Manual keying" in measurable.evidence


def test_participants_in_no_segment_count_as_others():
    report = make_report()
    report["segments"] = report["segments"][:1]
    for p in report["participants"]:
        p["segment"] = "S1" if p["id"] in ("P1", "P2", "P3") else None
    assert v.lifts(report)["S1"]["need-1"] == 21.0


def test_accessible_rests_on_what_a_team_can_target_not_on_an_outcome():
    """'Members share 67% bought (outcome)' says nothing about reaching them."""
    report = make_report()
    for p in report["participants"]:
        p["metadata"] = {"outcome": "bought" if p["id"] != "P6" else "lost"}
    items = {c.criterion: c for c in v.validate(report, "S2").checklist}
    assert items["accessible"].status == "your call"
    assert "bought" not in items["accessible"].evidence
    assert "your call" in items["accessible"].evidence
    for p in report["participants"]:
        p["metadata"]["region"] = "EU"
    items = {c.criterion: c for c in v.validate(report, "S2").checklist}
    assert items["accessible"].status == "supported"
    assert "3/3 EU (region)" in items["accessible"].evidence
    assert "bought" not in items["accessible"].evidence


def test_the_verdict_is_a_typed_value_not_a_sentence():
    report = make_report()
    assert v.validate(report, "S1").distinct == "clear"
    report["segments"][1]["themes"].append("need-1")
    check = v.validate(report, "S1")
    assert check.distinct == "some" and check.checklist[3].status == "weak"
    assert v.reachable("industry", "Logistics") and v.reachable("deal_stage", "x") is False
