"""Themes: one tab per lens; a map of excerpts; theme detail; rename, merge, split, move, dismiss.

Every edit goes through the service, is logged at once and survives restarts and re-runs. Each
edit carries the head of the view the user clicked on (``view_head``): when another session
changed the same thing since, the edit is refused and the page says so (``edit``).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from qualseg import service
from qualseg.report_types import Report
from qualseg.ui import components as ui
from qualseg.ui import state

UNASSIGNED = "(unassigned)"
OPEN_LENS = "themes_open_lens"  # session_state: the lens whose tab is open
LENS_TABS = "lens_tabs"  # the tabs widget
LENS_PICK = "theme:{}"  # the theme picker of a lens
MAP_OPEN = "themes_map_open"  # session_state: the researcher opened the map (any lens)
MAP_BOX = "map_box:{}"  # the map's expander in a lens
EXCERPTS_BOX = "excerpts_box:{}"  # the expander of a theme's excerpts
# Tableau 10, then the same ten colours with another shape: past ten themes no two share a mark
# (ten more colours would sit next to these ten and read as the same).
MAP_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
MAP_SHAPES = (
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "cross",
    "triangle-down",
    "triangle-left",
    "triangle-right",
)
UNASSIGNED_MARK = ("#d4d4d8", "circle")


def theme_marks(n: int) -> list[tuple[str, str]]:
    """A (colour, shape) for each of ``n`` themes on the map: distinct for up to 80 themes."""
    return [
        (MAP_COLOURS[i % len(MAP_COLOURS)], MAP_SHAPES[i // len(MAP_COLOURS) % len(MAP_SHAPES)])
        for i in range(n)
    ]


def map_spec(labels: list[str]) -> dict:
    """The excerpt map's Vega-Lite spec: a dot per excerpt, a colour and shape per theme (in
    ``labels`` order, then the unassigned). Written out, not built through Altair: Altair checks
    a chart against the whole Vega-Lite schema, which cost more than the rest of the page."""
    order = [*labels, UNASSIGNED]
    marks = [*theme_marks(len(labels)), UNASSIGNED_MARK]
    legend = {"orient": "right", "labelLimit": 320, "title": None}

    def by_theme(values: list[str]) -> dict:
        return {
            "field": "theme",
            "type": "nominal",
            "scale": {"domain": order, "range": values},
            "legend": legend,
        }

    return {
        "mark": {"type": "point", "size": 60, "opacity": 0.85, "filled": True},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "axis": None},
            "y": {"field": "y", "type": "quantitative", "axis": None},
            "color": by_theme([c for c, _ in marks]),
            "shape": by_theme([s for _, s in marks]),
            "tooltip": [
                {"field": f, "type": "nominal"} for f in ("theme", "participant", "excerpt")
            ],
        },
        "height": 380,
    }


def render() -> None:
    store = state.current_project()
    st.title("Themes")
    state.show_flash()
    study = ui.need_study(store)
    if study is None:
        return
    seen = ui.view_head(store, study)
    ui.undo_bar(store, study)
    report = study.report
    live = [t for t in report["themes"] if not t.get("dismissed")]
    titles = {
        lens: f"{title} ({sum(1 for t in live if t['lens'] == lens)})"
        for lens, title in ui.LENS_TITLES.items()
    }
    shown = st.session_state.get(OPEN_LENS)
    shown = shown if shown in titles else next(iter(titles))
    # Only the open tab runs (on_change): each lens is a table, a map and a theme's detail.
    # ``default`` is the lens open before, so it stays open when the counts in the titles change
    # (a merge, a split, an undo): new titles make a new tabs widget, which opens its default.
    tabs = st.tabs(
        list(titles.values()), default=titles[shown], key=LENS_TABS, on_change=_lens_clicked
    )
    for tab, lens in zip(tabs, titles, strict=True):
        if tab.open:
            st.session_state[OPEN_LENS] = lens
            with tab:
                render_lens(store, study, lens, seen)
        elif LENS_PICK.format(lens) in st.session_state:
            # keep the theme picked in a hidden tab (Streamlit drops a widget's state on a run
            # that does not draw it)
            st.session_state[LENS_PICK.format(lens)] = st.session_state[LENS_PICK.format(lens)]


def _lens_clicked() -> None:
    """Remember the lens of the tab just clicked before the run that draws it: that run's
    ``default`` (hence its tabs widget) is then the clicked one's."""
    title = st.session_state.get(LENS_TABS) or ""
    for lens, words in ui.LENS_TITLES.items():
        if title.startswith(f"{words} ("):
            st.session_state[OPEN_LENS] = lens


