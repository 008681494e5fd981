"""Clock strings (``1:23``, ``00:01:23``, ``00:01:23.456``, ``83.5``) to seconds, and back."""

from __future__ import annotations

import math
import re

# m:ss, h:mm:ss, optional fraction after . or , (WebVTT, SRT, spreadsheets).
CLOCK = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_CLOCK_RE = re.compile(rf"({CLOCK})")
_SECONDS_RE = re.compile(r"\d{1,7}(?:\.\d+)?")


def clock_seconds(value: str) -> float | None:
    """Seconds from ``m:ss`` / ``h:mm:ss`` (with an optional fraction); None if not a clock."""
    value = value.strip()
    if not _CLOCK_RE.fullmatch(value):
        return None
    main, _, frac = value.replace(",", ".").partition(".")
    parts = [int(p) for p in main.split(":")]
    if any(p >= 60 for p in parts[1:]):
        return None
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60 + p
    if frac:
        seconds += int(frac) / 10 ** len(frac)
    return seconds


def any_seconds(value: str) -> float | None:
    """A clock string or a plain number of seconds; None if neither."""
    value = value.strip()
    clock = clock_seconds(value)
    if clock is not None:
        return clock
    if _SECONDS_RE.fullmatch(value):
        seconds = float(value)
        return seconds if math.isfinite(seconds) else None
    return None


def timecode(seconds: float | None) -> str:
    """``m:ss`` or ``h:mm:ss`` of a timestamp in seconds; empty without one."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
