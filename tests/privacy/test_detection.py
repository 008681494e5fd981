"""Detection of identifiers and consistent pseudonyms on a planted transcript."""

from __future__ import annotations

import re

from qualseg.privacy import pseudonymiser_for
from qualseg.privacy.patterns import pseudonymiser_patterns
from qualseg.privacy.pseudonymiser import Pseudonymiser
from qualseg.privacy.review import detect_and_store, list_redactions


def _rows(store):
    return {(r.surface, r.category): r for r in list_redactions(store)}


def test_planted_identifiers_are_found_with_their_categories(planted_store):
    detect_and_store(planted_store)
    rows = _rows(planted_store)
    for surface, category in [
        ("Dana Whitfield", "participant"),
        ("Maya Chen", "interviewer"),
        ("Acme Corp", "company"),
        ("dana.whitfield@acme-corp.com", "email"),
        ("+1 (503) 555-0142", "phone"),
        ("503-555-0199", "phone"),
        ("4410098823", "number"),
        ("DE89 3704 0044 0532 0130 00", "number"),
        ("POL-88123456", "number"),
    ]:
        assert (surface, category) in rows, (surface, category, sorted(rows))
    address = [r.surface for r in rows.values() if r.category == "address"]
    assert any(a.startswith("1420 Harbor View Road") and "97205" in a for a in address), address


def test_first_name_and_full_name_share_a_pseudonym(planted_store):
    detect_and_store(planted_store)
    rows = _rows(planted_store)
    assert (
        rows[("Dana", "participant")].pseudonym == rows[("Dana Whitfield", "participant")].pseudonym
    )
    assert re.fullmatch(r"Participant \d+", rows[("Dana Whitfield", "participant")].pseudonym)
    assert (
        rows[("Pedro", "participant")].pseudonym == rows[("Pedro Alvarez", "participant")].pseudonym
    )


def test_pseudonymised_text_keeps_no_planted_identifier_and_keeps_amounts(planted_store):
    detect_and_store(planted_store)
    p = pseudonymiser_for(planted_store)
    stored = planted_store.transcript_by_source("planted_call.txt")
    text = p.apply(planted_store.load_transcript(stored.id).text)
    for secret in (
        "Dana", "Whitfield", "Acme", "dana.whitfield@", "555-0142", "555-0199", "4410098823",
        "3704 0044", "Harbor View", "97205", "Pedro", "88123456", "Globex", "Crestline",
    ):  # fmt: skip
        assert secret not in text, (secret, text)
    assert "$48,600" in text and "March 2025" in text  # amounts and dates are evidence, kept
    assert "[email]" in text and "[phone]" in text and "[address]" in text


def test_same_company_same_pseudonym_in_every_transcript(planted_store):
    detect_and_store(planted_store)
    p = pseudonymiser_for(planted_store)
    company = _rows(planted_store)[("Acme Corp", "company")].pseudonym
    texts = [p.apply(planted_store.load_transcript(t.id).text) for t in planted_store.transcripts()]
    assert all(company in t and "Acme" not in t for t in texts)
    participant = _rows(planted_store)[("Dana Whitfield", "participant")].pseudonym
    assert all(participant in t for t in texts)


def test_excerpt_alone_reads_as_inside_its_transcript(analyzed_store):
    from qualseg.editing import current_state

    detect_and_store(analyzed_store)
    p = pseudonymiser_for(analyzed_store)
    report = current_state(analyzed_store).report
    whole = {}
    for t in analyzed_store.transcripts():
        whole[t.source] = (
            analyzed_store.load_transcript(t.id).text,
            *p.apply_with_offsets(analyzed_store.load_transcript(t.id).text),
        )
    checked = changed = 0
    for e in report["excerpts"]:
        original, text, offsets = whole[e["source"]]
        if original[e["start"] : e["end"]] != e["text"]:
            continue  # speech across cues: not one slice of the file
        alone = p.apply(e["text"])
        assert text[offsets.start(e["start"]) : offsets.end(e["end"])] == alone
        checked += 1
        changed += alone != e["text"]
    assert checked > 500 and changed > 20


def test_rejected_suggestion_is_kept_and_added_term_is_replaced(planted_store):
    from qualseg.privacy import review

    detect_and_store(planted_store)
    rows = _rows(planted_store)
    review.reject(
        planted_store, [rows[("Acme Corp", "company")].id, rows[("503-555-0199", "phone")].id]
    )
    added = review.add(planted_store, "Ledgerly", "company")
    assert added.status == "added" and added.pseudonym.startswith("Company ")
    p = pseudonymiser_for(planted_store)
    out = p.apply("Acme Corp bought Ledgerly; call 503-555-0199 or +1 (503) 555-0142.")
    assert "Acme Corp" in out and "503-555-0199" in out
    assert "Ledgerly" not in out and added.pseudonym in out and "555-0142" not in out


def test_redetection_keeps_the_researchers_decisions(planted_store):
    from qualseg.privacy import review

    detect_and_store(planted_store)
    rows = _rows(planted_store)
    review.reject(planted_store, [rows[("Acme Corp", "company")].id])
    review.confirm(planted_store, [rows[("Dana Whitfield", "participant")].id])
    review.add(planted_store, "Crestline Partners", "company")
    detect_and_store(planted_store)
    after = _rows(planted_store)
    assert after[("Acme Corp", "company")].status == "rejected"
    assert after[("Dana Whitfield", "participant")].status == "confirmed"
    assert after[("Crestline Partners", "company")].status == "added"
    assert {k: r.pseudonym for k, r in after.items() if k in rows} == {
        k: r.pseudonym for k, r in rows.items()
    }


def test_rejected_pattern_match_is_left_alone():
    p = Pseudonymiser({}, pseudonymiser_patterns(["800-555-0100"]))
    assert p.apply("hotline 800-555-0100, me 503-555-0199") == "hotline 800-555-0100, me [phone]"


def test_a_second_detection_reads_each_transcripts_parse_from_the_cache(planted_store, monkeypatch):
    """The named-entity parse is cached per transcript (by the hash of what it read): detection
    again parses nothing and finds exactly what the parse found, without any cache too."""
    from qualseg.privacy import detect as detect_module
    from qualseg.privacy.detect import SpeakerInfo, detect

    transcripts = [planted_store.load_transcript(t.id) for t in planted_store.transcripts()]
    speakers = [
        SpeakerInfo(s.id, s.label, s.display_name, s.role, s.metadata, s.transcript_id)
        for s in planted_store.speakers()
    ]
    uncached = detect(transcripts, speakers)
    detect_and_store(planted_store)
    assert planted_store.query("SELECT COUNT(*) FROM entities")[0][0] == len(transcripts)

    def no_parse(pieces):  # noqa: ANN001, ANN202
        raise AssertionError("parsed again although the parse was cached")

    monkeypatch.setattr(detect_module, "entity_records", no_parse)
    cached = detect(transcripts, speakers, planted_store)
    assert [vars(c) for c in cached] == [vars(c) for c in uncached]
    detect_and_store(planted_store)  # the review list's refresh reads the cache too


def test_the_parse_of_changed_text_is_not_read_from_the_cache(planted_store):
    from qualseg.privacy.detect import speech_pieces
    from qualseg.privacy.entities import entity_key

    t = planted_store.load_transcript(planted_store.transcripts()[0].id)
    pieces = speech_pieces(t)
    assert entity_key(pieces) == entity_key(list(pieces))
    assert entity_key(pieces) != entity_key([*pieces[:-1], pieces[-1] + " Oskar"])
