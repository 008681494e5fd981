"""The grading rule of a study: a report.json against the study's gold.json.

A port of the shared grading rule, kept figure for figure: a gold string matches an excerpt of the
same source file when, after normalisation, one contains the other or their token F1 is at least
0.6. Recall of a kind counts gold strings matched by an excerpt of that kind; precision counts only
"judged" excerpts (those matching some gold string of the file) and calls one correct when it
matches a gold string of its own kind.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sklearn.metrics import adjusted_rand_score

GOLD_LISTS = ("triggers", "objections", "needs", "neither")
CATEGORIES: dict[str, tuple[str, frozenset[str]]] = {
    "trigger": ("triggers", frozenset({"trigger"})),
    "objection": ("objections", frozenset({"objection"})),
    "need": ("needs", frozenset({"need", "outcome"})),
}
LENSES = ("need", "psychographic", "trigger", "objection")


def norm_tokens(s: str) -> list[str]:
    """Lower-case word tokens, curly apostrophes straightened."""
    return re.findall(r"[a-z0-9']+", s.lower().replace("\u2019", "'"))


def matches(gold: str, text: str) -> bool:
    """Whether an excerpt's text stands for a gold string (containment or token F1 >= 0.6)."""
    g, t = norm_tokens(gold), norm_tokens(text)
    if not g or not t:
        return False
    gs, ts = " ".join(g), " ".join(t)
    if gs in ts or (len(t) >= 4 and ts in gs):
        return True
    pool: dict[str, int] = defaultdict(int)
    for w in t:
        pool[w] += 1
    common = 0
    for w in g:
        if pool[w] > 0:
            pool[w] -= 1
            common += 1
    if common == 0:
        return False
    p, r = common / len(t), common / len(g)
    return 2 * p * r / (p + r) >= 0.6


def base_name(source: object) -> str:
    return str(source).split("/")[-1]


def grade(report: dict, gold: dict) -> dict:
    """Every figure of one study. ``gold`` is gold.json's ``files`` mapping."""
    parts = {p["id"]: p for p in report.get("participants", [])}
    by_source: dict[str, list[dict]] = defaultdict(list)
    for e in report.get("excerpts", []):
        src = e.get("source") or parts.get(e.get("participant"), {}).get("source")
        by_source[base_name(src)].append(e)

    out: dict = {}
    seg_of_source = {base_name(p.get("source")): p.get("segment") for p in parts.values()}
    files = sorted(gold)
    pred = [str(seg_of_source.get(f)) for f in files]
    truth = [gold[f]["segment"] for f in files]
    out["segment_ari"] = round(float(adjusted_rand_score(truth, pred)), 3)
    out["segments_found"] = len(set(pred))
    out["segments_planted"] = len(set(truth))
    out["participants_missing"] = [f for f in files if f not in seg_of_source]

    for name, (key, kinds) in CATEGORIES.items():
        total = hit = 0
        for f in files:
            for g in gold[f].get(key, []):
                total += 1
                if any(
                    matches(g, e["text"]) and kinds & set(e.get("kinds", [])) for e in by_source[f]
                ):
                    hit += 1
        out[f"{name}_recall"] = round(hit / total, 3) if total else None
        judged = correct = 0
        for f in files:
            own = gold[f].get(key, [])
            others = [g for k in GOLD_LISTS if k != key for g in gold[f].get(k, [])]
            for e in by_source[f]:
                if not kinds & set(e.get("kinds", [])):
                    continue
                if any(matches(g, e["text"]) for g in own):
                    judged += 1
                    correct += 1
                elif any(matches(g, e["text"]) for g in others):
                    judged += 1
        out[f"{name}_precision"] = round(correct / judged, 3) if judged else None
        out[f"{name}_judged"] = judged

    total = hit = 0
    for f in files:
        for quotes in gold[f].get("psychographic_evidence", {}).values():
            for g in quotes:
                total += 1
                if any(
                    matches(g, e["text"]) and "psychographic" in e.get("kinds", [])
                    for e in by_source[f]
                ):
                    hit += 1
    out["psychographic_recall"] = round(hit / total, 3) if total else None

    lensy = [
        e
        for e in report.get("excerpts", [])
        if {"need", "outcome", "psychographic"} & set(e.get("kinds", []))
    ]
    unassigned = [e for e in lensy if not e.get("themes")]
    out["lens_excerpts"] = len(lensy)
    out["unassigned_share"] = round(len(unassigned) / len(lensy), 3) if lensy else None
    themes = report.get("themes", [])
    out["themes_by_lens"] = {
        lens: sum(1 for t in themes if t.get("lens") == lens) for lens in LENSES
    }
    out["single_participant_themes"] = sum(
        1 for t in themes if len(set(t.get("participants", []))) < 2
    )
    return out