def render_lens(store, study: service.StudyState, lens: str, seen: int) -> None:
    report = study.report
    themes = [t for t in report["themes"] if t["lens"] == lens and not t.get("dismissed")]
    dismissed = [t for t in report["themes"] if t["lens"] == lens and t.get("dismissed")]
    if not themes:
        st.info(
            f"No {ui.LENS_SINGULAR[lens]} themes in these results: too few excerpts of this "
            "kind, or every theme was dismissed. Try a finer granularity on the Analyze page."
        )
        dismissed_list(dismissed)
        return
    themes.sort(key=lambda t: (-len(t["participants"]), -len(t["excerpts"]), t["id"]))
    names = {p["id"]: p["name"] for p in report["participants"]}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "theme": t["label"],
                    "participants": len(t["participants"]),
                    "excerpts": len(t["excerpts"]),
                    "keyphrases": ", ".join(t["keyphrases"][:6]),
                    "id": t["id"],
                }
                for t in themes
            ]
        ),
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(themes), 10),
        key=f"themes_table:{lens}",
    )
    map_section(store, study, lens, themes)
    st.divider()
    by_id = {t["id"]: t for t in themes}
    ui.follow_labels(LENS_PICK.format(lens), list(by_id), [ui.theme_label(t) for t in themes])
    theme_id = st.selectbox(
        "Theme",
        list(by_id),
        format_func=lambda tid: ui.theme_label(by_id[tid]),
        key=LENS_PICK.format(lens),
    )
    theme = by_id[theme_id]
    detail(store, report, theme, themes, names, seen, study.head)
    merge(store, lens, themes, study.head)
    dismissed_list(dismissed)


def map_section(store, study: service.StudyState, lens: str, themes: list[dict]) -> None:
    """The map in an expander, drawn only while it is open (closed at first). The browser's
    share of a click is most of its time, and the map was the biggest part of it: a closed
    expander costs an edit nothing. Whether it is open is remembered for the session, across
    lenses, pages and edits (``MAP_OPEN``; the expander's own state lives only while drawn)."""
    key = MAP_BOX.format(lens)
    if key not in st.session_state:  # first drawn on this visit: open as the researcher left it
        st.session_state[key] = bool(st.session_state.get(MAP_OPEN, False))
    box = st.expander(
        "Map of the excerpts",
        icon=":material/scatter_plot:",
        key=key,
        on_change=_map_toggled,
        args=(key,),
    )
    with box:
        if box.open:
            excerpt_map(store, study, lens, themes)
        else:
            st.caption("Drawing the map…")  # seen only while the run that draws it is on its way


def _map_toggled(key: str) -> None:
    st.session_state[MAP_OPEN] = bool(st.session_state.get(key))


