"""Messaging starters per segment, built from the data and never invented.

Every filled slot carries the evidence it came from (verbatim quotes with their sources). A slot the
data cannot fill stays ``None`` and is shown as a visible blank for the copywriter.

Where each part comes from (the current-state report only; see the ``messaging_*`` modules):
the segment slot is its label plus metadata most members share; the need is the strongest needs
theme that defines the segment; the benefit a desired outcome members state in its needs themes
(a short verbatim phrase); the alternative what members say they use, used or compared; product
and category only the researcher's words. The message map takes the objection themes most members
voice, with their quotes and lexically close outcome/trigger quotes from anyone that may answer
them; hooks are the trigger themes; headlines short phrases ranked by how many segment members
use similar words.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualseg.exports.messaging_alternatives import find_alternative
from qualseg.exports.messaging_sources import (
    benefit_phrase,
    headline_phrases,
    member_theme_quotes,
    segment_description,
    similar_answers,
)
from qualseg.report_types import Report, ReportSegment
from qualseg.validation import ThemeInSegment, segment_profile

BLANK = "[___]"


@dataclass(frozen=True)
class Slot:
    """One slot of a positioning statement: a filling (or None) and the quotes behind it."""

    text: str | None
    evidence: tuple[
        dict, ...
    ] = ()  # quotes as in report.json: excerpt, participant, source, start, end, text
    note: str = ""  # where it came from, or why it is empty

    def shown(self) -> str:
        return self.text if self.text else BLANK


@dataclass(frozen=True)
class Positioning:
    """'For [segment] who need [key need], [product] is the [category] that [key benefit],
    unlike [alternative they mentioned].'"""

    segment: Slot
    need: Slot
    product: Slot
    category: Slot
    benefit: Slot
    alternative: Slot

    def sentence(self) -> str:
        return (
            f"For {self.segment.shown()} who need {self.need.shown()}, {self.product.shown()} "
            f"is the {self.category.shown()} that {self.benefit.shown()}, unlike "
            f"{self.alternative.shown()}."
        )


@dataclass(frozen=True)
class MessageMapEntry:
    """One top objection of the segment: the quotes that voice it and those that answer it."""

    theme: str
    label: str
    participants: int
    voicing: tuple[dict, ...]
    answering: tuple[dict, ...]


@dataclass(frozen=True)
class Hook:
    """A trigger-based hook: the moment that made members act, in their words."""

    theme: str
    label: str
    participants: int
    quotes: tuple[dict, ...]


@dataclass(frozen=True)
class HeadlinePhrase:
    """A short verbatim phrase, ranked by how many participants use similar words."""

    text: str
    participants: int
    quote: dict


@dataclass(frozen=True)
class MessagingStarters:
    segment: str
    label: str
    positioning: Positioning
    message_map: tuple[MessageMapEntry, ...]
    hooks: tuple[Hook, ...]
    headlines: tuple[HeadlinePhrase, ...]


MAX_EVIDENCE = 3
MAX_OBJECTIONS = 3
MAX_HOOKS = 4
MAX_HEADLINES = 10


def messaging_starters(
    report: Report, segment_id: str, *, product: str | None = None, category: str | None = None
) -> MessagingStarters:
    """The messaging starters of one segment of a (current-state) report.

    ``product`` and ``category`` are the researcher's own words for their offer; without them the
    slots stay blank (the interviews say what customers need, not what the product is called).
    """
    segment = next((s for s in report.get("segments", []) if s["id"] == segment_id), None)
    if segment is None:
        known = ", ".join(s["id"] for s in report.get("segments", [])) or "none"
        raise KeyError(f"no segment {segment_id!r} in the report (segments: {known})")
    profile = segment_profile(report, segment_id)
    members = set(segment.get("participants", []))
    positioning = Positioning(
        segment=_segment_slot(report, segment),
        need=_need_slot(report, profile.themes.get("need", []), members),
        product=_own_words(product, "product name"),
        category=_own_words(category, "category"),
        benefit=_benefit_slot(report, profile.themes.get("need", []), members),
        alternative=_alternative_slot(report, members, product),
    )
    return MessagingStarters(
        segment=segment_id,
        label=segment["label"],
        positioning=positioning,
        message_map=_message_map(report, profile.themes.get("objection", []), members),
        hooks=_hooks(report, profile.themes.get("trigger", []), members),
        headlines=tuple(
            HeadlinePhrase(p.text, count, p.quote)
            for p, count in headline_phrases(report, members, limit=MAX_HEADLINES)
        ),
    )


