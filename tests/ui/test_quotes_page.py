"""Quote bank: filters, punchy flag, copy box, pin to the swipe file, exports."""

from __future__ import annotations

from pathlib import Path

from qualseg import quote_bank, service
from qualseg.privacy import review
from qualseg.store import Workspace
from qualseg.ui.pages import quotes as page
from tests.ui.helpers import (
    SMALL,
    button,
    by_key,
    html,
    no_exception,
    open_app,
    state,
    table,
    texts,
)


def test_filters_narrow_the_bank(ws_root: Path):
    at = open_app("quotes")
    no_exception(at)
    report = state(ws_root).report
    everything = quote_bank.quotes(report)
    substantive = [q for q in everything if not quote_bank.is_small_talk(q)]
    assert at.tabs[0].label == f"All quotes ({len(everything)})"
    assert f"**{len(substantive)} of {len(everything)} quotes**" in texts(at)
    assert len(table(at, "quote", "participant", "segment", "themes", "punchy")) == len(substantive)
    assert at.code, "quotes show in copy boxes"

    at.text_input(key="qb_text").input("invoice").run()
    shown = table(at, "quote", "participant")
    assert len(shown) and all("invoice" in q.lower() for q in shown["quote"])

    at.toggle(key="qb_punchy").set_value(True).run()
    shown = table(at, "quote", "words", "punchy")
    assert all(shown["words"] <= quote_bank.PUNCHY_MAX_WORDS) and set(shown["punchy"]) == {"★"}

    at.text_input(key="qb_text").input("").run()
    at.toggle(key="qb_punchy").set_value(False).run()
    need = next(t for t in report["themes"] if t["lens"] == "need")
    at.multiselect(key="qb_themes").set_value([need["id"]]).run()
    shown = table(at, "quote", "themes")
    assert len(shown) == len(need["excerpts"])

    at.multiselect(key="qb_themes").set_value([]).run()
    at.selectbox(key="qb_meta").set_value("industry").run()
    at.multiselect(key="qb_meta_values:industry").set_value(["Logistics"]).run()
    shown = table(at, "quote", "participant")
    assert set(shown["participant"]) == {"Priya Raman"}

    at.text_input(key="qb_text").input("zzzz-not-said").run()
    assert "No quote matches these filters." in texts(at)


def test_pin_to_the_swipe_file_and_export(ws_root: Path):
    at = open_app("quotes")
    assert at.tabs[1].label == "Swipe file (0)"
    assert "The swipe file is empty" in texts(at)
    labels = {b.label for b in at.download_button}
    assert {"Export CSV", "Export Markdown"} <= labels
    first_code = at.code[0].value
    button(at, "Pin").click().run()
    no_exception(at)
    pins = state(ws_root).report["pins"]
    assert len(pins) == 1
    assert at.tabs[1].label == "Swipe file (1)"
    swipe_codes = [c.value for c in at.tabs[1].code]
    assert swipe_codes == [first_code]
    assert {"Swipe file as CSV", "Swipe file as Markdown"} <= {b.label for b in at.download_button}
    assert by_key(at.button, f"unpin:swipe:0:{pins[0]}")
    by_key(at.button, f"unpin:swipe:0:{pins[0]}").click().run()
    assert state(ws_root).report["pins"] == []


def test_quote_downloads_leave_pseudonymised(ws_root: Path):
    store = Workspace(ws_root).open(SMALL)
    report = service.current_state(store).report
    ids = [q.excerpt for q in quote_bank.quotes(report)]
    names = {p["name"] for p in report["participants"]}
    csv_text = page._as_csv(str(store.folder), ids)
    assert "Participant" in csv_text and not [n for n in names if n in csv_text]
    md_text = page._as_markdown(str(store.folder), ids[:5], "Quotes")
    assert not [n for n in names if n in md_text]

    review.set_enabled(store, False)
    assert any(n in page._as_csv(str(store.folder), ids) for n in names)


def test_the_download_says_it_is_pseudonymised_while_the_screen_shows_real_names(ws_root: Path):
    at = open_app("quotes")
    no_exception(at)
    assert "Downloads are pseudonymised" in texts(at)
    names = {p["name"] for p in state(ws_root).report["participants"]}
    shown = texts(at) + html(at) + str([t.value for t in at.dataframe])
    assert any(n in shown for n in names)
    store = Workspace(ws_root).open(SMALL)
    review.set_enabled(store, False)
    store.close()
    at = open_app("quotes")
    assert "downloads carry real names" in texts(at)
    assert "Downloads are pseudonymised" not in texts(at)
