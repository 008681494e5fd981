"""Split participant turns into excerpts a reader would quote, keeping exact offsets.

Sentences come from spaCy's punctuation-based sentencizer; over-long sentences are cut at clause
boundaries; back-channel and filler ("Yeah.", "Mm-hmm.") are dropped; fragments shorter than ``min_words`` are merged with a
neighbour in the same turn; a leading "Um, so, " is trimmed (the quote stays a verbatim substring).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Protocol

from qualseg.models import Excerpt, Transcript, Utterance, join_spans
from qualseg.nlp import is_filler, load_sentencizer, words

if TYPE_CHECKING:  # spaCy is imported when a sentencizer is loaded, not with this module
    from spacy.tokens import Span as SpacySpan

_LEADING_FILLER = re.compile(
    r"^(?:(?:um+|uh+|er+m?|so|well|yeah|yes|oh|okay|ok|like|you know|i mean|honestly|right)"
    r"\s*[,.…-]+\s*)+",
    re.IGNORECASE,
)
_CLAUSE_CONJ = {"and", "but", "so", "because", "which", "although", "though", "whereas"}
PIECES_VERSION = "pieces-2"  # 2: a sentence ends on a one-letter pseudonym ("Company Y.")
"""Bumped whenever how a turn is cut changes: cached cuts of another version are never read."""


class PieceCache(Protocol):
    """Where the cuts of each participant turn are kept (offsets only, no text), by
    ``pieces_key``: a re-run then needs no sentencizer, hence no spaCy."""

    def get_pieces(self, keys: Sequence[str]) -> dict[str, list[list[int]]]: ...

    def put_pieces(self, pieces: dict[str, list[list[int]]]) -> None: ...


@dataclass(frozen=True)
class _Piece:
    start: int  # offsets into the joined turn text
    end: int


def excerpt_transcript(
    transcript: Transcript,
    participant_ids: dict[str, int],
    *,
    key_prefix: str,
    min_words: int = 6,
    max_words: int = 45,
    cache: PieceCache | None = None,
) -> list[Excerpt]:
    """The excerpts of every participant turn of one transcript.

    Args:
        transcript: the transcript with roles decided.
        participant_ids: speaker label -> stored participant id (participants only).
        key_prefix: a stable prefix for excerpt keys (the transcript's hash prefix).
        cache: where each turn's cuts are kept (by the turn's text and the settings).
    """
    turns = [u for u in transcript.utterances if u.speaker in participant_ids]
    joined = [u.text_in(transcript.text) for u in turns]
    prompts = _prompts(transcript)
    excerpts: list[Excerpt] = []
    cuts = turn_cuts(joined, min_words=min_words, max_words=max_words, cache=cache)
    for turn, pieces in zip(turns, cuts, strict=True):
        for piece in pieces:
            start = _to_source(turn, transcript.text, piece.start)
            end = _to_source(turn, transcript.text, piece.end - 1) + 1
            excerpts.append(
                Excerpt(
                    key=f"{key_prefix}:{start}-{end}",
                    participant_id=participant_ids[turn.speaker],
                    source=transcript.source,
                    start=start,
                    end=end,
                    text=transcript.speech_between(start, end),
                    utterance_index=turn.index,
                    timestamp=turn.timestamp,
                    prompt=prompts.get(turn.index, ""),
                )
            )
    return excerpts


def turn_cuts(
    texts: Sequence[str], *, min_words: int, max_words: int, cache: PieceCache | None = None
) -> list[list[_Piece]]:
    """The excerpt pieces of each turn text (offsets into it), from the cache where it has
    them; the others are cut with the sentencizer (and cached)."""
    keys = [pieces_key(t, min_words, max_words) for t in texts]
    known = cache.get_pieces(keys) if cache is not None else {}
    todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
    fresh: dict[str, list[list[int]]] = {}
    if todo:
        docs = load_sentencizer().pipe(list(todo.values()), batch_size=256)
        for key, text, doc in zip(todo, todo.values(), docs, strict=True):
            pieces = _turn_pieces(text, doc.sents, min_words=min_words, max_words=max_words)
            fresh[key] = [[p.start, p.end] for p in pieces]
        if cache is not None:
            cache.put_pieces(fresh)
    return [[_Piece(a, b) for a, b in (known[k] if k in known else fresh[k])] for k in keys]


def pieces_key(text: str, min_words: int, max_words: int) -> str:
    """The cache key of a turn's cuts: its text, the settings, this cutter's version and
    spaCy's (its tokenizer finds the sentence ends)."""
    payload = json.dumps(
        [PIECES_VERSION, _spacy_version(), min_words, max_words, text], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@cache
def _spacy_version() -> str:
    try:
        return metadata.version("spacy")
    except metadata.PackageNotFoundError:
        return ""


def _prompts(transcript: Transcript) -> dict[int, str]:
    """Turn index -> the interviewer's last real question before it.

    A back-channel ("Mm-hmm.", "Wow. Forty hours?") does not replace the question being
    answered: a turn counts as a question when it asks something in four words or more, or
    says ten words or more.
    """
    out: dict[int, str] = {}
    last = ""
    for u in transcript.utterances:
        if transcript.roles.get(u.speaker) == "interviewer":
            said = u.text_in(transcript.text)
            n_words = len(words(said))
            if ("?" in said and n_words >= 4) or n_words >= 10 or not last:
                last = said
        else:
            out[u.index] = last
    return out


def _turn_pieces(
    text: str, sentences: Iterable[SpacySpan], *, min_words: int, max_words: int
) -> list[_Piece]:
    pieces: list[_Piece] = []
    for sent in sentences:
        for piece in _split_long(sent, max_words):
            piece = _trim(text, piece)
            if piece is not None and not is_filler(text[piece.start : piece.end]):
                pieces.append(piece)
    return _merge_short(text, pieces, min_words)


def _split_long(sent: SpacySpan, max_words: int) -> list[_Piece]:
    """Cut a sentence of more than max_words at ", and"/", but"/";" between two long parts."""
    n_words = sum(1 for t in sent if not t.is_punct and not t.is_space)
    if n_words <= max_words:
        return [_Piece(sent.start_char, sent.end_char)]
    cuts = []
    for tok in sent[1:-1]:
        prev = tok.nbor(-1)
        if tok.text == ";" or (prev.text in {",", "—", "–", "-"} and tok.lower_ in _CLAUSE_CONJ):
            cuts.append(tok.idx if tok.text != ";" else tok.idx + 1)
    if not cuts:
        return [_Piece(sent.start_char, sent.end_char)]
    pieces, begin = [], sent.start_char
    target = max(max_words // 2, 12)
    doc_text = sent.doc.text
    for cut in cuts:
        if (
            len(words(doc_text[begin:cut])) >= target
            and len(words(doc_text[cut : sent.end_char])) >= 6
        ):
            pieces.append(_Piece(begin, cut))
            begin = cut
    pieces.append(_Piece(begin, sent.end_char))
    return pieces


def _trim(text: str, piece: _Piece) -> _Piece | None:
    """Strip surrounding whitespace and a leading run of fillers ("Um, so, ")."""
    chunk = text[piece.start : piece.end]
    lead = len(chunk) - len(chunk.lstrip())
    start, end = piece.start + lead, piece.start + len(chunk.rstrip())
    if start >= end:
        return None
    match = _LEADING_FILLER.match(text[start:end])
    if match and len(words(text[start + match.end() : end])) >= 3:
        start += match.end()
    return _Piece(start, end)


def _merge_short(text: str, pieces: list[_Piece], min_words: int) -> list[_Piece]:
    """Join pieces under min_words to the next piece of the turn (or the previous, at the end)."""
    merged: list[_Piece] = []
    pending: _Piece | None = None
    for piece in pieces:
        if pending is not None:
            piece = _Piece(pending.start, piece.end)
            pending = None
        if len(words(text[piece.start : piece.end])) < min_words:
            pending = piece
        else:
            merged.append(piece)
    if pending is not None:
        if merged:
            merged[-1] = _Piece(merged[-1].start, pending.end)
        elif len(words(text[pending.start : pending.end])) >= 3:
            merged.append(pending)
    return merged


def _to_source(turn: Utterance, source_text: str, offset: int) -> int:
    """Map an offset in the joined turn text (see ``join_spans``) to the source text."""
    _, starts = join_spans(source_text, turn.spans)
    for (joined_start, src_start), (a, b) in zip(starts, turn.spans, strict=True):
        if offset < joined_start + (b - a):
            return src_start + max(offset - joined_start, 0)
    return turn.spans[-1][1] - 1
