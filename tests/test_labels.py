"""Theme labels: a short phrase in the customers' words, the action where there is one, all
labels of a lens different, nobody's filler, mark or pseudonym in them."""

from __future__ import annotations

import numpy as np

from qualseg.describe import candidate_phrases, describe_themes
from qualseg.labels import theme_words
from qualseg.theme_text import has_noise

# Three themes of a made-up lens; in each, people say the same thing in different sentences.
THEMES = [
    [
        "Um, I spend Mondays chasing late invoices (laughs).",
        "We chase late invoices by phone, you know, every single week.",
        "Person B chases late invoices for me when I am out.",
        "Honestly the worst part is chasing late invoices from the big accounts.",
    ],
    [
        "I wanted to close my account after the fee went up.",
        "Company Q made it hard to close my account, uh, online.",
        "Why can't I close my account from the app?",
        "We tried to close my account twice [inaudible].",
    ],
    [
        "The invoices come in by email and by post.",
        "Our invoices pile up in a shared inbox.",
        "Invoices from Company Q arrive as paper scans.",
        "Invoices get lost between the inbox and the ledger.",
    ],
]


def _lens():
    texts = [t for theme in THEMES for t in theme]
    labels = np.array([n for n, theme in enumerate(THEMES) for _ in theme])
    people = list(range(len(texts)))
    return texts, labels, people


def test_labels_name_the_action_in_the_customers_words():
    texts, labels, people = _lens()
    vectors = np.eye(len(texts))
    described = describe_themes(texts, vectors, people, labels)
    assert described[0].label == "chase late invoices"
    assert described[1].label == "close my account"
    assert "invoices" in described[2].label.lower()
    assert len({d.label.lower() for d in described.values()}) == 3


def test_no_pseudonym_filler_or_mark_reaches_labels_or_keyphrases():
    texts, labels, people = _lens()
    described = describe_themes(texts, np.eye(len(texts)), people, labels)
    for d in described.values():
        for phrase in (d.label, *d.keyphrases):
            assert not has_noise(phrase), phrase
            assert not {"um", "uh", "laughs", "person", "company"} & set(phrase.lower().split())


def test_two_themes_with_the_same_best_phrase_get_different_labels():
    phrases = candidate_phrases(["We chase late invoices.", "They chase late invoices."] * 4)
    labels = [0, 0, 0, 0, 1, 1, 1, 1]
    words = theme_words(phrases, labels, list(range(8)), {0: "first", 1: "second"})
    assert words[0].label != words[1].label
    assert words[0].label == "chase late invoices"


def test_a_theme_without_shared_phrases_is_named_by_its_central_excerpt():
    texts = ["Blue sky thinking.", "Quarterly budget reviews.", "Parking at the office."]
    described = describe_themes(texts, np.eye(3), [0, 1, 2], np.array([0, 0, 0]))
    assert described[0].label
    assert described[0].label.lower() in " ".join(texts).lower()


def test_labels_differ_from_those_other_lenses_took():
    texts, labels, people = _lens()
    taken: set[str] = set()
    first = describe_themes(texts, np.eye(len(texts)), people, labels, taken=taken)
    again = describe_themes(texts, np.eye(len(texts)), people, labels, taken=taken)
    assert {d.label.lower() for d in first.values()} <= taken
    assert not {d.label.lower() for d in first.values()} & {d.label.lower() for d in again.values()}


def test_a_phrase_that_names_nothing_is_no_candidate():
    texts = [
        "The main thing is the billing problem.",
        "That was a funny question, honestly.",
        "Half of it never arrives.",
    ]
    surfaces = {s for phrases in candidate_phrases(texts) for _key, s in phrases}
    assert "billing problem" in surfaces  # a general head with a noun that names something
    assert not surfaces & {"main thing", "funny question", "Half", "problem"}, surfaces
