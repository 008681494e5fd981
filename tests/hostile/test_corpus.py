"""The bad-input corpus: every hostile or broken file, imported beside a good one.

Each input is imported through :func:`qualseg.importing.import_files` into a fresh project, in
one batch with a good transcript. Checked for each: the failure names the file and says the
problem (the fragment in ``expected.json`` or in the tables below), nothing of it is stored (no
transcript row, no original file, no stray file anywhere, no run), and the good file still lands.
Files that must import (non-English interviews, HTML/Markdown and formulas in the text) are
checked for their warning and for verbatim storage.

Inputs too large to commit (a file over the size limit, zip bombs) are built here at run time.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from qualseg.importing import FileResult, ImportReport, import_files
from qualseg.ingest import MAX_BYTES
from qualseg.ingest.filenames import printable
from qualseg.ingest.metadata import MAX_METADATA_BYTES
from qualseg.store import ProjectStore, Workspace

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
EXPECTED: dict[str, dict[str, str]] = {
    k: v for k, v in json.loads((HERE / "expected.json").read_text("utf-8")).items() if k[0] != "_"
}

GOOD_NAME = "good-interview.txt"
GOOD = (
    b"Maya Chen: Hi Priya, how do invoices reach you today?\n\n"
    b"Priya Raman: Mostly by email. We key every single one by hand into the ERP, about four "
    b"thousand a month, and the month end close takes eleven days.\n\n"
    b"Maya Chen: What made you start looking for something else?\n\n"
    b"Priya Raman: Our auditor found duplicate payments, so the CFO asked me to fix it before "
    b"the next audit.\n"
)
OTHER_GOOD = (
    b"Jordan Ellis: What is hardest about paying vendors?\n\n"
    b"Marcus Halvorsen: Approvals sit in someone's inbox for weeks, then we pay late fees and "
    b"the vendors call me directly.\n"
)


# -- inputs built at run time -----------------------------------------------------------------


def _base_docx() -> bytes:
    return (CORPUS / "good-minimal.docx").read_bytes()


def _rezip(replace: dict[str, bytes], compression: dict[str, int] | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_base_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info.filename))
            method = (compression or {}).get(info.filename, zipfile.ZIP_DEFLATED)
            archive.writestr(info.filename, data, compress_type=method)
        for name, data in replace.items():
            if name not in source.namelist():
                archive.writestr(name, data)
    return out.getvalue()


def _patch_member(
    data: bytes, name: str, *, size: int | None = None, crc: int | None = None, flags: int = 0
) -> bytes:
    """Rewrite a member's declared size/CRC/flags in both its local and central headers."""
    buf = bytearray(data)
    encoded = name.encode()
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        if info.filename != name:
            continue
        local = info.header_offset
        central = bytes(buf).index(b"PK\x01\x02")
        while bytes(buf[central + 46 : central + 46 + len(encoded)]) != encoded:
            central = bytes(buf).index(b"PK\x01\x02", central + 4)
        for offset, field in ((local, (6, 14, 22)), (central, (8, 16, 24))):
            flag_at, crc_at, size_at = (offset + f for f in field)
            old_flags = struct.unpack_from("<H", buf, flag_at)[0]
            struct.pack_into("<H", buf, flag_at, old_flags | flags)
            if crc is not None:
                struct.pack_into("<L", buf, crc_at, crc)
            if size is not None:
                struct.pack_into("<L", buf, size_at, size)
    return bytes(buf)


def _future_zip_version() -> bytes:
    """The central directory says document.xml needs ZIP version 6.4 to extract."""
    buf = bytearray(_base_docx())
    central = buf.index(b"PK\x01\x02")
    while b"word/document.xml" not in buf[central + 46 : central + 46 + 17]:
        central = buf.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<H", buf, central + 6, 64)
    return bytes(buf)


