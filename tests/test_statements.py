"""Theme discovery on a CSV column of statements, and ``python -m qualseg themes``."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter

import pytest

import qualseg.embed
from qualseg.cli import main
from qualseg.config import AnalysisConfig
from qualseg.embed import HashingEmbedder
from qualseg.errors import IngestError
from qualseg.statements import (
    StatementThemes,
    assignments_csv,
    discover_statement_themes,
    read_statements,
)

TOPICS = {
    "export": "export notebooks pdf html slides latex nbconvert printing reports templates",
    "git": "git versioning diffs merges commits history conflicts github branches json",
    "install": "install setup kernels conda environments packages servers paths pip docker",
}
FRAMES = [
    "{a} {b} is so {c} to me",
    "my {a} and {b} go {c} on {d}",
    "{a}, {b} or {c}: it is a mess",
    "I am no {a} or {b} guru so {c} is {d}",
    "{a} of {b} to {c}",
]


def synthetic_statements(n: int = 60, seed: int = 0) -> tuple[list[str], list[str]]:
    """n statements cycling over three topics (each built from its topic's words) and topics."""
    rng = random.Random(seed)
    statements, topics = [], []
    for i in range(n):
        topic = list(TOPICS)[i % len(TOPICS)]
        a, b, c, d = rng.sample(TOPICS[topic].split(), 4)
        statements.append(rng.choice(FRAMES).format(a=a, b=b, c=c, d=d).capitalize())
        topics.append(topic)
    return statements, topics


def survey_csv(statements: list[str], blank_every: int = 7) -> bytes:
    """A survey export: id, answer and another column; some answers left blank."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "answer", "country"])
    number = 0
    for statement in statements:
        number += 1
        if number % blank_every == 0:
            writer.writerow([number, "  ", "NO"])
            number += 1
        writer.writerow([number, statement, "NO"])
    return out.getvalue().encode()


def discover(statements: list[str], seed: int = 42) -> StatementThemes:
    rows = list(range(1, len(statements) + 1))
    return discover_statement_themes(rows, statements, HashingEmbedder(), AnalysisConfig(seed=seed))


@pytest.fixture(scope="module")
def found() -> tuple[StatementThemes, list[str]]:
    statements, topics = synthetic_statements()
    return discover(statements), topics


# -- read_statements --------------------------------------------------------------------------


def test_read_statements_keeps_non_empty_rows_with_their_numbers():
    data = (
        "\ufeffid,answer\n"
        "1,Exporting to PDF loses my plots\n"
        "2,   \n"
        '3,"Multi-line answer,\nwith a comma and ""quotes"""\n'
        "4,\n"
        "5,Git diffs of notebooks are unreadable\n"
    ).encode()
    rows, statements = read_statements("survey.csv", data, "answer")
    assert rows == [1, 3, 5]
    assert statements == [
        "Exporting to PDF loses my plots",
        'Multi-line answer,\nwith a comma and "quotes"',
        "Git diffs of notebooks are unreadable",
    ]


def test_read_statements_reads_windows_1252():
    data = "id,answer\n1,Café notebooks — fine\n".encode("cp1252")
    assert read_statements("s.csv", data, "answer") == ([1], ["Café notebooks — fine"])


def test_read_statements_missing_column_lists_the_columns():
    with pytest.raises(IngestError) as info:
        read_statements("survey.csv", b"id,text,country\n1,hello,NO\n", "answer")
    assert info.value.source == "survey.csv"
    assert info.value.problem == "has no column 'answer' (columns: id, text, country)"


def test_read_statements_of_an_empty_file():
    with pytest.raises(IngestError, match=r"has no column 'answer' \(columns: none\)"):
        read_statements("survey.csv", b"", "answer")


def test_read_statements_empty_column():
    with pytest.raises(IngestError, match="column 'answer' holds no text"):
        read_statements("survey.csv", b"id,answer\n1,\n2,   \n3\n", "answer")


# -- discover_statement_themes ----------------------------------------------------------------


def test_themes_are_mostly_topic_pure(found):
    result, topics = found
    assert len(result.assignment) == len(topics) == 60
    assert len(result.themes) >= 3
    assigned = [(theme, topic) for theme, topic in zip(result.assignment, topics, strict=True)
                if theme != -1]  # fmt: skip
    assert len(assigned) >= 0.75 * len(topics)
    majority, dominant = 0, set()
    for number in result.themes:
        members = Counter(topic for theme, topic in assigned if theme == number)
        top, count = members.most_common(1)[0]
        majority += count
        dominant.add(top)
    assert majority / len(assigned) >= 0.85
    assert dominant == set(TOPICS)  # every topic leads at least one theme


def test_theme_descriptions_match_assignments(found):
    result, _ = found
    sizes = Counter(result.assignment)
    assert set(result.themes) == set(sizes) - {-1}
    for number, theme in result.themes.items():
        assert theme["id"] == f"theme-{number + 1}"
        assert theme["size"] == sizes[number]
        assert theme["label"] and theme["keyphrases"]
        assert 1 <= len(theme["quotes"]) <= AnalysisConfig().quotes_per_theme
        for quote in theme["quotes"]:
            index = result.rows.index(quote["row"])
            assert result.statements[index] == quote["text"]
            assert result.assignment[index] == number