def excerpt_map(store, study: service.StudyState, lens: str, themes: list[dict]) -> None:
    """Excerpts of this lens on a 2-D map (PCA of their embeddings), coloured by theme."""
    report = study.report
    label_of = {}
    for t in themes:
        for key in t["excerpts"]:
            label_of.setdefault(key, t["label"])
    kinds = set(ui.LENS_KINDS[lens])
    excerpts = [
        e
        for e in report["excerpts"]
        if not e.get("dismissed") and (e["id"] in label_of or set(e["kinds"]) & kinds)
    ]
    if len(excerpts) < 3:
        st.caption("Too few excerpts for a map.")
        return
    keys = sorted(e["id"] for e in excerpts)
    digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
    sub_report = {"run": report["run"], "excerpts": excerpts}
    try:
        coords = state.excerpt_map(store, store.name, study.run_id, digest, sub_report)
    except Exception as err:  # noqa: BLE001 - the map is optional, the page still works
        st.caption(f"No map: {err}")
        return
    names = {p["id"]: p["name"] for p in report["participants"]}
    frame = pd.DataFrame(
        [
            {
                "x": coords[e["id"]][0],
                "y": coords[e["id"]][1],
                "theme": label_of.get(e["id"], UNASSIGNED),
                "participant": names.get(e["participant"], e["participant"]),
                "excerpt": " ".join(e["text"].split())[:160],
            }
            for e in excerpts
            if e["id"] in coords
        ]
    )
    st.vega_lite_chart(frame, map_spec([t["label"] for t in themes]), width="stretch")
    st.caption(
        "Each dot is an excerpt of this lens; nearby dots say similar things (PCA of the "
        "embeddings). Hover for the words."
    )


def detail(
    store,
    report: Report,
    theme: dict,
    themes: list[dict],
    names: dict[str, str],
    seen: int,
    head: int,
) -> None:
    """A theme's words, quotes and edits. ``seen``: the view the user clicked on, for the quote
    cards' pins (run in the click's run); ``head``: this run's view, for the edit buttons, whose
    callbacks run before the next run (``ui.edit_button``)."""
    tid, lens = theme["id"], theme["lens"]
    st.subheader(theme["label"])
    st.caption(
        f"{ui.LENS_SINGULAR[lens].capitalize()} theme {tid} · {len(theme['participants'])} "
        f"participants · {len(theme['excerpts'])} excerpts"
    )
    if theme["keyphrases"]:
        st.markdown("**Keyphrases:** " + ", ".join(ui.md(k) for k in theme["keyphrases"][:10]))
    st.markdown(
        "**Participants:** " + ", ".join(ui.md(names.get(p, p)) for p in theme["participants"])
    )
    quotes_col, actions_col = st.columns([3, 2])
    with quotes_col:
        st.markdown("**Representative quotes**")
        for n, quote in enumerate(theme["quotes"]):
            ui.quote_card(quote, report, f"theme:{tid}:{n}", store=store, seen=seen)
    with actions_col:
        theme_actions(store, theme, head)
    excerpts_of(store, report, theme, themes, names, head)


def theme_actions(store, theme: dict, head: int) -> None:
    tid = theme["id"]
    name_key = f"rename_text:{tid}"
    with st.container(border=True):
        label = ui.synced_text_input(st, "Name", theme["label"], key=name_key)

        def typed() -> str:
            return str(st.session_state.get(name_key, "")).strip()

        ui.edit_button(
            st,
            "Rename",
            lambda: service.rename_theme(store, tid, typed(), seen=head),
            lambda _id: f"Renamed theme to “{typed()}”.",
            key=f"rename:{tid}",
            disabled=label.strip() == theme["label"],
        )
    with st.container(border=True):
        st.caption("Split re-groups this theme's excerpts in two (k-means on their embeddings).")
        ui.edit_button(
            st,
            "Split in two",
            lambda: service.split_theme(store, tid, seen=head),
            lambda edit_id: _said(store, edit_id),
            key=f"split:{tid}",
            disabled=len(theme["excerpts"]) < 4,
            icon=":material/call_split:",
        )
        ui.edit_button(
            st,
            "Dismiss theme",
            lambda: service.dismiss_theme(store, tid, seen=head),
            f"Dismissed “{theme['label']}” (undo brings it back).",
            key=f"dismiss_theme:{tid}",
            icon=":material/delete:",
        )


