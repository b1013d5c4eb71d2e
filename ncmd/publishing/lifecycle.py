"""A data release's lifecycle: the one table of allowed moves, who makes them and what each
needs. `ncmd release docs` draws it for docs/publishing-lifecycle.md."""

from dataclasses import dataclass

from ncmd.registry.authorization import Permission

from .models import ReleaseStatus

S = ReleaseStatus


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    permission: Permission
    who: str
    needs: str


TRANSITIONS = (
    Transition(
        S.BUILT,
        S.PUBLISHED,
        Permission.PUBLISH_ANALYSES,
        "a national analyst or administrator",
        "nothing more: the files were checked when built",
    ),
    Transition(S.BUILT, S.DELETED, Permission.USE_ADMIN, "a national administrator", "a reason"),
    Transition(
        S.PUBLISHED,
        S.WITHDRAWN,
        Permission.USE_ADMIN,
        "a national administrator",
        "a reason, shown on the public page",
    ),
    Transition(
        S.WITHDRAWN, S.DELETED, Permission.USE_ADMIN, "a national administrator", "a reason"
    ),
)

STATUS_OWNERS = {
    S.BUILT: "the national analyst who built it, for checking before publication",
    S.PUBLISHED: "the public: its tables and files are on the statistics pages",
    S.WITHDRAWN: "a national administrator; the public page says it was withdrawn and why, "
    "and its files are no longer served",
    S.DELETED: "a national administrator; its files are removed, its record and checksums stay",
}


def transition(source, target):
    """The allowed move from `source` to `target`, or None."""
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def mermaid_diagram():
    lines = ["stateDiagram-v2", f"    [*] --> {S.BUILT.value}"]
    lines += [f"    {t.source.value} --> {t.target.value}" for t in TRANSITIONS]
    return "\n".join(lines)


def lifecycle_page():
    """The generated documentation page of the lifecycle (Markdown)."""
    lines = [
        "# The data release lifecycle",
        "",
        "Generated from `ncmd/publishing/lifecycle.py` by `ncmd release docs`; do not edit by "
        "hand.",
        "",
        "```mermaid",
        mermaid_diagram(),
        "```",
        "",
        "| from | to | who | needs |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t.source.label} | {t.target.label} | {t.who} | {t.needs} |" for t in TRANSITIONS]
    lines += ["", "| status | meaning |", "|---|---|"]
    lines += [f"| {status.label} | {owner} |" for status, owner in STATUS_OWNERS.items()]
    return "\n".join(lines) + "\n"
