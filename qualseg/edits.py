"""Researchers' edits applied on top of an analysis result.

Edits are logged (append-only) with the theme's members at the time of the edit, so that they
still apply after a re-run: a theme is found again by its id when its members mostly agree, or by
the theme of the same lens whose members overlap most (Jaccard >= 0.5). An edit that finds no
theme is kept in the log and reported as not applied, never dropped silently.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from qualseg.edit_commands import WHOLE, Touch, command_of
from qualseg.edit_targets import EditNotApplicable, find_theme
from qualseg.report import quote_of
from qualseg.report_types import Report, ReportExcerpt, ReportTheme
from qualseg.segments import segment_name

ASSIGNMENT_RULE = (
    "Who joins a segment you built or edited: everyone who voices its defining themes (its "
    "needs themes, or its psychographic themes when it has none). Someone who voices the themes "
    "of several such segments joins the one whose themes hold most of their excerpts. Everyone "
    "else stays in their suggested segment."
)


@dataclass
class EditOutcome:
    """Which logged edits applied to the current result and which could not."""

    applied: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def signature(report: Report, theme_id: str) -> list[str]:
    """The excerpt keys of a theme: how an edit remembers which theme it meant."""
    return sorted(find_theme(report, theme_id)["excerpts"])


def apply_edits(
    report: Report, edits: list, *, in_place: bool = False
) -> tuple[Report, EditOutcome]:
    """A copy of ``report`` with every edit (EditRecord-like: id, kind, payload) applied.
    ``in_place``: change ``report`` itself instead (for a report the caller has just parsed and
    no one else holds: a deep copy of a whole study costs more than applying the edits)."""
    state = report if in_place else copy.deepcopy(report)
    state.setdefault("pins", [])
    for t in state["themes"]:
        t.setdefault("dismissed", False)
    for e in state["excerpts"]:
        e.setdefault("dismissed", False)
    outcome = EditOutcome()
    for edit in edits:
        command = command_of(edit.kind, edit.payload)
        try:
            if command is None:
                raise EditNotApplicable(f"unknown edit {edit.kind!r}")
            command.apply(state)
            outcome.applied.append(edit.id)
        except EditNotApplicable as err:
            outcome.skipped.append((edit.id, str(err)))
    _refresh(state)
    return state, outcome


# -- the log, command by command (qualseg.edit_commands) -----------------------------------------


def touches(kind: str, payload: dict[str, Any]) -> set[Touch]:
    """The parts of themes, excerpts and segments an edit changes, as (type, id, aspect);
    aspect ``*`` is the whole object (merge, split, dismiss, create, delete)."""
    edit = command_of(kind, payload)
    return edit.touches() if edit is not None else {("edit", kind, WHOLE)}


def overlaps(mine: set[Touch], theirs: set[Touch]) -> bool:
    """Whether two edits change the same part of the same object."""
    return any(
        a[:2] == b[:2] and (a[2] == b[2] or WHOLE in (a[2], b[2])) for a in mine for b in theirs
    )


def describe(kind: str, payload: dict[str, Any]) -> str:
    """An edit in plain words, naming the objects it changed."""
    edit = command_of(kind, payload)
    return edit.describe() if edit is not None else kind.replace("_", " ")


# -- derived fields -------------------------------------------------------------------------------


def _refresh(state: Report) -> None:
    """Recompute what follows from membership: excerpt themes, theme participants, segments."""
    dismissed = {e["id"] for e in state["excerpts"] if e["dismissed"]}
    by_key = {e["id"]: e for e in state["excerpts"]}
    for t in state["themes"]:
        t["excerpts"] = [k for k in t["excerpts"] if k not in dismissed and k in by_key]
        t["quotes"] = [q for q in t["quotes"] if q["excerpt"] not in dismissed][:5]
        t["participants"] = sorted({by_key[k]["participant"] for k in t["excerpts"]})
    live = [t for t in state["themes"] if not t["dismissed"]]
    themes_of: dict[str, list[str]] = {}
    for t in live:
        for key in dict.fromkeys(t["excerpts"]):
            themes_of.setdefault(key, []).append(t["id"])
    for e in state["excerpts"]:
        e["themes"] = themes_of.get(e["id"], [])
    _assign_built_segments(state, live, by_key)
    _name_segments(state, live)


def _name_segments(state: Report, live: list[ReportTheme]) -> None:
    """A segment the researcher has not named is named by its defining needs themes as they are
    now (after renames, merges and splits), so a merged-away theme never names a segment."""
    label_of = {t["id"]: t["label"] for t in live}
    for s in state["segments"]:
        if s.get("auto_label"):
            s["label"] = segment_name([label_of[t] for t in s["themes"] if t in label_of], s["id"])


def _assign_built_segments(
    state: Report, live: list[ReportTheme], by_key: dict[str, ReportExcerpt]
) -> None:
    """Who is in which segment once the researcher built or edited some (ASSIGNMENT_RULE).

    A participant who voices a built segment's defining themes (its needs themes; its
    psychographic themes when it has no needs theme) joins the built segment whose themes hold
    most of their excerpts; everyone else keeps their suggested segment, if it is still there.
    Each built segment records who voices its themes (``voiced_by``), so a segment left with no
    member can say why instead of showing an empty profile.
    """
    built = [s for s in state["segments"] if s.get("built")]
    members_of = {t["id"]: t["excerpts"] for t in live}
    counts: dict[str, dict[str, int]] = {}
    for s in built:
        voices: set[str] = set()
        for tid in s["themes"] or s["psychographics"]:
            for key in members_of.get(tid, []):
                person = by_key[key]["participant"]
                voices.add(person)
                counts.setdefault(person, {}).setdefault(s["id"], 0)
                counts[person][s["id"]] += 1
        s["voiced_by"] = sorted(voices)
    claimed = {
        person: max(mine, key=lambda sid: (mine[sid], sid)) for person, mine in counts.items()
    }
    for s in state["segments"]:
        if s.get("built"):
            s["participants"] = sorted(p for p, sid in claimed.items() if sid == s["id"])
            s["quotes"] = [
                quote_of(by_key[k])
                for tid in s["themes"][:3]
                for k in members_of.get(tid, [])
                if by_key[k]["participant"] in s["participants"]
            ][:6]
        else:
            s["participants"] = [p for p in s["participants"] if p not in claimed]
            kept = set(s["participants"])
            s["quotes"] = [q for q in s["quotes"] if q.get("participant") in kept]
    segment_of = {p: s["id"] for s in state["segments"] for p in s["participants"]}
    for p in state["participants"]:
        p["segment"] = segment_of.get(p["id"])
        if p["id"] in claimed or p["segment"] is None:
            p["segment_strength"] = None  # resampling measured the suggestion, not these
