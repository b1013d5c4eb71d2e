"""Computing every indicator for every CDOP and period over a snapshot, in a few set queries.

The results (values with Wilson intervals, funnel positions, SPC charts with the Making Data
Count rules and icons, national values, the top-quartile "what good looks like", worklists and
per-question completeness) are written as Parquet beside the snapshot, so pages only read them.
"""

import datetime
import json
from collections import defaultdict
from pathlib import Path
from string import Formatter

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ncmd.snapshots.store import connect, read_manifest
from ncmd.stats import funnel_limits, proportion, xmr_chart

from .definitions import indicators, validity_rules
from .periods import period_ends, period_range, period_sql

NATIONAL = "ENGLAND"
SPC_MINIMUM_POINTS = 12
_S, _F, _D, _I, _B = pa.string(), pa.float64(), pa.date32(), pa.int64(), pa.bool_()
RESULT_SCHEMAS = {
    "values": pa.schema([
        ("indicator", _S), ("period_type", _S), ("period", _D), ("cdop", _S),
        ("numerator", _F), ("denominator", _F), ("value", _F), ("lower", _F), ("upper", _F),
        ("scored", _B), ("reason", _S), ("funnel95", _I), ("funnel998", _I),
        ("top_quartile", _F), ("national", _F), ("funnel_target", _F), ("funnel_tau2", _F),
    ]),
    "spc_points": pa.schema([
        ("indicator", _S), ("cdop", _S), ("period", _D), ("value", _F), ("mean", _F),
        ("lower", _F), ("upper", _F), ("special_cause", _S), ("point_type", _S),
    ]),
    "spc_summary": pa.schema([
        ("indicator", _S), ("cdop", _S), ("variation", _S), ("assurance", _S), ("points", _I),
    ]),
    "worklist": pa.schema([
        ("indicator", _S), ("cdop", _S), ("case_reference", _S), ("date_of_death", _D),
        ("form_name", _S), ("field", _S), ("message", _S),
    ]),
    "field_completeness": pa.schema([
        ("cdop", _S), ("form_name", _S), ("field", _S), ("year", _D), ("required", _B),
        ("shown", _I), ("known", _I), ("not_known", _I),
    ]),
}  # fmt: skip
RESULT_TABLES = tuple(RESULT_SCHEMAS)


def substitute(sql, parameters):
    for key, value in parameters.items():
        sql = sql.replace("{" + key + "}", value)
    return sql


