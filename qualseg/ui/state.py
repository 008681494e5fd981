"""Cached resources and the current project (session_state holds names and ids only)."""

from __future__ import annotations

import streamlit as st

from qualseg import service
from qualseg.store import ProjectStore, Workspace


@st.cache_resource
def workspace() -> Workspace:
    return Workspace()


@st.cache_resource
def open_project(name: str) -> ProjectStore:
    if name == service.SAMPLE_PROJECT:
        return service.ensure_sample_project(workspace())
    return workspace().open(name)


def current_project() -> ProjectStore:
    """The project chosen in the sidebar (the sample study on a fresh install)."""
    names = workspace().projects()
    if service.SAMPLE_PROJECT not in names:
        names = [service.SAMPLE_PROJECT, *names]
    default = st.session_state.get("project", service.SAMPLE_PROJECT)
    name = st.sidebar.selectbox(
        "Project", names, index=names.index(default) if default in names else 0
    )
    st.session_state["project"] = name
    return open_project(name)
