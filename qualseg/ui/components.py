"""Pieces shared by the pages: sidebar, empty states, edits with feedback, quotes, progress.

Transcript and quote text is always shown escaped: through ``st.html`` after ``html.escape``
(no Markdown parsing at all), through ``st.code`` (verbatim), or in tables. Names and labels that
go into Markdown (captions, headers) pass through :func:`md`.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from qualseg import service
from qualseg.config import AnalysisConfig
from qualseg.edit_commands import command_of
from qualseg.errors import QualsegError
from qualseg.escaping import html_text, md_escape
from qualseg.report_types import Report
from qualseg.service import ProjectStore
from qualseg.ui import nav, state

LENS_TITLES = {
    "need": "Needs & outcomes",
    "psychographic": "Psychographics",
    "trigger": "Buying triggers",
    "objection": "Objections",
}
LENS_SINGULAR = {
    "need": "need",
    "psychographic": "psychographic trait",
    "trigger": "buying trigger",
    "objection": "objection",
}
# Which excerpt kinds each lens groups (as the analysis does).
LENS_KINDS = {
    "need": ("need", "outcome"),
    "psychographic": ("psychographic",),
    "trigger": ("trigger",),
    "objection": ("objection",),
}
KIND_COLOURS = {
    "need": "#fde68a",
    "outcome": "#7dd3fc",  # sky blue: never the need's yellow in a lighter shade
    "psychographic": "#ddd6fe",
    "trigger": "#bbf7d0",
    "objection": "#fecaca",
}
PALETTE = (
    "#fde68a",
    "#bfdbfe",
    "#bbf7d0",
    "#fecaca",
    "#ddd6fe",
    "#fbcfe8",
    "#a5f3fc",
    "#fed7aa",
    "#d9f99d",
    "#e9d5ff",
    "#c7d2fe",
    "#99f6e4",
    "#fcd34d",
    "#93c5fd",
    "#86efac",
    "#fca5a5",
    "#c4b5fd",
    "#f9a8d4",
    "#67e8f9",
    "#fdba74",
)
STAGES = {
    "names": ("Finding names to pseudonymise (new transcripts only)", 0.0, 0.0),
    "excerpts": ("Cutting the transcripts into excerpts", 0.0, 0.08),
    "embeddings": ("Embedding excerpts (cached after the first run)", 0.08, 0.45),
    "kinds": ("Telling needs, traits, triggers and objections apart", 0.45, 0.6),
    "themes": ("Finding themes in each lens", 0.6, 0.92),
    "segments": ("Suggesting segments", 0.92, 0.99),
    "done": ("Done", 1.0, 1.0),
}
STYLE = """
<style>
.qs-quote{border-left:4px solid #94a3b8;padding:.35rem .8rem;margin:.2rem 0 .1rem 0;
  background:rgba(148,163,184,.08);border-radius:4px;white-space:pre-wrap;line-height:1.45}
