"""A data access request's lifecycle: its statuses, the one table of allowed moves, who makes
each move and what must be true first. `ncmd.access.actions.move_request` is the only code
that changes a request's status, and it reads this table; the documentation's diagram is
generated from it too (`ncmd access docs`)."""

from dataclasses import dataclass

from .models import RequestStatus

S = RequestStatus
APPLICANT, REVIEWER, SYSTEM = "applicant", "reviewer", "system"

# What a move may require, with the words the documentation and refusals use.
REQUIREMENTS = {
    "complete_application": "every section of the application is complete",
    "approved_researcher": "the applicant's researcher registration has been approved",
    "note": "a note: what is asked, the response, or the reasons",
    "five_safes": "an assessment against each of the Five Safes, none of them 'not met'",
    "approved_fields": "at least one approved field, each with its coarsening, and an end date",
    "first_application": "no earlier version of the request was approved",
    "change_of_released": "the version is an amendment or extension of a request whose data "
    "were released",
    "extension_of_released": "the version is an extension (no new fields) of a request whose "
    "data were released",
    "passing_extract": "an extract of the approved version that passed the disclosure risk check",
    "change_drafted": "a complete amendment or extension has been drafted",
    "data_were_released": "data were released under the request",
    "declaration": "the researcher's declaration that every copy was destroyed, and when",
}


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button's words
    sources: tuple
    target: RequestStatus
    who: tuple  # applicant, reviewer, system
    requires: tuple = ()


TRANSITIONS = (
    Transition(
        "submit",
        "Submit the application",
        (S.DRAFT,),
        S.SUBMITTED,
        (APPLICANT,),
        ("complete_application", "approved_researcher"),
    ),
    Transition(
        "withdraw",
        "Withdraw the application",
        (S.DRAFT, S.SUBMITTED, S.MORE_INFORMATION),
        S.CLOSED,
        (APPLICANT,),
        ("first_application",),
    ),
    Transition("start_review", "Start the review", (S.SUBMITTED,), S.UNDER_REVIEW, (REVIEWER,)),
    Transition(
        "request_information",
        "Ask the applicant for more information",
        (S.UNDER_REVIEW,),
        S.MORE_INFORMATION,
        (REVIEWER,),
        ("note",),
    ),
    Transition(
        "respond",
        "Send the response",
        (S.MORE_INFORMATION,),
        S.SUBMITTED,
        (APPLICANT,),
        ("note", "complete_application"),
    ),
    Transition(
        "approve",
        "Approve with conditions",
        (S.UNDER_REVIEW,),
        S.APPROVED,
        (REVIEWER,),
        ("note", "five_safes", "approved_fields"),
    ),
    Transition(
        "approve_extension",
        "Approve the extension",
        (S.UNDER_REVIEW,),
        S.DATA_RELEASED,
        (REVIEWER,),
        ("note", "five_safes", "extension_of_released"),
    ),
    Transition(
        "refuse", "Refuse", (S.UNDER_REVIEW,), S.REFUSED, (REVIEWER,), ("note", "first_application")
    ),
    Transition(
        "refuse_change",
        "Refuse the change (the earlier approval stands)",
        (S.UNDER_REVIEW,),
        S.DATA_RELEASED,
        (REVIEWER,),
        ("note", "change_of_released"),
    ),
    Transition(
        "release",
        "Release the extract",
        (S.APPROVED, S.DATA_RELEASED),
        S.DATA_RELEASED,
        (REVIEWER,),
        ("passing_extract",),
    ),
    Transition(
        "submit_change",
        "Submit the amendment or extension",
        (S.DATA_RELEASED,),
        S.SUBMITTED,
        (APPLICANT,),
        ("change_drafted",),
    ),
    Transition(
        "close",
        "Close the request",
        (S.APPROVED, S.DATA_RELEASED),
        S.CLOSED,
        (REVIEWER, SYSTEM),
        ("note",),
    ),
    Transition(
        "declare_destruction",
        "Declare the data destroyed",
        (S.DATA_RELEASED, S.CLOSED),
        S.DATA_DESTROYED,
        (APPLICANT,),
        ("data_were_released", "declaration"),
    ),
)

BY_NAME = {t.name: t for t in TRANSITIONS}

STATUS_OWNERS = {
    S.DRAFT: "the applicant, writing the application",
    S.SUBMITTED: "the reviewers, who pick it up from their queue",
    S.UNDER_REVIEW: "the reviewer, assessing it against the Five Safes",
    S.MORE_INFORMATION: "the applicant, who answers what the reviewer asked",
    S.APPROVED: "the reviewer, who builds and checks the extract",
    S.REFUSED: "nobody: the decision and its reasons are final",
    S.DATA_RELEASED: "the applicant, who holds the data until the end date",
    S.CLOSED: "the applicant, who must destroy the data and declare it",
    S.DATA_DESTROYED: "nobody: the request is finished",
}

# What the applicant is asked to do in each status (shown on their request page).
APPLICANT_NEXT = {
    S.DRAFT: "Complete every section and submit the application.",
    S.SUBMITTED: "Nothing: a reviewer will pick up your application.",
    S.UNDER_REVIEW: "Nothing: a reviewer is assessing your application.",
    S.MORE_INFORMATION: "Answer the reviewer's questions: change the application if needed, "
    "then send your response.",
    S.APPROVED: "Nothing yet: the reviewers are preparing your extract.",
    S.REFUSED: "Nothing: read the reasons below. You may make a new application.",
    S.DATA_RELEASED: "Download your extract, keep to the conditions, submit your outputs for "
    "checking before you publish, and destroy the data by the end date.",
    S.CLOSED: "Destroy every copy of the data and declare it below.",
    S.DATA_DESTROYED: "Nothing: the request is finished.",
}


def allowed(status):
    """The transitions that leave `status`."""
    return [t for t in TRANSITIONS if RequestStatus(status) in t.sources]


def mermaid_diagram():
    """The lifecycle as a Mermaid state diagram, for the documentation."""
    lines = ["stateDiagram-v2", f"    [*] --> {S.DRAFT.value}"]
    for transition in TRANSITIONS:
        for source in transition.sources:
            who = " or ".join(transition.who)
            lines.append(
                f"    {source.value} --> {transition.target.value}: {transition.name} ({who})"
            )
    for terminal in (S.REFUSED, S.DATA_DESTROYED):
        lines.append(f"    {terminal.value} --> [*]")
    return "\n".join(lines)