def _lying_header() -> bytes:
    """document.xml really unpacks to 5 MB but declares 2 KB, with the CRC of those 2 KB."""
    doc = zipfile.ZipFile(io.BytesIO(_base_docx())).read("word/document.xml")
    padded = doc + b" " * 5_000_000
    data = _rezip({"word/document.xml": padded})
    return _patch_member(data, "word/document.xml", size=2048, crc=zlib.crc32(padded[:2048]))


def _many_entries() -> bytes:
    return _rezip({f"word/media/pad{i}.bin": b"" for i in range(2001)})


GENERATED: list[tuple[str, str, bytes | None, str]] = [
    # (id, upload name, bytes or None for "build in the test", expected fragment)
    ("over-size-limit", "huge.txt", None, "more than the 20 MB limit for one transcript"),
    ("zip-bomb-total", "bomb.docx", None, "unpacks to 210 MB, more than the 200 MB allowed"),
    ("zip-bomb-ratio", "ratio.docx", None, "is compressed"),
    ("zip-many-entries", "entries.docx", None, "its archive holds 2004 files (zip bomb?)"),
    ("zip-lying-header", "lying.docx", None, "declares 2 KB but unpacks to more"),
    ("zip-future-version", "v64.docx", None, "uses a ZIP feature Word never writes"),
    ("zip-encrypted", "locked.docx", None, "is password-protected (encrypted)"),
    ("zip-bzip2", "bzip.docx", None, "uses a compression method Word never writes (method 12)"),
    ("xml-over-limit", "bigxml.docx", None, "of XML, more than the 40 MB allowed"),
    ("metadata-over-limit", "participants.csv", None, "more than the 5 MB limit"),
    (
        "name-parent-dir",
        "../../etc/evil.txt",
        OTHER_GOOD,
        "the file name points outside its folder",
    ),
    ("name-windows-parent", "..\\..\\Windows\\evil.txt", OTHER_GOOD, "points outside its folder"),
    ("name-empty", "", OTHER_GOOD, "the file has no name"),
    ("name-blank", "   ", OTHER_GOOD, "the file has no name"),
    ("name-folder-only", "interviews/", OTHER_GOOD, "the file name is empty once its folder"),
    ("name-dots", "...", OTHER_GOOD, "the file name is empty once its folder"),
    ("name-nul", "evil\x00.txt", OTHER_GOOD, "the file name contains control characters"),
    ("name-newline", "evil\n.txt", OTHER_GOOD, "the file name contains control characters"),
    ("name-rtl-override", "invoice\u202etxt.docx", OTHER_GOOD, "invisible text-direction"),
    ("name-surrogate", "bad\udc80.txt", OTHER_GOOD, "the file name is not valid Unicode text"),
    ("name-too-long", "a" * 300 + ".txt", OTHER_GOOD, "is 304 characters long, more than 255"),
    # issue 14: found by trying qualseg as a new user
    ("xlsx-as-docx", "sheet.docx", None, "is not a Word document: it is an Excel workbook"),
    ("docx-no-document", "nodoc.docx", None, "has no document text part (word/document.xml)"),
    ("csv-million-columns", "wide.csv", None, "its header line has 1,000,000 columns"),
    (
        "labels-script",
        "script.txt",
        b"<script>alert(1)</script>: How do you plan the week?\n"
        b"<img src=x onerror=alert(1)>: In a spreadsheet, every single week.\n",
        "the speaker labels are HTML or script code",
    ),
    (
        "one-label-dialogue",
        "same-label.txt",
        b"Speaker: How do you plan the week?\nSpeaker: In a spreadsheet, every week.\n"
        b"Speaker: Why a spreadsheet?\nSpeaker: It was there when I joined.\n",
        "every turn is labelled 'Speaker', yet the file reads as a conversation",
    ),
]


