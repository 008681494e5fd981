"""The quote bank: every excerpt a researcher has not dismissed, filterable and exportable.

Pure functions over the current study report (``service.current_state(store).report``): no
storage, no streamlit. Copywriters filter by segment, theme, kind, participant, participant
metadata and words; short punchy lines are flagged; the filtered view and the swipe file (pinned
quotes) export to CSV (the quote table of :mod:`qualseg.tables`) and Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from qualseg.escaping import md_escape
from qualseg.report_types import Report
from qualseg.tables import FIXED_COLUMNS, quotes_csv

PUNCHY_MAX_WORDS = 12
PUNCHY_MIN_WORDS = 3


@dataclass(frozen=True)
class Quote:
    """One excerpt as the quote bank shows it."""

    excerpt: str
    text: str
    words: int
    punchy: bool
    pinned: bool
    participant_id: str
    participant: str
    source: str
    start: int
    end: int
    timestamp: float | None
    kinds: tuple[str, ...]
    themes: tuple[str, ...]
    theme_labels: tuple[str, ...]
    segment: str | None
    segment_label: str
    metadata: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class QuoteFilter:
    """What to keep. Empty collections and an empty text mean "no restriction"."""

    segments: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    participants: frozenset[str] = frozenset()
    metadata: tuple[tuple[str, frozenset[str]], ...] = ()
    text: str = ""
    punchy_only: bool = False
    pinned_only: bool = False
    hide_small_talk: bool = False


def word_count(text: str) -> int:
    return len(text.split())


def is_small_talk(quote: Quote) -> bool:
    """In no theme and of no kind but 'other' (greetings, asides, "Go for it.")."""
    return not quote.themes and set(quote.kinds) <= {"other"}


def is_punchy(text: str, max_words: int = PUNCHY_MAX_WORDS) -> bool:
    """A short, quotable line: between 3 and ``max_words`` words."""
    return PUNCHY_MIN_WORDS <= word_count(text) <= max_words


def quotes(report: Report, *, max_words: int = PUNCHY_MAX_WORDS) -> list[Quote]:
    """Every excerpt that is not dismissed, in transcript order, with its context."""
    people = {p["id"]: p for p in report.get("participants", [])}
    live = {t["id"]: t for t in report.get("themes", []) if not t.get("dismissed")}
    segment_labels = {s["id"]: s["label"] for s in report.get("segments", [])}
    pins = set(report.get("pins", []))
    out = []
    for e in report.get("excerpts", []):
        if e.get("dismissed"):
            continue
        person = people.get(e["participant"], {})
        themes = tuple(t for t in e.get("themes", []) if t in live)
        segment = person.get("segment")
        out.append(
            Quote(
                excerpt=e["id"],
                text=e["text"],
                words=word_count(e["text"]),
                punchy=is_punchy(e["text"], max_words),
                pinned=e["id"] in pins,
                participant_id=e["participant"],
                participant=person.get("name", e["participant"]),
                source=e["source"],
                start=e["start"],
                end=e["end"],
                timestamp=e.get("timestamp"),
                kinds=tuple(e.get("kinds", [])),
                themes=themes,
                theme_labels=tuple(live[t]["label"] for t in themes),
                segment=segment,
                segment_label=segment_labels.get(segment, "") if segment else "",
                metadata=dict(person.get("metadata") or {}),
            )
        )
    return out


def swipe_file(report: Report) -> list[Quote]:
    """The pinned quotes, in the order they were pinned."""
    by_key = {q.excerpt: q for q in quotes(report)}
    return [by_key[k] for k in report.get("pins", []) if k in by_key]


_PHRASE = re.compile(r'"([^"]+)"|(\S+)')


def search_terms(query: str) -> list[str]:
    """Words and "quoted phrases" of a search, case-folded."""
    return [
        (phrase or word).casefold().strip()
        for phrase, word in _PHRASE.findall(query)
        if (phrase or word).strip()
    ]


def matches_text(quote: Quote, query: str) -> bool:
    """Every word and quoted phrase of the query occurs in the quote's text (any case)."""
    text = " ".join(quote.text.split()).casefold()
    return all(term in text for term in search_terms(query))


def keep(quote: Quote, flt: QuoteFilter) -> bool:
    if flt.segments and quote.segment not in flt.segments:
        return False
    if flt.themes and not set(quote.themes) & flt.themes:
        return False
    if flt.kinds and not set(quote.kinds) & flt.kinds:
        return False
    if flt.participants and quote.participant_id not in flt.participants:
        return False
    for column, values in flt.metadata:
        if values and quote.metadata.get(column, "") not in values:
            return False
    if flt.punchy_only and not quote.punchy:
        return False
    if flt.pinned_only and not quote.pinned:
        return False
    if flt.hide_small_talk and is_small_talk(quote):
        return False
    return not flt.text.strip() or matches_text(quote, flt.text)


def filter_quotes(items: Iterable[Quote], flt: QuoteFilter) -> list[Quote]:
    return [q for q in items if keep(q, flt)]


ORDERS = ("transcript order", "shortest first", "longest first", "by participant")


def sort_quotes(items: Sequence[Quote], order: str = ORDERS[0]) -> list[Quote]:
    """The quotes in one of ``ORDERS`` (stable: ties keep transcript order)."""
    if order == "shortest first":
        return sorted(items, key=lambda q: q.words)
    if order == "longest first":
        return sorted(items, key=lambda q: -q.words)
    if order == "by participant":
        return sorted(items, key=lambda q: q.participant.casefold())
    return list(items)


def metadata_values(items: Iterable[Quote]) -> dict[str, list[str]]:
    """Each metadata column with the values found, for filter widgets."""
    values: dict[str, set[str]] = {}
    for q in items:
        for column, value in q.metadata.items():
            values.setdefault(column, set()).add(value)
    return {c: sorted(v) for c, v in sorted(values.items())}


CSV_COLUMNS = FIXED_COLUMNS  # every quote CSV starts with these (qualseg.tables)


def to_csv(items: Sequence[Quote]) -> str:
    """The quotes as CSV in the one quote table's columns (:func:`qualseg.tables.quotes_csv`);
    every text cell is made safe for spreadsheets."""
    return quotes_csv(items)


def to_markdown(items: Sequence[Quote], title: str = "Quotes") -> str:
    """The quotes as a Markdown document: each a block quote with who said it and where."""
    lines = [f"# {md_escape(title)}", "", f"{len(items)} quotes.", ""]
    for q in items:
        about = "; ".join(q.theme_labels) or "no theme"
        where = f"{q.source} @{q.start}"
        segment = f", {q.segment_label or q.segment}" if q.segment else ""
        lines += [
            f"> {md_escape(q.text)}",
            ">",
            f"> — {md_escape(q.participant)}{md_escape(segment)} · {md_escape(about)} · "
            f"{md_escape(where)}",
            "",
        ]
    return "\n".join(lines)
