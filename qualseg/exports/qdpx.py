"""REFI-QDA project exchange (``.qdpx``): the study as a coded project other QDA tools import.

The archive holds ``project.qde`` (QDA-XML 1.0, namespace ``urn:QDA-XML:project:1.0``) and one
``sources/<guid>.txt`` per transcript (UTF-8, no byte order mark), referenced from its
``TextSource`` as ``plainTextPath="internal://<guid>.txt"``.

Code tree: one root per lens ("Needs", "Psychographics", "Triggers", "Objections") with each live
theme as a child (dismissed themes left out), "Kinds" with one code per excerpt kind and
"Segments" with one code per segment. Every live excerpt is a ``PlainTextSelection`` coded with
its themes, its kinds and its participant's segment. Participants are ``Cases`` with their
metadata as text ``Variables``. Code names are unique across the whole code book (several QDA
tools require it): a name already taken gets the theme's or segment's id appended, "label (S1)".

Positions: REFI-QDA counts text positions in characters from the start of the plain text, end
exclusive. qualseg writes Unicode code points (Python ``str`` indices) into the exported text,
so a selection after "é" or "—" still lands on the same words; the sample texts hold no
character outside the Basic Multilingual Plane, where code points and UTF-16 units agree.

Deterministic: GUIDs are uuid5 of the project name and stable ids (transcript hash, theme,
kind, segment and excerpt ids), dates come from the stored run and transcripts, and every zip
entry carries a fixed timestamp, so the same state gives the same bytes.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from qualseg import __version__
from qualseg.escaping import xml_safe
from qualseg.exports.context import ExportContext, ExportTranscript
from qualseg.models import KINDS
from qualseg.report_types import Report, ReportExcerpt

NS = "urn:QDA-XML:project:1.0"
QDE_NAME = "project.qde"
SOURCES_DIR = "sources"
LENS_ROOTS = {
    "need": "Needs",
    "psychographic": "Psychographics",
    "trigger": "Triggers",
    "objection": "Objections",
}
KINDS_ROOT = "Kinds"
SEGMENTS_ROOT = "Segments"
ROOT_COLORS = {
    "Needs": "#1F77B4",
    "Psychographics": "#9467BD",
    "Triggers": "#2CA02C",
    "Objections": "#D62728",
    KINDS_ROOT: "#7F7F7F",
    SEGMENTS_ROOT: "#FF7F0E",
}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "qualseg:refi-qda")


def guid(project: str, stable_id: str) -> str:
    """The GUID of one exported object: the same project and id always give the same GUID."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{project}\x1f{stable_id}"))


@dataclass
class CodeNode:
    """One code of the code book. ``key`` is qualseg's id: ``theme:<id>``, ``kind:<kind>``,
    ``segment:<id>``, or ``root:<name>`` for the category codes."""

    key: str
    name: str
    guid: str
    codable: bool
    description: str = ""
    color: str | None = None
    children: list[CodeNode] = field(default_factory=list)
    path: tuple[str, ...] = ()


def codebook(report: Report, project: str) -> list[CodeNode]:
    """The code tree of the current state: lens roots with live themes, kinds, segments."""
    taken: set[str] = set()

    def unique(name: str, own_id: str) -> str:
        name = xml_safe(name).strip() or own_id
        if name in taken:
            name = f"{name} ({own_id})"
        taken.add(name)
        return name

    roots = [
        CodeNode(f"root:{name}", unique(name, name), guid(project, f"root:{name}"), False)
        for name in (*LENS_ROOTS.values(), KINDS_ROOT, SEGMENTS_ROOT)
    ]
    by_name = {r.name: r for r in roots}
    for lens, root_name in LENS_ROOTS.items():
        for t in report["themes"]:
            if t["lens"] != lens or t.get("dismissed"):
                continue
            described = f"qualseg theme {t['id']}"
            if t.get("keyphrases"):
                described += "; keyphrases: " + ", ".join(t["keyphrases"])
            by_name[root_name].children.append(
                CodeNode(
                    f"theme:{t['id']}",
                    unique(t["label"], t["id"]),
                    guid(project, f"theme:{t['id']}"),
                    True,
                    xml_safe(described),
                )
            )
    for kind in KINDS:
        by_name[KINDS_ROOT].children.append(
            CodeNode(f"kind:{kind}", unique(kind, kind), guid(project, f"kind:{kind}"), True)
        )
    for s in report["segments"]:
        by_name[SEGMENTS_ROOT].children.append(
            CodeNode(
                f"segment:{s['id']}",
                unique(s["label"], s["id"]),
                guid(project, f"segment:{s['id']}"),
                True,
                f"qualseg segment {s['id']}; {len(s['participants'])} participants",
            )
        )
    for root in roots:
        root.color = ROOT_COLORS[root.name]
        root.path = (root.name,)
        for child in root.children:
            child.color = root.color
            child.path = (root.name, child.name)
    return roots


