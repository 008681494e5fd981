"""Every export, by default, carries no participant's name and no file name that holds one,
including a transcript imported after the last analysis or detection."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from qualseg.exports.registry import FORMATS, export_project
from qualseg.importing import import_files
from qualseg.privacy import review

LATE_FILE = "Zebulon Quackenbush call.txt"
LATE_TEXT = (
    "Maya Chen: Thanks for joining. How do invoices reach you today?\n\n"
    "Zebulon Quackenbush: Mostly by post. At Frobozz Logistics I open every envelope myself, "
    "and Zebulon Quackenbush is the only name on the approval list, which worries our auditors.\n\n"
    "Maya Chen: What made you start looking for something else?\n\n"
    "Zebulon Quackenbush: The auditors flagged it in March, so I had to find a second approver.\n"
)


def _text(fmt: str, data: bytes) -> str:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8-sig")


def _identifiers(store) -> list[str]:
    names = {s.display_name for s in store.participants()}
    names |= {part for n in names for part in n.split() if len(part) > 3}
    files = {t.source for t in store.transcripts()}
    return sorted(names | files)


def _leaks(text: str, identifiers: list[str]) -> list[str]:
    return [i for i in identifiers if re.search(r"(?<!\w)" + re.escape(i) + r"(?!\w)", text)]


@pytest.fixture
def late_store(analyzed_store):
    """The analyzed sample study plus a transcript imported after the analysis."""
    report = import_files(analyzed_store, [(LATE_FILE, LATE_TEXT.encode())])
    assert not report.failed, report.failed
    return analyzed_store


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_default_exports_hold_no_real_name(late_store, fmt):
    text = _text(fmt, export_project(late_store, fmt))
    identifiers = _identifiers(late_store) + ["Frobozz Logistics"]
    assert not _leaks(text, identifiers), fmt
    if fmt not in ("swipe-md",):  # nothing is pinned: the swipe file names nobody
        assert "Participant" in text, fmt


def test_real_names_only_when_asked(late_store):
    text = _text("json", export_project(late_store, "json", pseudonymise=False))
    assert "Priya Raman" in text


def test_an_empty_review_list_is_filled_before_exporting(analyzed_store):
    analyzed_store.query("DELETE FROM redactions")
    analyzed_store.query("DELETE FROM settings")
    assert not review.list_redactions(analyzed_store)
    text = _text("md", export_project(analyzed_store, "md"))
    assert not _leaks(text, _identifiers(analyzed_store))
