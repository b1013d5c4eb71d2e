from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ncmd.learning.outreach.actions import deliver
from ncmd.learning.outreach.demo import demo_counts, load_outreach_demo
from ncmd.learning.outreach.lifecycle import lifecycle_doc
from ncmd.learning.outreach.models import Message, MessageStatus

DOC = Path(settings.BASE_DIR) / "docs" / "outreach-lifecycles.md"


class Command(BaseCommand):
    help = (
        "Outreach: finish sending part-sent messages, write the lifecycle diagrams for the "
        "docs, or load demonstration data."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        docs = commands.add_parser("docs", help="write docs/outreach-lifecycles.md")
        docs.add_argument("--check", action="store_true",
                          help="only check that the committed file is current")  # fmt: skip
        commands.add_parser("demo", help="load demonstration stakeholders, messages and events")
        commands.add_parser(
            "deliver", help="finish sending messages left part-sent (a timeout or a crash)"
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "docs":
            text = lifecycle_doc()
            if options["check"]:
                if not DOC.exists() or DOC.read_text() != text:
                    raise CommandError(f"{DOC} is out of date: run `ncmd outreach docs`.")
                self.stdout.write(f"{DOC} is current.")
                return
            DOC.write_text(text)
            self.stdout.write(f"Wrote {DOC}.")
            return
        if subcommand == "deliver":
            stuck = Message.objects.filter(status=MessageStatus.SENDING)
            for message in stuck:
                sent, failed = deliver(message=message, by=None)
                self.stdout.write(f"{message.subject}: {sent} sent, {failed} failed.")
            if not stuck:
                self.stdout.write("No message is waiting to be sent.")
            return
        created = load_outreach_demo()
        counts = ", ".join(f"{n} {what}" for what, n in demo_counts().items())
        self.stdout.write(("Loaded" if created else "Already loaded") + f": {counts}.")