def _build(case: str) -> bytes:
    doc = zipfile.ZipFile(io.BytesIO(_base_docx())).read("word/document.xml")
    if case == "over-size-limit":
        return b"Maya Chen: hello\n\nPriya Raman: " + b"a" * MAX_BYTES
    if case == "zip-bomb-total":
        return _rezip({"word/media/zeros.bin": b"\0" * 210_000_000})
    if case == "zip-bomb-ratio":
        return _rezip({"word/document.xml": doc + b" " * 5_000_000})
    if case == "zip-many-entries":
        return _many_entries()
    if case == "zip-lying-header":
        return _lying_header()
    if case == "zip-future-version":
        return _future_zip_version()
    if case == "zip-encrypted":
        return _patch_member(_base_docx(), "word/document.xml", flags=0x1)
    if case == "zip-bzip2":
        return _rezip({}, {"word/document.xml": zipfile.ZIP_BZIP2})
    if case == "xml-over-limit":
        words = b"<w:p><w:r><w:t>Priya Raman: invoices keyed by hand</w:t></w:r></w:p>"
        body = doc.replace(b"</w:body>", words * (41_000_000 // len(words)) + b"</w:body>")
        return _rezip({"word/document.xml": body})
    if case == "metadata-over-limit":
        row = b"Priya Raman,Controller\n"
        return b"participant,role\n" + row * (MAX_METADATA_BYTES // len(row) + 1)
    if case == "xlsx-as-docx":
        return _zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    if case == "docx-no-document":
        source = zipfile.ZipFile(io.BytesIO(_base_docx()))
        kept = {n: source.read(n) for n in source.namelist() if n != "word/document.xml"}
        return _zip_of(kept)
    if case == "csv-million-columns":
        return b",".join([b"c"] * 1_000_000) + b"\n" + b",".join([b"x"] * 1_000_000) + b"\n"
    raise AssertionError(case)


def _zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


# -- checks -----------------------------------------------------------------------------------


def _fresh(tmp_path: Path) -> ProjectStore:
    return Workspace(tmp_path / "ws").open("hostile", create=True)


def _result(report: ImportReport, name: str) -> FileResult:
    found = [r for r in report.results if r.source != GOOD_NAME]
    assert len(found) == 1, report.results
    return found[0]


def _check_good_landed(store: ProjectStore, report: ImportReport, also: str = "") -> None:
    good = next(r for r in report.results if r.source == GOOD_NAME)
    assert good.status == "imported", good
    assert good.warnings == ()
    assert sorted(t.source for t in store.transcripts()) == sorted(filter(None, [GOOD_NAME, also]))
    assert "Priya Raman" in [p.display_name for p in store.participants()]


def _check_nothing_stored(store: ProjectStore, root: Path) -> None:
    """Only the good file is in the project: one row, one original, no run, no stray file."""
    assert [t.source for t in store.transcripts()] == [GOOD_NAME]
    originals = sorted(p.name for p in store.originals_dir.iterdir())
    assert len(originals) == 1 and originals[0].endswith(GOOD_NAME), originals
    assert store.runs() == []
    assert store.query("SELECT COUNT(*) AS n FROM speakers")[0]["n"] == 2
    stray = [
        p
        for p in root.rglob("*")
        if p.is_file() and p.parent != store.originals_dir and p.parent != store.folder
    ]
    assert stray == [], stray
    assert all(p.suffix != ".part" for p in store.originals_dir.iterdir())


def _check_failure(result: FileResult, shown_name: str, fragment: str) -> None:
    assert result.status == "failed", result
    assert fragment in result.message, (result.message, fragment)
    assert result.transcript_id is None
    assert result.text.startswith(f"{shown_name}: "), result.text
    assert "unexpected problem" not in result.message


def _import(tmp_path: Path, name: str, data: bytes) -> tuple[ProjectStore, ImportReport]:
    store = _fresh(tmp_path)
    report = import_files(store, [(name, data), (GOOD_NAME, GOOD)])
    return store, report


# -- the committed corpus ---------------------------------------------------------------------


def test_every_corpus_file_has_an_expectation():
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file()}
    assert on_disk == set(EXPECTED)


FAILING = sorted(k for k, v in EXPECTED.items() if v["status"] == "failed")
IMPORTING = sorted(k for k, v in EXPECTED.items() if v["status"] == "imported")


@pytest.mark.parametrize("file", FAILING)
def test_corpus_file_is_refused_with_its_message_and_leaves_nothing(file, tmp_path):
    spec = EXPECTED[file]
    name = spec.get("upload_as", file)
    store, report = _import(tmp_path, name, (CORPUS / file).read_bytes())
    result = _result(report, name)
    assert result.source == name
    _check_failure(result, name, spec["expect"])
    _check_good_landed(store, report)
    _check_nothing_stored(store, tmp_path)
    if name == "participants.csv":
        assert all(p.metadata == {} for p in store.participants())


@pytest.mark.parametrize("file", IMPORTING)
def test_corpus_file_that_must_import_is_stored_verbatim_with_its_warning(file, tmp_path):
    spec = EXPECTED[file]
    data = (CORPUS / file).read_bytes()
    store, report = _import(tmp_path, file, data)
    result = _result(report, file)
    assert result.status == "imported", result
    _check_good_landed(store, report, also=file)
    if spec["expect"]:
        assert list(result.warnings) == [w for w in report.warnings if not w.startswith(GOOD_NAME)]
        assert len(result.warnings) == 1 and result.warnings[0].startswith(spec["expect"])
        assert "the models are English-only" in result.warnings[0]
    else:
        assert result.warnings == ()
    stored = store.transcript_by_source(file)
    assert stored is not None
    assert store.original_bytes(stored.id) == data
    if file.endswith((".txt", ".csv")):
        assert store.load_transcript(stored.id).text == data.decode("utf-8").replace("\r\n", "\n")


# -- inputs built at run time ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "name", "data", "fragment"), GENERATED, ids=[g[0] for g in GENERATED]
)
def test_generated_input_is_refused_with_its_message_and_leaves_nothing(
    case, name, data, fragment, tmp_path
):
    data = _build(case) if data is None else data
    store, report = _import(tmp_path, name, data)
    result = _result(report, name)
    shown = printable(name).strip() or "(no name)"
    shown = shown[:80] + "…" if len(name) > 255 else shown
    assert result.source == shown
    _check_failure(result, shown, fragment)
    _check_good_landed(store, report)
    _check_nothing_stored(store, tmp_path)


def test_folder_part_of_a_name_is_dropped_with_a_warning(tmp_path):
    store, report = _import(tmp_path, "interviews/2026/marcus.txt", OTHER_GOOD)
    result = _result(report, "marcus.txt")
    assert result.source == "marcus.txt" and result.status == "imported"
    assert result.warnings == (
        "marcus.txt: the folder part of the name (interviews/2026) was dropped",
    )
    assert sorted(t.source for t in store.transcripts()) == [GOOD_NAME, "marcus.txt"]
    originals = sorted(p.name for p in store.originals_dir.iterdir())
    assert len(originals) == 2 and all(
        p.parent == store.originals_dir for p in store.originals_dir.iterdir()
    )


def test_count_of_bad_inputs():
    """The closing note's figure: committed failing files plus generated inputs."""
    assert len(FAILING) == 28
    assert len(GENERATED) == 26
    assert len(IMPORTING) == 9


# -- odd inputs that must import (issue 14) -----------------------------------------------------

PEOPLE = [
    ("Jordan Ellis", "Marcus Halvorsen"),
    ("Ana Ruiz", "Tomas Berg"),
    ("Lea Wong", "Omar Haddad"),
]


def _dialogue(interviewer: str, participant: str) -> str:
    return (
        f"{interviewer}: What is hardest about paying vendors?\n\n"
        f"{participant}: Approvals sit in someone's inbox for weeks, then we pay late fees.\n"
    )


def test_long_unicode_names_import_and_the_batch_goes_on(tmp_path):
    """Names of 120 "é" (240 bytes) or 90 CJK characters (270 bytes) are valid upload names;
    the stored original's name is cut to fit the 255-byte limit of the filesystem."""
    names = ["é" * 120 + ".txt", "中" * 90 + ".txt", "plain.txt"]
    files = [
        (name, _dialogue(*people).encode()) for name, people in zip(names, PEOPLE, strict=True)
    ]
    store = _fresh(tmp_path)
    report = import_files(store, files + [(GOOD_NAME, GOOD)])
    assert [r.status for r in report.results] == ["imported"] * 4, report.results
    assert sorted(t.source for t in store.transcripts()) == sorted(names + [GOOD_NAME])
    for path in store.originals_dir.iterdir():
        assert len(path.name.encode("utf-8")) <= 255
    for name in names:
        stored = store.transcript_by_source(name)
        assert stored is not None
        assert (
            store.original_bytes(stored.id)
            .decode()
            .startswith(next(d for n, d in files if n == name).decode()[:20])
        )


def test_a_disk_error_fails_that_file_only(tmp_path, monkeypatch):
    """An OSError while saving (disk full, a name the OS refuses) fails the file with a
    sentence; the batch goes on and nothing of the file is stored."""
    store = _fresh(tmp_path)
    real = ProjectStore.add_transcript

    def refuse(self, transcript, data, **kwargs):
        if transcript.source == "broken-disk.txt":
            raise OSError(28, "No space left on device")
        return real(self, transcript, data, **kwargs)

    monkeypatch.setattr(ProjectStore, "add_transcript", refuse)
    report = import_files(
        store, [("broken-disk.txt", _dialogue(*PEOPLE[0]).encode()), (GOOD_NAME, GOOD)]
    )
    result = _result(report, "broken-disk.txt")
    _check_failure(result, "broken-disk.txt", "could not be saved in the project folder")
    assert "No space left on device" in result.message
    _check_good_landed(store, report)
    _check_nothing_stored(store, tmp_path)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_imports(encoding, tmp_path):
    text = "采访者: 你们现在怎么安排一周的工作?\n\n王伟: 我们用电子表格，但是每个星期一都会出错。\n"
    store, report = _import(tmp_path, "interview.txt", text.encode(encoding))
    result = _result(report, "interview.txt")
    assert result.status == "imported", result
    assert result.message == "participant: 王伟"
    stored = store.transcript_by_source("interview.txt")
    assert store.load_transcript(stored.id).text == text
    assert stored.encoding == encoding


def test_caption_with_a_negative_time_imports_with_a_warning(tmp_path):
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana Ruiz>How do you plan the week?\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Tomas Berg>With a spreadsheet.\n\n"
        "-00:00:10.000 --> 00:00:12.000\n<v Ana Ruiz>Why that one?\n\n"
        "00:00:13.000 --> 00:00:19.000\n<v Tomas Berg>It is free and the team knows it.\n"
    )
    store, report = _import(tmp_path, "call.vtt", vtt.encode())
    result = _result(report, "call.vtt")
    assert result.status == "imported", result
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("call.vtt: line 9: the caption time '-00:00:10.000")
    stored = store.load_transcript(store.transcript_by_source("call.vtt").id)
    assert [u.speaker for u in stored.utterances] == ["Ana Ruiz", "Tomas Berg"] * 2


def test_html_bold_labels_import_with_the_right_participant(tmp_path):
    data = (
        b"<b>Interviewer</b>: What is hardest about paying vendors?\n\n"
        b"<b>Marcus Halvorsen</b>: Approvals sit in someone's inbox for weeks.\n\n"
        b"<b>Interviewer</b>: And then?\n\n"
        b"<b>Marcus Halvorsen</b>: We pay late fees and the vendors call me.\n"
    )
    store, report = _import(tmp_path, "bold.txt", data)
    result = _result(report, "bold.txt")
    assert result.status == "imported" and result.message == "participant: Marcus Halvorsen"
    names = {p.display_name for p in store.participants()}
    assert "Interviewer" not in names and "Marcus Halvorsen" in names
