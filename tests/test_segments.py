from __future__ import annotations

import numpy as np

from qualseg.segments import (
    cramers_v,
    fit_segments,
    metadata_association,
    participant_profiles,
    theme_lift,
)


def test_profiles_group_people_by_needs_themes():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(3, 16))
    participants, labels, vectors = [], [], []
    for person in range(12):
        group = person % 3
        for _ in range(10):
            participants.append(person)
            labels.append(group)
            v = base[group] + 0.3 * rng.normal(size=16)
            vectors.append(v / np.linalg.norm(v))
    people, profiles = participant_profiles(participants, np.array(labels), np.array(vectors))
    fit = fit_segments(people, profiles, max_segments=5)
    assert fit.k == 3
    groups = {}
    for person, segment in fit.labels.items():
        groups.setdefault(segment, set()).add(person % 3)
    assert all(len(g) == 1 for g in groups.values())
    assert fit.silhouette > 0.5


def test_too_few_people_is_one_segment():
    fit = fit_segments([1, 2, 3], np.eye(3))
    assert fit.k == 1 and set(fit.labels.values()) == {0}


def test_theme_lift_above_one_where_segment_voices_theme():
    lift = theme_lift({1: 0, 2: 0, 3: 1, 4: 1}, {7: {1, 2}, 8: {1, 2, 3, 4}})
    assert lift[0][7] > 1 > lift[1][7]
    assert lift[0][8] == 1.0


def test_cramers_v_and_proxy_flag():
    assert cramers_v(["a", "a", "b", "b"], ["x", "x", "y", "y"]) == 1.0
    assert cramers_v(["a", "b", "a", "b"], ["x", "x", "y", "y"]) == 0.0
    assoc = metadata_association(
        {1: 0, 2: 0, 3: 1, 4: 1},
        {
            1: {"size": "big", "region": "EU"},
            2: {"size": "big", "region": "US"},
            3: {"size": "small", "region": "EU"},
            4: {"size": "small", "region": "US"},
        },
    )
    assert assoc["size"]["proxy"] is True
    assert assoc["region"]["proxy"] is False
    unique = metadata_association(
        {p: p % 2 for p in range(8)}, {p: {"company": f"c{p}"} for p in range(8)}
    )
    assert unique["company"]["identifier"] is True and unique["company"]["proxy"] is False


def test_stability_is_high_for_clear_groups_and_seeded():
    from qualseg.segments import segment_stability

    rng = np.random.default_rng(1)
    base = rng.normal(size=(3, 16))
    participants, labels, vectors = [], [], []
    for person in range(12):
        for _ in range(10):
            participants.append(person)
            labels.append(person % 3)
            v = base[person % 3] + 0.3 * rng.normal(size=16)
            vectors.append(v / np.linalg.norm(v))
    labels, vectors = np.array(labels), np.array(vectors)
    people, profiles = participant_profiles(participants, labels, vectors)
    reference = fit_segments(people, profiles).labels
    first = segment_stability(participants, labels, vectors, reference, seed=3)
    assert first >= 0.9
    assert first == segment_stability(participants, labels, vectors, reference, seed=3)
