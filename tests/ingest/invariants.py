"""Checks every transcript from every reader must pass."""

from __future__ import annotations

import math

from qualseg.ingest.cues import TAG
from qualseg.models import ROLES, Transcript


def check_transcript(t: Transcript) -> None:
    """The offset invariants and the role fields of a parsed transcript."""
    assert isinstance(t, Transcript)
    assert t.utterances, "a transcript has at least one turn"
    previous_end = 0
    for i, u in enumerate(t.utterances):
        assert u.index == i
        assert u.speaker and u.speaker == u.speaker.strip()
        assert u.spans, f"turn {i} has no spans"
        for a, b in u.spans:
            assert 0 <= a < b <= len(t.text), (a, b, len(t.text))
            assert a >= previous_end, f"span {(a, b)} overlaps or precedes {previous_end}"
            piece = t.text[a:b]
            assert piece == piece.strip(), repr(piece)
            assert "\n" not in piece, repr(piece)
            previous_end = b
        if u.timestamp is not None:
            assert math.isfinite(u.timestamp) and u.timestamp >= 0
    speakers = set(t.speakers)
    assert set(t.roles) == speakers
    assert set(t.roles.values()) <= set(ROLES)
    assert set(t.role_reasons) == speakers
    assert all(reason.strip() for reason in t.role_reasons.values())
    assert set(t.participant_names) <= speakers


def check_no_markup(t: Transcript) -> None:
    """Caption formats: no timing line or tag inside a span."""
    for u in t.utterances:
        for a, b in u.spans:
            piece = t.text[a:b]
            assert "-->" not in piece, repr(piece)
            assert TAG.search(piece) is None, repr(piece)


def turns(t: Transcript) -> list[tuple[str, str]]:
    """(speaker, verbatim speech) of every turn."""
    return [(u.speaker, u.text_in(t.text)) for u in t.utterances]


def timestamps(t: Transcript) -> list[float | None]:
    return [u.timestamp for u in t.utterances]
