"""Making customer text inert wherever it goes: spreadsheets (formulas), Markdown, HTML, XML."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$])")


# What XML 1.0 cannot carry: control characters, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or a tab or carriage
    return, which spreadsheets skip before reading a formula) gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def md_escape(text: str) -> str:
    """Text on one line with Markdown (and HTML) syntax neutralised."""
    flat = " ".join(text.split())
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    if flat[:1] in ("-", "="):
        flat = "\\" + flat
    return re.sub(r"^(\d+)\.", r"\1\\.", flat)


def xml_safe(text: object) -> str:
    """Text with every character XML 1.0 cannot hold replaced by U+FFFD (same length, so
    offsets into it stay valid); every other character is kept as it is."""
    return _NOT_XML.sub("\ufffd", str(text))


def html_text(text: object) -> str:
    """Study text as HTML text or attribute value: escaped and XML-safe."""
    return html.escape(xml_safe(text), quote=True)
