"""The CLI's privacy commands: the review list and the switch, and deletion for real."""

from __future__ import annotations

from pathlib import Path

from qualseg import cli
from qualseg.privacy import review
from qualseg.store import Workspace


def _run(root: Path, *argv: str) -> int:
    return cli.main(["--workspace", str(root), *argv])


def test_privacy_lists_switches_and_adds(analyzed_store, capsys):
    root = analyzed_store.folder.parent
    assert _run(root, "privacy", "--project", "sample") == 0
    out = capsys.readouterr().out
    assert "pseudonymisation is on" in out
    assert "Participant" in out

    assert _run(root, "privacy", "--project", "sample", "--off", "--add", "Big Bertha") == 0
    store = Workspace(root).open("sample")
    assert not review.is_enabled(store)
    added = [r for r in review.list_redactions(store) if r.surface == "Big Bertha"]
    assert added and added[0].status == "added"


def test_privacy_reject_by_id(analyzed_store, capsys):
    root = analyzed_store.folder.parent
    review.ensure_detected(analyzed_store)
    row = next(r for r in review.list_redactions(analyzed_store) if r.status == "suggested")
    assert _run(root, "privacy", "--project", "sample", "--reject", str(row.id)) == 0
    store = Workspace(root).open("sample")
    assert next(r for r in review.list_redactions(store) if r.id == row.id).status == "rejected"


def test_privacy_not_personal_terms_are_kept_and_listed(analyzed_store, capsys):
    root = analyzed_store.folder.parent
    review.ensure_detected(analyzed_store)
    row = next(
        r
        for r in review.list_redactions(analyzed_store)
        if r.status == "suggested" and r.category == "company"
    )
    argv = ("privacy", "--project", "sample", "--not-personal", row.surface, "Ledgerly")
    assert _run(root, *argv) == 0
    assert f"not personal (kept as written): {row.surface!r}, 'Ledgerly'" in capsys.readouterr().out
    store = Workspace(root).open("sample")
    assert next(r for r in review.list_redactions(store) if r.id == row.id).status == "rejected"


def test_delete_transcript_and_bad_participant(analyzed_store, capsys):
    root = analyzed_store.folder.parent
    source = analyzed_store.transcripts()[0].source
    assert _run(root, "delete", "--project", "sample", "--file", source) == 0
    assert "for good" in capsys.readouterr().out
    assert Workspace(root).open("sample").transcript_by_source(source) is None

    assert _run(root, "delete", "--project", "sample", "--participant", "Pxyz") == 2
    assert "not like P12" in capsys.readouterr().err


def test_analyze_writes_pseudonymised_reports_outside_the_project(
    analyzed_store, tmp_path, monkeypatch, capsys
):
    from qualseg import running
    from qualseg.embed import HashingEmbedder

    monkeypatch.setattr(running, "default_embedder", lambda model: HashingEmbedder())
    root = analyzed_store.folder.parent
    names = [s.display_name for s in analyzed_store.participants()]
    outside = tmp_path / "handout"
    assert _run(root, "analyze", "--project", "sample", "--out", str(outside)) == 0
    written = "".join((outside / n).read_text("utf-8") for n in ("report.json", "report.md"))
    assert "Participant" in written and not [n for n in names if n in written]

    inside = analyzed_store.folder / "report"
    assert _run(root, "analyze", "--project", "sample") == 0
    assert any(n in (inside / "report.json").read_text("utf-8") for n in names)
