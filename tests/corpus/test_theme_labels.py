"""Theme labels on the four studies of the corpus (real model): no pseudonym, non-speech mark or
filler in any label or keyphrase, and no two equal labels in one lens."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from evaluation.corpus import STUDY_DIRS
from evaluation.run import evaluate
from qualseg.theme_text import FILLER_SOUNDS, has_noise

pytestmark = pytest.mark.slow

# how transcribers write sounds ("(laughs)", "[inaudible]"); "it got a laugh" is speech
NOTE_WORDS = {"laughs", "laughter", "inaudible", "crosstalk", "unintelligible"}
FILLER_PHRASES = re.compile(r"\b(?:you know|i mean)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    results = evaluate(list(STUDY_DIRS))
    assert len(results) == 4 and not any(r.failed_files for r in results)
    return {r.study: r.report for r in results}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w'-]+", text.lower()))


def test_no_pseudonym_mark_or_filler_in_labels_or_keyphrases(reports):
    bad = []
    for study, report in reports.items():
        assert report["themes"], study
        for theme in report["themes"]:
            for phrase in (theme["label"], *theme["keyphrases"]):
                words = _words(phrase)
                if (
                    has_noise(phrase)
                    or words & FILLER_SOUNDS
                    or words & NOTE_WORDS
                    or FILLER_PHRASES.search(phrase)
                ):
                    bad.append((study, theme["id"], phrase))
    assert not bad, bad


def test_labels_of_a_lens_are_all_different(reports):
    for study, report in reports.items():
        per_lens = Counter((t["lens"], t["label"].strip().lower()) for t in report["themes"])
        repeated = [key for key, n in per_lens.items() if n > 1]
        assert not repeated, (study, repeated)
