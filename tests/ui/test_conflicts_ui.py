"""Two sessions: an edit logged by another session between render and click is not overwritten;
the page shows the conflict as a warning with a reload hint, and nothing is logged."""

from __future__ import annotations

from pathlib import Path

from qualseg import editing
from tests.ui.helpers import button, by_key, no_exception, open_app, reopen, state, texts


def _warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


def test_rename_after_another_session_renamed_the_same_theme(ws_root: Path):
    at = open_app("themes")
    theme_id = at.selectbox(key="theme:need").value
    at.text_input(key=f"rename_text:{theme_id}").input("Named in this tab").run()
    other = reopen(ws_root)  # the other browser session, between this render and the click
    theirs = editing.rename_theme(other, theme_id, "Named in the other tab")
    button(at, "Rename").click().run()
    no_exception(at)
    warning = _warnings(at)
    assert f"renamed theme {theme_id} to “Named in the other tab” (edit {theirs})" in warning
    assert "reload" in warning and "not saved" in warning
    assert "Renamed theme to" not in texts(at)
    assert [e.id for e in reopen(ws_root).edits()] == [theirs]
    label = {t["id"]: t["label"] for t in state(ws_root).report["themes"]}[theme_id]
    assert label == "Named in the other tab"
    # The page now shows their change; renaming again on that view goes through.
    at.text_input(key=f"rename_text:{theme_id}").input("Named in this tab").run()
    button(at, "Rename").click().run()
    no_exception(at)
    label = {t["id"]: t["label"] for t in state(ws_root).report["themes"]}[theme_id]
    assert label == "Named in this tab"


def test_an_edit_of_another_theme_in_between_does_not_block(ws_root: Path):
    at = open_app("themes")
    theme_id = at.selectbox(key="theme:need").value
    other_theme = next(
        t["id"]
        for t in state(ws_root).report["themes"]
        if t["lens"] == "need" and t["id"] != theme_id
    )
    at.text_input(key=f"rename_text:{theme_id}").input("My theme").run()
    editing.rename_theme(reopen(ws_root), other_theme, "Their theme")
    button(at, "Rename").click().run()
    no_exception(at)
    assert not at.warning
    labels = {t["id"]: t["label"] for t in state(ws_root).report["themes"]}
    assert (labels[theme_id], labels[other_theme]) == ("My theme", "Their theme")


def test_pin_after_another_session_pinned_the_same_quote(ws_root: Path):
    """The click's rerun already shows the quote pinned (an Unpin button in place of Pin), so the
    click pins nothing twice and the swipe file holds it once."""
    at = open_app("quotes")
    pin = next(b for b in at.button if b.label == "Pin")
    excerpt = pin.key.split(":", 3)[3]  # pin:bank:<n>:<excerpt id>
    editing.pin_quote(reopen(ws_root), excerpt)
    by_key(at.button, pin.key).click().run()
    no_exception(at)
    assert [e.kind for e in reopen(ws_root).edits()] == ["pin_quote"], "pinned once"
    assert state(ws_root).report["pins"] == [excerpt]
    assert any(b.label == "Unpin" and b.key.endswith(f":{excerpt}") for b in at.button)


def test_segment_rename_after_another_session_renamed_it(ws_root: Path):
    at = open_app("segments")
    segment = at.selectbox(key="edit_segment").value
    at.text_input(key=f"rename_segment:{segment}").input("Mine").run()
    theirs = editing.rename_segment(reopen(ws_root), segment, "Theirs")
    by_key(at.button, "rename_segment").click().run()
    no_exception(at)
    assert f"renamed segment {segment} to “Theirs” (edit {theirs})" in _warnings(at)
    labels = {s["id"]: s["label"] for s in state(ws_root).report["segments"]}
    assert labels[segment] == "Theirs"
