"""The lifecycles of messages, events and topic proposals: one transition table each, read by
the actions (is this move allowed?) and drawn for the docs (`ncmd outreach docs`)."""

from dataclasses import dataclass

from .models import EventStatus, MessageStatus, TopicStatus

MANAGER = "national admin or QI lead"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    who: str
    requires: str


MESSAGE = [
    Transition(MessageStatus.DRAFT, MessageStatus.SENDING, MANAGER,
               "a subject, a body and at least one recipient who consented"),
    Transition(MessageStatus.SENDING, MessageStatus.SENT, "the system",
               "every recipient tried once; failed deliveries can be retried"),
    Transition(MessageStatus.DRAFT, MessageStatus.DISCARDED, MANAGER, "nothing"),
]  # fmt: skip

EVENT = [
    Transition(EventStatus.SCHEDULED, EventStatus.HELD, MANAGER,
               "the event has started; attendance is recorded next"),
    Transition(EventStatus.SCHEDULED, EventStatus.CANCELLED, MANAGER,
               "the event has not been held; registrations are kept for the record"),
]  # fmt: skip

TOPIC = [
    Transition(TopicStatus.PROPOSED, TopicStatus.OPEN, MANAGER, "the proposal is suitable"),
    Transition(TopicStatus.PROPOSED, TopicStatus.DECLINED, MANAGER, "a reason for the proposer"),
    Transition(TopicStatus.OPEN, TopicStatus.DECLINED, MANAGER, "a reason"),
    Transition(TopicStatus.OPEN, TopicStatus.SCHEDULED, MANAGER,
               "an event is created on the topic"),
    Transition(TopicStatus.PROPOSED, TopicStatus.SCHEDULED, MANAGER,
               "an event is created on the topic"),
]  # fmt: skip

LIFECYCLES = {
    "Messages": (MessageStatus, MESSAGE, MessageStatus.DRAFT),
    "Events": (EventStatus, EVENT, EventStatus.SCHEDULED),
    "Topic proposals": (TopicStatus, TOPIC, TopicStatus.PROPOSED),
}


def allowed(table, source, target):
    return any(t.source == source and t.target == target for t in table)


def mermaid(table, statuses, initial):
    labels = dict(statuses.choices)
    lines = ["stateDiagram-v2", f"    [*] --> {initial}"]
    lines += [f"    {value}: {labels[value]}" for value in statuses.values]
    lines += [f"    {t.source} --> {t.target}: {t.who}" for t in table]
    return "\n".join(lines)


def lifecycle_doc():
    """The Markdown of docs/outreach-lifecycles.md."""
    parts = [
        "# Outreach lifecycles",
        "",
        "Generated from `ncmd/learning/outreach/lifecycle.py` by `ncmd outreach docs`; do not "
        "edit by hand (`ncmd outreach docs --check` fails when this file is out of date).",
    ]
    for name, (statuses, table, initial) in LIFECYCLES.items():
        parts += ["", f"## {name}", "", "```mermaid", mermaid(table, statuses, initial), "```",
                  "", "| from | to | who | requires |", "|---|---|---|---|"]  # fmt: skip
        labels = dict(statuses.choices)
        parts += [
            f"| {labels[t.source]} | {labels[t.target]} | {t.who} | {t.requires} |" for t in table
        ]
    return "\n".join(parts) + "\n"