def excerpt_codes(excerpt: ReportExcerpt, segment_of: dict[str, str | None]) -> list[str]:
    """The code keys an excerpt is coded with: its live themes, its kinds, its segment."""
    keys = [f"theme:{t}" for t in excerpt["themes"]] + [f"kind:{k}" for k in excerpt["kinds"]]
    segment = segment_of.get(excerpt["participant"])
    if segment:
        keys.append(f"segment:{segment}")
    return keys


@dataclass(frozen=True)
class SourcePlan:
    """Where one transcript goes: its GUID, its name in the project, its exported text."""

    transcript: ExportTranscript
    guid: str
    name: str

    @property
    def file_name(self) -> str:
        return f"{SOURCES_DIR}/{self.guid}.txt"


def plan_sources(ctx: ExportContext) -> tuple[list[SourcePlan], dict[str, SourcePlan]]:
    """Every transcript of the context, and excerpt id prefix (transcript hash) -> its plan.

    A source is named as the report names it (the pseudonymised report may rename files), and
    found by the hash prefix of the excerpt ids, which pseudonymisation never changes.
    """
    names: dict[str, str] = {}
    for e in ctx.report["excerpts"]:
        names.setdefault(e["id"].split(":", 1)[0], e["source"])
    plans, by_prefix = [], {}
    for t in sorted(ctx.transcripts, key=lambda t: (t.source, t.sha256)):
        prefix = next((p for p in names if t.sha256.startswith(p)), t.sha256[:12])
        plan = SourcePlan(t, guid(ctx.project, f"source:{t.sha256}"), names.get(prefix, t.source))
        plans.append(plan)
        by_prefix[prefix] = plan
    return plans, by_prefix


def render(ctx: ExportContext) -> bytes:
    """The ``.qdpx`` archive of the context's current state."""
    plans, by_prefix = plan_sources(ctx)
    entries = [(QDE_NAME, project_xml(ctx, plans, by_prefix))]
    entries += [(p.file_name, p.transcript.text.encode("utf-8")) for p in plans]
    return _zip(entries)


