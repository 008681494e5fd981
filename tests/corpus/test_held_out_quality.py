"""Kinds scored held out: leave-one-study-out on two studies of the corpus (real model).

The kind classifier is fitted again without the study it is scored on, and the study is run
through the whole pipeline and graded with its gold. The floors are the figures reached when
this test was written, less 0.05 for what another machine's arithmetic may move; the issue's
goals are asserted as a strict expected failure, so reaching them makes this file ask to be
tightened.
"""

from __future__ import annotations

import pytest

from evaluation.corpus import STUDIES
from evaluation.run import evaluate, worst

pytestmark = pytest.mark.slow

FLOORS = {
    "trigger_recall": 0.69,
    "trigger_precision": 0.78,
    "objection_recall": 0.61,
    "objection_precision": 0.74,
    "need_recall": 0.76,
    "need_precision": 0.71,
    "psychographic_recall": 0.55,
}
GOALS = {
    "trigger_recall": 0.8,
    "trigger_precision": 0.85,
    "objection_recall": 0.8,
    "objection_precision": 0.85,
    "need_recall": 0.8,
    "need_precision": 0.8,
    "psychographic_recall": 0.6,
}


@pytest.fixture(scope="module")
def held_out():
    results = evaluate([STUDIES / "appsec-tooling", STUDIES / "clinic-staffing"], loso=True)
    assert all(r.held_out and not r.failed_files for r in results)
    return worst(results)


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_held_out_worst_study_keeps_its_floor(held_out, figure):
    assert held_out[figure] >= FLOORS[figure], held_out


@pytest.mark.xfail(strict=True, reason="the issue's goals are not reached yet (see FLOORS)")
def test_held_out_worst_study_reaches_the_goals(held_out):
    assert all(held_out[k] >= v for k, v in GOALS.items()), held_out
