"""The text themes are built from: non-speech marks, fillers and pseudonyms removed."""

from __future__ import annotations

import pytest

from qualseg.theme_text import has_noise, theme_text


@pytest.mark.parametrize(
    ("said", "cleaned"),
    [
        ("Um, we chase late invoices (laughs) every week.", "We chase late invoices every week."),
        ("It was, you know, the the main thing [crosstalk]", "It was the main thing"),
        ("Yeah, I mean, Person B approves [inaudible 00:12:03] it.", "Approves it."),
        ("So we send it to Company Q's portal, uh, monthly.", "So we send it to portal, monthly."),
        ("We're at like, six days. Place K was worse *sighs*", "We're at six days. was worse"),
        ("laughs) Anyway, the reports are late.", "Anyway, the reports are late."),
        ("The reports are late. (", "The reports are late."),
        ("Email [email] or call Participant 3, you know.", "Email or call."),
    ],
)
def test_marks_fillers_and_pseudonyms_are_removed(said, cleaned):
    assert theme_text(said) == cleaned
    assert not has_noise(theme_text(said))


def test_a_text_with_nothing_to_remove_is_returned_as_it_is():
    text = "I  would like a faster way to close an account (or two)."
    assert theme_text(text) is text


def test_a_text_of_fillers_only_stays_itself():
    assert theme_text("Um, uh.") == "Um, uh."
    assert theme_text("[inaudible]") == "[inaudible]"


def test_noise_is_recognised_in_phrases():
    assert has_noise("Person B") and has_noise("um the reporting") and has_noise("[crosstalk]")
    assert not has_noise("a person who cares about the company")
