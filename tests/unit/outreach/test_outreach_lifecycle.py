"""The lifecycles: every status reachable from the first, moves outside the table refused by
`allowed`, and the generated doc current."""

import pytest
from django.core.management import call_command

from ncmd.learning.outreach import lifecycle


@pytest.mark.parametrize("name", list(lifecycle.LIFECYCLES))
def test_every_status_is_reachable(name):
    statuses, table, initial = lifecycle.LIFECYCLES[name]
    reached, frontier = {initial}, [initial]
    while frontier:
        source = frontier.pop()
        for t in table:
            if t.source == source and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(statuses.values)


@pytest.mark.parametrize("name", list(lifecycle.LIFECYCLES))
def test_moves_outside_the_table_are_not_allowed(name):
    statuses, table, _ = lifecycle.LIFECYCLES[name]
    listed = {(t.source, t.target) for t in table}
    for source in statuses.values:
        for target in statuses.values:
            assert lifecycle.allowed(table, source, target) == ((source, target) in listed)


FINAL = {
    "Messages": {"sent", "discarded"},
    "Events": {"held", "cancelled"},
    "Topic proposals": {"scheduled", "declined"},
}


@pytest.mark.parametrize("name", list(lifecycle.LIFECYCLES))
def test_nothing_leaves_a_final_status(name):
    _, table, _ = lifecycle.LIFECYCLES[name]
    assert not [t for t in table if t.source in FINAL[name]]


def test_the_committed_lifecycle_doc_is_current():
    call_command("outreach", "docs", "--check")
