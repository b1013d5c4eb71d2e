import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ncmd.learning.lifecycles import lifecycles_page
from ncmd.learning.reminders import send_reminders
from ncmd.registry.models import User

DOCS_FILE = Path(settings.BASE_DIR) / "docs" / "learning-lifecycles.md"


class Command(BaseCommand):
    help = (
        "Learning into action: `reminders` e-mails the organisations whose update is due; "
        "`docs` writes the lifecycle diagrams (docs/learning-lifecycles.md); `demo` adds the "
        "demonstration reports, recommendations, QI plan, interventions and involvement."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        reminders = commands.add_parser("reminders", help="send the reminders due today")
        reminders.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")
        docs = commands.add_parser("docs", help="write docs/learning-lifecycles.md")
        docs.add_argument("--check", action="store_true", help="fail if the file is out of date")
        commands.add_parser("demo", help="add the demonstration learning data (idempotent)")

    def handle(self, *args, subcommand, **options):
        if subcommand == "reminders":
            self._reminders(options["date"])
        elif subcommand == "docs":
            self._docs(options["check"])
        else:
            from ncmd.learning.demo import create_learning_demo

            by = User.objects.filter(username="qi-lead").first()
            facts = create_learning_demo(by=by)
            self.stdout.write(f"Learning demonstration data: {facts}")

    def _reminders(self, date):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(
                f"--date {date!r} is not a date: write it like 2025-10-01."
            ) from None
        sent = send_reminders(today=today)
        for item in sent:
            self.stdout.write(f"{item.organisation}: {item.subject} ({len(item.recipients)})")
        self.stdout.write(f"Sent {len(sent)} reminder{'s' if len(sent) != 1 else ''}.")

    def _docs(self, check):
        text = lifecycles_page()
        current = DOCS_FILE.exists() and DOCS_FILE.read_text() == text
        if check:
            if not current:
                raise CommandError(
                    "docs/learning-lifecycles.md is out of date; run `ncmd learning docs` and "
                    "commit the result."
                )
            self.stdout.write("docs/learning-lifecycles.md is up to date.")
            return
        DOCS_FILE.write_text(text)
        self.stdout.write(f"Wrote {DOCS_FILE}.")
