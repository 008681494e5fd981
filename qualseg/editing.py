"""Edit use-cases: each edit is logged against the current run and applied on read.

The current state of a project is the newest successful run's result with every logged edit
that is not undone applied in order (``current_state``). A re-run keeps the log: edits apply to
the new result where their themes are found again; the rest are listed as not applied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans

from qualseg.describe import describe_themes
from qualseg.edits import EditOutcome, apply_edits, signature
from qualseg.embed import embed_cached, embedder_for
from qualseg.errors import ProjectError
from qualseg.store import ProjectStore
from qualseg.store.runs import EditRecord


@dataclass
class StudyState:
    """The study as the researcher sees it now."""

    run_id: int
    report: dict
    outcome: EditOutcome
    edits: list[EditRecord]


def current_state(store: ProjectStore) -> StudyState | None:
    """The latest result with the researcher's edits applied and the participants' current
    metadata; None before the first analysis."""
    latest = store.latest_result()
    if latest is None:
        return None
    run_id, report = latest
    metadata = {f"P{s.id}": s.metadata for s in store.participants()}
    for person in report["participants"]:
        person["metadata"] = metadata.get(person["id"], person.get("metadata", {}))
    edits = store.edits()
    state, outcome = apply_edits(report, edits)
    return StudyState(run_id, state, outcome, edits)


def _require_state(store: ProjectStore) -> StudyState:
    state = current_state(store)
    if state is None:
        raise ProjectError(f"project {store.name!r} has not been analyzed yet")
    return state


def _ref(state: StudyState, theme_id: str) -> dict:
    theme = next((t for t in state.report["themes"] if t["id"] == theme_id), None)
    if theme is None:
        raise ProjectError(f"no theme {theme_id!r} in project {state.report.get('project', '')}")
    return {"id": theme_id, "lens": theme["lens"], "signature": signature(state.report, theme_id)}


def _log(store: ProjectStore, state: StudyState, kind: str, payload: dict) -> int:
    return store.add_edit(kind, payload, run_id=state.run_id)


def rename_theme(store: ProjectStore, theme_id: str, label: str) -> int:
    state = _require_state(store)
    if not label.strip():
        raise ProjectError("a theme needs a non-empty name")
    return _log(
        store, state, "rename_theme", {"theme": _ref(state, theme_id), "label": label.strip()}
    )


def merge_themes(store: ProjectStore, theme_ids: list[str], label: str | None = None) -> int:
    state = _require_state(store)
    if len(theme_ids) < 2:
        raise ProjectError("choose at least two themes to merge")
    lenses = {_ref(state, t)["lens"] for t in theme_ids}
    if len(lenses) > 1:
        raise ProjectError("only themes of the same lens can be merged")
    return _log(
        store,
        state,
        "merge_themes",
        {"themes": [_ref(state, t) for t in theme_ids], "label": label},
    )


def split_theme(store: ProjectStore, theme_id: str, *, seed: int = 42) -> int:
    """Split a theme in two by re-clustering its excerpts (k-means on their embeddings)."""
    state = _require_state(store)
    ref = _ref(state, theme_id)
    theme = next(t for t in state.report["themes"] if t["id"] == theme_id)
    by_key = {e["id"]: e for e in state.report["excerpts"]}
    keys = theme["excerpts"]
    if len(keys) < 4:
        raise ProjectError("a theme needs at least 4 excerpts to be split")
    texts = [by_key[k]["text"] for k in keys]
    model = state.report["run"].get("model")
    vectors = embed_cached(embedder_for(model), texts, store)
    labels = KMeans(n_clusters=2, n_init=10, random_state=seed).fit_predict(vectors)
    smaller = int(np.argmin(np.bincount(labels)))
    people = [by_key[k]["participant"] for k in keys]
    described = describe_themes(texts, vectors, people, labels)
    return _log(
        store,
        state,
        "split_theme",
        {
            "theme": ref,
            "moved": [k for k, lab in zip(keys, labels, strict=True) if lab == smaller],
            "label": described[smaller].label,
            "kept_label": described[1 - smaller].label,
            "keyphrases": list(described[smaller].keyphrases),
        },
    )


def move_excerpt(store: ProjectStore, excerpt_id: str, theme_id: str | None, *, lens: str) -> int:
    """Move an excerpt into a theme (or out of its theme of that lens, to unassigned)."""
    state = _require_state(store)
    payload = {
        "excerpt": excerpt_id,
        "lens": lens,
        "to": _ref(state, theme_id) if theme_id else None,
    }
    return _log(store, state, "move_excerpt", payload)


def dismiss_excerpt(store: ProjectStore, excerpt_id: str) -> int:
    state = _require_state(store)
    return _log(store, state, "dismiss_excerpt", {"excerpt": excerpt_id})


def dismiss_theme(store: ProjectStore, theme_id: str) -> int:
    state = _require_state(store)
    return _log(store, state, "dismiss_theme", {"theme": _ref(state, theme_id)})


def create_segment(store: ProjectStore, label: str, theme_ids: list[str]) -> str:
    """A new segment built from themes; returns its id."""
    state = _require_state(store)
    taken = {s["id"] for s in state.report["segments"]}
    number = 1
    while f"S{number}" in taken:
        number += 1
    segment_id = f"S{number}"
    _log(store, state, "create_segment", {"id": segment_id, "label": label.strip() or segment_id})
    if theme_ids:
        add_themes_to_segment(store, segment_id, theme_ids)
    return segment_id


def add_themes_to_segment(store: ProjectStore, segment_id: str, theme_ids: list[str]) -> int:
    state = _require_state(store)
    return _log(
        store,
        state,
        "add_themes_to_segment",
        {"segment": segment_id, "themes": [_ref(state, t) for t in theme_ids]},
    )


def remove_theme_from_segment(store: ProjectStore, segment_id: str, theme_id: str) -> int:
    state = _require_state(store)
    return _log(
        store,
        state,
        "remove_theme_from_segment",
        {"segment": segment_id, "theme": _ref(state, theme_id)},
    )


def rename_segment(store: ProjectStore, segment_id: str, label: str) -> int:
    state = _require_state(store)
    return _log(store, state, "rename_segment", {"segment": segment_id, "label": label.strip()})


def delete_segment(store: ProjectStore, segment_id: str) -> int:
    state = _require_state(store)
    return _log(store, state, "delete_segment", {"segment": segment_id})


def set_segment_notes(store: ProjectStore, segment_id: str, criterion: str, text: str) -> int:
    state = _require_state(store)
    return _log(
        store,
        state,
        "set_segment_notes",
        {"segment": segment_id, "criterion": criterion, "text": text},
    )


def pin_quote(store: ProjectStore, excerpt_id: str) -> int:
    state = _require_state(store)
    return _log(store, state, "pin_quote", {"excerpt": excerpt_id})


def unpin_quote(store: ProjectStore, excerpt_id: str) -> int:
    state = _require_state(store)
    return _log(store, state, "unpin_quote", {"excerpt": excerpt_id})


def undo(store: ProjectStore) -> EditRecord | None:
    """Undo the newest edit; returns it, or None when there is nothing to undo."""
    return store.undo_last_edit()
