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

from .definitions import VALIDITY_RULE_SOURCES, indicators, validity_rules
from .periods import period_ends, period_range, period_sql, period_start

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
# Tables worked out once per computation, for the indicators whose SQL names them, so that each
# is one pass over the snapshot however many indicators read it.
DERIVED_TABLES = {
    "validity_issues": lambda parameters: _validity_issues_sql(validity_rules(), parameters),
    # The required questions of submitted forms not answered with a known value: a few rows of
    # the largest table (13 million rows at a million cases), read by four completeness worklists.
    "required_unanswered": lambda parameters: (
        "SELECT case_reference, form_name, form_kind, field, status FROM field_status "
        "WHERE required AND submission_status IN ('submitted', 'amended')"
    ),
}


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
    chosen = definitions or indicators()
    for name, query in DERIVED_TABLES.items():
        if any(name in _sql_of(indicator) for indicator in chosen.values()):
            db.execute(f"CREATE TABLE {name} AS {query(parameters)}")
    cdops = [row[0] for row in db.execute(
        "SELECT code FROM organisations WHERE type = 'cdop' ORDER BY code").fetchall()]  # fmt: skip
    first = db.execute("SELECT min(date_of_death) FROM cases").fetchone()[0] or as_of
    out = {name: defaultdict(list) for name in RESULT_TABLES}
    out["values"] = []  # blocks of columns, one per indicator and period type
    counts = _monthly_counts(db, chosen, cdops, first, as_of, parameters)
    for indicator in chosen.values():
        for period_type in indicator.periods:
            _values(indicator, period_type, counts[indicator.name], as_of, parameters, out)
    target = folder / "quality"
    target.mkdir(exist_ok=True)
    worklist = _worklist_sql(chosen.values(), parameters)
    path = str(target / "worklist.parquet").replace("'", "''")
    # Written in the order of the union, which keeps each indicator's rows together, so that a
    # page reading one indicator skips the others' row groups by their statistics. Sorting by
    # CDOP too cost more here (0.4 CPU seconds at a million cases) than it saved a page (1 ms).
    db.execute(f"COPY ({worklist}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
    counts = {"worklist": db.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]}
    for name in RESULT_TABLES:
        if name == "worklist":
            continue
        if name == "field_completeness":
            table = _field_completeness(db)
        elif name == "values":
            schema = RESULT_SCHEMAS[name]
            table = pa.concat_tables(
                [_values_table(block, schema) for block in out[name]]
            ) if out[name] else schema.empty_table()  # fmt: skip
        else:
            columns = {f.name: out[name].get(f.name, []) for f in RESULT_SCHEMAS[name]}
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
            for i in chosen.values()
        },
        "row_counts": counts,
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=2))
    return meta


def _monthly_counts(db, chosen, cdops, first, as_of, parameters):
    """Numerator and denominator per indicator, CDOP and month, in one scan per table: every
    indicator counting the same table is one pair of aggregates in the same query. Quarters and
    years are sums of months, so they need no scan of their own."""
    months = period_range("month", first, as_of)
    index = {p: i for i, p in enumerate(months)}
    units = [*cdops, NATIONAL]
    unit_index = {c: i for i, c in enumerate(units)}
    groups = defaultdict(list)
    for indicator in chosen.values():
        groups[(indicator.table, indicator.period)].append(indicator)
    counts = {}
    for (table, period), members in groups.items():
        aggregates = []
        for indicator in members:
            denominator = substitute(indicator.denominator, parameters)
            if indicator.measure == "sum":
                aggregates += [
                    f"sum({indicator.numerator_sum}) FILTER (WHERE {denominator})",
                    f"sum({indicator.denominator_sum}) FILTER (WHERE {denominator})",
                ]
            else:
                numerator = substitute(indicator.numerator, parameters)
                aggregates += [f"count(*) FILTER (WHERE ({denominator}) AND ({numerator}))",
                               f"count(*) FILTER (WHERE ({denominator}))"]  # fmt: skip
        reference = "reference" if table == "cases" else "case_reference"
        rows = db.execute(
            f"SELECT cdop, {period_sql('month', period)} AS period, {', '.join(aggregates)} "
            f"FROM {table} WHERE {period} IS NOT NULL AND {reference} IS NOT NULL GROUP BY ALL"
        ).fetchall()
        arrays = np.zeros((len(members), 2, len(units), len(months)))
        for row in rows:
            u, m = unit_index.get(row[0]), index.get(row[1])
            if u is None or m is None:
                continue
            arrays[:, :, u, m] = np.array(row[2:], dtype=float).reshape(len(members), 2)
        arrays = np.nan_to_num(arrays)
        arrays[:, :, -1] = arrays[:, :, :-1].sum(axis=2)
        for k, indicator in enumerate(members):
            counts[indicator.name] = (units, months, arrays[k, 0], arrays[k, 1])
    return counts


def _roll_up(period_type, months, num, den):
    """Sum monthly counts into quarters or years (April to March)."""
    if period_type == "month":
        return months, num, den
    starts = [period_start(period_type, m) for m in months]
    periods = sorted(set(starts))
    column = np.array([periods.index(s) for s in starts])
    rolled_num = np.zeros((num.shape[0], len(periods)))
    rolled_den = np.zeros_like(rolled_num)
    np.add.at(rolled_num.T, column, num.T)
    np.add.at(rolled_den.T, column, den.T)
    return periods, rolled_num, rolled_den


