"""What a deletion removes from documents: stored run results, logged edits, the review list.

Pure functions over dicts and records; :mod:`qualseg.deletion` runs them inside its transaction.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qualseg.models import Span
from qualseg.report_types import Report
from qualseg.store import StoredSpeaker
from qualseg.store.runs import EditRecord


@dataclass(frozen=True)
class Gone:
    """Which excerpts, quotes and participants a deletion removes."""

    source: str
    key_prefix: str  # the transcript's hash prefix, as in excerpt keys
    people: frozenset[str]  # participant refs, "P<speaker id>"
    spans: tuple[Span, ...] | None  # the removed speech; None for the whole transcript

    def key(self, key: str) -> bool:
        prefix, _, where = key.partition(":")
        if prefix != self.key_prefix:
            return False
        if self.spans is None:
            return True
        start, _, end = where.partition("-")
        try:
            a, b = int(start), int(end)
        except ValueError:
            return True  # a malformed key of this transcript: removed to be safe
        return any(x < b and a < y for x, y in self.spans)

    def item(self, item: Mapping[str, Any]) -> bool:
        """An excerpt (``id``) or a quote (``excerpt``) of the removed speech."""
        return item.get("participant") in self.people or self.key(
            str(item.get("excerpt", item.get("id", "")))
        )


def scrub_report(report: Report, gone: Gone) -> tuple[Report, int, int]:
    """A copy of a result document (report.json shape) without the removed speech.

    Returns:
        The document, the number of excerpts and the number of quotes removed.
    """
    out = copy.deepcopy(report)
    before = len(out.get("excerpts", []))
    out["excerpts"] = [e for e in out.get("excerpts", []) if not gone.item(e)]
    out["participants"] = [p for p in out.get("participants", []) if p["id"] not in gone.people]
    texts = {e["id"]: e["text"] for e in out["excerpts"]}
    quotes = 0
    themes, dropped = [], set()
    for theme in out.get("themes", []):
        members = [k for k in theme["excerpts"] if k in texts and not gone.key(k)]
        kept_quotes = [q for q in theme["quotes"] if not gone.item(q)]
        quotes += len(theme["quotes"]) - len(kept_quotes)
        if members == theme["excerpts"] and len(kept_quotes) == len(theme["quotes"]):
            themes.append(theme)
            continue
        if not members:
            dropped.add(theme["id"])
            continue
        said = [texts[k].lower() for k in members]
        theme["excerpts"], theme["quotes"] = members, kept_quotes
        theme["participants"] = [p for p in theme["participants"] if p not in gone.people]
        theme["keyphrases"] = [k for k in theme["keyphrases"] if _said(k, said)]
        theme["label"] = _relabel(theme["label"], said, theme["keyphrases"], texts[members[0]][:60])
        themes.append(theme)
    out["themes"] = themes
    for excerpt in out["excerpts"]:
        excerpt["themes"] = [t for t in excerpt.get("themes", []) if t not in dropped]
    quotes += _scrub_segments(out, gone, dropped, [t.lower() for t in texts.values()])
    out["pins"] = [k for k in out.get("pins", []) if not gone.key(k)]
    if "pins" not in report:
        del out["pins"]
    if out != report:
        out.setdefault("run", {})["erasures"] = int(report.get("run", {}).get("erasures", 0)) + 1
    return out, before - len(out["excerpts"]), quotes


def _scrub_segments(out: Report, gone: Gone, dropped: set[str], corpus: list[str]) -> int:
    labels = {t["id"]: t["label"] for t in out["themes"]}
    quotes, segments = 0, []
    for seg in out.get("segments", []):
        if "voiced_by" in seg:  # who voices a built segment's themes (edits.py): ids only
            seg["voiced_by"] = [p for p in seg["voiced_by"] if p not in gone.people]
        people = [p for p in seg["participants"] if p not in gone.people]
        kept_quotes = [q for q in seg.get("quotes", []) if not gone.item(q)]
        quotes += len(seg.get("quotes", [])) - len(kept_quotes)
        lists = {
            f: [t for t in seg.get(f, []) if t not in dropped]
            for f in ("themes", "psychographics", "triggers", "objections")
        }
        unchanged = all(lists[f] == seg.get(f, []) for f in lists)
        if unchanged and people == seg["participants"] and kept_quotes == seg.get("quotes", []):
            segments.append(seg)
            continue
        if not people and not seg.get("built"):
            continue
        seg.update(lists, participants=people, quotes=kept_quotes)
        measures = seg.get("measures", {})
        if "size" in measures:
            measures["size"] = len(people)
        if isinstance(measures.get("theme_lift"), dict):
            measures["theme_lift"] = {
                k: v for k, v in measures["theme_lift"].items() if k not in dropped
            }
        first = next((labels[t] for t in lists["themes"] if t in labels), seg["id"])
        seg["label"] = _relabel(seg["label"], corpus, [], first)
        segments.append(seg)
    out["segments"] = segments
    kept = {s["id"] for s in segments}
    for person in out["participants"]:
        if person.get("segment") not in kept:
            person["segment"] = None
    return quotes


def scrub_edits(
    edits: Iterable[EditRecord], gone: Gone, corpus: list[str]
) -> tuple[list[int], dict[int, dict]]:
    """Edits to delete (about a removed excerpt) and edits whose payload is rewritten (removed
    excerpt keys taken out of theme signatures and splits; words no one says any more dropped).
    """
    delete: list[int] = []
    rewrite: dict[int, dict] = {}
    for edit in edits:
        payload = edit.payload
        if isinstance(payload.get("excerpt"), str) and gone.key(payload["excerpt"]):
            delete.append(edit.id)
            continue
        new = copy.deepcopy(payload)
        refs = [new.get("theme"), new.get("to"), *(new.get("themes") or [])]
        for ref in refs:
            if isinstance(ref, dict) and "signature" in ref:
                ref["signature"] = [k for k in ref["signature"] if not gone.key(k)]
        if "moved" in new:
            new["moved"] = [k for k in new["moved"] if not gone.key(k)]
        if new != payload and edit.kind == "split_theme":
            new["keyphrases"] = [k for k in new.get("keyphrases", []) if _said(k, corpus)]
            for name in ("label", "kept_label"):
                if new.get(name) and _relabel(new[name], corpus, [], "") != new[name]:
                    new[name] = None
        if new != payload:
            rewrite[edit.id] = new
    return delete, rewrite


def scrub_redactions(
    rows: list[tuple[int, str, str]],
    deleted: list[str],
    remaining: list[str],
    names: list[str],
) -> dict[int, str | None]:
    """Review-list rows to delete (None: the surface is found only in deleted text, speaker names
    and metadata) or whose origin to rewrite (it names a deleted person whose name is gone)."""
    gone_names = [n for n in names if len(n.strip()) >= 3 and not _occurs(n, remaining)]
    out: dict[int, str | None] = {}
    for rid, surface, origin in rows:
        if surface.strip() and _occurs(surface, deleted) and not _occurs(surface, remaining):
            out[rid] = None
            continue
        new = origin
        for name in gone_names:
            new = _word(name).sub("a deleted participant", new)
        if new != origin:
            out[rid] = new
    return out


def scrub_terms(terms: list[str], deleted: list[str], remaining: list[str]) -> list[str]:
    """The project's not-personal terms without those found only in deleted text, speaker names
    and metadata (a name marked "not personal" leaves with the person who said it)."""
    return [t for t in terms if not (_occurs(t, deleted) and not _occurs(t, remaining))]


def identity(speakers: list[StoredSpeaker]) -> list[str]:
    """Speakers' labels, names and metadata values: where identifiers come from besides text."""
    return [v for s in speakers for v in (s.label, s.display_name, *s.metadata.values())]


def _word(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(phrase.strip()) + r"(?!\w)", re.IGNORECASE)


def _occurs(phrase: str, texts: list[str]) -> bool:
    pattern = _word(phrase)
    return any(pattern.search(t) for t in texts)


def _said(phrase: str, texts: list[str]) -> bool:
    needle = phrase.lower().strip()
    return bool(needle) and any(needle in t for t in texts)


def _relabel(label: str, said: list[str], keyphrases: list[str], fallback: str) -> str:
    """The label when every word of it is still said (a verb in any form: "chase" in
    "chasing"); else the first keyphrase still said, or ``fallback``."""
    corpus = " ".join(said)
    words = re.findall(r"[\w'’-]+", label.lower())
    if words and all(w in corpus or (len(w) > 3 and w.rstrip("e") in corpus) for w in words):
        return label
    return keyphrases[0] if keyphrases else fallback
