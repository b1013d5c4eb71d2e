"""Reading the access pages' posted values: dates and texts, with problems as (anchor, message)
pairs for the error summary."""

import datetime


def text(post, name):
    return post.get(name, "").strip()


def date(post, name, label, errors, *, required=False):
    """An ISO date (the browser's date input) or None; a problem is added to `errors`."""
    value = post.get(name, "").strip()
    if not value:
        if required:
            errors.append((f"#{name}", f"Enter {label}."))
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append((f"#{name}", f"Enter {label} as a real date, like 2025-03-31."))
        return None


def error_for(errors):
    return {anchor.lstrip("#"): message for anchor, message in errors}
