"""Recall and precision of pseudonymisation against an annotated list of identifiers.

A mention is an occurrence of an annotated surface in its file's text (longest annotated surface
first, never inside a longer one). It is caught when the pseudonymiser's replaced regions cover
it entirely. Precision counts the replaced regions of each file that overlap an annotated
mention.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qualseg.errors import QualsegError
from qualseg.privacy.pseudonymiser import Pseudonymiser


@dataclass
class Score:
    """Mention counts of one category (or of everything)."""

    mentions: int = 0
    caught: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.mentions if self.mentions else 1.0


@dataclass
class Evaluation:
    by_category: dict[str, Score]
    regions: int
    regions_on_identifiers: int
    false_positives: list[str]

    @property
    def precision(self) -> float:
        return self.regions_on_identifiers / self.regions if self.regions else 1.0

    @property
    def recall(self) -> float:
        caught = sum(s.caught for s in self.by_category.values())
        total = sum(s.mentions for s in self.by_category.values())
        return caught / total if total else 1.0


def load_truth(path: Path) -> dict[str, dict[str, list[str]]]:
    """file -> category -> surfaces, from an identifiers.json file."""
    try:
        data = json.loads(path.read_text("utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError) as err:
        raise QualsegError(f"{path}: not a readable identifiers file ({err})") from err
    return {f: {c: list(v) for c, v in cats.items()} for f, cats in files.items()}


def evaluate(
    texts: Mapping[str, str], truth: Mapping[str, Mapping[str, list[str]]], p: Pseudonymiser
) -> Evaluation:
    """Score a pseudonymiser on the texts (source -> text) of the annotated files."""
    scores: dict[str, Score] = defaultdict(Score)
    regions = on_identifiers = 0
    false_positives: list[str] = []
    for source, cats in truth.items():
        if source not in texts:
            raise QualsegError(f"identifiers file names {source!r}, which is not in the study")
        text = texts[source]
        category_of = {s: c for c, surfaces in cats.items() for s in surfaces}
        mentions = _mentions(text, category_of)
        replaced = [r for r in p.replacements(text) if r.pseudonym != text[r.start : r.end]]
        for start, end, surface in mentions:
            score = scores[category_of[surface]]
            score.mentions += 1
            if any(r.start <= start and end <= r.end for r in replaced):
                score.caught += 1
            else:
                score.missed.append(f"{source}: {surface}")
        for r in replaced:
            regions += 1
            if any(r.start < end and start < r.end for start, end, _s in mentions):
                on_identifiers += 1
            else:
                false_positives.append(f"{source}: {text[r.start : r.end]}")
    return Evaluation(dict(scores), regions, on_identifiers, false_positives)


def _mentions(text: str, category_of: Mapping[str, str]) -> list[tuple[int, int, str]]:
    ordered = sorted(category_of, key=lambda s: (-len(s), s))
    if not ordered:
        return []
    regex = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in ordered) + r")(?!\w)")
    return [(m.start(), m.end(), m.group(0)) for m in regex.finditer(text)]
