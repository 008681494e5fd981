"""Property tests: any input gives an IngestError or a transcript that keeps the invariants,
and rendered transcripts read back to the turns they were rendered from."""

from __future__ import annotations

import csv
import io
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualseg.errors import IngestError
from qualseg.ingest import UNEXPECTED, read_transcript

from .conftest import make_docx
from .invariants import check_no_markup, check_transcript, turns

EXTENSIONS = (".txt", ".vtt", ".srt", ".docx", ".csv")
TEXT_EXTENSIONS = (".txt", ".vtt", ".srt", ".csv")
# QUALSEG_FUZZ_SCALE=20 runs twenty times the examples (a long local fuzzing session).
SCALE = int(os.environ.get("QUALSEG_FUZZ_SCALE", "1"))


def examples(n: int) -> int:
    return n * SCALE


FAST = settings(max_examples=examples(300), deadline=None)


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


@settings(max_examples=examples(400), deadline=None)
@given(text=CUES, ext=st.sampled_from([".vtt", ".srt", ".txt"]))
def test_cue_soup(text, ext):
    read_or_refuse(f"cues{ext}", text.encode("utf-8"))


@settings(max_examples=examples(600), deadline=None)
@given(
    lines=st.lists(LINE, max_size=30),
    ext=st.sampled_from(TEXT_EXTENSIONS),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_line_soup(lines, ext, newline):
    read_or_refuse(f"soup{ext}", newline.join(lines).encode("utf-8"))


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\r]")


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


@settings(max_examples=examples(300), deadline=None)
@given(
    script=TURNS,
    fmt=st.sampled_from(["labelled", "otter", "vtt_voice", "vtt_prefix", "srt", "csv"]),
)
def test_round_trip(script, fmt):
    name, text = render(fmt, script)
    t = read_or_refuse(name, text.encode("utf-8"))
    assert t is not None
    assert turns(t) == expected_turns(fmt, script)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=TURNS, teams=st.booleans())
def test_docx_round_trip(script, teams):
    paragraphs = ["Ledgerly customer interview"]
    for i, (speaker, lines) in enumerate(script):
        if teams:
            paragraphs += [f"{speaker}   {i // 60}:{i % 60:02d}", *lines]
        else:
            paragraphs += [f"{speaker}: {lines[0]}", *lines[1:]]
    t = read_or_refuse("t.docx", make_docx(paragraphs))
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
