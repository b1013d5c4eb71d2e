"""Demonstration learning data, made through the actions: a national report with recommendations
addressed to partners and CDOPs in several states, a QI pack, a QI plan with goals, workstreams and
actions, two improvement interventions and patient and public involvement.

Dates are set relative to today, so that the interventions and the issue date fall inside the
synthetic data's months and their before-and-after comparisons have months on both sides.
Running it again changes nothing (it looks for the report by title).
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ncmd.registry.models import Organisation, OrganisationType, User

from . import actions
from .models import Report

TITLE = "Child death review in England: national report"


def _at(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def _evidence_pdf():
    """A small, real PDF for the demo's evidence (drawn with matplotlib, already installed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(4, 2))
    figure.text(0.05, 0.5, "Safer sleep audit: 92% of discharges\nwith safer sleep advice given")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf", metadata={"CreationDate": None})
    plt.close(figure)
    return SimpleUploadedFile("safer-sleep-audit.pdf", buffer.getvalue(), "application/pdf")


def create_learning_demo(*, by=None, today=None):
    """Create the demonstration set once; return a few facts about it."""
    existing = Report.objects.filter(title=TITLE).first()
    if existing:
        return {"report": existing.pk, "created": False}
    today = today or timezone.localdate()
    by = by or User.objects.filter(role="qi_lead").first()
    partners = {o.code: o for o in Organisation.objects.filter(type=OrganisationType.PARTNER)}
    cdops = list(Organisation.objects.filter(type=OrganisationType.CDOP).order_by("name")[:6])
    nhse, dfe = partners.get("PTN-NHSE"), partners.get("PTN-DFE")
    if not (nhse and dfe and len(cdops) >= 3):
        raise RuntimeError(
            "The learning demo needs NHS England, the Department for Education and three CDOPs: "
            "load the reference data first (ncmd load_reference)."
        )
    contact = User.objects.filter(role="partner_contact", organisation=nhse).first()
    published = today - datetime.timedelta(days=300)
    report = actions.register_report(
        title=TITLE, kind="national", published_on=published, by=by, at=_at(published),
        summary="What the reviews of children's deaths completed in the year tell us, and what "
        "national and local organisations should change as a result.",
        key_findings="About 3 in 10 child deaths were sudden and unexpected.\n"
        "Reviewed deaths with modifiable factors rose to 48%.\n"
        "Deaths were more than twice as common in the most deprived areas as in the least.\n"
        "Ethnicity was not recorded for some notifications, hiding inequalities.",
    )  # fmt: skip
    make = actions.add_recommendation
    common = {"report": report, "by": by, "at": _at(published)}
    r1 = make(**common, theme="safer_sleep", organisations=[nhse, *cdops[:2]],
              audiences=["midwives", "health_visitors"], owner="Programme clinical lead",
              due_on=today + datetime.timedelta(days=60), review_interval_days=90,
              text="Every family should receive consistent safer sleep advice at discharge from "
              "the maternity unit and at each health visitor contact.")  # fmt: skip
    r2 = make(**common, theme="data_quality", organisations=cdops[:3], audiences=["cdops"],
              owner="Data quality lead", indicator="ethnicity_recorded",
              due_on=today - datetime.timedelta(days=30), review_interval_days=60,
              text="CDOPs should record the child's ethnicity on every notification, asking the "
              "family or the child's records rather than leaving it not known.")  # fmt: skip
    r3 = make(**common, theme="suicide", organisations=[dfe], audiences=["teachers"],
              owner="Programme director", due_on=today + datetime.timedelta(days=180),
              text="Schools should be supported to recognise and respond to children at risk "
              "of suicide, with national guidance on information sharing.")  # fmt: skip
    r4 = make(**common, theme="inequalities", organisations=[nhse], audiences=["policy_makers"],
              owner="Programme director", due_on=today + datetime.timedelta(days=240),
              text="National programmes to reduce child mortality should target the most "
              "deprived areas first.")  # fmt: skip
    issued = _at(published + datetime.timedelta(days=7))
    for recommendation in (r1, r2, r3, r4):
        actions.issue_recommendation(recommendation=recommendation, by=by, at=issued)
    move = actions.move_recommendation

    def response(recommendation, organisation):
        return recommendation.addressees.get(organisation=organisation)

    step = datetime.timedelta(days=30)
    nhse_r1 = response(r1, nhse)
    move(addressee=nhse_r1, to="acknowledged", by=contact or by, at=issued + step)
    move(addressee=nhse_r1, to="in_progress", by=contact or by, at=issued + 2 * step,
         note="Safer sleep advice added to the national maternity discharge checklist; "
         "audit of uptake under way in 20 trusts.")  # fmt: skip
    move(addressee=nhse_r1, to="implemented", by=contact or by, at=issued + 5 * step,
         note="Audit complete: 92% of discharges recorded safer sleep advice.",
         links=["https://www.lullabytrust.org.uk/safer-sleep-advice/"],
         uploads=[_evidence_pdf()])  # fmt: skip
    move(addressee=response(r1, cdops[0]), to="acknowledged", by=by, at=issued + step)
    for cdop in cdops[:2]:
        addressee = response(r2, cdop)
        move(addressee=addressee, to="acknowledged", by=by, at=issued + step)
        move(
            addressee=addressee,
            to="in_progress",
            by=by,
            at=issued + 2 * step,
            note="Ethnicity is now asked at notification; panel checks the field monthly.",
        )
    move(addressee=response(r3, dfe), to="not_accepted", by=by, at=issued + 3 * step,
         note="Information-sharing guidance for schools is already under review in the "
         "department's keeping children safe in education programme.")  # fmt: skip

    pack = actions.create_pack(
        report=report, audience="midwives", title="Safer sleep: a QI pack for midwives", by=by,
        summary="Sudden unexpected deaths in infancy are the commonest kind of sudden death in "
        "children, and unsafe sleep is their most common modifiable factor. Midwives give families "
        "their first safer sleep advice: this pack helps your unit make it consistent.",
        key_findings=report.key_findings,
        aim="Every family discharged from our unit receives and understands safer sleep advice "
        "within 6 months.",
        measures="Outcome: families recalling safer sleep advice at the first health visitor "
        "contact\nProcess: discharges with safer sleep advice recorded\nBalancing: discharge "
        "delays",
        change_ideas="A safer sleep item on the discharge checklist\nA short video for families "
        "in the postnatal ward\nA teach-back question at discharge",
        pdsa_cycles="Test the checklist item on one ward for two weeks\nAudit 20 discharges and "
        "ask five families what they recall\nSpread to every ward once 90% is reached",
    )  # fmt: skip
    actions.add_pack_material(
        pack=pack,
        title="The Lullaby Trust: safer sleep advice",
        by=by,
        url="https://www.lullabytrust.org.uk/safer-sleep-advice/",
    )
    actions.publish_pack(pack=pack, by=by)

    goal = actions.add_goal(
        title="Improve the completeness and timeliness of child death data",
        by=by,
        description="So that national learning rests on complete data.",
    )
    stream = actions.add_workstream(goal=goal, title="Training and guidance for CDOPs", by=by,
                                    lead="Data quality lead")  # fmt: skip
    a1 = actions.add_plan_action(
        workstream=stream, text="Run regional training days on completing the notification "
        "form, with a focus on ethnicity and deprivation fields.",
        partners={cdops[0]: "lead", cdops[1]: "support", nhse: "support"},
        next_review_on=today + datetime.timedelta(days=30), by=by, recommendation=r2,
    )  # fmt: skip
    a2 = actions.add_plan_action(
        workstream=stream, text="Publish an updated crib sheet for the reporting forms.",
        partners={nhse: "lead", dfe: "support"}, by=by,
        next_review_on=today - datetime.timedelta(days=5),
    )  # fmt: skip
    goal2 = actions.add_goal(title="Turn national recommendations into local change", by=by)
    stream2 = actions.add_workstream(goal=goal2, title="Safer sleep", by=by, lead="NHS England")
    actions.add_plan_action(
        workstream=stream2, text="Add safer sleep advice to the maternity discharge checklist.",
        partners={nhse: "lead"}, next_review_on=today + datetime.timedelta(days=60), by=by,
        recommendation=r1,
    )  # fmt: skip
    actions.move_plan_action(action=a1, to="in_progress", by=by, at=_at(today - step),
                             note="Two of four regional days held.")  # fmt: skip
    actions.move_plan_action(action=a2, to="in_progress", by=contact or by,
                             at=_at(today - 2 * step), note="Draft crib sheet with CDOP leads.",
                             next_review_on=today - datetime.timedelta(days=5))  # fmt: skip

    actions.record_intervention(
        kind="training", title="Regional training day: notification form", by=by,
        held_on=today - datetime.timedelta(days=365), cdops=cdops[:3], audiences=["cdops"],
        indicators_aimed=["ethnicity_recorded", "deprivation_known"], plan_action=a1,
        description="A day on completing the notification form, for CDOP administrators.",
    )  # fmt: skip
    actions.record_intervention(
        kind="crib_sheet", title="Crib sheet: recording ethnicity", by=by,
        held_on=today - datetime.timedelta(days=180), cdops=cdops, audiences=["cdops"],
        indicators_aimed=["ethnicity_recorded"],
    )  # fmt: skip

    actions.record_consultation(
        report=report, group="NCMD patient and public involvement group", group_kind="ppi_group",
        consulted_on=published - datetime.timedelta(days=40), by=by,
        asked="Are the report's findings and recommendations clear to families?",
        changed="The summary was rewritten in plain language and a glossary added.",
    )  # fmt: skip
    actions.record_consultation(
        report=report, recommendation=r1, group="The Lullaby Trust",
        group_kind="bereavement_charity", consulted_on=published - datetime.timedelta(days=35),
        by=by, asked="Does the safer sleep recommendation reflect families' experience?",
        changed="The recommendation now covers every health visitor contact, not only discharge.",
    )  # fmt: skip
    return {"report": report.pk, "created": True}
