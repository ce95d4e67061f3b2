"""Reads of inspections for pages, the API, the cockpit panel and the metrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from huiyi.accounts.models import Role
from huiyi.projects.models import ProjectMember
from huiyi.quality.models import Nonconformance
from huiyi.resources.models import Booking, Equipment, Room
from huiyi.rulebook.loader import Rule, Rulebook

from . import items as sheet
from . import timing
from .models import InspectionRound, Reading, RollCall, SiteMilestone

#: The metric of the reception rule (REQ-PPL-04); the rule's ``owner_role`` names who it applies to.
RECEPTION_METRIC = "reception_in_place_lead_time"
MILESTONE_METRICS = {
    SiteMilestone.Milestone.SETUP_DONE: "setup_done_lead_time",
    SiteMilestone.Milestone.EQUIPMENT_RECOVERED: "equipment_recovery_time",
    SiteMilestone.Milestone.VENUE_RESTORED: "venue_restoration_time",
}


def first_rule(rulebook: Rulebook, metric: str) -> Rule | None:
    rules = rulebook.rules_where(metric=metric)
    return rules[0] if rules else None


# -- rooms and devices ------------------------------------------------------------------------------------


def booked_rooms(project) -> QuerySet[Room]:
    """Rooms of the venues booked for the project (resources bookings)."""
    ids = Booking.objects.filter(project=project, kind=Booking.Kind.VENUE, room__isnull=False).values(
        "room_id"
    )
    return Room.objects.filter(pk__in=ids).select_related("venue").order_by("venue__name", "name")


def devices_for(project, categories) -> list[Equipment]:
    """Devices of the register in these categories, booked ones first; retired ones are left out."""
    if not categories:
        return []
    booked = set(
        Booking.objects.filter(project=project, kind=Booking.Kind.EQUIPMENT).values_list(
            "equipment_id", flat=True
        )
    )
    devices = list(
        Equipment.objects.filter(category__in=categories)
        .exclude(status=Equipment.Status.RETIRED)
        .order_by("name")
    )
    for device in devices:
        device.is_booked = device.pk in booked
    return sorted(devices, key=lambda d: (not d.is_booked, d.name, d.serial_number))


# -- rounds and readings ----------------------------------------------------------------------------------


def rounds(project) -> QuerySet[InspectionRound]:
    return (
        InspectionRound.objects.filter(project=project)
        .select_related("room", "room__venue", "inspector", "completed_by")
        .order_by("-held_at", "-pk")
    )


def readings(project) -> QuerySet[Reading]:
    return (
        Reading.objects.filter(project=project)
        .select_related("round", "round__room", "equipment", "recorded_by", "nonconformance", "corrects")
        .order_by("measured_at", "pk")
    )


def live_readings(project) -> QuerySet[Reading]:
    """Readings no correction has replaced."""
    return readings(project).filter(correction__isnull=True)


@dataclass
class ItemRow:
    item: sheet.Item
    reading: Reading | None  # the live reading in the round
    history: list[Reading] = field(default_factory=list)  # everything recorded for the item, oldest first


def round_rows(round_: InspectionRound, rulebook: Rulebook) -> list[tuple[sheet.Section, list[ItemRow]]]:
    """The round's sheet: each item with its live reading and the readings it replaced."""
    recorded: dict[str, list[Reading]] = {}
    for reading in (
        Reading.objects.filter(round=round_)
        .select_related("equipment", "recorded_by", "nonconformance")
        .order_by("measured_at", "pk")
    ):
        recorded.setdefault(reading.rule_id, []).append(reading)
    corrected = {r.corrects_id for rows in recorded.values() for r in rows if r.corrects_id}
    rows = []
    for item in sheet.items_for(rulebook, main_hall=round_.is_main_hall):
        history = recorded.get(item.id, [])
        live = [r for r in history if r.pk not in corrected]
        rows.append(ItemRow(item, live[-1] if live else None, history))
    groups: dict[str, list[ItemRow]] = {}
    for row in rows:
        groups.setdefault(row.item.section.key, []).append(row)
    return [(sheet.SECTIONS_BY_KEY[key], members) for key, members in groups.items()]


@dataclass
class RoomStatus:
    key: str
    label: str
    latest: dict[str, Reading]  # rule id → latest live reading in this room

    @property
    def failed(self) -> list[Reading]:
        return [r for r in self.latest.values() if not r.passed]


def latest_by_room(project) -> list[RoomStatus]:
    """For every room inspected: the latest live reading of each item (one query)."""
    rooms: dict[str, RoomStatus] = {}
    for reading in live_readings(project):
        round_ = reading.round
        status = rooms.get(round_.room_key)
        if status is None:
            status = rooms[round_.room_key] = RoomStatus(round_.room_key, round_.room_label, {})
        status.latest[reading.rule_id] = reading  # ordered by time: the last one wins
    return list(rooms.values())


def failed_now(project) -> list[Reading]:
    """Items whose latest live reading in a room fails its rule."""
    return [reading for status in latest_by_room(project) for reading in status.failed]


def inspection_nonconformances(project, *, open_only: bool = True) -> QuerySet[Nonconformance]:
    found = Nonconformance.objects.filter(project=project, source=Nonconformance.Source.INSPECTION)
    if open_only:
        found = found.exclude(status=Nonconformance.Status.CLOSED)
    return found.order_by("-opened_at", "-pk")


