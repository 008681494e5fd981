"""Can a segment be reached and acted on: firmographic mirroring (metadata that tells its
members apart) and the MASE checklist of :func:`validate`."""

from __future__ import annotations

from collections import Counter

from qualseg.report_types import Report, ReportTheme
from qualseg.segments import metadata_association
from qualseg.validation.distinctness import (
    distinctness_level,
    distinctness_reading,
    overlaps,
    shared_themes,
    silhouettes,
)
from qualseg.validation.model import (
    CRITERIA,
    CRITERION_QUESTIONS,
    DOMINANT_SHARE,
    NOT_REACHABLE,
    PARTIAL_V,
    Check,
    Distinct,
    Mirror,
    SegmentProfile,
    SegmentValidation,
    ThemeInSegment,
)
from qualseg.validation.profile import (
    assignment,
    defining_themes,
    find_segment,
    lifts,
    live_themes,
    segment_profile,
)


def mirroring(report: Report, segment_id: str) -> tuple[list[Mirror], list[str]]:
    """Whether the segments merely mirror a metadata column (Cramér's V), read for one segment.

    Columns where (almost) every participant has a value of their own (company, name...) say
    nothing about mirroring and are returned apart as skipped.
    """
    segment_of = assignment(report)
    people = {p["id"]: p.get("metadata") or {} for p in report.get("participants", [])}
    in_segments = {p: people.get(p, {}) for p in segment_of}
    n = len(in_segments)
    columns = sorted({c for m in in_segments.values() for c in m})
    skipped = [
        c for c in columns if len({m.get(c, "") for m in in_segments.values()}) > max(n / 2, 2)
    ]
    if len(set(segment_of.values())) < 2:
        return [], skipped
    association = metadata_association(
        segment_of,  # type: ignore[arg-type]
        {p: {c: v for c, v in m.items() if c not in skipped} for p, m in in_segments.items()},
    )
    members = [p for p, s in segment_of.items() if s == segment_id]
    out = []
    for column, measures in sorted(association.items(), key=lambda kv: -kv[1]["cramers_v"]):
        v = float(measures["cramers_v"])
        values = Counter(in_segments[p].get(column, "") for p in members)
        value, count = values.most_common(1)[0] if values else ("", 0)
        share = count / len(members) if members else 0.0
        proxy = bool(measures["proxy"])  # the engine's rule: Cramér's V and adjusted Rand
        if proxy:
            reading = f"mirrors {column} (Cramér's V {v:.2f})"
        elif v >= PARTIAL_V:
            reading = f"partly follows {column} (Cramér's V {v:.2f})"
        else:
            reading = f"independent of {column} (Cramér's V {v:.2f})"
        if members and value:
            reading += f": {count} of {len(members)} members are {value}"
        out.append(Mirror(column, round(v, 3), proxy, value, round(share, 3), reading))
    return out, skipped


# -- checklist ------------------------------------------------------------------------------------


def validate(report: Report, segment_id: str) -> SegmentValidation:
    """Size, distinctness, shared themes, mirroring and the MASE checklist of one segment."""
    segment = find_segment(report, segment_id)
    segment_of = assignment(report)
    total = len(report.get("participants", []))
    size = len(segment.get("participants", []))
    share = round(size / total, 3) if total else 0.0
    live = live_themes(report)
    defining = defining_themes(report, segment_id)
    all_lifts = lifts(report).get(segment_id, {})
    seg_lifts = {t: all_lifts[t] for t in defining if t in all_lifts}
    sil = silhouettes(report).get(segment_id)
    found = overlaps(report, segment_id)
    n_segments = len({s for s in segment_of.values()})
    reading = distinctness_reading(
        seg_lifts,
        {t: live[t]["label"] for t in defining},
        found,
        sil,
        n_segments,
        size,
    )
    level = distinctness_level(seg_lifts, found, n_segments, size)
    mirrors, skipped = mirroring(report, segment_id)
    profile = segment_profile(report, segment_id)
    notes = segment.get("notes", {}) or {}
    checks = _checklist(
        size, share, total, defining, seg_lifts, live, (level, reading), mirrors, profile, notes
    )
    return SegmentValidation(
        segment=segment_id,
        label=segment["label"],
        size=size,
        share=share,
        total_participants=total,
        lifts=seg_lifts,
        silhouette=sil,
        distinctness=reading,
        distinct=level,
        overlaps=found,
        shared_themes=shared_themes(report, segment_id),
        mirrors=mirrors,
        skipped_columns=skipped,
        checklist=checks,
    )


def reachable(column: str, value: str) -> bool:
    """Whether a metadata column is something a team can target (role, size, industry, region,
    channel) rather than how an interview or a deal went (outcome, status, score)."""
    words = f"{column} {value}".lower().replace("_", " ").replace("-", " ").split()
    return not NOT_REACHABLE & set(words)


def _checklist(
    size: int,
    share: float,
    total: int,
    defining_ids: list[str],
    seg_lifts: dict[str, float],
    live: dict[str, ReportTheme],
    distinct: tuple[Distinct, str],
    mirrors: list[Mirror],
    profile: SegmentProfile,
    notes: dict[str, str],
) -> list[Check]:
    def names(rows: list[ThemeInSegment], n: int = 3) -> str:
        return ", ".join(r.label for r in rows[:n])

    defining = ", ".join(
        live[t]["label"] + (f" ({seg_lifts[t]:.1f}×)" if t in seg_lifts else "")
        for t in defining_ids
    )
    measurable = (
        "supported" if size >= 2 and defining_ids else "weak",
        f"{size} participants; defined by {defining}"
        if defining_ids
        else f"{size} participants; no defining theme yet",
    )
    substantial_status = "supported" if size >= 3 and share >= 0.2 else "weak"
    substantial = (
        substantial_status if size else "weak",
        f"{size} of {total} participants ({share:.0%}). Interviews show that the segment "
        "exists, not how large the market is: size it with a survey or CRM data.",
    )
    reach = [
        f"{count}/{size} {value} ({column})"
        for column, counter in sorted(profile.metadata_mix.items())
        for value, count in counter.most_common(1)
        if size and value and count / size >= DOMINANT_SHARE and reachable(column, value)
    ]
    triggers = profile.themes.get("trigger", [])
    accessible = (
        "supported" if reach else "your call",
        (
            "Members share what a team can target: " + "; ".join(reach[:3])
            if reach
            else "No role, firmographic or channel shared by most members in the metadata: "
            "where to reach them is your call"
        )
        + (f". Moments to reach them: {names(triggers)}" if triggers else "")
        + ".",
    )
    level, reading = distinct
    proxies = [m.reading for m in mirrors if m.proxy]
    differentiable = (
        "supported" if level == "clear" else "weak",
        reading + (f" Note: it {'; '.join(proxies)}." if proxies else ""),
    )
    objections = profile.themes.get("objection", [])
    needs = profile.themes.get("need", [])
    actionable = (
        "supported" if needs and (triggers or objections) and profile.quotes else "weak",
        f"Needs: {names(needs) or 'none'}. Triggers: {names(triggers) or 'none'}. "
        f"Objections to answer: {names(objections) or 'none'}. {len(profile.quotes)} quotes "
        "to use.",
    )
    found_checks = {
        "measurable": measurable,
        "accessible": accessible,
        "substantial": substantial,
        "differentiable": differentiable,
        "actionable": actionable,
    }
    return [Check(c, CRITERION_QUESTIONS[c], *found_checks[c], notes.get(c, "")) for c in CRITERIA]
