"""Pseudonymisation recall and precision on the synthetic interviews and the four studies
(``python -m evaluation.pii``), held at the measured level less a margin.

Measured (distinct identifiers caught / product, tool, regulation and holiday names kept),
before -> after the sentence-shape rules:
synthetic 0.919 / 0.386 -> 1.000 / 0.977; sample 0.969 / 0.682 -> 0.995 / 0.932;
appsec-tooling 0.884 / 0.842 -> 1.000 / 1.000; clinic-staffing 0.846 / 0.414 -> 0.994 / 1.000;
fleet-maintenance 0.952 / 0.000 -> 0.992 / 0.941. Speaker names left in any export format
(md, html, docx, csv, xlsx, swipe-md, qdpx, json): 0 in each study. The synthetic interviews
were written while the rules were made: the studies are the fairer figures.
"""

from __future__ import annotations

import pytest

from evaluation.pii import all_studies, measure

FLOORS = {  # study: (distinct recall, mention recall, kept share)
    "synthetic": (0.97, 0.97, 0.9),
    "sample": (0.98, 0.99, 0.85),
    "appsec-tooling": (0.97, 0.98, 0.9),
    "clinic-staffing": (0.98, 0.99, 0.9),
    "fleet-maintenance": (0.97, 0.99, 0.85),
}


@pytest.mark.parametrize("study", list(FLOORS))
def test_identifiers_caught_and_products_kept(study):
    [(name, folder, truths)] = [s for s in all_studies() if s[0] == study]
    score = measure(name, folder, truths[0])[0]
    distinct, mentions, kept = FLOORS[study]
    assert score.distinct_recall >= distinct, score.missed
    assert score.mention_recall >= mentions, score.missed
    assert score.kept_share is not None and score.kept_share >= kept, score.redacted_keep
