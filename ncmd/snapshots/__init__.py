"""Snapshots: immutable columnar copies of the registry, the ground every figure stands on.

`ncmd snapshot freeze` writes Parquet tables (cases with the dictionary's fields flattened to typed
columns, form submissions, reporting-form requests, the forms each case is expected to have) and a
manifest with row counts and a content hash, never the direct identifiers. DuckDB queries them.
"""
