"""The import use-case: a batch of files, one transaction per file, duplicates, metadata."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from qualseg import importing
from qualseg.errors import IngestError
from qualseg.importing import files_in_directory, import_files
from qualseg.store import ProjectStore

PRIYA_TXT = (
    b"Maya Chen: Hi Priya, how do invoices reach you today?\n\n"
    b"Priya Raman: Mostly by email. We key every single one by hand into the ERP, about four "
    b"thousand a month, and the month end close takes eleven days.\n\n"
    b"Maya Chen: What made you start looking for something else?\n\n"
    b"Priya Raman: Our auditor found duplicate payments, so the CFO asked me to fix it before "
    b"the next audit.\n"
)

MARCUS_VTT = (
    b"WEBVTT\n\n"
    b"00:00:01.000 --> 00:00:04.000\n<v Jordan Ellis>Hi Marcus, what is hardest about paying "
    b"vendors?\n\n"
    b"00:00:05.000 --> 00:00:12.000\n<v Marcus Halvorsen>Approvals sit in someone's inbox for "
    b"weeks.\nThen we pay late fees and the vendors call me directly.\n\n"
    b"00:00:13.000 --> 00:00:15.000\n<v Jordan Ellis>Why did you decide to change?\n\n"
    b"00:00:16.000 --> 00:00:25.000\n<v Marcus Halvorsen>We opened three new clinics and the old "
    b"spreadsheet simply broke under the volume.\n"
)

HANNAH_CSV = (
    b"speaker,text,timestamp\n"
    b'Maya Chen,"How do approvals work, today?",00:00:02\n'
    b'Hannah Cho,"Approvals happen in Slack DMs, email, or a thumbs-up emoji; auditors hate '
    b'it.",00:00:07\n'
    b"Maya Chen,What would good look like?,00:00:20\n"
    b'Hannah Cho,"One place where every approval is recorded, with the policy enforced by the '
    b'system.",00:00:25\n'
)

GENERIC_TXT = (
    b"Interviewer: How do you pay vendors today?\n\n"
    b"Participant: By cheque, and approvals take forever because the director travels a lot.\n\n"
    b"Interviewer: What would good look like?\n\n"
    b"Participant: Approvals on my phone and payments going out the same day.\n"
)

GOOD = {"priya.txt": PRIYA_TXT, "marcus.vtt": MARCUS_VTT, "hannah.csv": HANNAH_CSV}


def _labelled(*turns: tuple[str, str]) -> bytes:
    return "\n\n".join(f"{speaker}: {text}" for speaker, text in turns).encode() + b"\n"


def _by_source(report: importing.ImportReport) -> dict[str, importing.FileResult]:
    return {r.source: r for r in report.results}


def _sources(store: ProjectStore) -> list[str]:
    return [t.source for t in store.transcripts()]


@pytest.fixture
def store(tmp_path: Path):
    s = ProjectStore(tmp_path / "proj")
    yield s
    s.close()


def test_good_files_import_and_each_bad_file_fails_with_its_problem(store, monkeypatch):
    limit = 2000
    monkeypatch.setattr(
        importing, "read_transcript", functools.partial(importing.read_transcript, max_bytes=limit)
    )
    big = _labelled(
        ("Maya Chen", "Tell me about approvals?"),
        ("Ola Berg", "We approve everything on paper and it is slow. " * 60),
    )
    assert len(big) > limit
    bad = {
        "empty.txt": (b"", "the file is empty"),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image"),
        "notes.pdf": (b"%PDF-1.4 some transcript", "PDF files are not supported"),
        "nolabels.txt": (
            b"We talked about invoices for a while.\nThen we stopped for coffee.\n",
            "no speaker labels found",
        ),
        "undecodable.txt": (
            b"Maya Chen: hello\n\nBo Li: " + bytes(range(0x80, 0x100)) * 3 + b"\n",
            "could not be decoded",
        ),
        "huge.txt": (big, "more than the 2 KB limit"),
    }
    batch = [
        ("empty.txt", bad["empty.txt"][0]),
        ("priya.txt", PRIYA_TXT),
        ("image.txt", bad["image.txt"][0]),
        ("notes.pdf", bad["notes.pdf"][0]),
        ("marcus.vtt", MARCUS_VTT),
        ("nolabels.txt", bad["nolabels.txt"][0]),
        ("undecodable.txt", bad["undecodable.txt"][0]),
        ("hannah.csv", HANNAH_CSV),
        ("huge.txt", bad["huge.txt"][0]),
    ]

    report = import_files(store, batch)

    assert [r.source for r in report.results] == [name for name, _ in batch]
    results = _by_source(report)
    for name, (_data, problem) in bad.items():
        assert results[name].status == "failed", name
        assert problem in results[name].message, (name, results[name].message)
        assert results[name].transcript_id is None
    for name in GOOD:
        assert results[name].status == "imported", (name, results[name].message)
        assert store.original_bytes(results[name].transcript_id) == GOOD[name]
    assert results["priya.txt"].message == "participant: Priya Raman"
    assert sorted(_sources(store)) == sorted(GOOD)
    assert sorted(p.display_name for p in store.participants()) == [
        "Hannah Cho",
        "Marcus Halvorsen",
        "Priya Raman",
    ]
    originals = sorted(p.name for p in store.originals_dir.iterdir())
    assert len(originals) == 3 and not any(n.endswith(".part") for n in originals)
    assert len(report.imported) == 3 and len(report.failed) == len(bad)


def test_reimporting_the_same_bytes_is_skipped_not_duplicated(store):
    first = import_files(store, list(GOOD.items()))
    assert len(first.imported) == 3
    ids = {r.source: r.transcript_id for r in first.results}

    again = import_files(store, [("copy of priya.txt", PRIYA_TXT), ("marcus.vtt", MARCUS_VTT)])

    results = _by_source(again)
    assert results["copy of priya.txt"].status == "skipped"
    assert "already imported as priya.txt" in results["copy of priya.txt"].message
    assert results["copy of priya.txt"].transcript_id == ids["priya.txt"]
    assert results["marcus.vtt"].status == "skipped"
    assert sorted(_sources(store)) == sorted(GOOD)
    assert len(store.participants()) == 3
    assert len(list(store.originals_dir.iterdir())) == 3


def test_a_different_file_with_an_existing_name_fails(store):
    import_files(store, [("priya.txt", PRIYA_TXT)])
    other = _labelled(
        ("Maya Chen", "How do you close the month?"),
        ("Ola Berg", "With a lot of spreadsheets and a lot of coffee, honestly."),
    )
    report = import_files(store, [("priya.txt", other)])
    [result] = report.results
    assert result.status == "failed"
    assert "different file with this name" in result.message
    [stored] = store.transcripts()
    assert store.original_bytes(stored.id) == PRIYA_TXT
    assert [p.display_name for p in store.participants()] == ["Priya Raman"]


def test_a_participant_interviewed_again_imports_with_a_note_naming_the_first_file(store):
    """A follow-up interview is not refused (issue 14): it imports, and the report says the
    two interviews are analysed as one participant."""
    second_call = _labelled(
        ("Jordan Ellis", "Thanks for joining again. What changed since we last spoke?"),
        ("Priya Raman", "We rolled the tool out to two more entities and the close got shorter."),
    )
    report = import_files(store, [("priya.txt", PRIYA_TXT), ("priya_followup.txt", second_call)])
    results = _by_source(report)
    assert results["priya.txt"].status == "imported"
    assert results["priya_followup.txt"].status == "imported"
    (note,) = results["priya_followup.txt"].warnings
    assert "'Priya Raman' is also in priya.txt" in note and "one participant" in note
    assert _sources(store) == ["priya.txt", "priya_followup.txt"]


def test_generic_participant_labels_are_not_duplicates(store):
    other = GENERIC_TXT.replace(b"cheque", b"wire transfer")
    report = import_files(store, [("a.txt", GENERIC_TXT), ("b.txt", other)])
    assert [r.status for r in report.results] == ["imported", "imported"]
    assert [p.display_name for p in store.participants()] == ["Participant", "Participant"]


def test_participants_csv_sets_metadata_by_file_and_by_name_and_reports_unmatched(store):
    participants_csv = (
        b"file,participant,industry,outcome\n"
        b"hannah.csv,,Software,evaluating\n"  # by file only
        b",Marcus Halvorsen,Healthcare,bought\n"  # by name only
        b"generic.txt,Daniel Okafor,Media,bought\n"  # names the generic 'Participant'
        b"ghost.txt,,Retail,lost\n"  # no such file
        b",Nobody Here,Retail,\n"  # no such participant
    )
    files = [
        ("participants.csv", participants_csv),
        *GOOD.items(),
        ("generic.txt", GENERIC_TXT),
    ]

    report = import_files(store, files)

    results = _by_source(report)
    assert results["participants.csv"].status == "metadata"
    assert results["participants.csv"].message == "5 participant rows"
    assert len(report.imported) == 4, report.results
    assert sorted(report.unmatched_metadata) == ["Nobody Here", "ghost.txt"]
    meta = {p.display_name: p.metadata for p in store.participants()}
    assert meta["Hannah Cho"] == {"industry": "Software", "outcome": "evaluating"}
    assert meta["Marcus Halvorsen"] == {"industry": "Healthcare", "outcome": "bought"}
    assert meta["Daniel Okafor"] == {"industry": "Media", "outcome": "bought"}
    assert meta["Priya Raman"] == {}
    assert results["generic.txt"].message == "participant: Daniel Okafor"


def test_participants_csv_alone_updates_participants_already_stored(store):
    import_files(store, list(GOOD.items()))
    report = import_files(
        store, [("participants.csv", b"participant,company_size\nPriya Raman,201-500\n")]
    )
    assert report.unmatched_metadata == []
    meta = {p.display_name: p.metadata for p in store.participants()}
    assert meta["Priya Raman"] == {"company_size": "201-500"}


def test_a_broken_participants_csv_fails_but_transcripts_still_import(store):
    report = import_files(
        store, [("participants.csv", b"industry,region\nSoftware,Europe\n"), *GOOD.items()]
    )
    results = _by_source(report)
    assert results["participants.csv"].status == "failed"
    assert "'file' column or a 'participant'" in results["participants.csv"].message
    assert sorted(_sources(store)) == sorted(GOOD)


def test_interviewers_option_corrects_roles(store):
    trio = _labelled(
        ("Maya Chen", "Thanks both. How do you pay vendors today?"),
        (
            "Sam Lee",
            "Before Priya answers, let me say that our team built the integration for the ERP "
            "connector and we support the rollout and the onboarding for every customer across "
            "the region, which took us about three months last year with lots of testing.",
        ),
        ("Priya Raman", "We pay by cheque mostly, and it takes forever to get approvals signed."),
        ("Maya Chen", "What would good look like?"),
        ("Priya Raman", "One place where approvals happen and payments go out the same day."),
    )
    auto = import_files(store, [("trio.txt", trio)])
    [tid] = [r.transcript_id for r in auto.results]
    assert {s.label: s.role for s in store.speakers(tid)}["Sam Lee"] == "participant"

    fresh = ProjectStore(store.folder.parent / "fresh")
    report = import_files(fresh, [("trio.txt", trio)], interviewers=["  sam LEE "])
    [result] = report.results
    assert result.status == "imported" and result.message == "participant: Priya Raman"
    speakers = {s.label: s for s in fresh.speakers(result.transcript_id)}
    assert speakers["Sam Lee"].role == "interviewer"
    assert speakers["Sam Lee"].role_reason == "named as interviewer at import"
    assert speakers["Maya Chen"].role == "interviewer"
    assert speakers["Priya Raman"].role == "participant"
    fresh.close()


def test_naming_the_only_participant_as_interviewer_promotes_the_busiest_other(store):
    report = import_files(store, [("priya.txt", PRIYA_TXT)], interviewers=["Priya Raman"])
    [result] = report.results
    assert result.status == "imported"
    roles = {s.label: (s.role, s.role_reason) for s in store.speakers(result.transcript_id)}
    assert roles["Priya Raman"] == ("interviewer", "named as interviewer at import")
    assert roles["Maya Chen"][0] == "participant"


def test_files_in_directory_reads_transcripts_and_participants_csv_only(tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    for name, data in GOOD.items():
        (folder / name).write_bytes(data)
    (folder / "Participants.CSV").write_bytes(b"participant,industry\nPriya Raman,Logistics\n")
    (folder / "gold.json").write_text("{}")
    (folder / "README.md").write_text("# study")
    (folder / "README").write_text("study")
    (folder / ".hidden.txt").write_bytes(PRIYA_TXT)
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "sub").mkdir()
    (folder / "sub" / "nested.txt").write_bytes(PRIYA_TXT)

    chosen, ignored = files_in_directory(folder)

    assert [name for name, _ in chosen] == [
        "Participants.CSV",
        "hannah.csv",
        "marcus.vtt",
        "priya.txt",
    ]
    assert dict(chosen)["priya.txt"] == PRIYA_TXT
    assert sorted(ignored) == ["README", "README.md", "gold.json"]


def test_files_in_directory_refuses_a_missing_folder(tmp_path):
    with pytest.raises(IngestError, match="is not a folder"):
        files_in_directory(tmp_path / "nope")
