"""Transcript reader: a transcript with its excerpts highlighted by theme or by kind.

Opened at an excerpt from anywhere (session_state holds the excerpt id): the turns around it come
first, then the whole transcript. Transcript text is escaped (html.escape) and shown with
``st.html``, never parsed as Markdown.
"""

from __future__ import annotations

import streamlit as st

from qualseg import service
from qualseg.ingest.timecode import timecode
from qualseg.models import Transcript, joiner
from qualseg.report_types import Report
from qualseg.ui import components as ui
from qualseg.ui import state

CONTEXT_TURNS = 2
LENS_ORDER = ("need", "psychographic", "trigger", "objection")


def render() -> None:
    store = state.current_project()
    st.title("Transcript reader")
    state.show_flash()
    if not ui.need_transcripts(store):
        return
    sources = sorted({r.transcript for r in service.participant_rows(store)})
    study = state.study(store)
    report = study.report if study else {"excerpts": [], "themes": [], "participants": []}
    by_key = {e["id"]: e for e in report["excerpts"]}
    target = by_key.get(st.session_state.get(state.READER_EXCERPT, ""))
    if target is not None and st.session_state.get(state.READER_SOURCE) not in sources:
        st.session_state[state.READER_SOURCE] = target["source"]
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    source = state.remembered_selectbox(left, "Transcript", sources, state.READER_SOURCE)
    colour_by = right.segmented_control(
        "Highlight by", ["theme", "kind"], default="theme", key="reader_colour", required=True
    )
    transcript = service.load_transcript(store, source)
    if transcript is None:
        st.error(f"No transcript {source!r} in this project.")
        return
    if study is None:
        st.caption("Not analyzed yet: excerpts are highlighted after the analysis.")
    excerpts = sorted(
        (e for e in report["excerpts"] if e["source"] == source and not e.get("dismissed")),
        key=lambda e: e["start"],
    )
    colours, legend = highlight_colours(report, excerpts, colour_by or "theme")
    if target is not None and target["source"] != source:
        target = None
    if target is not None:
        at_excerpt(report, transcript, excerpts, colours, target)
    if legend:
        st.html(
            '<div class="qs-legend">'
            + "".join(f'<span style="background:{c}">{ui.esc(label)}</span>' for label, c in legend)
            + "</div>"
        )
    names = {p["id"]: p["name"] for p in report["participants"]}
    st.caption(
        f"{len(transcript.utterances)} turns · {len(excerpts)} excerpts · format "
        f"{ui.md(transcript.format)} · participant(s): "
        + ui.md(", ".join(sorted({names.get(e["participant"], "") for e in excerpts})) or "—")
    )
    with st.container(height=640, key="reader_full"):
        st.html(
            turns_html(
                transcript,
                range(len(transcript.utterances)),
                excerpts,
                colours,
                target["id"] if target else None,
            )
        )


def highlight_colours(
    report: Report, excerpts: list[dict], colour_by: str
) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """Excerpt id -> (colour, tooltip), and the legend (label, colour) for what is shown."""
    themes = {t["id"]: t for t in report["themes"] if not t.get("dismissed")}
    out: dict[str, tuple[str, str]] = {}
    legend: dict[str, str] = {}
    theme_colour: dict[str, str] = {}
    ordered = sorted(themes.values(), key=lambda t: (LENS_ORDER.index(t["lens"]), t["id"]))
    for n, t in enumerate(ordered):
        theme_colour[t["id"]] = ui.PALETTE[n % len(ui.PALETTE)]
    for e in excerpts:
        mine = [themes[t] for t in e.get("themes", []) if t in themes]
        mine.sort(key=lambda t: LENS_ORDER.index(t["lens"]))
        kinds = [k for k in e.get("kinds", []) if k in ui.KIND_COLOURS]
        tip = "; ".join(f"{ui.LENS_SINGULAR[t['lens']]}: {t['label']}" for t in mine)
        tip = tip or ("kind: " + ", ".join(kinds) if kinds else "")
        if colour_by == "kind":
            if not kinds:
                continue
            colour = ui.KIND_COLOURS[kinds[0]]
            legend[kinds[0]] = colour
        else:
            if not mine:
                continue
            colour = theme_colour[mine[0]["id"]]
            legend[f"{ui.LENS_SINGULAR[mine[0]['lens']]}: {mine[0]['label']}"] = colour
        out[e["id"]] = (colour, tip)
    if colour_by == "kind":
        return out, sorted(legend.items(), key=lambda kv: list(ui.KIND_COLOURS).index(kv[0]))
    singular = list(ui.LENS_SINGULAR.values())
    return out, sorted(
        legend.items(), key=lambda kv: (singular.index(kv[0].split(": ", 1)[0]), kv[0])
    )


