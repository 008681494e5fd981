"""Edit use-cases: each edit is logged against the current run and applied on read.

The current state of a project is the newest successful run's result with every logged edit
that is not undone applied in order (``current_state``). A re-run keeps the log: edits apply to
the new result where their themes are found again; the rest are listed as not applied.

Two sessions may edit one project (two browser tabs, two people). Every use-case takes ``seen``,
the ``head`` of the state the caller's view was built from (None: the state read by the call
itself). An edit is refused with :class:`EditConflict` when an edit logged after ``seen`` changed
the same part of the same theme, excerpt or segment; edits of different objects both apply. The
check and the append are one write transaction, so two sessions cannot both pass it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from qualseg.describe import cached_phrases, describe_themes
from qualseg.edit_commands import (
    AddThemesToSegment,
    AdoptSegmentation,
    CreateSegment,
    DeleteSegment,
    DismissExcerpt,
    DismissTheme,
    EditCommand,
    MergeThemes,
    MoveExcerpt,
    PinQuote,
    RemoveThemeFromSegment,
    RenameSegment,
    RenameTheme,
    SetSegmentNotes,
    SplitTheme,
    UnpinQuote,
)
from qualseg.edits import EditOutcome, apply_edits, describe, overlaps, signature, touches
from qualseg.embed import embed_cached, embedder_for
from qualseg.errors import ProjectError
from qualseg.privacy.seam import model_texts
from qualseg.report import load_report
from qualseg.report_types import Report, ThemeRef
from qualseg.store import ProjectStore
from qualseg.store.runs import EditRecord


class EditConflict(ProjectError):
    """Another session changed what this edit changes since the caller's view was built.

    Attributes:
        theirs: the other session's edits in the way.
    """

    def __init__(self, message: str, theirs: list[EditRecord]) -> None:
        self.theirs = theirs
        super().__init__(message)


@dataclass
class StudyState:
    """The study as the researcher sees it now; ``head`` is the id of the newest edit applied
    (0 before any), what an edit made from this view passes as ``seen``."""

    run_id: int
    report: Report
    outcome: EditOutcome
    edits: list[EditRecord]
    head: int = 0


def current_state(store: ProjectStore) -> StudyState | None:
    """The latest result with the researcher's edits applied and the participants' current
    metadata; None before the first analysis."""
    latest = store.latest_result()
    if latest is None:
        return None
    run_id, document = latest
    report = load_report(document)
    metadata = {f"P{s.id}": s.metadata for s in store.participants()}
    for person in report["participants"]:
        person["metadata"] = metadata.get(person["id"], person.get("metadata", {}))
    edits = store.edits()
    state, outcome = apply_edits(report, edits, in_place=True)  # parsed just above: ours alone
    return StudyState(run_id, state, outcome, edits, edits[-1].id if edits else 0)


def _require_state(store: ProjectStore) -> StudyState:
    state = current_state(store)
    if state is None:
        raise ProjectError(f"project {store.name!r} has not been analyzed yet")
    return state


def _ref(state: StudyState, theme_id: str) -> ThemeRef:
    theme = next((t for t in state.report["themes"] if t["id"] == theme_id), None)
    if theme is None:
        raise ProjectError(f"no theme {theme_id!r} in project {state.report.get('project', '')}")
    return {"id": theme_id, "lens": theme["lens"], "signature": signature(state.report, theme_id)}


def _record(store: ProjectStore, state: StudyState, edit: EditCommand, seen: int | None) -> int:
    """Log a command (its kind and stored payload) through :func:`_log`."""
    return _log(store, state, edit.kind, edit.payload(), seen)


def _log(
    store: ProjectStore, state: StudyState, kind: str, payload: dict[str, Any], seen: int | None
) -> int:
    """Append an edit unless an edit logged after ``seen`` changed the same thing."""
    mine = touches(kind, payload)

    def refuse_overlap(newer: list[EditRecord]) -> None:
        theirs = [e for e in newer if overlaps(mine, touches(e.kind, e.payload))]
        if theirs:
            done = "; ".join(f"{describe(e.kind, e.payload)} (edit {e.id})" for e in theirs)
            raise EditConflict(
                f"another session changed this after your view was loaded: {done}. "
                f"Your change ({describe(kind, payload)}) was not saved; reload to see "
                "theirs, then edit again if you still want to.",
                theirs,
            )

    after = state.head if seen is None else seen
    return store.add_edit(
        kind, payload, run_id=state.run_id, newer_than=after, check=refuse_overlap
    )


def rename_theme(store: ProjectStore, theme_id: str, label: str, *, seen: int | None = None) -> int:
    state = _require_state(store)
    if not label.strip():
        raise ProjectError("a theme needs a non-empty name")
    return _record(store, state, RenameTheme(_ref(state, theme_id), label.strip()), seen)


def merge_themes(
    store: ProjectStore,
    theme_ids: list[str],
    label: str | None = None,
    *,
    seen: int | None = None,
) -> int:
    state = _require_state(store)
    if len(theme_ids) < 2:
        raise ProjectError("choose at least two themes to merge")
    lenses = {_ref(state, t)["lens"] for t in theme_ids}
    if len(lenses) > 1:
        raise ProjectError("only themes of the same lens can be merged")
    edit = MergeThemes([_ref(state, t) for t in theme_ids], label)
    return _record(store, state, edit, seen)


def split_theme(
    store: ProjectStore, theme_id: str, *, seed: int = 42, seen: int | None = None
) -> int:
    """Split a theme in two by re-clustering its excerpts (k-means on their embeddings)."""
    state = _require_state(store)
    ref = _ref(state, theme_id)
    theme = next(t for t in state.report["themes"] if t["id"] == theme_id)
    by_key = {e["id"]: e for e in state.report["excerpts"]}
    keys = theme["excerpts"]
    if len(keys) < 4:
        raise ProjectError("a theme needs at least 4 excerpts to be split")
    # embedded and labelled as the run did: pseudonymised text when the project pseudonymises
    texts = model_texts(store, [by_key[k] for k in keys])
    model = state.report["run"].get("model")
    vectors = embed_cached(embedder_for(model), texts, store)
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    # a theme's few dozen excerpts: one thread (the same labels; starting OpenMP's thread pool
    # for ten tiny fits cost more than the fits on a busy machine)
    with threadpool_limits(1):
        labels = KMeans(n_clusters=2, n_init=10, random_state=seed).fit_predict(vectors)
    smaller = int(np.argmin(np.bincount(labels)))
    people = [by_key[k]["participant"] for k in keys]
    # both parts get labels no other theme of the study carries (the parent's own is free),
    # from the run's keyphrases of these texts (parsed once, by the analysis): no spaCy parse
    taken = {t["label"].lower() for t in state.report["themes"] if t["id"] != theme_id}
    described = describe_themes(
        texts, vectors, people, labels, phrases=cached_phrases(texts, store), taken=taken
    )
    edit = SplitTheme(
        theme=ref,
        was=theme["label"],
        moved=[k for k, lab in zip(keys, labels, strict=True) if lab == smaller],
        label=described[smaller].label,
        kept_label=described[1 - smaller].label,
        keyphrases=list(described[smaller].keyphrases),
    )
    return _record(store, state, edit, seen)


def move_excerpt(
    store: ProjectStore,
    excerpt_id: str,
    theme_id: str | None,
    *,
    lens: str,
    seen: int | None = None,
) -> int:
    """Move an excerpt into a theme (or out of its theme of that lens, to unassigned)."""
    state = _require_state(store)
    edit = MoveExcerpt(excerpt_id, lens, _ref(state, theme_id) if theme_id else None)
    return _record(store, state, edit, seen)


def dismiss_excerpt(store: ProjectStore, excerpt_id: str, *, seen: int | None = None) -> int:
    state = _require_state(store)
    return _record(store, state, DismissExcerpt(excerpt_id), seen)


def dismiss_theme(store: ProjectStore, theme_id: str, *, seen: int | None = None) -> int:
    state = _require_state(store)
    return _record(store, state, DismissTheme(_ref(state, theme_id)), seen)


def create_segment(
    store: ProjectStore, label: str, theme_ids: list[str], *, seen: int | None = None
) -> str:
    """A new segment built from themes, logged as one edit; returns its id."""
    state = _require_state(store)
    taken = {s["id"] for s in state.report["segments"]}
    number = 1
    while f"S{number}" in taken:
        number += 1
    segment_id = f"S{number}"
    edit = CreateSegment(
        segment_id, label.strip() or segment_id, [_ref(state, t) for t in theme_ids]
    )
    _record(store, state, edit, seen)
    return segment_id


def add_themes_to_segment(
    store: ProjectStore, segment_id: str, theme_ids: list[str], *, seen: int | None = None
) -> int:
    state = _require_state(store)
    edit = AddThemesToSegment(segment_id, [_ref(state, t) for t in theme_ids])
    return _record(store, state, edit, seen)


def remove_theme_from_segment(
    store: ProjectStore, segment_id: str, theme_id: str, *, seen: int | None = None
) -> int:
    state = _require_state(store)
    edit = RemoveThemeFromSegment(segment_id, _ref(state, theme_id))
    return _record(store, state, edit, seen)


def adopt_segmentation(store: ProjectStore, k: int, *, seen: int | None = None) -> int:
    """Take the run's grouping into ``k`` segments in place of the suggested segments, as one
    edit (undo restores the suggestion); segments the researcher built stay.

    Raises:
        ProjectError: the run tried no grouping into ``k`` segments.
    """
    state = _require_state(store)
    tried = sorted(a["k"] for a in (state.report.get("segmentation") or {}).get("alternatives", []))
    if k not in tried:
        raise ProjectError(
            f"the analysis tried no grouping into {k} segments"
            + (f" (it tried {', '.join(map(str, tried))})" if tried else "")
        )
    return _record(store, state, AdoptSegmentation(k), seen)


def rename_segment(
    store: ProjectStore, segment_id: str, label: str, *, seen: int | None = None
) -> int:
    state = _require_state(store)
    return _record(store, state, RenameSegment(segment_id, label.strip()), seen)


def delete_segment(store: ProjectStore, segment_id: str, *, seen: int | None = None) -> int:
    state = _require_state(store)
    return _record(store, state, DeleteSegment(segment_id), seen)


def set_segment_notes(
    store: ProjectStore, segment_id: str, criterion: str, text: str, *, seen: int | None = None
) -> int:
    state = _require_state(store)
    return _record(store, state, SetSegmentNotes(segment_id, criterion, text), seen)


def pin_quote(store: ProjectStore, excerpt_id: str, *, seen: int | None = None) -> int:
    state = _require_state(store)
    return _record(store, state, PinQuote(excerpt_id), seen)


def unpin_quote(store: ProjectStore, excerpt_id: str, *, seen: int | None = None) -> int:
    state = _require_state(store)
    return _record(store, state, UnpinQuote(excerpt_id), seen)


def undo(store: ProjectStore, *, seen: int | None = None) -> EditRecord | None:
    """Undo the newest edit; returns it, or None when there is nothing to undo.

    ``seen`` is the edit the caller means to undo (the head of its view): when another session
    has since logged a newer edit or undone that one, nothing is undone and EditConflict says why.
    """

    def same_edit(newest: EditRecord | None) -> None:
        if seen is None or (newest.id if newest else 0) == seen:
            return
        if newest is not None and newest.id > seen:
            raise EditConflict(
                f"another session edited the project since your view was loaded: "
                f"{describe(newest.kind, newest.payload)} (edit {newest.id}) is now the newest "
                "edit. Nothing was undone; reload to see it, then undo again if you still want to.",
                [newest],
            )
        raise EditConflict(
            f"edit {seen} was already undone in another session. Nothing was undone; reload to "
            "see the project as it is now.",
            [],
        )

    return store.undo_last_edit(check=same_edit)
