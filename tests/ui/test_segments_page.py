"""Segments: from suggestions or from scratch, built from themes; profile and validation panel."""

from __future__ import annotations

from pathlib import Path

from qualseg import service
from qualseg.embed import HashingEmbedder
from qualseg.store import Workspace
from tests.ui.helpers import RAW, button, no_exception, open_app, state, table, texts


def _needs(ws_root: Path) -> list[dict]:
    report = state(ws_root).report
    return [t for t in report["themes"] if t["lens"] == "need" and not t.get("dismissed")]


def _from_scratch(at):
    at.checkbox(key="confirm_scratch").check().run()
    button(at, "Start from scratch").click().run()
    no_exception(at)


def test_suggested_segments_and_profile(ws_root: Path):
    at = open_app("segments")
    no_exception(at)
    report = state(ws_root).report
    listing = table(at, "segment", "name", "participants", "share")
    assert list(listing["segment"]) == [s["id"] for s in report["segments"]]
    first = report["segments"][0]
    assert f"{first['id']} · {first['label']}" in [h.value for h in at.header]
    assert {m.label for m in at.metric} >= {
        "Participants",
        "Share of participants",
        "Members held together",
    }
    chosen = report["segmentation"]["chosen"]
    assert any(t.startswith("How sure: ") for t in texts(at).splitlines())
    alternatives = table(at, "segments", "suggested", "comes back", "undecided pairs", "groups")
    assert list(alternatives["segments"]) == [
        a["k"] for a in report["segmentation"]["alternatives"]
    ]
    assert list(alternatives["suggested"]).count(True) == 1
    assert alternatives["segments"][list(alternatives["suggested"]).index(True)] == chosen
    members = table(at, "participant", "transcript", "industry")
    assert len(members) == len(first["participants"])
    body = texts(at)
    for title in ("Defining needs", "Psychographic traits", "Buying triggers", "Objections"):
        assert f"**{title}**" in body
    assert "Is it a real segment?" in [s.value for s in at.subheader]
    assert "MASE checklist" in body
    assert len(at.text_area) == 5


def test_build_from_scratch_validate_and_keep_notes(ws_root: Path):
    at = open_app("segments")
    _from_scratch(at)
    assert state(ws_root).report["segments"] == []
    assert "No segments yet" in texts(at)

    needs = _needs(ws_root)
    at.text_input(key="new_segment_name").input("Control seekers")
    at.multiselect(key="new_segment_themes").set_value([needs[0]["id"], needs[2]["id"]]).run()
    button(at, "Create segment").click().run()
    no_exception(at)
    at.text_input(key="new_segment_name").input("Manual grinders")
    at.multiselect(key="new_segment_themes").set_value([needs[1]["id"]]).run()
    button(at, "Create segment").click().run()
    no_exception(at)

    report = state(ws_root).report
    assert [s["label"] for s in report["segments"]] == ["Control seekers", "Manual grinders"]
    s1 = report["segments"][0]
    assert s1["themes"] == [needs[0]["id"], needs[2]["id"]]

    # Merge one more theme into the second segment.
    at.selectbox(key="edit_segment").set_value("S2").run()
    at.multiselect(key="add_themes:S2").set_value([needs[3]["id"]]).run()
    button(at, "Add themes").click().run()
    no_exception(at)
    assert needs[3]["id"] in state(ws_root).report["segments"][1]["themes"]

    # Profile and validation of S1.
    at.selectbox(key="segment").set_value("S1").run()
    assert "S1 · Control seekers" in [h.value for h in at.header]
    body = texts(at)
    assert "distinct" in body  # the plain-words distinctness reading
    assert "Cramér's V" in body or "Nothing to compare" in body
    checklist = [m.value for m in at.markdown if "-badge[" in m.value]
    assert [c.split("**")[1] for c in checklist] == [
        "Measurable",
        "Accessible",
        "Substantial",
        "Differentiable",
        "Actionable",
    ]

    at.text_area(key="note:S1:accessible").input("Reachable through the AP Leaders forum.").run()
    button(at, "Save notes (1 changed)").click().run()
    no_exception(at)
    notes = state(ws_root).report["segments"][0]["notes"]
    assert notes == {"accessible": "Reachable through the AP Leaders forum."}
    at = open_app("segments")  # a new session reads the note back
    at.selectbox(key="segment").set_value("S1").run()
    assert at.text_area(key="note:S1:accessible").value == "Reachable through the AP Leaders forum."


