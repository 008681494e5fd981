"""Themes: only the open lens's tab runs; it stays open and fresh across edits and tab switches."""

from __future__ import annotations

from pathlib import Path

from tests.ui.helpers import button, no_exception, open_app, state, texts, toggle_expander

LENSES = ("need", "psychographic", "trigger", "objection")


def _live(ws_root: Path, lens: str) -> list[dict]:
    themes = state(ws_root).report["themes"]
    return [t for t in themes if t["lens"] == lens and not t.get("dismissed")]


def _open(at, lens: str):
    """Open a lens's tab, as a click on it does (AppTest cannot click a tab): the tabs widget's
    value and the lens the page remembers (a click's callback sets it)."""
    at.session_state["lens_tabs"] = at.tabs[LENSES.index(lens)].label
    at.session_state["themes_open_lens"] = lens
    return at.run()


def _pickers(at) -> set[str]:
    return {s.key for s in at.selectbox if s.key and s.key.startswith("theme:")}


def test_only_the_open_tab_is_drawn(ws_root: Path):
    at = open_app("themes")
    no_exception(at)
    assert _pickers(at) == {"theme:need"}
    toggle_expander(at, "Map of the excerpts")
    assert len(at.get("vega_lite_chart")) == 1, "one map: the open lens's"


def test_the_open_tab_survives_an_edit_that_changes_its_title(ws_root: Path):
    lens = next(
        (lens for lens in LENSES[1:] if len(_live(ws_root, lens)) >= 2), None
    )  # a lens other than needs with two themes to merge
    assert lens is not None, "the small study has no second lens with two themes"
    at = open_app("themes")
    _open(at, lens)
    no_exception(at)
    assert _pickers(at) == {f"theme:{lens}"}

    before = _live(ws_root, lens)
    at.multiselect(key=f"merge_pick:{lens}").set_value([before[0]["id"], before[1]["id"]]).run()
    button(at, "Merge").click().run()
    no_exception(at)
    assert "Merged 2 themes." in texts(at)
    # the tab's title counts one theme less, and it is still the tab shown
    assert f"({len(before) - 1})" in at.tabs[LENSES.index(lens)].label
    assert _pickers(at) == {f"theme:{lens}"}
    merged = next(t for t in _live(ws_root, lens) if t["id"] == before[0]["id"])
    options = at.multiselect(key=f"merge_pick:{lens}").options
    assert any(o.startswith(f"{merged['label']} (") for o in options)

    # undo from the same tab: the count comes back, the tab stays
    button(at, "Undo last edit").click().run()
    assert "Undone: merged 2 themes" in texts(at)
    assert f"({len(before)})" in at.tabs[LENSES.index(lens)].label
    assert _pickers(at) == {f"theme:{lens}"}


def test_a_hidden_tab_keeps_its_picked_theme_and_shows_fresh_names(ws_root: Path):
    needs = _live(ws_root, "need")
    at = open_app("themes")
    picked = needs[-1]["id"]
    at.selectbox(key="theme:need").set_value(picked).run()
    at.text_input(key=f"rename_text:{picked}").input("Renamed while open").run()
    button(at, "Rename").click().run()
    assert "Renamed while open" in [s.value for s in at.subheader]

    _open(at, "psychographic")
    assert "theme:need" not in _pickers(at)
    _open(at, "need")
    no_exception(at)
    assert at.selectbox(key="theme:need").value == picked
    assert "Renamed while open" in [s.value for s in at.subheader]
