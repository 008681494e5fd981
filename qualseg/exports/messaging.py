"""Messaging starters per segment, built from the data and never invented.

Every filled slot carries the evidence it came from (verbatim quotes with their sources). A slot the
data cannot fill stays ``None`` and is shown as a visible blank for the copywriter.
"""

from __future__ import annotations

from dataclasses import dataclass

BLANK = "[___]"


@dataclass(frozen=True)
class Slot:
    """One slot of a positioning statement: a filling (or None) and the quotes behind it."""

    text: str | None
    evidence: tuple[
        dict, ...
    ] = ()  # quotes as in report.json: excerpt, participant, source, start, end, text
    note: str = ""  # where it came from, or why it is empty

    def shown(self) -> str:
        return self.text if self.text else BLANK


@dataclass(frozen=True)
class Positioning:
    """'For [segment] who need [key need], [product] is the [category] that [key benefit],
    unlike [alternative they mentioned].'"""

    segment: Slot
    need: Slot
    product: Slot
    category: Slot
    benefit: Slot
    alternative: Slot

    def sentence(self) -> str:
        return (
            f"For {self.segment.shown()} who need {self.need.shown()}, {self.product.shown()} "
            f"is the {self.category.shown()} that {self.benefit.shown()}, unlike "
            f"{self.alternative.shown()}."
        )


@dataclass(frozen=True)
class MessageMapEntry:
    """One top objection of the segment: the quotes that voice it and those that answer it."""

    theme: str
    label: str
    participants: int
    voicing: tuple[dict, ...]
    answering: tuple[dict, ...]


@dataclass(frozen=True)
class Hook:
    """A trigger-based hook: the moment that made members act, in their words."""

    theme: str
    label: str
    participants: int
    quotes: tuple[dict, ...]


@dataclass(frozen=True)
class HeadlinePhrase:
    """A short verbatim phrase, ranked by how many participants use similar words."""

    text: str
    participants: int
    quote: dict


@dataclass(frozen=True)
class MessagingStarters:
    segment: str
    label: str
    positioning: Positioning
    message_map: tuple[MessageMapEntry, ...]
    hooks: tuple[Hook, ...]
    headlines: tuple[HeadlinePhrase, ...]


def messaging_starters(
    report: dict, segment_id: str, *, product: str | None = None, category: str | None = None
) -> MessagingStarters:
    """The messaging starters of one segment of a (current-state) report.

    ``product`` and ``category`` are the researcher's own words for their offer; without them the
    slots stay blank (the interviews say what customers need, not what the product is called).
    """
    raise NotImplementedError("messaging starters are being built")
