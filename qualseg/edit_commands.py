"""Each kind of researcher edit as one typed command: what it stores, how it applies to a study
state, which parts of the study it touches (concurrent sessions) and how it reads in plain words.

A command is a frozen dataclass registered once under its ``kind``; its fields are the keys of
the payload the edit log stores (one JSON row per edit), so ``payload()`` writes the stored format
and :func:`command_of` reads it back, old rows included (a key added later has a default).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, TypeVar

from qualseg.edit_targets import (
    EditNotApplicable,
    find_excerpt,
    find_segment,
    resolve_theme,
)
from qualseg.report import quote_of
from qualseg.report_types import Report, SegmentList, ThemeRef

WHOLE = "*"
SEGMENT_LISTS: tuple[SegmentList, ...] = ("themes", "psychographics", "triggers", "objections")
Touch = tuple[str, str, str]  # (object type, id, aspect); aspect WHOLE is the whole object


@dataclass(frozen=True)
class EditCommand:
    """One edit. Subclasses set ``kind`` and implement apply, touches and describe."""

    kind: ClassVar[str] = ""

    def payload(self) -> dict[str, Any]:
        """The stored form: one key per field."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> EditCommand:
        """The command of a stored payload; a key a field has a default for may be missing."""
        return cls(**{f.name: payload[f.name] for f in fields(cls) if f.name in payload})

    def apply(self, state: Report) -> None:
        """Change ``state`` in place; raise EditNotApplicable when its objects are gone."""
        raise NotImplementedError

    def touches(self) -> set[Touch]:
        """The parts of themes, excerpts and segments the edit changes."""
        raise NotImplementedError

    def describe(self) -> str:
        """The edit in plain words, naming the objects it changed."""
        raise NotImplementedError


COMMANDS: dict[str, type[EditCommand]] = {}
C = TypeVar("C", bound=type[EditCommand])


def command(cls: C) -> C:
    """Register an edit command under its kind (once)."""
    assert cls.kind and cls.kind not in COMMANDS, cls.kind
    COMMANDS[cls.kind] = cls
    return cls


def command_of(kind: str, payload: dict[str, Any]) -> EditCommand | None:
    """The command a stored edit row holds; None for a kind this version does not know."""
    cls = COMMANDS.get(kind)
    return cls.from_payload(payload) if cls is not None else None


# -- themes ---------------------------------------------------------------------------------------


@command
@dataclass(frozen=True)
class RenameTheme(EditCommand):
    kind: ClassVar[str] = "rename_theme"
    theme: ThemeRef
    label: str

    def apply(self, state: Report) -> None:
        resolve_theme(state, self.theme)["label"] = self.label

    def touches(self) -> set[Touch]:
        return {("theme", self.theme["id"], "label")}

    def describe(self) -> str:
        return f"renamed theme {self.theme['id']} to “{self.label}”"


@command
@dataclass(frozen=True)
class MergeThemes(EditCommand):
    kind: ClassVar[str] = "merge_themes"
    themes: list[ThemeRef]
    label: str | None = None

    def apply(self, state: Report) -> None:
        themes = [resolve_theme(state, ref) for ref in self.themes]
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
                for name in SEGMENT_LISTS:
                    s[name] = list(
                        dict.fromkeys(keep["id"] if x == t["id"] else x for x in s[name])
                    )
        if self.label:
            keep["label"] = self.label

    def touches(self) -> set[Touch]:
        return {("theme", ref["id"], WHOLE) for ref in self.themes}

    def describe(self) -> str:
        return "merged themes " + ", ".join(r["id"] for r in self.themes)


@command
@dataclass(frozen=True)
class SplitTheme(EditCommand):
    kind: ClassVar[str] = "split_theme"
    theme: ThemeRef
    was: str = ""  # the theme's label when it was split
    moved: list[str] = field(default_factory=list)  # excerpt keys of the new theme
    label: str | None = None  # the new theme's label
    kept_label: str | None = None  # the kept theme's new label
    keyphrases: list[str] = field(default_factory=list)  # the new theme's

    def apply(self, state: Report) -> None:
        theme = resolve_theme(state, self.theme)
        members = set(theme["excerpts"])
        moved = [k for k in self.moved if k in members]
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
                "label": self.label or f"{theme['label']} (split)",
                "keyphrases": list(self.keyphrases),
                "participants": [],
                "excerpts": moved,
                "quotes": [quote_of(by_key[k]) for k in moved[:5]],
                "dismissed": False,
            }
        )
        if self.kept_label:
            theme["label"] = self.kept_label

    def touches(self) -> set[Touch]:
        return {("theme", self.theme["id"], WHOLE)}

    def describe(self) -> str:
        return f"split theme {self.theme['id']}"


