"""The edits of segments (registered in :mod:`qualseg.edit_commands`)."""

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
from qualseg.edit_targets import EditNotApplicable, find_segment, resolve_theme
from qualseg.report_types import Report, SegmentList, ThemeRef

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

    def summary(self, name: ThemeName) -> str:
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

    def summary(self, name: ThemeName) -> str:
        return f"added {len(self.themes)} theme(s) to segment {self.segment}"


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

    def summary(self, name: ThemeName) -> str:
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

    def summary(self, name: ThemeName) -> str:
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

    def summary(self, name: ThemeName) -> str:
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

    def summary(self, name: ThemeName) -> str:
        return f"noted {self.criterion} of segment {self.segment}"
