"""Reports, CDOP report packs, disclosure-controlled data releases and the public statistics
pages, all built from the tables of `ncmd.analysis` over a snapshot (docs/publishing.md)."""
