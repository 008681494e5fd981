"""Segments: start from the suggestions or from scratch, build segments out of themes, read each
segment's profile and check whether it is a real segment (validation panel, MASE checklist)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qualseg import service, validation
from qualseg.edits import ASSIGNMENT_RULE
from qualseg.report_types import Report
from qualseg.segment_discovery import ROUNDS
from qualseg.segment_words import NO_CLEAR, alternative_line, distinctness_words, stability_words
from qualseg.ui import components as ui
from qualseg.ui import state
from qualseg.ui.segment_checklist import validation_panel


def render() -> None:
    store = state.current_project()
    st.title("Segments")
    state.show_flash()
    study = ui.need_study(store)
    if study is None:
        return
    seen = ui.view_head(store, study)
    ui.undo_bar(store, study)
    report = study.report
    segments = report["segments"]
    overview(store, report, seen)
    build(store, report, seen)
    if not segments:
        return
    st.divider()
    by_id = {s["id"]: s for s in segments}
    ui.follow_labels("segment", list(by_id), [s["label"] for s in segments])
    segment_id = st.selectbox(
        "Segment profile",
        list(by_id),
        format_func=lambda sid: (
            f"{sid} · {by_id[sid]['label']} ({len(by_id[sid]['participants'])} participants)"
        ),
        key="segment",
    )
    profile(store, report, segment_id, seen)


def _label_themes(report: Report, ids: list[str], n: int = 3) -> str:
    labels = {t["id"]: t["label"] for t in report["themes"]}
    return "; ".join(labels.get(t, t) for t in ids[:n])


def overview(store, report: Report, seen: int) -> None:  # noqa: ANN001 - a service.ProjectStore
    segments = report["segments"]
    if not segments:
        certainty(store, report, seen, built=False)
        st.info(
            "No segments yet. Build one below: name it and pick the needs (and psychographic) "
            "themes that define it; everyone who voices them joins it."
        )
        return
    certainty(store, report, seen, built=any(s.get("built") for s in segments))
    total = len(report["participants"])
    built = any(s.get("built") for s in segments)
    st.caption(
        "Segments built or edited by you."
        if built
        else "Suggested segments: participants grouped by the needs they talk about. Keep "
        "them, edit them, or start from scratch."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "segment": s["id"],
                    "name": s["label"],
                    "participants": len(s["participants"]),
                    "share": f"{len(s['participants']) / total:.0%}" if total else "",
                    "defining needs": _label_themes(report, s["themes"]),
                    "psychographics": _label_themes(report, s["psychographics"], 2),
                }
                for s in segments
            ]
        ),
        hide_index=True,
        width="stretch",
        key="segments_table",
    )


def certainty(store, report: Report, seen: int, *, built: bool) -> None:  # noqa: ANN001
    """How far the suggested segmentation can be trusted, the alternatives (k = 2..5) with a
    way to adopt one, and who sits between segments; an honest "no clear segmentation" when
    nothing holds up."""
    segmentation = report.get("segmentation") or {}
    alternatives = segmentation.get("alternatives") or []
    if not alternatives:
        return
    names = {p["id"]: p["name"] for p in report["participants"]}
    chosen = segmentation.get("chosen")
    suggested = next((a for a in alternatives if a["k"] == chosen), None)
    adopted = bool(segmentation.get("adopted")) and suggested is not None
    if built:
        st.caption(
            "Your segments replace the suggestion. What the analysis found: "
            + (alternative_line(suggested) if suggested else NO_CLEAR)
        )
    elif adopted and suggested is not None:
        st.info(
            f"You chose the grouping into {suggested['k']} segments (undo to go back). "
            "How sure: " + alternative_line(suggested),
            icon=":material/insights:",
        )
    elif suggested is None:
        st.warning(NO_CLEAR, icon=":material/help:")
    else:
        (st.success if suggested["stability"] >= 0.85 else st.info)(
            "How sure: " + alternative_line(suggested), icon=":material/insights:"
        )
        if suggested["between"]:
            st.warning(
                "Between segments (with their own segment in under 70% of resamples): "
                + ", ".join(ui.md(names.get(p, p)) for p in suggested["between"])
                + ". Read their transcripts before deciding where they belong.",
                icon=":material/call_split:",
            )
    with st.expander(
        "Other ways to group these participants (2 to 5 segments)", expanded=suggested is None
    ):
        st.caption(
            f"Each grouping was recomputed on {ROUNDS} resamples that each leave out a random fifth "
            "of every participant's need and trigger excerpts. *Comes back*: how often the same "
            "grouping returns (stability, 1 = always). *Undecided pairs*: pairs of participants "
            "that are sometimes together and sometimes apart."
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "segments": a["k"],
                        "suggested": a["k"] == chosen,
                        "comes back": f"{stability_words(a['stability'])} ({a['stability']:.2f})",
                        "distinct": distinctness_words(a["distinctness"]),
                        "undecided pairs": f"{a['ambiguity']:.0%}",
                        "between segments": len(a["between"]),
                        "groups": " | ".join(
                            ", ".join(names.get(p, p) for p in group) for group in a["groups"]
                        ),
                    }
                    for a in alternatives
                ]
            ),
            hide_index=True,
            width="stretch",
            key="segment_alternatives",
        )
        _adopt(store, alternatives, chosen, seen)


def _adopt(store, alternatives: list, chosen: int | None, seen: int) -> None:  # noqa: ANN001
    """Take one of the groupings as the segments (one edit: undo restores the suggestion)."""
    ks = [a["k"] for a in alternatives]
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    k = left.selectbox(
        "Use another grouping",
        ks,
        index=ks.index(chosen) if chosen in ks else 0,
        format_func=lambda n: f"{n} segments",
        key="adopt_k",
        help="Replaces the suggested segments by this grouping, each profiled by the needs "
        "its members voice; segments you built stay. Undo brings the suggestion back.",
    )
    if right.button("Use this grouping", key="adopt_segmentation", disabled=k == chosen):
        ui.edit(
            lambda: service.adopt_segmentation(store, k, seen=seen),
            f"Participants grouped into {k} segments.",
        )


def build(store, report: Report, seen: int) -> None:
    segments = report["segments"]
    live = [
        t
        for t in report["themes"]
        if not t.get("dismissed") and t["lens"] in ("need", "psychographic")
    ]
    by_theme = {t["id"]: t for t in live}

    def fmt(tid: str) -> str:
        t = by_theme[tid]
        return (
            f"{t['label']} [{ui.LENS_SINGULAR[t['lens']]}, {len(t['participants'])} participants]"
        )

    # open while there is nothing or the researcher is building: it stays open between segments
    building = not segments or any(s.get("built") for s in segments)
    with st.expander("Build segments", icon=":material/construction:", expanded=building):
        st.markdown("**New segment from themes**")
        ui.follow_labels("new_segment_themes", list(by_theme), [fmt(t) for t in by_theme])
        name = st.text_input(
            "Segment name", key="new_segment_name", placeholder="e.g. Control seekers"
        )
        chosen = st.multiselect(
            "Needs and psychographic themes that define it",
            list(by_theme),
            format_func=fmt,
            key="new_segment_themes",
        )
        if chosen:
            voices = sorted({p for t in chosen for p in by_theme[t]["participants"]})
            st.caption(f"{len(voices)} participant(s) voice these themes.")
        st.caption(ASSIGNMENT_RULE)
        if st.button("Create segment", key="create_segment", disabled=not chosen, type="primary"):
            ui.edit(
                lambda: service.create_segment(store, name, chosen, seen=seen),
                f"Segment “{name.strip() or 'new'}” created from {len(chosen)} theme(s).",
                reset={"new_segment_name": "", "new_segment_themes": []},
            )
        if not segments:
            return
        st.markdown("**Change a segment**")
        seg_ids = [s["id"] for s in segments]
        labels = {s["id"]: s["label"] for s in segments}
        ui.follow_labels("edit_segment", seg_ids, list(labels.values()))
        target = st.selectbox(
            "Segment",
            seg_ids,
            format_func=lambda sid: f"{sid} · {labels[sid]}",
            key="edit_segment",
        )
        current = next(s for s in segments if s["id"] == target)
        members = set(current["themes"]) | set(current["psychographics"])
        addable = [t for t in by_theme if t not in members]
        ui.follow_labels(f"add_themes:{target}", addable, [fmt(t) for t in addable])
        more = st.multiselect(
            "Merge more themes into it",
            addable,
            format_func=fmt,
            key=f"add_themes:{target}",
        )
        left, mid, right = st.columns(3, vertical_alignment="bottom")
        if left.button("Add themes", key="add_themes", disabled=not more):
            ui.edit(
                lambda: service.add_themes_to_segment(store, target, more, seen=seen),
                f"Added {len(more)} theme(s) to {target}.",
            )
        removable = [t for t in [*current["themes"], *current["psychographics"]] if t in by_theme]
        drop = mid.selectbox(
            "Remove a theme",
            ["", *removable],
            format_func=lambda t: by_theme[t]["label"] if t else "—",
            key=f"remove_theme:{target}",
        )
        if right.button("Remove", key="remove_theme", disabled=not drop):
            ui.edit(
                lambda: service.remove_theme_from_segment(store, target, drop, seen=seen),
                f"Removed the theme from {target}.",
            )
        left, mid, right = st.columns(3, vertical_alignment="bottom")
        new_label = ui.synced_text_input(
            left, "Rename to", labels[target], key=f"rename_segment:{target}"
        )
        if mid.button("Rename", key="rename_segment", disabled=new_label.strip() == labels[target]):
            ui.edit(
                lambda: service.rename_segment(store, target, new_label, seen=seen),
                f"Renamed {target} to “{new_label.strip()}”.",
            )
        if right.button("Delete segment", key="delete_segment", icon=":material/delete:"):
            ui.edit(lambda: service.delete_segment(store, target, seen=seen), f"Deleted {target}.")
        st.markdown("**Start from scratch**")
        sure = st.checkbox(
            f"Delete all {len(segments)} segments (undo restores them one by one)",
            key="confirm_scratch",
        )
        if st.button("Start from scratch", key="scratch", disabled=not sure):
            ui.edit(  # one edit per segment, each checked against the same view
                lambda: [service.delete_segment(store, s["id"], seen=seen) for s in segments],
                "All segments deleted: build your own from themes.",
            )


def profile(store, report: Report, segment_id: str, seen: int) -> None:
    prof = validation.segment_profile(report, segment_id)
    check = validation.validate(report, segment_id)
    st.header(f"{segment_id} · {prof.label}")
    cols = st.columns(4)
    cols[0].metric("Participants", check.size)
    cols[1].metric("Share of participants", f"{check.share:.0%}")
    strengths = [p["segment_strength"] for p in prof.participants if p.get("segment_strength")]
    cols[2].metric(
        "Members held together",
        f"{sum(strengths) / len(strengths):.0%}" if strengths else "—",
        help=f"How often, over {ROUNDS} resamples of the excerpts, members landed in the same "
        "segment as each other (suggested segments only).",
    )
    cols[3].metric("Defining themes", len(validation.defining_themes(report, segment_id)))
    if not prof.participants:
        st.warning(empty_reason(report, segment_id), icon=":material/group_off:")
    people_and_mix(prof, has_metadata=any(p.get("metadata") for p in report["participants"]))
    themes_of(prof)
    quotes_of(report, prof)
    validation_panel(store, report, check, seen)


def empty_reason(report: Report, segment_id: str) -> str:
    """Why a segment has no member, in terms of the assignment rule and the people concerned."""
    segment = next(s for s in report["segments"] if s["id"] == segment_id)
    if not segment.get("built"):
        return "No member left: its members joined segments you built (they voice their themes)."
    voices = segment.get("voiced_by") or []
    if not voices:
        return "No member: nobody voices its defining themes. Add needs themes to it."
    names = {p["id"]: p["name"] for p in report["participants"]}
    where = {p["id"]: p.get("segment") for p in report["participants"]}
    return (
        f"No member: the {len(voices)} participant(s) who voice its themes voice another built "
        "segment's themes more ("
        + ", ".join(f"{ui.md(names.get(p, p))} in {where.get(p) or '—'}" for p in voices)
        + "). Remove those themes from the other segment, or merge the two."
    )


def people_and_mix(prof: validation.SegmentProfile, *, has_metadata: bool) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Participants")
        if prof.participants:
            columns = sorted({c for p in prof.participants for c in (p.get("metadata") or {})})
            st.dataframe(
                pd.DataFrame(
                    [
                        {"participant": p["name"], "transcript": p["source"]}
                        | (
                            {"with own segment": f"{p['segment_strength']:.0%}"}
                            if p.get("segment_strength") is not None
                            else {}
                        )
                        | {c: (p.get("metadata") or {}).get(c, "") for c in columns}
                        for p in prof.participants
                    ]
                ),
                hide_index=True,
                width="stretch",
                height=ui.table_height(len(prof.participants)),
                key=f"members:{prof.id}",
            )
    with right:
        st.subheader("Metadata mix")
        if not prof.participants:
            st.caption("No members, so no metadata mix.")
        elif not has_metadata:
            st.caption("No participant metadata: add it on the Import & participants page.")
        elif not prof.metadata_mix:
            st.caption("None of its members has metadata (other participants do).")
        own = []
        for column, counter in sorted(prof.metadata_mix.items()):
            if len(prof.participants) > 2 and len(counter) == len(prof.participants):
                own.append(column)
                continue
            mix = " · ".join(f"{ui.md(value or '—')} ×{n}" for value, n in counter.most_common())
            st.markdown(f"**{ui.md(column)}**: {mix}")
        if own:
            st.caption(
                f"{', '.join(ui.md(c) for c in own)}: a different value for each member (see "
                "the table)."
            )


def themes_of(prof: validation.SegmentProfile) -> None:
    size = max(len(prof.participants), 1)
    titles = {
        "need": "Defining needs",
        "psychographic": "Psychographic traits",
        "trigger": "Buying triggers",
        "objection": "Objections",
    }
    cols = st.columns(4)
    for col, (lens, title) in zip(cols, titles.items(), strict=True):
        with col:
            st.markdown(f"**{title}**")
            rows = prof.themes.get(lens, [])
            if not rows:
                st.caption("None voiced by several members.")
            for r in rows[:6]:
                mark = "★ " if r.listed else ""
                st.markdown(
                    f"{mark}{ui.md(r.label)}  \n"
                    f":gray[{r.members_voicing} of {size} members"
                    + ("" if r.lift is None else f" · lift {r.lift:.1f}×")
                    + "]"
                )
    st.caption(
        "★ part of the segment's definition. Lift: share of members voicing the theme "
        "over the share of other participants voicing it."
    )


def quotes_of(report: Report, prof: validation.SegmentProfile) -> None:
    st.subheader("Best quotes")
    if not prof.quotes:
        st.caption("No quotes yet: add needs themes voiced by its members.")
    for n, quote in enumerate(prof.quotes):
        ui.quote_card(quote, report, f"segment:{prof.id}:{n}")
