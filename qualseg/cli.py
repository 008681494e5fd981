"""Command-line interface: import, list, set-role, analyze, themes, export, delete, privacy,
projects."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from qualseg import cli_privacy, service
from qualseg.atomic import write_atomically
from qualseg.cluster import GRANULARITY
from qualseg.config import AnalysisConfig
from qualseg.errors import QualsegError
from qualseg.models import ROLES
from qualseg.service import FORMATS, ImportReport, Workspace


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m qualseg",
        description="Find needs-based segments in customer interviews.",
    )
    parser.add_argument(
        "--workspace",
        help="folder holding the projects (default: interviews/ or $QUALSEG_WORKSPACE)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="import a folder of transcripts into a project")
    p.add_argument("directory", type=Path)
    p.add_argument("--project", required=True)
    p.add_argument(
        "--interviewer",
        action="append",
        default=[],
        metavar="SPEAKER",
        help="speaker label that is an interviewer wherever it appears (repeatable)",
    )
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("list", help="list a project's transcripts, participants, roles, words")
    p.add_argument("--project", required=True)
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("set-role", help="correct the role of one speaker in one transcript")
    p.add_argument("--project", required=True)
    p.add_argument("--file", required=True, help="the transcript's file name")
    p.add_argument("--speaker", required=True, help="the speaker label as written in the file")
    p.add_argument("--role", required=True, choices=ROLES)
    p.set_defaults(run=cmd_set_role)

    p = sub.add_parser(
        "analyze",
        help="analyze a folder of transcripts (--out) or an imported project (--project)",
    )
    p.add_argument("directory", type=Path, nargs="?", help="folder of transcripts")
    p.add_argument("--out", type=Path, help="where report.json, report.md, quotes.csv go")
    p.add_argument("--project", help="analyze this imported project in place")
    p.add_argument("--seed", type=int, default=AnalysisConfig.seed)
    p.add_argument("--granularity", choices=sorted(GRANULARITY), default="medium")
    p.add_argument(
        "--lens-clustering",
        choices=("density", "partition"),
        default=AnalysisConfig.lens_clustering,
        help="partition (default): every excerpt in a theme unless it fits none; "
        "density: dense cores only, excerpts far from every theme unassigned, fewer themes",
    )
    p.add_argument("--model", default=AnalysisConfig.model, help="sentence-transformers model")
    p.add_argument(
        "--strict",
        action="store_true",
        help="stop with exit code 2 at the first file that cannot be read "
        "(default: list unreadable files and analyze the rest)",
    )
    p.set_defaults(run=cmd_analyze)

    p = sub.add_parser("themes", help="find themes in a CSV column of customer statements")
    p.add_argument("file", type=Path)
    p.add_argument("--text-column", required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=AnalysisConfig.seed)
    p.add_argument(
        "--granularity",
        choices=sorted(GRANULARITY),
        default="fine",
        help="the most themes: 2, 1 or 0.5 times the square root of the number of statements "
        "(fine, the default; medium; coarse); the number is chosen by silhouette",
    )
    p.set_defaults(run=cmd_themes)

    p = sub.add_parser(
        "export",
        help="write a deliverable built from a project's current state (edits included)",
        description="Formats: "
        + "; ".join(f"{key}: {spec.label}" for key, spec in FORMATS.items())
        + ". Names are pseudonymised unless the project switched it off or --real-names.",
    )
    p.add_argument("--project", required=True)
    p.add_argument("--format", required=True, choices=list(FORMATS), dest="fmt")
    p.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="a file, or an existing folder (the default file name is written into it)",
    )
    p.add_argument(
        "--real-names",
        action="store_true",
        help="do not pseudonymise (default: follow the project, on unless switched off)",
    )
    p.add_argument("--product", help="what the offer is called (positioning statement)")
    p.add_argument("--category", help="what kind of thing the offer is (positioning statement)")
    p.set_defaults(run=cmd_export)

    cli_privacy.add_parsers(sub)

    p = sub.add_parser("projects", help="list the projects in the workspace")
    p.set_defaults(run=cmd_projects)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except QualsegError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def cmd_import(args: argparse.Namespace) -> int:
    store, report, ignored = service.import_folder(
        Workspace(args.workspace), args.project, args.directory, interviewers=args.interviewer
    )
    for r in report.results:
        stream = sys.stderr if r.status == "failed" else sys.stdout
        print(f"{r.status:>9}  {r.source}: {r.message}", file=stream)
        for warning in r.warnings:
            print(f"{'warning':>9}  {warning}", file=sys.stderr)
    for name in ignored:
        print(f"{'ignored':>9}  {name}: not a transcript format", file=sys.stderr)
    for name in report.unmatched_metadata:
        print(
            f"{'warning':>9}  participants.csv row {name!r} matches no participant", file=sys.stderr
        )
    print(
        f"{len(report.imported)} imported, {len(report.failed)} failed "
        f"into project {store.name!r} ({store.folder})"
    )
    return 1 if report.failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    store = Workspace(args.workspace).open(args.project)
    transcripts = store.transcripts()
    if not transcripts:
        print(f"project {store.name!r} has no transcripts yet: run 'python -m qualseg import DIR'")
        return 0
    speakers = store.speakers()
    for t in transcripts:
        print(f"{t.source}  [{t.format}, {t.encoding}]")
        for s in (s for s in speakers if s.transcript_id == t.id):
            name = s.display_name if s.display_name == s.label else f"{s.display_name} ({s.label})"
            meta = ", ".join(f"{k}={v}" for k, v in s.metadata.items() if v)
            print(
                f"    {s.role:<11} P{s.id:<4} {name:<32} {s.word_count:>6} words"
                f"  {s.role_reason}" + (f"  [{meta}]" if meta else "")
            )
    print(f"{len(transcripts)} transcripts, {len(store.participants())} participants")
    return 0


def cmd_set_role(args: argparse.Namespace) -> int:
    store = Workspace(args.workspace).open(args.project)
    service.set_speaker_role(store, args.file, args.speaker, args.role)
    print(f"{args.file}: {args.speaker} is now {args.role}")
    return 0


def cmd_projects(args: argparse.Namespace) -> int:
    workspace = Workspace(args.workspace)
    names = workspace.projects()
    print("\n".join(names) if names else f"no projects yet in {workspace.root}")
    return 0


def _progress(stage: str, fraction: float) -> None:
    print(f"  {stage:<11} {fraction:>4.0%}", file=sys.stderr, flush=True)


def cmd_analyze(args: argparse.Namespace) -> int:
    config = AnalysisConfig(
        seed=args.seed,
        granularity=args.granularity,
        model=args.model,
        lens_clustering=args.lens_clustering,
    )
    if args.project:
        if args.directory:
            print("error: give a folder with --out, or --project, not both", file=sys.stderr)
            return 2
        store = Workspace(args.workspace).open(args.project)
        only = None
        out = args.out or store.folder / "report"
    elif args.directory and args.out:
        folder = service.import_folder_for_report(args.directory, args.out)
        store, report = folder.store, folder.report
        if report.failed and args.strict:
            print(f"error: {report.failed[0].text} (--strict: nothing analyzed)", file=sys.stderr)
            return 2
        _print_import_summary(report, folder.ignored)
        if not report.imported and not any(r.status == "skipped" for r in report.results):
            print(f"error: {args.directory}: no readable transcript to analyze", file=sys.stderr)
            return 2
        only = folder.only_sha256
        out = args.out
        print(
            f"note: {out} holds this study's project and working report with real names; "
            "use 'export' for files you hand to others",
            file=sys.stderr,
        )
    else:
        print("error: give INPUT_DIR --out OUT_DIR, or --project NAME", file=sys.stderr)
        return 2
    print(f"analyzing {store.name} (seed {config.seed})", file=sys.stderr)
    written = service.analyze_into_folder(
        store, config, out, only_sha256=only, progress=_progress, scratch=not args.project
    )
    if written.pseudonymised:
        print("names pseudonymised (the project's setting; see 'privacy')", file=sys.stderr)
    report = written.report
    print(
        f"run {written.run_id}: {len(report['participants'])} participants, "
        f"{len(report['themes'])} themes, {len(report['segments'])} segments -> {out}"
    )
    return 0


def _print_import_summary(report: ImportReport, ignored: list[str]) -> None:
    """On stderr: each unreadable file with its reason, the ignored files, and the counts."""
    for r in report.failed:
        print(f"{'unreadable':>10}  {r.text}", file=sys.stderr)
    for warning in report.warnings:
        print(f"{'warning':>10}  {warning}", file=sys.stderr)
    if ignored:
        print(f"{'ignored':>10}  {', '.join(ignored)} (not transcripts)", file=sys.stderr)
    read = sum(r.status in ("imported", "skipped") for r in report.results)
    transcripts = sum(r.status != "metadata" for r in report.results)
    left_out = f"; {len(report.failed)} left out" if report.failed else ""
    print(f"{read} of {transcripts} transcript files read{left_out}", file=sys.stderr)


def cmd_themes(args: argparse.Namespace) -> int:
    from qualseg.embed import default_embedder
    from qualseg.statements import (
        assignments_csv,
        discover_statement_themes,
        read_statements,
        themes_json,
    )

    if not args.file.is_file():
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return 2
    rows, statements = read_statements(args.file.name, args.file.read_bytes(), args.text_column)
    print(f"{len(statements)} statements; embedding and clustering", file=sys.stderr)
    config = AnalysisConfig(seed=args.seed, granularity=args.granularity)
    result = discover_statement_themes(rows, statements, default_embedder(config.model), config)
    args.out.mkdir(parents=True, exist_ok=True)
    unassigned = sum(1 for t in result.assignment if t == -1)
    document = themes_json(result, args.file.name, args.text_column, json.loads(config.to_json()))
    write_atomically(args.out / "themes.json", document.encode())
    write_atomically(args.out / "assignments.csv", assignments_csv(result).encode())
    print(f"{len(result.themes)} themes, {unassigned} unassigned -> {args.out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    store = Workspace(args.workspace).open(args.project)
    target = export_target(args.out, service.default_file_name(store.name, args.fmt))
    if target is None:
        folder = args.out if args.out.endswith(("/", os.sep)) else str(Path(args.out).parent)
        print(f"error: {args.out}: folder {folder} does not exist", file=sys.stderr)
        return 2
    pseudonymise = False if args.real_names else None
    data = service.export(
        store, args.fmt, pseudonymise=pseudonymise, product=args.product, category=args.category
    )
    try:
        write_atomically(target, data)
    except OSError as err:
        print(f"error: {target}: cannot write ({err.strerror or err})", file=sys.stderr)
        return 2
    pseudonymised = not args.real_names and service.pseudonymisation_enabled(store)
    names = "names pseudonymised" if pseudonymised else "real names"
    print(f"wrote {target} ({human_size(len(data))}, {FORMATS[args.fmt].label}; {names})")
    return 0


def export_target(out: str, default_name: str) -> Path | None:
    """The file to write: ``out`` itself, or ``default_name`` inside ``out`` when it is a
    folder; None when the folder to write into does not exist (``out`` ending in a slash names
    a folder)."""
    path = Path(out).expanduser()
    if path.is_dir():
        return path / default_name
    if out.endswith(("/", os.sep)):
        return None
    return path if path.parent.is_dir() else None


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
