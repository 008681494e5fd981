from __future__ import annotations

from qualseg.excerpts import excerpt_transcript
from qualseg.models import Transcript, Utterance


def _transcript(turns: list[tuple[str, list[str]]]) -> Transcript:
    """Build a transcript; each turn's lines become separate spans (like joined VTT cues)."""
    text, utterances = "", []
    for index, (speaker, lines) in enumerate(turns):
        spans = []
        for line in lines:
            text += f"{speaker}: "
            spans.append((len(text), len(text) + len(line)))
            text += line + "\n"
        utterances.append(Utterance(index, speaker, tuple(spans)))
    return Transcript(
        "t.vtt",
        "vtt",
        text,
        "utf-8",
        tuple(utterances),
        {"Ann": "interviewer", "Bo": "participant"},
    )


def test_excerpts_are_verbatim_with_offsets_and_fillers_dropped():
    t = _transcript(
        [
            ("Ann", ["What was hard?"]),
            (
                "Bo",
                [
                    "Yeah.",
                    "Um, so, we were keying every single invoice by hand into the ERP. Right.",
                ],
            ),
            ("Ann", ["Mm-hmm."]),
            (
                "Bo",
                [
                    "Mm-hmm.",
                    "Honestly the month end close took eleven days, and it was miserable for everyone.",
                ],
            ),
        ]
    )
    excerpts = excerpt_transcript(t, {"Bo": 7}, key_prefix="abc")
    texts = [e.text for e in excerpts]
    assert texts[0].startswith("we were keying every single invoice by hand")
    assert all(e.participant_id == 7 for e in excerpts)
    assert not any(x.strip(".") in {"Yeah", "Mm-hmm"} for x in texts)
    for e in excerpts:
        assert t.speech_between(e.start, e.end) == e.text
        assert e.key == f"abc:{e.start}-{e.end}"
    # interviewer speech is never excerpted
    assert not any("What was hard" in x for x in texts)


def test_short_fragments_merge_with_neighbour():
    t = _transcript(
        [
            (
                "Bo",
                [
                    "Total chaos. Budget owners never know what they have left to spend this quarter."
                ],
            )
        ]
    )
    [excerpt] = excerpt_transcript(t, {"Bo": 1}, key_prefix="k")
    assert excerpt.text.startswith("Total chaos. Budget owners")


def test_long_sentence_is_cut_at_a_clause_boundary():
    clause = "we had to chase every department head for receipts at the end of the month"
    long = (
        f"So {clause}, and then {clause} again, but the worst part was that {clause} one more time."
    )
    t = _transcript([("Bo", [long])])
    excerpts = excerpt_transcript(t, {"Bo": 1}, key_prefix="k", max_words=30)
    assert len(excerpts) >= 2
    assert "".join(t.text[e.start : e.end] for e in excerpts).replace(" ", "") in long.replace(
        " ", ""
    )


def test_excerpt_spanning_two_cues_maps_back_to_both():
    t = _transcript(
        [
            (
                "Bo",
                [
                    "We paid one vendor twice last spring",
                    "because the approval sat in someone's inbox.",
                ],
            )
        ]
    )
    [excerpt] = excerpt_transcript(t, {"Bo": 1}, key_prefix="k")
    assert (
        excerpt.text
        == "We paid one vendor twice last spring because the approval sat in someone's inbox."
    )
    assert t.speech_between(excerpt.start, excerpt.end) == excerpt.text


class _Pieces:
    """An in-memory excerpt-cut cache."""

    def __init__(self) -> None:
        self.rows: dict[str, list[list[int]]] = {}

    def get_pieces(self, keys):  # noqa: ANN001, ANN201
        return {k: self.rows[k] for k in keys if k in self.rows}

    def put_pieces(self, pieces):  # noqa: ANN001, ANN201
        self.rows.update(pieces)


def test_cached_cuts_give_the_same_excerpts_without_the_sentencizer(monkeypatch):
    from qualseg import excerpts as module

    t = _transcript(
        [
            ("Ann", ["What was hard?"]),
            ("Bo", ["Yeah.", "Um, so, we were keying every single invoice by hand. Right."]),
            ("Ann", ["And then?"]),
            ("Bo", ["Mm-hmm."]),  # no excerpt at all: cached as an empty cut
            ("Bo", ["We moved to a shared inbox, and it took three weeks to settle in."]),
        ]
    )
    cache = _Pieces()
    plain = excerpt_transcript(t, {"Bo": 7}, key_prefix="abc")
    filled = excerpt_transcript(t, {"Bo": 7}, key_prefix="abc", cache=cache)
    assert filled == plain and len(cache.rows) == 3

    def no_sentencizer():  # noqa: ANN202
        raise AssertionError("cut again although the cuts were cached")

    monkeypatch.setattr(module, "load_sentencizer", no_sentencizer)
    assert excerpt_transcript(t, {"Bo": 7}, key_prefix="abc", cache=cache) == plain
    # other settings cut differently: not read from the cache
    assert module.pieces_key("a b", 6, 45) != module.pieces_key("a b", 4, 45)


def test_a_sentence_ending_on_a_one_letter_pseudonym_ends_there():
    """The tokenizer reads "Y." as an initial, so "... at Company Y. We ..." was one excerpt;
    a real initial ("J. Osei") still does not end a sentence."""
    t = _transcript(
        [
            ("Ann", ["Tell me about your role?"]),
            (
                "Bo",
                [
                    "I run finance for the whole group at Company Y. We own and run forty "
                    "dental practices across three states. I met J. Osei there last year, "
                    "and we hit it off straight away."
                ],
            ),
        ]
    )
    texts = [e.text for e in excerpt_transcript(t, {"Bo": 0}, key_prefix="t")]
    assert texts == [
        "I run finance for the whole group at Company Y.",
        "We own and run forty dental practices across three states.",
        "I met J. Osei there last year, and we hit it off straight away.",
    ]
