"""The Privacy page: switch, review list by category, confirm/reject, add a term, preview."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from qualseg import service
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
    button = next(b for b in at.button if b.key == f"privacy_reject_{acme.id}")
    assert button.label == "Not personal"  # a company's row: kept as written, now and later
    button.click().run()
    assert not at.exception
    assert next(r for r in list_redactions(store) if r.surface == "Acme Corp").status == "rejected"
    assert service.not_personal_terms(store) == ["Acme Corp"]
    assert "**Acme Corp** · kept as written" in _text(at)
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
    next(b for b in at.button if b.label == "Add").click().run()  # the add form's submit
    assert not at.exception, [e.value for e in at.exception]
    added = next(r for r in list_redactions(store) if r.surface == "Ledgerly")
    assert added.status == "added" and added.pseudonym.startswith("Company ")


def test_a_term_kept_as_written_before_it_is_detected_and_taken_off_again(app_root):
    at = _open()
    at.text_input(key="privacy_keep_term").set_value("Ledgerly")
    next(b for b in at.button if b.label == "Keep as written").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = Workspace(app_root).open("planted")
    assert service.not_personal_terms(store) == ["Ledgerly"]
    assert "'Ledgerly' is not personal" in "\n".join(str(s.value) for s in at.success)
    next(b for b in at.button if b.key == "privacy_unkeep_Ledgerly").click().run()
    assert not at.exception
    assert service.not_personal_terms(store) == []
