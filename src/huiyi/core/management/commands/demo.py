"""`huiyi demo [--reset] [--scale N]`: load the demo organisation once (or wipe the database and load
it again); with ``--scale N``, add N years of history (see ``huiyi.core.scale``)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from huiyi.core import demo, scale


class Command(BaseCommand):
    help = "Load the demo organisation (users, clients, meeting projects). --reset wipes the database first."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete ALL data, then load the demo again.")
        parser.add_argument(
            "--quiet-if-present",
            action="store_true",
            help="Print only the sign-in when the demo is loaded already.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="YEARS",
            help="Also generate YEARS years of history (by default 2,000 meetings a year).",
        )
        parser.add_argument(
            "--meetings-per-year",
            type=int,
            default=2000,
            help="With --scale: meetings a year (attendees, responses, complaints in proportion).",
        )

    def handle(self, *args, reset, quiet_if_present, scale, meetings_per_year, **options):
        if scale < 0 or meetings_per_year < 1:
            raise CommandError("--scale and --meetings-per-year must be positive.")
        if reset:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
        if demo.demo_exists():
            credentials = demo.read_credentials()
            if not quiet_if_present:
                self.stdout.write("The demo organisation is loaded already (use --reset to rebuild it).")
            self._print_sign_in(credentials["password"] if credentials else None)
        else:
            result = demo.build_demo()
            self.stdout.write(self.style.SUCCESS("Demo organisation loaded."))
            self._print_sign_in(result.password, result.usernames)
        if scale:
            self._generate(scale, meetings_per_year)

    def _generate(self, years: int, meetings_per_year: int) -> None:
        plan = scale.Plan.for_years(years, meetings_per_year)
        self.stdout.write(
            f"Generating {years} year(s) of history: {plan.meetings:,} meetings, "
            f"{plan.attendees:,} attendees (about {scale.estimate_seconds(plan):,.0f} s) …"
        )
        counts = scale.generate(plan, out=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"History generated: {sum(counts.values()):,} records."))

    def _print_sign_in(self, password, usernames=None):
        if password is None:
            self.stdout.write(
                "Demo sign-in: admin (password was set earlier; `huiyi demo --reset` makes a new one)"
            )
            return
        self.stdout.write(f"Demo sign-in: admin / {password}")
        self.stdout.write("Every demo user (e.g. zhao.min, qian.hao, han.mei) has the same password.")
