"""Kinds of excerpts: need, outcome, psychographic, trigger, objection, other.

The method, as a researcher would explain it: a logistic regression reads four things about an
excerpt — what it means (its sentence embedding), how close it is to labelled example sentences of
each kind (``kind_examples.py``), what the interviewer had just asked (its embedding, and how close
it is to example prompts such as "What made you start looking?"), and cue words ("final straw",
"worried"). It learned from the generic examples and from the annotated tuning half of the
sample study (``data/kind_training.jsonl``; the held-out half is never used). The most probable
kind wins; a trigger needs at least ``trigger_min`` probability (else the next kind wins), and a
second kind is added when it is nearly as probable. Psychographic is given from ``psych_min``
probability on (as sole kind in place of other, or as a second kind): annotated examples of it are
scarce, so its probabilities run low. "need" is split into need (a problem) and
outcome (a desired result) by which example set the excerpt is closer to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from qualseg.config import DEFAULT_MODEL
from qualseg.embed import Embedder, EmbeddingCache, embed_cached
from qualseg.kind_examples import EXAMPLES, PROMPTS
from qualseg.models import KINDS, Kind

TRAINING_FILE = Path(__file__).with_name("data") / "kind_training.jsonl"
SHIPPED_VECTORS = Path(__file__).with_name("data") / "kind_vectors.npz"
CLASSES: tuple[Kind, ...] = ("need", "psychographic", "trigger", "objection", "other")

CUES: dict[Kind, re.Pattern[str]] = {
    "need": re.compile(
        r"\b(pain\w*|frustrat\w+|nightmare|manual\w*|by hand|wast\w+|struggl\w+|problem\w*|"
        r"headache\w*|chas\w+|spreadsheet\w*|errors?|mistakes?|bottleneck\w*|blind\w*|"
        r"no (idea|visibility|way)|slip\w* through|tedious|overtime|drown\w*)\b",
        re.IGNORECASE,
    ),
    "outcome": re.compile(
        r"\b(want(ed)? to be able|would love|ideally|the goal|wish|if we could|"
        r"need(ed)? a way|would be great|dream|instead of)\b",
        re.IGNORECASE,
    ),
    "psychographic": re.compile(
        r"\b(i'm (the kind|someone|not someone|pretty|a bit|very|naturally)|i tend to|we tend to|"
        r"i believe|i like to|i'd rather|we'd rather|by nature|philosophy|my gut|"
        r"consensus|buy-in|early adopters?|guinea pigs?|first movers?|cautious|conservative|"
        r"play it safe|risk-averse|bleeding edge|committee)\b",
        re.IGNORECASE,
    ),
    "trigger": re.compile(
        r"\b(final straw|last straw|that's when|that was when|the moment|what (made|got|pushed|"
        r"prompted|tipped)|kicked off|started looking|trigger\w*|wake-up call|turning point|"
        r"tipping point|catalyst|forced (us|our|me)|up for renewal|pushed us)\b",
        re.IGNORECASE,
    ),
    "objection": re.compile(
        r"\b(worr\w+|concern\w*|hesita\w+|pushback|push(ed)? back|skeptic\w*|too expensive|"
        r"afraid|nervous|reluctan\w+|deal-?breaker|red flag|held (us )?back|"
        r"wasn't (sure|convinced)|scared|risk of)\b",
        re.IGNORECASE,
    ),
    "other": re.compile(r"$^"),
}


@dataclass(frozen=True)
class KindDecision:
    """The kinds given to one excerpt and why (probabilities, cue words that matched)."""

    kinds: tuple[Kind, ...]
    scores: dict[str, float]
    cues: dict[str, str]


def training_examples() -> list[tuple[str, str, Kind]]:
    """(text, interviewer prompt, kind) of every training example."""
    rows: list[tuple[str, str, Kind]] = [
        (text, "", "need" if kind == "outcome" else kind)
        for kind in KINDS
        for text in EXAMPLES[kind]
    ]
    for line in TRAINING_FILE.read_text("utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            rows.append((item["text"], item["prompt"], item["kind"]))
    return rows


def scores_of(probs: np.ndarray, classes: list[str], kind: str) -> float:
    return float(probs[classes.index(kind)]) if kind in classes else 0.0


def classifier_texts() -> list[str]:
    """Every text the classifier embeds to train: examples, prompts, training rows."""
    texts = [t for kind in KINDS for t in EXAMPLES[kind] + PROMPTS[kind]]
    for text, prompt, _kind in training_examples():
        texts += [text, prompt] if prompt else [text]
    return sorted(set(texts))


class _ShippedFirst:
    """The bundled model's precomputed training vectors, then the project cache."""

    def __init__(self, model: str, cache: EmbeddingCache | None) -> None:
        self.cache = cache
        self.shipped: dict[str, np.ndarray] = {}
        if model == DEFAULT_MODEL and SHIPPED_VECTORS.is_file():
            with np.load(SHIPPED_VECTORS) as data:
                self.shipped = dict(zip(data["hashes"].tolist(), data["vectors"], strict=True))

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found = {h: self.shipped[h] for h in hashes if h in self.shipped}
        rest = [h for h in hashes if h not in found]
        if rest and self.cache is not None:
            found.update(self.cache.get_embeddings(model, rest))
        return found

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if self.cache is not None:
            self.cache.put_embeddings(model, vectors)


