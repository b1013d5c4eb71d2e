from django.core.management.base import BaseCommand, CommandError

from ncmd.registry import actions
from ncmd.registry.models import User


class Command(BaseCommand):
    help = "Stop a user signing in (--inactive), or let them sign in again (--active)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        state = parser.add_mutually_exclusive_group(required=True)
        state.add_argument("--active", dest="active", action="store_true")
        state.add_argument("--inactive", dest="active", action="store_false")
        parser.add_argument("--by", help="user name of the national administrator doing this")

    def handle(self, *args, username, active, by, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        actor = User.objects.filter(username=by).first() if by else None
        if by and actor is None:
            raise CommandError(f"No user called {by!r}.")
        actions.set_user_active(user=user, active=active, by=actor)
        self.stdout.write(f"{username} can {'now' if active else 'no longer'} sign in.")