def project_xml(
    ctx: ExportContext, plans: list[SourcePlan], by_prefix: dict[str, SourcePlan]
) -> bytes:
    """``project.qde``: users, code book, variables, cases, sources with coded selections."""
    report, project = ctx.report, ctx.project
    user = guid(project, "user:qualseg")
    root = _el(
        None,
        "Project",
        name=project,
        origin=f"qualseg {__version__}",
        creatingUserGUID=user,
        creationDateTime=ctx.run.finished_at or ctx.run.started_at,
    )
    _el(_el(root, "Users"), "User", guid=user, name="qualseg", id="qualseg")

    tree = codebook(report, project)
    codes = _el(_el(root, "CodeBook"), "Codes")
    for node in tree:
        _write_code(codes, node)
    guid_of = {n.key: n.guid for r in tree for n in (r, *r.children)}

    segment_of = {p["id"]: p.get("segment") for p in report["participants"]}
    codes_of = {
        e["id"]: list(dict.fromkeys(k for k in excerpt_codes(e, segment_of) if k in guid_of))
        for e in report["excerpts"]
    }
    live = [  # coded, not dismissed, and its transcript is in the context
        e
        for e in report["excerpts"]
        if not e.get("dismissed") and codes_of[e["id"]] and e["id"].split(":", 1)[0] in by_prefix
    ]
    selection_of = {e["id"]: guid(project, f"selection:{e['id']}") for e in live}

    columns = sorted({c for p in report["participants"] for c in p.get("metadata") or {}})
    variable_of = {c: guid(project, f"variable:{c}") for c in columns}
    if columns:
        variables = _el(root, "Variables")
        for c in columns:
            _el(variables, "Variable", guid=variable_of[c], name=c, typeOfVariable="Text")
    if report["participants"]:
        _write_cases(
            _el(root, "Cases"), ctx, live, variable_of, selection_of, {p.name: p for p in plans}
        )

    by_source: dict[str, list[dict]] = {p.guid: [] for p in plans}
    for e in live:
        by_source[by_prefix[e["id"].split(":", 1)[0]].guid].append(e)
    sources = _el(root, "Sources") if plans else root  # the schema wants one source or none
    for plan in plans:
        source = _el(
            sources,
            "TextSource",
            guid=plan.guid,
            name=plan.name,
            plainTextPath=f"internal://{plan.guid}.txt",
            creatingUser=user,
            creationDateTime=plan.transcript.imported_at,
        )
        offsets = plan.transcript.offsets
        for e in sorted(by_source[plan.guid], key=lambda e: (e["start"], e["end"], e["id"])):
            selection = _el(
                source,
                "PlainTextSelection",
                guid=selection_of[e["id"]],
                startPosition=str(offsets.start(e["start"])),
                endPosition=str(offsets.end(e["end"])),
                creatingUser=user,
            )
            _el(selection, "Description").text = f"qualseg excerpt {e['id']} ({e['participant']})"
            for key in codes_of[e["id"]]:
                coding = _el(
                    selection,
                    "Coding",
                    guid=guid(project, f"coding:{e['id']}:{key}"),
                    creatingUser=user,
                )
                _el(coding, "CodeRef", targetGUID=guid_of[key])
    pseudonymised = "pseudonymised" if ctx.pseudonymised else "not pseudonymised"
    _el(root, "Description").text = (
        f"Exported by qualseg {__version__} from analysis run {ctx.run.id} (model "
        f"{ctx.run.model}, seed {ctx.run.seed}) with {ctx.edits} researcher edits applied; "
        f"{pseudonymised}."
    )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _write_code(parent: etree._Element, node: CodeNode) -> None:
    attrs = {"guid": node.guid, "name": node.name, "isCodable": str(node.codable).lower()}
    if node.color:
        attrs["color"] = node.color
    code = _el(parent, "Code", **attrs)
    if node.description:
        _el(code, "Description").text = node.description
    for child in node.children:
        _write_code(code, child)


def _write_cases(
    cases: etree._Element,
    ctx: ExportContext,
    live: list[dict],
    variable_of: dict[str, str],
    selection_of: dict[str, str],
    plan_by_name: dict[str, SourcePlan],
) -> None:
    selections: dict[str, list[str]] = {}
    for e in live:
        selections.setdefault(e["participant"], []).append(selection_of[e["id"]])
    for p in ctx.report["participants"]:
        case = _el(
            cases, "Case", guid=guid(ctx.project, f"case:{p['id']}"), name=p.get("name") or p["id"]
        )
        _el(case, "Description").text = f"qualseg participant {p['id']}"
        metadata = p.get("metadata") or {}
        for column in sorted(metadata):
            value = _el(case, "VariableValue")
            _el(value, "VariableRef", targetGUID=variable_of[column])
            _el(value, "TextValue").text = xml_safe(str(metadata[column]))
        plan = plan_by_name.get(p.get("source", ""))
        if plan is not None:
            _el(case, "SourceRef", targetGUID=plan.guid)
        for target in selections.get(p["id"], []):
            _el(case, "SelectionRef", targetGUID=target)


def _el(parent: etree._Element | None, tag: str, **attrs: str) -> etree._Element:
    """An element of the QDA-XML namespace with its attributes in the given order."""
    name = f"{{{NS}}}{tag}"
    clean = {k: xml_safe(v) for k, v in attrs.items()}
    if parent is None:
        return etree.Element(name, clean, nsmap={None: NS})
    return etree.SubElement(parent, name, clean)


def _zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of the entries in order, each with a fixed timestamp and permissions."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return out.getvalue()
