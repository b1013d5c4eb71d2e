"""Charts drawn on the server as SVG with matplotlib: the same chart serves the portal, the
bulletin and reports, works without JavaScript, and carries a text alternative."""

import io
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ncmd.stats.funnel import limits_at  # noqa: E402

BLUE, DARK, GREY, ORANGE, LIGHT_BLUE = "#005eb8", "#212b32", "#768692", "#ed8b00", "#41b6e6"
POINT_COLOURS = {
    "common_cause": GREY,
    "special_cause_improvement": LIGHT_BLUE,
    "special_cause_concern": ORANGE,
    "special_cause_neutral_high": "#7c2855",
    "special_cause_neutral_low": "#7c2855",
}
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "ncmd",
                     "svg.fonttype": "none"})  # fmt: skip


def _svg(figure, title, description):
    """The figure as accessible SVG: role=img with a title and a description of what it shows."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    head, rest = svg.split(">", 1)
    return (
        f'{head} role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>{rest}"
    )


def funnel_svg(*, title, units, focus, target, tau2, better="higher"):
    """A funnel plot: each CDOP's value against its denominator, with 95% and 99.8% limits.

    `units` is a list of (code, numerator, denominator, value); `focus` the code to highlight.
    """
    figure, axes = plt.subplots(figsize=(6.4, 3.8))
    denominators = np.array([u[2] for u in units], dtype=float)
    grid = np.linspace(max(1.0, denominators.min() * 0.8), denominators.max() * 1.1, 200)
    lower95, upper95, lower998, upper998 = (np.ravel(x) for x in limits_at(
        grid, target, tau2=tau2))  # fmt: skip
    axes.plot(grid, upper95, color=BLUE, linestyle="--", linewidth=1, label="95% limits")
    axes.plot(grid, lower95, color=BLUE, linestyle="--", linewidth=1)
    axes.plot(grid, upper998, color=DARK, linestyle=":", linewidth=1, label="99.8% limits")
    axes.plot(grid, lower998, color=DARK, linestyle=":", linewidth=1)
    axes.axhline(target, color=GREY, linewidth=1, label="England")
    others = [u for u in units if u[0] != focus]
    axes.scatter([u[2] for u in others], [u[3] for u in others], s=14, color=GREY,
                 label="Other CDOPs")  # fmt: skip
    mine = [u for u in units if u[0] == focus]
    if mine:
        axes.scatter([mine[0][2]], [mine[0][3]], s=60, color=ORANGE, edgecolor=DARK, zorder=3,
                     label="This CDOP")  # fmt: skip
    axes.set_xlabel("Records in the period (denominator)")
    axes.set_ylabel("Proportion")
    axes.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.legend(loc="lower right" if better == "higher" else "upper right", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    described = ""
    if mine:
        described = f" This CDOP: {mine[0][3]:.1%} of {mine[0][2]:.0f}."
    description = (
        f"Funnel plot of {len(units)} CDOPs. England's value is {target:.1%}; the dashed lines are "
        f"the 95% limits and the dotted lines the 99.8% limits.{described}"
    )
    return _svg(figure, title, description)


def spc_svg(*, title, points, better="higher", annotations=()):
    """An XmR chart of monthly values: mean, process limits and special-cause points.

    `points` are dicts with period, value, mean, lower, upper, point_type. `annotations` are
    (date, label) pairs, drawn as dated vertical markers (interventions, for instance)."""
    figure, axes = plt.subplots(figsize=(7.2, 3.4))
    x = [p["period"] for p in points]
    axes.plot(x, [p["value"] for p in points], color=GREY, linewidth=1, zorder=1)
    axes.scatter(x, [p["value"] for p in points], zorder=2, s=16,
                 color=[POINT_COLOURS.get(p["point_type"], GREY) for p in points])  # fmt: skip
    axes.step(x, [p["mean"] for p in points], where="mid", color=DARK, linewidth=1, label="Mean")
    # A proportion cannot leave 0 to 100%, so limits are drawn clipped to that range.
    axes.step(x, [min(p["upper"], 1.0) for p in points], where="mid", color=BLUE,
              linestyle="--", linewidth=1, label="Process limits")  # fmt: skip
    axes.step(x, [max(p["lower"], 0.0) for p in points], where="mid", color=BLUE,
              linestyle="--", linewidth=1)  # fmt: skip
    for number, (day, _label) in enumerate(annotations, start=1):
        axes.axvline(day, color="#330072", linestyle="-.", linewidth=1,
                     label="Intervention" if number == 1 else None)  # fmt: skip
        axes.annotate(str(number), (day, 1.0), xycoords=("data", "axes fraction"),
                      xytext=(3, -10), textcoords="offset points", color="#330072",
                      fontsize=8, fontweight="bold")  # fmt: skip
    axes.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="best", fontsize=8)
    figure.autofmt_xdate()
    improving = sum(p["point_type"] == "special_cause_improvement" for p in points)
    concerning = sum(p["point_type"] == "special_cause_concern" for p in points)
    description = (
        f"Statistical process control chart of {len(points)} months, from "
        f"{points[0]['period']:%B %Y} to {points[-1]['period']:%B %Y}. The latest mean is "
        f"{points[-1]['mean']:.1%}, with process limits {points[-1]['lower']:.1%} to "
        f"{points[-1]['upper']:.1%}. {improving} months show special-cause improvement and "
        f"{concerning} special-cause concern."
    )
    for number, (day, label) in enumerate(annotations, start=1):
        description += f" Marker {number}: {label}, {day:%-d %B %Y}."
    return _svg(figure, title, description)