class KindClassifier:
    """Logistic-regression kind classifier (scikit-learn style: configure, ``fit``, ``predict``).

    Args:
        C: inverse regularisation strength of the logistic regression.
        trigger_min: least probability for the trigger kind.
        second_min: least probability for a second kind.
        psych_min: least probability for the psychographic kind.
        top_k: closest examples averaged for an example-similarity feature.
    """

    def __init__(
        self,
        *,
        C: float = 3.0,  # noqa: N803 - scikit-learn's name
        trigger_min: float = 0.35,
        second_min: float = 0.4,
        psych_min: float = 0.2,
        top_k: int = 3,
    ) -> None:
        self.C = C
        self.trigger_min = trigger_min
        self.second_min = second_min
        self.psych_min = psych_min
        self.top_k = top_k

    def fit(self, embedder: Embedder, cache: EmbeddingCache | None = None) -> KindClassifier:
        """Embed the examples and prompts and train the regression."""
        self.embedder_ = embedder
        self.cache_ = _ShippedFirst(embedder.name, cache)
        self.example_vectors_ = {k: self._embed(list(EXAMPLES[k])) for k in KINDS}
        self.prompt_vectors_ = {k: self._embed(list(PROMPTS[k])) for k in KINDS}
        rows = training_examples()
        texts = [r[0] for r in rows]
        features = self._features(texts, self._embed(texts), [r[1] for r in rows])
        self.model_ = LogisticRegression(C=self.C, max_iter=5000, class_weight="balanced")
        self.model_.fit(features, [r[2] for r in rows])
        return self

    def predict(
        self, texts: list[str], vectors: np.ndarray, prompts: list[str] | None = None
    ) -> list[KindDecision]:
        """The kinds of each excerpt, with class probabilities and matched cue words."""
        prompts = prompts if prompts is not None else [""] * len(texts)
        if not texts:
            return []
        features = self._features(texts, vectors, prompts)
        probabilities = self.model_.predict_proba(features)
        classes = [str(c) for c in self.model_.classes_]
        need_sim = self._example_sims(vectors, "need")
        outcome_sim = self._example_sims(vectors, "outcome")
        decisions = []
        for row, (text, probs) in enumerate(zip(texts, probabilities, strict=True)):
            ranked = sorted(zip(classes, probs, strict=True), key=lambda cp: (-cp[1], cp[0]))
            if ranked[0][0] == "trigger" and ranked[0][1] < self.trigger_min:
                ranked = ranked[1:] + ranked[:1]
            kinds: list[str] = [ranked[0][0]]
            second, p2 = ranked[1]
            if (
                "other" not in (kinds[0], second)
                and p2 >= self.second_min
                and (second != "trigger" or p2 >= self.trigger_min)
            ):
                kinds.append(second)
            if "psychographic" not in kinds and scores_of(probs, classes, "psychographic") >= (
                self.psych_min
            ):
                kinds = ["psychographic"] if kinds == ["other"] else [kinds[0], "psychographic"]
            kinds = [
                ("outcome" if outcome_sim[row] > need_sim[row] else "need") if k == "need" else k
                for k in kinds
            ]
            cues = {k: m.group(0) for k in KINDS if (m := CUES[k].search(text))}
            scores = {c: round(float(p), 4) for c, p in zip(classes, probs, strict=True)}
            decisions.append(KindDecision(tuple(kinds), scores, cues))  # type: ignore[arg-type]
        return decisions

    # -- features -------------------------------------------------------------------------------

    def _embed(self, texts: list[str]) -> np.ndarray:
        return embed_cached(self.embedder_, texts, self.cache_)

    def _example_sims(self, vectors: np.ndarray, kind: Kind) -> np.ndarray:
        sims = vectors @ self.example_vectors_[kind].T
        k = min(self.top_k, sims.shape[1])
        return np.sort(sims, axis=1)[:, -k:].mean(axis=1)

    def _features(self, texts: list[str], vectors: np.ndarray, prompts: list[str]) -> np.ndarray:
        unique = sorted({p for p in prompts if p.strip()})
        dim = vectors.shape[1]
        prompt_of = dict(zip(unique, self._embed(unique), strict=True)) if unique else {}
        asked = np.stack([prompt_of.get(p, np.zeros(dim, dtype=np.float32)) for p in prompts])
        example_sims = np.stack([self._example_sims(vectors, k) for k in KINDS], axis=1)
        prompt_sims = np.stack(
            [(asked @ self.prompt_vectors_[k].T).max(axis=1) for k in KINDS], axis=1
        )
        cues = np.array([[1.0 if CUES[k].search(t) else 0.0 for k in KINDS] for t in texts])
        return np.hstack([vectors, 0.5 * asked, example_sims, prompt_sims, cues])
