"""Seed the learning browser tests' database through the actions; prints key=value facts.

A national QI lead, NHS England's contact and a CDOP administrator; a registered report to add
recommendations to; fourteen months of deaths with data quality computed, in which Tees CDOP
notifies late less often after a training day in August 2024; that training intervention; a QI
plan and a published QI pack: every learning page has something to show for the documentation's
screenshots."""

import datetime

import django

django.setup()

from ncmd.dictionary.identifiers import with_check_digit  # noqa: E402
from ncmd.learning import actions  # noqa: E402
from ncmd.quality.compute import compute_quality  # noqa: E402
from ncmd.registry import actions as registry  # noqa: E402
from ncmd.registry.models import Role  # noqa: E402
from ncmd.snapshots.actions import freeze_snapshot  # noqa: E402
from tests.factories import notification_answers  # noqa: E402

TRAINING = datetime.date(2024, 8, 1)

PASSWORD = "functional-test-password"


def seed():
    save = registry.save_organisation
    england = save(code="E92000001", name="England", type="nation", by=None)
    north = save(code="E12000001", name="North East", type="region", parent=england, by=None)
    tees = save(code="CDOP001", name="Tees CDOP", type="cdop", parent=north, by=None)
    durham = save(code="CDOP002", name="Durham CDOP", type="cdop", parent=north, by=None)
    nhse = save(code="PTN-NHSE", name="NHS England", type="partner", parent=england, by=None)
    dfe = save(
        code="PTN-DFE", name="Department for Education", type="partner", parent=england, by=None
    )
    user = registry.create_user
    qi = user(
        username="qi-lead",
        role=Role.QI_LEAD,
        password=PASSWORD,
        by=None,
        first_name="Quinn",
        last_name="Improver",
    )
    user(
        username="partner-contact",
        role=Role.PARTNER_CONTACT,
        organisation=nhse,
        password=PASSWORD,
        by=None,
        first_name="Pat",
        last_name="Partner",
    )
    tees_admin = user(
        username="tees-admin",
        role=Role.CDOP_ADMIN,
        organisation=tees,
        password=PASSWORD,
        by=None,
        first_name="Tess",
        last_name="Admin",
    )
    durham_admin = user(
        username="durham-admin",
        role=Role.CDOP_ADMIN,
        organisation=durham,
        password=PASSWORD,
        by=None,
    )
    seed_deaths(tees=tees, durham=durham, by=[tees_admin, durham_admin])

    report = actions.register_report(
        title="Child death review in England: national report",
        kind="national",
        published_on=datetime.date(2025, 6, 1),
        by=qi,
        summary="What the reviews of children's deaths completed in the year tell us.",
        key_findings="About 3 in 10 child deaths were sudden and unexpected.\n"
        "Reviewed deaths with modifiable factors rose to 48%.",
    )
    safer = actions.add_recommendation(
        report=report,
        theme="safer_sleep",
        organisations=[nhse, tees],
        owner="Clinical lead",
        audiences=["midwives", "health_visitors"],
        due_on=datetime.date(2026, 6, 30),
        by=qi,
        text="Every family should receive consistent safer sleep advice at discharge from the "
        "maternity unit and at each health visitor contact.",
    )
    actions.issue_recommendation(recommendation=safer, by=qi)
    pack = actions.create_pack(
        report=report,
        audience="midwives",
        title="Safer sleep: a QI pack for midwives",
        by=qi,
        summary="Midwives give families their first safer sleep advice: this pack helps your unit "
        "make it consistent.",
        key_findings=report.key_findings,
        aim="Every family discharged receives and understands safer sleep advice.",
        measures="Discharges with safer sleep advice recorded\nFamilies recalling the advice",
        change_ideas="A checklist item at discharge\nA teach-back question",
        pdsa_cycles="Test the checklist on one ward for two weeks",
    )
    actions.add_pack_material(
        pack=pack,
        title="The Lullaby Trust: safer sleep advice",
        by=qi,
        url="https://www.lullabytrust.org.uk/safer-sleep-advice/",
    )
    actions.publish_pack(pack=pack, by=qi)
    goal = actions.add_goal(
        title="Improve the completeness and timeliness of child death data", by=qi
    )
    stream = actions.add_workstream(
        goal=goal, title="Training and guidance for CDOPs", by=qi, lead="Data quality lead"
    )
    action = actions.add_plan_action(
        workstream=stream,
        text="Run regional training days on the notification form.",
        by=qi,
        partners={tees: "lead", durham: "support", nhse: "support"},
        next_review_on=datetime.date(2026, 1, 15),
    )
    actions.add_plan_action(
        workstream=stream,
        text="Publish an updated reporting-form crib sheet.",
        partners={nhse: "lead", dfe: "support"},
        by=qi,
        next_review_on=datetime.date(2026, 2, 1),
    )
    actions.record_intervention(
        kind="training",
        title="Regional training day",
        held_on=TRAINING,
        cdops=[tees, durham],
        audiences=["cdops"],
        plan_action=action,
        by=qi,
        description="Completing the notification form, for CDOP administrators.",
    )
    actions.record_consultation(
        report=report,
        recommendation=safer,
        group="The Lullaby Trust",
        group_kind="bereavement_charity",
        consulted_on=datetime.date(2025, 4, 20),
        by=qi,
        asked="Does the recommendation reflect families' experience?",
        changed="It now covers every health visitor contact, not only discharge.",
    )
    print(f"password={PASSWORD}")
    print(f"report={report.pk}")
    print(f"pack={pack.pk}")


def seed_deaths(*, tees, durham, by):
    """Three deaths a month for fourteen months in each CDOP. Before the training, Tees notifies
    one or two of them after 48 hours; after it, none."""
    numbers = (n for n in (with_check_digit(f"999{i:06d}") for i in range(5000, 9000)) if n)
    for month in range(14):
        first = datetime.date(2024 + month // 12, month % 12 + 1, 1)
        for cdop, user in zip((tees, durham), by, strict=True):
            late = 1 + month % 2 if cdop is durham or first < TRAINING else 0
            for k in range(3):
                died = first + datetime.timedelta(days=3 + 7 * k)
                at = datetime.datetime.combine(died, datetime.time(12), tzinfo=datetime.UTC)
                delay = datetime.timedelta(hours=70 if k < late else 10)
                release = "2019-04" if died < datetime.date(2025, 4, 1) else "2025-04"
                registry.notify_death(
                    cdop=cdop, by=user, at=at + delay,
                    answers=notification_answers(
                        release, nhs_number=next(numbers), date_of_death=died.isoformat(),
                        date_of_birth=(died - datetime.timedelta(days=40 + k)).isoformat(),
                    ),
                )  # fmt: skip
    snapshot = freeze_snapshot(by=None)
    compute_quality(snapshot.folder)


if __name__ == "__main__":
    seed()
