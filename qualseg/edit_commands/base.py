"""What every edit command is (:class:`EditCommand`), the one registry of kinds and the reading
of a stored row (:func:`command_of`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar

from qualseg.report_types import Report, SegmentList, ThemeRef

WHOLE = "*"
SEGMENT_LISTS: tuple[SegmentList, ...] = ("themes", "psychographics", "triggers", "objections")
ThemeName = Callable[[ThemeRef], str]
Touch = tuple[str, str, str]  # (object type, id, aspect); aspect WHOLE is the whole object


@dataclass(frozen=True)
class EditCommand:
    """One edit. Subclasses set ``kind`` and implement apply, touches, describe and summary."""

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

    def summary(self, name: ThemeName) -> str:
        """The edit as the researcher reads it (undo bar, conflicts): ``name`` gives a theme's
        current name, quoted."""
        raise NotImplementedError


COMMANDS: dict[str, type[EditCommand]] = {}
C = TypeVar("C", bound=type[EditCommand])


def command(cls: C) -> C:
    """Register an edit command under its kind (once)."""
    if not cls.kind or cls.kind in COMMANDS:
        raise ValueError(f"edit kind {cls.kind!r} is empty or registered already")
    COMMANDS[cls.kind] = cls
    return cls


def command_of(kind: str, payload: dict[str, Any]) -> EditCommand | None:
    """The command a stored edit row holds; None for a kind this version does not know."""
    cls = COMMANDS.get(kind)
    return cls.from_payload(payload) if cls is not None else None
