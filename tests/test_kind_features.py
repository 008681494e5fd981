"""What the kind classifier reads: positions in an interview and centring on the study."""

from __future__ import annotations

import numpy as np

from qualseg.kind_features import (
    SHRINK_ROWS,
    centred,
    position_columns,
    relative_positions,
)


def test_positions_run_from_the_first_to_the_last_answer_of_each_interview():
    sources = ["a"] * 6 + ["b"] * 5
    turns = [1, 3, 5, 7, 9, 11, 2, 4, 6, 8, 10]
    pos = relative_positions(sources, turns)
    assert pos[5] == 1.0 and pos[10] == 1.0
    assert np.all(np.diff(pos[:6]) > 0)
    assert pos[0] == 1 / 11


def test_a_source_of_a_few_turns_has_no_position():
    """A pasted monologue (one turn) is not 'the start of an interview'."""
    pos = relative_positions(["mono"] * 4 + ["x"] * 5, [0, 0, 0, 0, 1, 2, 3, 4, 5])
    assert np.isnan(pos[:4]).all() and not np.isnan(pos[4:]).any()
    columns = position_columns(pos)
    assert (columns[:4] == 0).all()
    assert (columns[4:, 0] == 1).all()


def test_each_study_is_centred_on_its_own_mean():
    rng = np.random.default_rng(0)
    blocks = np.vstack([rng.normal(3, 1, (50, 4)), rng.normal(-2, 1, (50, 4))])
    out = centred(blocks, ["a"] * 50 + ["b"] * 50, None)
    assert np.allclose(out[:50].mean(axis=0), 0, atol=1e-5)
    assert np.allclose(out[50:].mean(axis=0), 0, atol=1e-5)


def test_a_tiny_study_is_centred_mostly_on_the_training_mean():
    prior = np.full(4, 5.0)
    one = np.array([[1.0, 1.0, 1.0, 1.0]])
    out = centred(one, [0], prior)
    expected_mean = (1.0 + SHRINK_ROWS * 5.0) / (1 + SHRINK_ROWS)
    assert np.allclose(out, 1.0 - expected_mean)


def test_the_same_words_get_one_kind_in_a_study():
    """Said word for word at the start and at the end of interviews: one kind, as a codebook
    codes the same words the same way."""
    from qualseg.classify import _same_words_same_kind

    texts = ["We kept losing invoices.", "Something else.", "We kept losing invoices."]
    probabilities = np.array([[0.7, 0.3], [0.5, 0.5], [0.1, 0.9]])
    out = _same_words_same_kind(texts, probabilities)
    assert np.allclose(out[0], [0.4, 0.6]) and np.allclose(out[2], [0.4, 0.6])
    assert np.allclose(out[1], probabilities[1])
