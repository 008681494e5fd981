"""Themes: tabs per lens, map, detail; rename, merge, split, move, dismiss, undo; all persisted."""

from __future__ import annotations

from pathlib import Path

from tests.ui.helpers import (
    SMALL,
    button,
    expanders,
    go,
    no_exception,
    open_app,
    reopen,
    state,
    table,
    texts,
    toggle_expander,
)

MAP = "Map of the excerpts"
EXCERPTS = "All excerpts of this theme"


def _needs(ws_root: Path) -> list[dict]:
    themes = state(ws_root).report["themes"]
    return [t for t in themes if t["lens"] == "need" and not t.get("dismissed")]


def test_tabs_table_map_and_detail(ws_root: Path):
    at = open_app("themes")
    no_exception(at)
    labels = [t.label for t in at.tabs]
    assert [label.split(" (")[0] for label in labels] == [
        "Needs & outcomes",
        "Psychographics",
        "Buying triggers",
        "Objections",
    ]
    needs = _needs(ws_root)
    assert labels[0] == f"Needs & outcomes ({len(needs)})"
    listing = table(at, "theme", "participants", "excerpts", "keyphrases")
    assert len(listing) == len(needs)
    # the map is drawn on request: closed at first, drawn once opened
    assert len(expanders(at, MAP)) == 1 and not at.get("vega_lite_chart")
    toggle_expander(at, MAP)
    no_exception(at)
    assert len(at.get("vega_lite_chart")) == 1, "the excerpt map is drawn once opened"
    biggest = max(needs, key=lambda t: (len(t["participants"]), len(t["excerpts"])))
    assert biggest["label"] in [s.value for s in at.subheader]
    assert "Keyphrases:" in texts(at) and "Participants:" in texts(at)


def test_rename_persists_in_a_new_store(ws_root: Path):
    at = open_app("themes")
    theme_id = at.selectbox(key="theme:need").value
    at.text_input(key=f"rename_text:{theme_id}").input("Keying invoices by hand").run()
    button(at, "Rename").click().run()
    no_exception(at)
    assert "Renamed theme to “Keying invoices by hand”" in texts(at)
    # A restarted app (new store object on the same folder) finds the edit.
    again = reopen(ws_root)
    assert any(e.kind == "rename_theme" for e in again.edits())
    themes = {t["id"]: t for t in state(ws_root).report["themes"]}
    assert themes[theme_id]["label"] == "Keying invoices by hand"
    at = open_app("themes")
    assert "Keying invoices by hand" in [s.value for s in at.subheader]


def test_merge_split_move_dismiss_and_undo(ws_root: Path):
    needs = _needs(ws_root)
    first, second = needs[0]["id"], needs[1]["id"]
    at = open_app("themes")
    at.multiselect(key="merge_pick:need").set_value([first, second])
    at.text_input(key="merge_label:need").input("Manual work").run()
    button(at, "Merge").click().run()
    no_exception(at)
    assert len(_needs(ws_root)) == len(needs) - 1
    merged = next(t for t in _needs(ws_root) if t["id"] == first)
    assert merged["label"] == "Manual work"

    # Undo names the edit it undid.
    button(at, "Undo last edit").click().run()
    assert "Undone: merged 2 themes into “Manual work”" in texts(at)
    assert len(_needs(ws_root)) == len(needs)

    big = max(_needs(ws_root), key=lambda t: len(t["excerpts"]))
    at.selectbox(key="theme:need").set_value(big["id"]).run()
    button(at, "Split in two").click().run()
    no_exception(at)
    after = {t["id"] for t in _needs(ws_root)}
    assert f"{big['id']}.2" in after

    theme = next(t for t in _needs(ws_root) if t["id"] == big["id"])
    at.selectbox(key="theme:need").set_value(big["id"]).run()
    # the theme's excerpts are drawn on request; the expander stays open across the edits
    assert f"excerpt_pick:{big['id']}" not in {s.key for s in at.selectbox}
    toggle_expander(at, EXCERPTS)
    excerpt = at.selectbox(key=f"excerpt_pick:{big['id']}").value
    target = next(t["id"] for t in _needs(ws_root) if t["id"] != big["id"])
    at.selectbox(key=f"move_to:{big['id']}").set_value(target).run()
    button(at, "Move").click().run()
    no_exception(at)
    report = state(ws_root).report
    moved = next(e for e in report["excerpts"] if e["id"] == excerpt)
    assert target in moved["themes"] and big["id"] not in moved["themes"]

    at.selectbox(key="theme:need").set_value(big["id"]).run()
    second_excerpt = at.selectbox(key=f"excerpt_pick:{big['id']}").value
    assert second_excerpt != excerpt and second_excerpt in theme["excerpts"]
    button(at, "Dismiss excerpt").click().run()
    report = state(ws_root).report
    assert next(e for e in report["excerpts"] if e["id"] == second_excerpt)["dismissed"]

    at.selectbox(key="theme:need").set_value(target).run()
    button(at, "Dismiss theme", nth=0).click().run()
    no_exception(at)
    assert target not in {t["id"] for t in _needs(ws_root)}
    assert "1 dismissed theme(s)" in [e.label for e in at.expander]
    kinds = [e.kind for e in reopen(ws_root).edits()]
    assert kinds == ["split_theme", "move_excerpt", "dismiss_excerpt", "dismiss_theme"]