def compute_quality(folder, *, review_days_short=183, review_days_long=365, definitions=None):
    """Compute every indicator over the snapshot in `folder`; write `folder/quality/`."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    as_of = datetime.datetime.fromisoformat(manifest["created_at"]).date()
    parameters = {
        "as_of": f"DATE '{as_of.isoformat()}'",
        "review_days_short": str(int(review_days_short)),
        "review_days_long": str(int(review_days_long)),
    }
    db = connect(folder)
    rules = validity_rules()
    db.execute(
        "CREATE VIEW validity_issues AS "
        + " UNION ALL ".join(f"SELECT * FROM ({rule['sql']})" for rule in rules)
    )
    cdops = [row[0] for row in db.execute(
        "SELECT code FROM organisations WHERE type = 'cdop' ORDER BY code").fetchall()]  # fmt: skip
    first = db.execute("SELECT min(date_of_death) FROM cases").fetchone()[0] or as_of
    out = {name: defaultdict(list) for name in RESULT_TABLES}
    chosen = definitions or indicators()
    for indicator in chosen.values():
        for period_type in indicator.periods:
            _values(db, indicator, period_type, cdops, first, as_of, parameters, out)
    _field_completeness(db, out["field_completeness"])
    target = folder / "quality"
    target.mkdir(exist_ok=True)
    worklist = " UNION ALL ".join(_worklist_sql(i, parameters) for i in chosen.values())
    path = str(target / "worklist.parquet").replace("'", "''")
    db.execute(
        f"COPY (SELECT * FROM ({worklist}) ORDER BY indicator, cdop, case_reference, form_name, "
        f"field, message) TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
    )
    counts = {"worklist": db.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]}
    for name in RESULT_TABLES:
        if name == "worklist":
            continue
        columns = {field.name: out[name].get(field.name, []) for field in RESULT_SCHEMAS[name]}
        table = pa.Table.from_pydict(columns, schema=RESULT_SCHEMAS[name])
        pq.write_table(table, target / f"{name}.parquet", compression="zstd")
        counts[name] = table.num_rows
    meta = {
        "as_of": as_of.isoformat(),
        "snapshot_hash": manifest["content_hash"],
        "review_days_short": review_days_short,
        "review_days_long": review_days_long,
        "indicators": {
            i.name: {"title": i.title, **{k: str(v) for k, v in i.governance.items()}}
            for i in (definitions or indicators()).values()
        },
        "row_counts": counts,
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=2))
    return meta


def _values(db, indicator, period_type, cdops, first, as_of, parameters, out):
    table_reference = "reference" if indicator.table == "cases" else "case_reference"
    denominator = substitute(indicator.denominator, parameters)
    if indicator.measure == "sum":
        counted = (
            f"sum(CASE WHEN ({denominator}) THEN {indicator.numerator_sum} END)",
            f"sum(CASE WHEN ({denominator}) THEN {indicator.denominator_sum} END)",
        )
    else:
        numerator = substitute(indicator.numerator, parameters)
        counted = (f"count(*) FILTER (WHERE ({denominator}) AND ({numerator}))",
                   f"count(*) FILTER (WHERE ({denominator}))")  # fmt: skip
    rows = db.execute(
        f"SELECT cdop, {period_sql(period_type, indicator.period)} AS period, "
        f"{counted[0]} AS num, {counted[1]} AS den FROM {indicator.table} "
        f"WHERE {indicator.period} IS NOT NULL AND {table_reference} IS NOT NULL GROUP BY ALL"
    ).fetchall()
    periods = period_range(period_type, first, as_of)
    index = {p: i for i, p in enumerate(periods)}
    units = [*cdops, NATIONAL]
    unit_index = {c: i for i, c in enumerate(units)}
    num = np.zeros((len(units), len(periods)))
    den = np.zeros((len(units), len(periods)))
    for cdop, period, n, d in rows:
        if cdop in unit_index and period in index:
            num[unit_index[cdop], index[period]] = n or 0
            den[unit_index[cdop], index[period]] = d or 0
    num[-1], den[-1] = num[:-1].sum(0), den[:-1].sum(0)

    ends = period_ends(period_type, periods)
    reason = np.full(num.shape, "", dtype=object)
    mature_days = int(substitute(indicator.mature_after_days, parameters) or 0)
    immature = np.array([end > as_of - datetime.timedelta(days=mature_days) for end in ends])
    in_progress = np.array([end >= as_of for end in ends])
    reason[den < indicator.minimum_denominator] = (
        f"Fewer than {indicator.minimum_denominator} records: too few to score."
    )
    reason[den == 0] = "No records in this period."
    reason[-1, den[-1] > 0] = ""  # the nation is scored whenever it has records
    reason[:, immature] = (
        f"Too recent: {mature_days} days have not yet passed for every death in this period."
    )
    reason[:, in_progress] = "This period is not over yet."
    scored = reason == ""

    value = np.full(num.shape, np.nan)
    lower, upper = value.copy(), value.copy()
    has = den > 0
    if has.any():
        interval = proportion(np.round(num[has]), np.round(den[has]))
        value[has], lower[has], upper[has] = interval.estimate, interval.lower, interval.upper

    class95 = np.zeros(num.shape, dtype=np.int8)
    class998 = np.zeros(num.shape, dtype=np.int8)
    top = np.full(len(periods), np.nan)
    funnel_target = np.full(len(periods), np.nan)
    funnel_tau2 = np.zeros(len(periods))
    for j in range(len(periods)):
        units_scored = scored[:-1, j]
        if units_scored.sum() >= 2:
            limits = funnel_limits(np.round(num[:-1, j][units_scored]),
                                   np.round(den[:-1, j][units_scored]))  # fmt: skip
            class95[:-1, j][units_scored] = limits.class95
            class998[:-1, j][units_scored] = limits.class998
            funnel_target[j] = float(limits.target)
            funnel_tau2[j] = float(limits.tau2) if bool(limits.adjusted) else 0.0
            q = 75 if indicator.better == "higher" else 25
            top[j] = np.percentile(value[:-1, j][units_scored], q)

    rows_out = out["values"]
    for u, unit in enumerate(units):
        for j, period in enumerate(periods):
            for column, item in (
                ("indicator", indicator.name), ("period_type", period_type), ("period", period),
                ("cdop", unit), ("numerator", float(num[u, j])), ("denominator", float(den[u, j])),
                ("value", _float(value[u, j])), ("lower", _float(lower[u, j])),
                ("upper", _float(upper[u, j])), ("scored", bool(scored[u, j])),
                ("reason", reason[u, j]), ("funnel95", int(class95[u, j])),
                ("funnel998", int(class998[u, j])), ("top_quartile", _float(top[j])),
                ("national", _float(value[-1, j])),
                ("funnel_target", _float(funnel_target[j])), ("funnel_tau2", float(funnel_tau2[j])),
            ):  # fmt: skip
                rows_out[column].append(item)
    if period_type == "month":
        _spc(indicator, units, periods, value, scored, out)


def _spc(indicator, units, periods, value, scored, out):
    series, lengths, kept_periods, kept_units = [], [], [], []
    for u, unit in enumerate(units):
        points = np.flatnonzero(scored[u])
        if len(points) >= SPC_MINIMUM_POINTS:
            series.append(value[u, points])
            lengths.append(len(points))
            kept_periods.append([periods[p] for p in points])
            kept_units.append(unit)
    if not series:
        return
    width = max(lengths)
    values = np.full((len(series), width), np.nan)
    for i, s in enumerate(series):
        values[i, : len(s)] = s
    target = indicator.target if indicator.target is not None else np.nan
    chart = xmr_chart(
        values, lengths=np.array(lengths), improvement=indicator.improvement, target=target
    )
    causes = chart.labels("special_cause")
    point_types = chart.labels("point_type")
    variation = chart.labels("variation")
    assurance = chart.labels("assurance")
    for i, unit in enumerate(kept_units):
        for k, period in enumerate(kept_periods[i]):
            for column, item in (
                ("indicator", indicator.name), ("cdop", unit), ("period", period),
                ("value", float(chart.values[i, k])), ("mean", float(chart.mean[i, k])),
                ("lower", float(chart.lower_limit[i, k])),
                ("upper", float(chart.upper_limit[i, k])),
                ("special_cause", str(causes[i, k])), ("point_type", str(point_types[i, k])),
            ):  # fmt: skip
                out["spc_points"][column].append(item)
        for column, item in (
            ("indicator", indicator.name), ("cdop", unit), ("variation", str(variation[i])),
            ("assurance", str(assurance[i]) if assurance[i] else ""),
            ("points", lengths[i]),
        ):  # fmt: skip
            out["spc_summary"][column].append(item)


def _worklist_sql(indicator, parameters):
    """One SELECT giving the indicator's worklist rows, messages built in SQL, so that a
    million-case snapshot's worklists never pass through Python one row at a time."""
    spec, name = indicator.worklist, _literal(indicator.name)
    if spec.sql:
        return (
            f"SELECT {name} AS indicator, c.cdop, w.case_reference, c.date_of_death, "
            f"w.form_name, w.field, w.message "
            f"FROM ({substitute(spec.sql, parameters)}) w "
            f"JOIN cases c ON c.reference = w.case_reference"
        )
    reference = "reference" if indicator.table == "cases" else "case_reference"
    form = spec.form_sql or _literal(spec.form)
    field = f"coalesce(CAST({spec.field_sql} AS VARCHAR), '')" if spec.field_sql else _literal(
        spec.field)  # fmt: skip
    return (
        f"SELECT {name} AS indicator, cdop, {reference} AS case_reference, date_of_death, "
        f"{form} AS form_name, {field} AS field, "
        f"{_message_sql(spec.message, parameters)} AS message FROM {indicator.table} "
        f"WHERE ({substitute(indicator.denominator, parameters)}) "
        f"AND ({substitute(spec.condition, parameters)})"
    )