@command
@dataclass(frozen=True)
class DismissTheme(EditCommand):
    kind: ClassVar[str] = "dismiss_theme"
    theme: ThemeRef

    def apply(self, state: Report) -> None:
        resolve_theme(state, self.theme)["dismissed"] = True

    def touches(self) -> set[Touch]:
        return {("theme", self.theme["id"], WHOLE)}

    def describe(self) -> str:
        return f"dismissed theme {self.theme['id']}"


def _fresh_id(state: Report, base: str) -> str:
    taken = {t["id"] for t in state["themes"]}
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


# -- excerpts and quotes --------------------------------------------------------------------------


@command
@dataclass(frozen=True)
class MoveExcerpt(EditCommand):
    """Into a theme (``to``), or out of its theme of ``lens`` (``to`` None: unassigned)."""

    kind: ClassVar[str] = "move_excerpt"
    excerpt: str
    lens: str | None = None
    to: ThemeRef | None = None

    def apply(self, state: Report) -> None:
        excerpt = find_excerpt(state, self.excerpt)
        target = resolve_theme(state, self.to) if self.to else None
        lens = target["lens"] if target else self.lens
        for t in state["themes"]:
            if t["lens"] == lens and self.excerpt in t["excerpts"] and t is not target:
                t["excerpts"] = [k for k in t["excerpts"] if k != self.excerpt]
                t["quotes"] = [q for q in t["quotes"] if q["excerpt"] != self.excerpt]
        if target is not None and self.excerpt not in target["excerpts"]:
            target["excerpts"].append(self.excerpt)
            if len(target["quotes"]) < 5:
                target["quotes"].append(quote_of(excerpt))

    def touches(self) -> set[Touch]:
        # the target theme gains one member: only a whole-theme edit (merge, split, dismiss)
        # of it clashes, not another excerpt moved into it
        target = {("theme", self.to["id"], f"member:{self.excerpt}")} if self.to else set()
        lens = "" if self.lens is None else self.lens
        return {("excerpt", self.excerpt, f"theme:{lens}")} | target

    def describe(self) -> str:
        return f"moved excerpt {self.excerpt} to " + (
            f"theme {self.to['id']}" if self.to else "unassigned"
        )


@command
@dataclass(frozen=True)
class DismissExcerpt(EditCommand):
    kind: ClassVar[str] = "dismiss_excerpt"
    excerpt: str

    def apply(self, state: Report) -> None:
        find_excerpt(state, self.excerpt)["dismissed"] = True

    def touches(self) -> set[Touch]:
        return {("excerpt", self.excerpt, WHOLE)}

    def describe(self) -> str:
        return f"dismissed excerpt {self.excerpt}"


@command
@dataclass(frozen=True)
class PinQuote(EditCommand):
    kind: ClassVar[str] = "pin_quote"
    excerpt: str

    def apply(self, state: Report) -> None:
        find_excerpt(state, self.excerpt)
        if self.excerpt not in state["pins"]:
            state["pins"].append(self.excerpt)

    def touches(self) -> set[Touch]:
        return {("excerpt", self.excerpt, "pin")}

    def describe(self) -> str:
        return f"pinned quote {self.excerpt}"


@command
@dataclass(frozen=True)
class UnpinQuote(EditCommand):
    kind: ClassVar[str] = "unpin_quote"
    excerpt: str

    def apply(self, state: Report) -> None:
        state["pins"] = [k for k in state["pins"] if k != self.excerpt]

    def touches(self) -> set[Touch]:
        return {("excerpt", self.excerpt, "pin")}

    def describe(self) -> str:
        return f"unpinned quote {self.excerpt}"


