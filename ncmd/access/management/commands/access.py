import datetime

from django.core.management.base import BaseCommand, CommandError

from ncmd.access.docs import DOC_PATH, lifecycle_page
from ncmd.access.reminders import send_reminders


class Command(BaseCommand):
    help = "Research data access: send the daily reminders, or regenerate the lifecycle page."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        reminders = commands.add_parser(
            "reminders",
            help="e-mail researchers before their approval ends and when destruction is due; "
            "close requests whose approval has ended (run daily)",
        )
        reminders.add_argument(
            "--date", help="act as on this day, YYYY-MM-DD (default: today)", default=""
        )
        docs = commands.add_parser("docs", help=f"write {DOC_PATH.name} from the lifecycle table")
        docs.add_argument(
            "--check", action="store_true", help="fail if the committed page is out of date"
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "reminders":
            try:
                today = datetime.date.fromisoformat(options["date"]) if options["date"] else None
            except ValueError:
                raise CommandError(
                    f"--date {options['date']!r}: give a date as YYYY-MM-DD."
                ) from None
            sent = send_reminders(today=today)
            for kind, reference, recipients in sent:
                self.stdout.write(
                    f"{reference}: {kind.replace('_', ' ')} to {', '.join(recipients)}"
                )
            self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent.")
            return
        text = lifecycle_page()
        current = DOC_PATH.read_text() if DOC_PATH.exists() else None
        if options["check"]:
            if current != text:
                raise CommandError(
                    f"docs/{DOC_PATH.name} is out of date; run `ncmd access docs` and commit it."
                )
            self.stdout.write(f"docs/{DOC_PATH.name} is up to date.")
            return
        DOC_PATH.write_text(text)
        self.stdout.write(f"Wrote docs/{DOC_PATH.name}.")
