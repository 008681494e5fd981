"""Replace identifiers in text by consistent pseudonyms, keeping a map of the offsets.

A ``Pseudonymiser`` holds the study's confirmed replacements (surface string -> pseudonym, e.g.
"Dana Whitfield" -> "Participant 3", "Acme Corp" -> "Company B") and patterns replaced wherever they
match (emails, phone numbers). The same surface string gets the same pseudonym in every text of the
study, so an excerpt pseudonymised on its own reads the same as inside its whole transcript.

``apply_with_offsets`` also returns an ``OffsetMap`` from offsets in the original text to offsets
in the pseudonymised text, so that coded selections (REFI-QDA) still point at the right words.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Replacement:
    """One replaced region: ``text[start:end]`` became ``pseudonym``."""

    start: int
    end: int
    pseudonym: str


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets of the original text to offsets of the pseudonymised text.

    An offset inside a replaced region maps to the start of its pseudonym for a selection start
    and to the end of its pseudonym for a selection end, so a selection never cuts a pseudonym.
    """

    replacements: tuple[Replacement, ...] = ()
    _starts: tuple[int, ...] = field(default=(), repr=False)
    _shift_before: tuple[int, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, replacements: Sequence[Replacement]) -> OffsetMap:
        shifts, total = [], 0
        for r in replacements:
            shifts.append(total)
            total += len(r.pseudonym) - (r.end - r.start)
        return cls(tuple(replacements), tuple(r.start for r in replacements), tuple(shifts))

    def _locate(self, offset: int) -> int:
        """Index of the last replacement starting at or before ``offset`` (-1 for none)."""
        return bisect.bisect_right(self._starts, offset) - 1

    def _shift_after(self, i: int) -> int:
        r = self.replacements[i]
        return self._shift_before[i] + len(r.pseudonym) - (r.end - r.start)

    def start(self, offset: int) -> int:
        """New offset of a selection starting at ``offset``."""
        i = self._locate(offset)
        if i < 0:
            return offset
        r = self.replacements[i]
        if offset < r.end:
            return r.start + self._shift_before[i]
        return offset + self._shift_after(i)

    def end(self, offset: int) -> int:
        """New offset of a selection ending at ``offset`` (exclusive)."""
        i = bisect.bisect_left(self._starts, offset) - 1  # regions starting strictly before
        if i < 0:
            return offset
        r = self.replacements[i]
        if offset < r.end:
            return r.start + self._shift_before[i] + len(r.pseudonym)
        return offset + self._shift_after(i)


class Pseudonymiser:
    """Consistent replacement of known identifiers and identifier patterns.

    Args:
        terms: surface string -> pseudonym. Matched case-sensitively on word boundaries, longest
            first ("Acme Corp" before "Acme").
        patterns: (regex, pseudonym) pairs replaced wherever they match (emails, phones...).
    """

    def __init__(
        self,
        terms: Mapping[str, str] | None = None,
        patterns: Sequence[tuple[re.Pattern[str], str]] = (),
    ) -> None:
        self.terms = {k: v for k, v in (terms or {}).items() if k.strip()}
        self.patterns = tuple(patterns)
        ordered = sorted(self.terms, key=lambda t: (-len(t), t))
        self._terms_re = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)")
            if ordered
            else None
        )

    @classmethod
    def identity(cls) -> Pseudonymiser:
        """A pseudonymiser that changes nothing (pseudonymisation switched off)."""
        return cls()

    @property
    def active(self) -> bool:
        return bool(self._terms_re or self.patterns)

    def replacements(self, text: str) -> list[Replacement]:
        """The regions of ``text`` to replace, in order, never overlapping (earliest, then
        longest, wins)."""
        found: list[Replacement] = []
        if self._terms_re is not None:
            found += [
                Replacement(m.start(), m.end(), self.terms[m.group(0)])
                for m in self._terms_re.finditer(text)
            ]
        for pattern, pseudonym in self.patterns:
            found += [Replacement(m.start(), m.end(), pseudonym) for m in pattern.finditer(text)]
        found.sort(key=lambda r: (r.start, -(r.end - r.start)))
        kept: list[Replacement] = []
        for r in found:
            if r.end > r.start and (not kept or r.start >= kept[-1].end):
                kept.append(r)
        return kept

    def apply_with_offsets(self, text: str) -> tuple[str, OffsetMap]:
        """The pseudonymised text and the map of original offsets to new ones."""
        regions = self.replacements(text)
        parts, last = [], 0
        for r in regions:
            parts += [text[last : r.start], r.pseudonym]
            last = r.end
        parts.append(text[last:])
        return "".join(parts), OffsetMap.of(regions)

    def apply(self, text: str) -> str:
        """The pseudonymised text."""
        if not self.active:
            return text
        return self.apply_with_offsets(text)[0]
