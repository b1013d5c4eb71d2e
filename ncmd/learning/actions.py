"""Every change to learning goes through one of these actions.

Each takes keyword arguments, names the actor as `by=`, runs in one transaction and writes its
audit event (`ncmd.registry.audit.record`) in that transaction. A change that is not allowed now,
or not by this person, raises `ActionRefused` with a message saying why and what to do.
"""

import datetime
from urllib.parse import urlparse

from django.db import transaction
from django.utils import timezone

from ncmd.quality.definitions import indicators
from ncmd.registry.actions import ActionRefused
from ncmd.registry.audit import record
from ncmd.registry.models import OrganisationType

from . import lifecycles, policies
from .audiences import Audience
from .files import store_upload
from .models import (
    ActionPartner,
    ActionUpdate,
    Addressee,
    Consultation,
    Goal,
    Intervention,
    InterventionKind,
    PackMaterial,
    PartnerRole,
    PlanAction,
    PPIGroupKind,
    ProgressUpdate,
    QIPack,
    Recommendation,
    RecommendationStatus,
    Report,
    ReportKind,
    Theme,
    Workstream,
)


def _now(at):
    return at or timezone.now()


def _check_choice(name, value, choices):
    if value not in choices.values:
        raise ActionRefused(f"{name} {value!r} is not one of: {', '.join(choices.labels)}.")


def _check_audiences(audiences):
    unknown = [a for a in audiences if a not in Audience.values]
    if unknown:
        raise ActionRefused(f"Unknown audience {', '.join(unknown)}: choose from the list.")
    return sorted(set(audiences), key=Audience.values.index)


def _check_indicator(indicator):
    if indicator and indicator not in indicators():
        raise ActionRefused(
            f"{indicator!r} is not a quality indicator: choose one of "
            f"{', '.join(indicators())}, or leave it empty."
        )


def _check_links(links):
    checked = []
    for link in links:
        link = link.strip()
        if not link:
            continue
        parts = urlparse(link)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ActionRefused(f"{link} is not a web address: give one starting https://.")
        checked.append(link)
    return checked


@transaction.atomic
def register_report(*, title, kind, published_on, summary, by, key_findings="", url="", at=None):
    _check_choice("Report kind", kind, ReportKind)
    if not title.strip() or not summary.strip():
        raise ActionRefused("A report needs a title and a summary.")
    report = Report.objects.create(
        title=title.strip(), kind=kind, published_on=published_on, summary=summary.strip(),
        key_findings=key_findings.strip(), url=url, created_by=by, created_at=_now(at),
    )  # fmt: skip
    record("register_report", by=by, obj=report,
           changes={"title": [None, report.title], "kind": [None, kind],
                    "published_on": [None, published_on.isoformat()]})  # fmt: skip
    return report


@transaction.atomic
def add_recommendation(
    *, report, text, theme, organisations, owner, due_on, by, audiences=(), indicator="",
    review_interval_days=90, at=None,
):  # fmt: skip
    """A draft recommendation of `report`, addressed to `organisations` and `audiences`."""
    _check_choice("Theme", theme, Theme)
    audiences = _check_audiences(audiences)
    _check_indicator(indicator)
    organisations = list(organisations)
    if not text.strip():
        raise ActionRefused("Write the recommendation's text.")
    if not organisations and not audiences:
        raise ActionRefused("Address the recommendation to at least one organisation or audience.")
    if not 7 <= review_interval_days <= 366:
        raise ActionRefused("The update interval must be between 7 and 366 days.")
    number = (report.recommendations.order_by("-number").values_list("number", flat=True)
              .first() or 0) + 1  # fmt: skip
    recommendation = Recommendation.objects.create(
        report=report, number=number, text=text.strip(), theme=theme, audiences=audiences,
        owner=owner.strip(), due_on=due_on, indicator=indicator,
        review_interval_days=review_interval_days, created_at=_now(at),
    )  # fmt: skip
    for organisation in organisations:
        Addressee.objects.create(recommendation=recommendation, organisation=organisation)
    record("add_recommendation", by=by, obj=recommendation,
           changes={"text": [None, recommendation.text], "theme": [None, theme],
                    "audiences": [None, audiences], "indicator": [None, indicator],
                    "organisations": [None, sorted(o.code for o in organisations)],
                    "due_on": [None, due_on.isoformat()]},
           detail={"report": report.pk, "number": number})  # fmt: skip
    return recommendation


