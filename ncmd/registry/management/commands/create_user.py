import getpass

from django.core.management.base import BaseCommand, CommandError

from ncmd.registry import actions
from ncmd.registry.authorization import ROLES
from ncmd.registry.models import Organisation, Role, User


class Command(BaseCommand):
    help = "Create a user with a role (and, for CDOP and agency roles, an organisation)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", help="code of the user's CDOP or agency")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--by", help="user name of the national administrator creating this user"
        )

    def handle(self, *args, username, role, organisation, email, by, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        org = None
        if organisation:
            org = Organisation.objects.filter(code=organisation).first()
            if org is None:
                raise CommandError(f"No organisation has the code {organisation!r}.")
        actor = User.objects.filter(username=by).first() if by else None
        if by and actor is None:
            raise CommandError(f"No user called {by!r}.")
        password = getpass.getpass("Password (at least 12 characters): ")
        if len(password) < 12 or password != getpass.getpass("Password again: "):
            raise CommandError("The passwords differ or are shorter than 12 characters.")
        try:
            actions.create_user(
                username=username, role=role, organisation=org, email=email, password=password,
                first_name=options["first_name"], last_name=options["last_name"], by=actor,
            )  # fmt: skip
        except actions.ActionRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Created {username}: {ROLES[Role(role)].description}")
