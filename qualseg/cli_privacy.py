"""Command-line privacy commands: ``delete`` (erasure for real) and ``privacy`` (the review list
of pseudonyms and the project's on/off switch). Registered by :mod:`qualseg.cli`."""

from __future__ import annotations

import argparse
import sys

from qualseg import service
from qualseg.errors import ProjectError
from qualseg.service import CATEGORIES, Workspace


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``delete`` and ``privacy`` to the CLI's subcommands."""
    p = sub.add_parser(
        "delete",
        help="delete a transcript or one participant for good (text, excerpts, caches, original)",
    )
    p.add_argument("--project", required=True)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--file", help="the transcript's file name")
    what.add_argument("--participant", help="the participant id shown by 'list' (P12 or 12)")
    p.set_defaults(run=cmd_delete)

    p = sub.add_parser(
        "privacy",
        help="pseudonymisation: list, confirm, reject or add replacements; switch it on or off",
    )
    p.add_argument("--project", required=True)
    p.add_argument("--detect", action="store_true", help="detect identifiers again")
    p.add_argument("--confirm", nargs="+", type=int, metavar="ID", default=[])
    p.add_argument("--confirm-all", action="store_true", help="confirm every suggestion")
    p.add_argument("--reject", nargs="+", type=int, metavar="ID", default=[])
    p.add_argument("--add", metavar="TERM", help="a word or name of your own to replace")
    p.add_argument(
        "--not-personal",
        nargs="+",
        metavar="TERM",
        default=[],
        help="keep these terms as written (product, competitor or tool names), now and in "
        "later detections",
    )
    p.add_argument("--category", choices=CATEGORIES, default="person", help="for --add")
    switch = p.add_mutually_exclusive_group()
    switch.add_argument("--on", action="store_true", help="pseudonymise (the default)")
    switch.add_argument("--off", action="store_true", help="stop pseudonymising")
    p.set_defaults(run=cmd_privacy)


def _participant_id(text: str) -> int:
    digits = text.strip().removeprefix("P").removeprefix("p")
    if not digits.isdigit():
        raise ProjectError(f"participant id {text!r} is not like P12 or 12 (see 'list')")
    return int(digits)


def cmd_delete(args: argparse.Namespace) -> int:
    store = Workspace(args.workspace).open(args.project)
    if args.file:
        report = service.delete_transcript(store, args.file)
    else:
        report = service.delete_participant(store, _participant_id(args.participant))
    print(report.summary())
    return 1 if report.leftovers else 0


def cmd_privacy(args: argparse.Namespace) -> int:
    store = Workspace(args.workspace).open(args.project)
    if args.on or args.off:
        service.set_pseudonymisation(store, bool(args.on))
    if args.detect:
        found = service.detect_identifiers(store)
        print(f"detected {found.total} identifiers ({found.new} new)", file=sys.stderr)
    else:
        service.ensure_identifiers_detected(store)
    if args.confirm_all:
        rows = service.redactions(store)
        service.confirm_redactions(store, [r.id for r in rows if r.status == "suggested"])
    if args.confirm:
        service.confirm_redactions(store, args.confirm)
    if args.reject:
        service.reject_redactions(store, args.reject)
    for term in args.not_personal:
        service.mark_not_personal(store, term)
    if args.add:
        row = service.add_redaction(store, args.add, args.category)
        print(f"added {row.surface!r} -> {row.pseudonym}", file=sys.stderr)
    state = "on" if service.pseudonymisation_enabled(store) else "off"
    rows = service.redactions(store)
    print(f"pseudonymisation is {state} for project {store.name!r}; {len(rows)} entries")
    kept = service.not_personal_terms(store)
    if kept:
        print("not personal (kept as written): " + ", ".join(repr(t) for t in kept))
    for r in rows:
        print(
            f"{r.id:>5}  {r.status:<9} {r.category:<12} {r.surface!r} -> {r.pseudonym}  ({r.count}x)"
        )
    return 0
