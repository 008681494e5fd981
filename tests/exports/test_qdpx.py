"""REFI-QDA export: schema-valid, selections on the right words, read back with the same codings."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from qualseg import editing
from qualseg.errors import IngestError
from qualseg.exports import context as context_module
from qualseg.exports import qdpx
from qualseg.exports.context import build_context
from qualseg.exports.qdpx_read import read_qdpx
from qualseg.privacy import Pseudonymiser
from tests.conftest import ROOT

XSD = ROOT.parent / "shared" / "data" / "refi-qda" / "Project.xsd"
CODE_ID = re.compile(r"^qualseg (theme|segment) (\S+?);")


def _transcripts(store) -> dict[str, object]:
    """Stored transcript (with utterances) by hash prefix, as excerpt ids carry it."""
    return {t.sha256[:12]: store.load_transcript(t.id) for t in store.transcripts()}


def _codes_by_id(project) -> dict[str, tuple[str, ...]]:
    """qualseg id (theme or segment id, or kind) -> code path, from the read-back code book."""
    out = {}
    for code in project.codes:
        found = CODE_ID.match(code.description)
        if found:
            out[found.group(2)] = code.path
        elif len(code.path) == 2 and code.path[0] == qdpx.KINDS_ROOT:
            out[f"kind:{code.name}"] = code.path
    return out


def _expected_codings(ctx, project) -> set[tuple[str, int, int, tuple[str, ...]]]:
    """What the state says should be coded: every live excerpt with its themes, kinds and its
    participant's segment, at its offsets moved into the exported text."""
    paths = _codes_by_id(project)
    maps = {t.sha256[:12]: t.offsets for t in ctx.transcripts}
    segment_of = {p["id"]: p["segment"] for p in ctx.report["participants"]}
    expected = set()
    for e in ctx.report["excerpts"]:
        if e["dismissed"]:
            continue
        offsets = maps[e["id"].split(":")[0]]
        start, end = offsets.start(e["start"]), offsets.end(e["end"])
        ids = list(e["themes"]) + [f"kind:{k}" for k in e["kinds"]]
        if segment_of.get(e["participant"]):
            ids.append(segment_of[e["participant"]])
        expected |= {(e["source"], start, end, paths[i]) for i in ids}
    return expected


