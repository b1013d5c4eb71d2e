"""Words for the quality results: percentages, funnel positions and Making Data Count icons."""

VARIATION_WORDS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause variation: improving (higher)",
    "improvement_low": "Special cause variation: improving (lower)",
    "concern_high": "Special cause variation: getting worse (higher)",
    "concern_low": "Special cause variation: getting worse (lower)",
    "neutral_high": "Special cause variation: higher",
    "neutral_low": "Special cause variation: lower",
}
ASSURANCE_WORDS = {
    "consistent_pass": "will consistently meet the target",
    "consistent_fail": "will consistently miss the target",
    "inconsistent": "may or may not meet the target",
    "": "",
}


def percent(value, digits=1):
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def funnel_words(row, better):
    """Where a CDOP sits on the funnel, as words and a tag colour."""
    if row is None or not row["scored"]:
        return "Not scored", "grey"
    above = row["funnel998"] > 0 or row["funnel95"] > 0
    below = row["funnel998"] < 0 or row["funnel95"] < 0
    level = "99.8%" if row["funnel998"] != 0 else "95%"
    if not (above or below):
        return "Within the expected range", "white"
    good = (above and better == "higher") or (below and better == "lower")
    side = "above" if above else "below"
    if good:
        return f"Better than expected ({side} the {level} limit)", "green"
    return (
        f"Worse than expected ({side} the {level} limit)",
        "red" if level == "99.8%" else "orange",
    )


def value_words(row):
    if row is None:
        return "–"
    if not row["scored"]:
        return f"Not scored: {row['reason']}"
    return (
        f"{percent(row['value'])} ({row['numerator']:.0f} of {row['denominator']:.0f}; "
        f"95% CI {percent(row['lower'])} to {percent(row['upper'])})"
    )
