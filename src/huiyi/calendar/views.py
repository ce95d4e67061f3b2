import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from . import queries, services
from .forms import CalendarDayForm, DueForm, ImportForm
from .importers import ScheduleFileError
from .models import CalendarDay

FIRST_YEAR, LAST_YEAR = 2004, 2100


def _year(request) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return timezone.localdate().year


@login_required
def year_view(request):
    year = _year(request)
    calendar = services.work_calendar(request)
    due_form = DueForm(request.GET or None) if "amount" in request.GET else DueForm()
    deadline = None
    if due_form.is_bound and due_form.is_valid():
        deadline = _compute_due(request, due_form)
    return render(
        request,
        "calendar/year.html",
        {
            "year": year,
            "months": queries.year_grid(calendar.schedule, year),
            "summary": queries.year_summary(calendar.schedule, year),
            "corrections": queries.corrections(year),
            "loaded": queries.loaded_year(year),
            "day_form": CalendarDayForm(initial={"date": dt.date(year, 1, 1)}),
            "import_form": ImportForm(initial={"confirm_year": year}),
            "due_form": due_form,
            "deadline": deadline,
            "can_edit": request.user.has_perm("workcalendar.change_calendarday"),
            "weekdays": [
                pgettext("weekday, one letter", "Mon"),
                pgettext("weekday, one letter", "Tue"),
                pgettext("weekday, one letter", "Wed"),
                pgettext("weekday, one letter", "Thu"),
                pgettext("weekday, one letter", "Fri"),
                pgettext("weekday, one letter", "Sat"),
                pgettext("weekday, one letter", "Sun"),
            ],
        },
    )


def _compute_due(request, form):
    start = form.cleaned_data["start"]
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    amount = form.cleaned_data["amount"]
    kind = form.cleaned_data["kind"]
    arguments = {kind: int(amount) if kind == "working_days" else amount}
    try:
        return services.due(start, request=request, **arguments)
    except ValueError as error:
        form.add_error("amount", str(error))
        return None


@login_required
@permission_required("workcalendar.change_calendarday", raise_exception=True)
def day_edit(request, pk=None):
    day = get_object_or_404(CalendarDay, pk=pk) if pk else None
    form = CalendarDayForm(request.POST or None, instance=day)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.created_by_id is None:
            saved.created_by = request.user
        saved.source = saved.source or _("entered by %(user)s") % {"user": request.user}
        saved.save()
        messages.success(request, _("Saved %(day)s.") % {"day": saved})
        return redirect(_year_url(saved.date.year))
    return render(request, "calendar/day_form.html", {"form": form, "day": day})


@login_required
@permission_required("workcalendar.delete_calendarday", raise_exception=True)
@require_POST
def day_delete(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    day.delete()
    messages.success(request, _("Removed the correction for %(date)s.") % {"date": day.date.isoformat()})
    return redirect(_year_url(year))


@login_required
@permission_required("workcalendar.add_calendarday", raise_exception=True)
@require_POST
def import_view(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("calendar:year")
    year = form.cleaned_data.get("confirm_year")
    upload = form.cleaned_data["file"]
    try:
        result = services.import_schedule(
            upload, filename=upload.name, user=request.user, confirm_years=[year] if year else []
        )
    except ScheduleFileError as error:
        messages.error(
            request, _("Nothing was imported: %(problems)s") % {"problems": "; ".join(error.errors[:10])}
        )
        return redirect("calendar:year")
    messages.success(request, result.summary())
    return redirect(_year_url((result.years or [year or timezone.localdate().year])[0]))


def _year_url(year: int) -> str:
    return f"{reverse('calendar:year')}?year={year}"
