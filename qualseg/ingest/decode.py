"""Bytes to text: detect the encoding, refuse binary files, normalise line endings.

Accepted: UTF-8 (with or without BOM), UTF-16 LE/BE and UTF-32 with a BOM, UTF-16 without a BOM
when the NUL pattern makes it unmistakable, and 8-bit files (Windows-1252 preferred) through
charset-normalizer. The text returned has LF line endings and no BOM; every offset qualseg stores
points into it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from qualseg.errors import IngestError

# Signatures of binary formats people upload by mistake, checked before anything else.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document; export the transcript as .txt or .docx"),
    (b"PK\x03\x04", "a ZIP archive (perhaps a .docx or .xlsx with the wrong extension)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel (.doc/.xls) file; save it as .docx"),
    (b"{\\rtf", "an RTF document; save it as .docx or plain text"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x1aE\xdf\xa3", "a WebM/Matroska video"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_RIFF = {b"WAVE": "a WAV audio file", b"AVI ": "an AVI video", b"WEBP": "a WebP image"}

_SCORED_CHARS = 65_536  # enough text to tell the byte order, read fast
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Control characters that never appear in a text transcript (tab, LF, CR, FF are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Decoded:
    """Text ready for a reader, and the encoding it came from."""

    text: str
    encoding: str


def format_size(n: int) -> str:
    """A byte count for people: ``"20 MB"``, ``"3.4 MB"``, ``"812 KB"``."""
    if n >= 1_000_000:
        mb = n / 1_000_000
        return f"{mb:.0f} MB" if mb == int(mb) or mb >= 100 else f"{mb:.1f} MB"
    if n >= 1000:
        return f"{n / 1000:.0f} KB"
    return f"{n} bytes"


def check_size(source: str, data: bytes, max_bytes: int) -> None:
    """Refuse an empty file or one over the size limit."""
    if len(data) > max_bytes:
        raise IngestError(
            source,
            f"the file is {format_size(len(data))}, more than the {format_size(max_bytes)} limit "
            "for one transcript",
        )
    if not data:
        raise IngestError(source, "the file is empty")


def binary_kind(data: bytes) -> str | None:
    """What binary format the bytes start with, in words, or None when they look like text."""
    if data.startswith(b"RIFF") and data[8:12] in _RIFF:
        return _RIFF[data[8:12]]
    if data[4:8] == b"ftyp":
        return "an MP4/MOV/M4A media file"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def decode_bytes(source: str, data: bytes) -> Decoded:
    """Decode one uploaded text file.

    Raises:
        IngestError: binary content, undecodable bytes, or no text at all.
    """
    if not data:
        raise IngestError(source, "the file is empty")
    kind = binary_kind(data)
    if kind:
        raise IngestError(source, f"looks like a binary file ({kind}), not a transcript")
    text, encoding = _decode(source, data)
    text = normalise_newlines(text.lstrip("\ufeff"))
    control = len(_CONTROL.findall(text))
    if "\x00" in text or control > max(2, len(text) // 200):
        raise IngestError(
            source, "looks like a binary file (control bytes in it), not a transcript"
        )
    if not text.strip():
        raise IngestError(source, "the file has no text (only blank space)")
    return Decoded(text, encoding)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(source: str, data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding.replace("-sig", "")), encoding
            except UnicodeDecodeError as exc:
                raise IngestError(
                    source,
                    f"starts with a {_pretty(encoding)} byte-order mark but is not valid "
                    f"{_pretty(encoding)} (bad bytes at position {exc.start + len(bom)})",
                ) from None
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is None:
            raise IngestError(
                source,
                "looks like a binary file (it contains NUL bytes), not a transcript; if it is "
                "UTF-16 text, save it again as UTF-8",
            )
        return guess
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_8bit(source, data)


def _pretty(encoding: str) -> str:
    return encoding.replace("-sig", "").upper().replace("-LE", " LE").replace("-BE", " BE")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM, or None when the bytes are not that.

    Mostly-ASCII text has a NUL in every other byte, which says the byte order at once. Text
    in other scripts (CJK, Cyrillic...) has few NULs, so both byte orders are decoded and the
    one that reads as text wins: line breaks, spaces and ASCII punctuation where a transcript
    has them, no control or unassigned characters. The wrong order turns ``\n`` into U+0A00
    and ``:`` into U+3A00.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    scored = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _text_score(text[:_SCORED_CHARS])
        if score is not None:
            scored.append((score, encoding, text))
    if not scored:
        return None
    scored.sort(reverse=True)
    score, encoding, text = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return (text, encoding) if score >= 0.01 and runner_up <= score / 2 else None


def _text_score(text: str) -> float | None:
    """How much ``text`` reads like a transcript: the share of ASCII characters (line breaks,
    spaces, digits, punctuation; every transcript has them); None when it holds a character no
    text file has (a control, unassigned or private-use code point)."""
    bad = 0
    ascii_count = 0
    for c in text:
        if c < "\x80":
            if c in "\n\r\t" or " " <= c < "\x7f":
                ascii_count += 1
            else:
                bad += 1
        elif unicodedata.category(c) in ("Cn", "Co", "Cs", "Cc"):
            bad += 1
    if bad:
        return None
    return ascii_count / max(len(text), 1)


def _decode_8bit(source: str, data: bytes) -> tuple[str, str]:
    """Windows-1252 unless charset-normalizer is confident the bytes are something else.

    On short files charset-normalizer often cannot tell 8-bit code pages apart and names an
    unlikely one (cp1006, cp1125); Windows-1252 is what Word and Excel on Windows write.
    """
    matches = from_bytes(data)
    best = matches.best()
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if best is None:
        if western is not None:
            return western, "cp1252"
        raise IngestError(
            source,
            "could not be decoded: it is not UTF-8, UTF-16 or a recognisable 8-bit encoding "
            "(save it as UTF-8 text)",
        )
    if western is not None:
        if str(best) == western:
            return western, "cp1252"
        for match in matches:
            if codecs.lookup(match.encoding).name != "cp1252":
                continue
            if match.chaos <= best.chaos + 0.02 and (
                best.coherence == 0 or match.coherence >= best.coherence - 0.05
            ):
                return western, "cp1252"
    name = codecs.lookup(best.encoding).name
    try:
        return data.decode(name), name
    except (UnicodeDecodeError, LookupError):
        raise IngestError(
            source, "could not be decoded: it is not UTF-8, UTF-16 or a recognisable 8-bit encoding"
        ) from None
