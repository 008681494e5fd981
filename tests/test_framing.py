"""An excerpt's framing: content words masked with the real spaCy tagger, kept in the cache."""

from __future__ import annotations

from qualseg.framing import MASK, cached_framings, framing_key, framings


class CountingCache:
    """A phrase cache that records which keys were asked for and written."""

    def __init__(self) -> None:
        self.stored: dict[str, list[tuple[str, str]]] = {}
        self.writes: list[set[str]] = []

    def get_phrases(self, hashes):  # noqa: ANN001, ANN201
        return {h: self.stored[h] for h in hashes if h in self.stored}

    def put_phrases(self, phrases) -> None:  # noqa: ANN001
        self.writes.append(set(phrases))
        self.stored.update(phrases)


def test_content_words_are_masked_and_the_shape_of_the_sentence_stays():
    [framed] = framings(["Nobody could ever prove who had signed off on the payment."])
    assert framed == f"Nobody could ever prove who had signed off on the {MASK}."


def test_two_markets_saying_the_same_thing_the_same_way_share_a_framing():
    a, b = framings(
        [
            "In June the auditors found a duplicate payment.",
            "In March the inspector found the expired licence.",
        ]
    )
    assert a.replace(" a ", " the ") == b == f"In {MASK} the {MASK} found the {MASK} {MASK}."


def test_spacing_and_punctuation_are_kept_as_written():
    [framed] = framings(["I can't guess, my boss would kill me."])
    assert framed == f"I can't guess, my {MASK} would kill me."


def test_no_texts_no_work():
    assert framings([]) == []


def test_a_rerun_tags_only_what_the_cache_does_not_hold():
    cache = CountingCache()
    first = cached_framings(["We kept missing shipments.", "Then the auditor called."], cache)
    again = cached_framings(
        ["Then the auditor called.", "We kept missing shipments.", "I wanted one screen."],
        cache,
    )
    assert again[:2] == first[::-1]
    assert cache.writes == [
        {framing_key("We kept missing shipments."), framing_key("Then the auditor called.")},
        {framing_key("I wanted one screen.")},
    ]
    assert again == framings(
        ["Then the auditor called.", "We kept missing shipments.", "I wanted one screen."]
    )
