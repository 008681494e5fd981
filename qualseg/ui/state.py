"""Cached resources, the current project and the few ids the app keeps in session_state.

session_state holds names and ids only: ``project`` (project name), ``reader_excerpt`` (the
excerpt the transcript reader opens at), ``flash`` (one message shown after a rerun). Everything
else is read through :mod:`qualseg.service` on each run.

Test-only switch: ``QUALSEG_FAKE_EMBEDDER=1`` makes the app analyze with
``qualseg.embed.HashingEmbedder`` (a fast bag-of-words fake) instead of the real
all-MiniLM-L6-v2 model. It exists for the UI and browser tests; never set it for real studies.
"""

from __future__ import annotations

import os

import streamlit as st

from qualseg import service
from qualseg.embed import Embedder, HashingEmbedder
from qualseg.report_types import Report
from qualseg.service import ProjectStore, Workspace

PROJECT = "project"
READER_EXCERPT = "reader_excerpt"
READER_SOURCE = "reader_source"
FLASH = "flash"


def _root() -> str:
    """The workspace folder (QUALSEG_WORKSPACE or the default), as a cache key."""
    return str(Workspace().root)


@st.cache_resource(show_spinner=False)
def _workspace(root: str) -> Workspace:
    return Workspace(root)


def workspace() -> Workspace:
    return _workspace(_root())


@st.cache_resource(show_spinner="Opening the project…")
def _open_project(root: str, name: str) -> ProjectStore:
    ws = _workspace(root)
    store = service.ensure_sample_project(ws) if name == service.SAMPLE_PROJECT else ws.open(name)
    service.finish_interrupted_deletion(store)
    return store


def open_project(name: str) -> ProjectStore:
    return _open_project(_root(), name)


def project_names() -> list[str]:
    """Projects in the workspace; the sample study is always offered."""
    names = workspace().projects()
    if service.SAMPLE_PROJECT not in names:
        names = [service.SAMPLE_PROJECT, *names]
    return names


def current_project_name() -> str:
    name = st.session_state.get(PROJECT) or service.SAMPLE_PROJECT
    return name if name in project_names() else service.SAMPLE_PROJECT


def current_project() -> ProjectStore:
    """The project chosen in the sidebar (the sample study on a fresh install), remembered as
    the workspace's last used one."""
    name = current_project_name()
    store = open_project(name)
    workspace().remember(name)
    return store


def start_project() -> None:
    """A new browser session starts on the project used last (else on the sample study)."""
    if st.session_state.get(PROJECT) is None:
        last = workspace().last_used()
        if last in project_names():
            st.session_state[PROJECT] = last


def create_project(name: str) -> ProjectStore:
    """Create a project and make it the current one."""
    service.create_project(workspace(), name).close()
    st.session_state[PROJECT] = name.strip()
    return open_project(name.strip())


def embedder() -> Embedder | None:
    """The embedder the app analyzes with: None (the real model, chosen by the service), or
    the hashing fake when QUALSEG_FAKE_EMBEDDER=1 (TEST ONLY, see the module docstring)."""
    if os.environ.get("QUALSEG_FAKE_EMBEDDER") == "1":
        return HashingEmbedder()
    return None


def study(store: ProjectStore) -> service.StudyState | None:
    """The analyzed study with the researcher's edits applied (None before the first run)."""
    return service.current_state(store)


@st.cache_data(show_spinner="Placing excerpts on the map…", max_entries=32)
def excerpt_map(
    _store: ProjectStore, project: str, run_id: int, keys_digest: str, _report: Report
) -> dict[str, tuple[float, float]]:
    """2-D map of the excerpts in ``_report`` (PCA through the service, over the embeddings the
    run cached), cached per project, run and set of excerpts (``keys_digest``)."""
    return service.excerpt_map(_store, _report, seed=int(_report["run"].get("seed", 42)))


def remembered_selectbox(
    where,
    label: str,
    options: list,
    state_key: str,
    *,
    on_change=None,
    **kwargs,
):
    """A selectbox whose choice lives under a plain session_state key (``state_key``), so that it
    survives page switches (widget state does not always: Streamlit may reset a widget to its
    first value when ``st.switch_page`` reruns) and can be set from anywhere before a rerun."""
    widget_key = f"{state_key}__widget"
    value = st.session_state.get(state_key)
    if value not in options:
        value = options[0] if options else None
        st.session_state[state_key] = value
    if st.session_state.get(widget_key) != value:
        st.session_state[widget_key] = value

    def changed() -> None:
        st.session_state[state_key] = st.session_state[widget_key]
        if on_change is not None:
            on_change()

    return where.selectbox(label, options, key=widget_key, on_change=changed, **kwargs)


def flash(message: str, kind: str = "success") -> None:
    """Keep a message to show at the top of the page after the next rerun."""
    st.session_state[FLASH] = (kind, message)


def show_flash() -> None:
    """The message an edit left, in a slot that is there on every run: the elements below keep
    their place, so an open expander stays open on the run after the message is gone."""
    slot = st.container()
    kind, message = st.session_state.pop(FLASH, (None, None))
    if message:
        {"success": slot.success, "warning": slot.warning, "error": slot.error}.get(
            kind, slot.info
        )(message)
