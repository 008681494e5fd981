"""The generic kind examples load from their data file and the shipped classifier still matches
them (no refit needed: the texts, their order and the training digest are what it was fitted on)."""

from __future__ import annotations

import json

import numpy as np

from qualseg.kind_examples import DATA_FILE, EXAMPLES, PROMPTS
from qualseg.kind_training import training_digest
from qualseg.models import KINDS
from tests.conftest import ROOT


def test_examples_and_prompts_cover_every_kind_in_order():
    assert tuple(EXAMPLES) == KINDS and tuple(PROMPTS) == KINDS
    assert all(EXAMPLES[k] and PROMPTS[k] for k in KINDS)
    assert all(isinstance(t, tuple) for t in (*EXAMPLES.values(), *PROMPTS.values()))
    document = json.loads(DATA_FILE.read_text("utf-8"))
    assert sum(map(len, document["examples"].values())) == sum(map(len, EXAMPLES.values()))


def test_the_shipped_kind_model_was_fitted_on_these_texts():
    shipped = np.load(ROOT / "qualseg" / "data" / "kind_model.npz")
    assert str(shipped["training_digest"]) == training_digest(), "run scripts/train_kinds.py"
