"""Score a report against the sample study's gold by its tune and held-out halves (the benchmark's view).

Matching: a gold sentence is found verbatim in its transcript; the excerpt of that file that
overlaps it most (at least half of the shorter of the two) stands for it. An excerpt that stands
for a gold sentence is "judged": precision of a kind counts only judged excerpts, and a
trigger-labelled excerpt whose gold label is anything but trigger counts as wrong.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sklearn.metrics import adjusted_rand_score

GOLD_LISTS = ("triggers", "objections", "needs", "neither")
KIND_OF_LIST = {"triggers": "trigger", "objections": "objection"}


@dataclass(frozen=True)
class SplitScores:
    """Quality figures on one half of the gold participants."""

    split: str
    participants: int
    segment_ari: float
    trigger_recall: float
    trigger_precision: float
    objection_recall: float
    objection_precision: float
    needs_recall: float

    def as_dict(self) -> dict[str, float | int | str]:
        return dict(self.__dict__)


def gold_spans(gold: dict, texts: dict[str, str]) -> dict[str, list[tuple[str, int, int]]]:
    """(list name, start, end) of every gold sentence, per file; raises if one is not verbatim."""
    out: dict[str, list[tuple[str, int, int]]] = {}
    for source, entry in gold.items():
        text = texts[source]
        spans = []
        for list_name in GOLD_LISTS:
            for sentence in entry.get(list_name, []):
                start = text.find(sentence)
                if start < 0:
                    raise ValueError(f"{source}: gold sentence not found verbatim: {sentence!r}")
                spans.append((list_name, start, start + len(sentence)))
        out[source] = spans
    return out


def match_gold(report: dict, spans: dict[str, list[tuple[str, int, int]]]) -> list[dict]:
    """One row per gold sentence: its list, its file and the excerpt standing for it (or None)."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for excerpt in report["excerpts"]:
        by_source[excerpt["source"]].append(excerpt)
    rows = []
    for source, items in spans.items():
        for list_name, start, end in items:
            best, best_overlap = None, 0.0
            for e in by_source.get(source, []):
                inter = min(end, e["end"]) - max(start, e["start"])
                if inter <= 0:
                    continue
                overlap = inter / min(end - start, e["end"] - e["start"])
                if overlap > best_overlap:
                    best, best_overlap = e, overlap
            rows.append(
                {
                    "source": source,
                    "list": list_name,
                    "excerpt": best if best_overlap >= 0.5 else None,
                }
            )
    return rows


def score_split(report: dict, gold: dict, matches: list[dict], split: str) -> SplitScores:
    """All figures for the gold files of one split ('tune' or 'holdout')."""
    files = {f for f, entry in gold.items() if entry["split"] == split}
    rows = [m for m in matches if m["source"] in files]
    need_themes = {t["id"] for t in report["themes"] if t["lens"] == "need"}

    def recall(list_name: str, ok) -> float:  # noqa: ANN001 - a predicate
        items = [m for m in rows if m["list"] == list_name]
        return _ratio(sum(1 for m in items if m["excerpt"] and ok(m["excerpt"])), len(items))

    def precision(kind: str, list_name: str) -> float:
        judged = {}
        for m in rows:
            if m["excerpt"] and kind in m["excerpt"]["kinds"]:
                judged.setdefault(m["excerpt"]["id"], set()).add(m["list"])
        return _ratio(sum(1 for lists in judged.values() if list_name in lists), len(judged))

    return SplitScores(
        split=split,
        participants=len(files),
        segment_ari=segment_ari(report, gold, files),
        trigger_recall=recall("triggers", lambda e: "trigger" in e["kinds"]),
        trigger_precision=precision("trigger", "triggers"),
        objection_recall=recall("objections", lambda e: "objection" in e["kinds"]),
        objection_precision=precision("objection", "objections"),
        needs_recall=recall(
            "needs",
            lambda e: (
                bool({"need", "outcome"} & set(e["kinds"])) and bool(need_themes & set(e["themes"]))
            ),
        ),
    )


def segment_ari(report: dict, gold: dict, files: set[str]) -> float:
    """Adjusted Rand index of suggested vs planted segments over the given files' participants."""
    segment_of = {(p["source"], p["name"]): p["segment"] for p in report["participants"]}
    planted, suggested = [], []
    for source in sorted(files):
        entry = gold[source]
        planted.append(entry["segment"])
        suggested.append(segment_of.get((source, entry["participant"])) or "none")
    return round(float(adjusted_rand_score(planted, suggested)), 4)


def evaluate(report: dict, gold: dict, texts: dict[str, str]) -> dict[str, SplitScores]:
    """Scores on the tuning and held-out halves."""
    matches = match_gold(report, gold_spans(gold, texts))
    return {split: score_split(report, gold, matches, split) for split in ("tune", "holdout")}


def study_figures(report: dict) -> dict[str, float | int]:
    """Figures that do not need gold: unassigned shares, themes of a single participant."""
    m = report["measures"]
    single = sum(1 for t in report["themes"] if len(t["participants"]) < 2)
    need_psy = [
        e for e in report["excerpts"] if {"need", "outcome", "psychographic"} & set(e["kinds"])
    ]
    lens_theme = {t["id"]: t["lens"] for t in report["themes"]}
    unassigned = sum(
        1
        for e in need_psy
        if not any(lens_theme[t] in ("need", "psychographic") for t in e["themes"])
    )
    return {
        "unassigned_need_psychographic": _ratio(unassigned, len(need_psy)),
        "single_participant_themes": single,
        "themes": len(report["themes"]),
        "segments": len(report["segments"]),
        "silhouette": m.get("silhouette", 0.0),
    }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0
