"""Messaging starters: every slot from the data with verbatim evidence, blanks left visible."""

from __future__ import annotations

import random

import pytest

from qualseg.editing import current_state, dismiss_theme
from qualseg.exports.messaging import BLANK, MessagingStarters, messaging_starters
from qualseg.exports.messaging_text import phrases


def all_quotes(m: MessagingStarters) -> list[tuple[str, dict]]:
    """(where, quote) for every quote of the starters."""
    out = []
    for name in ("segment", "need", "product", "category", "benefit", "alternative"):
        out += [(name, q) for q in getattr(m.positioning, name).evidence]
    for entry in m.message_map:
        out += [("voicing", q) for q in entry.voicing]
        out += [("answering", q) for q in entry.answering]
    for hook in m.hooks:
        out += [("hook", q) for q in hook.quotes]
    out += [("headline", h.quote) for h in m.headlines]
    return out


# -- the analyzed sample study --------------------------------------------------------------------


@pytest.fixture
def sample(analyzed_store):
    state = current_state(analyzed_store)
    assert state is not None
    texts = {
        t.source: analyzed_store.load_transcript(t.id).text for t in analyzed_store.transcripts()
    }
    return analyzed_store, state.report, texts


def test_every_quote_is_verbatim_with_exact_offsets(sample):
    _store, report, texts = sample
    by_key = {e["id"]: e for e in report["excerpts"]}
    cut = whole = 0
    for segment in report["segments"]:
        m = messaging_starters(report, segment["id"])
        quotes = all_quotes(m)
        assert quotes
        for where, q in quotes:
            assert set(q) == {"excerpt", "participant", "source", "start", "end", "text"}, where
            e = by_key[q["excerpt"]]
            assert q["participant"] == e["participant"] and q["source"] == e["source"]
            if (q["start"], q["end"]) == (e["start"], e["end"]):
                whole += 1
                assert q["text"] == e["text"], where  # may span several cues
            else:
                cut += 1
                assert e["end"] - e["start"] == len(e["text"]), "cut from a joined excerpt"
                assert e["start"] <= q["start"] < q["end"] <= e["end"]
                assert texts[q["source"]][q["start"] : q["end"]] == q["text"], where
        for h in m.headlines:
            assert h.text == h.quote["text"]
            assert 3 <= len(h.text.split()) <= 12
    assert cut and whole  # both kinds occur on the sample


def test_evidence_comes_from_members_and_slots_from_the_data(sample):
    _store, report, _texts = sample
    themes = {t["id"]: t for t in report["themes"]}
    for segment in report["segments"]:
        members = set(segment["participants"])
        m = messaging_starters(report, segment["id"])
        p = m.positioning
        for where, q in all_quotes(m):
            if where != "answering":  # answers may come from anyone in the study
                assert q["participant"] in members, (segment["id"], where)
        assert p.segment.text.startswith(segment["label"])
        need_labels = {themes[t]["label"] for t in segment["themes"]}
        assert p.need.text in need_labels
        assert p.need.evidence
        need_id = next(t for t in segment["themes"] if themes[t]["label"] == p.need.text)
        assert {q["excerpt"] for q in p.need.evidence} <= set(themes[need_id]["excerpts"])
        if p.benefit.text:
            (quote,) = p.benefit.evidence
            assert quote["text"] == p.benefit.text
        if p.alternative.text:
            assert any(p.alternative.text in q["text"] for q in p.alternative.evidence)
        for entry in m.message_map:
            assert themes[entry.theme]["lens"] == "objection"
            assert {q["excerpt"] for q in entry.voicing} <= set(themes[entry.theme]["excerpts"])
            assert not {q["excerpt"] for q in entry.answering} & set(
                themes[entry.theme]["excerpts"]
            )
        counts = [e.participants for e in m.message_map]
        assert counts == sorted(counts, reverse=True) and len(counts) <= 3
        for hook in m.hooks:
            assert themes[hook.theme]["lens"] == "trigger" and hook.quotes
        ranks = [h.participants for h in m.headlines]
        assert ranks == sorted(ranks, reverse=True)


def test_product_and_category_are_the_researchers_words_or_visible_blanks(sample):
    _store, report, _texts = sample
    segment = report["segments"][0]["id"]
    blank = messaging_starters(report, segment).positioning
    assert blank.product.text is None and blank.category.text is None
    sentence = blank.sentence()
    assert sentence.count(BLANK) >= 2
    assert f"{BLANK} is the {BLANK} that" in sentence
    filled = messaging_starters(
        report, segment, product="Ledgerly", category="  AP automation platform "
    ).positioning
    assert filled.product.text == "Ledgerly"
    assert filled.category.text == "AP automation platform"
    assert "Ledgerly is the AP automation platform that" in filled.sentence()


