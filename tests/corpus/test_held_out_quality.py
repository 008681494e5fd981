"""Kinds and segments scored held out: leave-one-study-out on two studies of the corpus (real
model).

The kind classifier is fitted again without the study it is scored on, and the study is run
through the whole pipeline and graded with its gold. The floors are the figures reached when
this test was written, less 0.05 for what another machine's arithmetic may move; each of the
issue's goals is asserted on its own, those not reached yet as strict expected failures, so
reaching one makes this file ask to be tightened.
"""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.corpus import STUDIES
from evaluation.run import evaluate, worst
from qualseg.embed import default_embedder
from qualseg.segment_discovery import discover_segments

pytestmark = pytest.mark.slow

FLOORS = {
    "trigger_recall": 0.84,
    "trigger_precision": 0.77,
    "objection_recall": 0.82,
    "objection_precision": 0.87,
    "need_recall": 0.82,
    "need_precision": 0.72,
    "psychographic_recall": 0.70,
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


SEGMENT_ARI_FLOOR = 0.8


@pytest.fixture(scope="module")
def results():
    found = evaluate([STUDIES / "appsec-tooling", STUDIES / "clinic-staffing"], loso=True)
    assert all(r.held_out and not r.failed_files for r in found)
    return found


@pytest.fixture(scope="module")
def held_out(results):
    return worst(results)


def test_held_out_segments_are_found_with_the_planted_number(results):
    for r in results:
        f = r.figures
        assert f["segment_ari"] >= SEGMENT_ARI_FLOOR, (r.study, f)
        assert f["segments_found"] == f["segments_planted"], (r.study, f)
        assert r.report["segmentation"]["chosen"] == f["segments_planted"]


@pytest.fixture(scope="module")
def evidence(results) -> dict[str, tuple[np.ndarray, list[int]]]:
    """Per held-out study, its need and trigger excerpts embedded with the real model, and
    each one's participant."""
    out = {}
    for r in results:
        rows = [e for e in r.report["excerpts"] if {"need", "outcome", "trigger"} & set(e["kinds"])]
        vectors = default_embedder().encode([e["text"] for e in rows])
        out[r.study] = (vectors, [int(e["participant"][1:]) for e in rows])
    return out


def _by_owner(vectors: np.ndarray, owners: list[int], order: list[int]) -> dict[int, np.ndarray]:
    """Participant -> the vectors ``order`` hands them (their own in their own order)."""
    out: dict[int, list[np.ndarray]] = {}
    for owner, i in zip(owners, order, strict=True):
        out.setdefault(owner, []).append(vectors[i])
    return {p: np.array(v) for p, v in out.items()}


def test_a_study_without_its_planted_structure_has_no_clear_segmentation(evidence):
    """The held-out study's need and trigger excerpts, shuffled across its participants (each
    keeps their number of excerpts), embedded with the real model: nothing is suggested, while
    the same excerpts in their owners' hands give the planted number of segments."""
    vectors, owners = evidence["appsec-tooling"]
    real = discover_segments(_by_owner(vectors, owners, list(range(len(owners)))))
    assert real.chosen == 3
    shuffled = np.random.default_rng(0).permutation(len(owners)).tolist()
    assert discover_segments(_by_owner(vectors, owners, shuffled)).chosen is None


def test_held_out_segments_do_not_depend_on_the_seed(results, evidence):
    """The planted number of segments at every one of five seeds (the seed picks the resamples),
    from each held-out study's need and trigger excerpts embedded with the real model: a bar
    that a seed could cross made one study's segments come and go with it."""
    for r in results:
        vectors, owners = evidence[r.study]
        excerpts_of = _by_owner(vectors, owners, list(range(len(owners))))
        chosen = [discover_segments(excerpts_of, seed=seed).chosen for seed in range(5)]
        assert chosen == [r.figures["segments_planted"]] * 5, (r.study, chosen)


ALIGNMENT_FLOOR = 0.80
"""Issue 12's goal (0.85: the best needs theme's F1 per planted segment, on average) less the
0.05 this file allows for another machine's arithmetic (appsec-tooling 0.85, clinic 0.87)."""


def test_held_out_needs_themes_follow_the_planted_segments(results):
    for r in results:
        f = r.figures
        assert f["mean_best_theme_f1"] >= ALIGNMENT_FLOOR, (r.study, f)
        assert f["unassigned_share"] <= 0.10 and f["single_participant_themes"] == 0, f


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_held_out_worst_study_keeps_its_floor(held_out, figure):
    assert held_out[figure] >= FLOORS[figure], held_out


NOT_REACHED = {"trigger_precision", "need_precision"}
"""Goals the held-out worst study does not reach yet (clinic-staffing: 0.82 and 0.77)."""


@pytest.mark.parametrize(
    "figure",
    [
        pytest.param(f, marks=pytest.mark.xfail(strict=True, reason="goal not reached yet"))
        if f in NOT_REACHED
        else f
        for f in sorted(GOALS)
    ],
)
def test_held_out_worst_study_reaches_the_goal(held_out, figure):
    assert held_out[figure] >= GOALS[figure], held_out
