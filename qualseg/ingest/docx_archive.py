"""Safety checks on a .docx package before python-docx opens it.

A .docx is a ZIP archive of XML parts. Refused, each with an :class:`IngestError` in plain words:
not a ZIP, an old .doc or password-protected file, a damaged archive, too many entries, members
that unpack to far more than they weigh (a zip bomb) or to more than their header declares (a
lying header), compression methods Word never writes, an XML part over its size limit, a
DOCTYPE or entity declaration (Word never writes one; entities are how XML bombs and file
inclusion work), XML that is not well formed or nested deeper than any document.

Every member is decompressed here in bounded chunks, so a hostile archive costs at most its
declared sizes in time and one chunk in memory beyond the XML parts kept for parsing.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from lxml import etree

from qualseg.errors import IngestError
from qualseg.ingest.decode import format_size

MAX_ENTRIES = 2000
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_MIN_SIZE
RATIO_MIN_SIZE = 1_000_000
UNPACKED_PER_BYTE_LIMIT = 10  # total unpacked size may be up to 10 x max_bytes
XML_PER_BYTE_LIMIT = 2  # one XML part may be up to 2 x max_bytes
MAX_DEPTH = 256  # libxml2's own limit without its "huge" option; Word nests about 10 deep
CHUNK = 1 << 16

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def check_archive(source: str, data: bytes, max_bytes: int) -> None:
    """Refuse a .docx that is not a sound, reasonably sized Word package.

    Raises:
        IngestError: naming the file and the problem.
    """
    if data.startswith(_OLE):
        raise IngestError(
            source,
            "is an old-format (.doc) or password-protected Word file; save it as .docx "
            "without a password",
        )
    if not data.startswith(b"PK"):
        raise IngestError(
            source, "is not a Word .docx file (a .docx is a ZIP archive; this one is not)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except NotImplementedError as exc:  # a ZIP feature the standard library cannot read
        raise IngestError(
            source,
            f"is not a normal .docx: its archive uses a ZIP feature Word never writes ({exc})",
        ) from None
    except Exception as exc:  # zipfile raises many kinds on a damaged directory
        raise IngestError(
            source, f"is a damaged .docx file (not a readable ZIP archive: {exc})"
        ) from None
    _check_declared(source, infos, max_bytes)
    for info in infos:
        _check_member(source, data, info, max_bytes)


def _check_declared(source: str, infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """The checks on what the archive's directory says, before anything is unpacked."""
    if len(infos) > MAX_ENTRIES:
        raise IngestError(
            source, f"is not a normal .docx: its archive holds {len(infos)} files (zip bomb?)"
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise IngestError(source, "is not a Word .docx file (a ZIP archive without Word parts)")
    total = sum(info.file_size for info in infos)
    limit = UNPACKED_PER_BYTE_LIMIT * max_bytes
    if total > limit:
        raise IngestError(
            source,
            f"unpacks to {format_size(total)}, more than the {format_size(limit)} allowed "
            "(a zip bomb?)",
        )
    _check_word_package(source, names)
    for info in infos:
        if info.flag_bits & 0x1:
            raise IngestError(
                source, "is password-protected (encrypted); save it again without a password"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise IngestError(
                source,
                f"is not a normal .docx: {info.filename} uses a compression method Word never "
                f"writes (method {info.compress_type})",
            )
        if _is_xml(info.filename) and info.file_size > XML_PER_BYTE_LIMIT * max_bytes:
            raise IngestError(
                source,
                f"is not a normal .docx: its part {info.filename} is "
                f"{format_size(info.file_size)} of XML, more than the "
                f"{format_size(XML_PER_BYTE_LIMIT * max_bytes)} allowed",
            )
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise IngestError(
                source,
                f"is not a normal .docx: {info.filename} is compressed "
                f"{info.file_size // max(info.compress_size, 1)} to 1 (a zip bomb?)",
            )


# Office packages that are not Word documents, by a part only they have.
_OTHER_PACKAGES = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)", "save the sheet as CSV (.csv)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)", "export the text as .txt"),
    ("visio/document.xml", "a Visio drawing (.vsdx)", "export the text as .txt"),
)


