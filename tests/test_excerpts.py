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
