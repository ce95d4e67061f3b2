"""Reporting periods of the KPI dashboard (REQ-QLT-09): a year ``2026``, a quarter ``2026-Q3`` or a month
``2026-07``. Anything else is refused with a message that says what is accepted."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

YEAR, QUARTER, MONTH = "year", "quarter", "month"
_PATTERNS = (
    (YEAR, re.compile(r"^(\d{4})$")),
    (QUARTER, re.compile(r"^(\d{4})-[Qq]([1-4])$")),
    (MONTH, re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
)
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: How many periods a trend shows, per kind of period (12 months, 8 quarters, 5 years).
TREND_LENGTH = {MONTH: 12, QUARTER: 8, YEAR: 5}
MONTHS_IN = {MONTH: 1, QUARTER: 3, YEAR: 12}


class PeriodError(ValueError):
    """A period that is not ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``; ``str()`` is a message for the user."""


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    year: int
    number: int = 1  # the quarter (1–4) or month (1–12); 1 for a year

    @property
    def start(self) -> dt.date:
        month = {YEAR: 1, QUARTER: (self.number - 1) * 3 + 1, MONTH: self.number}[self.kind]
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        """Exclusive end: the first day of the next period."""
        return self.shifted(1).start

    @property
    def key(self) -> str:
        if self.kind == YEAR:
            return f"{self.year}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return _("%(year)s") % {"year": self.year}
        if self.kind == QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": self.number, "year": self.year}
        return _("%(month)s/%(year)s") % {"month": self.number, "year": self.year}

    def _index(self) -> int:
        per_year = 12 // MONTHS_IN[self.kind]
        return self.year * per_year + self.number - 1

    def shifted(self, steps: int) -> Period:
        per_year = 12 // MONTHS_IN[self.kind]
        index = self._index() + steps
        return Period(self.kind, index // per_year, index % per_year + 1)

    def trend(self, length: int | None = None) -> list[Period]:
        """This period and the ones before it, oldest first."""
        length = length or TREND_LENGTH[self.kind]
        return [self.shifted(-i) for i in range(length - 1, -1, -1)]

    def previous(self) -> Period:
        return self.shifted(-1)


def parse(text: str | None) -> Period:
    value = (text or "").strip()
    for kind, pattern in _PATTERNS:
        match = pattern.match(value)
        if match:
            year = int(match.group(1))
            if not FIRST_YEAR <= year <= LAST_YEAR:
                break
            number = int(match.group(2)) if kind != YEAR else 1
            return Period(kind, year, number)
    raise PeriodError(
        _("“%(value)s” is not a period: write a year (2026), a quarter (2026-Q3) or a month (2026-07).")
        % {"value": value[:40]}
    )


def containing(day: dt.date, kind: str) -> Period:
    if kind == YEAR:
        return Period(YEAR, day.year)
    if kind == QUARTER:
        return Period(QUARTER, day.year, (day.month - 1) // 3 + 1)
    return Period(MONTH, day.year, day.month)


def month_before(day: dt.date) -> Period:
    return containing(day, MONTH).previous()