def test_edits_that_no_longer_apply_are_listed(ws_root: Path):
    reopen(ws_root).add_edit(
        "rename_theme",
        {"theme": {"id": "need-99", "lens": "need", "signature": ["x:1-2"]}, "label": "Ghost"},
        run_id=1,
    )
    at = open_app("themes", project=SMALL)
    no_exception(at)
    expander = next(e for e in at.expander if "could not be re-applied" in e.label)
    assert "renamed theme need-99" in expander.markdown[0].value
    assert "not in this result any more" in expander.markdown[0].value


def test_open_a_quote_in_its_transcript(ws_root: Path):
    at = open_app("themes")
    theme_id = at.selectbox(key="theme:need").value
    quote = next(t for t in _needs(ws_root) if t["id"] == theme_id)["quotes"][0]
    button(at, "Open in transcript").click().run()
    no_exception(at)
    assert at.title[0].value == "Transcript reader"
    assert at.session_state["reader_excerpt"] == quote["excerpt"]
    assert at.session_state["reader_source"] == quote["source"]
    assert "At the excerpt" in texts(at)


def _path_of(node, label: str, path: tuple = ()) -> tuple | None:
    """Where an expander sits in the page (its delta path): the browser keeps an expander open
    only while it stays at the same place."""
    for i, child in getattr(node, "children", {}).items():
        if type(child).__name__ == "Expander" and getattr(child, "label", None) == label:
            return (*path, i)
        found = _path_of(child, label, (*path, i))
        if found:
            return found
    return None


def test_controls_show_the_current_names_after_rename_and_split(ws_root: Path):
    at = open_app("themes")
    tid = at.selectbox(key="theme:need").value
    at.text_input(key=f"rename_text:{tid}").input("Keying by hand").run()
    button(at, "Rename").click().run()
    no_exception(at)
    picker = at.selectbox(key="theme:need")
    assert picker.value == tid and picker.options[0].startswith("Keying by hand")
    assert picker.proto.set_value  # the browser is handed the value again: it redraws the name
    assert at.multiselect(key="merge_pick:need").proto.set_value

    button(at, "Split in two").click().run()
    no_exception(at)
    parent = next(t for t in _needs(ws_root) if t["id"] == tid)
    child = next(t for t in _needs(ws_root) if t["id"] == f"{tid}.2")
    assert parent["label"] != "Keying by hand"
    # the name box shows the parent's new name: a click on Rename cannot rename it back
    assert at.text_input(key=f"rename_text:{tid}").value == parent["label"]
    assert button(at, "Rename").disabled
    said = f"split theme “Keying by hand” into “{parent['label']}” and “{child['label']}”"
    assert f"S{said[1:]}." in [s.value for s in at.success]
    assert f"Last edit: {said}" in texts(at).replace("\\", "")


def test_the_merge_section_keeps_its_place_after_an_edit(ws_root: Path):
    at = open_app("themes")
    tid = at.selectbox(key="theme:need").value
    before = _path_of(at._tree, "Merge themes")
    at.text_input(key=f"rename_text:{tid}").input("Keying by hand").run()
    button(at, "Rename").click().run()
    after_edit = _path_of(at._tree, "Merge themes")
    at.multiselect(key="merge_pick:need").set_value([tid]).run()
    after_pick = _path_of(at._tree, "Merge themes")
    assert before == after_edit == after_pick


def test_the_map_stays_as_the_researcher_left_it(ws_root: Path):
    """Opened once, the map stays open through edits, other lenses and other pages, until it is
    closed (then it stays closed)."""
    at = open_app("themes")
    toggle_expander(at, MAP)
    tid = at.selectbox(key="theme:need").value
    at.text_input(key=f"rename_text:{tid}").input("Keying by hand").run()
    button(at, "Rename").click().run()
    no_exception(at)
    assert "Renamed theme to “Keying by hand”." in [s.value for s in at.success]
    assert len(at.get("vega_lite_chart")) == 1, "open after an edit"
    legend = at.get("vega_lite_chart")[0].proto.spec
    assert "Keying by hand" in legend, "the map names the theme by its new name"

    # another lens (as a click on its tab does: see test_themes_tabs._open), another page
    lens = next(t.label for t in at.tabs if t.label.startswith("Psychographics"))
    at.session_state["lens_tabs"] = lens
    at.session_state["themes_open_lens"] = "psychographic"
    at.run()
    assert len(at.get("vega_lite_chart")) == 1, "open in another lens"
    go(at, "segments")
    go(at, "themes")
    no_exception(at)
    assert len(at.get("vega_lite_chart")) == 1, "open when the page is opened again"

    toggle_expander(at, MAP, open=False)
    assert not at.get("vega_lite_chart")
    go(at, "segments")
    go(at, "themes")
    assert not at.get("vega_lite_chart"), "closed when the page is opened again"
