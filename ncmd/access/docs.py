"""The generated page docs/access-request-lifecycle.md, written from the transition table by
`ncmd access docs` (with `--check` to prove the committed page is current)."""

from pathlib import Path

from django.conf import settings

from . import lifecycle
from .models import RequestStatus

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "access-request-lifecycle.md"

_WHO = {"applicant": "the applicant", "reviewer": "a reviewer", "system": "the system"}


def lifecycle_page():
    lines = [
        "# The data access request lifecycle",
        "",
        "Generated from `ncmd/access/lifecycle.py` by `ncmd access docs`; do not edit by hand. "
        "How to use each step is in [Research data access](data-access.md).",
        "",
        "```mermaid",
        lifecycle.mermaid_diagram(),
        "```",
        "",
        "## Statuses",
        "",
        "| status | who acts next |",
        "|---|---|",
    ]
    lines += [f"| {s.label} (`{s.value}`) | {lifecycle.STATUS_OWNERS[s]} |" for s in RequestStatus]
    lines += [
        "",
        "## Steps",
        "",
        "| step | from | to | who | what must be true first |",
        "|---|---|---|---|---|",
    ]
    for t in lifecycle.TRANSITIONS:
        sources = ", ".join(RequestStatus(s).label for s in t.sources)
        who = " or ".join(_WHO[w] for w in t.who)
        requires = "; ".join(lifecycle.REQUIREMENTS[r] for r in t.requires) or "nothing"
        lines.append(
            f"| {t.label} (`{t.name}`) | {sources} | {RequestStatus(t.target).label} | {who} | "
            f"{requires} |"
        )
    lines += [
        "",
        "Any other move is refused, with a message naming the steps possible from the request's "
        "status. Every move is recorded in the request's history and in the audit log.",
        "",
    ]
    return "\n".join(lines)
