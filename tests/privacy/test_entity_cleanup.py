"""What detection makes of the recogniser's slips: an opening word taken in with a name, a
title alone, a title with a name taken for an organisation, a job title taken for one, and an
export's header words. The parse is given (as the recogniser gave it on real studies), so the
test checks detection's rules, not the model."""

from __future__ import annotations

import pytest

from qualseg.importing import import_files
from qualseg.privacy.detect import SpeakerInfo, detect, speech_pieces

CALL = (
    "Attendees\n\n"
    "Maya Chen, Dana Whitfield\n\n"
    "Transcript\n\n"
    "Maya Chen: So who signs off?\n\n"
    "Dana Whitfield: So Gail signs off, and so does Dr Hale. I report to Phil, he's our VP of "
    "Fleet. So that's it. We asked Will Turner too, and Will said no. So, Gail again. Then we "
    'had reminders like "call Dr So-and-so", which we snoozed.\n'
)


def _parse(pieces_per_transcript):  # noqa: ANN001, ANN202
    """The recogniser's output on such text: "So Gail" as one person, "Dr Hale" and "VP of
    Fleet" as organisations, "Attendees" as an organisation, "Will Turner" as a person."""
    slips = [
        ["Attendees", "ORG", False],
        ["So Gail", "PERSON", False],
        ["Dr Hale", "ORG", True],
        ["Dr", "PERSON", True],
        ["VP of Fleet", "ORG", True],
        ["Will Turner", "PERSON", True],
        ["Phil", "PERSON", True],
    ]
    return [slips for _ in pieces_per_transcript]


@pytest.fixture
def found(workspace):
    store = workspace.open("slips", create=True)
    assert not import_files(store, [("call.txt", CALL.encode())]).failed
    transcripts = [store.load_transcript(t.id) for t in store.transcripts()]
    speakers = [
        SpeakerInfo(s.id, s.label, s.display_name, s.role, s.metadata, s.transcript_id)
        for s in store.speakers()
    ]
    yield {c.surface: c for c in detect(transcripts, speakers, parse=_parse)}
    store.close()


def test_an_opening_word_is_no_part_of_a_name(found):
    """Neither in the recogniser's "So Gail" nor after a title in "Dr So-and-so"."""
    assert "So" not in found and "So Gail" not in found and "So Dr" not in found
    assert found["Gail"].category == "person"


def test_a_name_said_inside_a_sentence_keeps_its_first_word(found):
    """Will is written in lower case too, but the study capitalises it inside a sentence."""
    assert found["Will Turner"].category == "person"
    assert "Will" in found and found["Will"].link == "Will Turner"


def test_a_title_with_a_name_is_a_person_and_a_title_alone_is_nothing(found):
    assert found["Dr Hale"].category == "person"
    assert "Dr" not in found


def test_job_titles_are_not_organisations(found):
    assert "VP of Fleet" not in found and "VP of" not in found and "VP" not in found
    assert found["Phil"].category == "person"


def test_an_exports_header_words_are_not_read_as_speech(workspace):
    """A meeting export's "Attendees" and "Transcript" lines are not given to the recogniser
    (it calls "Attendees" an organisation); the attendees' names are."""
    store = workspace.open("headers", create=True)
    assert not import_files(store, [("call.txt", CALL.encode())]).failed
    pieces = speech_pieces(store.load_transcript(store.transcripts()[0].id))
    store.close()
    assert "Attendees" not in pieces and "Transcript" not in pieces
    assert any("Maya Chen, Dana Whitfield" in p for p in pieces)
