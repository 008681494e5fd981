"""Quote bank: every excerpt not dismissed, filtered for copy; copy, pin, export.

Pins carry the head of the view the user clicked on, so a pin another session changed since is
refused with a warning rather than applied twice or undone silently.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from qualseg import quote_bank, service
from qualseg.report_types import Report
from qualseg.ui import components as ui
from qualseg.ui import state

PER_PAGE = 10


def render() -> None:
    store = state.current_project()
    st.title("Quote bank")
    state.show_flash()
    study = ui.need_study(store)
    if study is None:
        return
    seen = ui.view_head(store, study)
    report = study.report
    everything = quote_bank.quotes(report)
    pinned = quote_bank.swipe_file(report)
    bank, swipe = st.tabs([f"All quotes ({len(everything)})", f"Swipe file ({len(pinned)})"])
    with bank:
        flt = filters(report, everything)
        shown = quote_bank.sort_quotes(
            quote_bank.filter_quotes(everything, flt), st.session_state.get("qb_order", "")
        )
        results(store, report, shown, len(everything), seen)
    with swipe:
        swipe_file(store, report, pinned, seen)


def filters(report: Report, everything: list[quote_bank.Quote]) -> quote_bank.QuoteFilter:
    segments = {s["id"]: s["label"] for s in report["segments"]}
    themes = {t["id"]: t for t in report["themes"] if not t.get("dismissed")}
    people = {q.participant_id: q.participant for q in everything}
    kinds = sorted({k for q in everything for k in q.kinds})
    meta = quote_bank.metadata_values(everything)
    text = st.text_input(
        "Search the words",
        key="qb_text",
        placeholder='e.g. spreadsheet "month end"',
        help='Every word must occur; put a phrase in "double quotes".',
    )
    row = st.columns(4)
    chosen_segments = row[0].multiselect(
        "Segment",
        list(segments),
        format_func=lambda s: f"{s} · {segments[s]}",
        key="qb_segments",
    )
    chosen_themes = row[1].multiselect(
        "Theme",
        list(themes),
        format_func=lambda t: f"{themes[t]['label']} [{ui.LENS_SINGULAR[themes[t]['lens']]}]",
        key="qb_themes",
    )
    chosen_kinds = row[2].multiselect("Kind", kinds, key="qb_kinds")
    chosen_people = row[3].multiselect(
        "Participant", sorted(people, key=people.get), format_func=people.get, key="qb_people"
    )
    row = st.columns([1, 2, 1], vertical_alignment="bottom")
    column = row[0].selectbox(
        "Participant metadata", ["", *meta], format_func=lambda c: c or "—", key="qb_meta"
    )
    values = (
        row[1].multiselect(f"{column} is", meta[column], key=f"qb_meta_values:{column}")
        if column
        else row[1].multiselect("Values", [], disabled=True, key="qb_meta_values")
    )
    row[2].selectbox("Order", quote_bank.ORDERS, key="qb_order")
    with st.container(horizontal=True, gap="large"):
        punchy = st.toggle(
            "Punchy only",
            key="qb_punchy",
            help=f"Short lines of {quote_bank.PUNCHY_MIN_WORDS} to "
            f"{quote_bank.PUNCHY_MAX_WORDS} words, ready for a headline or a slide.",
        )
        pinned_only = st.toggle("Pinned only", key="qb_pinned")
        small_talk = st.toggle(
            "Include small talk",
            key="qb_small_talk",
            help="Excerpts in no theme and of no kind (greetings, asides).",
        )
    return quote_bank.QuoteFilter(
        segments=frozenset(chosen_segments),
        themes=frozenset(chosen_themes),
        kinds=frozenset(chosen_kinds),
        participants=frozenset(chosen_people),
        metadata=((column, frozenset(values)),) if column and values else (),
        text=text,
        punchy_only=punchy,
        pinned_only=pinned_only,
        hide_small_talk=not small_talk,
    )


def _as_csv(folder: str, excerpt_ids: list[str]) -> str:
    """A download as it leaves the tool: pseudonymised unless the project switched it off."""
    return quote_bank.to_csv(service.outgoing_quotes(folder, excerpt_ids))


def _as_markdown(folder: str, excerpt_ids: list[str], title: str) -> str:
    return quote_bank.to_markdown(service.outgoing_quotes(folder, excerpt_ids), title)


def downloads(
    columns, store, items: list[quote_bank.Quote], stem: str, title: str, labels, key: str
) -> None:
    """CSV and Markdown downloads of ``items``, built on click as they leave the tool."""
    ids = [q.excerpt for q in items]
    for column, label, ext, mime, build in (
        (columns[0], labels[0], "csv", "text/csv", partial(_as_csv, str(store.folder), ids)),
        (
            columns[1],
            labels[1],
            "md",
            "text/markdown",
            partial(_as_markdown, str(store.folder), ids, title),
        ),
    ):
        column.download_button(
            label,
            build,
            file_name=f"{store.name}-{stem}.{ext}",
            mime=mime,
            icon=":material/download:",
            key=f"{key}_{ext}",
            on_click="ignore",
            disabled=not items,
        )
    st.caption(download_notice(store))  # below the row of buttons, full width


def download_notice(store) -> str:
    """What the downloads carry, said next to them: the screen shows real names, a download
    does not unless the project switched pseudonymisation off."""
    if service.pseudonymisation_enabled(store):
        return (
            ":material/shield_person: Downloads are pseudonymised (“Participant 3”, “Company "
            "B”); this screen shows real names."
        )
    return (
        ":material/warning: Pseudonymisation is off for this project: downloads carry real names."
    )


def results(store, report: Report, shown: list[quote_bank.Quote], total: int, seen: int) -> None:
    punchy = sum(1 for q in shown if q.punchy)
    left, mid, right = st.columns([2, 1, 1], vertical_alignment="center")
    left.markdown(f"**{len(shown)} of {total} quotes** · {punchy} punchy")
    downloads(
        (mid, right), store, shown, "quotes", "Quotes", ("Export CSV", "Export Markdown"), "qb"
    )
    if not shown:
        st.info("No quote matches these filters.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "quote": " ".join(q.text.split()),
                    "participant": q.participant,
                    "segment": q.segment or "",
                    "themes": "; ".join(q.theme_labels),
                    "kinds": ", ".join(q.kinds),
                    "words": q.words,
                    "punchy": "★" if q.punchy else "",
                    "pinned": "yes" if q.pinned else "",
                }
                for q in shown
            ]
        ),
        hide_index=True,
        width="stretch",
        height=280,
        key="qb_table",
    )
    pages = max(1, -(-len(shown) // PER_PAGE))
    st.markdown("**Copy, pin, open**")
    page = st.pagination(pages, key="qb_page") if pages > 1 else 1
    page = min(max(int(page or 1), 1), pages)
    for n, q in enumerate(shown[(page - 1) * PER_PAGE : page * PER_PAGE]):
        card(store, report, q, f"bank:{n}", seen)


def card(store, report: Report, q: quote_bank.Quote, key: str, seen: int) -> None:
    tags = [f"★ punchy ({q.words} words)" if q.punchy else f"{q.words} words"]
    if q.segment:
        tags.append(q.segment)
    if q.theme_labels:
        tags.append("; ".join(q.theme_labels))
    with st.container(border=True):
        ui.quote_card(
            {
                "excerpt": q.excerpt,
                "participant": q.participant_id,
                "source": q.source,
                "start": q.start,
                "text": q.text,
            },
            report,
            f"{key}:{q.excerpt}",
            store=store,
            copy=True,
            tags=" · ".join(tags),
            seen=seen,
        )


def swipe_file(store, report: Report, pinned: list[quote_bank.Quote], seen: int) -> None:
    if not pinned:
        st.info("The swipe file is empty: pin quotes from the bank to collect them here.")
        return
    columns = st.columns(2)
    labels = ("Swipe file as CSV", "Swipe file as Markdown")
    downloads(columns, store, pinned, "swipe-file", "Swipe file", labels, "swipe")
    for n, q in enumerate(pinned):
        card(store, report, q, f"swipe:{n}", seen)
