"""Is a participant's speech English? Measured with function words, no extra dependency.

The models (sentence embeddings, the spaCy pipeline, the kind examples) are English-only, so a
transcript in another language imports but analyses poorly; the researcher is told at import.

Method: the share of a participant's words that are among the most common function words of
English, and of Spanish, German, French, Portuguese, Italian and Dutch (about 50 each). Function
words make up a large, stable share of any conversational text in their language and a small one
in the others. Measured (``tests/hostile/test_language.py`` checks them): on the 14 English
transcripts of the sample study the English share is 39-44% per participant; on interview
answers written in the six other languages (``tests/hostile/corpus/interview-*.txt``) it is 1-9%
while their own language's share is 42-50% and the next language's at most 22%. English is
declared at 25% or more when English also has the largest share, about half-way between the
two groups; under 40 words nothing is declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qualseg.models import Transcript

ENGLISH_MIN_SHARE = 0.25
"""Share of English function words from which speech is taken as English."""
OTHER_MIN_SHARE = 0.15
"""Share of another language's function words needed to name that language."""
MIN_WORDS = 40
"""Fewer words than this and no verdict is given."""

NAMES = {
    "en": "English",
    "es": "Spanish",
    "de": "German",
    "fr": "French",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
}


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _vocabulary(
        "the and to of a i you it that in is we was for so but they have on with be this not "
        "my are just what do like at or if me our it's there about can all because would don't "
        "them then when one get know think really i'm an yeah"
    ),
    "es": _vocabulary(
        "de la que el en y los se del las un por con no una su para es al lo como más pero "
        "sus le ya o fue este ha sí porque esta muy sin sobre también me hay donde nos eso "
        "cuando yo todo nosotros tenemos está estamos"
    ),
    "de": _vocabulary(
        "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als "
        "auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem "
        "über einen so zum war haben nur oder aber wir ich uns wenn mehr jetzt"
    ),
    "fr": _vocabulary(
        "de la le et les des en un du une que est pour qui dans a par plus pas au sur ne se "
        "ce il sont avec ou mais nous on je c'est ça tout elle très y été aussi leur comme "
        "cette donc quand ils j'ai"
    ),
    "pt": _vocabulary(
        "de a o que e do da em um para é com não uma os no se na por mais as dos como mas ao "
        "ele das à seu sua ou quando muito nos já eu também só pelo pela isso nós temos está "
        "são porque então"
    ),
    "it": _vocabulary(
        "di e il la che a per un in è non una sono mi si lo ho ma con da le del della ci io "
        "gli questo come anche più nel noi perché molto abbiamo quando tutto cosa se ti al "
        "dei ne sì poi c'è"
    ),
    "nl": _vocabulary(
        "de en van het een in is dat op te zijn met voor niet die aan er ook als bij door "
        "maar om dan nog wat naar ik we wij je hebben heeft of was kan dit zo wel geen ons "
        "moet heel gewoon want nu"
    ),
}

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class LanguageVerdict:
    """What the function words say about a text.

    Attributes:
        words: how many words were counted.
        shares: language code -> share of the words that are its function words (0..1).
        language: the likely language's code, ``"unknown"`` when none stands out, ``""`` when
            there were too few words to tell.
        english: True or False, None when there were too few words to tell.
    """

    words: int
    shares: dict[str, float] = field(default_factory=dict)
    language: str = ""
    english: bool | None = None

    @property
    def name(self) -> str:
        return NAMES.get(self.language, "an unrecognised language")

    def figures(self) -> str:
        """``"English function words 3% of words, German 41%"``."""
        text = f"English function words {self.shares.get('en', 0):.0%} of words"
        if self.language in NAMES and self.language != "en":
            text += f", {NAMES[self.language]} {self.shares[self.language]:.0%}"
        return text


def words_of(text: str) -> list[str]:
    """Lower-case words, with typographic apostrophes made plain (``it’s`` -> ``it's``)."""
    return _WORD.findall(text.casefold().replace("\u2019", "'"))


def detect_language(text: str) -> LanguageVerdict:
    """The verdict on a text (a participant's speech)."""
    words = words_of(text)
    n = len(words)
    if n == 0:
        return LanguageVerdict(0)
    shares = {
        code: round(sum(w in vocab for w in words) / n, 4) for code, vocab in FUNCTION_WORDS.items()
    }
    if n < MIN_WORDS:
        return LanguageVerdict(n, shares)
    best = max(shares, key=lambda code: (shares[code], code == "en"))
    if best == "en" and shares["en"] >= ENGLISH_MIN_SHARE:
        return LanguageVerdict(n, shares, "en", True)
    language = best if best != "en" and shares[best] >= OTHER_MIN_SHARE else "unknown"
    return LanguageVerdict(n, shares, language, False)


def participant_speech(t: Transcript) -> str:
    """Everything the transcript's participants say, one turn a line."""
    return "\n".join(
        u.text_in(t.text) for u in t.utterances if t.roles.get(u.speaker) == "participant"
    )


def language_warning(source: str, t: Transcript) -> str | None:
    """A warning for the import report when the participants' speech is not English."""
    verdict = detect_language(participant_speech(t))
    if verdict.english is not False:
        return None
    unknown = verdict.language == "unknown"
    looks = "does not look English" if unknown else f"looks {verdict.name}"
    return (
        f"{source}: {looks} ({verdict.figures()}); the models are English-only, so themes "
        "and segments from it will be poor"
    )
