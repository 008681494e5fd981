"""Theme discovery on any list of customer statements (survey answers, reviews, tickets)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import numpy as np

from qualseg.cluster import UNASSIGNED, PartitionClusterer
from qualseg.config import AnalysisConfig
from qualseg.describe import describe_themes
from qualseg.embed import Embedder, embed_cached
from qualseg.errors import IngestError
from qualseg.escaping import csv_safe
from qualseg.tables import csv_text
from qualseg.theme_text import theme_text


class MemoryCache:
    """An embedding and keyphrase cache that lives as long as the process."""

    def __init__(self) -> None:
        self._vectors: dict[tuple[str, str], np.ndarray] = {}
        self._phrases: dict[str, list] = {}

    def get_embeddings(self, model: str, hashes):  # noqa: ANN001, ANN201 - EmbeddingCache
        return {h: self._vectors[(model, h)] for h in hashes if (model, h) in self._vectors}

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        self._vectors.update({(model, h): v for h, v in vectors.items()})

    def get_phrases(self, hashes):  # noqa: ANN001, ANN201 - PhraseCache
        return {h: self._phrases[h] for h in hashes if h in self._phrases}

    def put_phrases(self, phrases: dict) -> None:
        self._phrases.update(phrases)


@dataclass(frozen=True)
class StatementThemes:
    """Themes of a statement list: one theme id (or None) per row."""

    rows: list[int]  # 1-based data row numbers in the input file
    statements: list[str]
    assignment: list[int]  # theme number or -1
    themes: dict[int, dict]


def read_statements(source: str, data: bytes, text_column: str) -> tuple[list[int], list[str]]:
    """Non-empty statements of one CSV column, with their 1-based data row numbers."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or text_column not in reader.fieldnames:
        columns = ", ".join(reader.fieldnames or []) or "none"
        raise IngestError(source, f"has no column {text_column!r} (columns: {columns})")
    rows, statements = [], []
    for number, row in enumerate(reader, start=1):
        value = (row.get(text_column) or "").strip()
        if value:
            rows.append(number)
            statements.append(value)
    if not statements:
        raise IngestError(source, f"column {text_column!r} holds no text")
    return rows, statements


def discover_statement_themes(
    rows: list[int],
    statements: list[str],
    embedder: Embedder,
    config: AnalysisConfig,
) -> StatementThemes:
    """Embed, cluster and describe; every statement gets one theme or stays unassigned.

    What is embedded is each statement's ``theme_text`` (no fillers, non-speech marks or
    pseudonyms); quotes are the statements as written.
    """
    cleaned = [theme_text(s) for s in statements]
    vectors = embed_cached(embedder, cleaned, MemoryCache(), batch_size=config.batch_size)
    owners = list(range(len(statements)))  # each statement is its own "participant"
    labels = (
        PartitionClusterer(
            seed=config.seed,
            granularity=config.granularity,
            reassign_similarity=config.reassign_similarity,
            min_participants=config.min_theme_participants,
        )
        .fit(vectors, owners)
        .labels_
    )
    descriptions = describe_themes(
        statements, vectors, owners, labels, quotes_per_theme=config.quotes_per_theme
    )
    themes = {
        number: {
            "id": f"theme-{number + 1}",
            "label": d.label,
            "keyphrases": list(d.keyphrases),
            "size": int((labels == number).sum()),
            "quotes": [{"row": rows[i], "text": statements[i]} for i in d.quotes],
        }
        for number, d in sorted(descriptions.items())
    }
    return StatementThemes(rows, statements, labels.tolist(), themes)


def assignments_csv(result: StatementThemes) -> str:
    """One row per statement with its theme; every text cell inert in a spreadsheet."""
    rows: list[list[str | int]] = [["row", "statement", "theme_id", "theme_label"]]
    for row, statement, theme in zip(
        result.rows, result.statements, result.assignment, strict=True
    ):
        info = result.themes.get(theme) if theme != UNASSIGNED else None
        rows.append(
            [row, statement, info["id"] if info else "", info["label"] if info else "unassigned"]
        )
    return csv_text(rows)


def themes_json(result: StatementThemes, source: str, text_column: str, config: dict) -> str:
    """The themes document (``themes.json``): labels, keyphrases and quotes made inert for a
    spreadsheet that imports it (a text starting with = + - @ gets a leading apostrophe)."""
    unassigned = sum(1 for t in result.assignment if t == UNASSIGNED)
    themes = [
        {
            **theme,
            "label": csv_safe(theme["label"]),
            "keyphrases": [csv_safe(k) for k in theme["keyphrases"]],
            "quotes": [{**q, "text": csv_safe(q["text"])} for q in theme["quotes"]],
        }
        for theme in result.themes.values()
    ]
    document = {
        "source": csv_safe(source),
        "text_column": csv_safe(text_column),
        "config": config,
        "statements": len(result.statements),
        "unassigned": unassigned,
        "themes": themes,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
