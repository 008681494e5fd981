"""How the kind classifier turns class probabilities into kinds (no model, no embedding)."""

from __future__ import annotations

import numpy as np

from qualseg.classify import CLASSES, KindClassifier


def _classifier(**settings: float) -> KindClassifier:
    c = KindClassifier(**settings)
    c.classes_ = sorted(CLASSES)
    return c


def _kinds(c: KindClassifier, **probs: float) -> tuple[str, ...]:
    p = np.array([probs.get(k, 0.0) for k in c.classes_])
    return c._decide("It broke down.", p / p.sum()).kinds


def test_a_trigger_beside_a_need_needs_more_than_another_second_kind():
    c = _classifier()
    assert _kinds(c, need=0.55, trigger=0.35, other=0.1) == ("need",)
    assert _kinds(c, need=0.5, trigger=0.45, other=0.05) == ("need", "trigger")
    # the other way round, and other pairs, from second_min on
    assert _kinds(c, trigger=0.55, need=0.35, other=0.1) == ("trigger", "need")
    assert _kinds(c, objection=0.55, trigger=0.35, other=0.1) == ("objection", "trigger")


def test_the_settings_survive_saving_and_a_model_saved_before_them_keeps_its_rule(tmp_path):
    c = _classifier(trigger_beside_need_min=0.45)
    c.coef_ = np.zeros((len(CLASSES), 2))
    c.intercept_ = np.zeros(len(CLASSES))
    c.embedder_ = "hashing-2"
    c.prior_mean_ = np.zeros(0)
    c.save(tmp_path / "m.npz")
    assert KindClassifier.load(tmp_path / "m.npz").trigger_beside_need_min == 0.45
    with np.load(tmp_path / "m.npz") as data:
        arrays = dict(data)
    arrays["settings"] = arrays["settings"][:3]
    np.savez(tmp_path / "old.npz", **arrays)
    old = KindClassifier.load(tmp_path / "old.npz")
    assert old.trigger_beside_need_min == old.second_min == 0.3
