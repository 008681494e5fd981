"""Charts of the segment profile report: segment sizes and a theme-by-segment heat map.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no global state). The same
input gives the same bytes: fixed size and dpi, a fixed SVG hash salt, no dates or software
names in the file metadata. Both charts stay readable in grayscale: values are written on the
bars and cells, the colour map darkens monotonically, "no segment" is hatched.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from qualseg.exports.report_doc import Heatmap, ReportDocument

DPI = 150
WIDTH_IN = 6.5
BAR_COLOUR = "#2f4b7c"
OTHER_COLOUR = "#d9d9d9"
HEAT_CMAP = "Blues"
DARK_CELL = 0.55  # cells above this share get white text
LABEL_CHARS = 42
NO_SEGMENT = "No segment"
LENS_TAGS = {
    "need": "Need",
    "psychographic": "Trait",
    "trigger": "Trigger",
    "objection": "Objection",
}
RC = {
    "svg.hashsalt": "qualseg",
    "svg.fonttype": "path",
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    """One chart as PNG bytes and SVG text, with a title and a text alternative of its data."""

    name: str
    title: str
    alt: str
    png: bytes
    svg: str


def report_charts(doc: ReportDocument) -> tuple[Chart, ...]:
    """The charts of a report: none before there are segments."""
    if not doc.segments:
        return ()
    return (segment_sizes(doc.sizes), theme_heatmap(doc.heatmap))


def short(label: str, limit: int = LABEL_CHARS) -> str:
    """A label cut to ``limit`` characters with an ellipsis (charts only; tables keep it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def segment_sizes(sizes: tuple[tuple[str, int], ...]) -> Chart:
    """Horizontal bars: members per segment, then participants in no segment (hatched)."""
    title = "Participants per segment"
    with rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN, 0.9 + 0.42 * max(len(sizes), 1)), dpi=DPI)
        ax = fig.add_subplot()
        if not sizes:
            _empty(ax, "No segments yet")
        else:
            labels = [short(label) for label, _ in sizes][::-1]
            counts = [n for _, n in sizes][::-1]
            bars = ax.barh(range(len(sizes)), counts, color=BAR_COLOUR, height=0.6)
            for bar, (label, _) in zip(bars, reversed(sizes), strict=True):
                if label == NO_SEGMENT:
                    bar.set_facecolor(OTHER_COLOUR)
                    bar.set_edgecolor("#444444")
                    bar.set_hatch("///")
            ax.set_yticks(range(len(sizes)), labels)
            top = max(counts + [1])
            for y, n in enumerate(counts):
                ax.text(n + top * 0.01, y, str(n), va="center", ha="left")
            ax.set_xlim(0, top * 1.12)
            ax.set_xlabel("participants")
            ax.xaxis.get_major_locator().set_params(integer=True)
        _title(fig, title)
        alt = "; ".join(f"{label}: {n} participants" for label, n in sizes) or "No segments yet."
        return Chart("segment-sizes", title, alt, *_save(fig))


def theme_heatmap(heat: Heatmap) -> Chart:
    """Themes (rows, grouped by lens) by segments (columns): the share of each segment's
    members who voice the theme, written in each cell."""
    title = "Share of each segment's members voicing each theme"
    rows, cols = len(heat.rows), len(heat.columns)
    with rc_context(RC):
        height = 1.4 + 0.26 * max(rows, 1)
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        ax = fig.add_subplot()
        if not rows or not cols:
            _empty(ax, "No segments yet" if not cols else "No themes yet")
        else:
            image = ax.imshow(
                heat.shares, cmap=HEAT_CMAP, vmin=0.0, vmax=1.0, aspect="auto", origin="upper"
            )
            for i, line in enumerate(heat.shares):
                for j, share in enumerate(line):
                    colour = "white" if share > DARK_CELL else "black"
                    ax.text(j, i, f"{share:.0%}", ha="center", va="center", color=colour)
            names = [f"{LENS_TAGS[lens]} · {short(label, 36)}" for lens, label in heat.rows]
            ax.set_yticks(range(rows), names)
            ax.set_xticks(
                range(cols), ["\n".join(textwrap.wrap(short(c, 40), 16)) for c in heat.columns]
            )
            ax.xaxis.tick_top()
            ax.tick_params(length=0)
            for spine in ax.spines.values():
                spine.set_visible(False)
            lenses = [lens for lens, _ in heat.rows]
            for i in range(1, rows):
                if lenses[i] != lenses[i - 1]:
                    ax.axhline(i - 0.5, color="black", linewidth=1.2)
            bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
            bar.ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        _title(fig, title)
        if not cols:
            alt = "No segments yet."
        elif not rows:
            alt = "No themes yet."
        else:
            alt = "; ".join(
                f"{label}: "
                + ", ".join(
                    f"{col} {share:.0%}" for col, share in zip(heat.columns, line, strict=True)
                )
                for (_, label), line in zip(heat.rows, heat.shares, strict=True)
            )
        return Chart("theme-heatmap", title, alt, *_save(fig))


def _title(fig: Figure, title: str) -> None:
    """A bold title flush with the figure's left edge, above everything else."""
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
    fig.tight_layout()


def _empty(ax, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=11)


def _save(fig: Figure) -> tuple[bytes, str]:
    FigureCanvasAgg(fig)
    png, svg = io.BytesIO(), io.StringIO()
    fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()
