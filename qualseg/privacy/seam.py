"""The one way from stored excerpts to the text that is embedded, labelled or described.

The analysis embeds and labels excerpts cut from pseudonymised transcripts
(``privacy.study.pseudonymise_study``). Anything that later embeds or describes excerpts of a
stored result (the excerpt map, splitting a theme) reads their text here, so it sees exactly the
text the run saw: the same cache rows, and never a name while the project pseudonymises.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from qualseg.models import Transcript
from qualseg.privacy import pseudonymisation_enabled, pseudonymiser_for
from qualseg.privacy.pseudonymiser import OffsetMap, Pseudonymiser
from qualseg.privacy.study import pseudonymise_transcript
from qualseg.store import ProjectStore, StoredTranscript

# Each store's transcripts as last pseudonymised, by source: (transcript, pseudonymiser's
# fingerprint, result). Scanning whole transcripts for every identifier pattern cost more than
# the rest of a split; an entry is used again only for an equal transcript (text, turns, roles,
# names) and an equal pseudonymiser (review list, patterns), else it is replaced.
_DONE: weakref.WeakKeyDictionary[ProjectStore, dict[str, tuple]] = weakref.WeakKeyDictionary()


def model_texts(store: ProjectStore, excerpts: Sequence[Mapping[str, Any]]) -> list[str]:
    """The text of each report excerpt (``source``, ``start``, ``end``, ``text``) as the models
    may read it: cut from the pseudonymised transcript at the excerpt's place when the project
    pseudonymises, the verbatim text otherwise. An excerpt whose transcript is not stored any
    more has its own text pseudonymised."""
    if not pseudonymisation_enabled(store):
        return [e["text"] for e in excerpts]
    p = pseudonymiser_for(store)
    cut: dict[str, tuple] = {}
    out = []
    for e in excerpts:
        source = e["source"]
        if source not in cut:
            stored = store.transcript_by_source(source)
            cut[source] = None if stored is None else _pseudonymised(store, stored, p)
        if cut[source] is None:
            out.append(p.apply(e["text"]))
            continue
        pseudo, forward = cut[source]
        out.append(pseudo.speech_between(forward.start(e["start"]), forward.end(e["end"])))
    return out


def forget(store: ProjectStore) -> None:
    """Drop what :func:`model_texts` kept of a store's transcripts (an erasure calls it)."""
    _DONE.pop(store, None)


def _pseudonymised(
    store: ProjectStore, stored: StoredTranscript, p: Pseudonymiser
) -> tuple[Transcript, OffsetMap]:
    transcript = store.load_transcript(stored.id)
    mark = (
        tuple(sorted(p.terms.items())),
        tuple((rx.pattern, rx.flags, name) for rx, name in p.patterns),
    )
    done = _DONE.setdefault(store, {})
    kept = done.get(stored.source)
    if kept is not None and kept[1] == mark and kept[0] == transcript:
        return kept[2]
    result = pseudonymise_transcript(transcript, p)
    done[stored.source] = (transcript, mark, result)
    return result
