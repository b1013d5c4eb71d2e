"""The JSON API (django-ninja) under /api/v1/: notify deaths, fill in and amend forms, read cases
in scope, and read the data dictionary, authenticated by per-user API tokens.

Every write goes through `ncmd.registry.actions`, so the API accepts and refuses exactly what the
dictionary's one validator accepts and refuses; every read is scoped by `ncmd.registry.access`.
"""
