"""Charts of outcome ratings, drawn as SVG with matplotlib and placed in the page.

The page's content security policy allows no inline styles, so the SVG's style
attributes are turned into the equivalent presentation attributes, which it allows."""

import io
import re
from dataclasses import replace
from datetime import date
from html import escape

import matplotlib

matplotlib.use("Agg")  # draws to files only; no display on a server

from matplotlib import dates as mdates  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from keywork.core.fields import EARLIEST_DATE, LATEST_DATE  # noqa: E402
from keywork.outcomes.reports import AreaChange  # noqa: E402
from keywork.outcomes.selectors import DomainProgress  # noqa: E402

LINE = "#1d70b8"
GRID = "#b1b4b6"
TEXT = "#0b0c0c"
FONT = "Arial, Helvetica, sans-serif"
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "keywork",
    "font.size": 9,
    "text.color": TEXT,
    # Names of areas of life are typed by people: "$" in one is a dollar sign, not the
    # start of mathematics, in which a stray "\frac" stops the chart being drawn at all.
    "text.parse_math": False,
    "text.usetex": False,
}


def _drawable(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def _presentation_attributes(svg: str) -> str:
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)

    def attributes(match: re.Match) -> str:
        pairs = []
        for declaration in match.group(1).split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name == "font-family":
                value = FONT
            if name:
                pairs.append(f'{name}="{escape(value, quote=True)}"')
        return " ".join(pairs)

    return re.sub(r'style="([^"]*)"', attributes, svg)


def ratings_chart(
    progress: list[DomainProgress], *, scale_min: int, scale_max: int, title_id: str
) -> str:
    """One small chart per rated area of life: its score at each rating, oldest first.
    Returns inline SVG (role img, titled), or "" when nothing has been rated.

    Ratings dated outside 1900 to 2100 (typed before dates were checked) are left off
    the chart, which could not draw them (its calendar starts in year 1 and its margins
    go further back), and the table beside it still lists them."""
    rated = [
        replace(row, history=[(day, score) for day, score in row.history if _drawable(day)])
        for row in progress
    ]
    rated = [row for row in rated if row.history]
    if not rated:
        return ""
    columns = 2 if len(rated) > 1 else 1
    rows = -(-len(rated) // columns)
    with plt.rc_context(RC):
        figure, axes = plt.subplots(
            rows, columns, figsize=(4.2 * columns, 2.0 * rows), squeeze=False, sharey=True
        )
        for ax in axes.flat[len(rated) :]:
            ax.set_visible(False)
        for ax, row in zip(axes.flat, rated, strict=False):
            days = [day for day, _ in row.history]
            ax.plot(days, [score for _, score in row.history], color=LINE, marker="o", lw=2)
            ax.set_title(row.domain, loc="left", fontsize=10, fontweight="bold")
            ax.set_ylim(scale_min - 0.5, scale_max + 0.5)
            ax.set_yticks(range(scale_min, scale_max + 1, max(1, (scale_max - scale_min) // 3)))
            ax.grid(axis="y", color=GRID, lw=0.5)
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=4))
            ax.tick_params(labelleft=True)
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m/%y"))
            if len(days) == 1:
                ax.set_xticks(days)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        return _inline_svg(figure, title_id)


def _inline_svg(figure, title_id: str) -> str:
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r' (width|height)="[^"]*pt"', "", svg, count=2)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id}" class="kw-chart" focusable="false" ',
        1,
    )
    return _presentation_attributes(svg)


def service_chart(areas: list[AreaChange], *, title_id: str) -> str:
    """Average change by area of life, one bar each, for the areas with enough people to
    show. Returns inline SVG (role img, titled), or "" when there is nothing to show."""
    shown = [a for a in areas if a.shown]
    if not shown:
        return ""
    with plt.rc_context(RC):
        figure, ax = plt.subplots(figsize=(8.4, 0.45 * len(shown) + 0.9))
        labels = [f"{a.domain} ({a.framework})" for a in reversed(shown)]
        values = [a.average_change for a in reversed(shown)]
        ax.barh(labels, values, color=[LINE if v >= 0 else "#d4351c" for v in values])
        ax.axvline(0, color=TEXT, lw=0.8)
        for y, value in enumerate(values):
            ax.annotate(
                f"{value:+.1f}",
                (value, y),
                xytext=(4 if value >= 0 else -4, 0),
                textcoords="offset points",
                ha="left" if value >= 0 else "right",
                va="center",
            )
        ax.set_xlabel("Average change, latest rating minus first")
        low = min(0, *values) - 1
        high = max(0, *values) + 1
        ax.set_xlim(low, high)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _inline_svg(figure, title_id)
