"""The demonstration learning data: made through the actions, varied, and made once."""

from ncmd.learning.demo import create_learning_demo
from ncmd.learning.models import (
    Addressee,
    Consultation,
    Intervention,
    PlanAction,
    QIPack,
    Recommendation,
)
from ncmd.registry.models import AuditEvent


def test_the_demo_is_varied_and_idempotent(world, users):
    facts = create_learning_demo(by=users["qi_lead"])
    assert facts["created"]
    statuses = set(Addressee.objects.values_list("status", flat=True))
    assert statuses >= {"issued", "acknowledged", "in_progress", "implemented", "not_accepted"}
    assert Recommendation.objects.filter(issued_at__isnull=False).count() == 4
    assert QIPack.objects.filter(published_at__isnull=False).count() == 1
    assert PlanAction.objects.count() == 3 and Intervention.objects.count() == 2
    assert Consultation.objects.count() == 2
    implemented = Addressee.objects.get(status="implemented")
    assert implemented.updates.first().files.get().original_name == "safer-sleep-audit.pdf"
    audited = set(AuditEvent.objects.values_list("action", flat=True))
    assert audited >= {
        "register_report",
        "add_recommendation",
        "issue_recommendation",
        "move_recommendation",
        "create_pack",
        "add_pack_material",
        "publish_pack",
        "add_goal",
        "add_workstream",
        "add_plan_action",
        "move_plan_action",
        "record_intervention",
        "record_consultation",
    }
    events = AuditEvent.objects.count()
    assert create_learning_demo(by=users["qi_lead"]) == {
        "report": facts["report"],
        "created": False,
    }
    assert AuditEvent.objects.count() == events
