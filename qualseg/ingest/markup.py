"""HTML or script code where a speaker label should be (``<script>...</script>: ...``)."""

from __future__ import annotations

import re

# HTML or script code: an element HTML knows, a closing tag, a tag with attributes, a comment or
# declaration, an escaped entity. A bare "<unknown>" (a tool's placeholder speaker) is not.
_ELEMENTS = (
    "script|style|img|iframe|frame|svg|math|object|embed|link|meta|base|body|html|head|div|p|a"
    "|input|form|button|textarea|select|table|tr|td|th|br|hr|video|audio|source|details|marquee"
)
MARKUP = re.compile(
    rf"<(?:{_ELEMENTS})\b[^<>]{{0,200}}>?|</[A-Za-z][^<>]{{0,40}}>|<[A-Za-z][\w-]*\s+[\w-]+\s*="
    r"|<[!?]|&(?:lt|gt|amp|quot|#\d+);|javascript:",
    re.IGNORECASE,
)
_MARKUP_LABEL = re.compile(r"^[ \t]*(<[A-Za-z!?][^\n]{0,100}?)[:：]", re.MULTILINE)


def markup_label_problem(text: str) -> str | None:
    """Why a text with no usable speaker labels was refused, when its lines start with markup
    before a colon (``<script>alert(1)</script>: ...``); None otherwise."""
    m = _MARKUP_LABEL.search(text)
    if m is None or not MARKUP.search(m.group(1)):
        return None
    shown = m.group(1) if len(m.group(1)) <= 50 else m.group(1)[:47] + "..."
    return (
        f"the speaker labels are HTML or script code ({shown!r}), not names; export the "
        "transcript as plain text with names as labels, or remove the markup"
    )
