"""Property tests: any input gives an IngestError or a transcript that keeps the invariants,
and rendered transcripts read back to the turns they were rendered from.

Every reader is fuzzed: labelled text, Otter-style headers, WebVTT, SRT, CSV (through
``read_transcript`` on soups of their syntax), .docx (generated documents, mutated and hand-made
archives), participants.csv, uploaded file names, the language check and a whole import batch.
Runs are deterministic (``derandomize``: the same examples every run, no example database);
``QUALSEG_FUZZ_SCALE=20`` runs twenty times the examples.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualseg.errors import IngestError
from qualseg.importing import import_files
from qualseg.ingest import UNEXPECTED, read_participants_csv, read_transcript
from qualseg.ingest.filenames import clean_upload_name
from qualseg.language import detect_language
from qualseg.store import Workspace

from .conftest import make_docx
from .invariants import check_no_markup, check_transcript, turns

EXTENSIONS = (".txt", ".vtt", ".srt", ".docx", ".csv", ".md")
TEXT_EXTENSIONS = (".txt", ".vtt", ".srt", ".csv", ".md")
# QUALSEG_FUZZ_SCALE=20 runs twenty times the examples (a long local fuzzing session).
SCALE = int(os.environ.get("QUALSEG_FUZZ_SCALE", "1"))


def examples(n: int) -> int:
    return n * SCALE


def fuzz(n: int, *, slow: bool = False) -> settings:
    """Settings for ``n`` examples (times the scale), the same examples on every run."""
    return settings(
        max_examples=examples(n),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large] if slow else [],
    )


FAST = fuzz(300)


def read_or_refuse(source: str, data: bytes):
    """Read ``data``; an IngestError must name the file and not be an internal error."""
    try:
        t = read_transcript(source, data)
    except IngestError as err:
        assert err.source == source
        assert err.problem.strip()
        assert UNEXPECTED not in err.problem, err.problem
        return None
    check_transcript(t)
    if source.endswith((".vtt", ".srt")):
        check_no_markup(t)
    return t


@FAST
@given(data=st.binary(max_size=2000), ext=st.sampled_from(EXTENSIONS))
def test_arbitrary_bytes(data, ext):
    read_or_refuse(f"upload{ext}", data)


@FAST
@given(
    text=st.text(max_size=1500),
    ext=st.sampled_from(EXTENSIONS),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_arbitrary_text(text, ext, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # lone surrogates
        return
    read_or_refuse(f"upload{ext}", data)


NAMES = st.sampled_from(
    ["Maya Chen", "Priya Raman", "Interviewer", "Q", "A", "Speaker 2", "José Núñez", "Chen, Maya"]
)
CLOCKS = st.sampled_from(["0:03", "1:02:03", "00:00:01.000", "00:01.500", "99:99", "00:00:01,250"])
FRAGMENTS = st.sampled_from(
    [
        "WEBVTT",
        "NOTE a comment",
        "STYLE",
        "1",
        "",
        " ",
        "00:00:01.000 --> 00:00:02.000",
        "00:00:01,000 --> 00:00:02,000 X1:0",
        "00:01.000 --> 00:02.000 align:start",
        "<v Maya Chen>",
        "</v>",
        "<i>",
        "<c.yellow>x</c>",
        "<00:00:01.500>",
        "{\\an8}",
        "- ",
        ">> ",
        "Transcribed by https://otter.ai",
        "Interview with Daniel Okafor, Brightwave Media",
        "speaker,text,timestamp",
        'Maya,"a ""b"" c",0:03',
        '"',
        '""',
        ",",
        ";",
        "\t",
        "Note: x",
        "**Maya:**",
        "[00:01:02]",
        "(0:05):",
        "：",
        "\u2028",
        "\x85",
        "\u00a0",
        # export styles and hostile inputs of issue 14
        "[00:00:02] Maya Chen",
        "Maya Chen - 00:02",
        "Maya Chen [00:00:02]",
        "[Maya Chen] 10:02:15",
        "Maya Chen: [00:00:05] ",
        " [00:00:12] ",
        "<b>Maya Chen</b>:",
        "<script>x</script>:",
        "-00:00:10.000 --> 00:00:12.000",
        "00:0x:05,000 -> 00:00:09,000",
        "Speaker: ",
        "Maya stopped transcription",
        "*a note.*",
    ]
)
SPEECH = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
LINE = st.one_of(
    FRAGMENTS,
    SPEECH,
    st.builds(lambda n, s: f"{n}: {s}", NAMES, SPEECH),
    st.builds(lambda n, c: f"{n}  {c}", NAMES, CLOCKS),
    st.builds(lambda n, s: f"<v {n}>{s}", NAMES, SPEECH),
    st.builds(lambda a, b: f"{a}{b}", FRAGMENTS, SPEECH),
    st.builds(lambda a, b, c: f"{a}{b}{c}", SPEECH, FRAGMENTS, SPEECH),
)


TIMING = st.builds(
    lambda a, b, sep, extra: f"{a}{sep}-->{sep}{b}{extra}",
    CLOCKS,
    CLOCKS,
    st.sampled_from([" ", "  ", "\t", ""]),
    st.sampled_from(["", " align:start", " X1:10 X2:20"]),
)
CUE = st.builds(
    lambda ident, timing, payload: "\n".join([*ident, timing, *payload]),
    st.lists(st.sampled_from(["1", "12", "intro-1", "NOTE"]), max_size=1),
    TIMING,
    st.lists(LINE, min_size=1, max_size=3),
)
CUES = st.builds(
    lambda header, cues, sep: header + sep.join(cues),
    st.sampled_from(["WEBVTT\n\n", "", "WEBVTT - title\nKind: captions\n\n"]),
    st.lists(CUE, max_size=12),
    st.sampled_from(["\n\n", "\n", "\n\n\n"]),
)


@fuzz(400)
@given(text=CUES, ext=st.sampled_from([".vtt", ".srt", ".txt"]))
def test_cue_soup(text, ext):
    read_or_refuse(f"cues{ext}", text.encode("utf-8"))


@fuzz(500)
@given(
    lines=st.lists(LINE, max_size=30),
    ext=st.sampled_from(TEXT_EXTENSIONS),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_line_soup(lines, ext, newline):
    read_or_refuse(f"soup{ext}", newline.join(lines).encode("utf-8"))


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\r]")


@fuzz(50, slow=True)
@given(paragraphs=st.lists(LINE.map(lambda s: _XML_UNSAFE.sub("", s)), max_size=12))
def test_docx_soup(paragraphs):
    read_or_refuse("soup.docx", make_docx(paragraphs))


# -- round trips ------------------------------------------------------------------------------

SPEAKERS = st.sampled_from(
    [
        "Maya Chen",
        "Priya Raman",
        "Interviewer",
        "A",
        "Speaker 2",
        "José Núñez-García",
        "Ana de Souza",
    ]
)
WORDS = st.sampled_from(
    [
        "we",
        "close",
        "in",
        "ten",
        "days,",
        "the",
        "invoice",
        "approvals?",
        "naïve",
        "10:30",
        "ok.",
        "https://x.io/a",
        "[inaudible]",
        "–",
        "“quoted”",
        "o'clock",
        "café",
        "3:1",
        "-",
        "a:b",
    ]
)
SPEECH_LINE = st.lists(WORDS, min_size=1, max_size=10).map(lambda ws: "so " + " ".join(ws))
TURNS = st.lists(
    st.tuples(SPEAKERS, st.lists(SPEECH_LINE, min_size=1, max_size=3)), min_size=1, max_size=10
)


def _clock(i: int) -> str:
    return f"00:{i // 60:02d}:{i % 60:02d}"


def render(fmt: str, script: list[tuple[str, list[str]]]) -> tuple[str, str]:
    """(file name, text) of a script in one format."""
    out: list[str] = []
    if fmt == "labelled":
        for speaker, lines in script:
            out += [f"{speaker}: {lines[0]}", *lines[1:], ""]
        return "t.txt", "\n".join(["Title of the interview", ""] + out)
    if fmt == "otter":
        for i, (speaker, lines) in enumerate(script):
            out += [f"{speaker}  {i // 60}:{i % 60:02d}", *lines, ""]
        return "t.txt", "\n".join(out + ["Transcribed by https://otter.ai"])
    if fmt in {"vtt_voice", "vtt_prefix", "srt"}:
        n = 0
        for speaker, lines in script:
            for k, line in enumerate(lines):
                n += 1
                if fmt == "srt":
                    timing = f"{_clock(n)},000 --> {_clock(n)},900"
                    out += [str(n), timing, f"{speaker}: {line}", ""]
                elif fmt == "vtt_voice":
                    tag = f"<v {speaker}>" if k == 0 or n % 2 else ""
                    out += [f"{_clock(n)}.000 --> {_clock(n)}.900", f"{tag}{line}</v>", ""]
                else:
                    out += [f"{_clock(n)}.000 --> {_clock(n)}.900", f"{speaker}: {line}", ""]
        if fmt == "srt":
            return "t.srt", "\n".join(out)
        return "t.vtt", "\n".join(["WEBVTT", ""] + out)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["speaker", "text", "timestamp"])
        for i, (speaker, lines) in enumerate(script):
            writer.writerow([speaker, "\n".join(lines), _clock(i)])
        return "t.csv", buffer.getvalue()
    raise AssertionError(fmt)


def expected_turns(fmt: str, script: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    expected: list[tuple[str, str]] = []
    for speaker, lines in script:
        speech = " ".join(lines)
        if fmt in {"vtt_voice", "vtt_prefix", "srt"} and expected and expected[-1][0] == speaker:
            expected[-1] = (speaker, expected[-1][1] + " " + speech)
        else:
            expected.append((speaker, speech))
    return expected


@fuzz(250)
@given(
    script=TURNS,
    fmt=st.sampled_from(["labelled", "otter", "vtt_voice", "vtt_prefix", "srt", "csv"]),
)
def test_round_trip(script, fmt):
    name, text = render(fmt, script)
    t = read_or_refuse(name, text.encode("utf-8"))
    if t is None and one_label_dialogue(name, text.encode("utf-8"), script):
        return
    assert t is not None
    assert turns(t) == expected_turns(fmt, script)


def one_label_dialogue(name: str, data: bytes, script: list[tuple[str, list[str]]]) -> bool:
    """A script of one speaker asking and answering is refused on purpose (one label for both
    sides of a conversation): the refusal says so."""
    if len({speaker for speaker, _ in script}) != 1:
        return False
    try:
        read_transcript(name, data)
    except IngestError as err:
        return "every turn is labelled" in err.problem
    return False


@fuzz(30, slow=True)
@given(script=TURNS, teams=st.booleans())
def test_docx_round_trip(script, teams):
    paragraphs = ["Ledgerly customer interview"]
    for i, (speaker, lines) in enumerate(script):
        if teams:
            paragraphs += [f"{speaker}   {i // 60}:{i % 60:02d}", *lines]
        else:
            paragraphs += [f"{speaker}: {lines[0]}", *lines[1:]]
    data = make_docx(paragraphs)
    t = read_or_refuse("t.docx", data)
    if t is None and one_label_dialogue("t.docx", data, script):
        return
    assert t is not None
    assert turns(t) == expected_turns("docx", script)


CELL = st.text(
    alphabet=st.sampled_from(list('ab ,;"\n\t') + ["é", "“", "x"]), min_size=1, max_size=25
).filter(lambda s: s.strip())


@FAST
@given(rows=st.lists(st.tuples(st.sampled_from(["Maya", "Tom"]), CELL), min_size=1, max_size=8))
def test_csv_cells_survive_quoting(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["speaker", "text"])
    writer.writerows(rows)
    t = read_or_refuse("q.csv", buffer.getvalue().encode("utf-8"))
    assert t is not None
    assert len(t.utterances) == len(rows)
    for u, (speaker, cell) in zip(t.utterances, rows, strict=True):
        assert u.speaker == speaker
        pieces = "".join(t.text[a:b] for a, b in u.spans)
        assert re.sub(r"\s", "", pieces) == re.sub(r"\s", "", cell)


# -- participants.csv ---------------------------------------------------------------------------


def read_metadata_or_refuse(data: bytes):
    """participants.csv: records whose fields are the non-empty cells, or an IngestError."""
    try:
        records = read_participants_csv("participants.csv", data)
    except IngestError as err:
        assert err.source == "participants.csv"
        assert err.problem.strip()
        return None
    assert records
    for r in records:
        assert r.file or r.participant
        assert all(k.strip() and v.strip() for k, v in r.fields.items())
        assert r.participant is None or r.participant == r.participant.strip()
    names = [r.participant.casefold() for r in records if r.participant]
    assert len(names) == len(set(names))
    return records


@FAST
@given(data=st.binary(max_size=1500))
def test_participants_csv_bytes(data):
    read_metadata_or_refuse(data)


META_CELL = st.one_of(
    st.sampled_from(
        ["participant", "file", "name", "role", "Company size", "", " ", '"', '""', "a,b", "é"]
    ),
    st.text(alphabet=st.sampled_from(list('ab ,;"\n\t=+-@') + ["é"]), max_size=12),
)


@fuzz(300)
@given(
    rows=st.lists(st.lists(META_CELL, min_size=1, max_size=5), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quoted=st.booleans(),
)
def test_participants_csv_soup(rows, delimiter, quoted):
    if quoted:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows(rows)
        text = buffer.getvalue()
    else:
        text = "\n".join(delimiter.join(r) for r in rows)
    records = read_metadata_or_refuse(text.encode("utf-8"))
    others = set(",;\t") - {delimiter}
    if records and quoted and not any(ch in others for ch in delimiter.join(rows[0])):
        # (a header holding two delimiters equally often is ambiguous: either reading is fair)
        cells = {c.strip() for r in rows for c in r}
        assert all(v in cells for r in records for v in r.fields.values())


# -- .docx archives ------------------------------------------------------------------------------

_GOOD_DOCX = make_docx(["Maya Chen: How do invoices reach you?", "Priya Raman: By email, by hand."])


@fuzz(150, slow=True)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(_GOOD_DOCX) - 1), st.binary(min_size=1, max_size=8)),
        max_size=6,
    ),
    cut=st.one_of(st.none(), st.integers(0, len(_GOOD_DOCX))),
)
def test_docx_mutated_bytes(edits, cut):
    data = bytearray(_GOOD_DOCX)
    for at, patch in edits:
        data[at : at + len(patch)] = patch
    read_or_refuse("mutated.docx", bytes(data[:cut] if cut is not None else data))


XML_PIECE = st.sampled_from(
    [
        '<?xml version="1.0"?>',
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">',
        "<w:body>",
        "<w:p><w:r><w:t>Maya Chen: hi</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>Priya Raman: invoices by hand</w:t></w:r></w:p>",
        "</w:body></w:document>",
        "<!DOCTYPE d [<!ENTITY x 'y'>]>",
        "&x;",
        "<w:p>",
        "</w:p>",
        "<![CDATA[ <w:t> ]]>",
        "<!-- comment -->",
        "\x00",
        "<",
        "&",
    ]
)


@fuzz(150, slow=True)
@given(
    parts=st.dictionaries(
        st.sampled_from(
            ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/x.bin", "../up.xml"]
        ),
        st.one_of(st.lists(XML_PIECE, max_size=8).map("".join), st.text(max_size=50)),
        max_size=4,
    ),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)
def test_docx_hand_made_archives(parts, method):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8", "surrogatepass"))
    read_or_refuse("hand-made.docx", out.getvalue())


# -- names, language, a whole batch ----------------------------------------------------------------


@FAST
@given(
    name=st.text(max_size=40)
    | st.builds(lambda a, b: f"{a}/{b}", st.text(max_size=8), st.text(max_size=8))
)
def test_upload_names(name):
    try:
        clean = clean_upload_name(name)
    except IngestError as err:
        assert err.problem.strip() and err.source.strip()
        assert not any(ord(c) < 32 for c in err.source)
        return
    assert clean.name and clean.name == clean.name.strip()
    assert "/" not in clean.name and "\\" not in clean.name and clean.name not in {".", ".."}
    assert not any(ord(c) < 32 for c in clean.name)
    assert name.strip().endswith(clean.name)


@FAST
@given(text=st.text(max_size=400))
def test_language_verdict_is_consistent(text):
    verdict = detect_language(text)
    assert all(0 <= s <= 1 for s in verdict.shares.values())
    assert (verdict.english is None) == (verdict.language == "")
    if verdict.english:
        assert verdict.language == "en"


BATCH_FILE = st.tuples(
    st.sampled_from(
        [
            "a.txt",
            "b.vtt",
            "c.srt",
            "d.csv",
            "e.docx",
            "../f.txt",
            "",
            "participants.csv",
            "dir/a.txt",
        ]
    ),
    st.one_of(
        st.binary(max_size=200),
        st.lists(LINE, max_size=8).map(lambda ls: "\n".join(ls).encode("utf-8")),
        st.just(b"Maya Chen: How do invoices reach you?\n\nPriya Raman: By email, by hand.\n"),
    ),
)


@fuzz(25, slow=True)
@given(files=st.lists(BATCH_FILE, max_size=4))
def test_import_batch_never_raises_and_stores_only_what_it_reports(files):
    with tempfile.TemporaryDirectory() as tmp:
        store = Workspace(Path(tmp)).open("fuzz", create=True)
        try:
            report = import_files(store, files)
            assert len(report.results) == len(files)
            imported = {r.transcript_id for r in report.results if r.status == "imported"}
            stored = store.transcripts()
            assert {t.id for t in stored} == imported
            assert len(list(store.originals_dir.iterdir())) == len(stored)
            for r in report.results:
                assert r.text.startswith(r.source)
                if r.status == "failed":
                    assert r.message.strip() and UNEXPECTED not in r.message
        finally:
            store.close()
