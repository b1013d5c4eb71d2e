"""A case's lifecycle: its statuses, the one table of allowed moves, and who makes them.

Moves that need something to be true first (an analysis form before "reviewed") are checked by
`change_case_status`; this table only says which moves exist.
"""

from .models import CaseStatus

S = CaseStatus

TRANSITIONS = {
    S.NOTIFIED: {S.GATHERING, S.CLOSED},
    S.GATHERING: {S.READY, S.NOTIFIED},
    S.READY: {S.REVIEWED, S.GATHERING},
    S.REVIEWED: {S.CLOSED, S.READY},
    S.CLOSED: {S.REVIEWED},
}

STATUS_OWNERS = {
    S.NOTIFIED: "whoever notifies the death; the CDOP administrator checks the notification",
    S.GATHERING: "the CDOP administrator, who requests and chases the agencies' reporting forms",
    S.READY: "the CDOP administrator, once the forms are in and the case can go to panel",
    S.REVIEWED: "the CDOP, once the panel has completed the analysis form",
    S.CLOSED: "the CDOP administrator; also a notification linked as a duplicate",
}

# What must be true before a case may enter a status, as (check name, message).
ENTRY_CONDITIONS = {
    S.REVIEWED: ("analysis_submitted", "Submit the analysis form before marking it reviewed."),
}


def can_move(current, target):
    return CaseStatus(target) in TRANSITIONS[CaseStatus(current)]


def mermaid_diagram():
    """The lifecycle as a Mermaid state diagram, for the documentation."""
    lines = ["stateDiagram-v2", f"    [*] --> {S.NOTIFIED.value}"]
    for source, targets in TRANSITIONS.items():
        for target in sorted(targets, key=list(CaseStatus).index):
            lines.append(f"    {source.value} --> {target.value}")
    return "\n".join(lines)
