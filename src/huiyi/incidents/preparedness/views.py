"""Pages of emergency preparedness: thin — forms in, services do the work, back to the page.

Phone-first: the checklist, the contacts (one tap to call) and the panel are made for a phone at the venue.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.accounts.models import User
from huiyi.core.forms import apply_service_errors
from huiyi.core.models import ChannelConfig, Delivery, Notification
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import forms, matrix, pdf, queries, services
from .models import EmergencyContact, EmergencyResource, Risk


def _require(request, permission: str, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _project(request, pk, permission="preparedness.view") -> MeetingProject:
    project = get_object_or_404(MeetingProject.objects.select_related("client"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    _require(request, permission, project)
    return project


def _home(project, anchor: str = "") -> str:
    return reverse("preparedness:project", args=[project.pk]) + (f"#{anchor}" if anchor else "")


def _form_page(request, form, title: str, save, *, back: str, form_id: str, project=None, intro: str = ""):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    context = {
        "form": form,
        "title": title,
        "back": back,
        "form_id": form_id,
        "project": project,
        "intro": intro,
    }
    return render(request, "preparedness/form.html", context, status=400 if form.errors else 200)


def _message_errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# -- the project's preparedness page ------------------------------------------------------------------------


@login_required
def project_home(request, pk):
    project = _project(request, pk)
    user = request.user
    rulebook = rulebook_for(project)
    risks = list(queries.project_risks(project))
    context = {
        "project": project,
        "checklist": queries.checklist(project, rulebook),
        "contacts": list(queries.contacts(project)),
        "sheet": queries.sheet(project),
        "risks": risks,
        "matrix": matrix.matrix_for(rulebook),
        "today": timezone.localdate(),
        "support": queries.support_desk(),
        "can_check": user.has_perm("preparedness.check_resources", project),
        "can_see_contacts": user.has_perm("preparedness.view_contacts", project),
        "can_edit_contacts": user.has_perm("preparedness.edit_contacts", project),
        "can_distribute": user.has_perm("preparedness.distribute_contacts", project),
        "can_see_risks": user.has_perm("preparedness.view_risks", project),
        "can_add_risk": user.has_perm("preparedness.create_risk", project),
        "can_edit_risk": user.has_perm("preparedness.edit_risk", project),
        "started": timezone.now() >= project.start,
    }
    return render(request, "preparedness/project.html", context)


@login_required
def panel(request, pk):
    project = _project(request, pk, "projects.view_meetingproject")
    return render(request, "preparedness/_cockpit_panel.html", {"project": project})


# -- emergency resources ------------------------------------------------------------------------------------


@login_required
def resource_check(request, pk, key):
    project = _project(request, pk, "preparedness.check_resources")
    rules = services.resource_rules(rulebook_for(project))
    if key not in rules:
        raise PermissionDenied
    row = EmergencyResource.objects.filter(project=project, resource=key).first()
    initial = {"quantity": row.quantity, "location": row.location, "note": row.note} if row else {}
    form = forms.ResourceCheckForm(request.POST or None, initial=initial)
    from huiyi.rulebook.display import text

    return _form_page(
        request,
        form,
        _("Check: %(item)s") % {"item": text(rules[key].name)},
        lambda data: services.check_resource(project, resource=key, by=request.user, **data),
        back=_home(project, "resources"),
        form_id="resource-form",
        project=project,
    )


@login_required
def item_check(request, pk):
    item = get_object_or_404(EmergencyResource.objects.select_related("project"), pk=pk)
    project = _project(request, item.project_id, "preparedness.check_resources")
    form = forms.ResourceCheckForm(
        request.POST or None,
        initial={"quantity": item.quantity, "location": item.location, "note": item.note},
    )
    return _form_page(
        request,
        form,
        _("Check: %(item)s") % {"item": item},
        lambda data: services.check_resource(project, item=item, by=request.user, **data),
        back=_home(project, "resources"),
        form_id="resource-form",
        project=project,
    )


@login_required
def resource_add(request, pk):
    project = _project(request, pk, "preparedness.check_resources")
    form = forms.ResourceAddForm(request.POST or None)
    return _form_page(
        request,
        form,
        _("Add an item to the checklist"),
        lambda data: services.add_resource(project, by=request.user, **data),
        back=_home(project, "resources"),
        form_id="resource-add-form",
        project=project,
    )


@login_required
def resource_clear(request, pk):
    item = get_object_or_404(EmergencyResource.objects.select_related("project"), pk=pk)
    project = _project(request, item.project_id, "preparedness.check_resources")
    form = forms.ResourceClearForm(request.POST or None)
    return _form_page(
        request,
        form,
        _("No longer in place: %(item)s") % {"item": item.name or _label(project, item)},
        lambda data: services.clear_resource(item, by=request.user, **data),
        back=_home(project, "resources"),
        form_id="resource-clear-form",
        project=project,
    )


def _label(project, item) -> str:
    from huiyi.rulebook.display import text

    rule = services.resource_rules(rulebook_for(project)).get(item.resource)
    return text(rule.name) if rule else item.resource


# -- emergency contacts -------------------------------------------------------------------------------------


@login_required
def contact_add(request, pk):
    project = _project(request, pk, "preparedness.edit_contacts")
    form = forms.ContactForm(request.POST or None)
    return _form_page(
        request,
        form,
        _("New emergency contact"),
        lambda data: services.add_contact(project, by=request.user, **data),
        back=_home(project, "contacts"),
        form_id="contact-form",
        project=project,
    )


@login_required
def contact_edit(request, pk):
    contact = get_object_or_404(EmergencyContact.objects.select_related("project"), pk=pk)
    project = _project(request, contact.project_id, "preparedness.edit_contacts")
    initial = {name: getattr(contact, name) for name in ("role", "name", "phone", "note")}
    form = forms.ContactForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        str(contact),
        lambda data: services.update_contact(contact, by=request.user, **data),
        back=_home(project, "contacts"),
        form_id="contact-form",
        project=project,
    )


@login_required
@require_POST
def contact_delete(request, pk):
    contact = get_object_or_404(EmergencyContact.objects.select_related("project"), pk=pk)
    project = _project(request, contact.project_id, "preparedness.edit_contacts")
    services.delete_contact(contact, by=request.user)
    messages.success(request, _("“%(contact)s” was removed.") % {"contact": contact})
    return redirect(_home(project, "contacts"))


@login_required
def contact_sheet_pdf(request, pk):
    project = _project(request, pk, "preparedness.view_contacts")
    response = HttpResponse(pdf.render(project), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.code}-emergency-contacts.pdf"'
    return response


@login_required
@require_POST
def contacts_posted(request, pk):
    project = _project(request, pk, "preparedness.distribute_contacts")
    try:
        services.mark_contacts_posted(project, by=request.user)
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(request, _("Recorded: the contact sheet is posted at the venue."))
    return redirect(_home(project, "contacts"))


@login_required
@require_POST
def contacts_send(request, pk):
    project = _project(request, pk, "preparedness.distribute_contacts")
    try:
        sheet = services.send_contacts_to_staff(project, by=request.user)
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(request, _("The contacts were sent to %(n)s staff members.") % {"n": sheet.sent_to})
    return redirect(_home(project, "contacts"))


# -- risks --------------------------------------------------------------------------------------------------


def _risk_page_context(request):
    user = request.user
    risks = queries.visible_risks(user)
    project_filter = request.GET.get("project", "")
    level_filter = request.GET.get("level", "")
    cell = request.GET.get("cell", "")
    status = request.GET.get("status", Risk.Status.OPEN)
    shown = risks
    if project_filter == "org":
        shown = shown.filter(project__isnull=True)
    elif project_filter.isdigit():
        shown = shown.filter(project_id=int(project_filter))
    if status in Risk.Status.values:
        shown = shown.filter(status=status)
    heat = queries.heatmap(shown)
    if level_filter.isdigit():
        shown = shown.filter(level=int(level_filter))
    if cell.count("-") == 1 and all(part.isdigit() for part in cell.split("-")):
        likelihood, impact = (int(part) for part in cell.split("-"))
        shown = shown.filter(likelihood=likelihood, impact=impact)
    today = timezone.localdate()
    return {
        "heat": heat,
        "page": Paginator(shown.order_by("level", "-likelihood", "-impact", "-pk"), 50).get_page(
            request.GET.get("page")
        ),
        "projects": visible_projects(user).filter(register_risks__isnull=False).distinct().order_by("code"),
        "project_filter": project_filter,
        "level_filter": level_filter,
        "cell_filter": cell,
        "status": status,
        "statuses": Risk.Status.choices,
        "today": today,
        "overdue": shown.filter(status=Risk.Status.OPEN, review_date__lt=today).count(),
        "can_add": user.has_perm("preparedness.add_risk"),
    }


@login_required
def risk_register(request):
    if not (request.user.is_superuser or request.user.has_perm("preparedness.view_risk")):
        raise PermissionDenied
    return render(request, "preparedness/risks.html", _risk_page_context(request))


def _owners(project):
    if project is None:
        return User.objects.filter(is_active=True).order_by("username")
    return (
        User.objects.filter(is_active=True, project_memberships__project=project)
        .distinct()
        .order_by("username")
    )


def _risk_form(request, project, initial=None):
    grid = matrix.matrix_for(rulebook_for(project) if project else active_rulebook())
    return forms.RiskForm(request.POST or None, initial=initial, matrix=grid, owners=_owners(project))


def _risk_data(data: dict) -> dict:
    data = dict(data)
    for name in ("likelihood", "impact"):
        data[name] = data.get(name) or None
    return data


@login_required
def risk_add(request):
    project = None
    project_pk = request.GET.get("project") or request.POST.get("project")
    if project_pk and str(project_pk).isdigit():
        project = _project(request, int(project_pk), "preparedness.create_risk")
    elif not (request.user.is_superuser or request.user.has_perm("preparedness.add_risk")):
        raise PermissionDenied
    form = _risk_form(request, project)
    back = _home(project, "risks") if project else reverse("preparedness:risks")
    return _form_page(
        request,
        form,
        _("New risk: %(project)s") % {"project": project.code}
        if project
        else _("New organisation-wide risk"),
        lambda data: services.create_risk(project=project, by=request.user, **_risk_data(data)),
        back=back,
        form_id="risk-form",
        project=project,
    )


@login_required
def risk_edit(request, pk):
    risk = get_object_or_404(Risk.objects.select_related("project"), pk=pk)
    _require(request, "preparedness.edit_risk", risk)
    initial = {name: getattr(risk, name) for name in services.RISK_EDITABLE}
    initial["owner"] = risk.owner_id
    form = _risk_form(request, risk.project, initial)
    back = _home(risk.project, "risks") if risk.project else reverse("preparedness:risks")
    return _form_page(
        request,
        form,
        risk.title,
        lambda data: services.update_risk(risk, by=request.user, **_risk_data(data)),
        back=back,
        form_id="risk-form",
        project=risk.project,
    )


@login_required
def risk_review(request, pk):
    risk = get_object_or_404(Risk.objects.select_related("project"), pk=pk)
    _require(request, "preparedness.edit_risk", risk)
    form = forms.ReviewForm(request.POST or None)
    back = _home(risk.project, "risks") if risk.project else reverse("preparedness:risks")
    return _form_page(
        request,
        form,
        _("Review: %(risk)s") % {"risk": risk.title},
        lambda data: services.review_risk(risk, by=request.user, **data),
        back=back,
        form_id="review-form",
        project=risk.project,
    )


@login_required
@require_POST
def risk_status(request, pk):
    risk = get_object_or_404(Risk.objects.select_related("project"), pk=pk)
    _require(request, "preparedness.edit_risk", risk)
    try:
        services.set_risk_status(risk, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as error:
        _message_errors(request, error)
    return redirect(_home(risk.project, "risks") if risk.project else reverse("preparedness:risks"))


@login_required
@require_POST
def import_plan_risks(request, pk):
    project = _project(request, pk, "preparedness.create_risk")
    try:
        created, skipped = services.import_plan_risks(project, by=request.user)
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(
            request,
            _("%(created)s risks imported from the plan, %(skipped)s already in the register.")
            % {"created": len(created), "skipped": skipped},
        )
        if created:
            messages.info(request, _("Give each imported risk its likelihood and impact to set its level."))
    return redirect(_home(project, "risks"))


# -- channels, deliveries, support desk ---------------------------------------------------------------------


@login_required
def channel_list(request):
    user = request.user
    can_configure = user.has_perm("preparedness.configure_channels")
    can_view = user.has_perm("preparedness.view_deliveries")
    if not (can_configure or can_view):
        raise PermissionDenied
    failed = Paginator(queries.failed_deliveries(), 30).get_page(request.GET.get("page"))
    from huiyi.core import channels as core_channels

    for delivery in failed:
        delivery.channel_label = core_channels.label(delivery.channel, delivery.config)
    context = {
        "configs": ChannelConfig.objects.all() if can_configure else [],
        "failed": failed,
        "can_configure": can_configure,
        "can_retry": user.has_perm("preparedness.retry_deliveries"),
        "support": queries.support_desk(),
        "can_edit_support": user.has_perm("preparedness.change_support_desk"),
        "counts": {
            status: Delivery.objects.filter(status=status).count() for status in Delivery.Status.values
        },
    }
    return render(request, "preparedness/channels.html", context)


def _channel_form_page(request, config):
    _require(request, "preparedness.configure_channels")
    initial = {"payload_format": ChannelConfig.Format.GENERIC, "timeout_seconds": 5, "active": True}
    if config is not None:
        initial = {
            "name": config.name,
            "url": config.url,
            "payload_format": config.payload_format,
            "kinds": ", ".join(config.kinds),
            "timeout_seconds": config.timeout_seconds,
            "active": config.active,
        }
    form = forms.ChannelForm(request.POST or None, initial=initial)

    def save(data):
        services.save_channel(config, by=request.user, **data)

    return _form_page(
        request,
        form,
        config.name if config else _("New webhook channel"),
        save,
        back=reverse("preparedness:channels"),
        form_id="channel-form",
        intro=_(
            "Huiyi POSTs each notification as JSON with an X-Huiyi-Signature header "
            "(HMAC-SHA256 of “timestamp.body” with the secret). WeCom and DingTalk group robots take their "
            "own message format; a DingTalk robot's secret signs the URL as DingTalk requires."
        ),
    )


@login_required
def channel_add(request):
    return _channel_form_page(request, None)


@login_required
def channel_edit(request, pk):
    return _channel_form_page(request, get_object_or_404(ChannelConfig, pk=pk))


@login_required
@require_POST
def channel_test(request, pk):
    _require(request, "preparedness.configure_channels")
    config = get_object_or_404(ChannelConfig, pk=pk)
    services.send_test(config, by=request.user)
    messages.info(request, _("A test message is on its way; its result appears on your notifications."))
    return redirect("preparedness:channels")


@login_required
@require_POST
def delivery_retry(request, pk):
    _require(request, "preparedness.retry_deliveries")
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        services.retry_delivery(delivery, by=request.user)
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(request, _("The delivery is being retried."))
    return redirect("preparedness:channels")


@login_required
def notification_deliveries(request, pk):
    notification = get_object_or_404(Notification.objects.select_related("recipient"), pk=pk)
    if notification.recipient_id != request.user.pk and not request.user.has_perm(
        "preparedness.view_deliveries"
    ):
        raise PermissionDenied
    context = {"notification": notification, "rows": queries.delivery_rows(notification)}
    return render(request, "preparedness/deliveries.html", context)


@login_required
def support_desk(request):
    _require(request, "preparedness.change_support_desk")
    desk = queries.support_desk()["desk"]
    initial = (
        {name: getattr(desk, name) for name in ("hotline", "after_hours_phone", "email", "note")}
        if desk
        else {}
    )
    form = forms.SupportDeskForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        _("Support hotline"),
        lambda data: services.update_support_desk(by=request.user, **data),
        back=reverse("preparedness:channels"),
        form_id="support-form",
        intro=_(
            "The support hours are the organisation's business hours (calendar settings); by default "
            "those of the rulebook's technical-support rule."
        ),
    )
