"""Hostile and odd inputs found by trying qualseg as a new user (issue 14): each is read or
refused with a sentence naming the file and the problem, never a crash or internals."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from qualseg.errors import IngestError
from qualseg.ingest import read_transcript
from qualseg.ingest.decode import decode_bytes
from qualseg.store.project_store import MAX_NAME_BYTES, cut_to_bytes, safe_file_name

from .conftest import make_docx
from .invariants import check_no_markup, check_transcript, timestamps, turns

DIALOGUE = (
    "Interviewer: How do you plan the week today?\n"
    "Maya Chen: In a spreadsheet, and it breaks every Monday.\n"
    "Interviewer: Why does it break?\n"
    "Maya Chen: Nobody updates it after the Friday call.\n"
)
CJK = (
    "采访者: 你们现在怎么安排一周的工作?\n"
    "王伟: 我们用电子表格，但是每个星期一都会出错。\n"
    "采访者: 为什么会出错?\n"
    "王伟: 星期五开完会以后没有人更新它。\n"
)
CYRILLIC = (
    "Интервьюер: Как вы планируете неделю?\n"
    "Ольга Петрова: В таблице, и она ломается каждый понедельник.\n"
    "Интервьюер: Почему?\n"
    "Ольга Петрова: После пятничного созвона её никто не обновляет.\n"
)


# -- file names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["é" * 120 + ".txt", "中" * 90 + ".txt", "Ω" * 150 + ".docx"])
def test_stored_names_are_cut_by_bytes_keeping_the_extension(name):
    safe = safe_file_name(name)
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    assert safe.endswith(name[name.rindex(".") :])
    assert name.startswith(safe[: safe.rindex(".")])  # whole characters, no broken UTF-8


def test_cut_to_bytes_keeps_short_names_and_whole_characters():
    assert cut_to_bytes("maya.txt", 200) == "maya.txt"
    assert cut_to_bytes("ééé.txt", 9) == "éé.txt"  # 2 + 2 bytes + ".txt"; no half "é"
    assert cut_to_bytes("a" * 300, 10) == "a" * 10


# -- Word documents that are not ------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "speaker"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_xlsx(), "is not a Word document: it is an Excel workbook (.xlsx) with a .docx name"),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
            "it is a PowerPoint presentation",
        ),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w/>"}),
            "has no document text part (word/document.xml)",
        ),
    ],
)
def test_office_files_that_are_not_word_documents(data, words):
    with pytest.raises(IngestError) as err:
        read_transcript("interview.docx", data)
    assert err.value.source == "interview.docx"
    assert words in err.value.problem
    assert "KeyError" not in err.value.problem and "There is no item" not in err.value.problem


def test_a_damaged_word_package_gives_no_python_internals():
    """python-docx fails inside on a package with a bare content-types part: the message says
    what to do and names no object."""
    data = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<document/>",
        }
    )
    with pytest.raises(IngestError) as err:
        read_transcript("odd.docx", data)
    assert "open it in Word and save it again" in err.value.problem
    assert "object" not in err.value.problem and "<" not in err.value.problem


# -- UTF-16 without a byte-order mark ----------------------------------------------------------


@pytest.mark.parametrize("text", [DIALOGUE, CJK, CYRILLIC], ids=["ascii", "cjk", "cyrillic"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_in_any_script(text, encoding):
    data = text.encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    decoded = decode_bytes("x.txt", data)
    assert decoded.encoding == encoding
    assert decoded.text == text
    t = read_transcript("x.txt", data)
    check_transcript(t)
    assert len(t.utterances) == 4


def test_binary_with_nul_bytes_is_still_refused_as_binary():
    data = b"speaker,text\nMaya,he\x00llo\nTom,\x00\x00\x00hi\x00\n"
    with pytest.raises(IngestError, match="binary file"):
        read_transcript("x.csv", data)


# -- captions with a broken time --------------------------------------------------------------

VTT = (
    "WEBVTT\n\n"
    "00:00:01.000 --> 00:00:04.000\n<v Ann Lee>How do you plan the week?\n\n"
    "00:00:05.000 --> 00:00:09.000\n<v Bo Park>With a spreadsheet.\n\n"
    "{bad} --> 00:00:12.000\n<v Ann Lee>Why that one?\n\n"
    "00:00:13.000 --> 00:00:19.000\n<v Bo Park>Because it is free and the team knows it.\n"
)


@pytest.mark.parametrize("bad", ["-00:00:10.000", "00:0x:10.000", "00:00:99.000"])
def test_vtt_cue_with_an_invalid_time_is_kept_and_reported(bad):
    t = read_transcript("call.vtt", VTT.format(bad=bad).encode())
    check_transcript(t)
    check_no_markup(t)
    assert turns(t) == [
        ("Ann Lee", "How do you plan the week?"),
        ("Bo Park", "With a spreadsheet."),
        ("Ann Lee", "Why that one?"),
        ("Bo Park", "Because it is free and the team knows it."),
    ]
    assert timestamps(t) == [1.0, 5.0, None, 13.0]
    assert len(t.notes) == 1
    assert t.notes[0].startswith("call.vtt: line 9: the caption time")
    assert bad in t.notes[0] and "kept, without a time" in t.notes[0]


def test_srt_cue_with_a_negative_time_is_kept_and_reported():
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\nAnn Lee: How many vans?\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nBo Park: Forty-two.\n\n"
        "3\n-00:00:05,000 --> 00:00:06,000\nAnn Lee: And drivers?\n\n"
        "4\n00:00:07,000 --> 00:00:08,000\nBo Park: Fifty, in two shifts.\n"
    )
    t = read_transcript("call.srt", srt.encode())
    check_transcript(t)
    assert [s for s, _ in turns(t)] == ["Ann Lee", "Bo Park", "Ann Lee", "Bo Park"]
    assert "3" not in turns(t)[1][1]  # the cue number before the broken time is no speech
    assert len(t.notes) == 1 and "-00:00:05,000" in t.notes[0]


def test_captions_without_one_valid_time_are_refused():
    srt = "1\n00:00:01,000 -> 00:00:02,000\nAnn Lee: Hi.\n\n2\n-1 --> 2\nBo Park: Hello.\n"
    with pytest.raises(IngestError, match="no subtitles found"):
        read_transcript("call.srt", srt.encode())


# -- HTML in speaker labels -------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    ["<b>{}</b>:", "<b>{}:</b>", "<strong>{}</strong>:", '<span class="s1">{}</span>:'],
)
def test_html_formatted_labels_are_stripped(label):
    text = "".join(
        f"{label.format(line.split(': ', 1)[0])} {line.split(': ', 1)[1]}\n"
        for line in DIALOGUE.splitlines()
    )
    t = read_transcript("x.txt", text.encode())
    check_transcript(t)
    assert t.roles == {"Interviewer": "interviewer", "Maya Chen": "participant"}
    assert turns(t)[1] == ("Maya Chen", "In a spreadsheet, and it breaks every Monday.")


def test_html_labels_in_a_csv_speaker_column_keep_the_roles():
    data = (
        "speaker,text\n"
        "<b>Interviewer</b>,How do you plan the week today?\n"
        '<b>Maya Chen</b>,"In a spreadsheet, and it breaks every Monday."\n'
        "<b>Interviewer</b>,Why does it break?\n"
        "<b>Maya Chen</b>,Nobody updates it after the Friday call.\n"
    )
    t = read_transcript("x.csv", data.encode())
    assert t.roles == {"Interviewer": "interviewer", "Maya Chen": "participant"}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "x.txt",
            "<script>alert(1)</script>: How do you plan the week?\n"
            "<img src=x onerror=alert(1)>: In a spreadsheet, every week.\n",
        ),
        (
            "x.csv",
            "speaker,text\n<script>alert(1)</script>,How do you plan?\n"
            '<img src=x>,"In a spreadsheet, every week."\n',
        ),
    ],
)
def test_script_labels_are_refused_clearly(name, data):
    with pytest.raises(IngestError) as err:
        read_transcript(name, data.encode())
    assert err.value.source == name
    assert "HTML or script code" in err.value.problem
    assert "remove the markup" in err.value.problem


# -- one label for two people -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "same.txt",
            DIALOGUE.replace("Interviewer:", "Speaker:").replace("Maya Chen:", "Speaker:"),
        ),
        (
            "same.vtt",
            "WEBVTT\n\n"
            + "".join(
                f"00:00:0{k}.000 --> 00:00:0{k + 1}.000\nSpeaker: {line.split(': ', 1)[1]}\n\n"
                for k, line in enumerate(DIALOGUE.splitlines())
            ),
        ),
    ],
)
def test_one_label_for_both_sides_of_a_conversation_is_refused(name, data):
    with pytest.raises(IngestError) as err:
        read_transcript(name, data.encode())
    assert "every turn is labelled 'Speaker'" in err.value.problem
    assert "2 questions answered under that same label" in err.value.problem
    assert "Give each person a label of their own" in err.value.problem


def test_one_speaker_talking_alone_is_still_read():
    text = (
        "Maya Chen: I plan the week in a spreadsheet.\n"
        "Maya Chen: Why? Because it was there when I joined, and it still works for us.\n"
        "Maya Chen: It breaks on Mondays, and I fix it before the team call.\n"
    )
    t = read_transcript("memo.txt", text.encode())
    assert t.roles == {"Maya Chen": "participant"}


# -- a CSV of a million columns ---------------------------------------------------------------


def test_csv_with_a_huge_header_is_refused_before_parsing():
    columns = 1_000_000
    data = (",".join(["c"] * columns) + "\n" + ",".join(["x"] * columns) + "\n").encode()
    tracemalloc.start()
    try:
        with pytest.raises(IngestError) as err:
            read_transcript("wide.csv", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "its header line has 1,000,000 columns" in err.value.problem
    assert "not a transcript" in err.value.problem
    # decoding holds the text (4 MB of str) and its line; no cell objects are built
    assert peak < 10 * len(data), peak


def test_csv_with_a_huge_row_below_a_normal_header_is_refused():
    data = ("speaker,text\nMaya,hello\n" + ",".join(["x"] * 100_000) + "\n").encode()
    with pytest.raises(IngestError, match="line 3 has more than 200 columns"):
        read_transcript("wide.csv", data)


def test_a_docx_transcript_still_reads():
    """The package check accepts what python-docx writes."""
    t = read_transcript("ok.docx", make_docx(DIALOGUE.splitlines()))
    assert t.roles == {"Interviewer": "interviewer", "Maya Chen": "participant"}


def test_two_people_sharing_a_label_beside_others_are_noted():
    text = (
        "Maya: How do you plan the week today?\n"
        "Maya: In a spreadsheet, and it breaks every single Monday.\n"
        "Tom: Sorry, I have to step out for a delivery.\n"
        "Maya: Why does it break?\n"
        "Maya: Nobody updates it after the Friday call, so I redo it.\n"
    )
    t = read_transcript("shared.txt", text.encode())
    assert t.notes == (
        "shared.txt: under the label 'Maya', a question is answered by the next turn of the "
        "same label 2 times: if two people share that label, give each their own (their words "
        "are otherwise counted as one person's)",
    )


def test_a_turn_split_once_is_not_noted():
    text = DIALOGUE + "Maya Chen: Do I like it? Not really.\nMaya Chen: It is what we have today.\n"
    t = read_transcript("split.txt", text.encode())
    assert not any("share that label" in n for n in t.notes)


def test_a_placeholder_speaker_in_angle_brackets_is_not_taken_for_html():
    data = (
        "speaker,text\n"
        "Interviewer,How do you plan the week today?\n"
        "<unknown>,Sorry, who is this?\n"
        'Maya Chen,"In a spreadsheet, and it breaks every Monday."\n'
    )
    t = read_transcript("x.csv", data.encode())
    assert "<unknown>" in t.speakers
    assert t.roles["Maya Chen"] == "participant"