def test_same_input_same_starters_whatever_the_order(sample):
    _store, report, _texts = sample
    segment = report["segments"][0]["id"]
    first = messaging_starters(report, segment)
    shuffled = dict(report)
    shuffled["excerpts"] = list(report["excerpts"])
    random.Random(7).shuffle(shuffled["excerpts"])
    assert messaging_starters(shuffled, segment) == first


def test_a_segment_without_objection_themes_has_an_empty_message_map(sample):
    store, report, _texts = sample
    segment = report["segments"][0]["id"]
    assert messaging_starters(report, segment).message_map  # the sample has objections
    for theme in report["themes"]:
        if theme["lens"] == "objection":
            dismiss_theme(store, theme["id"])
    state = current_state(store)
    assert state is not None
    m = messaging_starters(state.report, segment)
    assert m.message_map == ()
    assert m.hooks  # the rest is still there


def test_unknown_segment_is_a_clear_error(sample):
    _store, report, _texts = sample
    with pytest.raises(KeyError, match="no segment 'S99'"):
        messaging_starters(report, "S99")


# -- a small hand-built study ---------------------------------------------------------------------


def excerpt(key: str, person: str, text: str, kinds: list[str], themes: list[str]) -> dict:
    start = int(key.split(":")[1])
    return {
        "id": key,
        "participant": person,
        "source": f"{person.lower()}.txt",
        "start": start,
        "end": start + len(text),
        "timestamp": None,
        "text": text,
        "kinds": kinds,
        "themes": themes,
        "dismissed": False,
    }


def theme(tid: str, lens: str, label: str, excerpts: list[dict]) -> dict:
    people = sorted({e["participant"] for e in excerpts if tid in e["themes"]})
    return {
        "id": tid,
        "lens": lens,
        "label": label,
        "keyphrases": label.split(" / "),
        "participants": people,
        "excerpts": [e["id"] for e in excerpts if tid in e["themes"]],
        "quotes": [],
        "dismissed": False,
    }


def make_report(extra: list[tuple[str, str, list[str], list[str]]] = ()) -> dict:
    """S1 = P1-P3 (supplier reconciliation), S2 = P4-P5 (tax filing); ``extra`` adds excerpts."""
    rows = [
        ("P1", "Supplier reconciliation is a nightmare every single month.", ["need"], ["need-1"]),
        (
            "P2",
            "Our supplier reconciliation turns into a nightmare at month end.",
            ["need"],
            ["need-1"],
        ),
        ("P3", "Honestly the supplier reconciliation nightmare never stops.", ["need"], ["need-1"]),
        ("P1", "Quarterly tax filing chaos keeps me awake.", ["need"], ["need-1"]),
        ("P2", "I want to close the books in three days.", ["outcome"], ["need-1"]),
        ("P1", "The price was way more than our budget allowed.", ["objection"], ["objection-1"]),
        ("P3", "The price felt steep for a team our size.", ["objection"], ["objection-1"]),
        (
            "P4",
            "It paid for itself in four months, so the price stopped mattering.",
            ["outcome"],
            [],
        ),
        ("P2", "Our auditor flagged a duplicate payment last spring.", ["trigger"], ["trigger-1"]),
        ("P4", "Tax filing every quarter is stressful for the whole team.", ["need"], ["need-2"]),
        ("P5", "The tax filing deadlines keep slipping.", ["need"], ["need-2"]),
    ]
    excerpts = []
    for n, (person, text, kinds, themes) in enumerate([*rows, *extra]):
        excerpts.append(excerpt(f"h{n}:{100 * n}", person, text, kinds, themes))
    themes = [
        theme("need-1", "need", "supplier reconciliation", excerpts),
        theme("need-2", "need", "tax filing", excerpts),
        theme("objection-1", "objection", "price / budget", excerpts),
        theme("trigger-1", "trigger", "auditor / duplicate payment", excerpts),
    ]
    sizes = {"P1": "51-200", "P2": "51-200", "P3": "1000+", "P4": "1000+", "P5": "1000+"}
    participants = [
        {
            "id": p,
            "name": f"Person {p}",
            "source": f"{p.lower()}.txt",
            "segment": "S1" if p in ("P1", "P2", "P3") else "S2",
            "metadata": {"company_size": sizes[p], "company": f"Firm {p}"},
        }
        for p in sizes
    ]
    segments = [
        {
            "id": "S1",
            "label": "reconcilers",
            "participants": ["P1", "P2", "P3"],
            "themes": ["need-1"],
            "psychographics": [],
            "triggers": ["trigger-1"],
            "objections": ["objection-1"],
            "quotes": [],
            "measures": {},
        },
        {
            "id": "S2",
            "label": "tax filers",
            "participants": ["P4", "P5"],
            "themes": ["need-2"],
            "psychographics": [],
            "triggers": [],
            "objections": [],
            "quotes": [],
            "measures": {},
        },
    ]
    return {
        "participants": participants,
        "excerpts": excerpts,
        "themes": themes,
        "segments": segments,
        "pins": [],
    }


