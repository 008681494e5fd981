"""The on/off switch, and a report with every text field pseudonymised."""

from __future__ import annotations

import json
import re

from qualseg.editing import current_state
from qualseg.privacy import pseudonymisation_enabled, pseudonymise_report, pseudonymiser_for
from qualseg.privacy.review import confirm, detect_and_store, list_redactions, set_enabled
from qualseg.store import Workspace


def test_enabled_defaults_on_and_survives_reopening(workspace):
    store = workspace.open("p", create=True)
    assert pseudonymisation_enabled(store) is True
    set_enabled(store, False)
    store.close()
    reopened = Workspace(workspace.root).open("p")
    assert pseudonymisation_enabled(reopened) is False
    set_enabled(reopened, True)
    reopened.close()
    assert pseudonymisation_enabled(Workspace(workspace.root).open("p")) is True


def test_report_keeps_no_confirmed_surface_and_keeps_offsets(analyzed_store):
    detect_and_store(analyzed_store)
    rows = list_redactions(analyzed_store)
    confirm(analyzed_store, [r.id for r in rows if r.status == "suggested"])
    state = current_state(analyzed_store).report
    state["segments"][0]["notes"] = "Ask Priya Raman about Bluepeak Freight again"
    out = pseudonymise_report(state, pseudonymiser_for(analyzed_store))
    dumped = json.dumps(out, ensure_ascii=False)
    confirmed = [r.surface for r in list_redactions(analyzed_store) if r.status == "confirmed"]
    leaks = [s for s in confirmed if re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", dumped)]
    assert leaks == []
    for name in ("Priya Raman", "Marcus Halvorsen", "Bluepeak Freight", "Northwind", "halvorsen"):
        assert name not in dumped
    assert "Participant " in dumped and "Company " in dumped
    # the original is untouched, offsets and references are the same
    assert "Priya Raman" in json.dumps(state, ensure_ascii=False)
    for before, after in zip(state["excerpts"], out["excerpts"], strict=True):
        assert (before["id"], before["start"], before["end"], before["participant"]) == (
            after["id"], after["start"], after["end"], after["participant"]
        )  # fmt: skip
    quotes = [(q["excerpt"], q["start"], q["end"]) for t in out["themes"] for q in t["quotes"]]
    assert quotes == [
        (q["excerpt"], q["start"], q["end"]) for t in state["themes"] for q in t["quotes"]
    ]
    assert out["participants"][0]["name"].startswith("Participant ")
    assert out["run"] == state["run"]


def test_rejected_name_stays_in_the_report(analyzed_store):
    from qualseg.privacy.review import reject

    detect_and_store(analyzed_store)
    row = next(r for r in list_redactions(analyzed_store) if r.surface == "Priya Raman")
    reject(analyzed_store, [row.id])
    out = pseudonymise_report(
        current_state(analyzed_store).report, pseudonymiser_for(analyzed_store)
    )
    assert any(p["name"] == "Priya Raman" for p in out["participants"])
