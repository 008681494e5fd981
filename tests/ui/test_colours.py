"""Colours the eye can tell apart: kinds in the transcript reader, themes on the excerpt map."""

from __future__ import annotations

from itertools import combinations

from qualseg.ui import components as ui
from qualseg.ui.pages import themes as page
from tests.ui.colours import delta_e


def test_need_and_outcome_do_not_share_a_colour():
    kinds = ui.KIND_COLOURS
    assert delta_e(kinds["need"], kinds["outcome"]) >= 40  # was 25: one yellow, two shades
    assert min(delta_e(a, b) for a, b in combinations(kinds.values(), 2)) >= 25


def test_the_map_legend_never_repeats_a_mark_past_ten_themes():
    marks = page.theme_marks(25)
    assert len(set(marks)) == 25
    assert page.UNASSIGNED_MARK not in marks
    for a, b in combinations(marks, 2):
        if a[1] == b[1]:  # same shape: the colours must be told apart
            assert delta_e(a[0], b[0]) >= 15, (a, b)
