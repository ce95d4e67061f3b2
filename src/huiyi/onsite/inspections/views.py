"""Pages of on-site inspections, phone first: thin — forms in, services judge and save, back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.accounts.models import User
from huiyi.core.forms import apply_service_errors
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import rulebook_for

from . import forms, queries, services
from . import items as sheet
from .models import InspectionRound, Reading


def _project(request, pk: int, permission: str = "inspections.view") -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("client"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404  # a project one cannot see is a project that does not exist
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def _round(request, pk: int, permission: str = "inspections.view") -> InspectionRound:
    round_ = get_object_or_404(InspectionRound.objects.select_related("project", "room", "inspector"), pk=pk)
    _project(request, round_.project_id, permission)
    return round_


def _can(request, permission: str, project) -> bool:
    return request.user.has_perm(permission, project)


@login_required
def home(request, pk: int):
    """The inspection page of a meeting: set-up/tear-down, latest reading per room and item, rounds, NCs."""
    project = _project(request, pk)
    rulebook = rulebook_for(project)
    context = {
        "project": project,
        "milestones": queries.milestones(project, rulebook),
        "rooms": queries.latest_by_room(project),
        "items": sheet.all_items(rulebook),
        "rounds": list(queries.rounds(project)[:50]),
        "nonconformances": list(queries.inspection_nonconformances(project)),
        "roll_call": queries.roll_call_summary(project, rulebook),
        "milestone_form": forms.MilestoneForm(project=project),
        "can_record": _can(request, "inspections.record", project),
        "can_record_milestone": _can(request, "inspections.record_milestone", project),
        "now": timezone.now(),
    }
    return render(request, "inspections/home.html", context)


@login_required
def round_new(request, pk: int):
    project = _project(request, pk, "inspections.record")
    rulebook = rulebook_for(project)
    initial = {"held_at": timezone.localtime().replace(second=0, microsecond=0), "is_main_hall": True}
    rooms = queries.booked_rooms(project)
    if rooms.count() == 1:
        initial["room"] = rooms.first()
    elif not rooms.exists() and project.venue_name:
        initial["room_name"] = project.venue_name
    form = forms.RoundForm(request.POST or None, project=project, rulebook=rulebook, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.record_round(
                project,
                by=request.user,
                readings=form.readings(),
                room=data["room"],
                room_name=data["room_name"],
                is_main_hall=data["is_main_hall"],
                held_at=data["held_at"],
                note=data["note"],
                complete=data["complete"],
            )
        except ValidationError as error:
            apply_service_errors(form, error, aliases=form.aliases)
        else:
            failed = round_.readings.filter(passed=False).count()
            if failed:
                messages.warning(
                    request,
                    _("Round saved: %(count)s reading(s) failed and opened a nonconformance.")
                    % {"count": failed},
                )
            else:
                messages.success(request, _("Round saved."))
            return redirect("inspections:round", pk=round_.pk)
    context = {"project": project, "form": form}
    return render(request, "inspections/round_form.html", context, status=400 if form.errors else 200)


@login_required
def round_detail(request, pk: int):
    round_ = _round(request, pk)
    project = round_.project
    rulebook = rulebook_for(project)
    sections = queries.round_rows(round_, rulebook)
    missing = [row.item for _section, rows in sections for row in rows if row.reading is None]
    can_record = _can(request, "inspections.record", project)
    form = None
    if can_record and missing and not round_.is_complete:
        form = forms.AddReadingsForm(request.POST or None, project=project, item_list=missing)
        if request.method == "POST" and form.is_valid():
            try:
                added = services.add_readings(round_, by=request.user, readings=form.readings())
            except ValidationError as error:
                apply_service_errors(form, error, aliases=form.aliases)
            else:
                failed = sum(1 for reading in added if not reading.passed)
                if failed:
                    messages.warning(
                        request,
                        _("%(count)s reading(s) saved; %(failed)s failed and opened a nonconformance.")
                        % {"count": len(added), "failed": failed},
                    )
                else:
                    messages.success(request, _("%(count)s reading(s) saved.") % {"count": len(added)})
                return redirect("inspections:round", pk=round_.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "project": project,
        "round": round_,
        "sections": sections,
        "missing": missing,
        "form": form,
        "can_record": can_record,
    }
    return render(
        request, "inspections/round_detail.html", context, status=400 if form and form.errors else 200
    )


@login_required
@require_POST
def round_complete(request, pk: int):
    round_ = _round(request, pk, "inspections.record")
    try:
        services.complete_round(round_, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Round complete."))
    return redirect("inspections:round", pk=round_.pk)


@login_required
def reading_correct(request, pk: int):
    reading = get_object_or_404(Reading.objects.select_related("round", "round__project"), pk=pk)
    project = _project(request, reading.round.project_id, "inspections.record")
    item = sheet.item(rulebook_for(project), reading.rule_id)
    if item is None:
        raise Http404
    form = forms.CorrectionForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correct_reading(
                reading,
                by=request.user,
                value=data["value"],
                reason=data["reason"],
                measured_at=data["measured_at"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Correction saved."))
            return redirect("inspections:round", pk=reading.round_id)
    context = {"project": project, "reading": reading, "item": item, "form": form}
    return render(request, "inspections/correct.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def judge(request, pk: int):
    """The instant verdict of one input of the round form (htmx): nothing is saved."""
    project = _project(request, pk, "inspections.record")
    rule_id = request.POST.get("rule", "")
    found = sheet.item(rulebook_for(project), rule_id)
    if found is None:
        raise Http404
    raw = request.POST.get(found.field_name, "")
    context = {"item": found, "empty": not str(raw).strip()}
    if not context["empty"]:
        try:
            context["verdict"] = services.judge(
                project, rule_id, raw, main_hall=request.POST.get("is_main_hall") in ("on", "true", "1")
            )
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
    return render(request, "inspections/_verdict.html", context)


@login_required
@require_POST
def milestone_record(request, pk: int):
    project = _project(request, pk, "inspections.record_milestone")
    form = forms.MilestoneForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_milestone(
                project,
                milestone=data["milestone"],
                by=request.user,
                at=data["at"],
                room=data["room"],
                room_name=data["room_name"],
                note=data["note"],
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if record.passed:
                messages.success(
                    request,
                    _("%(milestone)s recorded: on time.") % {"milestone": record.get_milestone_display()},
                )
            else:
                messages.warning(
                    request,
                    _("%(milestone)s recorded: late; a nonconformance is open.")
                    % {"milestone": record.get_milestone_display()},
                )
            return redirect(reverse("inspections:home", args=[project.pk]) + "#milestones")
    rulebook = rulebook_for(project)
    context = {
        "project": project,
        "milestones": queries.milestones(project, rulebook),
        "milestone_form": form,
        "can_record_milestone": True,
        "now": timezone.now(),
    }
    return render(request, "inspections/milestone_form.html", context, status=400)


@login_required
def roll_call(request, pk: int):
    project = _project(request, pk, "inspections.view_roll_call")
    rulebook = rulebook_for(project)
    if request.method == "POST":
        form = forms.CheckInForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the staff member."))
            return redirect("inspections:roll_call", pk=project.pk)
        person = User.objects.filter(pk=form.cleaned_data["user"]).first()
        try:
            entry, created = services.check_in(
                project,
                user=person,
                by=request.user,
                at=form.cleaned_data["at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            time = timezone.localtime(entry.checked_in_at).strftime("%H:%M")
            if created:
                messages.success(
                    request, _("%(name)s in place at %(time)s.") % {"name": entry.user, "time": time}
                )
            else:
                messages.info(
                    request,
                    _("%(name)s was in place already (%(time)s).") % {"name": entry.user, "time": time},
                )
        return redirect("inspections:roll_call", pk=project.pk)
    people = queries.roster(project, rulebook)
    me = next((entry for entry in people if entry.user.pk == request.user.pk), None)
    context = {
        "project": project,
        "people": people,
        "me": me,
        "summary": queries.roll_call_summary(project, rulebook),
        "can_check_in_others": _can(request, "inspections.roll_call_others", project),
        "can_check_in_self": me is not None and _can(request, "inspections.roll_call_self", project),
        "now": timezone.now(),
    }
    return render(request, "inspections/roll_call.html", context)


@login_required
def panel(request, pk: int):
    """The cockpit panel on its own (htmx polling)."""
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404
    return render(request, "inspections/_cockpit_panel.html", {"project": project, "polled": True})
