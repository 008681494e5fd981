"""Names a transcript's header gives to its speaker labels.

Q/A transcripts often say who ``Q`` and ``A`` are before the first turn, in one of two ways::

    Q = Colm Brennock   A = Harold Duquesne (Fleet Superintendent, City of Ashby Falls)
    Interviewee (A): Ingrid Solberg, CTO, Quillfeather

:func:`label_names` reads both, so the participant labelled ``A`` can be shown by name.
"""

from __future__ import annotations

import re

from qualseg.ingest.names import is_name

_LABEL = r"[^\W\d_][^\W_]{0,11}(?:[ \t]?\d{1,2})?"
# "Q = Name" pairs, several on one line ("Q = Colm Brennock   A = Harold Duquesne (...)").
_PAIR = re.compile(
    rf"(?<![\w=])(?P<label>{_LABEL})[ \t]*=[ \t]*(?P<rest>[^=\n]+?)"
    rf"(?=[ \t]*[,;|]?[ \t]+{_LABEL}[ \t]*=|[ \t]*$)",
    re.MULTILINE,
)
# "Interviewee (A): Name, role" lines.
_ROLE_LABEL = re.compile(
    rf"^[ \t]*(?P<role>[^\W\d_]{{1,20}})[ \t]*\([ \t]*(?P<label>{_LABEL})[ \t]*\)[ \t]*[:：][ \t]*"
    r"(?P<rest>[^\n]{1,120})$",
    re.MULTILINE,
)
_NAME_END = re.compile(r"[ \t]*(?:[,(;|]|[ \t][-–—][ \t]|$)")


def label_names(header: str) -> dict[str, str]:
    """Case-folded speaker label -> the personal name the header gives it."""
    found: dict[str, str] = {}
    for pattern in (_PAIR, _ROLE_LABEL):
        for m in pattern.finditer(header[:4000]):
            name = _leading_name(m.group("rest"))
            if name is None:
                continue
            found.setdefault(m.group("label").strip().casefold(), name)
            if pattern is _ROLE_LABEL:
                found.setdefault(m.group("role").casefold(), name)
    return found


def _leading_name(rest: str) -> str | None:
    """The name at the start of ``Harold Duquesne (Fleet Superintendent, ...)``, or None."""
    end = _NAME_END.search(rest)
    name = rest[: end.start()].strip() if end else rest.strip()
    return name if is_name(name) else None
