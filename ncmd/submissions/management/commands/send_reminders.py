"""`ncmd send_reminders`: e-mail a reminder about every overdue reporting-form request that has
not been reminded in the last 7 days (or --every DAYS). Meant for cron, once a day."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ncmd.registry.models import FormRequest
from ncmd.submissions import actions


class Command(BaseCommand):
    help = "Remind agencies of overdue reporting forms not reminded in the last 7 days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=7, metavar="DAYS",
            help="Days to leave between reminders about one request (default 7).",
        )  # fmt: skip

    def handle(self, *args, every, **options):
        if every < 1:
            raise CommandError("--every must be at least 1 day.")
        now = timezone.now()
        sent, skipped = actions.remind_overdue(
            requests=FormRequest.objects.all(),
            by=None,
            base_url=settings.NCMD_PORTAL_URL,
            not_since=now - timedelta(days=every),
            at=now,
        )
        for request, reason in skipped:
            self.stderr.write(f"case {request.case.reference}, {request.agency}: {reason}")
        self.stdout.write(f"{len(sent)} reminder(s) sent, {len(skipped)} could not be sent.")
