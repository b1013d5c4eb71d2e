"""National and thematic analyses of a snapshot, and the CDOP report packs.

The interface the publishing app uses::

    from ncmd.analysis import open_analysis, themes
    analysis = open_analysis(snapshot)          # an ncmd.snapshots.models.Snapshot
    analysis.years()                            # ["2021-22", ..., "2024-25"]
    analysis.national_tables("2024-25")         # [Table, ...] in a fixed order
    analysis.national_tables("2024-25", theme="suicide")
    analysis.cdop_tables("2024-25", "CDOP001")
    analysis.headline("2024-25")                # Headline
    analysis.close()

Importing this package does not import Django models (the app registry loads it first); the
names are loaded when first used.
"""

from .tables import TOTAL, Column, Kind, Table

__all__ = ["TOTAL", "Analysis", "Column", "Headline", "Kind", "Table", "Theme", "open_analysis",
           "themes"]  # fmt: skip

_LAZY = {"Analysis": "engine", "Headline": "engine", "open_analysis": "engine",
         "Theme": "thematic", "themes": "thematic"}  # fmt: skip


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
