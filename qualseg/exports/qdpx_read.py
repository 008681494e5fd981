"""Read a REFI-QDA project (``.qdpx``): sources with their text, the code tree, coded selections.

Used to check that qualseg reads back what it writes, and as the start of importing coded
projects from other QDA tools. The archive is checked before anything is decompressed: entry
names must stay inside the archive, and declared sizes and compression ratios must be sane (a
zip bomb is refused). The XML is parsed without DTDs, entity expansion or network access.

Positions are character (Unicode code point) offsets into the source's plain text, end exclusive,
as written by :mod:`qualseg.exports.qdpx`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from qualseg.errors import IngestError

NS = "{urn:QDA-XML:project:1.0}"
QDE_NAME = "project.qde"
MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 100 * 1024 * 1024  # one source or project.qde, uncompressed
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # the whole archive, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024


@dataclass(frozen=True)
class QdpxCode:
    """A code of the code book; ``path`` is its name and its ancestors' names from the root."""

    guid: str
    name: str
    path: tuple[str, ...]
    codable: bool
    description: str = ""
    color: str | None = None


@dataclass(frozen=True)
class QdpxSource:
    guid: str
    name: str
    text: str


@dataclass(frozen=True)
class QdpxCoding:
    """A coded range: ``text[start:end]`` of the named source carries the code at ``path``."""

    source: str
    start: int
    end: int
    path: tuple[str, ...]


@dataclass(frozen=True)
class QdpxCase:
    guid: str
    name: str
    description: str
    variables: dict[str, str]
    selections: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdpxProject:
    name: str
    origin: str
    codes: tuple[QdpxCode, ...]
    sources: tuple[QdpxSource, ...]
    codings: tuple[QdpxCoding, ...]
    cases: tuple[QdpxCase, ...] = field(default=())

    def source(self, name: str) -> QdpxSource:
        return next(s for s in self.sources if s.name == name)


def read_qdpx(data: bytes | Path | str, *, name: str | None = None) -> QdpxProject:
    """Read a ``.qdpx`` archive given as bytes or as a path.

    Raises:
        IngestError: naming the file and the problem (not a zip, no project.qde, unsafe entry
            names, a zip bomb, invalid XML, selections outside their text, unknown codes).
    """
    if isinstance(data, str | Path):
        label = name or Path(data).name
        try:
            data = Path(data).read_bytes()
        except OSError as err:
            raise IngestError(label, f"cannot be read ({err.strerror or err})") from err
    else:
        label = name or "project.qdpx"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise IngestError(label, "is not a REFI-QDA project (.qdpx): not a zip archive") from err
    with archive:
        files = _checked_entries(archive, label)
        qde = files.get(QDE_NAME.lower())
        if qde is None:
            raise IngestError(label, "is not a REFI-QDA project (.qdpx): it has no project.qde")
        root = _parse(_read(archive, qde, label), label)
        return _project(root, archive, files, label)


def _checked_entries(archive: zipfile.ZipFile, label: str) -> dict[str, zipfile.ZipInfo]:
    """Lower-cased entry name -> entry, after refusing unsafe names and zip bombs."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise IngestError(label, f"has {len(infos)} entries (more than {MAX_ENTRIES}): refused")
    total = 0
    files: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if (
            name.startswith(("/", "\\"))
            or ".." in parts
            or (parts and ":" in parts[0])
            or "\x00" in name
        ):
            raise IngestError(label, f"has an unsafe entry name {name!r} (path traversal): refused")
        if info.is_dir():
            continue
        if info.file_size > MAX_ENTRY_BYTES:
            raise IngestError(
                label,
                f"entry {name!r} declares {info.file_size} bytes uncompressed (limit "
                f"{MAX_ENTRY_BYTES}): refused as a possible zip bomb",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise IngestError(
                label,
                f"entry {name!r} expands {ratio:.0f} times (limit {MAX_RATIO}): refused as a "
                "possible zip bomb",
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise IngestError(
                label,
                f"expands to more than {MAX_TOTAL_BYTES} bytes: refused as a possible zip bomb",
            )
        files["/".join(parts).lower()] = info
    return files


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    """An entry's bytes, never more than it declared (a lying header is refused)."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as err:  # also CRC errors
        raise IngestError(label, f"entry {info.filename!r} is damaged ({err})") from err
    if len(data) > info.file_size:
        raise IngestError(
            label, f"entry {info.filename!r} holds more than its declared size: refused"
        )
    return data


def _parse(xml: bytes, label: str) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.parse(io.BytesIO(xml), parser)
    except etree.XMLSyntaxError as err:
        raise IngestError(label, f"project.qde is not valid XML ({err})") from err
    if tree.docinfo.doctype:
        raise IngestError(label, "project.qde declares a DOCTYPE, which REFI-QDA does not use")
    root = tree.getroot()
    if root.tag != f"{NS}Project":
        raise IngestError(
            label, f"project.qde is not a REFI-QDA project (root element {root.tag!r})"
        )
    return root