def _values(indicator, period_type, counts, as_of, parameters, out):
    units, months, monthly_num, monthly_den = counts
    periods, num, den = _roll_up(period_type, months, monthly_num, monthly_den)
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

    shape = num.shape
    columns = {
        "indicator": [indicator.name] * num.size,
        "period_type": [period_type] * num.size,
        "period": list(periods) * shape[0],
        "cdop": [unit for unit in units for _ in periods],
        "numerator": num.ravel(),
        "denominator": den.ravel(),
        "value": value.ravel(),
        "lower": lower.ravel(),
        "upper": upper.ravel(),
        "scored": scored.ravel(),
        "reason": reason.ravel(),
        "funnel95": class95.ravel(),
        "funnel998": class998.ravel(),
        "top_quartile": np.tile(top, shape[0]),
        "national": np.tile(value[-1], shape[0]),
        "funnel_target": np.tile(funnel_target, shape[0]),
        "funnel_tau2": np.tile(funnel_tau2, shape[0]),
    }
    out["values"].append(columns)
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


def _worklist_sql(chosen, parameters):
    """One query giving the worklist rows of the `chosen` indicators, messages built in SQL, so
    that a million-case snapshot's worklists never pass through Python one row at a time. The
    rows of worklists given as SQL queries are joined with their cases together, in one join."""
    selects, queries = [], []
    for indicator in chosen:
        spec, name = indicator.worklist, _literal(indicator.name)
        if spec.sql:
            queries.append(
                f"SELECT {name} AS indicator, case_reference, form_name, field, message "
                f"FROM ({substitute(spec.sql, parameters)})"
            )
            continue
        reference = "reference" if indicator.table == "cases" else "case_reference"
        form = spec.form_sql or _literal(spec.form)
        field = f"coalesce(CAST({spec.field_sql} AS VARCHAR), '')" if spec.field_sql else _literal(
            spec.field)  # fmt: skip
        selects.append(
            f"SELECT {name} AS indicator, cdop, {reference} AS case_reference, date_of_death, "
            f"{form} AS form_name, {field} AS field, "
            f"{_message_sql(spec.message, parameters)} AS message FROM {indicator.table} "
            f"WHERE ({substitute(indicator.denominator, parameters)}) "
            f"AND ({substitute(spec.condition, parameters)})"
        )
    if queries:
        selects.append(
            "SELECT w.indicator, c.cdop, w.case_reference, c.date_of_death, w.form_name, "
            f"w.field, w.message FROM ({' UNION ALL '.join(queries)}) w "
            "JOIN cases c ON c.reference = w.case_reference"
        )
    return " UNION ALL ".join(selects)


def _sql_of(indicator):
    """Every piece of SQL an indicator runs, to see which tables it needs."""
    spec = indicator.worklist
    return " ".join((indicator.denominator, indicator.numerator, indicator.numerator_sum,
                     indicator.denominator_sum, spec.sql, spec.condition))  # fmt: skip


def _literal(text):
    return "'" + str(text).replace("'", "''") + "'"


def _message_sql(template, parameters):
    """A message template ('Notified {hours:.0f} hours after') as a SQL string expression; its
    placeholders are columns (`{r.agency}` for a column of table r), or days_since_death."""
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


def _validity_issues_sql(rules, parameters):
    """Every broken validity rule as (case_reference, form_name, field, message), reading each
    table once for all its rules: one join of the reporting forms with their cases, not one a
    rule. A row breaking a rule gets that rule's message; rows breaking none are left out."""
    by_source = defaultdict(list)
    for rule in rules:
        by_source[rule["reads"]].append(rule)
    checks, issues = [], []
    for source, members in by_source.items():
        reference, tables = VALIDITY_RULE_SOURCES[source]
        messages = ", ".join(
            f"CASE WHEN ({rule['condition']}) THEN {_message_sql(rule['message'], parameters)} "
            f"END AS broken_{k}"
            for k, rule in enumerate(members)
        )
        broken = " OR ".join(f"({rule['condition']})" for rule in members)
        checks.append(
            f"checked_{source} AS MATERIALIZED (SELECT {reference} AS case_reference, {messages} "
            f"FROM {tables} WHERE {broken})"
        )
        issues += [
            f"SELECT case_reference, {_literal(rule['form'])} AS form_name, "
            f"{_literal(rule['field'])} AS field, broken_{k} AS message FROM checked_{source} "
            f"WHERE broken_{k} IS NOT NULL"
            for k, rule in enumerate(members)
        ]
    return f"WITH {', '.join(checks)} {' UNION ALL '.join(issues)}"


def _field_completeness(db):
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
    # pa.table takes what .arrow() gives: a table in older DuckDB, a batch reader in newer.
    return pa.table(db.execute(query).arrow()).cast(RESULT_SCHEMAS["field_completeness"])


def _values_table(block, schema):
    """One block of values as an Arrow table; NaN (no value) becomes null."""
    arrays = []
    for field in schema:
        data = block[field.name]
        if isinstance(data, np.ndarray) and data.dtype.kind == "f":
            arrays.append(pa.array(data, type=field.type, from_pandas=True))
        elif isinstance(data, np.ndarray):
            arrays.append(pa.array(data.tolist(), type=field.type))
        else:
            arrays.append(pa.array(data, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _float(value):
    return None if value is None or np.isnan(value) else float(value)
