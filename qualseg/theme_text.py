"""The text that shapes themes: an excerpt without what nobody means as content.

Clustering and labels read a cleaned copy of each excerpt; the quote itself stays verbatim with
its offsets. Cleaning removes
- non-speech marks of transcription services: bracketed notes ("[inaudible 00:12:03]",
  "[crosstalk]", "[music]"), parenthesised or starred ones ("(laughs)", "*sighs*"),
- fillers and verbal tics: "um", "uh", "mm-hmm"; "you know", "I mean" and "like" where they are
  set off as fillers ("it's, like, slow"), a sentence-initial "so,", "well,", "yeah,";
  a word stuttered twice ("the the", "I, I"),
- pseudonyms that privacy put in place of names ("Person B", "Company Q", "Place K",
  "Participant 3", "[email]"): a placeholder is nobody's words and must not pull two themes'
  excerpts together.
"""

from __future__ import annotations

import re

# Pseudonyms put into the text before analysis ("Participant 3", "Person B", "[email]",
# "Transcript 2.vtt"; see qualseg.privacy.pseudonyms).
PSEUDONYM = re.compile(
    r"\b(?:Participant|Interviewer|Transcript) \d+\b|\b(?:Person|Company|Place) [A-Z]{1,3}\b"
    r"|\[(?:email|phone|url|address|number)\]"
)
_PSEUDONYM_POSSESSIVE = re.compile(f"(?:{PSEUDONYM.pattern})(?:['’]s\\b)?")
# Words of a transcriber's note about sound rather than speech.
_NOTE_WORDS = (
    r"laugh\w*|chuckl\w*|giggl\w*|sigh\w*|pause\w*|inaudible|unintelligible|indistinct|"
    r"crosstalk|cross-talk|overlap\w*|music|silence|cough\w*|nois\w*|static|applause|beep\w*|"
    r"ring\w*|background|audio|garbled|unclear|redacted|break|interrupt\w*|clears throat|"
    r"phonetic|sp\??|\?+|sound\w*|long pause|typing|clapp\w*|groan\w*|exhal\w*|inhal\w*"
)
_TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_NON_SPEECH = re.compile(
    r"\[[^\[\]\n]{0,60}\]"  # any bracketed note: speech is never in square brackets
    r"|\((?:[^()\n]{0,40}\b)?(?:" + _NOTE_WORDS + r"|" + _TIMESTAMP + r")\b[^()\n]{0,40}\)"
    # a note cut in two by the sentence splitter: "laughs) Anyway", "It was [inaudible"
    r"|^\s*[^()\[\]\n]{0,40}\]|\[[^()\[\]\n]{0,40}$"
    r"|^\s*(?:[^()\n]{0,20}\b)?(?:" + _NOTE_WORDS + r")\b[^()\n]{0,20}\)"
    r"|\((?:[^()\n]{0,20}\b)?(?:" + _NOTE_WORDS + r")\b[^()\n]{0,20}$"
    r"|[(\[]\s*$|^\s*[)\]]"
    r"|\*[A-Za-z][A-Za-z ]{0,30}\*"
    r"|<[A-Za-z][A-Za-z ]{0,30}>",
    re.IGNORECASE,
)
# Sounds that are never words, wherever they stand.
FILLER_SOUNDS = frozenset(
    [
        "um",
        "umm",
        "uhm",
        "uh",
        "uhh",
        "er",
        "erm",
        "ah",
        "ahh",
        "hmm",
        "hm",
        "mm",
        "mmm",
        "mhm",
        "mm-hmm",
        "uh-huh",
        "uh-uh",
        "huh",
    ]
)
_SOUND = re.compile(
    r"(?<![\w'’-])(?:"
    + "|".join(re.escape(w) for w in sorted(FILLER_SOUNDS, key=len)[::-1])
    + r")(?![\w'’-])[,.…]*",
    re.IGNORECASE,
)
# Discourse fillers, only where they are set off by commas or open a sentence.
_FILLER_PHRASE = r"(?:you know|i mean|like|you see|sort of|kind of)"
_SET_OFF = re.compile(r",\s*" + _FILLER_PHRASE + r"\s*(?:,|(?=[.!?;:]|$))", re.IGNORECASE)
_LIKE_COMMA = re.compile(r"\blike\s*,\s*", re.IGNORECASE)  # "we're at like, six days"
_OPENING_FILLER = re.compile(
    r"(?:(?<=^)|(?<=[.!?;:—–]))\s*" + _FILLER_PHRASE + r"\s*,\s*", re.IGNORECASE
)
_OPENER = re.compile(
    r"(?:(?<=^)|(?<=[.!?]\s))\s*(?:so|well|yeah|yes|okay|ok|oh|right|and|but)\s*,\s*",
    re.IGNORECASE,
)
_STUTTER = re.compile(r"\b(\w+)(?:[,\s]+|-)\1\b", re.IGNORECASE)
_REMOVED = (
    PSEUDONYM,
    _NON_SPEECH,
    _SOUND,
    _SET_OFF,
    _LIKE_COMMA,
    _OPENING_FILLER,
    _OPENER,
    _STUTTER,
)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
_REPEATED_PUNCT = re.compile(r"([,;:])(?:\s*[,;:])+")
_LEADING_PUNCT = re.compile(r"^[\s,.;:!?—–-]+")


def theme_text(text: str) -> str:
    """The excerpt as clustering and labels read it: marks, fillers and pseudonyms removed.

    Returns the text itself (same string) when there is nothing to remove, and never an empty string for a
    text that had words: what is left of a text made only of fillers is the text itself.
    """
    if not any(p.search(text) for p in _REMOVED):
        return text
    out = _PSEUDONYM_POSSESSIVE.sub(" ", text)
    out = _NON_SPEECH.sub(" ", out)
    out = _SOUND.sub(" ", out)
    for _ in range(3):  # "Yeah, you know, like, it..."
        out = _OPENER.sub(" ", _OPENING_FILLER.sub(" ", out))
        out = _SET_OFF.sub(" ", out)
    out = _LIKE_COMMA.sub(" ", out)
    out = _STUTTER.sub(r"\1", out)
    out = _REPEATED_PUNCT.sub(r"\1", out)
    out = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(out.split()))
    out = _LEADING_PUNCT.sub("", out)
    if not re.search(r"\w", out):
        return text
    if out[:1].islower() and text[:1].isupper():
        out = out[0].upper() + out[1:]
    return out


def has_noise(text: str) -> bool:
    """True when a phrase holds a pseudonym, a non-speech mark or a filler sound."""
    return bool(PSEUDONYM.search(text) or _NON_SPEECH.search(text) or _SOUND.search(text))
