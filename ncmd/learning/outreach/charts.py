"""The stakeholder map: each organisation's influence against its interest (1 to 5), in the
four quadrants of a power-interest grid, drawn as accessible SVG in the house style."""

from collections import defaultdict

from ncmd.quality.charts import BLUE, DARK, GREY, _svg, plt

QUADRANTS = {
    (True, True): "Manage closely",
    (True, False): "Keep satisfied",
    (False, True): "Keep informed",
    (False, False): "Monitor",
}


def quadrant(influence, interest):
    """High is above the middle (3): a 3 counts as low, so "manage closely" means 4 or 5."""
    return QUADRANTS[(influence > 3, interest > 3)]


def stakeholder_map_svg(*, title, points):
    """`points`: (name, influence, interest). Each organisation is a numbered marker, keyed by
    number to its name in the list beside the grid; organisations sharing a square are spread
    around it so that every marker can be seen."""
    points = sorted(points, key=lambda p: (-p[1], -p[2], p[0]))
    figure = plt.figure(figsize=(9.6, 5.6))
    axes = figure.add_axes([0.07, 0.1, 0.5, 0.82])
    axes.set_xlim(0.5, 5.5)
    axes.set_ylim(0.5, 5.5)
    axes.axvline(3.5, color=GREY, linewidth=1)
    axes.axhline(3.5, color=GREY, linewidth=1)
    for (x, y), label in {
        (4.5, 5.35): "Manage closely",
        (2.0, 5.35): "Keep satisfied",
        (4.5, 0.62): "Keep informed",
        (2.0, 0.62): "Monitor",
    }.items():
        axes.text(x, y, label, ha="center", va="center", fontsize=10, color=DARK,
                  fontweight="bold")  # fmt: skip
    cells = defaultdict(list)
    for number, (_, influence, interest) in enumerate(points, start=1):
        cells[(interest, influence)].append(number)
    for (x, y), numbers in cells.items():
        columns = min(3, len(numbers))
        for k, number in enumerate(numbers):
            row, column = divmod(k, columns)
            dx = (column - (columns - 1) / 2) * 0.28
            dy = -(row - (len(numbers) - 1) // columns / 2) * 0.28
            axes.scatter([x + dx], [y + dy], s=190, color=BLUE, zorder=3)
            axes.text(x + dx, y + dy, str(number), ha="center", va="center", fontsize=7,
                      color="white", fontweight="bold", zorder=4)  # fmt: skip
    axes.set_xticks(range(1, 6))
    axes.set_yticks(range(1, 6))
    axes.set_xlabel("Interest (1 low to 5 high)")
    axes.set_ylabel("Influence (1 low to 5 high)")
    axes.spines[["top", "right"]].set_visible(False)
    key = "\n".join(
        f"{n:>2}  {name if len(name) <= 44 else name[:43] + '…'}  ({influence}, {interest})"
        for n, (name, influence, interest) in enumerate(points, start=1)
    )
    figure.text(0.6, 0.92, "Organisation (influence, interest)", fontsize=9, color=DARK,
                fontweight="bold", va="top")  # fmt: skip
    figure.text(0.6, 0.87, key, fontsize=8, color=DARK, va="top", linespacing=1.6,
                family="DejaVu Sans Mono")  # fmt: skip
    counts = defaultdict(int)
    for _, influence, interest in points:
        counts[quadrant(influence, interest)] += 1
    description = (
        f"Stakeholder map of {len(points)} organisations, influence against interest. "
        + "; ".join(f"{label}: {counts[label]}" for label in QUADRANTS.values())
        + ". The table below the chart lists every organisation."
    )
    return _svg(figure, title, description)
