"""The monthly bulletin: each CDOP's headline indicators for a month, what changed since the
month before, special-cause signals, its worklist, and a link to its dashboard. Sent to the
CDOP's administrators only; nothing in it comes from another CDOP except England's figures."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ncmd.registry.audit import record
from ncmd.registry.models import Organisation, OrganisationType, Role, User

from .compute import NATIONAL
from .definitions import indicators
from .models import Bulletin
from .presenters import VARIATION_WORDS, percent

SIGNALS = {
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
}


def compose(results, cdop, month):
    """The content of one CDOP's bulletin for the month starting `month`."""
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    rows, signals = [], []
    for name, definition in indicators().items():
        values = {
            (r["cdop"], r["period"]): r
            for r in results.query(
                'SELECT * FROM "values" WHERE indicator = ? AND period_type = \'month\' '
                "AND period IN (?, ?) AND cdop IN (?, ?)",
                name, month, previous, cdop.code, NATIONAL,
            )
        }  # fmt: skip
        mine, before = values.get((cdop.code, month)), values.get((cdop.code, previous))
        england = values.get((NATIONAL, month))
        change = ""
        if mine and before and mine["scored"] and before["scored"]:
            delta = (mine["value"] - before["value"]) * 100
            better = (delta > 0) == (definition.better == "higher")
            change = f"{delta:+.1f} points" + (" (better)" if better and delta else
                                               " (worse)" if delta else "")  # fmt: skip
        point = results.query(
            "SELECT point_type FROM spc_points WHERE indicator = ? AND cdop = ? AND period = ?",
            name, cdop.code, month,
        )  # fmt: skip
        summary = results.query(
            "SELECT variation FROM spc_summary WHERE indicator = ? AND cdop = ?", name, cdop.code
        )
        if point and point[0]["point_type"] in SIGNALS:
            signals.append((definition.title, SIGNALS[point[0]["point_type"]]))
        rows.append({
            "title": definition.title,
            "value": (percent(mine["value"]) if mine and mine["scored"] else
                      f"not scored ({mine['reason'].rstrip('.').lower()})" if mine else "–"),
            "england": percent(england["value"]) if england and england["scored"] else "–",
            "change": change,
            "trend": VARIATION_WORDS.get(summary[0]["variation"], "") if summary else "",
        })  # fmt: skip
    worklist = results.query("SELECT count(*) AS n FROM worklist WHERE cdop = ?", cdop.code)[0]["n"]
    return {
        "cdop": cdop, "month": month, "rows": rows, "signals": signals, "worklist": worklist,
        "dashboard": settings.NCMD_PORTAL_URL.rstrip("/")
        + reverse("quality_cdop", args=[cdop.code]),
        "as_of": results.as_of,
    }  # fmt: skip


def recipients_of(cdop):
    """The CDOP's active administrators with an e-mail address."""
    return list(
        User.objects.filter(organisation=cdop, role=Role.CDOP_ADMIN, is_active=True)
        .exclude(email="").order_by("email").values_list("email", flat=True)
    )  # fmt: skip


def send_bulletins(*, results, month, by, cdops=None, resend=False):
    """Send each CDOP's bulletin for `month`; returns [(cdop, recipients or reason skipped)]."""
    sent = []
    cdops = cdops or Organisation.objects.filter(type=OrganisationType.CDOP).order_by("code")
    for cdop in cdops:
        recipients = recipients_of(cdop)
        if not recipients:
            sent.append((cdop, "no administrator with an e-mail address"))
            continue
        if not resend and Bulletin.objects.filter(cdop=cdop, period=month).exists():
            sent.append((cdop, "already sent for this month (use --resend)"))
            continue
        context = compose(results, cdop, month)
        subject = f"{cdop.name}: child death review data quality, {month:%B %Y}"
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("quality/bulletin.txt", context),
            to=recipients,
        )
        message.attach_alternative(render_to_string("quality/bulletin.html", context), "text/html")
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                cdop=cdop, period=month, snapshot_hash=results.snapshot.content_hash,
                recipients=recipients, sent_at=timezone.now(),
            )  # fmt: skip
            record("send_bulletin", by=by, obj=bulletin, organisation=cdop.code,
                   detail={"period": month.isoformat(), "recipients": recipients})  # fmt: skip
            message.send()
        sent.append((cdop, recipients))
    return sent
