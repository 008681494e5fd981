"""Report charts: valid PNG and SVG, the same bytes for the same data, grayscale-safe, no segments."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
from matplotlib import colormaps
from PIL import Image

from qualseg.exports import charts
from qualseg.exports.report_doc import Heatmap

SIZES = (("Audit-driven controllers", 6), ("Growth CFOs", 4), ("No segment", 2))
HEAT = Heatmap(
    rows=(("need", "approval trail"), ("objection", "price per approver")),
    columns=("Audit-driven controllers", "Growth CFOs"),
    shares=((1.0, 0.25), (0.5, 0.0)),
)


def _check_images(chart: charts.Chart) -> Image.Image:
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG"
    assert image.size[0] == round(charts.WIDTH_IN * charts.DPI)
    root = ET.fromstring(chart.svg.encode("utf-8"))
    assert root.tag.endswith("svg")
    assert "<dc:date>" not in chart.svg and "Matplotlib v" not in chart.svg
    assert "<script" not in chart.svg and 'href="http' not in chart.svg
    return image


def test_segment_sizes_chart():
    chart = charts.segment_sizes(SIZES)
    _check_images(chart)
    assert chart.alt == (
        "Audit-driven controllers: 6 participants; Growth CFOs: 4 participants; "
        "No segment: 2 participants"
    )
    again = charts.segment_sizes(SIZES)
    assert (again.png, again.svg) == (chart.png, chart.svg)
    assert charts.segment_sizes(SIZES[:2]).png != chart.png


def test_heatmap_chart_and_its_text_alternative():
    chart = charts.theme_heatmap(HEAT)
    _check_images(chart)
    assert "approval trail: Audit-driven controllers 100%, Growth CFOs 25%" in chart.alt
    assert "price per approver: Audit-driven controllers 50%, Growth CFOs 0%" in chart.alt
    again = charts.theme_heatmap(HEAT)
    assert (again.png, again.svg) == (chart.png, chart.svg)


def test_heatmap_cells_darken_with_the_share_in_grayscale():
    """Readable printed in grayscale: the colour map gets darker as the share grows, and the
    drawn 100% cell is darker than the drawn 0% cell."""
    cmap = colormaps[charts.HEAT_CMAP]
    rgb = np.array([cmap(x)[:3] for x in np.linspace(0, 1, 21)])
    luminance = rgb @ np.array([0.299, 0.587, 0.114])
    assert np.all(np.diff(luminance) < 0)
    gray = np.asarray(Image.open(io.BytesIO(charts.theme_heatmap(HEAT).png)).convert("L"))
    assert gray.min() < 80 and gray.max() > 240


def test_labels_with_dollar_signs_and_markup_are_drawn_as_text():
    sizes = (("$40k+ budgets <b>", 3), ("a" * 200, 2))
    chart = charts.segment_sizes(sizes)
    _check_images(chart)
    assert "$40k+ budgets <b>: 3 participants" in chart.alt
    assert charts.short("a" * 200).endswith("…") and len(charts.short("a" * 200)) == 42


def test_no_segments():
    empty_sizes = charts.segment_sizes(())
    _check_images(empty_sizes)
    assert empty_sizes.alt == "No segments yet."
    empty_heat = charts.theme_heatmap(
        Heatmap(rows=(("need", "approval trail"),), columns=(), shares=((),))
    )
    _check_images(empty_heat)
    assert empty_heat.alt == "No segments yet."
