"""What the kind classifier reads about an excerpt, as one feature row.

Four things, each chosen because it carries over to a market the classifier never saw:

- the excerpt's sentence embedding (what it says);
- the embedding of the interviewer's last real question before the answer (what it answers:
  "What made you start looking?" asks for a trigger whatever the market);
- the mean embedding of the whole answer turn it belongs to (an answer to one question tends
  to be of one kind, even when one sentence of it says little on its own);
- the answer's place in its interview (an interview guide moves from how things work today,
  through what set the search off and what gave pause, to what changed: the order holds across
  markets), as a relative position with a flag for "unknown";
- counts of function cues of spoken English, with no market's vocabulary: wanting
  ("I needed", "has to"), habit ("every month", "we'd have to"), a dated event ("then", "last
  spring", "that's when"), hesitation and cost ("worried", "the contract"), attitude
  ("I'm the kind of", "I'd rather", "references"), and small talk.

The three embedding blocks are centred on the study's own mean (shrunk towards the training
mean for a small study): what every excerpt of a study shares is its market, not its kind, and
removing it lets the classifier read a market it never saw.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

import numpy as np

_SEASONS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|spring|summer|fall|autumn|winter)"
)
CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "wanting": (
            r"\b(?:i|we)(?: really| just| also| still)? (?:want(?:ed)?|need(?:ed)?|wish|"
            r"would love|'d love|'d like|would like|were looking for|was looking for)\b|"
            r"\b(?:must|has to|needs to|have to be|had to be|ideally|the goal|my goal|our goal|"
            r"what i wanted|the dream|in one place|at a glance)\b"
        ),
        "habit": (
            r"\b(?:every|each) (?:single )?(?:day|week|month|morning|night|time|quarter|year|"
            r"shift)\b|\b(?:always|constantly|all the time|half the time|usually|typically|"
            r"over and over|keep|kept|used to|would (?:open|go|sit|get|have|spend|take|call|"
            r"end up)|'d (?:have to|spend|end up|get|sit|go))\b"
        ),
        "event": (
            r"\b(?:then|one day|one morning|last (?:year|month|week|spring|summer|fall|winter|"
            rf"quarter)|in {_SEASONS}|that's when|that was when|suddenly|a few (?:weeks|months|"
            r"days) later|that week|that day|happened|ended up|final straw|last straw|the moment|"
            r"turned out|we found|we discovered|got (?:a|an|the) (?:letter|call|email|notice)|"
            r"came (?:in|back) with)\b"
        ),
        "hesitation": (
            r"\b(?:worr\w*|concern\w*|afraid|nervous|hesita\w*|skeptic\w*|sceptic\w*|doubt\w*|"
            r"too (?:expensive|much|long|big|complicated)|expensive|pric\w*|cost\w*|contract\w*|"
            r"didn't want|wasn't sure|weren't sure|not sure|risk\w*|deal ?breaker|"
            r"push(?:ed)? back|pushback|couldn't justify|lock(?:ed)? in|commitment)\b"
        ),
        "attitude": (
            r"\b(?:i'm (?:a|the|not|pretty|very|someone|just|kind of|more|definitely|old)|"
            r"i tend|we tend|i always|we always|i never|we never|my rule|i like to|i'd rather|"
            r"we'd rather|i don't like|i hate|i love|personally|by nature|people like me|"
            r"i trust|i don't trust|my style|i want to see|show me|references?|my peers|"
            r"everyone (?:else|i know)|word of mouth|early adopter|first one|guinea pig)\b"
        ),
        "contrast": r"\b(?:but|however|although|though|except)\b",
        "small_talk": (
            r"\b(?:weather|weekend|vacation|holiday|kids?|dog|cat|coffee|thanks|thank you|hi|"
            r"hello|nice to|good to|happy to|laughs)\b"
        ),
        "number": r"\b(?:\d[\d,.]*|hundred|thousand|million|percent|dollars?)\b",
        "first_person": r"\b(?:i|i'm|i've|i'd|me|my)\b",
        "question": r"\?",
    }.items()
}
CUE_WEIGHT = 3.0
"""Scale of the cue columns next to unit-length embeddings."""


def cue_matrix(texts: Sequence[str]) -> np.ndarray:
    """Per text and cue, the number of matches capped at 3, scaled to 0-1."""
    return np.array(
        [
            [min(len(p.findall(t.replace("\u2019", "'"))), 3) / 3 for p in CUES.values()]
            for t in texts
        ],
        dtype=np.float32,
    ).reshape(len(texts), len(CUES))


def turn_means(vectors: np.ndarray, turns: Sequence[Hashable]) -> np.ndarray:
    """Each row's turn: the normalised mean vector of all rows sharing its turn id."""
    out = np.zeros_like(vectors)
    groups: dict[Hashable, list[int]] = {}
    for i, turn in enumerate(turns):
        groups.setdefault(turn, []).append(i)
    for rows in groups.values():
        mean = vectors[rows].mean(axis=0)
        out[rows] = mean / (np.linalg.norm(mean) or 1.0)
    return out


