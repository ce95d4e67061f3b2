"""`huiyi createadmin`: an administrator account (password asked for, or from HUIYI_ADMIN_PASSWORD)."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from huiyi.accounts.services import create_administrator


class Command(BaseCommand):
    help = "Create an administrator account."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        password = os.environ.get("HUIYI_ADMIN_PASSWORD") or self._ask()
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        create_administrator(username=username, password=password, email=email)
        self.stdout.write(self.style.SUCCESS(f"Administrator {username!r} created."))

    def _ask(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