def _project(
    root: etree._Element,
    archive: zipfile.ZipFile,
    files: dict[str, zipfile.ZipInfo],
    label: str,
) -> QdpxProject:
    codes: list[QdpxCode] = []
    for code in root.iterfind(f"{NS}CodeBook/{NS}Codes/{NS}Code"):
        _walk_codes(code, (), codes)
    path_of = {c.guid.strip("{}").lower(): c.path for c in codes}
    variable_names = {
        v.get("guid", "").strip("{}").lower(): v.get("name", "")
        for v in root.iterfind(f"{NS}Variables/{NS}Variable")
    }
    sources: list[QdpxSource] = []
    codings: list[QdpxCoding] = []
    for element in root.iterfind(f"{NS}Sources/{NS}TextSource"):
        source = QdpxSource(
            element.get("guid", ""),
            element.get("name") or element.get("guid", ""),
            _source_text(element, archive, files, label),
        )
        sources.append(source)
        codings += _codings(element, source, path_of, label)
    return QdpxProject(
        name=root.get("name", ""),
        origin=root.get("origin", ""),
        codes=tuple(codes),
        sources=tuple(sources),
        codings=tuple(codings),
        cases=tuple(_cases(root, variable_names)),
    )


def _walk_codes(element: etree._Element, parent: tuple[str, ...], out: list[QdpxCode]) -> None:
    path = (*parent, element.get("name", ""))
    out.append(
        QdpxCode(
            guid=element.get("guid", ""),
            name=element.get("name", ""),
            path=path,
            codable=element.get("isCodable", "true").lower() in ("true", "1"),
            description=element.findtext(f"{NS}Description") or "",
            color=element.get("color"),
        )
    )
    for child in element.iterfind(f"{NS}Code"):
        _walk_codes(child, path, out)


def _source_text(
    element: etree._Element,
    archive: zipfile.ZipFile,
    files: dict[str, zipfile.ZipInfo],
    label: str,
) -> str:
    inline = element.find(f"{NS}PlainTextContent")
    if inline is not None:
        return inline.text or ""
    name = element.get("name", element.get("guid", "?"))
    path = element.get("plainTextPath")
    if not path:
        raise IngestError(label, f"source {name!r} has neither text nor plainTextPath")
    if not path.lower().startswith("internal://"):
        raise IngestError(
            label, f"source {name!r} points outside the archive ({path}): not supported"
        )
    inner = path[len("internal://") :].lstrip("/").lower()
    info = files.get(f"sources/{inner}") or files.get(inner)
    if info is None:
        raise IngestError(label, f"source {name!r}: {path} is not in the archive")
    try:
        return _read(archive, info, label).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(label, f"source {name!r}: {path} is not UTF-8 text") from err


def _codings(
    element: etree._Element,
    source: QdpxSource,
    path_of: dict[str, tuple[str, ...]],
    label: str,
) -> list[QdpxCoding]:
    found: list[QdpxCoding] = []

    def coded(holder: etree._Element, start: int, end: int) -> None:
        for ref in holder.iterfind(f"{NS}Coding/{NS}CodeRef"):
            target = ref.get("targetGUID", "").strip("{}").lower()
            if target not in path_of:
                raise IngestError(
                    label, f"source {source.name!r}: a coding refers to unknown code {target!r}"
                )
            found.append(QdpxCoding(source.name, start, end, path_of[target]))

    coded(element, 0, len(source.text))  # codings of the whole source
    for selection in element.iterfind(f"{NS}PlainTextSelection"):
        try:
            start = int(selection.get("startPosition", ""))
            end = int(selection.get("endPosition", ""))
        except ValueError as err:
            raise IngestError(
                label, f"source {source.name!r}: a selection has no numeric positions"
            ) from err
        if not 0 <= start <= end <= len(source.text):
            raise IngestError(
                label,
                f"source {source.name!r}: selection {start}-{end} lies outside its text "
                f"({len(source.text)} characters)",
            )
        coded(selection, start, end)
    return found


def _cases(root: etree._Element, variable_names: dict[str, str]) -> list[QdpxCase]:
    cases = []
    for case in root.iterfind(f"{NS}Cases/{NS}Case"):
        variables = {}
        for value in case.iterfind(f"{NS}VariableValue"):
            ref = value.find(f"{NS}VariableRef")
            target = (ref.get("targetGUID", "") if ref is not None else "").strip("{}").lower()
            held = [c for c in value if c.tag != f"{NS}VariableRef"]
            if target in variable_names and held:
                variables[variable_names[target]] = held[0].text or ""
        cases.append(
            QdpxCase(
                guid=case.get("guid", ""),
                name=case.get("name", ""),
                description=case.findtext(f"{NS}Description") or "",
                variables=variables,
                selections=tuple(
                    r.get("targetGUID", "") for r in case.iterfind(f"{NS}SelectionRef")
                ),
            )
        )
    return cases
