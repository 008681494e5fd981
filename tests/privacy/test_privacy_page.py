"""The Privacy page: switch, review list by category, confirm/reject, add a term, preview."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from qualseg.privacy.review import list_redactions
from qualseg.store import Workspace
from tests.privacy.conftest import PLANTED


def _page() -> None:
    from qualseg.ui.pages.privacy import render

    render()


@pytest.fixture
def app_root(tmp_path, monkeypatch):
    from qualseg.importing import import_files

    root = tmp_path / "ws"
    store = Workspace(root).open("planted", create=True)
    assert not import_files(store, [(PLANTED.name, PLANTED.read_bytes())]).failed
    store.close()
    monkeypatch.setenv("QUALSEG_WORKSPACE", str(root))
    st.cache_resource.clear()
    yield root
    st.cache_resource.clear()


def _open() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=120)
    at.session_state["project"] = "planted"
    return at.run()


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def test_page_lists_detections_and_records_decisions(app_root):
    at = _open()
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "Participants (" in text and "Companies (" in text and "E-mail addresses (" in text
    assert "Acme Corp" in text and "Participant 1" in text
    html = "\n".join(h.proto.body for h in at.get("html"))
    assert "Acme Corp" in html and "[email]" in html  # before / after preview
    store = Workspace(app_root).open("planted")
    acme = next(r for r in list_redactions(store) if r.surface == "Acme Corp")
    next(b for b in at.button if b.key == f"privacy_reject_{acme.id}").click().run()
    assert not at.exception
    assert next(r for r in list_redactions(store) if r.surface == "Acme Corp").status == "rejected"
    next(b for b in at.button if b.key == "privacy_confirm_all").click().run()
    assert {r.status for r in list_redactions(store)} <= {"confirmed", "rejected"}


def test_switch_and_add_term(app_root):
    at = _open()
    at.toggle(key="privacy_enabled").set_value(False).run()
    assert not at.exception
    store = Workspace(app_root).open("planted")
    from qualseg.privacy import pseudonymisation_enabled

    assert pseudonymisation_enabled(store) is False
    at.text_input(key="privacy_add_surface").set_value("Ledgerly")
    at.selectbox(key="privacy_add_category").set_value("company")
    at.button[-1].click().run()  # the form's submit button
    assert not at.exception, [e.value for e in at.exception]
    added = next(r for r in list_redactions(store) if r.surface == "Ledgerly")
    assert added.status == "added" and added.pseudonym.startswith("Company ")
