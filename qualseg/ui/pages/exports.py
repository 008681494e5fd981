"""Export: every deliverable of the project, built from its current state when downloaded.

Each format is one download button whose file is built on click (Streamlit runs the callable
outside the script, on another thread), from the project as it is at that moment, through a
store of its own. A build that fails is remembered and shown with ``st.error`` on the next run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import streamlit as st

from qualseg import service
from qualseg.service import ProjectStore
from qualseg.ui import components as ui
from qualseg.ui import state

PSEUDONYMISE_HELP = (
    "On: participants' names and other identifiers are replaced by consistent pseudonyms (the "
    "same person keeps the same pseudonym) in every file below, quotes and transcripts "
    "included. Off: real names; keep such files inside the research team."
)
_FAILURES: dict[tuple[str, str], str] = {}
_FAILURES_LOCK = threading.Lock()


def build(
    folder: str, fmt: str, pseudonymise: bool, product: str = "", category: str = ""
) -> bytes:
    """The bytes of one export of the project in ``folder``, built from its current state
    through a store of its own (safe on Streamlit's download thread). A failure is remembered
    for the page to show, then raised."""
    try:
        return service.export_folder(
            folder, fmt, pseudonymise=pseudonymise, product=product, category=category
        )
    except Exception as err:
        with _FAILURES_LOCK:
            _FAILURES[(folder, fmt)] = str(err) or type(err).__name__
        raise


def downloader(
    folder: str, fmt: str, pseudonymise: bool, product: str, category: str
) -> Callable[[], bytes]:
    """What a download button calls when clicked."""
    return partial(build, folder, fmt, pseudonymise, product, category)


def show_failures(store: ProjectStore) -> None:
    """The exports of this project that failed since the last run, once each."""
    folder = str(store.folder)
    with _FAILURES_LOCK:
        failed = {fmt: why for (where, fmt), why in _FAILURES.items() if where == folder}
        for fmt in failed:
            del _FAILURES[(folder, fmt)]
    for fmt, why in failed.items():
        label = service.FORMATS[fmt].label if fmt in service.FORMATS else fmt
        st.error(f"The {ui.md(label)} export failed: {ui.md(why)}")


def render() -> None:
    store = state.current_project()
    st.title("Export")
    state.show_flash()
    show_failures(store)
    study = ui.need_study(store)
    if study is None:
        return
    st.caption(
        "Each file is built when you click its button, from the project as it is then (now: "
        f"run {study.run_id} with {len(study.edits)} edit(s) of yours applied). Quotes are "
        "verbatim, each with its source file and position."
    )
    pseudonymise = st.toggle(
        "Pseudonymise participants",
        value=service.pseudonymisation_enabled(store),
        key=f"ex_pseudonymise:{store.name}",
    )
    st.caption(PSEUDONYMISE_HELP)
    left, right = st.columns(2)
    product = left.text_input(
        "Product name",
        key="ex_product",
        placeholder="e.g. Ledgerly",
        help="Fills the [product] slot of each segment's positioning statement; left empty, "
        "the slot stays a visible blank.",
    )
    category = right.text_input(
        "Category",
        key="ex_category",
        placeholder="e.g. accounts-payable automation tool",
        help="Fills the [category] slot of the positioning statement.",
    )
    folder = str(store.folder)
    for fmt, spec in service.FORMATS.items():
        with st.container(border=True):
            st.markdown(f"**{ui.md(spec.label)}**")
            st.caption(ui.md(spec.description))
            reason = service.export_unavailable(fmt)
            if reason:
                st.error(ui.md(reason))
            st.download_button(
                f"Download {ui.md(service.default_file_name(store.name, fmt))}",
                data=downloader(folder, fmt, pseudonymise, product, category),
                file_name=service.default_file_name(store.name, fmt),
                mime=spec.mime,
                key=f"ex_dl:{fmt}",
                icon=":material/download:",
                on_click="ignore",
                disabled=reason is not None,
            )