def _source_texts(data: bytes) -> dict[str, str]:
    """Source name -> exported text, read straight from the zip (not through the reader)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(archive.read("project.qde"))
    ns = {"q": qdpx.NS}
    out = {}
    for source in root.iterfind("q:Sources/q:TextSource", ns):
        inner = source.get("plainTextPath").removeprefix("internal://")
        out[source.get("name")] = archive.read(f"sources/{inner}").decode("utf-8")
    return out


def _selections(data: bytes) -> dict[str, list[tuple[int, int]]]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))
    ns = {"q": qdpx.NS}
    return {
        s.get("name"): [
            (int(x.get("startPosition")), int(x.get("endPosition")))
            for x in s.iterfind("q:PlainTextSelection", ns)
        ]
        for s in root.iterfind("q:Sources/q:TextSource", ns)
    }


def test_project_qde_validates_against_the_refi_qda_schema(analyzed_store):
    if not XSD.is_file():
        pytest.skip(f"REFI-QDA schema not available at {XSD} (the shared data folder is absent)")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    data = qdpx.render(build_context(analyzed_store, pseudonymise=False))
    qde = zipfile.ZipFile(io.BytesIO(data)).read("project.qde")
    document = etree.fromstring(qde)
    assert schema.validate(document), schema.error_log
    ns = {"q": qdpx.NS}
    assert len(document.findall("q:Sources/q:TextSource", ns)) == 14
    assert len(document.findall("q:Cases/q:Case", ns)) == 14
    assert len(document.findall(".//q:PlainTextSelection", ns)) == len(
        build_context(analyzed_store, pseudonymise=False).report["excerpts"]
    )


def test_archive_layout_and_fixed_timestamps(analyzed_store):
    ctx = build_context(analyzed_store, pseudonymise=False)
    archive = zipfile.ZipFile(io.BytesIO(qdpx.render(ctx)))
    names = archive.namelist()
    assert names[0] == "project.qde"
    sources = names[1:]
    assert len(sources) == len(ctx.transcripts) == 14
    assert all(re.fullmatch(r"sources/[0-9a-f-]{36}\.txt", n) for n in sources)
    assert {i.date_time for i in archive.infolist()} == {qdpx.ZIP_TIME}
    texts = {archive.read(n).decode("utf-8") for n in sources}
    assert texts == {t.text for t in ctx.transcripts}


def test_every_selection_covers_its_excerpt_words(analyzed_store):
    ctx = build_context(analyzed_store, pseudonymise=False)
    data = qdpx.render(ctx)
    texts = _source_texts(data)
    stored = _transcripts(analyzed_store)
    spanning = 0
    for e in ctx.report["excerpts"]:
        transcript = stored[e["id"].split(":")[0]]
        exported = texts[e["source"]][e["start"] : e["end"]]
        assert exported == transcript.text[e["start"] : e["end"]]
        assert transcript.speech_between(e["start"], e["end"]) == e["text"]
        if exported != e["text"]:  # crosses cues or lines: the same words, markup between
            spanning += 1
            words = e["text"].split()
            assert exported.startswith(words[0]) and exported.endswith(words[-1])
            at = 0
            for word in words:  # every word, in order, inside the selection
                at = exported.index(word, at) + len(word)
    assert spanning < len(ctx.report["excerpts"]) / 10


def test_positions_count_characters_after_non_ascii_text(analyzed_store):
    ctx = build_context(analyzed_store, pseudonymise=False)
    data = qdpx.render(ctx)
    texts = _source_texts(data)
    excerpts = {(e["source"], e["start"], e["end"]): e for e in ctx.report["excerpts"]}
    stored = _transcripts(analyzed_store)
    checked = 0
    for source, selections in _selections(data).items():
        text = texts[source]
        for start, end in selections:
            if text[:start].isascii():
                continue
            # counting UTF-8 bytes (or UTF-16 units past the BMP) would be off by now
            assert len(text[:start].encode("utf-8")) > start
            excerpt = excerpts[(source, start, end)]
            transcript = stored[excerpt["id"].split(":")[0]]
            assert transcript.speech_between(start, end) == excerpt["text"]
            if transcript.text[start:end] == excerpt["text"]:  # one span: the very words
                assert text[start:end] == excerpt["text"]
                checked += 1
    assert checked > 100  # Renée, Tomás and dashes come early in several transcripts
    hit = next(e for e in excerpts.values() if "Tomás has a baby" in e["text"])
    assert texts[hit["source"]][hit["start"] : hit["end"]] == hit["text"]
    assert not texts[hit["source"]][: hit["start"]].isascii()


def test_round_trip_gives_the_same_codings(analyzed_store):
    ctx = build_context(analyzed_store, pseudonymise=False)
    data = qdpx.render(ctx)
    project = read_qdpx(data, name="sample.qdpx")
    assert project.name == "sample"
    assert {s.name for s in project.sources} == {t.source for t in ctx.transcripts}
    for source in project.sources:
        assert source.text == next(t.text for t in ctx.transcripts if t.source == source.name)
    got = {(c.source, c.start, c.end, c.path) for c in project.codings}
    assert got == _expected_codings(ctx, project)
    roots = [c.path for c in project.codes if len(c.path) == 1]
    assert roots == [
        ("Needs",),
        ("Psychographics",),
        ("Triggers",),
        ("Objections",),
        ("Kinds",),
        ("Segments",),
    ]
    names = [c.name for c in project.codes]
    assert len(names) == len(set(names)), "code names must be unique across the code book"
    for t in ctx.report["themes"]:
        path = _codes_by_id(project)[t["id"]]
        assert path[0] == qdpx.LENS_ROOTS[t["lens"]]
        assert path[1] in (t["label"], f"{t['label']} ({t['id']})")
    case = next(c for c in project.cases if c.description.endswith(" P2"))
    person = next(p for p in ctx.report["participants"] if p["id"] == "P2")
    assert case.name == person["name"]
    assert case.variables == person["metadata"]
    live = [e for e in ctx.report["excerpts"] if e["participant"] == "P2"]
    assert len(case.selections) == len(live)


def test_rename_dismiss_and_determinism(analyzed_store):
    state = editing.current_state(analyzed_store).report
    needs = [t for t in state["themes"] if t["lens"] == "need"]
    renamed, dismissed = needs[0], needs[1]
    gone = next(e for e in state["excerpts"] if renamed["id"] in e["themes"])
    editing.rename_theme(analyzed_store, renamed["id"], "Approvals stuck with budget owners")
    editing.dismiss_theme(analyzed_store, dismissed["id"])
    editing.dismiss_excerpt(analyzed_store, gone["id"])

    ctx = build_context(analyzed_store, pseudonymise=False)
    data = qdpx.render(ctx)
    assert data == qdpx.render(build_context(analyzed_store, pseudonymise=False))
    project = read_qdpx(data)
    paths = _codes_by_id(project)
    assert paths[renamed["id"]] == ("Needs", "Approvals stuck with budget owners")
    assert renamed["label"] not in [c.name for c in project.codes]
    assert dismissed["id"] not in paths
    assert all(c.path != ("Needs", dismissed["label"]) for c in project.codings)
    renamed_codings = {
        (c.source, c.start) for c in project.codings if c.path == paths[renamed["id"]]
    }
    members = {
        (e["source"], e["start"])
        for e in ctx.report["excerpts"]
        if renamed["id"] in e["themes"] and not e["dismissed"]
    }
    assert renamed_codings == members and members
    assert (gone["source"], gone["start"]) not in {(c.source, c.start) for c in project.codings}
    assert gone["id"] not in zipfile.ZipFile(io.BytesIO(data)).read("project.qde").decode()
    assert {(c.source, c.start, c.end, c.path) for c in project.codings} == _expected_codings(
        ctx, project
    )


def test_pseudonymised_selections_land_on_the_pseudonymised_words(analyzed_store, monkeypatch):
    pseudo = Pseudonymiser({"Beatriz Ferreira": "Participant 1", "Tomás": "Colleague 1"})
    monkeypatch.setattr(context_module, "pseudonymiser_for", lambda store, *_keep: pseudo)
    plain = editing.current_state(analyzed_store).report
    ctx = build_context(analyzed_store, pseudonymise=True)
    assert ctx.pseudonymised
    data = qdpx.render(ctx)
    texts = _source_texts(data)
    name = next(e["source"] for e in ctx.report["excerpts"] if e["id"].startswith(_prefix(ctx)))
    text = texts[name]
    assert "Beatriz Ferreira" not in text and "Tomás" not in text
    assert "Participant 1:" in text and "Colleague 1" in text
    stored = _transcripts(analyzed_store)
    ferreira = [e for e in plain["excerpts"] if e["id"].startswith(_prefix(ctx))]
    moved = 0
    project = read_qdpx(data)
    starts = {(c.start, c.end) for c in project.codings if c.source == name}
    offsets = next(t.offsets for t in ctx.transcripts if t.sha256.startswith(_prefix(ctx)))
    for e in ferreira:
        original = stored[_prefix(ctx)].text[e["start"] : e["end"]]
        start, end = offsets.start(e["start"]), offsets.end(e["end"])
        assert text[start:end] == pseudo.apply(original)
        assert (start, end) in starts
        moved += start != e["start"]
    assert moved > len(ferreira) / 2  # labels before the turns shrank: offsets really moved
    tomas = [e for e in ferreira if "Tomás" in e["text"]]
    assert tomas
    for e in tomas:
        start, end = offsets.start(e["start"]), offsets.end(e["end"])
        assert text[start:end] == e["text"].replace("Tomás", "Colleague 1")


def _prefix(ctx) -> str:
    return next(t.sha256[:12] for t in ctx.transcripts if t.source == "interview_ferreira.txt")


# -- the reader's refusals ------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


MINIMAL = b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'


def test_reader_refuses_what_is_not_a_qdpx(tmp_path):
    with pytest.raises(IngestError, match=r"notes\.qdpx: is not a REFI-QDA project.*not a zip"):
        read_qdpx(b"just some text", name="notes.qdpx")
    path = tmp_path / "empty.qdpx"
    path.write_bytes(_zip({"readme.txt": b"hello"}))
    with pytest.raises(IngestError, match=r"empty\.qdpx: .*has no project\.qde"):
        read_qdpx(path)
    with pytest.raises(IngestError, match="not a REFI-QDA project"):
        read_qdpx(_zip({"project.qde": b"<Other/>"}))
    with pytest.raises(IngestError, match="not valid XML"):
        read_qdpx(_zip({"project.qde": b"<Project"}))
    assert read_qdpx(_zip({"project.qde": MINIMAL})).name == "x"


@pytest.mark.parametrize(
    "name", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/x.txt"]
)
def test_reader_refuses_path_traversal(name):
    data = _zip({"project.qde": MINIMAL, name: b"x"})
    with pytest.raises(IngestError, match="unsafe entry name.*path traversal"):
        read_qdpx(data, name="bad.qdpx")


def test_reader_refuses_a_zip_bomb():
    data = _zip({"project.qde": MINIMAL, "sources/a.txt": b"\0" * (8 * 1024 * 1024)})
    assert len(data) < 100_000
    with pytest.raises(
        IngestError, match=r"bomb\.qdpx: entry 'sources/a\.txt' expands \d+ times.*zip bomb"
    ):
        read_qdpx(data, name="bomb.qdpx")


def test_reader_does_not_expand_entities():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>'
    )
    with pytest.raises(IngestError, match="DOCTYPE"):
        read_qdpx(_zip({"project.qde": laughs}))


def test_reader_refuses_selections_outside_their_text():
    qde = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>'
        b'<Code guid="11111111-1111-4111-8111-111111111111" name="c" isCodable="true"/>'
        b"</Codes></CodeBook><Sources>"
        b'<TextSource guid="22222222-2222-4222-8222-222222222222" name="s" '
        b'plainTextPath="internal://22222222-2222-4222-8222-222222222222.txt">'
        b'<PlainTextSelection guid="33333333-3333-4333-8333-333333333333" startPosition="2" '
        b'endPosition="99"><Coding guid="44444444-4444-4444-8444-444444444444">'
        b'<CodeRef targetGUID="11111111-1111-4111-8111-111111111111"/></Coding>'
        b"</PlainTextSelection></TextSource></Sources></Project>"
    )
    data = _zip(
        {"project.qde": qde, "sources/22222222-2222-4222-8222-222222222222.txt": "héllo".encode()}
    )
    with pytest.raises(IngestError, match=r"source 's': selection 2-99 lies outside its text \(5"):
        read_qdpx(data, name="x.qdpx")
