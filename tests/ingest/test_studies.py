"""Every transcript of the three evaluation studies imports with the right people.

The studies live in ``evaluation/studies/<name>/`` (each with its gold.json); the sample study
is checked by ``test_sample_study.py``. Each file must read with the expected format, exactly
the expected participant(s) (display names, matching gold's ``participant``), the expected
interviewer label, the span invariants, and every gold sentence inside one participant turn.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from qualseg.ingest import read_transcript
from qualseg.ingest.roles import names_match

from .invariants import check_no_markup, check_transcript

STUDIES = Path(__file__).resolve().parents[2] / "evaluation" / "studies"
GOLD_LISTS = ("triggers", "objections", "needs", "neither")

# (study, file) -> (format, participants as shown, interviewer label)
ROSTER: dict[tuple[str, str], tuple[str, tuple[str, ...], str]] = {
    # fleet-maintenance
    ("fleet-maintenance", "GMT20240611-151907_Recording.transcript.vtt"): (
        "vtt",
        ("Lorna Hale",),
        "Colm Brennock",
    ),
    ("fleet-maintenance", "Marlow County Fleet Services - Wrenchline interview.docx"): (
        "docx_teams",
        ("Denise Holloway", "Curtis Ambrose"),
        "Priya Natarajan",
    ),
    ("fleet-maintenance", "Wrenchline customer interview - Greyhollow Waste.docx"): (
        "docx_teams",
        ("Dana Whitfield",),
        "Priya Natarajan",
    ),
    ("fleet-maintenance", "ashby_falls_fleet_interview_QA.txt"): (
        "labelled_text",
        ("Harold Duquesne",),
        "Q",
    ),
    ("fleet-maintenance", "bramley_propane_otter.txt"): (
        "otter",
        ("Harriet Bramley",),
        "Marta Ilves",
    ),
    ("fleet-maintenance", "greenbough_tree_turf_call.srt"): (
        "srt",
        ("Kelsey Amundsen",),
        "Marta Ilves",
    ),
    ("fleet-maintenance", "keelhaven_freight_interview.csv"): (
        "csv",
        ("Ray Castellanos",),
        "Colm Brennock",
    ),
    ("fleet-maintenance", "northbrae_controller_interview_rev.txt"): (
        "labelled_text",
        ("Nadia Okafor",),
        "Priya Natarajan",
    ),
    ("fleet-maintenance", "oxbend_earthworks_rev_transcript.txt"): (
        "labelled_text",
        ("Tomasz Wierzbicki",),
        "Marta Ilves",
    ),
    ("fleet-maintenance", "pinwheel_parcel_interview.srt"): (
        "srt",
        ("Andre Whitlock",),
        "Priya Natarajan",
    ),
    ("fleet-maintenance", "prairie_line_coop_interview.md"): (
        "markdown",
        ("Glenn Habersham",),
        "Marta Ilves",
    ),
    ("fleet-maintenance", "wrenchline_interview_halden_readymix.vtt"): (
        "vtt",
        ("Wade Kessling",),
        "Colm Brennock",
    ),
    # clinic-staffing
    ("clinic-staffing", "2025-02-18 Interview - Beatriz Moura.vtt"): (
        "vtt",
        ("Beatriz Moura",),
        "Hannah Okafor",
    ),
    ("clinic-staffing", "2025-02-20 Harbourline - Dr Fairbairn.srt"): ("srt", ("OWEN",), "HANNAH"),
    ("clinic-staffing", "2025-03-04 Interview - Nicole Tremblay.vtt"): (
        "vtt",
        ("Nicole Tremblay",),
        "Hannah Okafor",
    ),
    ("clinic-staffing", "2025-03-17 Interview - Tessa Villeneuve.vtt"): (
        "vtt",
        ("Tessa Villeneuve",),
        "Hannah Okafor",
    ),
    ("clinic-staffing", "Bayview Imaging - Samir Haddad.txt"): (
        "labelled_text",
        ("Samir Haddad",),
        "Hannah Okafor",
    ),
    ("clinic-staffing", "Helen Ashcroft - Ashcroft Physio - status quo interview.txt"): (
        "otter",
        ("Helen Ashcroft",),
        "Hannah Okafor",
    ),
    ("clinic-staffing", "Keisha Morrow - Motion First - Mar 6.txt"): (
        "otter",
        ("Keisha Morrow",),
        "Hannah Okafor",
    ),
    ("clinic-staffing", "Marisol Ortega - Rosterwell interview - Feb 11.txt"): (
        "otter",
        ("Marisol Ortega",),
        "Hannah Okafor",
    ),
    ("clinic-staffing", "Northgate Physio - Trevor Lindgren - lost deal.txt"): (
        "labelled_text",
        ("Trevor Lindgren",),
        "Joel Brennan",
    ),
    ("clinic-staffing", "Rapid Ridge - Curtis Bramwell - win interview.txt"): (
        "labelled_text",
        ("Curtis Bramwell",),
        "Hannah Okafor",
    ),
    (
        "clinic-staffing",
        "Rosterwell customer interview (2025-02-24 10_03 GMT-5) - Transcript.txt",
    ): ("google_meet", ("Lena Kowalczyk",), "Hannah Okafor"),
    (
        "clinic-staffing",
        "Rosterwell customer interview (2025-03-13 15_30 GMT-6) - Transcript.txt",
    ): ("google_meet", ("Luis Carranza",), "Joel Brennan"),
    ("clinic-staffing", "SmileCraft lost deal interview - Raj.txt"): (
        "labelled_text",
        ("Raj",),
        "Interviewer",
    ),
    ("clinic-staffing", "interview_megan_ridgeway_2025-03-12.txt"): (
        "labelled_text",
        ("Megan",),
        "Interviewer",
    ),
    ("clinic-staffing", "lakeshore-vets-gareth-pryce-2025-03-05.srt"): ("srt", ("GARETH",), "JOEL"),
    # appsec-tooling
    ("appsec-tooling", "01_lumenfold_zoom.vtt"): ("vtt", ("Tomasz Wierzbicki",), "Maren Holloway"),
    ("appsec-tooling", "02_tidewell_zoom.vtt"): ("vtt", ("Rachel Imbert",), "Maren Holloway"),
    ("appsec-tooling", "03_meridale_zoom.vtt"): ("vtt", ("Owen Castellano",), "Maren Holloway"),
    ("appsec-tooling", "04_kestrel_forge.srt"): ("srt", ("Danielle Okafor",), "Tobias Reinholt"),
    ("appsec-tooling", "05_bramblecrest.srt"): ("srt", ("Helen Marsh-Takeda",), "Tobias Reinholt"),
    ("appsec-tooling", "06_ledgerline.txt"): ("labelled_text", ("Marcus",), "Interviewer"),
    ("appsec-tooling", "07_northpaw.txt"): ("labelled_text", ("Santiago",), "Interviewer"),
    ("appsec-tooling", "08_carrow_health_otter.txt"): (
        "otter",
        ("Gwen Achterberg",),
        "Tobias Reinholt",
    ),
    ("appsec-tooling", "09_quillfeather_qa.txt"): ("labelled_text", ("Ingrid Solberg",), "Q"),
    ("appsec-tooling", "10_corvane.csv"): ("csv", ("Femi Adeyemi",), "Maren Holloway"),
}
# A co-participant gold lists only in its participant_marker.
CO_PARTICIPANTS = {"Curtis Ambrose"}


@cache
def _gold(study: str) -> dict:
    path = STUDIES / study / "gold.json"
    if not path.exists():
        pytest.skip(f"evaluation/studies/{study} is not in the repository")
    return json.loads(path.read_text("utf-8"))["files"]


@pytest.mark.parametrize("study", sorted({study for study, _ in ROSTER}))
def test_roster_lists_every_gold_file(study):
    assert set(_gold(study)) == {name for s, name in ROSTER if s == study}


@pytest.mark.parametrize(("study", "name"), sorted(ROSTER))
def test_study_file_imports_with_the_right_people(study, name):
    gold = _gold(study)[name]
    fmt, participants, interviewer = ROSTER[study, name]
    t = read_transcript(name, (STUDIES / study / name).read_bytes())
    check_transcript(t)
    if fmt in {"vtt", "srt"}:
        check_no_markup(t)
    assert t.format == fmt
    labels = [s for s in t.speakers if t.roles[s] == "participant"]
    shown = tuple(t.participant_names.get(s, s) for s in labels)
    assert shown == participants, t.role_reasons
    assert names_match(gold["participant"], shown[0])
    assert all(p in CO_PARTICIPANTS for p in shown[1:])
    assert [s for s in t.speakers if t.roles[s] == "interviewer"] == [interviewer]
    if interviewer not in {"Q", "Interviewer"}:
        assert names_match(gold["interviewer"], interviewer)
    speech = [u.text_in(t.text) for u in t.utterances if u.speaker in labels]
    for key in GOLD_LISTS:
        for sentence in gold.get(key, []):
            assert any(sentence in turn for turn in speech), (key, sentence)
