"""The QI plan action lifecycle through its actions: every move in the table, the refusals, and
only the responsible partners (or the programme) updating an action."""

import datetime

import pytest

from ncmd.learning import actions, lifecycles
from ncmd.learning.models import ActionUpdate, PlanActionStatus
from ncmd.registry.actions import ActionRefused
from ncmd.registry.models import AuditEvent
from tests.integration.learning.conftest import pdf

P = PlanActionStatus
ROUTES = {
    P.PLANNED: [],
    P.IN_PROGRESS: [P.IN_PROGRESS],
    P.AT_RISK: [P.IN_PROGRESS, P.AT_RISK],
    P.COMPLETE: [P.IN_PROGRESS, P.COMPLETE],
    P.STOPPED: [P.STOPPED],
}


@pytest.fixture
def plan_action(world, users):
    qi = users["qi_lead"]
    stream = actions.add_workstream(goal=actions.add_goal(title="G", by=qi), title="W", by=qi)
    return actions.add_plan_action(
        workstream=stream,
        text="Run training days.",
        by=qi,
        partners={world["nhse"]: "lead", world["tees"]: "support"},
        next_review_on=datetime.date(2030, 1, 1),
    )


def make_move(action, to, users):
    transition = lifecycles.find(lifecycles.PLAN_ACTION_TRANSITIONS, action.status, to)
    by = users["partner_contact"] if transition.who == lifecycles.ADDRESSEE else users["qi_lead"]
    kwargs = {"note": f"Note for {to}"} if transition.needs else {}
    if transition.needs == "evidence":
        kwargs["uploads"] = [pdf()]
    actions.move_plan_action(action=action, to=to, by=by, **kwargs)
    action.refresh_from_db()


@pytest.mark.parametrize(
    "transition", lifecycles.PLAN_ACTION_TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}"
)
def test_every_plan_transition_can_be_made_and_is_audited(transition, plan_action, users):
    for step in ROUTES[transition.source]:
        make_move(plan_action, step, users)
    before = AuditEvent.objects.filter(action="move_plan_action").count()
    make_move(plan_action, transition.target, users)
    assert plan_action.status == transition.target
    assert AuditEvent.objects.filter(action="move_plan_action").count() == before + 1


@pytest.mark.parametrize("source", list(P))
def test_every_plan_move_not_in_the_table_is_refused(source, plan_action, users):
    for step in ROUTES[source]:
        make_move(plan_action, step, users)
    allowed = {t.target for t in lifecycles.PLAN_ACTION_TRANSITIONS if t.source == source}
    for target in set(P) - allowed:
        with pytest.raises(ActionRefused, match="cannot become"):
            actions.move_plan_action(
                action=plan_action, to=target, by=users["qi_lead"], note="n", uploads=[pdf()]
            )


def test_only_responsible_partners_update_an_action(plan_action, users):
    for name in ("other_partner_contact", "other_cdop_admin", "cdop_member", "national_analyst"):
        with pytest.raises(ActionRefused, match="Only the partners responsible"):
            actions.move_plan_action(action=plan_action, to="in_progress", by=users[name], note="n")
    assert not ActionUpdate.objects.exists()
    actions.move_plan_action(
        action=plan_action, to="in_progress", by=users["cdop_admin"], note="Tees has started."
    )
    with pytest.raises(ActionRefused, match="done by the programme"):
        actions.move_plan_action(
            action=plan_action, to="stopped", by=users["partner_contact"], note="Stop"
        )
    with pytest.raises(ActionRefused, match="attach evidence"):
        actions.move_plan_action(
            action=plan_action, to="complete", by=users["partner_contact"], note="Done"
        )


def test_a_plan_action_needs_a_lead_partner(world, users):
    qi = users["qi_lead"]
    stream = actions.add_workstream(goal=actions.add_goal(title="G", by=qi), title="W", by=qi)
    with pytest.raises(ActionRefused, match="one partner as the lead"):
        actions.add_plan_action(
            workstream=stream,
            text="T",
            by=qi,
            partners={world["nhse"]: "support"},
            next_review_on=datetime.date(2030, 1, 1),
        )
