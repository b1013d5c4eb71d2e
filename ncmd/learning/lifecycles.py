"""The lifecycles of learning: an addressed organisation's response to a recommendation, and an
action of the QI plan. Each has ONE table of allowed moves, saying who makes each move and what
it needs; the actions check it and the documentation's diagrams are generated from it.

Who:
- "addressee": a user with UPDATE_ADDRESSED_ACTIONS whose organisation the recommendation (or the
  plan action) is addressed to; the programme (MANAGE_LEARNING) may also record it on the
  organisation's behalf, for instance from a letter.
- "programme": MANAGE_LEARNING only (the QI lead, national administrators).

Needs:
- "": nothing beyond the move itself (a note is optional);
- "note": a note saying what is being done;
- "reason": a reason, kept with the response (why not accepted, why reopened);
- "evidence": a note of what was done and at least one file or link showing it.
"""

from dataclasses import dataclass

from .models import PlanActionStatus, RecommendationStatus

ADDRESSEE, PROGRAMME = "addressee", "programme"
NEEDS_WORDS = {
    "": "nothing more",
    "note": "a progress note",
    "reason": "a reason",
    "evidence": "evidence: a note and at least one file or link",
}
WHO_WORDS = {
    ADDRESSEE: "the addressed organisation (or the programme on its behalf)",
    PROGRAMME: "the programme (QI lead or national administrator)",
}


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    who: str
    needs: str
    label: str


R = RecommendationStatus
RECOMMENDATION_TRANSITIONS = [
    Transition(R.ISSUED, R.ACKNOWLEDGED, ADDRESSEE, "", "Acknowledge"),
    Transition(R.ISSUED, R.NOT_ACCEPTED, ADDRESSEE, "reason", "Do not accept"),
    Transition(R.ACKNOWLEDGED, R.IN_PROGRESS, ADDRESSEE, "note", "Start work"),
    Transition(R.ACKNOWLEDGED, R.NOT_ACCEPTED, ADDRESSEE, "reason", "Do not accept"),
    Transition(R.IN_PROGRESS, R.IN_PROGRESS, ADDRESSEE, "note", "Report progress"),
    Transition(R.IN_PROGRESS, R.IMPLEMENTED, ADDRESSEE, "evidence", "Mark implemented"),
    Transition(R.IN_PROGRESS, R.NOT_ACCEPTED, ADDRESSEE, "reason", "Do not accept"),
    Transition(R.NOT_ACCEPTED, R.ACKNOWLEDGED, ADDRESSEE, "note", "Reconsider"),
    Transition(R.IMPLEMENTED, R.IN_PROGRESS, PROGRAMME, "reason", "Ask for more evidence"),
    Transition(R.IMPLEMENTED, R.CLOSED, PROGRAMME, "", "Close"),
    Transition(R.NOT_ACCEPTED, R.CLOSED, PROGRAMME, "", "Close"),
    Transition(R.CLOSED, R.IN_PROGRESS, PROGRAMME, "reason", "Reopen"),
]

RECOMMENDATION_OWNERS = {
    R.ISSUED: "the programme, when it issues the recommendation",
    R.ACKNOWLEDGED: "the addressed organisation",
    R.IN_PROGRESS: "the addressed organisation; the programme when it asks for more evidence",
    R.IMPLEMENTED: "the addressed organisation, with evidence",
    R.NOT_ACCEPTED: "the addressed organisation, with a reason",
    R.CLOSED: "the programme, once it has checked the evidence or the reason",
}

P = PlanActionStatus
PLAN_ACTION_TRANSITIONS = [
    Transition(P.PLANNED, P.IN_PROGRESS, ADDRESSEE, "note", "Start work"),
    Transition(P.IN_PROGRESS, P.IN_PROGRESS, ADDRESSEE, "note", "Report progress"),
    Transition(P.IN_PROGRESS, P.AT_RISK, ADDRESSEE, "reason", "Flag as at risk"),
    Transition(P.AT_RISK, P.IN_PROGRESS, ADDRESSEE, "note", "Back on track"),
    Transition(P.IN_PROGRESS, P.COMPLETE, ADDRESSEE, "evidence", "Mark complete"),
    Transition(P.COMPLETE, P.IN_PROGRESS, PROGRAMME, "reason", "Reopen"),
    Transition(P.PLANNED, P.STOPPED, PROGRAMME, "reason", "Stop"),
    Transition(P.IN_PROGRESS, P.STOPPED, PROGRAMME, "reason", "Stop"),
    Transition(P.AT_RISK, P.STOPPED, PROGRAMME, "reason", "Stop"),
    Transition(P.STOPPED, P.PLANNED, PROGRAMME, "reason", "Restart"),
]

PLAN_ACTION_OWNERS = {
    P.PLANNED: "the programme, when it adds the action to the plan",
    P.IN_PROGRESS: "the responsible partners",
    P.AT_RISK: "the responsible partners, with a reason",
    P.COMPLETE: "the responsible partners, with evidence",
    P.STOPPED: "the programme, with a reason",
}


def find(table, source, target):
    """The transition from `source` to `target`, or None when there is no such move."""
    return next((t for t in table if t.source == source and t.target == target), None)


def moves_from(table, source, *, programme, addressee):
    """The moves out of `source` that someone who is (or is not) the programme and (or) an
    addressee may make."""
    return [
        t
        for t in table
        if t.source == source
        and (
            (t.who == PROGRAMME and programme) or (t.who == ADDRESSEE and (addressee or programme))
        )
    ]


def mermaid_diagram(table, statuses, start):
    lines = ["stateDiagram-v2", f"    [*] --> {start}"]
    order = list(statuses)
    for t in sorted(table, key=lambda t: (order.index(t.source), order.index(t.target))):
        lines.append(f"    {t.source.value} --> {t.target.value}: {t.label}")
    return "\n".join(lines)


def lifecycles_page():
    """docs/learning-lifecycles.md, generated by `ncmd learning docs`."""
    lines = [
        "# The lifecycles of recommendations and QI plan actions",
        "",
        "Generated from `ncmd/learning/lifecycles.py` by `ncmd learning docs`; do not edit it.",
        "See [Learning into action](learning.md) for how to use them.",
        "",
    ]
    for title, table, statuses, start, owners in (
        ("A recommendation, for each organisation it is addressed to",
         RECOMMENDATION_TRANSITIONS, RecommendationStatus, R.ISSUED, RECOMMENDATION_OWNERS),
        ("An action of the QI plan", PLAN_ACTION_TRANSITIONS, PlanActionStatus, P.PLANNED,
         PLAN_ACTION_OWNERS),
    ):  # fmt: skip
        lines += [f"## {title}", "", "```mermaid", mermaid_diagram(table, statuses, start), "```"]
        lines += ["", "| from | to | move | who | needs |", "|---|---|---|---|---|"]
        for t in table:
            lines.append(
                f"| {statuses(t.source).label} | {statuses(t.target).label} | {t.label} | "
                f"{WHO_WORDS[t.who]} | {NEEDS_WORDS[t.needs]} |"
            )
        lines += ["", "| status | who moves it there |", "|---|---|"]
        lines += [f"| {status.label} | {owner} |" for status, owner in owners.items()]
        lines.append("")
    return "\n".join(lines)
