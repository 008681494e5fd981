"""The one way from stored excerpts to the text that is embedded, labelled or described.

The analysis embeds and labels excerpts cut from pseudonymised transcripts
(``privacy.study.pseudonymise_study``). Anything that later embeds or describes excerpts of a
stored result (the excerpt map, splitting a theme) reads their text here, so it sees exactly the
text the run saw: the same cache rows, and never a name while the project pseudonymises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from qualseg.privacy import pseudonymisation_enabled, pseudonymiser_for
from qualseg.privacy.study import pseudonymise_transcript
from qualseg.store import ProjectStore


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
            cut[source] = (
                None
                if stored is None
                else pseudonymise_transcript(store.load_transcript(stored.id), p)
            )
        if cut[source] is None:
            out.append(p.apply(e["text"]))
            continue
        pseudo, forward = cut[source]
        out.append(pseudo.speech_between(forward.start(e["start"]), forward.end(e["end"])))
    return out