def test_alternative_is_a_planted_mention_or_stays_blank():
    none = messaging_starters(make_report(), "S1").positioning
    assert none.alternative.text is None and none.alternative.evidence == ()
    assert none.sentence().endswith(f"unlike {BLANK}.")
    planted = "Before this, we switched from Spreadsheetly because it kept breaking."
    report = make_report([("P3", planted, ["other"], [])])
    alt = messaging_starters(report, "S1").positioning.alternative
    assert alt.text == "Spreadsheetly"
    (quote,) = alt.evidence
    assert quote["text"] == planted and quote["participant"] == "P3"
    assert "switched from" in alt.note
    # the same words from someone outside the segment are not this segment's alternative
    outside = make_report([("P4", planted, ["other"], [])])
    assert messaging_starters(outside, "S1").positioning.alternative.text is None


def test_alternative_skips_places_people_and_activities():
    report = make_report(
        [
            ("P1", "We coded it to Salem instead of Bend, by mistake.", ["other"], []),
            ("P2", "We relied on Person P1 for the numbers.", ["other"], []),
            ("P3", "I did it instead of typing invoices all day.", ["other"], []),
        ]
    )
    assert messaging_starters(report, "S1").positioning.alternative.text is None
    report = make_report(
        [
            ("P1", "We still export to Excel for the accruals.", ["other"], []),
            (
                "P2",
                "Everything lived in Excel, and the old spreadsheet was too slow.",
                ["other"],
                [],
            ),
            ("P3", "We moved off Excel last year.", ["other"], []),
        ]
    )
    alt = messaging_starters(report, "S1").positioning.alternative
    assert alt.text == "Excel"  # two members name it with a cue, more than the spreadsheet
    assert [q["participant"] for q in alt.evidence] == ["P1", "P3"]


def test_headlines_rank_words_three_participants_use_above_words_of_one():
    m = messaging_starters(make_report(), "S1")
    by_text = {h.text: h for h in m.headlines}
    shared = by_text["Supplier reconciliation is a nightmare every single month"]
    lonely = by_text["Quarterly tax filing chaos keeps me awake"]
    assert shared.participants == 3
    assert lonely.participants == 1  # in the segment; P4 and P5 talk of tax filing outside it
    assert m.headlines[0].participants == 3
    ranked = [h.text for h in m.headlines]
    assert ranked.index(shared.text) < ranked.index(lonely.text)


def test_phrases_cut_from_contiguous_excerpts_keep_exact_offsets():
    source = "Well. " + (
        "Honestly, the thing is we spend two full days every month chasing approvals, "
        "and nobody knows where an invoice is."
    )
    e = excerpt("c:6", "P1", source[6:], ["need"], [])
    found = phrases(e)
    assert [p.text for p in found] == [
        "the thing is we spend two full days every month chasing approvals",
        "nobody knows where an invoice is",
    ]
    for p in found:
        assert source[p.quote["start"] : p.quote["end"]] == p.text
    joined = dict(e, end=e["end"] + 20)  # an excerpt joined from two cues: never cut
    assert [p.quote["text"] for p in phrases(joined)] == []
    short = excerpt("d:0", "P1", "Copy, paste, pray.", ["need"], [])
    assert [p.quote for p in phrases(dict(short, end=40))] == [
        {"excerpt": "d:0", "participant": "P1", "source": "p1.txt", "start": 0, "end": 40}
        | {"text": "Copy, paste, pray."}
    ]


def test_positioning_slots_of_the_hand_built_study():
    m = messaging_starters(make_report(), "S1", product="Acme Close")
    p = m.positioning
    assert p.segment.text == "reconcilers (company_size: 51-200)"  # 2 of 3; company is unique
    assert p.need.text == "supplier reconciliation"
    assert {q["participant"] for q in p.need.evidence} == {"P1", "P2", "P3"}
    assert p.benefit.text == "close the books in three days"  # "I want to" cut off
    (quote,) = p.benefit.evidence
    assert quote["start"] == 400 + len("I want to ") and quote["text"] == p.benefit.text
    assert p.sentence() == (
        "For reconcilers (company_size: 51-200) who need supplier reconciliation, Acme Close is "
        f"the {BLANK} that close the books in three days, unlike {BLANK}."
    )
    (entry,) = m.message_map
    assert entry.theme == "objection-1" and entry.participants == 2
    assert [q["participant"] for q in entry.voicing] == ["P1", "P3"]
    assert [q["participant"] for q in entry.answering] == ["P4"]  # "...the price stopped..."
    (hook,) = m.hooks
    assert [q["participant"] for q in hook.quotes] == ["P2"]
    other = messaging_starters(make_report(), "S2")
    assert other.message_map == () and other.hooks == ()
    assert other.positioning.benefit.text is None
    assert other.positioning.sentence().count(BLANK) == 4
