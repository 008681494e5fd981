"""The records of the segment profile report (:mod:`qualseg.exports.report_doc` fills them, the
Markdown, HTML and DOCX modules lay them out) and the lens names and quotas they follow."""

from __future__ import annotations

from dataclasses import dataclass

from qualseg.exports.messaging import MessagingStarters
from qualseg.validation import SegmentValidation

LENSES = ("need", "psychographic", "trigger", "objection")
LENS_TITLES = {
    "need": "Defining needs",
    "psychographic": "Psychographic traits",
    "trigger": "Buying triggers",
    "objection": "Objections",
}
LENS_NAMES = {
    "need": "Needs and desired outcomes",
    "psychographic": "Psychographics",
    "trigger": "Buying triggers",
    "objection": "Objections",
}
QUOTES_PER_THEME = {"need": 2, "psychographic": 2, "trigger": 2, "objection": 3}
MOST_COMMON_SHARE = 0.5


@dataclass(frozen=True)
class Quote:
    """A verbatim excerpt with who said it and where (offsets into the stored transcript)."""

    text: str
    participant: str
    name: str
    source: str
    start: int
    end: int
    excerpt: str

    def cite(self) -> str:
        who = f"{self.name} ({self.participant})" if self.name else self.participant
        return f"{who}, {self.source} @{self.start}"


@dataclass(frozen=True)
class ThemeEntry:
    """A theme on a segment page: members voicing it, lift, and members' quotes."""

    id: str
    label: str
    lens: str
    voicing: int
    members: int
    lift: float | None
    listed: bool
    quotes: tuple[Quote, ...]

    def figures(self) -> str:
        lift = f", lift {self.lift:.1f}×" if self.lift is not None else ""
        listed = "" if self.listed else ", voiced but not listed on the segment"
        return f"{self.voicing} of {self.members} members{lift}{listed}"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    source: str
    segment: str | None
    metadata: tuple[tuple[str, str], ...]

    def metadata_lines(self) -> str:
        """The metadata as 'column: value' lines."""
        return "\n".join(f"{column}: {value}" for column, value in self.metadata)


@dataclass(frozen=True)
class MixColumn:
    """How one metadata column is spread over a segment's members: (value, count), most first."""

    column: str
    values: tuple[tuple[str, int], ...]

    def shown(self) -> str:
        return ", ".join(f"{value or '(empty)'} ({count})" for value, count in self.values)


@dataclass(frozen=True)
class SegmentPage:
    id: str
    label: str
    size: int
    total: int
    who: str  # who they are, in one or two sentences of figures
    participants: tuple[Person, ...]
    mix: tuple[MixColumn, ...]
    lenses: tuple[tuple[str, tuple[ThemeEntry, ...]], ...]  # (lens, themes) in LENSES order
    quotes: tuple[Quote, ...]  # the segment's key quotes
    validation: SegmentValidation
    messaging: MessagingStarters | None
    messaging_note: str  # why the starters are missing, when they are

    def themes(self, lens: str) -> tuple[ThemeEntry, ...]:
        return dict(self.lenses).get(lens, ())


@dataclass(frozen=True)
class StudyTheme:
    id: str
    lens: str
    label: str
    participants: int
    excerpts: int
    keyphrases: tuple[str, ...]
    segments: tuple[str, ...]  # labels of the segments that list it


@dataclass(frozen=True)
class MethodNotes:
    run_id: int
    date: str
    started_at: str
    finished_at: str
    seed: int
    model: str
    config_json: str
    versions: tuple[tuple[str, str], ...]
    interviews: int
    participants: int
    excerpts: int
    edits: int
    pseudonymised: bool
    generated_at: str


@dataclass(frozen=True)
class Heatmap:
    """Share of each segment's members voicing each live theme (rows: themes, columns: segments)."""

    rows: tuple[tuple[str, str], ...]  # (lens, label)
    columns: tuple[str, ...]  # segment labels
    shares: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class ReportDocument:
    title: str
    project: str
    summary: tuple[str, ...]  # sentences of figures about the whole study
    method: MethodNotes
    segments: tuple[SegmentPage, ...]
    people: tuple[Person, ...]  # every participant of the study
    unsegmented: tuple[Person, ...]
    themes: tuple[tuple[str, tuple[StudyTheme, ...]], ...]  # (lens, themes) in LENSES order
    sizes: tuple[tuple[str, int], ...]  # (segment label, members), then ("No segment", n) if any
    heatmap: Heatmap
