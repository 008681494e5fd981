"""Short and full forms of one name in one transcript (``David`` and ``David Ashpole``).

Transcribers often write a speaker's full name on the first turns and the first name later, or
the reverse. Two labels of one file are read as one speaker when one is a short form of the
other (the first name, the last name, or an initial and the last name: :func:`are_variants`), both
are personal names (not ``Speaker 1`` or ``Interviewer``), and they do not sit on both sides of
the interview (one the interviewer, the other the participant). The longer form is kept and the
import report says so: nothing is merged without a word. The same check across files only
proposes a merge (:func:`variant_pairs`), since two interviews may be two people.
"""

from __future__ import annotations

from dataclasses import replace

from qualseg.ingest.names import is_generic_label, is_name
from qualseg.ingest.notes import note
from qualseg.ingest.roles import detect_roles
from qualseg.models import Transcript


def are_variants(a: str, b: str) -> bool:
    """Whether two different labels are a short and a full form of one personal name: the
    short form's words are, in order, words of the full form or their initials (``David``,
    ``Ashpole``, ``D. Ashpole``, ``David A.`` for ``David Ashpole``). ``Anna Lee`` and
    ``Adam Lee`` are not: neither is a short form of the other."""
    if a.casefold() == b.casefold() or not (is_name(a) and is_name(b)):
        return False
    if is_generic_label(a) or is_generic_label(b):
        return False
    short, full = sorted((_words(a), _words(b)), key=lambda w: (len(w), sum(map(len, w))))
    return _short_form(short, full)


def _words(name: str) -> list[str]:
    return [w.strip(".").casefold() for w in name.split() if w.strip(".")]


def _short_form(short: list[str], full: list[str]) -> bool:
    """``short`` matches ``full`` word by word, in order, each word whole or as an initial,
    and says less (fewer words, or an initial)."""
    k = 0
    initials = 0
    for word in short:
        while k < len(full) and not (
            word == full[k] or (len(word) == 1 and full[k].startswith(word))
        ):
            k += 1
        if k == len(full):
            return False
        initials += word != full[k]
        k += 1
    return len(short) < len(full) or initials > 0


def merge_name_variants(t: Transcript, *, participant_name: str | None = None) -> Transcript:
    """``t`` with each short form of a speaker's name relabelled to its full form (roles
    decided again), noted for the import report; ``t`` itself when there is none."""
    renames: dict[str, str] = {}
    speakers = t.speakers
    for short in speakers:
        fulls = [
            full
            for full in speakers
            if full != short
            and len(full.split()) > len(short.split())
            and are_variants(short, full)
            and {t.roles.get(short), t.roles.get(full)} != {"interviewer", "participant"}
        ]
        if len(fulls) == 1:  # "David" with "David Ashpole" and "David Brandt": not guessed
            renames[short] = fulls[0]
    if not renames:
        return t
    for short, full in renames.items():
        note(
            f"the speakers {short!r} and {full!r} were read as one person, {full!r} (a short "
            "and a full form of one name); if they are two people, give them distinct labels"
        )
    utterances = tuple(replace(u, speaker=renames.get(u.speaker, u.speaker)) for u in t.utterances)
    return detect_roles(replace(t, utterances=utterances), participant_name=participant_name)


def variant_pairs(names: list[str], others: list[str]) -> list[tuple[str, str]]:
    """(name, other) pairs where a name of ``names`` may be the same person as one of
    ``others`` (a short and a full form), for a proposal in the import report."""
    return [(a, b) for a in names for b in others if are_variants(a, b)]