# -- set-up and tear-down ---------------------------------------------------------------------------------


def live_milestones(project) -> QuerySet[SiteMilestone]:
    return (
        SiteMilestone.objects.filter(project=project, correction__isnull=True)
        .select_related("room", "recorded_by", "nonconformance", "corrects")
        .order_by("at", "pk")
    )


@dataclass
class MilestoneStatus:
    milestone: str
    label: str
    rule: Rule | None
    deadline: dt.datetime | None
    records: list[SiteMilestone]
    overdue: bool

    @property
    def verdict(self) -> str:
        if not self.records:
            return "fail" if self.overdue else "open"
        return "pass" if all(r.passed for r in self.records) else "fail"


def milestones(project, rulebook: Rulebook, now: dt.datetime | None = None) -> list[MilestoneStatus]:
    now = now or timezone.now()
    records: dict[str, list[SiteMilestone]] = {}
    for record in live_milestones(project):
        records.setdefault(record.milestone, []).append(record)
    found = []
    for milestone, label in SiteMilestone.Milestone.choices:
        rule = first_rule(rulebook, MILESTONE_METRICS[milestone])
        due = timing.deadline(rule, project) if timing.is_timeable(rule) else None
        mine = records.get(milestone, [])
        found.append(MilestoneStatus(milestone, label, rule, due, mine, bool(due and not mine and now > due)))
    return found


# -- roll-call --------------------------------------------------------------------------------------------


@dataclass
class RosterEntry:
    user: object
    roles: list[str]
    role_names: list[str]
    entry: RollCall | None = None
    lead: object = None  # minutes (rule unit) before the start, for people the reception rule applies to
    passed: bool | None = None


def _day_staff(project):
    """(user, role key) of the team and of the staff booked on the meeting's days."""
    pairs = [
        (member.user, member.role.key)
        for member in ProjectMember.objects.filter(project=project).select_related("user", "role")
    ]
    for booking in Booking.objects.filter(
        project=project,
        kind=Booking.Kind.STAFF,
        staff__isnull=False,
        starts_at__lt=project.end,
        ends_at__gt=project.start,
    ).select_related("staff"):
        pairs.append((booking.staff, booking.staff_role or ""))
    return pairs


def roles_on_day(project, user) -> list[str] | None:
    """The user's roles in the meeting (team roles, on-site bookings); ``None`` when not on its roster."""
    if user is None or not user.is_authenticated:
        return None
    roles = list(ProjectMember.objects.filter(project=project, user=user).values_list("role__key", flat=True))
    roles += list(
        Booking.objects.filter(
            project=project,
            kind=Booking.Kind.STAFF,
            staff=user,
            starts_at__lt=project.end,
            ends_at__gt=project.start,
        ).values_list("staff_role", flat=True)
    )
    if not roles:
        return None
    return list(dict.fromkeys(role for role in roles if role))


def reception_rule(rulebook: Rulebook) -> Rule | None:
    rule = first_rule(rulebook, RECEPTION_METRIC)
    return rule if timing.is_timeable(rule) else None


def roster(project, rulebook: Rulebook) -> list[RosterEntry]:
    """Everyone expected on site, with their roll-call entry and, for reception, the REQ-PPL-04 verdict."""
    names = {role.key: str(role) for role in Role.objects.all()}
    people: dict[int, RosterEntry] = {}
    for user, role in _day_staff(project):
        entry = people.setdefault(user.pk, RosterEntry(user, [], []))
        if role and role not in entry.roles:
            entry.roles.append(role)
            entry.role_names.append(names.get(role, role))
    for call in RollCall.objects.filter(project=project).select_related(
        "user", "recorded_by", "nonconformance"
    ):
        entry = people.get(call.user_id)
        if entry is None:  # checked in, then taken off the team: the record stays visible
            entry = people[call.user_id] = RosterEntry(
                call.user, list(call.roles), [names.get(r, r) for r in call.roles]
            )
        entry.entry = call
    rule = reception_rule(rulebook)
    for entry in people.values():
        if rule and rule.owner_role in entry.roles and entry.entry:
            entry.lead = timing.elapsed(rule, project, entry.entry.checked_in_at)
            entry.passed = rule.passes(entry.lead)
    return sorted(
        people.values(),
        key=lambda e: (
            e.entry is None,
            e.entry.checked_in_at if e.entry else dt.datetime.max.replace(tzinfo=dt.UTC),
            str(e.user),
        ),
    )


@dataclass
class RollCallSummary:
    present: int
    expected: int
    rule: Rule | None
    reception: list[RosterEntry]

    @property
    def reception_verdict(self) -> str:
        judged = [e for e in self.reception if e.passed is not None]
        if any(e.passed is False for e in judged):
            return "fail"
        if self.reception and len(judged) == len(self.reception):
            return "pass"
        return "open"


def roll_call_summary(project, rulebook: Rulebook) -> RollCallSummary:
    people = roster(project, rulebook)
    rule = reception_rule(rulebook)
    reception = [e for e in people if rule and rule.owner_role in e.roles]
    return RollCallSummary(sum(1 for e in people if e.entry), len(people), rule, reception)
