"""Bulk import of form answers from CSV, XLSX and JSON files, from the command line (`ncmd
import`) and from an upload page. Every row goes through the dictionary's one validator; the
notifications are written by the registry's set-based actions (`ncmd.registry.bulk`)."""
