"""The edits of themes, excerpts and quotes (registered in :mod:`qualseg.edit_commands`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from qualseg.edit_commands.base import (
    SEGMENT_LISTS,
    WHOLE,
    EditCommand,
    ThemeName,
    Touch,
    command,
)
from qualseg.edit_targets import EditNotApplicable, find_excerpt, resolve_theme
from qualseg.report import quote_of
from qualseg.report_types import Report, ThemeRef

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

    def summary(self, name: ThemeName) -> str:
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

    def summary(self, name: ThemeName) -> str:
        return f"merged {len(self.themes)} themes" + (f" into “{self.label}”" if self.label else "")


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

    def summary(self, name: ThemeName) -> str:
        if not self.kept_label:
            return f"split theme {name(self.theme)}"
        was = f"“{self.was}”" if self.was else name(self.theme)
        return f"split theme {was} into “{self.kept_label}” and “{self.label}”"


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

    def summary(self, name: ThemeName) -> str:
        return f"dismissed theme {name(self.theme)}"


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

    def summary(self, name: ThemeName) -> str:
        return f"moved an excerpt to {name(self.to) if self.to else 'unassigned'}"


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

    def summary(self, name: ThemeName) -> str:
        return "dismissed an excerpt"


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

    def summary(self, name: ThemeName) -> str:
        return "pinned a quote"


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

    def summary(self, name: ThemeName) -> str:
        return "unpinned a quote"