def test_rename_remove_and_delete_a_segment(ws_root: Path):
    at = open_app("segments")
    first = state(ws_root).report["segments"][0]
    at.text_input(key=f"rename_segment:{first['id']}").input("Bank-detail worriers").run()
    button(at, "Rename").click().run()
    assert state(ws_root).report["segments"][0]["label"] == "Bank-detail worriers"
    removable = first["themes"][0]
    at.selectbox(key=f"remove_theme:{first['id']}").set_value(removable).run()
    button(at, "Remove").click().run()
    no_exception(at)
    assert removable not in state(ws_root).report["segments"][0]["themes"]
    button(at, "Delete segment").click().run()
    no_exception(at)
    assert first["id"] not in {s["id"] for s in state(ws_root).report["segments"]}


def test_a_best_quote_opens_the_transcript_at_its_place(ws_root: Path):
    at = open_app("segments")
    quote = state(ws_root).report["segments"][0]["quotes"][0]
    button(at, "Open in transcript").click().run()
    no_exception(at)
    assert at.title[0].value == "Transcript reader"
    assert at.session_state["reader_excerpt"] == quote["excerpt"]
    assert "At the excerpt" in texts(at)


def test_no_clear_segmentation_is_said_and_nothing_is_suggested(ws_root: Path):
    """The unanalyzed copy, analyzed for real: hashing vectors carry no meaning, so no grouping
    holds up under resampling and the page says so instead of suggesting one."""
    store = Workspace(ws_root).open(RAW)
    service.run_analysis(store, embedder=HashingEmbedder())
    store.close()
    at = open_app("segments", project=RAW)
    no_exception(at)
    report = state(ws_root, RAW).report
    assert report["segmentation"]["chosen"] is None and report["segments"] == []
    assert report["segmentation"]["alternatives"]
    assert any(w.value.startswith("No clear segmentation") for w in at.warning)
    alternatives = table(at, "segments", "suggested", "comes back", "groups")
    assert not any(alternatives["suggested"])


def test_a_segment_built_beside_the_suggested_ones_has_members_and_the_form_resets(
    ws_root: Path,
):
    report = state(ws_root).report
    assert report["segments"] and not any(s.get("built") for s in report["segments"])
    defining = {t for s in report["segments"] for t in s["themes"]}
    # themes beside the suggested segments' own where the study has them (the fake embedder's
    # study has one needs theme that defines no suggested segment; a built segment takes who
    # voices its themes either way, since suggested segments do not compete for members)
    side = sorted(_needs(ws_root), key=lambda t: t["id"] in defining)[:2]
    assert len(side) == 2
    at = open_app("segments")
    at.text_input(key="new_segment_name").input("Side talkers")
    at.multiselect(key="new_segment_themes").set_value([t["id"] for t in side]).run()
    assert "Who joins a segment you built" in texts(at)
    button(at, "Create segment").click().run()
    no_exception(at)
    # the form is empty again: the next segment inherits nothing
    assert at.text_input(key="new_segment_name").value == ""
    assert at.multiselect(key="new_segment_themes").value == []
    # set by the script, so the browser is told to redraw them (a dropped state is not sent)
    assert at.text_input(key="new_segment_name").proto.set_value
    assert at.multiselect(key="new_segment_themes").proto.set_value
    created = state(ws_root).report["segments"][-1]
    assert created["label"] == "Side talkers"
    voices = sorted({p for t in side for p in t["participants"]})
    assert created["participants"] == voices  # it keeps who voices its themes, not nobody
    at.selectbox(key="segment").set_value(created["id"]).run()
    no_exception(at)
    members = table(at, "participant", "transcript", "industry")
    assert len(members) == len(voices)
    assert "No participant metadata" not in texts(at)
    assert not [w for w in at.warning if "No member" in w.value]


def test_adopt_another_grouping_and_undo(ws_root: Path):
    at = open_app("segments")
    report = state(ws_root).report
    chosen = report["segmentation"]["chosen"]
    other = next(a for a in report["segmentation"]["alternatives"] if a["k"] != chosen)
    assert button(at, "Use this grouping").disabled  # the suggestion is already in use
    at.selectbox(key="adopt_k").set_value(other["k"]).run()
    button(at, "Use this grouping").click().run()
    no_exception(at)
    after = state(ws_root).report
    assert len(after["segments"]) == other["k"] and after["segmentation"]["adopted"]
    assert f"Participants grouped into {other['k']} segments." in texts(at)
    assert f"You chose the grouping into {other['k']} segments" in texts(at)
    listing = table(at, "segment", "name", "participants", "share")
    assert list(listing["segment"]) == [s["id"] for s in after["segments"]]
    button(at, "Undo last edit").click().run()
    no_exception(at)
    assert [s["participants"] for s in state(ws_root).report["segments"]] == [
        s["participants"] for s in report["segments"]
    ]
