"""Theme labels a researcher would write: a short phrase in the customers' own words.

Each excerpt's parse (spaCy) gives three kinds of phrase:
- actions: a verb with its object or its prepositional complement ("chase late invoices",
  "wait for parts", "close an account"); the verb in its base form, the object as said;
- noun phrases with their complement ("cost of the card", "access to reports");
- noun chunks ("exchange rate", "paper invoices").
Phrases are pooled by their lemmas, scored against the other themes of the lens (class-based
TF-IDF: said in many of this theme's excerpts, in few of the others'), and each theme takes the
best phrase that no other theme took first (larger themes first; the study's other lenses pass
what they took), an action about a noun phrase preferred when said about as often. Keyphrases
(the subtitle) are the theme's other distinctive phrases.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parses come from qualseg.nlp, which imports spaCy when it loads
    from spacy.tokens import Doc, Span, Token

from qualseg.label_words import COMPLEMENT_PREPS, LIGHT_VERBS, SKIP_ENTITIES, SKIP_WORDS
from qualseg.theme_text import has_noise

ACTION = "do:"  # key prefix of an action phrase
ABOUT = "on:"  # key prefix of the actions on one object, pooled
OF = "of:"  # key prefix of a noun phrase with its complement
_KEEP_DETS = frozenset({"a", "an", "the", "my", "our", "their", "your"})
MAX_LABEL_WORDS = 6


def _content(tokens: Sequence[Token]) -> list[Token]:
    """Tokens of a phrase that carry content: no stop words, punctuation, numbers or names."""
    return [
        t
        for t in tokens
        if not (t.is_stop or t.is_punct or t.is_space or t.like_num)
        and any(ch.isalnum() for ch in t.text)
        and t.ent_type_ not in SKIP_ENTITIES
    ]


def _trimmed(tokens: list[Token]) -> list[Token]:
    while tokens and tokens[0].pos_ in {"DET", "PRON", "ADV", "CCONJ", "ADP", "PART"}:
        tokens = tokens[1:]
    return tokens


def _usable(tokens: Sequence[Token]) -> bool:
    """A phrase with a word that names something: a noun or verb not too general ("main
    thing", "funny question" and "best moment" name nothing; "billing problem" does)."""
    return any(
        t.pos_ in {"NOUN", "PROPN", "VERB"} and t.lemma_.lower() not in SKIP_WORDS for t in tokens
    )


def _surface(doc: Doc, tokens: Sequence[Token]) -> str:
    return doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def _object_phrase(noun: Token) -> list[Token] | None:
    """The object as said, from its first modifier to its head: "late invoices", "an account".

    Articles and possessive pronouns are kept ("my account"); other determiners left out.
    """
    if noun.pos_ not in {"NOUN", "PROPN"} or noun.ent_type_ in SKIP_ENTITIES:
        return None
    if noun.lemma_.lower() in SKIP_WORDS or noun.is_stop or noun.like_num:
        return None
    mods = [
        t
        for t in noun.lefts
        if t.dep_ in {"compound", "amod", "nmod", "poss"}
        and t.pos_ not in {"PRON", "DET"}
        and not t.like_num
        and t.ent_type_ not in SKIP_ENTITIES
        and not t.is_stop
    ]
    dets = [t for t in noun.lefts if t.dep_ in {"det", "poss"} and t.lower_ in _KEEP_DETS]
    start = min([noun.i, *(t.i for t in mods)])
    tokens = [t for t in noun.doc[start : noun.i + 1] if t in mods or t == noun or t.dep_ == "case"]
    if dets and dets[0].i < start:
        tokens = dets[:1] + tokens
    return tokens


def _actions(doc: Doc) -> list[tuple[str, str]]:
    """Verb + object ("close an account") and verb + preposition + object ("wait for parts")."""
    out = []
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() in LIGHT_VERBS or has_noise(verb.text):
            continue
        particle = [t for t in verb.rights if t.dep_ == "prt"]
        objects = [t for t in verb.rights if t.dep_ in {"dobj", "obj"}]
        if not objects:
            for prep in (t for t in verb.rights if t.dep_ == "prep"):
                pobj = [t for t in prep.rights if t.dep_ == "pobj"]
                if pobj:
                    objects = pobj
                    particle = [*particle, prep]
                    break
        for obj in objects[:1]:
            phrase = _object_phrase(obj)
            if not phrase:
                continue
            verb_words = [verb.lemma_.lower(), *(p.lower_ for p in particle)]
            surface = " ".join([*verb_words, _surface(doc, phrase)])
            key = ACTION + " ".join([*verb_words, obj.lemma_.lower()])
            out.append((key, surface))
    return out


def _complements(doc: Doc) -> list[tuple[str, str]]:
    """Noun + preposition + noun: "cost of the card" -> key "cost of card"."""
    out = []
    for noun in doc:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() in SKIP_WORDS or noun.is_stop:
            continue
        for prep in (t for t in noun.rights if t.dep_ == "prep"):
            if prep.lower_ not in COMPLEMENT_PREPS:
                continue
            pobj = [t for t in prep.rights if t.dep_ == "pobj"]
            phrase = _object_phrase(pobj[0]) if pobj else None
            if not phrase:
                continue
            head = _object_phrase(noun) or [noun]
            if head and head[0].lower_ in _KEEP_DETS:
                head = head[1:]
            surface = f"{_surface(doc, head)} {prep.lower_} {_surface(doc, phrase)}"
            key = OF + f"{noun.lemma_.lower()} {prep.lower_} {pobj[0].lemma_.lower()}"
            out.append((key, surface))
            break
    return out


def _chunks(doc: Doc) -> list[tuple[str, str]]:
    out = []
    for chunk in doc.noun_chunks:
        tokens = _trimmed(_content(chunk))
        if not _usable(tokens):
            continue
        key = " ".join(t.lemma_.lower() for t in tokens)
        if len(key) > 2:
            out.append((key, _surface(doc, tokens)))
    return out


def doc_phrases(doc: Doc | Span) -> list[tuple[str, str]]:
    """(key, surface) of every candidate phrase of one parsed text; noisy ones left out."""
    from spacy.tokens import Span  # loaded already: the parse came from it

    doc = doc.as_doc() if isinstance(doc, Span) else doc
    found = [*_actions(doc), *_complements(doc), *_chunks(doc)]
    return [(k, s) for k, s in found if not has_noise(s) and len(s.split()) <= MAX_LABEL_WORDS + 2]


@dataclass(frozen=True)
class ThemeWords:
    """The label and keyphrases of one theme."""

    label: str
    keyphrases: tuple[str, ...]


def theme_words(
    phrases: Sequence[Sequence[tuple[str, str]]],
    labels: Sequence[int],
    participants: Sequence[int],
    fallbacks: dict[int, str],
    *,
    n_keyphrases: int = 8,
    taken: set[str] | None = None,
) -> dict[int, ThemeWords]:
    """Label and keyphrases of each theme (label -1 is the unassigned rest, read as context).

    A phrase counts once per excerpt. It must be said in at least two excerpts (by two
    participants) of the theme to name it; a theme with no such phrase is named by its
    ``fallbacks`` text. Labels of one lens are all different, and differ from ``taken`` (the
    lower-cased labels other lenses chose), which grows with the labels chosen here.
    """
    themes = sorted(set(labels) - {-1})
    docfreq = {t: Counter() for t in themes}
    voices: dict[int, dict[str, set[int]]] = {t: {} for t in themes}
    everywhere: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    for row, theme in enumerate(labels):
        keys = {}
        for key, surface in _with_pooled_actions(phrases[row]):
            keys.setdefault(key, surface)
            surfaces.setdefault(key, Counter())[_display(key, surface)] += 1
        everywhere.update(list(keys))
        if theme == -1:
            continue
        docfreq[theme].update(list(keys))
        for key in keys:
            voices[theme].setdefault(key, set()).add(participants[row])
    sizes = Counter(t for t in labels if t != -1)
    mean_count = sum(everywhere.values()) / max(len(themes), 1)
    voiced_by = min(2, len(set(participants)))
    ranked: dict[int, list[tuple[float, str]]] = {}
    for theme in themes:
        strong, weak, pooled = [], [], []
        for key, count in docfreq[theme].items():
            share = count / sizes[theme]
            weight = share * math.log(1 + mean_count / everywhere[key]) * _kind_weight(key)
            if count < 2 or len(voices[theme][key]) < voiced_by:
                weak.append((weight, key))
            else:
                (pooled if key.startswith(ABOUT) else strong).append((weight, key))
        order = sorted(strong, key=lambda s: (-s[0], s[1]))
        pooled.sort(key=lambda s: (-s[0], s[1]))
        weak = [(w, k) for w, k in sorted(weak, key=lambda s: (-s[0], s[1])) if _is_said(k)]
        ranked[theme] = _actions_first(order, pooled) + weak
    names = _distinct_labels(ranked, sizes, surfaces, fallbacks, set() if taken is None else taken)
    out = {}
    for theme in themes:
        label = names[theme]
        texts = [_best_surface(surfaces[key]) for _w, key in ranked[theme]]
        nouns = [t for (_w, k), t in zip(ranked[theme], texts, strict=True) if _is_noun(k)]
        keyphrases = [t for t in dict.fromkeys(nouns) if t != label][:n_keyphrases]
        if not keyphrases:  # a theme said in actions only: they are its keyphrases
            keyphrases = [t for t in dict.fromkeys(texts) if t != label][:n_keyphrases] or [label]
        out[theme] = ThemeWords(label, tuple(keyphrases))
    return out


def _with_pooled_actions(phrases: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The phrases plus, for each action, one pooled by its object alone ("order parts",
    "wait for parts" and "get the parts" all count for "... parts"), shown as said most."""
    pooled = [(ABOUT + k.split()[-1], s) for k, s in phrases if k.startswith(ACTION)]
    return [*phrases, *pooled]


def _is_noun(key: str) -> bool:
    return not key.startswith((ACTION, ABOUT))


def _actions_first(
    ranked: list[tuple[float, str]], pooled: list[tuple[float, str]]
) -> list[tuple[float, str]]:
    """Each noun phrase preceded by the best action or complement said about it ("invoice" ->
    "chase late invoices"), when that phrase weighs at least a quarter as much; actions pooled
    by their object serve only here."""
    out: list[tuple[float, str]] = []
    for weight, key in ranked:
        if not key.startswith((ACTION, OF)):
            head = key.split()[-1]
            about = [
                (w, k)
                for w, k in sorted([*ranked, *pooled], key=lambda s: (-s[0], s[1]))
                if k.startswith((ACTION, ABOUT, OF))
                and head in k.removeprefix(ABOUT).split()
                and w >= weight / 4
            ]
            out.extend(about[:1])
        out.append((weight, key))
    return list(dict.fromkeys(out))


def _is_said(key: str) -> bool:
    """Whether a phrase said once may still name a theme: not a pooled action."""
    return not key.startswith(ABOUT)


def _kind_weight(key: str) -> float:
    if key.startswith(ACTION):
        return 1.6
    if key.startswith(ABOUT):
        return 1.4
    if key.startswith(OF):
        return 1.3
    return 1.2 if " " in key else 0.8


def _display(key: str, surface: str) -> str:
    return surface if key.startswith((ACTION, ABOUT)) else surface.lower()


def _best_surface(counts: Counter[str]) -> str:
    return sorted(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0][0]


def _distinct_labels(
    ranked: dict[int, list[tuple[float, str]]],
    sizes: Counter[int],
    surfaces: dict[str, Counter[str]],
    fallbacks: dict[int, str],
    taken: set[str],
) -> dict[int, str]:
    """Each theme's best phrase no other theme took; larger themes choose first."""
    names: dict[int, str] = {}
    for theme in sorted(ranked, key=lambda t: (-sizes[t], t)):
        choice = None
        for _w, key in ranked[theme]:
            text = _best_surface(surfaces[key])
            if text.lower() not in taken:
                choice = text
                break
        if choice is None:
            choice = _fallback(ranked[theme], surfaces, taken, fallbacks.get(theme, "theme"))
        taken.add(choice.lower())
        names[theme] = choice
    return names


def _fallback(
    ranked: list[tuple[float, str]],
    surfaces: dict[str, Counter[str]],
    taken: set[str],
    text: str,
) -> str:
    """Two phrases joined when every single phrase is taken; else ``text``, numbered if taken."""
    texts = [_best_surface(surfaces[k]) for _w, k in ranked]
    for i, first in enumerate(texts):
        for second in texts[i + 1 :]:
            joined = f"{first}: {second}"
            if joined.lower() not in taken:
                return joined
    base = texts[0] if texts else text
    if base.lower() not in taken:
        return base
    n = 2
    while f"{base} ({n})".lower() in taken:
        n += 1
    return f"{base} ({n})"