def excerpts_of(
    store, report: Report, theme: dict, themes: list[dict], names: dict[str, str], head: int
) -> None:
    tid, lens = theme["id"], theme["lens"]
    by_key = {e["id"]: e for e in report["excerpts"]}
    members = [by_key[k] for k in theme["excerpts"] if k in by_key]
    # Drawn only while open (a table and three pickers less per click otherwise). The label
    # stays the same when the count changes, so a move keeps the expander open.
    box = st.expander("All excerpts of this theme", key=EXCERPTS_BOX.format(tid), on_change="rerun")
    with box:
        if not box.open:
            st.caption("Reading the excerpts…")  # seen only until the run that draws them ends
            return
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "participant": names.get(e["participant"], e["participant"]),
                        "excerpt": " ".join(e["text"].split()),
                        "kinds": ", ".join(e["kinds"]),
                        "source": e["source"],
                    }
                    for e in members
                ]
            ),
            hide_index=True,
            width="stretch",
            key=f"excerpts_table:{tid}",
        )
        if not members:
            return
        key = st.selectbox(
            "Excerpt",
            [e["id"] for e in members],
            format_func=lambda k: (
                f"{names.get(by_key[k]['participant'], '')}: " + _short(by_key[k]["text"])
            ),
            key=f"excerpt_pick:{tid}",
        )
        targets = {t["id"]: t["label"] for t in themes if t["id"] != tid}
        options = [*targets, ""]
        left, mid, right = st.columns([2, 1, 1], vertical_alignment="bottom")
        left.selectbox(
            "Move it to",
            options,
            format_func=lambda t: targets.get(t, UNASSIGNED),
            key=f"move_to:{tid}",
        )
        picked = f"excerpt_pick:{tid}"
        moved_to = f"move_to:{tid}"

        def move() -> object:
            to = st.session_state.get(moved_to) or None
            return service.move_excerpt(store, st.session_state[picked], to, lens=lens, seen=head)

        ui.edit_button(
            mid,
            "Move",
            move,
            lambda _id: (
                f"Moved the excerpt to “{targets.get(st.session_state.get(moved_to), UNASSIGNED)}”."
            ),
            key=f"move:{tid}",
            icon=":material/drive_file_move:",
        )
        ui.edit_button(
            right,
            "Dismiss excerpt",
            lambda: service.dismiss_excerpt(store, st.session_state[picked], seen=head),
            "Dismissed the excerpt.",
            key=f"dismiss_excerpt:{tid}",
        )
        if st.button("Open it in its transcript", key=f"open_excerpt:{tid}"):
            ui.open_reader(key, by_key[key]["source"])


def _said(store, edit_id: object) -> str:
    """An edit just logged, in the undo bar's words (so the message and the bar agree)."""
    record = next((e for e in store.edits() if e.id == edit_id), None)
    if record is None:
        return "Done."
    words = ui.describe_edit(record)
    return words[0].upper() + words[1:] + "."


def _short(text: str, n: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def merge(store, lens: str, themes: list[dict], head: int) -> None:
    if len(themes) < 2:
        return
    by_id = {t["id"]: t for t in themes}
    ui.follow_labels(f"merge_pick:{lens}", list(by_id), [ui.theme_label(t) for t in themes])
    with st.expander("Merge themes", icon=":material/merge:"):
        chosen = st.multiselect(
            "Themes to merge (the first keeps its id)",
            list(by_id),
            format_func=lambda tid: ui.theme_label(by_id[tid]),
            key=f"merge_pick:{lens}",
        )
        named = f"merge_label:{lens}"
        st.text_input("Name of the merged theme (optional)", key=named)

        def picked() -> list[str]:
            return list(st.session_state.get(f"merge_pick:{lens}") or [])

        ui.edit_button(
            st,
            "Merge",
            lambda: service.merge_themes(
                store, picked(), str(st.session_state.get(named) or "").strip() or None, seen=head
            ),
            lambda _id: f"Merged {len(picked())} themes.",
            key=f"merge:{lens}",
            disabled=len(chosen) < 2,
        )


def dismissed_list(dismissed: list[dict]) -> None:
    if dismissed:
        with st.expander(f"{len(dismissed)} dismissed theme(s)"):
            for t in dismissed:
                st.markdown(f"- {ui.md(t['label'])} ({t['id']})")
            st.caption("Undo brings back the most recent dismissal.")
