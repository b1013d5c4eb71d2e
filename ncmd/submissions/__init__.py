"""The three ways data reaches the registry: web forms (this package's views and templates), the
JSON API (`api/`) and bulk files (`imports/`).

Each way in only turns its input into raw answers and calls the registry's actions, which check
them with the dictionary's one validator; none of them validates answers on its own. This package
also holds reporting-form requests: the sign-in links sent to agencies' named contacts and the
reminders for overdue forms.
"""