# -- positioning slots ----------------------------------------------------------------------------


def _own_words(value: str | None, what: str) -> Slot:
    if value and value.strip():
        return Slot(" ".join(value.split()), (), "the researcher's own words")
    return Slot(None, (), f"not in the interviews: the researcher gives the {what}")


def _segment_slot(report: Report, segment: ReportSegment) -> Slot:
    text, shared = segment_description(report, segment)
    if not text:
        return Slot(None, (), "the segment has no label yet")
    note = f"segment label {segment['label']!r}"
    note += f"; members mostly share it: {shared}" if shared else "; no metadata value most share"
    return Slot(text, (), note)


def _strongest(rows: list[ThemeInSegment]) -> list[ThemeInSegment]:
    """Themes members voice, most members first (then lift, then id)."""
    voiced = [r for r in rows if r.members_voicing > 0]
    return sorted(voiced, key=lambda r: (-r.members_voicing, -(r.lift or 0.0), r.id))


def _describe(row: ThemeInSegment, size: int) -> str:
    lift = f", lift {row.lift:.1f}×" if row.lift is not None else ""
    why = "defines the segment" if row.listed else "voiced by many members"
    return f"{row.lens} theme {row.id} ({why}): {row.members_voicing} of {size} members{lift}"


def _need_slot(report: Report, rows: list[ThemeInSegment], members: set[str]) -> Slot:
    defining = [r for r in rows if r.listed and r.members_voicing > 0]
    ranked = _strongest(defining) or _strongest(rows)
    if not ranked:
        return Slot(None, (), "no needs theme is voiced by the segment's members")
    top = ranked[0]
    quotes = member_theme_quotes(report, top.id, members, ("need", "outcome"), MAX_EVIDENCE)
    return Slot(top.label or None, quotes, _describe(top, len(members)))


def _benefit_slot(report: Report, rows: list[ThemeInSegment], members: set[str]) -> Slot:
    themes = [r.id for r in _strongest(rows)]
    found = benefit_phrase(report, themes, members)
    if found is None:
        return Slot(None, (), "no member states a desired outcome in the segment's needs themes")
    phrase, count = found
    note = (
        f"desired outcome in needs theme(s) of the segment; {count} of {len(members)} members "
        "use similar words"
    )
    return Slot(phrase.text, (phrase.quote,), note)


def _alternative_slot(report: Report, members: set[str], product: str | None) -> Slot:
    found = find_alternative(report, members, product=product, max_quotes=MAX_EVIDENCE)
    if found is None:
        return Slot(None, (), "no member names what they use now or compared")
    cues = ", ".join(repr(c) for c in found.cues)
    note = f"mentioned by {found.members} of {len(members)} members (cues {cues})"
    return Slot(found.text, found.quotes, note)


# -- message map and hooks ------------------------------------------------------------------------


def _message_map(
    report: Report, rows: list[ThemeInSegment], members: set[str]
) -> tuple[MessageMapEntry, ...]:
    out = []
    for row in _strongest(rows)[:MAX_OBJECTIONS]:
        voicing = member_theme_quotes(report, row.id, members, ("objection",), MAX_EVIDENCE)
        answering = similar_answers(report, row.id, MAX_EVIDENCE)
        out.append(MessageMapEntry(row.id, row.label, row.members_voicing, voicing, answering))
    return tuple(out)


def _hooks(report: Report, rows: list[ThemeInSegment], members: set[str]) -> tuple[Hook, ...]:
    return tuple(
        Hook(
            row.id,
            row.label,
            row.members_voicing,
            member_theme_quotes(report, row.id, members, ("trigger",), MAX_EVIDENCE),
        )
        for row in _strongest(rows)[:MAX_HOOKS]
    )