.qs-who{color:#64748b;font-size:.85rem;margin:0 0 .2rem .2rem}
.qs-turn{margin:.45rem 0;line-height:1.55;white-space:pre-wrap}
.qs-turn .qs-speaker{font-weight:600}
.qs-turn.qs-interviewer{color:#475569}
.qs-turn .qs-time{color:#94a3b8;font-size:.8rem;margin-left:.3rem}
.qs-mark{border-radius:3px;padding:0 .1rem}
.qs-target{outline:2px solid #dc2626;outline-offset:1px}
.qs-legend span{display:inline-block;border-radius:3px;padding:0 .4rem;margin:0 .3rem .3rem 0;
  font-size:.85rem}
</style>
"""


def md(text: object) -> str:
    """A name, label or file name made safe to put into Markdown."""
    return md_escape(str(text))


esc = html_text


def style() -> None:
    st.html(STYLE)


# -- sidebar --------------------------------------------------------------------------------------


def _create_project() -> None:
    name = st.session_state.get("new_project_name", "").strip()
    try:
        state.create_project(name)
    except QualsegError as err:
        state.flash(str(err), "error")
        return
    st.session_state["new_project_name"] = ""
    state.flash(f"Project {name!r} created. Import transcripts to start.")


def project_sidebar() -> None:
    """Project switcher and creation, shown on every page."""
    state.start_project()
    state.remembered_selectbox(st.sidebar, "Project", state.project_names(), state.PROJECT)
    with st.sidebar.popover("New project", icon=":material/add:"):
        st.text_input(
            "Name",
            key="new_project_name",
            placeholder="acme-2026",
            help="Letters, digits, '-', '_' or '.'; becomes a folder under the workspace.",
        )
        st.button("Create project", key="create_project", on_click=_create_project)


# -- feedback and edits ---------------------------------------------------------------------------


VIEW_HEAD = "view_head"


def view_head(store: ProjectStore, study: service.StudyState) -> int:
    """The head of the view this session's user acted on: the state the previous run of the
    script showed (a click reruns the script, which reads the state afresh). Remembers this
    run's head for the next click; edits pass it as ``seen``."""
    key = f"{VIEW_HEAD}:{store.name}"
    seen = st.session_state.get(key, study.head)
    st.session_state[key] = study.head
    return seen


RESET = "reset_widgets"


def edit(
    action: Callable[[], object],
    done: str | Callable[[object], str],
    *,
    reset: dict[str, object] | None = None,
) -> None:
    """Run one edit; on success keep a message and rerun. An edit another session got in ahead
    of is shown as a warning (the page below already shows their change), any other refusal as
    an error. ``done``: the message, or a function of what the action returned (words known only
    after the edit, such as the names a split gave). ``reset``: widget keys and the values they show on the next run (a form that
    must not carry its values into the next object), only when the edit succeeded."""
    try:
        result = action()
    except service.EditConflict as err:
        st.warning(str(err), icon=":material/sync_problem:")
        return
    except QualsegError as err:
        st.error(str(err))
        return
    if reset:
        st.session_state[RESET] = dict(reset)
    state.flash(done if isinstance(done, str) else done(result))
    st.rerun()


def edit_button(
    where,
    label: str,
    action: Callable[[], object],
    done: str | Callable[[object], str],
    *,
    key: str,
    **kwargs,
) -> None:
    """A button whose edit runs in its ``on_click`` callback, before the script: a click costs
    one run of the page, not a run up to the button, the edit and then st.rerun's whole run.
    The callback runs on what the run that drew the button showed: ``action`` reads the words
    the user typed from session_state (already updated then) and passes that run's head as
    ``seen``. Feedback as :func:`edit`, as a message at the top of the page."""
    where.button(label, key=key, on_click=_edit_now, args=(action, done), **kwargs)


def _edit_now(action: Callable[[], object], done: str | Callable[[object], str]) -> None:
    try:
        result = action()
    except service.EditConflict as err:
        state.flash(str(err), "warning")
    except QualsegError as err:
        state.flash(str(err), "error")
    else:
        state.flash(done if isinstance(done, str) else done(result))


def follow_labels(key: str, options: list, labels: list[str]) -> None:
    """Make a picker (selectbox, multiselect) show its options' current names: when they changed
    since the last run (a rename, a split, a merge, an undo), its value (what of it is still an
    option) is handed to it again, so the browser redraws it instead of keeping the text it
    showed. Call it before the picker is created."""
    seed = f"{key}__labels"
    if st.session_state.get(seed) == labels:
        return
    st.session_state[seed] = labels
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if isinstance(value, list):
        st.session_state[key] = [v for v in value if v in options]
    elif value in options:
        st.session_state[key] = value
    else:
        del st.session_state[key]


def apply_resets() -> None:
    """Set the widgets an edit asked to reset, before any widget of the run is created (the only
    time Streamlit allows it). Set, not dropped: a value set by the script is sent to the browser,
    while a dropped one leaves the browser showing what it showed."""
    for key, value in st.session_state.pop(RESET, {}).items():
        st.session_state[key] = value


def synced_text_input(where, label: str, value: str, key: str, **kwargs) -> str:
    """A text box showing ``value`` that follows it when it changes elsewhere (an edit, a split,
    an undo), instead of keeping what it showed before. Words the user typed and has not saved
    yet are kept (their click then meets the other session's change as a conflict)."""
    seed = f"{key}__seed"
    before = st.session_state.get(seed)
    if before != value:
        st.session_state[seed] = value
        if st.session_state.get(key, before) == before:
            st.session_state[key] = value
    return where.text_input(label, key=key, **kwargs)


def describe_edit(record, report: Report | None = None) -> str:
    """An edit-log record in plain words, its themes by their current names."""
    themes = {t["id"]: t["label"] for t in (report["themes"] if report else [])}
    edit = command_of(record.kind, record.payload)
    if edit is None:
        return record.kind.replace("_", " ")
    return edit.summary(lambda ref: f"“{themes.get(ref['id'], ref['id'])}”")


def undo_bar(store: ProjectStore, study: service.StudyState) -> None:
    """Undo button (names the edit it will undo) and the edits a re-run could not re-apply.
    Undo refuses another session's edit: it passes the head of the view it was drawn on."""
    left, right = st.columns([3, 1], vertical_alignment="center")
    if study.edits:
        last = study.edits[-1]
        left.caption(
            f"Last edit: {md(describe_edit(last, study.report))} · {len(study.edits)} in all"
        )
        right.button(
            "Undo last edit",
            icon=":material/undo:",
            key="undo",
            on_click=_undo,  # before the script: one run per click
            args=(store, study.report, study.head),
        )
    else:
        left.caption("No edits yet: rename, merge, split, move or dismiss, and undo any time.")
    skipped = study.outcome.skipped
    if skipped:
        by_id = {e.id: e for e in study.edits}
        with st.expander(f"{len(skipped)} edit(s) could not be re-applied after the re-run"):
            for edit_id, why in skipped:
                record = by_id.get(edit_id)
                what = describe_edit(record, study.report) if record else f"edit {edit_id}"
                st.markdown(f"- {md(what)}: {md(why)}")


def _undo(store: ProjectStore, report: Report, seen: int) -> None:
    try:
        undone = service.undo(store, seen=seen)
    except QualsegError as err:
        state.flash(str(err), "warning")
        return
    said = f"Undone: {describe_edit(undone, report)}." if undone else "Nothing to undo."
    state.flash(said, "info")


# -- empty states ---------------------------------------------------------------------------------


def need_transcripts(store: ProjectStore) -> bool:
    """True when the project has transcripts; else shows how to add some."""
    if service.participant_rows(store):
        return True
    st.info(
        f"Project **{md(store.name)}** has no transcripts yet. Upload interview transcripts "
        "(txt, md, docx, vtt, srt, csv: Otter, Rev, Teams, Zoom and other exports) to start."
    )
    st.page_link(nav.page("import"), label="Import transcripts", icon=":material/upload_file:")
    return False


def need_study(store: ProjectStore) -> service.StudyState | None:
    """The analyzed study, or an empty state with the analysis one click away."""
    if not need_transcripts(store):
        return None
    study = state.study(store)
    if study is not None:
        return study
    st.info("This project has not been analyzed yet. It takes a minute or two on a laptop.")
    analyze_now_button(store)
    return None


def analyze_now_button(store: ProjectStore) -> None:
    """One click: analyze with the default settings, then show the results."""
    clicked = st.button(
        "Analyze now", type="primary", icon=":material/play_arrow:", key="analyze_now"
    )
    if clicked and analyze(store, AnalysisConfig()) is not None:
        st.rerun()


# -- analysis with progress -----------------------------------------------------------------------


def analyze(store: ProjectStore, config: AnalysisConfig) -> int | None:
    """Run the analysis with a status box and a progress bar per stage; the run id or None."""
    with st.status("Analyzing…", expanded=True) as box:
        bar = st.progress(0.0, text="Starting")
        seen: set[str] = set()

        def progress(stage: str, fraction: float) -> None:
            label, start, end = STAGES.get(stage, (stage, 0.0, 1.0))
            if stage not in seen and stage != "done":
                seen.add(stage)
                st.write(f"{label}…")
            value = min(1.0, max(0.0, start + (end - start) * fraction))
            bar.progress(value, text=label)

        try:
            run_id, report = service.run_analysis(
                store, config, embedder=state.embedder(), progress=progress
            )
        except QualsegError as err:
            box.update(label="Analysis failed", state="error", expanded=True)
            st.error(f"The analysis stopped: {err}. The previous results are kept.")
            return None
        except Exception as err:  # noqa: BLE001 - shown to the user, recorded as a failed run
            box.update(label="Analysis failed", state="error", expanded=True)
            st.error(
                f"The analysis failed ({type(err).__name__}: {err}). It is recorded as a failed "
                "run; the previous results are kept."
            )
            return None
        box.update(
            label=f"Analysis done (run {run_id}): {len(report['themes'])} themes, "
            f"{len(report['segments'])} suggested segment(s)",
            state="complete",
            expanded=False,
        )
    state.flash(
        f"Analysis done (run {run_id}): {len(report['excerpts'])} excerpts, "
        f"{len(report['themes'])} themes, {len(report['segments'])} suggested segment(s)."
    )
    return run_id


# -- quotes ---------------------------------------------------------------------------------------


def people(report: Report) -> dict[str, dict]:
    return {p["id"]: p for p in report.get("participants", [])}


def quote_html(text: str, who: str, where: str) -> str:
    return (
        f'<div class="qs-quote">{esc(" ".join(text.split()))}</div>'
        f'<div class="qs-who">— {esc(who)} · {esc(where)}</div>'
    )


def open_reader(excerpt_id: str, source: str) -> None:
    """Open the transcript reader at an excerpt (session_state keeps the excerpt id)."""
    st.session_state[state.READER_EXCERPT] = excerpt_id
    st.session_state[state.READER_SOURCE] = source
    nav.go("reader")


def quote_card(
    quote: dict,
    report: Report,
    key: str,
    *,
    store: ProjectStore | None = None,
    copy: bool = False,
    tags: str = "",
    seen: int | None = None,
) -> None:
    """A quote with who said it and where, a button that opens the transcript at its place and,
    given a store, a pin/unpin button. ``copy`` shows the text in a code box with a copy button."""
    person = people(report).get(quote["participant"], {})
    who = person.get("name", quote["participant"])
    where = f"{quote['source']} @{quote['start']}" + (f" · {tags}" if tags else "")
    if copy:
        st.code(" ".join(quote["text"].split()), language=None, wrap_lines=True)
        st.html(f'<div class="qs-who">— {esc(who)} · {esc(where)}</div>')
    else:
        st.html(quote_html(quote["text"], who, where))
    excerpt_id = quote.get("excerpt") or quote.get("id")
    with st.container(horizontal=True, gap="small"):
        if st.button(
            "Open in transcript", key=f"open:{key}", icon=":material/article:", type="tertiary"
        ):
            open_reader(excerpt_id, quote["source"])
        if store is None:
            return
        if excerpt_id in report.get("pins", []):
            if st.button("Unpin", key=f"unpin:{key}", icon=":material/unpin:", type="tertiary"):
                edit(
                    lambda: service.unpin_quote(store, excerpt_id, seen=seen),
                    "Removed from the swipe file.",
                )
        elif st.button("Pin", key=f"pin:{key}", icon=":material/push_pin:", type="tertiary"):
            edit(
                lambda: service.pin_quote(store, excerpt_id, seen=seen), "Pinned to the swipe file."
            )


def table_height(rows: int, max_rows: int = 15) -> int:
    """Pixel height that shows ``rows`` table rows (up to ``max_rows``) without scrolling."""
    return 38 + 35 * max(1, min(rows, max_rows))


def theme_label(theme: dict) -> str:
    return f"{theme['label']} ({len(theme['participants'])} participants, {len(theme['excerpts'])} excerpts)"
