"""Fixtures for the ingestion tests: fixture paths and .docx files built with python-docx."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_transcripts"

TEAMS_PARAGRAPHS = [
    "Ledgerly customer interview",
    "Maya Chen   0:03",
    "Hi Sofia, thanks for making the time. How are things at Verdant?",
    "Sofia Marquez   0:09",
    "Busy. We're in the middle of the produce season, so invoices are piling up.",
    "Honestly it's about four thousand a month right now.",
    "Maya Chen   0:31",
    "How are they entered today?",
    "Sofia Marquez   1:02:05",
    "By hand. Carmen types every one of them into Sage, and I check the totals on Friday.",
]
TEAMS_SINGLE_SPACE_PARAGRAPHS = [
    "Meeting transcript",
    "Chen, Maya 0:03",
    "Can you hear me?",
    "Marquez, Sofia 0:05",
    "Yes, loud and clear. We can start whenever you like.",
]
TEAMS_LEGACY_PARAGRAPHS = [
    "0:0:0.0 --> 0:0:4.290",
    "Maya Chen",
    "Hi Sofia, can you hear me?",
    "0:0:4.290 --> 0:0:9.10",
    "Sofia Marquez",
    "Yes. Sorry, the warehouse is loud today.",
]
LABELLED_PARAGRAPHS = [
    "Customer call — Lumen Charter Schools",
    "Jordan Ellis: Thanks for joining, Joseph. Where should we start?",
    "Joseph Osei: With the budget problem. Principals find out they overspent after the fact.",
    "Jordan Ellis: How often does that happen?",
    "Joseph Osei: Every quarter, at least two of our eleven schools.",
]


def make_docx(paragraphs: list[str]) -> bytes:
    """A .docx with one plain paragraph per string."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def docx_factory() -> Callable[[list[str]], bytes]:
    return make_docx


@pytest.fixture(scope="session")
def teams_docx() -> bytes:
    return make_docx(TEAMS_PARAGRAPHS)


@pytest.fixture(scope="session")
def labelled_docx() -> bytes:
    return make_docx(LABELLED_PARAGRAPHS)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