def at_excerpt(
    report: Report,
    transcript: Transcript,
    excerpts: list[dict],
    colours: dict[str, tuple[str, str]],
    target: dict,
) -> None:
    """The turns around the excerpt the reader was opened at, the excerpt outlined."""
    index = next(
        (
            i
            for i, u in enumerate(transcript.utterances)
            if u.start <= target["start"] < u.end or u.start >= target["start"]
        ),
        0,
    )
    first, last = max(0, index - CONTEXT_TURNS), min(len(transcript.utterances), index + 2)
    with st.container(border=True, key="reader_at"):
        top, close = st.columns([5, 1], vertical_alignment="center")
        names = {p["id"]: p["name"] for p in report["participants"]}
        top.markdown(
            f"**At the excerpt** · {ui.md(names.get(target['participant'], ''))} · "
            f"{ui.md(target['source'])} @{target['start']}"
            + (f" · {timecode(target.get('timestamp'))}" if target.get("timestamp") else "")
        )
        if close.button("Close", key="reader_close", icon=":material/close:"):
            st.session_state.pop(state.READER_EXCERPT, None)
            st.rerun()
        st.html(turns_html(transcript, range(first, last), excerpts, colours, target["id"]))


def turns_html(
    transcript: Transcript,
    indices: range,
    excerpts: list[dict],
    colours: dict[str, tuple[str, str]],
    target: str | None,
) -> str:
    """Turns as HTML: speaker, time, speech with excerpts marked. Every text piece is escaped."""
    text = transcript.text
    marks = [e for e in excerpts if e["id"] in colours or e["id"] == target]
    parts = []
    for i in indices:
        u = transcript.utterances[i]
        role = transcript.roles.get(u.speaker, "other")
        name = transcript.participant_names.get(u.speaker, u.speaker)
        pieces = []
        for n, (a, b) in enumerate(u.spans):
            if n:
                pieces.append(ui.esc(joiner(text, u.spans[n - 1][1], a)))
            pieces.append(_marked(text, a, b, marks, colours, target))
        time = f'<span class="qs-time">{timecode(u.timestamp)}</span>' if u.timestamp else ""
        parts.append(
            f'<div class="qs-turn qs-{ui.esc(role)}"><span class="qs-speaker">{ui.esc(name)}'
            f"</span>{time}<br>{''.join(pieces)}</div>"
        )
    return "".join(parts)


def _marked(
    text: str,
    a: int,
    b: int,
    marks: list[dict],
    colours: dict[str, tuple[str, str]],
    target: str | None,
) -> str:
    out, pos = [], a
    for e in marks:
        start, end = max(e["start"], a), min(e["end"], b)
        if start >= end or start < pos:
            continue
        out.append(ui.esc(text[pos:start]))
        colour, tip = colours.get(e["id"], ("#fef08a", ""))
        cls = "qs-mark qs-target" if e["id"] == target else "qs-mark"
        out.append(
            f'<mark class="{cls}" style="background:{colour}" title="{ui.esc(tip)}">'
            f"{ui.esc(text[start:end])}</mark>"
        )
        pos = end
    out.append(ui.esc(text[pos:b]))
    return "".join(out)
