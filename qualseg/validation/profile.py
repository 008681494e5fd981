"""Who is in a segment and what defines it: membership, live themes, theme lift, the
segment's profile (members, metadata mix, themes per lens)."""

from __future__ import annotations

from collections import Counter

from qualseg.report import quote_of
from qualseg.report_types import Report, ReportSegment, ReportTheme
from qualseg.segments import theme_lift
from qualseg.validation.model import LENS_FIELDS, OUTSIDE, SegmentProfile, ThemeInSegment


def assignment(report: Report) -> dict[str, str]:
    """Participant id -> segment id, for participants who are in a segment."""
    out = {p["id"]: p["segment"] for p in report.get("participants", []) if p.get("segment")}
    for s in report.get("segments", []):
        for person in s.get("participants", []):
            out.setdefault(person, s["id"])
    return out


def live_themes(report: Report) -> dict[str, ReportTheme]:
    return {t["id"]: t for t in report.get("themes", []) if not t.get("dismissed")}


def find_segment(report: Report, segment_id: str) -> ReportSegment:
    for s in report.get("segments", []):
        if s["id"] == segment_id:
            return s
    raise KeyError(f"no segment {segment_id}")


def lifts(report: Report) -> dict[str, dict[str, float]]:
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


def defining_themes(report: Report, segment_id: str) -> list[str]:
    """The themes that define a segment: its needs themes, and its psychographic themes (those
    with lift above 1 for a suggested segment, all of them for one built by hand)."""
    segment = find_segment(report, segment_id)
    live = live_themes(report)
    seg_lift = lifts(report).get(segment_id, {})
    psych = [
        t
        for t in segment.get("psychographics", [])
        if t in live and (segment.get("built") or seg_lift.get(t, 0.0) > 1.0)
    ]
    return [t for t in segment.get("themes", []) if t in live] + psych


# -- profile --------------------------------------------------------------------------------------


def segment_profile(report: Report, segment_id: str, *, min_share: float = 0.34) -> SegmentProfile:
    """Who is in a segment and what they say, lens by lens.

    Per lens: the themes listed on the segment first, then other themes voiced by at least
    ``min_share`` of its members (at least two), strongest first.
    """
    segment = find_segment(report, segment_id)
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
