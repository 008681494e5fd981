"""Adopting another of the run's segmentations (k = 2..5) in place of the suggested one."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

from qualseg.edit_commands.base import WHOLE, EditCommand, ThemeName, Touch, command
from qualseg.edit_targets import EditNotApplicable
from qualseg.report import quote_of
from qualseg.report_types import Report, ReportSegment
from qualseg.segments import VoicedTheme, segment_profiles

MAX_SEGMENT_IDS = 12  # S1..S12: every id an adopted segmentation can give or take away


@command
@dataclass(frozen=True)
class AdoptSegmentation(EditCommand):
    """The run's grouping into ``k`` segments replaces the suggested segments (segments the
    researcher built stay, and keep their members). Each group is profiled as the run profiles
    its suggestion: its needs themes voiced more inside than outside name it, its quotes come
    from its members. After a re-run the same ``k`` of the new run is taken."""

    kind: ClassVar[str] = "adopt_segmentation"
    k: int

    def apply(self, state: Report) -> None:
        segmentation = state.get("segmentation") or {}
        alternative = next(
            (a for a in segmentation.get("alternatives", []) if a["k"] == self.k), None
        )
        if alternative is None:
            raise EditNotApplicable(f"the run has no grouping into {self.k} segments")
        built = [s for s in state["segments"] if s.get("built")]
        order = {p["id"]: n for n, p in enumerate(state["participants"])}
        group_of = {p: g for g, group in enumerate(alternative["groups"]) for p in group}
        by_key = {e["id"]: e for e in state["excerpts"] if not e.get("dismissed")}
        themes = []
        for t in state["themes"]:
            if t.get("dismissed"):
                continue
            keys = [
                k for k in (*(q["excerpt"] for q in t["quotes"]), *t["excerpts"]) if k in by_key
            ]
            # who voices it as the earlier edits left it (moves and dismissals of this log)
            voices = frozenset(by_key[k]["participant"] for k in t["excerpts"] if k in by_key)
            themes.append(VoicedTheme(t["id"], t["lens"], voices, tuple(keys)))
        profiles = segment_profiles(group_of, themes, lambda key: by_key[key]["participant"])
        taken = {s["id"] for s in built}
        free = (f"S{n}" for n in itertools.count(1) if f"S{n}" not in taken)
        adopted: list[ReportSegment] = []
        for number in sorted(profiles):
            profile = profiles[number]
            members = sorted(profile.members, key=lambda p: order.get(p, len(order)))
            adopted.append(
                {
                    "id": next(free),
                    "label": "",  # named by its needs themes on refresh (auto_label)
                    "participants": [str(p) for p in members],
                    "themes": profile.needs,
                    "psychographics": profile.psychographics,
                    "triggers": profile.triggers,
                    "objections": profile.objections,
                    "quotes": [quote_of(by_key[k]) for k in profile.quotes],
                    "measures": {
                        "size": len(members),
                        "share": round(len(members) / max(len(group_of), 1), 3),
                        "theme_lift": profile.lift,
                    },
                    "auto_label": True,
                }
            )
        state["segments"] = [*adopted, *built]
        segmentation["chosen"] = self.k
        segmentation["adopted"] = True
        for p in state["participants"]:
            p["segment_strength"] = None  # resampling measured the run's suggestion

    def touches(self) -> set[Touch]:
        ids = {("segment", f"S{n}", WHOLE) for n in range(1, MAX_SEGMENT_IDS + 1)}
        return {*ids, ("segmentation", "chosen", WHOLE)}

    def describe(self) -> str:
        return f"adopted the grouping into {self.k} segments"

    def summary(self, name: ThemeName) -> str:
        return f"grouped the participants into {self.k} segments"
