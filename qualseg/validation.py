"""Is a segment real? Profile and validation of one segment of the current study report.

Pure functions over the report (``service.current_state(store).report``), no storage and no
streamlit. The measures come from :mod:`qualseg.segments` (theme lift, metadata association);
each is turned into a plain-words reading a strategist can act on, and into evidence for the
MASE/Kotler checklist (measurable, accessible, substantial, differentiable, actionable), next to
the researcher's own notes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from qualseg.report import quote_of
from qualseg.segments import metadata_association, theme_lift

CRITERIA = ("measurable", "accessible", "substantial", "differentiable", "actionable")
CRITERION_QUESTIONS = {
    "measurable": "Can you tell who is in it and how big it is?",
    "accessible": "Can you reach these people (channels, roles, places)?",
    "substantial": "Is it large or valuable enough to serve?",
    "differentiable": "Do they need something different from the other segments?",
    "actionable": "Can you design an offer, message or programme for them?",
}
LENS_FIELDS = {
    "need": "themes",
    "psychographic": "psychographics",
    "trigger": "triggers",
    "objection": "objections",
}
STRONG_LIFT = 2.0
WEAK_LIFT = 1.3
PROXY_V = 0.8
PARTIAL_V = 0.5
DOMINANT_SHARE = 0.6
# Metadata that says how an interview or a deal went, not who someone is or where to find them:
# a share of such a value is no evidence that a segment can be reached.
NOT_REACHABLE = frozenset(
    [
        "outcome",
        "outcomes",
        "result",
        "results",
        "status",
        "stage",
        "decision",
        "deal",
        "won",
        "lost",
        "bought",
        "churn",
        "churned",
        "converted",
        "conversion",
        "purchase",
        "purchased",
        "score",
        "nps",
        "rating",
        "interview",
        "interviewed",
        "date",
    ]
)
Distinct = Literal["clear", "some", "hardly", "unknown"]
OUTSIDE = "\x00outside"


@dataclass(frozen=True)
class ThemeInSegment:
    """A theme as it shows in one segment: how many members voice it and its lift."""

    id: str
    label: str
    lens: str
    members_voicing: int
    lift: float | None  # None when nobody is outside the segment
    listed: bool  # part of the segment's definition (not just voiced by members)


@dataclass(frozen=True)
class SegmentProfile:
    id: str
    label: str
    participants: list[dict]
    metadata_mix: dict[str, Counter]
    themes: dict[str, list[ThemeInSegment]]  # lens -> themes, strongest first
    quotes: list[dict]


@dataclass(frozen=True)
class Overlap:
    """Another segment sharing defining themes with this one."""

    segment: str
    label: str
    theme_ids: tuple[str, ...]
    theme_labels: tuple[str, ...]


@dataclass(frozen=True)
class Mirror:
    """How much the segments follow one metadata column."""

    column: str
    cramers_v: float
    proxy: bool
    dominant_value: str
    dominant_share: float
    reading: str


@dataclass(frozen=True)
class Check:
    criterion: str
    question: str
    status: str  # "supported" | "weak" | "your call"
    evidence: str
    note: str


@dataclass(frozen=True)
class SegmentValidation:
    segment: str
    label: str
    size: int
    share: float
    total_participants: int
    lifts: dict[str, float]
    silhouette: float | None
    distinctness: str
    distinct: Distinct  # the reading's verdict, for decisions (never parse the sentence)
    overlaps: list[Overlap]
    shared_themes: dict[str, list[str]]  # theme label -> other segments whose members voice it
    mirrors: list[Mirror]
    skipped_columns: list[str]
    checklist: list[Check] = field(default_factory=list)


# -- membership -----------------------------------------------------------------------------------


def assignment(report: dict) -> dict[str, str]:
    """Participant id -> segment id, for participants who are in a segment."""
    out = {p["id"]: p["segment"] for p in report.get("participants", []) if p.get("segment")}
    for s in report.get("segments", []):
        for person in s.get("participants", []):
            out.setdefault(person, s["id"])
    return out


def live_themes(report: dict) -> dict[str, dict]:
    return {t["id"]: t for t in report.get("themes", []) if not t.get("dismissed")}


def _segment(report: dict, segment_id: str) -> dict:
    for s in report.get("segments", []):
        if s["id"] == segment_id:
            return s
    raise KeyError(f"no segment {segment_id}")


def lifts(report: dict) -> dict[str, dict[str, float]]:
    """Segment id -> theme id -> lift: the share of the segment's members voicing the theme over
    the share of every other participant of the study voicing it (participants in no segment
    count as others). A segment that holds every participant has no lift: nobody to compare."""
    segment_of = assignment(report)
    if not segment_of:
        return {}
    everyone = {p["id"] for p in report.get("participants", [])} | set(segment_of)
    full = {p: segment_of.get(p, OUTSIDE) for p in everyone}
    voices = {tid: set(t["participants"]) for tid, t in live_themes(report).items()}
    out = theme_lift(full, voices)  # type: ignore[arg-type]
    out.pop(OUTSIDE, None)
    size = {s: sum(1 for v in full.values() if v == s) for s in out}
    return {s: v for s, v in out.items() if size[s] < len(full)}


def defining_themes(report: dict, segment_id: str) -> list[str]:
    """The themes that define a segment: its needs themes, and its psychographic themes (those
    with lift above 1 for a suggested segment, all of them for one built by hand)."""
    segment = _segment(report, segment_id)
    live = live_themes(report)
    seg_lift = lifts(report).get(segment_id, {})
    psych = [
        t
        for t in segment.get("psychographics", [])
        if t in live and (segment.get("built") or seg_lift.get(t, 0.0) > 1.0)
    ]
    return [t for t in segment.get("themes", []) if t in live] + psych


# -- profile --------------------------------------------------------------------------------------


def segment_profile(report: dict, segment_id: str, *, min_share: float = 0.34) -> SegmentProfile:
    """Who is in a segment and what they say, lens by lens.

    Per lens: the themes listed on the segment first, then other themes voiced by at least
    ``min_share`` of its members (at least two), strongest first.
    """
    segment = _segment(report, segment_id)
    members = set(segment.get("participants", []))
    people = [p for p in report.get("participants", []) if p["id"] in members]
    mix: dict[str, Counter] = {}
    for p in people:
        for column, value in (p.get("metadata") or {}).items():
            mix.setdefault(column, Counter())[value] += 1
    seg_lift = lifts(report).get(segment_id, {})
    live = live_themes(report)
    by_lens: dict[str, list[ThemeInSegment]] = {}
    for lens, name in LENS_FIELDS.items():
        listed = [t for t in segment.get(name, []) if t in live]
        rows = []
        for tid, theme in live.items():
            if theme["lens"] != lens:
                continue
            voicing = len(set(theme["participants"]) & members)
            is_listed = tid in listed
            if not is_listed and (voicing < 2 or voicing < min_share * max(len(members), 1)):
                continue
            rows.append(
                ThemeInSegment(tid, theme["label"], lens, voicing, seg_lift.get(tid), is_listed)
            )
        rows.sort(key=lambda r: (not r.listed, -r.members_voicing, -(r.lift or 0.0), r.id))
        by_lens[lens] = rows
    quotes = list(segment.get("quotes", []))
    if not quotes:
        by_key = {e["id"]: e for e in report.get("excerpts", [])}
        for tid in defining_themes(report, segment_id):
            for key in live[tid]["excerpts"]:
                e = by_key.get(key)
                if e and e["participant"] in members and not e.get("dismissed"):
                    quotes.append(quote_of(e))
        quotes = list({q["excerpt"]: q for q in quotes}.values())[:6]
    return SegmentProfile(segment_id, segment["label"], people, mix, by_lens, quotes)


# -- distinctness ---------------------------------------------------------------------------------


def silhouettes(report: dict) -> dict[str, float]:
    """Mean silhouette of each segment's members, on their needs and psychographic theme
    profiles (share of each participant's themed talk in each theme; cosine distance).

    Empty when there are fewer than two segments with members, or too few profiles.
    """
    segment_of = assignment(report)
    themes = [t for t in live_themes(report).values() if t["lens"] in ("need", "psychographic")]
    if len(set(segment_of.values())) < 2 or not themes:
        return {}
    by_key = {e["id"]: e for e in report.get("excerpts", [])}
    people = sorted(segment_of)
    index = {p: i for i, p in enumerate(people)}
    counts = np.zeros((len(people), len(themes)))
    for j, theme in enumerate(themes):
        for key in theme["excerpts"]:
            person = by_key.get(key, {}).get("participant")
            if person in index:
                counts[index[person], j] += 1
    keep = counts.sum(axis=1) > 0
    labels = np.array([segment_of[p] for p in people])[keep]
    vectors = counts[keep]
    if len(set(labels.tolist())) < 2 or len(labels) <= len(set(labels.tolist())):
        return {}
    from sklearn.metrics import silhouette_samples

    scores = silhouette_samples(vectors, labels, metric="cosine")
    return {s: round(float(scores[labels == s].mean()), 3) for s in sorted(set(labels.tolist()))}


def overlaps(report: dict, segment_id: str) -> list[Overlap]:
    """Other segments that share this segment's defining themes: listed on them too, or voiced
    by at least half of their members."""
    mine = defining_themes(report, segment_id)
    live = live_themes(report)
    out = []
    for other in report.get("segments", []):
        if other["id"] == segment_id:
            continue
        theirs = set(defining_themes(report, other["id"]))
        members = set(other.get("participants", []))
        shared = [
            t
            for t in mine
            if t in theirs
            or (members and len(set(live[t]["participants"]) & members) >= len(members) / 2)
        ]
        if shared:
            out.append(
                Overlap(
                    other["id"],
                    other["label"],
                    tuple(shared),
                    tuple(live[t]["label"] for t in shared),
                )
            )
    return out


def shared_themes(report: dict, segment_id: str) -> dict[str, list[str]]:
    """Each theme of the segment's profile (any lens) -> the other segments where at least half
    of the members, and at least two, voice it too."""
    profile = segment_profile(report, segment_id)
    out: dict[str, list[str]] = {}
    live = live_themes(report)
    for rows in profile.themes.values():
        for row in rows:
            voices = set(live[row.id]["participants"])
            others = [
                s["id"]
                for s in report.get("segments", [])
                if s["id"] != segment_id
                and s.get("participants")
                and len(voices & set(s["participants"])) >= max(2, len(s["participants"]) / 2)
            ]
            if others:
                out[row.label] = others
    return out


def distinctness_level(
    segment_lifts: dict[str, float], found_overlaps: list[Overlap], n_segments: int, size: int
) -> Distinct:
    """How distinct a segment is: clear, some, hardly, or unknown (no member, no other
    segment, no defining theme)."""
    if size == 0 or n_segments < 2 or not segment_lifts:
        return "unknown"
    mean = sum(segment_lifts.values()) / len(segment_lifts)
    if mean >= STRONG_LIFT and not found_overlaps:
        return "clear"
    return "some" if mean >= WEAK_LIFT else "hardly"


def distinctness_reading(
    segment_lifts: dict[str, float],
    labels: dict[str, str],
    found_overlaps: list[Overlap],
    silhouette: float | None,
    n_segments: int,
    size: int,
) -> str:
    """How distinct a segment is, in plain words."""
    if size == 0:
        return "No participant falls in this segment yet, so its distinctness cannot be judged."
    if n_segments < 2:
        return "This is the only segment: there is nothing to compare it with."
    if not segment_lifts:
        return "It has no defining needs or psychographic themes yet: add themes to define it."
    mean = sum(segment_lifts.values()) / len(segment_lifts)
    strongest = max(segment_lifts, key=lambda t: segment_lifts[t])
    parts = []
    if found_overlaps:
        parts.append(
            "overlaps with "
            + "; ".join(f"{o.segment} on {', '.join(o.theme_labels)}" for o in found_overlaps)
        )
    level = distinctness_level(segment_lifts, found_overlaps, n_segments, size)
    head = {"clear": "Clearly distinct", "some": "Somewhat distinct"}.get(level, "Hardly distinct")
    detail = (
        f"its defining themes are voiced {mean:.1f}× as often here as in other segments on "
        f"average (most: {labels.get(strongest, strongest)}, {segment_lifts[strongest]:.1f}×)"
    )
    text = f"{head}: {detail}"
    if parts:
        text += "; it " + "; ".join(parts)
    if silhouette is not None:
        text += f". Silhouette {silhouette:+.2f} ({silhouette_words(silhouette)})"
    return text + "."


def silhouette_words(value: float) -> str:
    if value >= 0.5:
        return "members sit well apart from other segments"
    if value >= 0.25:
        return "reasonably separated"
    if value > 0.0:
        return "weakly separated"
    return "members are as close to other segments as to each other"


# -- firmographic mirroring -----------------------------------------------------------------------


def mirroring(report: dict, segment_id: str) -> tuple[list[Mirror], list[str]]:
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


def validate(report: dict, segment_id: str) -> SegmentValidation:
    """Size, distinctness, shared themes, mirroring and the MASE checklist of one segment."""
    segment = _segment(report, segment_id)
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
    live: dict[str, dict],
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
