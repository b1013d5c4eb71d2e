"""The lifecycle tables: every status is reachable from the start, every status but the final
ones has a way out, and the documented diagram is generated from the table."""

from collections import deque

import pytest

from ncmd.learning import lifecycles
from ncmd.learning.models import PlanActionStatus, RecommendationStatus

TABLES = [
    (lifecycles.RECOMMENDATION_TRANSITIONS, RecommendationStatus, RecommendationStatus.ISSUED),
    (lifecycles.PLAN_ACTION_TRANSITIONS, PlanActionStatus, PlanActionStatus.PLANNED),
]


def reachable(table, start):
    seen, queue = {start}, deque([start])
    while queue:
        source = queue.popleft()
        for t in table:
            if t.source == source and t.target not in seen:
                seen.add(t.target)
                queue.append(t.target)
    return seen


@pytest.mark.parametrize(("table", "statuses", "start"), TABLES)
def test_every_status_is_reachable_and_can_be_left(table, statuses, start):
    assert reachable(table, start) == set(statuses)
    for status in statuses:
        assert any(t.source == status and t.target != status for t in table), status


@pytest.mark.parametrize(("table", "statuses", "start"), TABLES)
def test_one_row_per_move_with_known_who_and_needs(table, statuses, start):
    pairs = [(t.source, t.target) for t in table]
    assert len(pairs) == len(set(pairs))
    assert {t.who for t in table} <= {lifecycles.ADDRESSEE, lifecycles.PROGRAMME}
    assert {t.needs for t in table} <= set(lifecycles.NEEDS_WORDS)


def test_implemented_needs_evidence_and_not_accepted_a_reason():
    table = lifecycles.RECOMMENDATION_TRANSITIONS
    assert {t.needs for t in table if t.target == RecommendationStatus.IMPLEMENTED} == {"evidence"}
    assert {t.needs for t in table if t.target == RecommendationStatus.NOT_ACCEPTED} == {"reason"}
    closing = [t for t in table if t.target == RecommendationStatus.CLOSED]
    assert closing and all(t.who == lifecycles.PROGRAMME for t in closing)


def test_moves_from_depend_on_who_is_asking():
    table = lifecycles.RECOMMENDATION_TRANSITIONS
    addressee = lifecycles.moves_from(table, "implemented", programme=False, addressee=True)
    programme = lifecycles.moves_from(table, "implemented", programme=True, addressee=False)
    assert addressee == []
    assert {t.target for t in programme} == {"in_progress", "closed"}
    outsider = lifecycles.moves_from(table, "issued", programme=False, addressee=False)
    assert outsider == []


def test_diagram_lists_every_move():
    text = lifecycles.lifecycles_page()
    for t in lifecycles.RECOMMENDATION_TRANSITIONS + lifecycles.PLAN_ACTION_TRANSITIONS:
        assert f"{t.source.value} --> {t.target.value}: {t.label}" in text