# -- segments -------------------------------------------------------------------------------------

FIELD_OF_LENS: dict[str, SegmentList] = {
    "need": "themes",
    "psychographic": "psychographics",
    "trigger": "triggers",
    "objection": "objections",
}


@command
@dataclass(frozen=True)
class CreateSegment(EditCommand):
    """A new segment, with the themes that define it when the edit names them (one edit, so a
    segment is never logged without its themes)."""

    kind: ClassVar[str] = "create_segment"
    id: str
    label: str
    themes: list[ThemeRef] = field(default_factory=list)

    def apply(self, state: Report) -> None:
        if any(s["id"] == self.id for s in state["segments"]):
            raise EditNotApplicable(f"segment {self.id} exists already")
        state["segments"].append(
            {
                "id": self.id,
                "label": self.label,
                "participants": [],
                "themes": [],
                "psychographics": [],
                "triggers": [],
                "objections": [],
                "quotes": [],
                "measures": {},
                "built": True,
                "auto_label": self.label == self.id,
            }
        )
        if self.themes:
            AddThemesToSegment(self.id, self.themes).apply(state)

    def touches(self) -> set[Touch]:
        return {("segment", self.id, WHOLE)}

    def describe(self) -> str:
        return f"created segment {self.id} “{self.label}”"


@command
@dataclass(frozen=True)
class AddThemesToSegment(EditCommand):
    kind: ClassVar[str] = "add_themes_to_segment"
    segment: str
    themes: list[ThemeRef]

    def apply(self, state: Report) -> None:
        segment = find_segment(state, self.segment)
        for ref in self.themes:
            theme = resolve_theme(state, ref)
            ids: list[str] = segment[FIELD_OF_LENS[theme["lens"]]]
            if theme["id"] not in ids:
                ids.append(theme["id"])
        segment["built"] = True

    def touches(self) -> set[Touch]:
        return {("segment", self.segment, "themes")}

    def describe(self) -> str:
        return f"added themes to segment {self.segment}"


@command
@dataclass(frozen=True)
class RemoveThemeFromSegment(EditCommand):
    kind: ClassVar[str] = "remove_theme_from_segment"
    segment: str
    theme: ThemeRef

    def apply(self, state: Report) -> None:
        segment = find_segment(state, self.segment)
        theme = resolve_theme(state, self.theme)
        for name in SEGMENT_LISTS:
            segment[name] = [t for t in segment[name] if t != theme["id"]]
        segment["built"] = True

    def touches(self) -> set[Touch]:
        return {("segment", self.segment, "themes")}

    def describe(self) -> str:
        return f"removed a theme from segment {self.segment}"


@command
@dataclass(frozen=True)
class RenameSegment(EditCommand):
    kind: ClassVar[str] = "rename_segment"
    segment: str
    label: str

    def apply(self, state: Report) -> None:
        segment = find_segment(state, self.segment)
        segment["label"] = self.label
        segment["auto_label"] = False

    def touches(self) -> set[Touch]:
        return {("segment", self.segment, "label")}

    def describe(self) -> str:
        return f"renamed segment {self.segment} to “{self.label}”"


@command
@dataclass(frozen=True)
class DeleteSegment(EditCommand):
    kind: ClassVar[str] = "delete_segment"
    segment: str

    def apply(self, state: Report) -> None:
        state["segments"].remove(find_segment(state, self.segment))

    def touches(self) -> set[Touch]:
        return {("segment", self.segment, WHOLE)}

    def describe(self) -> str:
        return f"deleted segment {self.segment}"


@command
@dataclass(frozen=True)
class SetSegmentNotes(EditCommand):
    """The researcher's note on one checklist criterion of a segment."""

    kind: ClassVar[str] = "set_segment_notes"
    segment: str
    criterion: str
    text: str

    def apply(self, state: Report) -> None:
        find_segment(state, self.segment).setdefault("notes", {})[self.criterion] = self.text

    def touches(self) -> set[Touch]:
        return {("segment", self.segment, f"note:{self.criterion}")}

    def describe(self) -> str:
        return f"changed the {self.criterion} note of segment " + self.segment