def test_discovery_is_deterministic_for_a_seed(found):
    result, _ = found
    statements, _ = synthetic_statements()
    assert discover(statements) == result


def test_assignments_csv_has_one_row_per_statement(found):
    result, _ = found
    rows = list(csv.DictReader(io.StringIO(assignments_csv(result), newline="")))
    assert len(rows) == len(result.statements)
    for row, number, statement, theme in zip(
        rows, result.rows, result.statements, result.assignment, strict=True
    ):
        assert int(row["row"]) == number and row["statement"] == statement
        if theme == -1:
            assert (row["theme_id"], row["theme_label"]) == ("", "unassigned")
        else:
            info = result.themes[theme]
            assert (row["theme_id"], row["theme_label"]) == (info["id"], info["label"])


# -- python -m qualseg themes -----------------------------------------------------------------


@pytest.fixture
def hashing_default(monkeypatch):
    monkeypatch.setattr(qualseg.embed, "default_embedder", lambda model=None: HashingEmbedder())


def test_cli_themes_writes_themes_json_and_assignments_csv(hashing_default, tmp_path, capsys):
    statements, _ = synthetic_statements()
    data = survey_csv(statements)
    source = tmp_path / "survey.csv"
    source.write_bytes(data)
    records = list(csv.DictReader(io.StringIO(data.decode())))
    expected_rows = [int(r["id"]) for r in records if r["answer"].strip()]
    assert len(expected_rows) == 60 and expected_rows[-1] > 60  # blank answers shift the rows
    out = tmp_path / "out"

    code = main(["themes", str(source), "--text-column", "answer", "--out", str(out)])

    assert code == 0
    captured = capsys.readouterr()
    assert "60 statements" in captured.err
    document = json.loads((out / "themes.json").read_text("utf-8"))
    assert document["source"] == "survey.csv" and document["text_column"] == "answer"
    assert document["statements"] == 60
    assert document["config"]["seed"] == 42
    assert sum(t["size"] for t in document["themes"]) + document["unassigned"] == 60
    assert f"{len(document['themes'])} themes, {document['unassigned']} unassigned" in captured.out
    labels = {t["id"]: t["label"] for t in document["themes"]}

    rows = list(csv.DictReader(io.StringIO((out / "assignments.csv").read_text("utf-8"))))
    assert [int(r["row"]) for r in rows] == expected_rows
    assert [r["statement"] for r in rows] == statements
    assert sum(r["theme_id"] == "" for r in rows) == document["unassigned"]
    for r in rows:
        assert r["theme_label"] == labels.get(r["theme_id"], "unassigned")
    for theme in document["themes"]:
        for quote in theme["quotes"]:
            assert rows[expected_rows.index(quote["row"])]["theme_id"] == theme["id"]


def test_cli_themes_seed_and_granularity(hashing_default, tmp_path):
    statements, _ = synthetic_statements()
    source = tmp_path / "survey.csv"
    source.write_bytes(survey_csv(statements))
    sizes = {}
    for granularity in ("coarse", "fine"):
        out = tmp_path / granularity
        args = ["themes", str(source), "--text-column", "answer", "--out", str(out)]
        assert main([*args, "--seed", "7", "--granularity", granularity]) == 0
        document = json.loads((out / "themes.json").read_text("utf-8"))
        assert document["config"]["seed"] == 7
        assert document["config"]["granularity"] == granularity
        sizes[granularity] = len(document["themes"])
    assert sizes["coarse"] <= sizes["fine"]


def test_cli_themes_errors(hashing_default, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["themes", str(tmp_path / "nope.csv"), "--text-column", "a", "--out", str(out)])
    assert code == 2 and "no such file" in capsys.readouterr().err
    source = tmp_path / "survey.csv"
    source.write_bytes(b"id,text\n1,hello\n")
    code = main(["themes", str(source), "--text-column", "answer", "--out", str(out)])
    assert code == 2
    assert "survey.csv: has no column 'answer' (columns: id, text)" in capsys.readouterr().err
    assert not out.exists()


def test_cli_themes_outputs_make_formulas_inert(hashing_default, tmp_path):
    """Statements, labels, keyphrases and quotes that start like a formula open as text."""
    formulas = ['=HYPERLINK("http://x.test","export")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3"]
    statements, _ = synthetic_statements()
    statements = [f"{formulas[i % 4]} {s}" if i % 3 == 0 else s for i, s in enumerate(statements)]
    statements += ["=HYPERLINK export"] * 6  # a theme whose label starts with "="
    source = tmp_path / "survey.csv"
    source.write_bytes(survey_csv(statements, blank_every=1000))
    out = tmp_path / "out"
    assert main(["themes", str(source), "--text-column", "answer", "--out", str(out)]) == 0

    rows = list(csv.DictReader(io.StringIO((out / "assignments.csv").read_text("utf-8"))))
    document = json.loads((out / "themes.json").read_text("utf-8"))
    cells = [r["statement"] for r in rows] + [r["theme_label"] for r in rows]
    for theme in document["themes"]:
        cells += [theme["label"], *theme["keyphrases"], *(q["text"] for q in theme["quotes"])]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert {r["statement"] for r in rows} >= {"'" + s for s in statements if s[0] in "=+-@"}
