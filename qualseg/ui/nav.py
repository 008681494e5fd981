"""The app's pages and how to move between them (``st.navigation`` over ``render()`` functions)."""

from __future__ import annotations

import importlib

import streamlit as st

# key -> (title, icon, module under qualseg.ui.pages, section)
PAGES: dict[str, tuple[str, str, str, str]] = {
    "overview": ("Overview", ":material/home:", "overview", "Study"),
    "import": ("Import & participants", ":material/upload_file:", "importing", "Study"),
    "privacy": ("Privacy", ":material/shield_person:", "privacy", "Study"),
    "analyze": ("Analyze", ":material/play_circle:", "analyze", "Study"),
    "themes": ("Themes", ":material/bubble_chart:", "themes", "Findings"),
    "segments": ("Segments", ":material/groups:", "segments", "Findings"),
    "quotes": ("Quote bank", ":material/format_quote:", "quotes", "Findings"),
    "reader": ("Transcript reader", ":material/article:", "reader", "Findings"),
    "exports": ("Export", ":material/download:", "exports", "Deliverables"),
}
DEFAULT = "overview"


def page(key: str) -> st.Page:
    """The st.Page of a page key (a fresh object each call; Streamlit matches pages by URL)."""
    title, icon, module, _section = PAGES[key]
    render = importlib.import_module(f"qualseg.ui.pages.{module}").render
    return st.Page(render, title=title, icon=icon, url_path=key, default=key == DEFAULT)


def navigation() -> st.Page:
    """The sidebar menu, grouped by section; returns the page to run."""
    sections: dict[str, list[st.Page]] = {}
    for key, (_title, _icon, _module, section) in PAGES.items():
        sections.setdefault(section, []).append(page(key))
    return st.navigation(sections)


def go(key: str) -> None:
    st.switch_page(page(key))


GOTO = "goto"


def follow_request() -> None:
    """Open the page whose key a link or a test left in session_state["goto"] (once)."""
    key = st.session_state.pop(GOTO, None)
    if key in PAGES:
        go(key)
