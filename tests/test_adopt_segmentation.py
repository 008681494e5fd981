"""Adopting another of the run's groupings (k = 2..5) in place of the suggested segments."""

from __future__ import annotations

import pytest

from qualseg import editing
from qualseg.errors import ProjectError
from tests.conftest import SMALL_STUDY, import_sample_files
from tests.segmenting import analyze_with_segments

FILES = (*SMALL_STUDY, "transcript_ridgeline.csv")


@pytest.fixture
def store(tmp_path, workspace):
    store = import_sample_files(workspace, tmp_path / "in", "adopt", FILES)
    analyze_with_segments(store)
    return store


def _report(store):
    return editing.current_state(store).report


def _other_k(report) -> dict:
    chosen = report["segmentation"]["chosen"]
    return next(a for a in report["segmentation"]["alternatives"] if a["k"] != chosen)


def test_adopting_the_suggested_k_gives_the_runs_own_segments(store):
    """One profile rule for the run's suggestion and an adopted grouping."""
    before = _report(store)
    editing.adopt_segmentation(store, before["segmentation"]["chosen"])
    after = _report(store)
    keys = ("id", "label", "participants", "themes", "psychographics", "triggers", "objections")
    assert [{k: s[k] for k in (*keys, "quotes", "measures")} for s in after["segments"]] == [
        {k: s[k] for k in (*keys, "quotes", "measures")} for s in before["segments"]
    ]
    assert after["segmentation"]["adopted"] is True


def test_another_grouping_replaces_the_suggestion_and_undo_brings_it_back(store):
    before = _report(store)
    alternative = _other_k(before)
    editing.adopt_segmentation(store, alternative["k"])
    after = _report(store)
    assert [s["participants"] for s in after["segments"]] == [
        sorted(g, key=lambda p: int(p[1:])) for g in alternative["groups"]
    ]
    assert after["segmentation"]["chosen"] == alternative["k"]
    label_of = {t["id"]: t["label"] for t in after["themes"]}
    segment_of = {p: s["id"] for s in after["segments"] for p in s["participants"]}
    for s in after["segments"]:
        assert s["auto_label"] and s["label"]
        assert all(s["measures"]["theme_lift"][t] > 1.0 for t in s["themes"])
        if s["themes"]:  # named by its defining needs themes as they are now
            assert s["label"].startswith(label_of[s["themes"][0]])
        assert {q["participant"] for q in s["quotes"]} <= set(s["participants"])
    assert all(p["segment"] == segment_of.get(p["id"]) for p in after["participants"])
    assert all(p["segment_strength"] is None for p in after["participants"])
    assert editing.undo(store).kind == "adopt_segmentation"
    assert _report(store)["segments"] == before["segments"]


def test_a_built_segment_stays_beside_an_adopted_grouping(store):
    need = next(t for t in _report(store)["themes"] if t["lens"] == "need")
    built = editing.create_segment(store, "Built by hand", [need["id"]])
    alternative = _other_k(_report(store))
    editing.adopt_segmentation(store, alternative["k"])
    report = _report(store)
    mine = next(s for s in report["segments"] if s["id"] == built)
    assert mine["label"] == "Built by hand" and mine["participants"]
    adopted = [s for s in report["segments"] if s["id"] != built]
    assert len(adopted) == alternative["k"]
    assert len({s["id"] for s in report["segments"]}) == len(report["segments"])
    assert not set(mine["participants"]) & {p for s in adopted for p in s["participants"]}


def test_an_adopted_grouping_is_taken_again_after_a_re_run(store):
    alternative = _other_k(_report(store))
    editing.adopt_segmentation(store, alternative["k"])
    analyze_with_segments(store)
    state = editing.current_state(store)
    assert not state.outcome.skipped
    assert len(state.report["segments"]) == alternative["k"]


def test_a_grouping_the_run_did_not_try_is_refused(store):
    with pytest.raises(ProjectError, match="no grouping into 9 segments"):
        editing.adopt_segmentation(store, 9)


def test_reports_say_the_researcher_chose_the_grouping(store):
    from qualseg.segment_words import segmentation_markdown

    report = _report(store)
    suggested = segmentation_markdown(report["segmentation"], {})
    assert suggested[0].startswith("Suggested: ")
    alternative = _other_k(report)
    editing.adopt_segmentation(store, alternative["k"])
    lines = segmentation_markdown(_report(store)["segmentation"], {})
    assert lines[0] == f"Chosen by the researcher: {alternative['k']} segments."
    assert sum("(chosen by the researcher)" in line for line in lines) == 1
    assert not any("(suggested)" in line for line in lines)


def test_an_adopted_grouping_reads_the_study_as_edited_before_it(store):
    report = _report(store)
    needs = [t for t in report["themes"] if t["lens"] == "need"]
    gone_theme = needs[0]["id"]
    gone_excerpt = needs[1]["quotes"][0]["excerpt"]
    editing.dismiss_theme(store, gone_theme)
    editing.dismiss_excerpt(store, gone_excerpt)
    editing.adopt_segmentation(store, _other_k(report)["k"])
    after = _report(store)
    assert all(gone_theme not in s["themes"] for s in after["segments"])
    assert all(gone_excerpt != q["excerpt"] for s in after["segments"] for q in s["quotes"])
