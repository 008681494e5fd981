"""People as they are (issue 14): a participant interviewed twice is one participant with two
transcripts; a short and a full form of a name are one speaker within a file and a proposal
across files; generic labels are never taken for one person."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualseg.importing import import_files
from qualseg.ingest import read_transcript
from qualseg.ingest.names import person_key
from qualseg.ingest.variants import are_variants
from qualseg.running import study_from_store
from qualseg.store import ProjectStore


def interview(interviewer: str, participant: str, answer: str) -> bytes:
    return (
        f"{interviewer}: How do you schedule crews today?\n\n"
        f"{participant}: {answer}\n\n"
        f"{interviewer}: What happens when someone calls in sick?\n\n"
        f"{participant}: I spend the morning on the phone instead of on site.\n"
    ).encode()


FIRST = interview("Nora Vance", "Ravi Kapoor", "Whiteboard and a group chat, mostly.")
FOLLOW_UP = interview("Nora Vance", "Ravi Kapoor", "We moved to a shared calendar last month.")
OTHER = interview("Nora Vance", "Lena Ortiz", "A spreadsheet the office manager keeps.")


@pytest.fixture
def store(tmp_path: Path):
    s = ProjectStore(tmp_path / "proj")
    yield s
    s.close()


def test_a_follow_up_interview_imports_and_is_one_participant(store):
    report = import_files(
        store, [("ravi-1.txt", FIRST), ("ravi-2.txt", FOLLOW_UP), ("lena.txt", OTHER)]
    )
    assert [r.status for r in report.results] == ["imported"] * 3, report.results
    follow_up = report.results[1]
    assert follow_up.warnings == (
        "ravi-2.txt: participant 'Ravi Kapoor' is also in ravi-1.txt; the interviews are "
        "analysed as one participant (a follow-up). If they are two people, rename the speaker "
        "in one of the files",
    )
    assert report.results[2].warnings == ()
    study = study_from_store(store)
    assert sorted((p.name, p.source) for p in study.participants) == [
        ("Lena Ortiz", "lena.txt"),
        ("Ravi Kapoor", "ravi-1.txt, ravi-2.txt"),
    ]
    ravi = next(p.id for p in study.participants if p.name == "Ravi Kapoor")
    by_source = {st.transcript.source: st.participant_ids for st in study.transcripts}
    assert by_source["ravi-1.txt"] == {"Ravi Kapoor": ravi}
    assert by_source["ravi-2.txt"] == {"Ravi Kapoor": ravi}
    assert by_source["lena.txt"]["Lena Ortiz"] != ravi


def test_metadata_of_both_interviews_is_kept(store):
    import_files(store, [("ravi-1.txt", FIRST), ("ravi-2.txt", FOLLOW_UP)])
    first, second = sorted(store.participants(), key=lambda p: p.id)
    store.set_metadata(first.id, {"plan": "pro"})
    store.set_metadata(second.id, {"plan": "free", "region": "north"})
    (person,) = study_from_store(store).participants
    assert person.metadata == {"plan": "pro", "region": "north"}


def test_generic_participant_labels_are_never_one_person(store):
    qa = b"Q: How do you schedule crews?\n\nA: Whiteboard and a group chat, mostly.\n"
    qa2 = b"Q: How do you schedule crews?\n\nA: A spreadsheet the office keeps.\n"
    report = import_files(store, [("a.txt", qa), ("b.txt", qa2)])
    assert all(r.status == "imported" and r.warnings == () for r in report.results)
    assert len(study_from_store(store).participants) == 2


def test_name_variants_across_files_are_proposed_not_merged(store):
    short = interview("Nora Vance", "Ravi", "We moved to a shared calendar last month.")
    report = import_files(store, [("ravi-1.txt", FIRST), ("ravi-2.txt", short)])
    assert report.results[1].warnings == (
        "ravi-2.txt: participant 'Ravi' may be 'Ravi Kapoor' (ravi-1.txt); if they are one "
        "person, give both the same name in the files so that they are analysed as one "
        "participant",
    )
    assert len(study_from_store(store).participants) == 2


def test_a_short_and_a_full_name_in_one_file_are_one_speaker():
    text = (
        "Nora Vance: How do you schedule crews today?\n\n"
        "David Ashpole: Whiteboard and a group chat, mostly.\n\n"
        "Nora Vance: What happens when someone calls in sick?\n\n"
        "David: I spend the morning on the phone instead of on site.\n"
    )
    t = read_transcript("david.txt", text.encode())
    assert t.speakers == ["Nora Vance", "David Ashpole"]
    assert t.roles == {"Nora Vance": "interviewer", "David Ashpole": "participant"}
    assert t.notes == (
        "david.txt: the speakers 'David' and 'David Ashpole' were read as one person, "
        "'David Ashpole' (a short and a full form of one name); if they are two people, give "
        "them distinct labels",
    )


def test_an_interviewer_and_a_participant_sharing_a_first_name_stay_two():
    text = (
        "David: How do you schedule crews today?\n\n"
        "David Ashpole: Whiteboard and a group chat, and it falls apart every Monday.\n\n"
        "David: Why on Mondays?\n\n"
        "David Ashpole: Because nobody updates it over the weekend, so I redo it by hand.\n"
    )
    t = read_transcript("two-davids.txt", text.encode())
    assert t.roles == {"David": "interviewer", "David Ashpole": "participant"}
    assert t.notes == ()


def test_two_full_names_with_one_short_form_are_not_guessed():
    text = (
        "Nora Vance: Who plans the crews?\n\n"
        "David Ashpole: I do the north depot.\n\n"
        "David Brandt: And I do the south one, with a spreadsheet that breaks.\n\n"
        "David: We both hate it.\n"
    )
    t = read_transcript("three.txt", text.encode())
    assert set(t.speakers) == {"Nora Vance", "David Ashpole", "David Brandt", "David"}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("David", "David Ashpole", True),
        ("Ashpole", "David Ashpole", True),
        ("D. Ashpole", "David Ashpole", True),
        ("David Brandt", "David Ashpole", False),
        ("Speaker 1", "Speaker 12", False),
        ("Participant", "Participant Two", False),
        ("David", "david", False),
    ],
)
def test_are_variants(a, b, expected):
    assert are_variants(a, b) is expected


def test_person_key():
    assert person_key(" Ravi  Kapoor ") == person_key("RAVI KAPOOR") == "ravi kapoor"
    assert person_key("A") is None
    assert person_key("Speaker 2") is None
    assert person_key("Chen, Maya") is None


def test_relatives_sharing_a_last_name_stay_two_speakers():
    assert not are_variants("Anna Lee", "Adam Lee")
    text = (
        "Nora Vance: Who plans the crews in your family business?\n\n"
        "Anna Lee: I do, on a whiteboard in the office.\n\n"
        "Adam Lee: And I copy it into the group chat every evening.\n"
    )
    t = read_transcript("lees.txt", text.encode())
    assert {"Anna Lee", "Adam Lee"} <= set(t.speakers)
    assert t.notes == ()


def test_deleting_one_interview_of_a_person_keeps_the_other(store):
    from qualseg.deletion import delete_participant

    import_files(store, [("ravi-1.txt", FIRST), ("ravi-2.txt", FOLLOW_UP), ("lena.txt", OTHER)])
    second = next(p for p in store.participants() if p.source == "ravi-2.txt")
    delete_participant(store, second.id)
    assert sorted(t.source for t in store.transcripts()) == ["lena.txt", "ravi-1.txt"]
    ravi = [p for p in study_from_store(store).participants if p.name == "Ravi Kapoor"]
    assert [(p.source, p.id) for p in ravi] == [("ravi-1.txt", ravi[0].id)]


def test_the_analysis_reports_a_person_interviewed_twice_once(tmp_path):
    """Through the whole pipeline (hashing embedder, real spaCy): one participant record with
    both transcripts, and the excerpts of both interviews under it."""
    from qualseg.embed import HashingEmbedder
    from qualseg.running import run_analysis
    from tests.conftest import SAMPLE_DIR

    follow_up = (
        b"Maya Chen: Thanks for joining again, Priya. What changed since we last spoke?\n\n"
        b"Priya Raman: We moved the invoices out of email into a shared inbox last month. "
        b"The month end close went from eleven days to seven, which my controller noticed.\n\n"
        b"Maya Chen: What still hurts?\n\n"
        b"Priya Raman: Approvals still wait on people who travel. I chase them on my phone "
        b"every evening, and I hate that part of the job.\n"
    )
    names = ["interview_bluepeak.txt", "interview_ferreira.txt", "session4.txt"]
    batch = [(n, (SAMPLE_DIR / n).read_bytes()) for n in names]
    store = ProjectStore(tmp_path / "proj")
    try:
        report = import_files(store, [*batch, ("priya_followup.txt", follow_up)])
        assert not report.failed, report.failed
        _, result = run_analysis(store, embedder=HashingEmbedder())
    finally:
        store.close()
    priya = [p for p in result["participants"] if p["name"] == "Priya Raman"]
    assert len(priya) == 1
    assert priya[0]["source"] == "interview_bluepeak.txt, priya_followup.txt"
    sources = {e["source"] for e in result["excerpts"] if e["participant"] == priya[0]["id"]}
    assert sources == {"interview_bluepeak.txt", "priya_followup.txt"}
