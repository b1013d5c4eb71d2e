import datetime

from django.core.management.base import BaseCommand, CommandError

from ncmd.quality.bulletin import send_bulletins
from ncmd.quality.results import latest_results
from ncmd.registry.models import Organisation, User


class Command(BaseCommand):
    help = "E-mail each CDOP's administrators their monthly data quality bulletin."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        send = commands.add_parser("send", help="send the bulletins for a month")
        send.add_argument("--period", required=True, help="the month, as YYYY-MM")
        send.add_argument("--cdop", action="append", help="only this CDOP (code); repeatable")
        send.add_argument("--resend", action="store_true", help="send again if already sent")
        send.add_argument("--by", help="user name to record as the sender")

    def handle(self, *args, period, cdop, resend, by, **options):
        try:
            month = datetime.date.fromisoformat(f"{period}-01")
        except ValueError:
            raise CommandError(f"--period {period!r} must be a month like 2025-03.") from None
        results = latest_results()
        if results is None:
            raise CommandError("No quality results yet: run `ncmd quality refresh` first.")
        cdops = None
        if cdop:
            cdops = list(Organisation.objects.filter(code__in=cdop, type="cdop"))
            unknown = set(cdop) - {c.code for c in cdops}
            if unknown:
                raise CommandError(f"No CDOP with the code {', '.join(sorted(unknown))}.")
        actor = User.objects.filter(username=by).first() if by else None
        for organisation, outcome in send_bulletins(
            results=results, month=month, by=actor, cdops=cdops, resend=resend
        ):
            if isinstance(outcome, list):
                self.stdout.write(f"{organisation.code} sent to {', '.join(outcome)}")
            else:
                self.stdout.write(f"{organisation.code} not sent: {outcome}")