SHRINK_ROWS = 20.0
"""A study's mean counts as much as this many rows of the training mean (for a tiny study)."""


def embedding_blocks(
    vectors: np.ndarray, prompt_vectors: np.ndarray, turns: Sequence[Hashable]
) -> np.ndarray:
    """Excerpt, question and turn embeddings side by side, before centring."""
    return np.hstack([vectors, prompt_vectors, turn_means(vectors, turns)]).astype(np.float32)


def centred(
    blocks: np.ndarray, studies: Sequence[Hashable], prior_mean: np.ndarray | None
) -> np.ndarray:
    """Each row minus its study's mean row; with ``prior_mean`` the mean is shrunk towards it
    by ``SHRINK_ROWS`` rows, so a study of a few excerpts is not centred on itself alone."""
    out = blocks.astype(np.float64)
    groups: dict[Hashable, list[int]] = {}
    for i, study in enumerate(studies):
        groups.setdefault(study, []).append(i)
    for rows in groups.values():
        total = blocks[rows].sum(axis=0, dtype=np.float64)
        if prior_mean is None:
            mean = total / len(rows)
        else:
            mean = (total + SHRINK_ROWS * prior_mean) / (len(rows) + SHRINK_ROWS)
        out[rows] -= mean
    return out.astype(np.float32)


def position_columns(positions: np.ndarray) -> np.ndarray:
    """Known flag, relative position and its square; zeros where the position is unknown (nan)."""
    known = ~np.isnan(positions)
    x = np.where(known, positions, 0.0)
    return np.column_stack([known, x, x * x]).astype(np.float32)


MIN_TURNS = 5
"""A source with fewer answer turns than this has no usable place in an interview (a pasted
monologue, a survey answer): its positions are unknown."""


def relative_positions(sources: Sequence[Hashable], turns: Sequence[int]) -> np.ndarray:
    """Each row's turn number over the last turn number of its source (0-1); nan for a source
    of fewer than ``MIN_TURNS`` distinct turns."""
    last: dict[Hashable, int] = {}
    seen: dict[Hashable, set[int]] = {}
    for source, turn in zip(sources, turns, strict=True):
        last[source] = max(last.get(source, 0), turn)
        seen.setdefault(source, set()).add(turn)
    return np.array(
        [
            turn / max(1, last[source]) if len(seen[source]) >= MIN_TURNS else np.nan
            for source, turn in zip(sources, turns, strict=True)
        ],
        dtype=np.float64,
    )


def kind_features(
    texts: Sequence[str],
    blocks: np.ndarray,
    positions: np.ndarray,
) -> np.ndarray:
    """The feature rows: centred embedding blocks, position, cues (see the module docstring)."""
    return np.hstack([blocks, position_columns(positions), CUE_WEIGHT * cue_matrix(texts)]).astype(
        np.float32
    )
