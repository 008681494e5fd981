"""Making customer text inert wherever it goes: spreadsheets (formulas) and Markdown/HTML."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$])")


def csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def md_escape(text: str) -> str:
    """Text on one line with Markdown (and HTML) syntax neutralised."""
    flat = " ".join(text.split())
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    if flat[:1] in ("-", "="):
        flat = "\\" + flat
    return re.sub(r"^(\d+)\.", r"\1\\.", flat)
