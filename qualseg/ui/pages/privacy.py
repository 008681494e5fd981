"""Privacy: the project's pseudonymisation switch and the review list of replacements.

The researcher sees what was detected, grouped by category with counts and an example context,
confirms, rejects or adds terms, marks product, competitor and tool names "not personal"
(kept as written now and after later imports), and previews one excerpt before and after. Every action is one
call into ``qualseg.service``; texts are shown escaped.
"""

from __future__ import annotations

import streamlit as st

from qualseg import service
from qualseg.errors import QualsegError
from qualseg.service import CATEGORIES, ProjectStore
from qualseg.ui import components as ui
from qualseg.ui import state

TITLES = {
    "participant": "Participants",
    "interviewer": "Interviewers",
    "person": "Other people",
    "company": "Companies",
    "place": "Places",
    "email": "E-mail addresses",
    "phone": "Phone numbers",
    "url": "Web addresses",
    "address": "Street addresses",
    "number": "Account and other numbers",
    "file": "File names",
}
NAMED = {"person", "company", "place"}  # a participant or interviewer is personal: "Keep"
STATUS_ICONS = {"suggested": "○", "confirmed": "✓", "added": "+", "rejected": "✗"}


def render() -> None:
    store = state.current_project()
    st.title("Privacy")
    state.show_flash()
    if not ui.need_transcripts(store):
        return
    _switch(store)
    if service.ensure_identifiers_detected(store):
        st.caption("Identifiers were detected in the new transcripts.")
    rows = service.redactions(store)
    if not rows:
        st.info("No names, companies, e-mails or numbers were found. Add a term below if needed.")
    else:
        _review_list(store, rows)
    _add_form(store)
    _not_personal(store)
    _preview(store)


def _switch(store: ProjectStore) -> None:
    enabled = service.pseudonymisation_enabled(store)
    on = st.toggle(
        "Pseudonymise this project",
        value=enabled,
        key="privacy_enabled",
        help="On: the analysis reads pseudonymised text and exports replace names by pseudonyms. "
        "The originals stay in the project folder only.",
    )
    if on != enabled:
        ui.edit(
            lambda: service.set_pseudonymisation(store, on),
            f"Pseudonymisation {'on' if on else 'off'}.",
        )
    st.caption(
        "Replaced: suggested ○, confirmed ✓ and added + rows. Kept as written: rejected ✗ rows."
        if on
        else "Off: the analysis and exports use the original names."
    )


def _review_list(store: ProjectStore, rows: list) -> None:
    suggested = [r.id for r in rows if r.status == "suggested"]
    if suggested and st.button(
        f"Confirm all {len(suggested)} suggestions", key="privacy_confirm_all", type="primary"
    ):
        ui.edit(
            lambda: service.confirm_redactions(store, suggested), f"{len(suggested)} confirmed."
        )
    for category in CATEGORIES:
        mine = [r for r in rows if r.category == category]
        if not mine:
            continue
        total = sum(r.count for r in mine)
        with st.expander(f"{TITLES[category]} ({len(mine)}, {total} mentions)", expanded=False):
            for r in mine:
                _row(store, r)


def _row(store: ProjectStore, r) -> None:  # noqa: ANN001 - a service.Redaction
    left, mid, right = st.columns([5, 1, 1], vertical_alignment="center")
    left.markdown(
        f"{STATUS_ICONS[r.status]} **{ui.md(r.surface)}** → {ui.md(r.pseudonym)} "
        f"· {r.count}× · {ui.md(r.status)}"
    )
    examples = service.redaction_contexts(store, r.surface, limit=1)
    left.caption(ui.md(examples[0]) if examples else ui.md(r.origin))
    if r.status != "confirmed" and mid.button("Confirm", key=f"privacy_confirm_{r.id}"):
        ui.edit(
            lambda: service.confirm_redactions(store, [r.id]), f"{r.surface!r} will be replaced."
        )
    if r.status == "rejected":
        return
    if r.category in NAMED and right.button(
        "Not personal",
        key=f"privacy_reject_{r.id}",
        help="A product, competitor or tool name: kept as written everywhere, also after "
        "later imports.",
    ):
        ui.edit(
            lambda: service.mark_not_personal(store, r.surface),
            f"{r.surface!r} is not personal: kept as written.",
        )
    elif r.category not in NAMED and right.button("Keep", key=f"privacy_reject_{r.id}"):
        ui.edit(
            lambda: service.reject_redactions(store, [r.id]),
            f"{r.surface!r} will be kept as written.",
        )


def _add_form(store: ProjectStore) -> None:
    st.subheader("Add a term")
    with st.form("privacy_add", clear_on_submit=True):
        left, mid, right = st.columns([3, 2, 2])
        surface = left.text_input("Word or name, as written", key="privacy_add_surface")
        category = mid.selectbox(
            "Category", CATEGORIES, format_func=lambda c: TITLES[c], key="privacy_add_category"
        )
        pseudonym = right.text_input("Pseudonym (optional)", key="privacy_add_pseudonym")
        if st.form_submit_button("Add"):
            try:
                row = service.add_redaction(store, surface, category, pseudonym or None)
            except QualsegError as err:
                st.error(str(err))
                return
            state.flash(f"{row.surface!r} will be replaced by {row.pseudonym!r}.")
            st.rerun()


def _not_personal(store: ProjectStore) -> None:
    st.subheader("Not personal")
    st.caption(
        "Product, competitor and tool names stay as written in the analysis and the exports. "
        "Widely used products (Slack, Excel, LinkedIn...) are kept already; add your product, "
        "your competitors and your market's tools here."
    )
    with st.form("privacy_keep", clear_on_submit=True):
        left, right = st.columns([5, 2], vertical_alignment="bottom")
        term = left.text_input("Name to keep as written", key="privacy_keep_term")
        if right.form_submit_button("Keep as written"):
            ui.edit(
                lambda: service.mark_not_personal(store, term),
                f"{term.strip()!r} is not personal: kept as written.",
            )
    for term in service.not_personal_terms(store):
        left, right = st.columns([5, 2], vertical_alignment="center")
        left.markdown(f"✗ **{ui.md(term)}** · kept as written")
        if right.button("Remove", key=f"privacy_unkeep_{term}"):
            ui.edit(
                lambda term=term: service.unmark_not_personal(store, term),
                f"{term!r} is off the not-personal list; confirm its row to replace it again.",
            )


def _preview(store: ProjectStore) -> None:
    st.subheader("Preview")
    preview = service.pseudonymisation_preview(store)
    if preview is None:
        st.caption("Nothing to preview yet.")
        return
    before_text, after_text = preview
    before, after = st.columns(2)
    before.markdown("**Before** (stays in the project folder)")
    before.html(f'<blockquote class="qs-preview">{ui.esc(before_text)}</blockquote>')
    after.markdown("**After** (what analysis and exports see)")
    after.html(f'<blockquote class="qs-preview">{ui.esc(after_text)}</blockquote>')
