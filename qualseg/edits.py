"""Researchers' edits applied on top of an analysis result.

Edits are logged (append-only) with the theme's members at the time of the edit, so that they
still apply after a re-run: a theme is found again by its id when its members mostly agree, or by
the theme of the same lens whose members overlap most (Jaccard >= 0.5). An edit that finds no
theme is kept in the log and reported as not applied, never dropped silently.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from qualseg.report import quote_of
from qualseg.report_types import Report
from qualseg.segments import segment_name

MATCH_JACCARD = 0.5
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
    return sorted(_theme(report, theme_id)["excerpts"])


def apply_edits(report: Report, edits: list) -> tuple[dict, EditOutcome]:
    """A copy of ``report`` with every edit (EditRecord-like: id, kind, payload) applied."""
    state = copy.deepcopy(report)
    state.setdefault("pins", [])
    for t in state["themes"]:
        t.setdefault("dismissed", False)
    for e in state["excerpts"]:
        e.setdefault("dismissed", False)
    outcome = EditOutcome()
    for edit in edits:
        handler = HANDLERS.get(edit.kind)
        try:
            if handler is None:
                raise EditNotApplicable(f"unknown edit {edit.kind!r}")
            handler(state, edit.payload)
            outcome.applied.append(edit.id)
        except EditNotApplicable as err:
            outcome.skipped.append((edit.id, str(err)))
    _refresh(state)
    return state, outcome


class EditNotApplicable(Exception):
    """The edit's theme, excerpt or segment is not in this result."""


# -- resolving ------------------------------------------------------------------------------------


def _theme(state: dict, theme_id: str) -> dict:
    for t in state["themes"]:
        if t["id"] == theme_id:
            return t
    raise EditNotApplicable(f"no theme {theme_id}")


def resolve_theme(state: dict, ref: dict) -> dict:
    """The theme an edit meant: same id with agreeing members, else the best-overlapping theme."""
    members = set(ref.get("signature", []))

    def jaccard(t: dict) -> float:
        other = set(t["excerpts"])
        return len(members & other) / len(members | other) if members | other else 1.0

    same = [t for t in state["themes"] if t["id"] == ref["id"]]
    if same and (not members or jaccard(same[0]) >= MATCH_JACCARD):
        return same[0]
    candidates = [t for t in state["themes"] if t["lens"] == ref.get("lens", t["lens"])]
    best = max(candidates, key=jaccard, default=None)
    if best is not None and members and jaccard(best) >= MATCH_JACCARD:
        return best
    raise EditNotApplicable(f"theme {ref['id']} is not in this result any more")


def _excerpt(state: dict, key: str) -> dict:
    for e in state["excerpts"]:
        if e["id"] == key:
            return e
    raise EditNotApplicable(f"excerpt {key} is not in this result")


def _segment(state: dict, segment_id: str) -> dict:
    for s in state["segments"]:
        if s["id"] == segment_id:
            return s
    raise EditNotApplicable(f"no segment {segment_id}")


# -- handlers -------------------------------------------------------------------------------------


def _rename_theme(state: dict, p: dict) -> None:
    resolve_theme(state, p["theme"])["label"] = p["label"]


def _merge_themes(state: dict, p: dict) -> None:
    themes = [resolve_theme(state, ref) for ref in p["themes"]]
    keep, rest = themes[0], [t for t in themes[1:] if t is not themes[0]]
    for t in rest:
        if t["lens"] != keep["lens"]:
            raise EditNotApplicable("themes of different lenses cannot be merged")
    for t in rest:
        keep["excerpts"] = keep["excerpts"] + [
            k for k in t["excerpts"] if k not in keep["excerpts"]
        ]
        keep["quotes"] = keep["quotes"] + t["quotes"]
        keep["keyphrases"] = list(dict.fromkeys(keep["keyphrases"] + t["keyphrases"]))
        state["themes"].remove(t)
        for s in state["segments"]:
            for field_name in ("themes", "psychographics", "triggers", "objections"):
                s[field_name] = list(
                    dict.fromkeys(keep["id"] if x == t["id"] else x for x in s[field_name])
                )
    if p.get("label"):
        keep["label"] = p["label"]


def _split_theme(state: dict, p: dict) -> None:
    theme = resolve_theme(state, p["theme"])
    members = set(theme["excerpts"])
    moved = [k for k in p["moved"] if k in members]
    if not moved or len(moved) == len(members):
        raise EditNotApplicable("the split no longer divides this theme")
    theme["excerpts"] = [k for k in theme["excerpts"] if k not in set(moved)]
    theme["quotes"] = [q for q in theme["quotes"] if q["excerpt"] not in set(moved)]
    new_id = _fresh_id(state, theme["id"])
    by_key = {e["id"]: e for e in state["excerpts"]}
    state["themes"].append(
        {
            "id": new_id,
            "lens": theme["lens"],
            "label": p.get("label") or f"{theme['label']} (split)",
            "keyphrases": p.get("keyphrases", []),
            "participants": [],
            "excerpts": moved,
            "quotes": [quote_of(by_key[k]) for k in moved[:5]],
            "dismissed": False,
        }
    )
    if p.get("kept_label"):
        theme["label"] = p["kept_label"]


