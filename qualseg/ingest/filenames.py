"""Uploaded file names: reduced to a base name, odd or hostile names refused.

A name comes from the user's browser or command line and ends up in the project (as the
transcript's source and in the originals folder), in messages and in exports. Folder parts are
dropped (``interviews/maya.txt`` -> ``maya.txt``); a name that climbs out of its folder (``..``),
holds control characters or direction overrides, is empty, or is too long is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qualseg.errors import IngestError

MAX_NAME_LENGTH = 255
# Characters that reorder or hide text: they can make "harmless\u202etxt.exe" read as a .txt.
_INVISIBLE = {
    "\u200e",
    "\u200f",
    "\u061c",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
}
_SEPARATORS = re.compile(r"[\\/]+")


@dataclass(frozen=True)
class CleanName:
    """A file name fit to store: ``name``; ``dropped`` is the folder part removed, if any."""

    name: str
    dropped: str = ""


def clean_upload_name(given: str) -> CleanName:
    """The base name of an uploaded file.

    Raises:
        IngestError: (naming the file as given, printable) the name is empty, climbs out of its
            folder, holds control or direction-override characters, or is over 255 characters.
    """
    shown = printable(given).strip() or "(no name)"
    if not isinstance(given, str) or not given.strip():
        raise IngestError(shown, "the file has no name")
    if any(unicodedata.category(c) == "Cs" for c in given):
        raise IngestError(shown, "the file name is not valid Unicode text; rename the file")
    if any(unicodedata.category(c) == "Cc" for c in given):
        raise IngestError(shown, "the file name contains control characters; rename the file")
    if any(c in _INVISIBLE for c in given):
        raise IngestError(
            shown,
            "the file name contains invisible text-direction characters (they can disguise "
            "its type); rename the file",
        )
    parts = _SEPARATORS.split(given.strip())
    if any(p.strip() == ".." for p in parts):
        raise IngestError(
            shown,
            "the file name points outside its folder ('..'); upload the file under its own name",
        )
    base = parts[-1].strip()
    if not base or set(base) <= {".", " "}:
        raise IngestError(shown, "the file name is empty once its folder is removed")
    if len(base) > MAX_NAME_LENGTH:
        raise IngestError(
            shown[:80] + "…",
            f"the file name is {len(base)} characters long, more than {MAX_NAME_LENGTH}; "
            "rename the file",
        )
    dropped = given.strip()[: len(given.strip()) - len(parts[-1])].rstrip("\\/ ")
    return CleanName(base, dropped)


def printable(name: object) -> str:
    """A name safe to show in a message: control and direction characters made visible."""
    text = str(name) if name is not None else ""
    out = []
    for c in text:
        if unicodedata.category(c) in ("Cc", "Cs") or c in _INVISIBLE:
            out.append(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)