def _recommendation_values(recommendation):
    return {
        "text": recommendation.text, "theme": recommendation.theme,
        "audiences": list(recommendation.audiences), "owner": recommendation.owner,
        "due_on": recommendation.due_on.isoformat(), "indicator": recommendation.indicator,
        "review_interval_days": recommendation.review_interval_days,
        "organisations": sorted(recommendation.addressees.values_list("organisation__code",
                                                                      flat=True)),
    }  # fmt: skip


@transaction.atomic
def change_draft_recommendation(
    *, recommendation, text, theme, organisations, owner, due_on, by, audiences=(), indicator="",
    review_interval_days=90,
):  # fmt: skip
    """Change a draft before it is issued; an issued recommendation is as published."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not recommendation.is_draft:
        raise ActionRefused(
            f"Recommendation {recommendation.number} has been issued and can no longer be "
            "changed; to address another organisation, use 'Address to another organisation'."
        )
    _check_choice("Theme", theme, Theme)
    audiences = _check_audiences(audiences)
    _check_indicator(indicator)
    organisations = list(organisations)
    if not text.strip():
        raise ActionRefused("Write the recommendation's text.")
    if not organisations and not audiences:
        raise ActionRefused("Address the recommendation to at least one organisation or audience.")
    if not 7 <= review_interval_days <= 366:
        raise ActionRefused("The update interval must be between 7 and 366 days.")
    before = _recommendation_values(recommendation)
    recommendation.text, recommendation.theme, recommendation.owner = text.strip(), theme, owner
    recommendation.audiences, recommendation.due_on = audiences, due_on
    recommendation.indicator, recommendation.review_interval_days = indicator, review_interval_days
    recommendation.save()
    recommendation.addressees.exclude(organisation__in=organisations).delete()
    for organisation in organisations:
        Addressee.objects.get_or_create(recommendation=recommendation, organisation=organisation)
    after = _recommendation_values(recommendation)
    record("change_draft_recommendation", by=by, obj=recommendation,
           changes={k: [before[k], after[k]] for k in before if before[k] != after[k]})  # fmt: skip
    return recommendation


@transaction.atomic
def address_recommendation(*, recommendation, organisation, by, at=None):
    """Address an issued recommendation to one more organisation, whose response starts at
    "issued"."""
    at = _now(at)
    if recommendation.is_draft:
        raise ActionRefused("This is a draft: change it instead, then issue it.")
    if recommendation.addressees.filter(organisation=organisation).exists():
        raise ActionRefused(f"The recommendation is already addressed to {organisation.name}.")
    first_due = at.date() + datetime.timedelta(days=recommendation.review_interval_days)
    addressee = Addressee.objects.create(
        recommendation=recommendation, organisation=organisation, status_changed_at=at,
        next_update_due=min(first_due, max(recommendation.due_on, at.date())),
    )  # fmt: skip
    record("address_recommendation", by=by, obj=addressee, at=at, organisation=organisation.code,
           detail={"recommendation": recommendation.pk})  # fmt: skip
    return addressee


@transaction.atomic
def issue_recommendation(*, recommendation, by, at=None):
    """Issue a draft: every addressed organisation's response starts at "issued", with its first
    update due after the review interval."""
    at = _now(at)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not recommendation.is_draft:
        raise ActionRefused(f"Recommendation {recommendation.number} has already been issued.")
    if not policies.is_programme(by):
        raise ActionRefused("Only the programme (a QI lead) issues recommendations.")
    recommendation.issued_at, recommendation.issued_by = at, by
    recommendation.save()
    first_due = at.date() + datetime.timedelta(days=recommendation.review_interval_days)
    recommendation.addressees.update(
        status=RecommendationStatus.ISSUED, status_changed_at=at,
        next_update_due=min(first_due, recommendation.due_on),
    )  # fmt: skip
    record("issue_recommendation", by=by, obj=recommendation, at=at,
           changes={"issued_at": [None, at.isoformat()]},
           detail={"organisations": sorted(recommendation.addressees.values_list(
               "organisation__code", flat=True))})  # fmt: skip
    return recommendation


def _evidence(*, transition, note, links, uploads, kind):
    note = (note or "").strip()
    if transition.needs in ("note", "evidence") and not note:
        what = "what was done" if transition.needs == "evidence" else "what is being done"
        raise ActionRefused(f"{transition.label}: write a note saying {what}.")
    if transition.needs == "reason" and not note:
        raise ActionRefused(f"{transition.label}: give the reason.")
    links = _check_links(links)
    if transition.needs == "evidence" and not (links or uploads):
        raise ActionRefused(
            f"{transition.label}: attach evidence of it, as a file or a link (a policy, a "
            f"published guideline, an audit or training record), then try again."
        )
    return note or transition.label, links


def _refuse_move(kind, table, statuses, source, target):
    allowed = [f"{t.label.lower()} ({statuses(t.target).label.lower()})"
               for t in table if t.source == source]  # fmt: skip
    raise ActionRefused(
        f"A {kind} that is {statuses(source).label.lower()} cannot become "
        f"{statuses(target).label.lower()}. From here it can: {'; '.join(allowed) or 'nothing'}."
    )


@transaction.atomic
def move_recommendation(*, addressee, to, by, note="", links=(), uploads=(), at=None):
    """Move one organisation's response along the recommendation lifecycle, with its note,
    links and files. `to` equal to the current status reports progress."""
    at = _now(at)
    addressee = Addressee.objects.select_for_update().select_related(
        "recommendation", "organisation").get(pk=addressee.pk)  # fmt: skip
    recommendation = addressee.recommendation
    if recommendation.is_draft:
        raise ActionRefused("This recommendation is still a draft: issue it first.")
    to = RecommendationStatus(to)
    source = RecommendationStatus(addressee.status)
    table = lifecycles.RECOMMENDATION_TRANSITIONS
    transition = lifecycles.find(table, source, to)
    if transition is None:
        _refuse_move("response", table, RecommendationStatus, source, to)
    programme = policies.is_programme(by)
    if transition.who == lifecycles.PROGRAMME and not programme:
        raise ActionRefused(
            f"{transition.label} is done by the programme (the QI lead), who checks the "
            f"evidence or the reason; ask them if you think it should be."
        )
    if not (programme or policies.speaks_for(by, addressee.organisation_id)):
        raise ActionRefused(
            f"Only {addressee.organisation.name} (or the programme) can update its response "
            f"to this recommendation."
        )
    note, links = _evidence(transition=transition, note=note, links=links, uploads=uploads,
                            kind="recommendation")  # fmt: skip
    update = ProgressUpdate.objects.create(
        addressee=addressee, at=at, by=by, status_from=source, status_to=to, note=note,
        links=links,
    )  # fmt: skip
    files = [store_upload(upload, by=by) for upload in uploads]
    update.files.set(files)
    before = {"status": addressee.status, "reason": addressee.reason}
    addressee.status, addressee.status_changed_at = to, at
    if transition.needs == "reason":
        addressee.reason = note
    addressee.next_update_due = (
        at.date() + datetime.timedelta(days=recommendation.review_interval_days)
        if to in (RecommendationStatus.ISSUED, RecommendationStatus.ACKNOWLEDGED,
                  RecommendationStatus.IN_PROGRESS) else None
    )  # fmt: skip
    addressee.save()
    record("move_recommendation", by=by, obj=addressee, at=at,
           organisation=addressee.organisation.code,
           changes={k: [before[k], getattr(addressee, k)] for k in before
                    if before[k] != getattr(addressee, k)},
           detail={"recommendation": recommendation.pk, "move": transition.label,
                   "note": note, "links": links,
                   "files": [{"name": f.original_name, "sha256": f.sha256} for f in files],
                   "on_behalf": programme and not policies.speaks_for(
                       by, addressee.organisation_id)})  # fmt: skip
    return update


@transaction.atomic
def create_pack(
    *, report, audience, title, summary, key_findings, aim, measures, change_ideas, pdsa_cycles,
    by, recommendations=None, at=None,
):  # fmt: skip
    """A draft QI pack of `report` for `audience`; by default with the report's recommendations
    addressed to that audience."""
    _check_choice("Audience", audience, Audience)
    if QIPack.objects.filter(report=report, audience=audience).exists():
        raise ActionRefused(
            f"{report.title} already has a pack for {Audience(audience).label.lower()}: "
            "open it from the report's page."
        )
    fields = {
        "title": title,
        "summary": summary,
        "key findings": key_findings,
        "aim": aim,
        "measures": measures,
        "change ideas": change_ideas,
        "PDSA cycles": pdsa_cycles,
    }
    empty = [name for name, value in fields.items() if not str(value).strip()]
    if empty:
        raise ActionRefused(f"A QI pack needs {', '.join(empty)}.")
    pack = QIPack.objects.create(
        report=report, audience=audience, title=title.strip(), summary=summary.strip(),
        key_findings=key_findings.strip(), aim=aim.strip(), measures=measures.strip(),
        change_ideas=change_ideas.strip(), pdsa_cycles=pdsa_cycles.strip(), created_at=_now(at),
    )  # fmt: skip
    if recommendations is None:
        recommendations = [r for r in report.recommendations.all() if audience in r.audiences]
    foreign = [r for r in recommendations if r.report_id != report.pk]
    if foreign:
        raise ActionRefused("A pack holds only recommendations of its own report.")
    pack.recommendations.set(recommendations)
    record("create_pack", by=by, obj=pack,
           changes={"title": [None, pack.title], "audience": [None, audience]},
           detail={"report": report.pk,
                   "recommendations": sorted(r.number for r in recommendations)})  # fmt: skip
    return pack


@transaction.atomic
def add_pack_material(*, pack, title, by, url="", upload=None):
    if bool(url) == bool(upload):
        raise ActionRefused("Give a learning material as either a link or a file, not both.")
    if not title.strip():
        raise ActionRefused("Give the learning material a title.")
    links = _check_links([url]) if url else []
    stored = store_upload(upload, by=by) if upload else None
    material = PackMaterial.objects.create(pack=pack, title=title.strip(),
                                           url=links[0] if links else "", file=stored)  # fmt: skip
    record("add_pack_material", by=by, obj=material,
           changes={"title": [None, material.title]},
           detail={"pack": pack.pk, "url": material.url,
                   "file": stored.original_name if stored else None})  # fmt: skip
    return material


@transaction.atomic
def publish_pack(*, pack, by, at=None):
    at = _now(at)
    if pack.published_at:
        raise ActionRefused("This pack is already published.")
    if not pack.recommendations.exists():
        raise ActionRefused("Add at least one recommendation to the pack before publishing it.")
    pack.published_at, pack.published_by = at, by
    pack.save()
    record("publish_pack", by=by, obj=pack, at=at, changes={"published_at": [None, at.isoformat()]})
    return pack


@transaction.atomic
def add_goal(*, title, by, description=""):
    number = (Goal.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    goal = Goal.objects.create(number=number, title=title.strip(), description=description)
    record("add_goal", by=by, obj=goal, changes={"title": [None, goal.title]})
    return goal


@transaction.atomic
def add_workstream(*, goal, title, by, lead=""):
    workstream = Workstream.objects.create(goal=goal, title=title.strip(), lead=lead)
    record("add_workstream", by=by, obj=workstream,
           changes={"title": [None, workstream.title]}, detail={"goal": goal.number})  # fmt: skip
    return workstream


@transaction.atomic
def add_plan_action(
    *, workstream, text, partners, next_review_on, by, due_on=None, recommendation=None, at=None
):
    """An action of the QI plan; `partners` maps each responsible organisation to its role
    (lead or support)."""
    if not text.strip():
        raise ActionRefused("Write what the action is.")
    if not partners:
        raise ActionRefused("Name at least one partner organisation responsible for the action.")
    if not any(role == PartnerRole.LEAD for role in partners.values()):
        raise ActionRefused("Name one partner as the lead for the action.")
    for role in partners.values():
        _check_choice("Partner role", role, PartnerRole)
    count = PlanAction.objects.filter(workstream=workstream).count() + 1
    reference = f"{workstream.goal.number}.{_index(workstream)}.{count}"
    action = PlanAction.objects.create(
        workstream=workstream, reference=reference, text=text.strip(),
        next_review_on=next_review_on, due_on=due_on, recommendation=recommendation,
        updated_at=_now(at),
    )  # fmt: skip
    for organisation, role in partners.items():
        ActionPartner.objects.create(action=action, organisation=organisation, role=role)
    record("add_plan_action", by=by, obj=action,
           changes={"text": [None, action.text],
                    "partners": [None, {o.code: r for o, r in partners.items()}]},
           detail={"reference": reference})  # fmt: skip
    return action


def _index(workstream):
    ids = list(Workstream.objects.filter(goal=workstream.goal).order_by("pk")
               .values_list("pk", flat=True))  # fmt: skip
    return ids.index(workstream.pk) + 1


@transaction.atomic
def move_plan_action(*, action, to, by, note="", links=(), uploads=(), next_review_on=None,
                     at=None):  # fmt: skip
    """Move a plan action along its lifecycle (`to` equal to its status reports progress). A
    partner updates only actions their organisation is responsible for."""
    at = _now(at)
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    from .models import PlanActionStatus

    source, to = PlanActionStatus(action.status), PlanActionStatus(to)
    table = lifecycles.PLAN_ACTION_TRANSITIONS
    transition = lifecycles.find(table, source, to)
    if transition is None:
        _refuse_move("plan action", table, PlanActionStatus, source, to)
    programme = policies.is_programme(by)
    if transition.who == lifecycles.PROGRAMME and not programme:
        raise ActionRefused(f"{transition.label} is done by the programme (the QI lead).")
    responsible = action.roles.filter(organisation_id=getattr(by, "organisation_id", None))
    if not (programme or (policies.is_contact(by) and responsible.exists())):
        raise ActionRefused(
            f"Only the partners responsible for action {action.reference} (or the programme) "
            "can update it."
        )
    note, links = _evidence(transition=transition, note=note, links=links, uploads=uploads,
                            kind="plan action")  # fmt: skip
    if next_review_on is not None and next_review_on < at.date():
        raise ActionRefused("The next review must be today or later.")
    update = ActionUpdate.objects.create(action=action, at=at, by=by, status_from=source,
                                         status_to=to, note=note, links=links)  # fmt: skip
    files = [store_upload(upload, by=by) for upload in uploads]
    update.files.set(files)
    before = {"status": action.status, "evidence": action.evidence,
              "next_review_on": action.next_review_on.isoformat()}  # fmt: skip
    action.status, action.evidence, action.updated_at = to, note, at
    action.next_review_on = next_review_on or (at.date() + datetime.timedelta(days=90))
    action.save()
    after = {"status": action.status, "evidence": action.evidence,
             "next_review_on": action.next_review_on.isoformat()}  # fmt: skip
    record(
        "move_plan_action",
        by=by,
        obj=action,
        at=at,
        organisation=by.organisation.code if getattr(by, "organisation_id", None) else None,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        detail={
            "reference": action.reference,
            "move": transition.label,
            "links": links,
            "files": [{"name": f.original_name, "sha256": f.sha256} for f in files],
        },
    )
    return update


@transaction.atomic
def record_intervention(
    *, kind, title, held_on, by, cdops=(), audiences=(), indicators_aimed=(), description="",
    plan_action=None, at=None,
):  # fmt: skip
    """An improvement intervention (a training day, a guidance update, a webinar), shown on the
    data quality SPC charts of the CDOPs it reached."""
    _check_choice("Intervention kind", kind, InterventionKind)
    audiences = _check_audiences(audiences)
    for name in indicators_aimed:
        _check_indicator(name)
    cdops = list(cdops)
    if any(c.type != OrganisationType.CDOP for c in cdops):
        raise ActionRefused("An intervention reaches CDOPs: choose CDOPs only.")
    if not cdops and not audiences:
        raise ActionRefused("Say which CDOPs or audiences the intervention reached.")
    if not title.strip():
        raise ActionRefused("Give the intervention a title.")
    if held_on > _now(at).date():
        raise ActionRefused(
            "Record an intervention once it has happened: its date is in the future."
        )
    intervention = Intervention.objects.create(
        kind=kind, title=title.strip(), held_on=held_on, description=description.strip(),
        audiences=audiences, indicators=sorted(set(indicators_aimed)), plan_action=plan_action,
        recorded_by=by, recorded_at=_now(at),
    )  # fmt: skip
    intervention.cdops.set(cdops)
    record("record_intervention", by=by, obj=intervention,
           changes={"title": [None, intervention.title], "kind": [None, kind],
                    "held_on": [None, held_on.isoformat()],
                    "cdops": [None, sorted(c.code for c in cdops)],
                    "indicators": [None, intervention.indicators]})  # fmt: skip
    return intervention


@transaction.atomic
def record_consultation(
    *, report, group, group_kind, consulted_on, asked, changed, by, recommendation=None, at=None
):
    """Patient and public involvement: who was consulted on a report (or one of its
    recommendations) and what changed as a result."""
    _check_choice("Group kind", group_kind, PPIGroupKind)
    if recommendation is not None and recommendation.report_id != report.pk:
        raise ActionRefused("That recommendation belongs to another report.")
    empty = [n for n, v in (("the group", group), ("what was asked", asked),
                            ("what changed", changed)) if not v.strip()]  # fmt: skip
    if empty:
        raise ActionRefused(f"Say {', '.join(empty)}.")
    consultation = Consultation.objects.create(
        report=report, recommendation=recommendation, group=group.strip(), group_kind=group_kind,
        consulted_on=consulted_on, asked=asked.strip(), changed=changed.strip(), recorded_by=by,
        recorded_at=_now(at),
    )  # fmt: skip
    record(
        "record_consultation",
        by=by,
        obj=consultation,
        changes={"group": [None, consultation.group], "changed": [None, consultation.changed]},
        detail={
            "report": report.pk,
            "recommendation": recommendation.number if recommendation else None,
        },
    )
    return consultation
