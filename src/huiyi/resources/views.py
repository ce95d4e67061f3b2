"""Pages of the resources app; thin — they call services and queries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core.files import download
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects
from huiyi.rulebook.display import text, unit_label
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import calculator, queries, readings, services
from .forms import (
    ApplyProposalForm,
    BookingForm,
    CalculatorForm,
    ConfirmBookingForm,
    EquipmentForm,
    MaintenanceForm,
    MaterialAcceptanceForm,
    RehearsalForm,
    RoomForm,
    ScorecardForm,
    SparePartForm,
    SupplierForm,
    TestReportForm,
    UsageForm,
    VenueForm,
)
from .models import (
    Booking,
    Equipment,
    EquipmentCategory,
    MaterialAcceptance,
    Room,
    SparePart,
    StaffRole,
    Supplier,
    Venue,
)


def _form_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form's fields (unknown fields become form errors)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- registers ------------------------------------------------------------------------------------
@login_required
@permission_required("resources.view_venue", raise_exception=True)
def index(request):
    equipment = queries.equipment_register()
    suppliers = queries.supplier_list()
    return render(
        request,
        "resources/index.html",
        {
            "venue_count": Venue.objects.count(),
            "room_count": Room.objects.count(),
            "equipment_count": len(equipment),
            "overdue_count": sum(1 for e in equipment if e.maintenance_overdue),
            "supplier_count": sum(1 for s in suppliers if s.qualified),
            "evaluation_due_count": sum(1 for s in suppliers if s.qualified and s.evaluation_overdue),
            "material_count": MaterialAcceptance.objects.count(),
            "low_spares": SparePart.objects.filter(quantity__lte=0).count(),
        },
    )


@login_required
@permission_required("resources.view_venue", raise_exception=True)
def venue_list(request):
    return render(request, "resources/venue_list.html", {"venues": queries.venues()})


@login_required
@permission_required("resources.add_venue", raise_exception=True)
def venue_create(request):
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        venue = services.create_venue(created_by=request.user, **form.cleaned_data)
        messages.success(request, _("Venue %(name)s added.") % {"name": venue.name})
        return redirect("resources:venue", pk=venue.pk)
    return render(request, "resources/form.html", {"form": form, "title": _("New venue")})


@login_required
@permission_required("resources.view_venue", raise_exception=True)
def venue_detail(request, pk: int):
    venue = get_object_or_404(queries.venues(), pk=pk)
    return render(request, "resources/venue_detail.html", {"venue": venue})


@login_required
@permission_required("resources.change_venue", raise_exception=True)
def venue_edit(request, pk: int):
    venue = get_object_or_404(Venue, pk=pk)
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        services.update_venue(venue, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("resources:venue", pk=venue.pk)
    return render(request, "resources/form.html", {"form": form, "title": venue.name})


@login_required
@permission_required("resources.add_room", raise_exception=True)
def room_edit(request, venue_pk: int, pk: int | None = None):
    venue = get_object_or_404(Venue, pk=venue_pk)
    room = get_object_or_404(Room, pk=pk, venue=venue) if pk else None
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            if room:
                services.update_room(room, **form.model_fields())
            else:
                services.add_room(venue, created_by=request.user, **form.model_fields())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("resources:venue", pk=venue.pk)
    title = _("Room of %(venue)s") % {"venue": venue.name}
    return render(request, "resources/form.html", {"form": form, "title": title})


@login_required
@permission_required("resources.view_equipment", raise_exception=True)
def equipment_list(request):
    category = request.GET.get("category") or None
    overdue = request.GET.get("overdue") == "1"
    return render(
        request,
        "resources/equipment_list.html",
        {
            "items": queries.equipment_register(category, overdue),
            "categories": EquipmentCategory.choices,
            "category": category,
            "overdue": overdue,
            "pass_rate": services.electrical_safety_pass_rate(),
            "interval": active_rulebook().rule("res.equipment.maintenance_interval"),
            "spares": SparePart.objects.all(),
        },
    )


@login_required
@permission_required("resources.add_equipment", raise_exception=True)
def equipment_create(request):
    form = EquipmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = services.register_equipment(created_by=request.user, **form.cleaned_data)
        return redirect("resources:equipment", pk=item.pk)
    return render(request, "resources/form.html", {"form": form, "title": _("New equipment")})


@login_required
@permission_required("resources.view_equipment", raise_exception=True)
def equipment_detail(request, pk: int):
    item = get_object_or_404(Equipment, pk=pk)
    forms = {"test": TestReportForm(), "usage": UsageForm(), "maintenance": MaintenanceForm()}
    if request.method == "POST":
        if not request.user.has_perm("resources.change_equipment"):
            raise PermissionDenied
        which = request.POST.get("record")
        form_class = {"test": TestReportForm, "usage": UsageForm, "maintenance": MaintenanceForm}.get(which)
        if form_class is None:
            raise Http404
        form = form_class(request.POST)
        forms[which] = form
        if form.is_valid():
            try:
                if which == "test":
                    services.record_test_report(item, recorded_by=request.user, **form.cleaned_data)
                elif which == "usage":
                    services.log_usage(item, user=request.user, **form.cleaned_data)
                else:
                    services.record_maintenance(item, recorded_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Recorded."))
                return redirect("resources:equipment", pk=item.pk)
    item.maintenance_due_on = queries.maintenance_due(item)
    return render(
        request,
        "resources/equipment_detail.html",
        {
            "item": item,
            "reports": item.test_reports.select_related("recorded_by")[:50],
            "usage": item.usage.select_related("user", "project")[:50],
            "maintenance": item.maintenance.all()[:50],
            "forms": forms,
        },
    )


@login_required
@permission_required("resources.add_sparepart", raise_exception=True)
def spare_part_create(request):
    form = SparePartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_spare_part(created_by=request.user, **form.cleaned_data)
        return redirect("resources:equipment_list")
    return render(request, "resources/form.html", {"form": form, "title": _("New spare part")})


@login_required
@permission_required("resources.view_supplier", raise_exception=True)
def supplier_list(request):
    return render(request, "resources/supplier_list.html", {"suppliers": queries.supplier_list()})


@login_required
@permission_required("resources.add_supplier", raise_exception=True)
def supplier_create(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        supplier = services.add_supplier(created_by=request.user, **form.cleaned_data)
        return redirect("resources:supplier", pk=supplier.pk)
    return render(request, "resources/form.html", {"form": form, "title": _("New supplier")})


@login_required
@permission_required("resources.view_supplier", raise_exception=True)
def supplier_detail(request, pk: int):
    supplier = get_object_or_404(Supplier, pk=pk)
    form = ScorecardForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("resources.add_supplierscorecard"):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evaluate_supplier(
                    supplier,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    scores={c.key: data[c.key] for c in form.criteria},
                    by=request.user,
                    note=data["note"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Evaluation recorded."))
                return redirect("resources:supplier", pk=supplier.pk)
    cards = supplier.scorecards.select_related("standing").prefetch_related("scores__criterion")
    return render(
        request,
        "resources/supplier_detail.html",
        {
            "supplier": supplier,
            "cards": cards,
            "form": form,
            "due_on": queries.supplier_evaluation_due(supplier),
        },
    )


@login_required
@permission_required("resources.view_materialacceptance", raise_exception=True)
def material_list(request):
    rulebook = active_rulebook()
    rows = list(
        MaterialAcceptance.objects.select_related("project", "supplier", "signed_by").order_by(
            "-received_on"
        )[:200]
    )
    for row in rows:
        row.findings = services.storage_findings(row, rulebook)
    storage_rules = [r for r in rulebook.rules if r.applies_to.get("material_class")]
    return render(request, "resources/material_list.html", {"rows": rows, "storage_rules": storage_rules})


@login_required
@permission_required("resources.add_materialacceptance", raise_exception=True)
def material_create(request):
    form = MaterialAcceptanceForm(request.POST or None, projects=visible_projects(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_material_acceptance(signed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Acceptance form signed."))
            return redirect("resources:materials")
    return render(request, "resources/form.html", {"form": form, "title": _("Material acceptance form")})


# --- calculator -----------------------------------------------------------------------------------
def _changeable_projects(user):
    projects = visible_projects(user).order_by("-start")
    return [p for p in projects[:200] if user.has_perm("projects.change_meetingproject", p)]


@login_required
def calculator_page(request):
    project = None
    if request.GET.get("project"):
        project = get_object_or_404(visible_projects(request.user), pk=request.GET["project"])
    rulebook = rulebook_for(project) if project else active_rulebook()
    initial = {"attendees": project.expected_attendees} if project else {}
    data = request.GET if "attendees" in request.GET else None
    form = CalculatorForm(data, initial=initial, rooms=queries.rooms())
    result, errors = None, {}
    if data is not None:
        try:
            result = calculator.calculate(
                calculator.parse(_calculator_data(request.GET), rulebook, rooms=queries.rooms()), rulebook
            )
        except calculator.CalculatorError as error:
            errors = error.errors
    changeable = _changeable_projects(request.user)
    ids = {p.pk for p in changeable}
    apply_form = ApplyProposalForm(
        initial={"project": project.pk if project and project.pk in ids else None},
        projects=MeetingProject.objects.filter(pk__in=ids),
    )
    context = {
        "form": form,
        "result": result,
        "staff_rows": _staff_rows(result),
        "errors": errors,
        "project": project,
        "apply_form": apply_form,
        "alpha_range": calculator.alpha_bounds(rulebook),
        "alpha_default": calculator.default_alpha(rulebook),
    }
    template = "resources/_calculator_result.html" if request.htmx else "resources/calculator.html"
    return render(request, template, context)


def _staff_rows(result) -> list[dict]:
    if not result:
        return []
    labels = dict(StaffRole.choices)
    return [
        {"role": role, "label": labels[role], "range": result["staffing_ranges"][role], "count": count}
        for role, count in result["staffing"].items()
    ]


def _calculator_data(source) -> dict:
    return {
        "attendees": source.get("attendees"),
        "layout": source.get("layout"),
        "tiers": source.getlist("tiers"),
        "alpha": source.get("alpha"),
        "custom_units": source.get("custom_units"),
        "room": source.get("room"),
    }


@login_required
@require_POST
def calculator_apply(request):
    changeable = _changeable_projects(request.user)
    form = ApplyProposalForm(
        request.POST, projects=MeetingProject.objects.filter(pk__in=[p.pk for p in changeable])
    )
    if not form.is_valid():
        messages.error(request, _("Choose a project you may change."))
        return redirect(f"{_url('resources:calculator')}?{request.POST.urlencode()}")
    project = form.cleaned_data["project"]
    try:
        services.apply_proposal(
            project,
            _calculator_data(request.POST),
            by=request.user,
            chosen=form.chosen(),
            override_reason=form.cleaned_data["override_reason"],
        )
    except calculator.CalculatorError as error:
        messages.error(request, " ".join(error.errors.values()))
        return redirect(f"{_url('resources:calculator')}?{request.POST.urlencode()}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{_url('resources:calculator')}?{request.POST.urlencode()}")
    messages.success(request, _("The proposal is stored on %(project)s.") % {"project": project.name})
    return redirect("resources:project_bookings", pk=project.pk)


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


# --- bookings and readiness of a project ----------------------------------------------------------
def _project(request, pk):
    project = get_object_or_404(MeetingProject.objects.select_related("rulebook_version"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404
    return project


def _plan_lines(project) -> list:
    try:
        return queries.plan_resources(project) or []
    except ImportError:
        return []


def _booking_form(project, data, can_change=True, files=None):
    if not can_change:
        return None
    return BookingForm(
        data,
        files,
        initial={"kind": Booking.Kind.VENUE, "starts_at": project.start, "ends_at": project.end},
        rooms=queries.rooms(),
        plan_lines=_plan_lines(project),
    )


def _bookings_context(request, project, booking_form=None):
    bookings = list(queries.project_bookings(project))
    rulebook = rulebook_for(project)
    devices = queries.device_readiness(project, bookings)
    for device in devices:
        device.inputs = [
            {"metric": rule.metric, "label": f"{text(rule.name)} ({unit_label(rule.unit)})"}
            for rule in readings.rules_for_category(device.booking.equipment.category, rulebook)
        ]
    try:
        comparison = queries.compare_with_plan(project, bookings)
    except ImportError:
        comparison = None
    can_change = request.user.has_perm("projects.change_meetingproject", project)
    return {
        "project": project,
        "bookings": bookings,
        "devices": devices,
        "comparison": comparison,
        "proposal": queries.latest_proposal(project),
        "rehearsal": project.rehearsals.select_related("held_by").first(),
        "can_change": can_change,
        "can_check": services.can_check_equipment(request.user, project),
        "booking_form": booking_form or _booking_form(project, None, can_change),
        "confirm_form": ConfirmBookingForm(),
        "rehearsal_form": RehearsalForm(),
    }


@login_required
def project_bookings(request, pk: int):
    project = _project(request, pk)
    return render(request, "resources/project_bookings.html", _bookings_context(request, project))


@login_required
@require_POST
def booking_create(request, pk: int):
    project = _project(request, pk)
    form = _booking_form(project, request.POST, files=request.FILES)
    if form.is_valid():
        try:
            services.book(project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Booked."))
            return redirect("resources:project_bookings", pk=project.pk)
    return render(request, "resources/project_bookings.html", _bookings_context(request, project, form))


def _booking(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("project", "room__venue", "equipment"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", booking.project):
        raise Http404
    return booking


@login_required
@require_POST
def booking_confirm(request, pk: int):
    booking = _booking(request, pk)
    form = ConfirmBookingForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.confirm_booking(booking, by=request.user, document=form.cleaned_data["document"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Booking confirmed."))
    else:
        messages.error(request, _("Choose the confirmation letter or contract to upload."))
    return redirect("resources:project_bookings", pk=booking.project_id)


@login_required
@require_POST
def booking_cancel(request, pk: int):
    booking = _booking(request, pk)
    services.cancel_booking(booking, by=request.user)
    messages.success(request, _("Booking cancelled."))
    return redirect("resources:project_bookings", pk=booking.project_id)


@login_required
def booking_file(request, pk: int, which: str):
    booking = _booking(request, pk)
    file = {"confirmation": booking.confirmation_document, "layout": booking.layout_drawing}.get(which)
    if not file:
        raise Http404
    return download(file, file.name.rsplit("/", 1)[-1])  # type from the bytes, an attachment (issue 10)


@login_required
@require_POST
def equipment_check(request, pk: int):
    booking = _booking(request, pk)
    given = {
        key.removeprefix("reading_"): value
        for key, value in request.POST.items()
        if key.startswith("reading_")
    }
    try:
        check = services.record_equipment_check(
            booking,
            by=request.user,
            readings_given=given,
            functional=request.POST.get("functional") == "yes",
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if check.passed:
            messages.success(request, _("Check recorded: passed."))
        else:
            messages.warning(request, _("Check recorded: not passed."))
    return redirect("resources:project_bookings", pk=booking.project_id)


@login_required
@require_POST
def rehearsal_record(request, pk: int):
    project = _project(request, pk)
    form = RehearsalForm(request.POST)
    if form.is_valid():
        services.record_rehearsal(project, by=request.user, **form.cleaned_data)
        messages.success(request, _("Rehearsal recorded."))
    else:
        messages.error(request, _("Give the date and time of the rehearsal."))
    return redirect("resources:project_bookings", pk=project.pk)
