"""Identifier patterns replaced wherever they match: e-mails, phones, URLs, addresses, numbers.

Money amounts and dates are deliberately not patterns: "$48,600 paid twice" or "in March" is the
evidence of a trigger or a need and identifies nobody on its own. Numbers with thousands
separators (212,000) are amounts; a long unbroken digit run or a grouped account number is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qualseg.ingest.names import word_set


@dataclass(frozen=True)
class IdentifierPattern:
    """A category of identifier found by a regular expression, and its placeholder."""

    category: str
    pseudonym: str
    regex: re.Pattern[str]


_STREET = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|"
    r"Terrace|Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir"
)
_US_STATES = sorted(
    word_set(
        "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
        "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
    )
)

PATTERNS: tuple[IdentifierPattern, ...] = (
    IdentifierPattern(
        "email",
        "[email]",
        re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?!\w)"),
    ),
    IdentifierPattern(
        "url",
        "[url]",
        re.compile(r"(?<!\w)(?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]"),
    ),
    IdentifierPattern(
        "address",
        "[address]",
        re.compile(
            r"(?<!\w)\d{1,5}(?:[ \t]+[A-Z][A-Za-z'-]*){1,4}[ \t]+(?:" + _STREET + r")\.?"
            r"(?:,?[ \t]+(?:Suite|Ste\.?|Apt\.?|Unit|#)[ \t]*\w+)?"
            r"(?:,[ \t]*[A-Z][A-Za-z]+(?:[ \t]+[A-Z][A-Za-z]+)*)?"
            r"(?:,?[ \t]+(?:" + "|".join(_US_STATES) + r")[ \t]+\d{5}(?:-\d{4})?)?(?!\w)"
        ),
    ),
    IdentifierPattern(
        "address",
        "[address]",
        # UK postcodes (SW1A 1AA, M1 1AE) and US state + ZIP (OR 97205).
        re.compile(
            r"(?<!\w)(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}|(?:"
            + "|".join(_US_STATES)
            + r")[ \t]+\d{5}(?:-\d{4})?)(?!\w)"
        ),
    ),
    IdentifierPattern(
        "phone",
        "[phone]",
        re.compile(
            r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])"
            r"\d{3,4}[ .-]\d{3,4}(?:[ .-]?(?:x|ext\.?)[ ]?\d{1,5})?(?!\w)"
            r"|(?<![\w+])\+\d{1,3}(?:[ .-]?\d{2,4}){2,5}(?!\w)"
            # international numbers with one-digit area codes (+33 4 555 012 47)
            r"|(?<![\w+])\+\d{1,3}(?:[ .-]\d{1,4}){3,6}(?!\w)"
            # a local number with the exchange and line only (555-0129)
            r"|(?<![\w+.-])\d{3}-\d{4}(?![\w-])"
        ),
    ),
    IdentifierPattern(
        "number",
        "[number]",
        # IBANs, social security numbers, and digit runs of 7+ (account, policy, employee ids).
        re.compile(
            r"(?<!\w)(?:[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?"
            r"|\d{3}-\d{2}-\d{4}"
            r"|(?:[A-Z]{2,5}-)?\d{7,}(?:-\d+)*)(?!\w)"
        ),
    ),
)


def pattern_matches(text: str) -> Iterable[tuple[IdentifierPattern, re.Match[str]]]:
    """Every pattern match in a text, in pattern order."""
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(text):
            yield pattern, match


def pseudonymiser_patterns(rejected: Iterable[str] = ()) -> list[tuple[re.Pattern[str], str]]:
    """The (regex, placeholder) pairs for a ``Pseudonymiser``; a match the researcher rejected
    (an office switchboard number quoted on purpose) is left as it is."""
    skip = sorted({s for s in rejected if s}, key=lambda s: (-len(s), s))
    guard = r"(?!(?:" + "|".join(re.escape(s) for s in skip) + r")(?!\w))" if skip else ""
    return [(re.compile(guard + p.regex.pattern), p.pseudonym) for p in PATTERNS]
