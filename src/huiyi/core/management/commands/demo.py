"""`huiyi demo [--reset]`: load the demo organisation once (or wipe the database and load it again)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from huiyi.core import demo


class Command(BaseCommand):
    help = "Load the demo organisation (users, clients, meeting projects). --reset wipes the database first."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete ALL data, then load the demo again.")
        parser.add_argument(
            "--quiet-if-present",
            action="store_true",
            help="Print only the sign-in when the demo is loaded already.",
        )

    def handle(self, *args, reset, quiet_if_present, **options):
        if reset:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
        if demo.demo_exists():
            credentials = demo.read_credentials()
            if not quiet_if_present:
                self.stdout.write("The demo organisation is loaded already (use --reset to rebuild it).")
            self._print_sign_in(credentials["password"] if credentials else None)
            return
        result = demo.build_demo()
        self.stdout.write(self.style.SUCCESS("Demo organisation loaded."))
        self._print_sign_in(result.password, result.usernames)

    def _print_sign_in(self, password, usernames=None):
        if password is None:
            self.stdout.write(
                "Demo sign-in: admin (password was set earlier; `huiyi demo --reset` makes a new one)"
            )
            return
        self.stdout.write(f"Demo sign-in: admin / {password}")
        self.stdout.write("Every demo user (e.g. zhao.min, qian.hao, han.mei) has the same password.")
