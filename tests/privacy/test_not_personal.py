"""Product, competitor and tool names kept as written: the shipped list of widely used products,
names that only wrap one in ordinary words, and the project's "not personal" terms."""

from __future__ import annotations

import pytest

from qualseg import service
from qualseg.errors import ProjectError
from qualseg.importing import import_files
from qualseg.privacy import pseudonymiser_for
from qualseg.privacy.detect import Candidate
from qualseg.privacy.known_products import is_known_product, keep_products, without_kept_name
from qualseg.privacy.review import detect_and_store, list_redactions

CALL = (
    "Maya Chen: How do approvals work today?\n\n"
    "Dana Whitfield: Honestly? I had screenshots of Slack. Screenshots of Slack, for an audit. "
    "A friend posted about Quillmark on LinkedIn and I booked a demo. Before that we tried "
    "Ferrowind for a month, and Ferrowind was clunky. Our auditor, Okonkwo Partners, wanted "
    "the trail.\n\n"
    "Maya Chen: And Harriet Lindqvist?\n\n"
    "Dana Whitfield: Harriet Lindqvist signs off everything over ten thousand.\n"
)


@pytest.fixture
def store(workspace):
    store = workspace.open("keep", create=True)
    assert not import_files(store, [("call.txt", CALL.encode())]).failed
    yield store
    store.close()


def _status(store, surface: str) -> set[str]:
    return {r.status for r in list_redactions(store) if r.surface == surface}


def test_known_products_match_whole_names_in_any_case():
    assert is_known_product("Slack") and is_known_product("microsoft  teams")
    assert is_known_product("Quillmark", extra=["quillmark"])
    assert not is_known_product("Slack Harbour")  # a name that merely starts with one
    assert not is_known_product("Sage") and not is_known_product("Alexa")  # also first names


def test_a_kept_name_wrapped_in_ordinary_words_is_no_name_of_its_own():
    ordinary = {"screenshots", "of", "the", "channel", "on"}
    assert without_kept_name("Screenshots of Slack", ["Slack"], ordinary) == ""
    assert without_kept_name("the Slack channel", ["slack"], ordinary) == ""
    assert without_kept_name("Quillmark on LinkedIn", ["LinkedIn"], ordinary) == "Quillmark"
    assert without_kept_name("Acme Slack Partners", ["Slack"], ordinary) is None
    assert without_kept_name("Slack", ["Slack"], ordinary) is None  # the name itself
    assert without_kept_name("Dana Whitfield", ["Slack"], ordinary) is None


def test_a_person_whose_first_name_is_kept_is_not_cut_short():
    found = {
        "Priya Nandakumar": Candidate("Priya Nandakumar", "person", "ner:PERSON"),
        "Quillmark on Slack": Candidate("Quillmark on Slack", "company", "ner:ORG"),
        "Excel": Candidate("Excel", "company", "ner:ORG"),
    }
    keep_products(found, ["Priya"], ordinary={"on"})
    assert set(found) == {"Priya Nandakumar", "Quillmark", "Excel"}
    assert not found["Priya Nandakumar"].auto_reject and found["Excel"].auto_reject


def test_detection_keeps_widely_used_products_and_drops_wrapped_names(store):
    detect_and_store(store)
    assert _status(store, "Screenshots of Slack") == set()  # no candidate
    assert _status(store, "LinkedIn") <= {"rejected"}  # kept when found at all
    assert "suggested" in _status(store, "Harriet Lindqvist")  # people are still replaced
    text = store.load_transcript(store.transcripts()[0].id).text
    out = pseudonymiser_for(store).apply(text)
    assert "screenshots of Slack" in out and "Screenshots of Slack" in out
    assert "on LinkedIn and I booked" in out and "Harriet Lindqvist" not in out
    assert "Quillmark" not in out  # the product under study: replaced until marked
    assert ("Okonkwo Partners", "company") in {
        (r.surface, r.category) for r in list_redactions(store)
    }


def test_marking_a_term_not_personal_keeps_it_now_and_after_a_new_import(store):
    detect_and_store(store)
    assert "suggested" in _status(store, "Quillmark"), sorted(
        (r.surface, r.status) for r in list_redactions(store)
    )
    changed = service.mark_not_personal(store, "  quillmark ")
    assert changed >= 1 and _status(store, "Quillmark") == {"rejected"}
    assert service.not_personal_terms(store) == ["quillmark"]
    assert "posted about Quillmark on" in pseudonymiser_for(store).apply(CALL)
    second = b"Maya Chen: Why?\n\nPedro Alvarez: Quillmark called us back the same day.\n"
    assert not import_files(store, [("call2.txt", second)]).failed
    service.mark_not_personal(store, "Quillmark")  # marked twice: listed once
    assert service.not_personal_terms(store) == ["quillmark"]
    detect_and_store(store)
    assert _status(store, "Quillmark") == {"rejected"}
    assert "Quillmark called us" in pseudonymiser_for(store).apply(second.decode())


def test_a_term_taken_off_the_list_is_replaced_again_once_confirmed(store):
    detect_and_store(store)
    service.mark_not_personal(store, "Quillmark")
    assert service.unmark_not_personal(store, "QUILLMARK") is True
    assert service.unmark_not_personal(store, "Quillmark") is False
    assert service.not_personal_terms(store) == []
    row = next(r for r in list_redactions(store) if r.surface == "Quillmark")
    service.confirm_redactions(store, [row.id])
    assert "Quillmark" not in pseudonymiser_for(store).apply(CALL)


def test_an_empty_term_is_refused(store):
    with pytest.raises(ProjectError, match="word or name"):
        service.mark_not_personal(store, "   ")
    assert service.not_personal_terms(store) == []


def test_a_deletion_takes_the_terms_only_the_deleted_text_held(store):
    from qualseg.deletion import delete_transcript

    second = b"Maya Chen: And tools?\n\nPedro Alvarez: Ferrowind, mostly. Ferrowind and paper.\n"
    assert not import_files(store, [("call2.txt", second)]).failed
    service.mark_not_personal(store, "Quillmark")  # said in call.txt only
    service.mark_not_personal(store, "Ferrowind")  # said in both calls
    delete_transcript(store, "call.txt")
    assert service.not_personal_terms(store) == ["Ferrowind"]
