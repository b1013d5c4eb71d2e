"""Reporting periods: calendar months, quarters, and years ending 31 March."""

import datetime

import numpy as np


def period_sql(period_type, column):
    """DuckDB expression giving the first day of the period containing `column`."""
    if period_type == "month":
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    if period_type == "quarter":
        return f"CAST(date_trunc('quarter', {column}) AS DATE)"
    return (
        f"make_date(CASE WHEN month({column}) >= 4 THEN year({column}) "
        f"ELSE year({column}) - 1 END, 4, 1)"
    )


def period_start(period_type, day):
    if period_type == "month":
        return day.replace(day=1)
    if period_type == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def next_period(period_type, start):
    months = {"month": 1, "quarter": 3, "year": 12}[period_type]
    month = start.month - 1 + months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def period_range(period_type, first, last):
    """Every period from the one containing `first` to the one containing `last`."""
    periods, current = [], period_start(period_type, first)
    end = period_start(period_type, last)
    while current <= end:
        periods.append(current)
        current = next_period(period_type, current)
    return periods


def period_ends(period_type, starts):
    return np.array([next_period(period_type, s) - datetime.timedelta(days=1) for s in starts])


def period_label(period_type, start):
    if period_type == "month":
        return f"{start:%B %Y}"
    if period_type == "quarter":
        end = next_period("quarter", start) - datetime.timedelta(days=1)
        return f"{start:%b}–{end:%b %Y}"
    return f"April {start.year} to March {start.year + 1}"