def _check_word_package(source: str, names: set[str]) -> None:
    """Refuse an Office package that is not a Word document (an .xlsx renamed .docx) or a Word
    package without its document part (``word/document.xml``)."""
    lowered = {name.lower() for name in names}
    for part, kind, advice in _OTHER_PACKAGES:
        if part in lowered:
            raise IngestError(
                source, f"is not a Word document: it is {kind} with a .docx name; {advice}"
            )
    if "word/document.xml" not in lowered:
        raise IngestError(
            source,
            "is not a Word document: the file has no document text part (word/document.xml); "
            "it may be damaged or made by another program. Open it in Word and save it again",
        )


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _check_member(source: str, data: bytes, info: zipfile.ZipInfo, max_bytes: int) -> None:
    """Unpack one member in bounded chunks: its true size must be the declared size."""
    raw = _raw_member(source, data, info)
    keep = _is_xml(info.filename)
    pieces: list[bytes] = []
    size = 0
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = (raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK))
        complete = True
    else:
        chunks, state = _inflate(raw)
        complete = False
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise IngestError(
                source,
                f"is not a normal .docx: {info.filename} declares "
                f"{format_size(info.file_size)} but unpacks to more (a zip bomb?)",
            )
        crc = zlib.crc32(chunk, crc)
        if keep:
            pieces.append(chunk)
    if info.compress_type != zipfile.ZIP_STORED:
        complete = state["eof"]
    if not complete or size != info.file_size or crc != info.CRC:
        raise IngestError(
            source,
            f"is a damaged .docx file ({info.filename} does not unpack to what the archive "
            "says: the file may be truncated or corrupted)",
        )
    if keep:
        check_xml(source, info.filename, b"".join(pieces))


def _raw_member(source: str, data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a member, found through its local header."""
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
        raise IngestError(
            source, f"is a damaged .docx file (the archive entry for {info.filename} is missing)"
        )
    fields = _LOCAL_HEADER.unpack(header)
    begin = start + _LOCAL_HEADER.size + fields[9] + fields[10]
    raw = data[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise IngestError(
            source, f"is a damaged .docx file ({info.filename} is cut short: truncated download?)"
        )
    return raw


def _inflate(raw: bytes):
    """Chunks of a raw deflate stream, at most CHUNK bytes each; ``state['eof']`` at the end."""
    state = {"eof": False}

    def chunks():
        inflater = zlib.decompressobj(-15)
        pending = raw
        try:
            while pending and not inflater.eof:
                out = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
                elif not pending:
                    break
            while not inflater.eof:
                out = inflater.decompress(b"", CHUNK)
                if not out:
                    break
                yield out
        except zlib.error:
            return
        state["eof"] = inflater.eof

    return chunks(), state


def check_xml(source: str, part: str, xml: bytes) -> None:
    """Refuse an XML part with a DOCTYPE or entities, not well formed, or nested too deep."""
    if _DOCTYPE.search(xml[:4096]) or (b"<!" in xml and _DOCTYPE.search(xml)):
        raise IngestError(
            source,
            f"is not a normal .docx: its part {part} declares a DOCTYPE or entities, which Word "
            "never writes (a hostile or hand-made file)",
        )
    if not xml.strip():
        raise IngestError(source, f"is a damaged .docx file: its part {part} is empty")
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise IngestError(source, _xml_problem(part, exc)) from None
    depth = _depth(root)
    if depth > MAX_DEPTH:
        raise IngestError(source, _too_deep(part))


def _depth(root: etree._Element) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node)
    return deepest


def _too_deep(part: str) -> str:
    return (
        f"is not a normal .docx: its part {part} is nested more than {MAX_DEPTH} levels deep, "
        "which no Word document is (a damaged or hostile file)"
    )


def _xml_problem(part: str, exc: etree.XMLSyntaxError) -> str:
    message = str(exc).split("\n")[0]
    if "depth" in message.lower():
        return _too_deep(part)
    where = f"line {exc.lineno}" if exc.lineno else "at the start"
    first = re.sub(r",? line \d+, column \d+.*$", "", message).strip()
    return (
        f"could not be opened as a Word document: its part {part} is not well-formed XML "
        f"({where}: {first[:100]})"
    )
