"""Consistent pseudonyms: "Participant 3", "Interviewer 1", "Person B", "Company A", "Place C".

A pseudonym, once given, is kept (the review list stores it), so adding a transcript never
renumbers anyone. New ones take the next free number or letter of their category, in a stable
order (participants by speaker id, others by where they first occur). A variant (a first name,
a company's short name) takes the pseudonym of its full form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

NUMBERED = {"participant": "Participant", "interviewer": "Interviewer"}
LETTERED = {"person": "Person", "company": "Company", "place": "Place"}
PLACEHOLDERS = {
    "email": "[email]",
    "phone": "[phone]",
    "url": "[url]",
    "address": "[address]",
    "number": "[number]",
}
CATEGORIES = (*NUMBERED, *LETTERED, *PLACEHOLDERS, "file")
# When one surface is listed under several categories, the first here gives its pseudonym.
PRECEDENCE = {c: i for i, c in enumerate(CATEGORIES)}


def letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (spreadsheet column letters)."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


def _index(pseudonym: str, prefix: str) -> int | None:
    m = re.fullmatch(re.escape(prefix) + r" (\d+|[A-Z]+)", pseudonym)
    if not m:
        return None
    token = m.group(1)
    if token.isdigit():
        return int(token)
    n = 0
    for ch in token:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


class PseudonymBook:
    """Hands out pseudonyms, continuing from those already given."""

    def __init__(self, existing: Iterable[tuple[str, str]] = ()) -> None:
        """``existing``: (category, pseudonym) pairs already in the review list."""
        self._used: dict[str, set[int]] = {c: set() for c in (*NUMBERED, *LETTERED, "file")}
        for category, pseudonym in existing:
            prefix = NUMBERED.get(category) or LETTERED.get(category)
            if category == "file":
                prefix = "Transcript"
                pseudonym = pseudonym.rsplit(".", 1)[0]
            if prefix:
                n = _index(pseudonym, prefix)
                if n is not None:
                    self._used[category].add(n)

    def _next(self, category: str) -> int:
        used = self._used[category]
        n = 1
        while n in used:
            n += 1
        used.add(n)
        return n

    def new(self, category: str, surface: str = "") -> str:
        """A fresh pseudonym of a category (a file keeps its extension)."""
        if category in NUMBERED:
            return f"{NUMBERED[category]} {self._next(category)}"
        if category in LETTERED:
            return f"{LETTERED[category]} {letters(self._next(category))}"
        if category == "file":
            ext = surface.rsplit(".", 1)[1] if "." in surface else ""
            return f"Transcript {self._next('file')}" + (f".{ext}" if ext else "")
        if category in PLACEHOLDERS:
            return PLACEHOLDERS[category]
        raise ValueError(f"unknown identifier category {category!r}; expected one of {CATEGORIES}")


def assign(
    wanted: Sequence[tuple[str, str, str | None]],
    book: PseudonymBook,
    known: Mapping[str, str],
) -> dict[str, str]:
    """Pseudonyms for new (surface, category, link) triples, in the order given.

    Args:
        known: surface -> pseudonym already given (a link to one of them reuses it).
    """
    given = dict(known)
    out: dict[str, str] = {}
    for surface, category, link in wanted:
        if link is None:
            given[surface] = out[surface] = book.new(category, surface)
    for surface, category, link in wanted:
        if link is not None:
            target = given.get(link) or book.new(category, surface)
            given[surface] = out[surface] = target
    return out
