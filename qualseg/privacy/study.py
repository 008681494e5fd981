"""Analyze a pseudonymised study, keep the researcher's verbatim view.

``pseudonymise_study`` gives the pipeline transcripts whose text is pseudonymised (turn spans
moved with the ``OffsetMap``), so excerpts, embeddings, the interviewer prompts, keyphrases and
theme labels only ever see "Participant 3" and "Company B". ``restore_result`` then puts every
excerpt back on the original text: original offsets, verbatim original words, and keys
(``<hash prefix>:<start>-<end>``) in original offsets, so that quotes open at the right place and
the researcher's edits still find their excerpts. The pseudonymised texts themselves are not
stored; the caches hold only vectors and keyphrases keyed by their hashes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from qualseg.analysis import AnalysisResult, Study, StudyTranscript
from qualseg.models import Transcript
from qualseg.privacy.pseudonymiser import OffsetMap, Pseudonymiser, Replacement


@dataclass(frozen=True)
class StudyMaps:
    """Per source: the original transcript and the map from pseudonymised offsets back to it."""

    originals: dict[str, Transcript]
    back: dict[str, OffsetMap]


def pseudonymise_study(study: Study, p: Pseudonymiser) -> tuple[Study, StudyMaps]:
    """The study with pseudonymised transcript texts, and the maps to undo it."""
    transcripts, originals, back = [], {}, {}
    for st in study.transcripts:
        t = st.transcript
        pseudo, forward = pseudonymise_transcript(t, p)
        transcripts.append(StudyTranscript(pseudo, st.participant_ids, st.key_prefix))
        originals[t.source] = t
        back[t.source] = _inverse(forward)
    return Study(transcripts=transcripts, participants=study.participants), StudyMaps(
        originals, back
    )


def pseudonymise_transcript(t: Transcript, p: Pseudonymiser) -> tuple[Transcript, OffsetMap]:
    """The transcript with pseudonymised text (turn spans moved along), and the map from its
    original offsets to the pseudonymised ones."""
    text, forward = p.apply_with_offsets(t.text)
    utterances = tuple(
        replace(u, spans=tuple((forward.start(a), forward.end(b)) for a, b in u.spans))
        for u in t.utterances
    )
    pseudo = replace(
        t,
        text=text,
        utterances=utterances,
        participant_names={k: p.apply(v) for k, v in t.participant_names.items()},
    )
    return pseudo, forward


def _inverse(forward: OffsetMap) -> OffsetMap:
    """Map offsets of the pseudonymised text back to the original text."""
    inverse = []
    for r in forward.replacements:
        start = forward.start(r.start)
        # only the length of the "pseudonym" matters to an OffsetMap: the original's length
        inverse.append(Replacement(start, start + len(r.pseudonym), "x" * (r.end - r.start)))
    return OffsetMap.of(inverse)


def restore_result(result: AnalysisResult, maps: StudyMaps, key_prefix: dict[str, str]) -> None:
    """Put the result's excerpts back on the original texts, in place (keys renamed everywhere).

    Args:
        key_prefix: source -> the transcript's excerpt key prefix.
    """
    renamed: dict[str, str] = {}
    excerpts = []
    for e in result.excerpts:
        back = maps.back[e.source]
        start, end = back.start(e.start), back.end(e.end)
        original = maps.originals[e.source]
        key = f"{key_prefix[e.source]}:{start}-{end}"
        renamed[e.key] = key
        excerpts.append(
            replace(e, key=key, start=start, end=end, text=original.speech_between(start, end))
        )
    result.excerpts = excerpts
    result.kinds = {renamed[k]: v for k, v in result.kinds.items()}
    result.kind_scores = {renamed[k]: v for k, v in result.kind_scores.items()}
    for theme in result.themes:
        theme.excerpts = [renamed[k] for k in theme.excerpts]
        theme.quotes = [renamed[k] for k in theme.quotes]
    for segment in result.segments:
        segment.quotes = [renamed[k] for k in segment.quotes]
