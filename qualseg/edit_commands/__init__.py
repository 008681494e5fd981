"""Each kind of researcher edit as one typed command: what it stores, how it applies to a study
state, which parts of the study it touches (concurrent sessions) and how it reads in plain words.

A command is a frozen dataclass registered once under its ``kind`` (``themes.py``, ``segments.py``,
``segmentation.py``;
importing this package registers them all); its fields are the keys of the payload the edit log
stores (one JSON row per edit), so ``payload()`` writes the stored format and :func:`command_of`
reads it back, old rows included (a key added later has a default).
"""

from qualseg.edit_commands.base import (
    COMMANDS,
    WHOLE,
    EditCommand,
    ThemeName,
    Touch,
    command_of,
)
from qualseg.edit_commands.segmentation import AdoptSegmentation
from qualseg.edit_commands.segments import (
    AddThemesToSegment,
    CreateSegment,
    DeleteSegment,
    RemoveThemeFromSegment,
    RenameSegment,
    SetSegmentNotes,
)
from qualseg.edit_commands.themes import (
    DismissExcerpt,
    DismissTheme,
    MergeThemes,
    MoveExcerpt,
    PinQuote,
    RenameTheme,
    SplitTheme,
    UnpinQuote,
)

__all__ = [
    "COMMANDS",
    "WHOLE",
    "AddThemesToSegment",
    "AdoptSegmentation",
    "CreateSegment",
    "DeleteSegment",
    "DismissExcerpt",
    "DismissTheme",
    "EditCommand",
    "MergeThemes",
    "MoveExcerpt",
    "PinQuote",
    "RemoveThemeFromSegment",
    "RenameSegment",
    "RenameTheme",
    "SetSegmentNotes",
    "SplitTheme",
    "ThemeName",
    "Touch",
    "UnpinQuote",
    "command_of",
]
