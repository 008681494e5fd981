"""``python -m qualseg`` import, list, set-role, projects and analyze's argument errors."""

from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from qualseg.cli import main
from qualseg.store import Workspace
from tests.conftest import SAMPLE_DIR

SAMPLE_FILES = 14


@pytest.fixture(autouse=True)
def _no_workspace_env(monkeypatch):
    monkeypatch.delenv("QUALSEG_WORKSPACE", raising=False)


def run(capsys, workspace: Path, *args: str) -> tuple[int, str, str]:
    """Run the CLI and return exit code, stdout and stderr."""
    code = main(["--workspace", str(workspace), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, str, str]:
    """A workspace with the sample study imported as 'demo', and the import's output."""
    root = tmp_path_factory.mktemp("cli") / "ws"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--workspace", str(root), "import", str(SAMPLE_DIR), "--project", "demo"])
    assert code == 0, err.getvalue()
    return root, out.getvalue(), err.getvalue()


def test_import_of_the_sample_study(imported):
    root, out, err = imported
    assert f"{SAMPLE_FILES} imported, 0 failed into project 'demo'" in out
    assert len(re.findall(r"^\s+imported  ", out, flags=re.M)) == SAMPLE_FILES
    assert "participants.csv: 14 participant rows" in out
    assert "gold.json: not a transcript format" in err
    assert "matches no participant" not in err
    store = Workspace(root).open("demo")
    assert len(store.transcripts()) == SAMPLE_FILES
    assert len(store.participants()) == SAMPLE_FILES
    store.close()


def test_reimport_skips_everything_and_succeeds(imported, capsys, tmp_path):
    root, _, _ = imported
    copy = tmp_path / "ws"
    shutil.copytree(root, copy)
    code, out, _ = run(capsys, copy, "import", str(SAMPLE_DIR), "--project", "demo")
    assert code == 0
    assert "0 imported, 0 failed" in out
    assert len(re.findall(r"^\s+skipped  ", out, flags=re.M)) == SAMPLE_FILES


def test_list_prints_every_participant_with_role_and_words(imported, capsys):
    root, _, _ = imported
    code, out, _ = run(capsys, root, "list", "--project", "demo")
    assert code == 0
    store = Workspace(root).open("demo")
    lines = out.splitlines()
    for speaker in store.speakers():
        [line] = [
            ln
            for ln in lines
            if re.search(rf"\b{re.escape(speaker.display_name)}\b", ln)
            and re.search(rf"\b{speaker.word_count} words\b", ln)
        ]
        assert line.split()[0] == speaker.role, line
    for t in store.transcripts():
        assert f"{t.source}  [{t.format}, {t.encoding}]" in lines
    assert "Daniel Okafor (Participant)" in out  # a generic label shows the name it was given
    assert "industry=Healthcare" in out
    assert lines[-1] == f"{SAMPLE_FILES} transcripts, {SAMPLE_FILES} participants"
    store.close()


def test_list_of_an_empty_project(capsys, tmp_path):
    Workspace(tmp_path / "ws").open("empty", create=True).close()
    code, out, _ = run(capsys, tmp_path / "ws", "list", "--project", "empty")
    assert code == 0 and "has no transcripts yet" in out


def test_set_role_changes_the_stored_role(imported, capsys, tmp_path):
    root, _, _ = imported
    copy = tmp_path / "ws"
    shutil.copytree(root, copy)
    args = ("set-role", "--project", "demo", "--file", "session4.txt", "--speaker", "Interviewer")
    code, out, _ = run(capsys, copy, *args, "--role", "other")
    assert code == 0
    assert "session4.txt: Interviewer is now other" in out
    store = Workspace(copy).open("demo")
    stored = store.transcript_by_source("session4.txt")
    roles = {s.label: (s.role, s.role_set_by) for s in store.speakers(stored.id)}
    assert roles == {"Interviewer": ("other", "user"), "Participant": ("participant", "auto")}
    store.close()


def test_set_role_refuses_unknown_file_speaker_and_role(imported, capsys, tmp_path):
    root, _, _ = imported
    copy = tmp_path / "ws"
    shutil.copytree(root, copy)
    base = ("set-role", "--project", "demo")
    code, _, err = run(
        capsys, copy, *base, "--file", "nope.txt", "--speaker", "A", "--role", "other"
    )
    assert code == 2 and "no transcript 'nope.txt'" in err
    code, _, err = run(
        capsys, copy, *base, "--file", "session4.txt", "--speaker", "Ghost", "--role", "other"
    )
    assert code == 2 and "no speaker 'Ghost'" in err
    with pytest.raises(SystemExit) as info:
        main(["--workspace", str(copy), *base, "--file", "session4.txt", "--speaker", "Participant",
              "--role", "boss"])  # fmt: skip
    assert info.value.code == 2
    assert "invalid choice: 'boss'" in capsys.readouterr().err


def test_projects_lists_the_workspace(imported, capsys, tmp_path):
    root, _, _ = imported
    code, out, _ = run(capsys, root, "projects")
    assert code == 0 and out.split() == ["demo"]
    code, out, _ = run(capsys, tmp_path / "empty-ws", "projects")
    assert code == 0 and "no projects yet" in out


def test_workspace_comes_from_the_environment(imported, capsys, monkeypatch):
    root, _, _ = imported
    monkeypatch.setenv("QUALSEG_WORKSPACE", str(root))
    assert main(["projects"]) == 0
    assert capsys.readouterr().out.split() == ["demo"]


def test_import_with_a_bad_file_returns_1_and_imports_the_rest(capsys, tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    for name in ("interview_bluepeak.txt", "zoom_0316.vtt", "transcript_ridgeline.csv"):
        shutil.copy(SAMPLE_DIR / name, folder / name)
    (folder / "broken.docx").write_bytes(b"this is not a zip file at all")
    code, out, err = run(capsys, tmp_path / "ws", "import", str(folder), "--project", "p")
    assert code == 1
    assert "3 imported, 1 failed" in out
    [failure] = [ln for ln in err.splitlines() if "failed" in ln]
    assert "broken.docx" in failure
    store = Workspace(tmp_path / "ws").open("p")
    assert sorted(t.source for t in store.transcripts()) == [
        "interview_bluepeak.txt",
        "transcript_ridgeline.csv",
        "zoom_0316.vtt",
    ]
    store.close()


def test_import_of_a_folder_without_transcripts(capsys, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "README.md").write_text("hi")
    code, _, err = run(capsys, tmp_path / "ws", "import", str(tmp_path / "notes"), "--project", "p")
    assert code == 2 and "no transcript files found" in err
    assert not Workspace(tmp_path / "ws").exists("p")


def test_import_refuses_a_bad_project_name(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "ws", "import", str(SAMPLE_DIR), "--project", "../up")
    assert code == 2
    assert "project name '../up' is not allowed" in err
    assert not (tmp_path / "up").exists()


def test_import_of_a_missing_folder(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "ws", "import", str(tmp_path / "nope"), "--project", "p")
    assert code == 2 and "is not a folder" in err


def test_analyze_without_arguments_explains_what_to_give(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "ws", "analyze")
    assert code == 2
    assert "give INPUT_DIR --out OUT_DIR, or --project NAME" in err


def test_analyze_with_folder_but_no_out_explains_what_to_give(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "ws", "analyze", str(SAMPLE_DIR))
    assert code == 2 and "--out" in err
    assert not (tmp_path / "ws").exists()


def test_analyze_of_an_unknown_project(imported, capsys):
    root, _, _ = imported
    code, out, err = run(capsys, root, "analyze", "--project", "nope")
    assert code == 2
    assert "no project named 'nope'" in err and "demo" in err
    assert out == ""


def test_analyze_refuses_folder_and_project_together(imported, capsys, tmp_path):
    root, _, _ = imported
    code, _, err = run(
        capsys, root, "analyze", str(SAMPLE_DIR), "--project", "demo", "--out", str(tmp_path)
    )
    assert code == 2 and "not both" in err


def test_analyze_out_scratch_project_is_rebuilt_when_an_input_changed(tmp_path):
    """Editing a transcript between two `analyze DIR --out OUT` runs must not be refused."""
    import numpy as np

    from qualseg.importing import import_files
    from qualseg.usecases.folder_analysis import _scratch_project

    original = (SAMPLE_DIR / "interview_bluepeak.txt").read_bytes()
    folder = tmp_path / ".qualseg-project"
    store = _scratch_project(folder, [("a.txt", original)])
    assert not import_files(store, [("a.txt", original)]).failed
    store.put_embeddings("m", {"h": np.ones(3, dtype=np.float32)})
    assert _scratch_project(folder, [("a.txt", original)]).transcripts()  # unchanged: reused
    edited = original.replace(b"Biscuit", b"Pickles")
    fresh = _scratch_project(folder, [("a.txt", edited)])
    assert fresh.transcripts() == []
    assert not import_files(fresh, [("a.txt", edited)]).failed
    assert set(fresh.get_embeddings("m", ["h"])) == {"h"}  # the cache survived