def _move_excerpt(state: dict, p: dict) -> None:
    excerpt = _excerpt(state, p["excerpt"])
    target = resolve_theme(state, p["to"]) if p.get("to") else None
    lens = target["lens"] if target else p.get("lens")
    for t in state["themes"]:
        if t["lens"] == lens and p["excerpt"] in t["excerpts"] and t is not target:
            t["excerpts"] = [k for k in t["excerpts"] if k != p["excerpt"]]
            t["quotes"] = [q for q in t["quotes"] if q["excerpt"] != p["excerpt"]]
    if target is not None and p["excerpt"] not in target["excerpts"]:
        target["excerpts"].append(p["excerpt"])
        if len(target["quotes"]) < 5:
            target["quotes"].append(quote_of(excerpt))


def _dismiss_excerpt(state: dict, p: dict) -> None:
    _excerpt(state, p["excerpt"])["dismissed"] = True


def _dismiss_theme(state: dict, p: dict) -> None:
    resolve_theme(state, p["theme"])["dismissed"] = True


def _create_segment(state: dict, p: dict) -> None:
    """A new segment, with the themes that define it when the edit names them (one edit, so a
    segment is never logged without its themes)."""
    if any(s["id"] == p["id"] for s in state["segments"]):
        raise EditNotApplicable(f"segment {p['id']} exists already")
    state["segments"].append(
        {
            "id": p["id"],
            "label": p["label"],
            "participants": [],
            "themes": [],
            "psychographics": [],
            "triggers": [],
            "objections": [],
            "quotes": [],
            "measures": {},
            "built": True,
            "auto_label": p["label"] == p["id"],
        }
    )
    if p.get("themes"):
        _add_themes_to_segment(state, {"segment": p["id"], "themes": p["themes"]})


def _add_themes_to_segment(state: dict, p: dict) -> None:
    segment = _segment(state, p["segment"])
    field_of = {
        "need": "themes",
        "psychographic": "psychographics",
        "trigger": "triggers",
        "objection": "objections",
    }
    for ref in p["themes"]:
        theme = resolve_theme(state, ref)
        name = field_of[theme["lens"]]
        if theme["id"] not in segment[name]:
            segment[name].append(theme["id"])
    segment["built"] = True


def _remove_theme_from_segment(state: dict, p: dict) -> None:
    segment = _segment(state, p["segment"])
    theme = resolve_theme(state, p["theme"])
    for name in ("themes", "psychographics", "triggers", "objections"):
        segment[name] = [t for t in segment[name] if t != theme["id"]]
    segment["built"] = True


def _rename_segment(state: dict, p: dict) -> None:
    segment = _segment(state, p["segment"])
    segment["label"] = p["label"]
    segment["auto_label"] = False


def _delete_segment(state: dict, p: dict) -> None:
    state["segments"].remove(_segment(state, p["segment"]))


def _set_segment_notes(state: dict, p: dict) -> None:
    _segment(state, p["segment"]).setdefault("notes", {})[p["criterion"]] = p["text"]


def _pin_quote(state: dict, p: dict) -> None:
    _excerpt(state, p["excerpt"])
    if p["excerpt"] not in state["pins"]:
        state["pins"].append(p["excerpt"])


def _unpin_quote(state: dict, p: dict) -> None:
    state["pins"] = [k for k in state["pins"] if k != p["excerpt"]]


HANDLERS: dict[str, Callable[[dict, dict], None]] = {
    "rename_theme": _rename_theme,
    "merge_themes": _merge_themes,
    "split_theme": _split_theme,
    "move_excerpt": _move_excerpt,
    "dismiss_excerpt": _dismiss_excerpt,
    "dismiss_theme": _dismiss_theme,
    "create_segment": _create_segment,
    "add_themes_to_segment": _add_themes_to_segment,
    "remove_theme_from_segment": _remove_theme_from_segment,
    "rename_segment": _rename_segment,
    "delete_segment": _delete_segment,
    "set_segment_notes": _set_segment_notes,
    "pin_quote": _pin_quote,
    "unpin_quote": _unpin_quote,
}


# -- what an edit touches (concurrent sessions) ---------------------------------------------------

WHOLE = "*"


