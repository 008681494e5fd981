"""quote_bank: the rows, filters, punchy flag, swipe file and exports (pure functions)."""

from __future__ import annotations

import csv
import io

from qualseg import quote_bank as qb
from tests.ui.report_fixture import make_report


def test_quotes_skip_dismissed_excerpts_and_carry_context():
    rows = qb.quotes(make_report())
    keys = [q.excerpt for q in rows]
    assert "k9:30-60" not in keys and len(rows) == 13
    first = rows[0]
    assert first.participant == "Person 1" and first.segment == "S1"
    assert first.segment_label == "Manual grinders"
    assert first.theme_labels == ("Manual keying",)
    assert first.metadata["company_size"] == "51-200"
    assert first.pinned and first.punchy


def test_punchy_is_a_short_line():
    assert qb.is_punchy("We key every invoice by hand.")
    assert not qb.is_punchy("Go on.")  # too short to be a quote
    assert not qb.is_punchy(" ".join(["word"] * 13))
    assert qb.is_punchy(" ".join(["word"] * 13), max_words=13)


def test_filters_combine():
    rows = qb.quotes(make_report())

    def keys(**kw) -> set[str]:
        return {q.excerpt for q in qb.filter_quotes(rows, qb.QuoteFilter(**kw))}

    assert keys(segments=frozenset({"S2"})) == {
        "k3:0-50",
        "k3:60-90",
        "k4:0-50",
        "k4:60-90",
        "k5:0-50",
        "k5:60-90",
    }
    assert keys(themes=frozenset({"trigger-1"})) == {"k3:60-90", "k4:60-90", "k5:60-90"}
    assert keys(kinds=frozenset({"trigger"}), participants=frozenset({"P4"})) == {"k3:60-90"}
    assert keys(metadata=(("region", frozenset({"EU"})),), themes=frozenset({"need-2"})) == {
        "k4:0-50"
    }
    assert keys(text="INVOICE hand") == {"k0:0-40", "k1:0-40", "k2:0-40"}
    assert keys(text='"month end" trusts') == {"k0:100-200", "k1:100-200", "k2:100-200"}
    assert keys(text='"end month"') == set()
    assert keys(punchy_only=True, segments=frozenset({"S1"})) == {
        "k0:0-40",
        "k1:0-40",
        "k2:0-40",
        "k9:0-20",
    }
    assert keys(pinned_only=True) == {"k3:0-50", "k0:0-40"}
    assert "k9:0-20" not in keys(hide_small_talk=True)
    assert len(keys()) == 13


def test_swipe_file_keeps_pin_order():
    assert [q.excerpt for q in qb.swipe_file(make_report())] == ["k3:0-50", "k0:0-40"]


def test_metadata_values_for_filter_widgets():
    values = qb.metadata_values(qb.quotes(make_report()))
    assert values["company_size"] == ["1000+", "51-200"]
    assert list(values) == ["company", "company_size", "region"]


def test_csv_is_spreadsheet_safe():
    report = make_report()
    report["participants"][0]["name"] = "@admin"
    report["participants"][0]["metadata"]["region"] = "+EU"
    rows = qb.quotes(report)
    text = qb.to_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == len(rows)
    formula = next(r for r in parsed if r["excerpt_id"] == "k0:100-200")
    assert formula["text"].startswith("'=SUM(A1)")
    assert formula["participant"] == "'@admin" and formula["region"] == "'+EU"
    assert formula["theme_labels"] == "Manual keying" and formula["pinned"] == "no"
    assert list(parsed[0])[: len(qb.CSV_COLUMNS)] == list(qb.CSV_COLUMNS)
    for row in parsed:
        assert not any(v[:1] in ("=", "+", "-", "@") for v in row.values() if v)


def test_markdown_neutralises_markup():
    report = make_report()
    report["excerpts"][0]["text"] = "# Not a heading <b>x</b> [link](http://e) *stars* - dash"
    text = qb.to_markdown(qb.quotes(report)[:1], "Swipe file")
    lines = text.splitlines()
    assert lines[0] == "# Swipe file" and "1 quotes." in text
    quote = lines[4]
    assert quote.startswith("> \\# Not a heading \\<b\\>x\\</b\\>")
    assert "\\[link\\]\\(http://e\\)" in quote and "\\*stars\\*" in quote
    assert "— Person 1, Manual grinders · Manual keying · p1.txt @0" in lines[6]
    assert qb.md_escape("- starts a list") == "\\- starts a list"
    assert qb.md_escape("1. starts a list") == "1\\. starts a list"


def test_orders():
    rows = qb.quotes(make_report())
    assert qb.sort_quotes(rows) == rows
    shortest = qb.sort_quotes(rows, "shortest first")
    assert [q.words for q in shortest] == sorted(q.words for q in rows)
    assert qb.sort_quotes(rows, "longest first")[0].words == max(q.words for q in rows)
    people = [q.participant for q in qb.sort_quotes(rows, "by participant")]
    assert people == sorted(people)