def _literal(text):
    return "'" + str(text).replace("'", "''") + "'"


def _message_sql(template, parameters):
    """A message template ('Notified {hours:.0f} hours after') as a SQL string expression."""
    parts = []
    for text, name, spec, _ in Formatter().parse(template):
        if text:
            parts.append(_literal(text))
        if name is None:
            continue
        column = ("date_diff('day', date_of_death, " + parameters["as_of"] + ")"
                  if name == "days_since_death" else name)  # fmt: skip
        if spec and spec.endswith("f"):
            parts.append(f"coalesce(printf('%{spec}', CAST({column} AS DOUBLE)), '')")
        else:
            parts.append(f"coalesce(CAST({column} AS VARCHAR), '')")
    return " || ".join(parts) or "''"


def _field_completeness(db, rows_out):
    """Per question: how often it was answered with a known value when shown, by CDOP, form and
    year ending March, and for England."""
    query = f"""
        SELECT coalesce(cdop, '{NATIONAL}') AS cdop, form_name, field, year,
               bool_or(required) AS required, sum(shown) AS shown, sum(known) AS known,
               sum(not_known) AS not_known
        FROM field_counts WHERE year IS NOT NULL
        GROUP BY GROUPING SETS ((cdop, form_name, field, year), (form_name, field, year))
        ORDER BY ALL
    """
    cursor = db.execute(query)
    names = [d[0] for d in cursor.description]
    for record in cursor.fetchall():
        for column, item in zip(names, record, strict=True):
            rows_out[column].append(int(item) if isinstance(item, float) else item)


def _float(value):
    return None if value is None or np.isnan(value) else float(value)
