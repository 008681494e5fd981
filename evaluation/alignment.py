"""How well a researcher could assemble the planted segments from a report's needs themes.

A port of the shared theme-alignment measure: for each planted segment, the best single needs
theme by F1 between the theme's participants and the segment's ("best theme"), and the best union
of up to three needs themes, chosen greedily ("best merge").
"""

from __future__ import annotations

from evaluation.grading import base_name


def f1(a: set, b: set) -> float:
    inter = len(a & b)
    return 0.0 if not inter else 2 * inter / (len(a) + len(b))


def theme_alignment(report: dict, gold: dict) -> dict:
    """Per planted segment and on average; ``gold`` is gold.json's ``files`` mapping."""
    src_of = {p["id"]: base_name(p.get("source")) for p in report["participants"]}
    themes = [t for t in report["themes"] if t.get("lens") == "need"]
    tsets = [{src_of.get(p) for p in t.get("participants", [])} for t in themes]
    out: dict[str, dict[str, float]] = {}
    for seg in sorted({v["segment"] for v in gold.values()}):
        members = {f for f, v in gold.items() if v["segment"] == seg}
        best = max((f1(t, members) for t in tsets), default=0.0)
        cur: set = set()
        score = 0.0
        for _ in range(3):
            cand = max(((f1(cur | t, members), i) for i, t in enumerate(tsets)), default=(0.0, -1))
            if cand[0] <= score:
                break
            score, cur = cand[0], cur | tsets[cand[1]]
        out[seg] = {"best_theme_f1": round(best, 3), "best_merge_f1": round(score, 3)}
    n = len(out) or 1
    return {
        "segments": out,
        "mean_best_theme_f1": round(sum(v["best_theme_f1"] for v in out.values()) / n, 3),
        "mean_best_merge_f1": round(sum(v["best_merge_f1"] for v in out.values()) / n, 3),
        "need_themes": len(themes),
    }
