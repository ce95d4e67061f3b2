"""`huiyi calendar`: compute a deadline or import an official schedule.

huiyi calendar due --start 2026-02-13T10:00+08:00 --working-days 3 --json
huiyi calendar due --start 2026-02-13 --business-hours 4
huiyi calendar import 2027.csv --confirm-year 2027
"""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rest_framework.exceptions import ValidationError

from huiyi.calendar import services
from huiyi.calendar.api import parse_start
from huiyi.calendar.importers import ScheduleFileError


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise CommandError(f"Not a number: {text!r}") from exc
    if not value.is_finite():
        raise CommandError(f"Not a finite number: {text!r}")
    return value


class Command(BaseCommand):
    help = "Working calendar: compute a deadline (due) or load an official holiday schedule (import)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="When is something due?")
        due.add_argument("--start", required=True, help="ISO 8601 instant with offset, or a date")
        amount = due.add_mutually_exclusive_group(required=True)
        amount.add_argument("--working-days", type=int, help="Nth working day after the start date")
        amount.add_argument("--hours", type=_number, help="elapsed hours")
        amount.add_argument("--business-hours", type=_number, help="hours within support hours")
        due.add_argument("--json", action="store_true", help='print {"due": …, "confirmed": …}')

        imp = sub.add_parser("import", help="Load a CSV (date,kind,name) or .ics schedule")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--confirm-year",
            type=int,
            action="append",
            default=[],
            help="mark this year's official schedule as complete (repeatable)",
        )
        imp.add_argument("--source", default="", help="where the schedule came from (kept with the days)")

    def handle(self, *args, action, **options):
        if action == "due":
            return self._due(**options)
        return self._import(**options)

    def _due(self, *, start, working_days, hours, business_hours, json: bool, **options):
        try:
            moment = parse_start(start, services.organisation_zone())
        except ValidationError as exc:
            raise CommandError(f"--start: {' '.join(map(str, exc.detail))}") from exc
        try:
            deadline = services.due(
                moment, working_days=working_days, hours=hours, business_hours=business_hours
            )
        except (ValueError, OverflowError) as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(deadline.as_dict()))
            return
        note = (
            ""
            if deadline.confirmed
            else "  (unconfirmed: the official schedule of a year involved is not loaded)"
        )
        self.stdout.write(f"{deadline.due.isoformat()}{note}")

    def _import(self, *, file, confirm_year, source, **options):
        try:
            result = services.import_schedule(file, confirm_years=confirm_year, source=source)
        except ScheduleFileError as exc:
            raise CommandError("Nothing imported:\n  " + "\n  ".join(exc.errors)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if result.confirmed_years:
            years = ", ".join(map(str, result.confirmed_years))
            self.stdout.write(f"Marked as loaded (confirmed): {years}")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