def touches(kind: str, payload: dict) -> set[tuple[str, str, str]]:
    """The parts of themes, excerpts and segments an edit changes, as (type, id, aspect);
    aspect ``*`` is the whole object (merge, split, dismiss, create, delete)."""
    p = payload
    if kind == "rename_theme":
        return {("theme", p["theme"]["id"], "label")}
    if kind in ("merge_themes", "split_theme", "dismiss_theme"):
        refs = p["themes"] if kind == "merge_themes" else [p["theme"]]
        return {("theme", ref["id"], WHOLE) for ref in refs}
    if kind == "move_excerpt":
        # the target theme gains one member: only a whole-theme edit (merge, split, dismiss)
        # of it clashes, not another excerpt moved into it
        target = {("theme", p["to"]["id"], f"member:{p['excerpt']}")} if p.get("to") else set()
        return {("excerpt", p["excerpt"], f"theme:{p.get('lens', '')}")} | target
    if kind == "dismiss_excerpt":
        return {("excerpt", p["excerpt"], WHOLE)}
    if kind in ("pin_quote", "unpin_quote"):
        return {("excerpt", p["excerpt"], "pin")}
    if kind in ("create_segment", "delete_segment"):
        return {("segment", p.get("id") or p["segment"], WHOLE)}
    if kind in ("add_themes_to_segment", "remove_theme_from_segment"):
        return {("segment", p["segment"], "themes")}
    if kind == "rename_segment":
        return {("segment", p["segment"], "label")}
    if kind == "set_segment_notes":
        return {("segment", p["segment"], f"note:{p['criterion']}")}
    return {("edit", kind, WHOLE)}


def overlaps(mine: set[tuple[str, str, str]], theirs: set[tuple[str, str, str]]) -> bool:
    """Whether two edits change the same part of the same object."""
    return any(
        a[:2] == b[:2] and (a[2] == b[2] or WHOLE in (a[2], b[2])) for a in mine for b in theirs
    )


def describe(kind: str, payload: dict) -> str:
    """An edit in plain words, naming the objects it changed."""
    p = payload
    what = {
        "rename_theme": lambda: f"renamed theme {p['theme']['id']} to “{p['label']}”",
        "merge_themes": lambda: "merged themes " + ", ".join(r["id"] for r in p["themes"]),
        "split_theme": lambda: f"split theme {p['theme']['id']}",
        "dismiss_theme": lambda: f"dismissed theme {p['theme']['id']}",
        "move_excerpt": lambda: (
            f"moved excerpt {p['excerpt']} to "
            + (f"theme {p['to']['id']}" if p.get("to") else "unassigned")
        ),
        "dismiss_excerpt": lambda: f"dismissed excerpt {p['excerpt']}",
        "pin_quote": lambda: f"pinned quote {p['excerpt']}",
        "unpin_quote": lambda: f"unpinned quote {p['excerpt']}",
        "create_segment": lambda: f"created segment {p['id']} “{p['label']}”",
        "add_themes_to_segment": lambda: f"added themes to segment {p['segment']}",
        "remove_theme_from_segment": lambda: f"removed a theme from segment {p['segment']}",
        "rename_segment": lambda: f"renamed segment {p['segment']} to “{p['label']}”",
        "delete_segment": lambda: f"deleted segment {p['segment']}",
        "set_segment_notes": lambda: (
            f"changed the {p['criterion']} note of segment " + p["segment"]
        ),
    }.get(kind)
    return what() if what else kind.replace("_", " ")


# -- derived fields -------------------------------------------------------------------------------


def _refresh(state: dict) -> None:
    """Recompute what follows from membership: excerpt themes, theme participants, segments."""
    dismissed = {e["id"] for e in state["excerpts"] if e["dismissed"]}
    by_key = {e["id"]: e for e in state["excerpts"]}
    for t in state["themes"]:
        t["excerpts"] = [k for k in t["excerpts"] if k not in dismissed and k in by_key]
        t["quotes"] = [q for q in t["quotes"] if q["excerpt"] not in dismissed][:5]
        t["participants"] = sorted({by_key[k]["participant"] for k in t["excerpts"]})
    live = [t for t in state["themes"] if not t["dismissed"]]
    for e in state["excerpts"]:
        e["themes"] = [t["id"] for t in live if e["id"] in t["excerpts"]]
    _assign_built_segments(state, live, by_key)
    _name_segments(state, live)


def _name_segments(state: dict, live: list[dict]) -> None:
    """A segment the researcher has not named is named by its defining needs themes as they are
    now (after renames, merges and splits), so a merged-away theme never names a segment."""
    label_of = {t["id"]: t["label"] for t in live}
    for s in state["segments"]:
        if s.get("auto_label"):
            s["label"] = segment_name([label_of[t] for t in s["themes"] if t in label_of], s["id"])


def _assign_built_segments(state: dict, live: list[dict], by_key: dict[str, dict]) -> None:
    """Who is in which segment once the researcher built or edited some (ASSIGNMENT_RULE).

    A participant who voices a built segment's defining themes (its needs themes; its
    psychographic themes when it has no needs theme) joins the built segment whose themes hold
    most of their excerpts; everyone else keeps their suggested segment, if it is still there.
    Each built segment records who voices its themes (``voiced_by``), so a segment left with no
    member can say why instead of showing an empty profile.
    """
    built = [s for s in state["segments"] if s.get("built")]
    theme_of = {t["id"]: t for t in live}
    counts: dict[str, dict[str, int]] = {}
    for s in built:
        voices: set[str] = set()
        for tid in s["themes"] or s["psychographics"]:
            for key in theme_of.get(tid, {}).get("excerpts", []):
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
                for k in theme_of.get(tid, {}).get("excerpts", [])
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


def _fresh_id(state: dict, base: str) -> str:
    taken = {t["id"] for t in state["themes"]}
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"
