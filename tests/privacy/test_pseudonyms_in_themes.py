"""Pseudonyms are nobody's words: they never become keyphrases or theme labels."""

from __future__ import annotations

from qualseg.describe import PSEUDONYM, cached_phrases
from qualseg.privacy.pseudonyms import CATEGORIES, LETTERED, NUMBERED, PLACEHOLDERS, letters


def test_every_pseudonym_shape_is_recognised():
    shapes = [f"{p} {n}" for p in NUMBERED.values() for n in (1, 12)]
    shapes += [f"{p} {letters(n)}" for p in LETTERED.values() for n in (1, 26, 40)]
    shapes += list(PLACEHOLDERS.values()) + ["Transcript 3.vtt"]
    assert "file" in CATEGORIES
    for shape in shapes:
        assert PSEUDONYM.search(f"we asked {shape} about it"), shape
    assert not PSEUDONYM.search("a Person who cares about the Company")


class _Cache:
    def __init__(self) -> None:
        self.rows: dict = {}

    def get_phrases(self, hashes):
        return {h: self.rows[h] for h in hashes if h in self.rows}

    def put_phrases(self, phrases):
        self.rows.update(phrases)


def test_keyphrases_skip_pseudonyms_even_from_the_cache():
    texts = ["Person T signs off the budget owners report.", "Company B sends the paper invoices."]
    cache = _Cache()
    for _ in range(2):  # parsed, then read back from the cache
        phrases = [s for row in cached_phrases(texts, cache) for _k, s in row]
        assert phrases and not any(PSEUDONYM.search(s) for s in phrases), phrases
        assert any("invoices" in s for s in phrases)
