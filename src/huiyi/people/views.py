"""Pages of people: thin — forms in, services judge and save, queries read."""

from __future__ import annotations

import datetime as dt

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
from huiyi.core.paging import page_of

from . import forms, measures, queries, services
from .models import Certification, MandarinLevel, ModuleSession, PerformanceReview

LIST_PAGE = 50
OVERDUE_SHOWN = 200


def _person(request, pk: int, permission: str = "people.view") -> User:
    person = get_object_or_404(User.objects.select_related("org_unit"), pk=pk, is_active=True)
    if not request.user.has_perm("people.view", person):
        raise Http404
    if permission != "people.view" and not request.user.has_perm(permission, person):
        raise PermissionDenied
    return person


def _need(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


@login_required
def me(request):
    return redirect("people:detail", pk=request.user.pk)


@login_required
def staff_list(request):
    """Staff the user sees, with filters; expired/expiring certificates and overdue training flagged."""
    if not request.user.has_perm("people.list"):
        return redirect("people:detail", pk=request.user.pk)
    form = forms.StaffFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    people = queries.staff_list(
        request.user,
        unit=data.get("unit"),
        role=data.get("role", ""),
        text=data.get("q", ""),
        certificates=data.get("certificates", ""),
        today=today,
    )
    page, query = page_of(request, people, LIST_PAGE)
    shown = list(page)
    lead = queries.expiry_lead_days()
    certs: dict[int, list] = {}
    for cert in Certification.objects.filter(profile__user__in=[p.pk for p in shown]).select_related(
        "profile"
    ):
        certs.setdefault(cert.profile.user_id, []).append(queries.certificate_state(cert, today, lead))
    late: dict[int, int] = {}
    for row in queries.overdue(today, people=User.objects.filter(pk__in=[p.pk for p in shown])):
        late[row.user.pk] = late.get(row.user.pk, 0) + 1
    rows = [
        {
            "person": p,
            "profile": getattr(p, "staff", None),
            "memberships": list(p.memberships.all()),
            "expired": certs.get(p.pk, []).count("expired"),
            "expiring": certs.get(p.pk, []).count("expiring"),
            "overdue": late.get(p.pk, 0),
        }
        for p in shown
    ]
    context = {"form": form, "rows": rows, "page": page, "query": query}
    return render(request, "people/list.html", context)


@login_required
def detail(request, pk: int):
    """A person's record: profile, certifications, training (plan and pre-meeting), measures, reviews."""
    person = _person(request, pk)
    today = timezone.localdate()
    profile = getattr(person, "staff", None)
    lead = queries.expiry_lead_days()
    certs = [
        {"c": c, "state": queries.certificate_state(c, today, lead)}
        for c in (profile.certifications.all() if profile else [])
    ]
    period = forms.PeriodForm(request.GET or None)
    kind, (start, end) = period.bounds()
    context = {
        "person": person,
        "profile": profile,
        "memberships": person.memberships.select_related("role", "org_unit"),
        "certs": certs,
        "lead_days": lead,
        "modules": queries.person_modules(person, today),
        "record": _training_record(person),
        "tab": "me" if person.pk == request.user.pk else "staff",
        "period_form": period,
        "start": start,
        "last_day": end - dt.timedelta(days=1),
        "measures": measures.measures(person, start, end),
        "reviews": PerformanceReview.objects.filter(subject=person).select_related("reviewer"),
        "feedback": queries.peer_feedback(person)[:20],
        "feedback_form": forms.FeedbackForm(),
        "can_edit": request.user.has_perm("people.edit", person),
        "can_review": request.user.has_perm("people.review", person),
        "can_feedback": request.user.has_perm("people.give_feedback", person),
        "mandarin": dict(MandarinLevel.choices),
    }
    return render(request, "people/detail.html", context)


def _training_record(person, limit: int = 60) -> list[dict]:
    """Plan sessions and pre-meeting trainings (REQ-PRE-02) of one person, newest first."""
    rows = [
        {"day": a.session.held_on, "a": a, "session": a.session, "meeting": None}
        for a in queries.person_sessions(person)[:limit]
    ]
    rows += [
        {
            "day": timezone.localtime(a.session.held_at).date(),
            "a": a,
            "session": a.session,
            "meeting": a.session.project,
        }
        for a in queries.person_meeting_trainings(person)[:limit]
    ]
    return sorted(rows, key=lambda r: r["day"], reverse=True)[:limit]


def _form_page(request, form, *, title: str, person=None, back: str = "", delete_url: str = ""):
    return render(
        request,
        "people/form.html",
        {"form": form, "title": title, "person": person, "back": back, "delete_url": delete_url},
    )


@login_required
def profile_edit(request, pk: int):
    person = _person(request, pk, "people.edit")
    profile = services.profile_of(person) if request.method == "POST" else getattr(person, "staff", None)
    initial = {"phone": person.phone}
    if profile:
        initial.update(
            {
                f: getattr(profile, f)
                for f in ("job_title", "employee_number", "hired_on", "mandarin_level", "languages", "notes")
            }
        )
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, form, title=_("Edit profile"), person=person)


@login_required
def certification_new(request, pk: int):
    person = _person(request, pk, "people.edit")
    form = forms.CertificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_certification(person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Certificate added."))
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, form, title=_("Add a certificate"), person=person)


@login_required
def certification_edit(request, pk: int):
    cert = get_object_or_404(Certification.objects.select_related("profile__user"), pk=pk)
    person = _person(request, cert.profile.user_id, "people.edit")
    fields = ("name", "issuer", "number", "issued_on", "expires_on")
    form = forms.CertificationForm(request.POST or None, initial={f: getattr(cert, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_certification(cert, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Certificate saved."))
            return redirect("people:detail", pk=person.pk)
    return _form_page(
        request,
        form,
        title=_("Edit certificate"),
        person=person,
        delete_url=reverse("people:certification_delete", args=[cert.pk]),
    )


@login_required
@require_POST
def certification_delete(request, pk: int):
    cert = get_object_or_404(Certification.objects.select_related("profile__user"), pk=pk)
    person = _person(request, cert.profile.user_id, "people.edit")
    services.delete_certification(cert, by=request.user)
    messages.success(request, _("Certificate removed."))
    return redirect("people:detail", pk=person.pk)


@login_required
@require_POST
def feedback(request, pk: int):
    person = _person(request, pk, "people.give_feedback")
    form = forms.FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.give_feedback(person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: your feedback is recorded."))
    else:
        messages.error(request, _("Give a teamwork score from 1 to 5."))
    return redirect("people:detail", pk=person.pk)


# -- training plan ----------------------------------------------------------------------------------------


@login_required
def training(request):
    """The training plan (§5.2): modules with cycle, methods, outcome and roles; coverage and pass rate per
    module over a month, quarter or year; who is overdue."""
    _need(request, "people.view_training")
    period = forms.PeriodForm(request.GET or None)
    kind, (start, end) = period.bounds()
    people = queries.visible_staff(request.user)
    overdue = queries.overdue(people=people)
    context = {
        "period_form": period,
        "kind": kind,
        "figures": queries.plan_figures(start, end, people=people),
        "last_day": end - dt.timedelta(days=1),
        "overdue": overdue[:OVERDUE_SHOWN],
        "overdue_total": len(overdue),
        "can_manage": request.user.has_perm("people.manage_training"),
    }
    from huiyi.rulebook.services import active_rulebook

    rulebook = active_rulebook()
    context["pass_mark"] = rulebook.rule(queries.PASS_MARK_RULE)
    context["coverage_rule"] = rulebook.rule(queries.COVERAGE_RULE)
    context["pass_rate_rule"] = rulebook.rule(queries.PASS_RATE_RULE)
    return render(request, "people/training.html", context)


@login_required
def module_edit(request, key: str):
    _need(request, "people.manage_training")
    module = queries.module_map().get(key)
    if module is None:
        raise Http404
    plan = module.plan
    form = forms.ModulePlanForm(
        request.POST or None,
        initial={
            "content_zh": plan.content.get("zh-hans", ""),
            "content_en": plan.content.get("en", ""),
            "methods": plan.methods,
            "outcome_zh": plan.expected_outcome.get("zh-hans", ""),
            "outcome_en": plan.expected_outcome.get("en", ""),
            "target_roles": plan.target_roles,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_module_plan(
                key,
                by=request.user,
                methods=data["methods"],
                target_roles=data["target_roles"],
                content={k: v for k, v in (("zh-hans", data["content_zh"]), ("en", data["content_en"])) if v},
                expected_outcome={
                    k: v for k, v in (("zh-hans", data["outcome_zh"]), ("en", data["outcome_en"])) if v
                },
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Training plan saved."))
            return redirect("people:training")
    return _form_page(request, form, title=_("Training module: %(name)s") % {"name": module.name})


@login_required
def sessions(request):
    """Sessions of the plan, filtered by module and period (the KPI dashboard's drill-down)."""
    _need(request, "people.view_training")
    form = forms.SessionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = queries.session_list(module=data.get("module", ""), start=data.get("start"), end=data.get("end"))
    names = {m.key: m.name for m in queries.modules()}
    page, query = page_of(request, rows, LIST_PAGE)
    return render(
        request,
        "people/sessions.html",
        {
            "form": form,
            "rows": page,
            "page": page,
            "query": query,
            "names": names,
            "can_manage": request.user.has_perm("people.manage_training"),
        },
    )


@login_required
def session_new(request):
    _need(request, "people.manage_training")
    form = forms.SessionForm(request.POST or None, initial={"module": request.GET.get("module", "")})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.record_session(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Session recorded; now tick who attended and enter the scores."))
            return redirect("people:session", pk=session.pk)
    return _form_page(request, form, title=_("Record a training session"))


@login_required
def session_detail(request, pk: int):
    _need(request, "people.view_training")
    session = get_object_or_404(ModuleSession, pk=pk)
    module = queries.module_map().get(session.module)
    people = queries.visible_staff(request.user)
    if module is not None:
        listed = session.attendances.values("user_id")
        people = (queries.target_staff(module, people) | people.filter(pk__in=listed)).distinct()
    people = people.order_by("username")
    form = forms.AttendanceForm(request.POST or None, people=people, session=session)
    can_manage = request.user.has_perm("people.manage_training")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_attendance(session, form.cleaned_rows(), by=request.user)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Attendance and scores saved."))
                return redirect("people:session", pk=session.pk)
    attendances = list(session.attendances.filter(attended=True))
    scored = [a for a in attendances if a.score is not None]
    return render(
        request,
        "people/session.html",
        {
            "session": session,
            "module": module,
            "form": form,
            "can_manage": can_manage,
            "attended": len(attendances),
            "scored": len(scored),
            "passed": sum(1 for a in scored if a.score >= session.pass_mark),
        },
    )


# -- reviews ------------------------------------------------------------------------------------------------


def _review(request, pk: int, permission: str = "people.view_review") -> PerformanceReview:
    review = get_object_or_404(PerformanceReview.objects.select_related("subject", "reviewer"), pk=pk)
    if not request.user.has_perm("people.view_review", review):
        raise Http404
    if permission != "people.view_review" and not request.user.has_perm(permission, review):
        raise PermissionDenied
    return review


@login_required
def reviews(request):
    if not request.user.has_perm("people.list"):
        return redirect("people:detail", pk=request.user.pk)
    rows = PerformanceReview.objects.filter(subject__in=queries.visible_staff(request.user)).select_related(
        "subject", "reviewer"
    )
    page, query = page_of(request, rows, LIST_PAGE)
    return render(request, "people/reviews.html", {"rows": page, "page": page, "query": query})


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last full review period of the rulebook (``ppl.review.period`` months) before this month."""
    from huiyi.rulebook.services import active_rulebook

    months = int(active_rulebook().value(queries.REVIEW_RULE))
    end = today.replace(day=1)
    return queries.add_months(end, -months), end - dt.timedelta(days=1)


def _review_form_page(request, person, form, review=None):
    start, end = None, None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    else:
        start = form.initial.get("period_start") or (review and review.period_start)
        end = form.initial.get("period_end") or (review and review.period_end)
    preview = (
        measures.measures(person, start, end + dt.timedelta(days=1)) if start and end and end >= start else []
    )
    return render(
        request,
        "people/review_form.html",
        {"person": person, "form": form, "review": review, "preview": preview, "start": start, "end": end},
    )


@login_required
def review_new(request, pk: int):
    person = _person(request, pk, "people.review")
    start, end = _default_period(timezone.localdate())
    try:
        start = (
            dt.date.fromisoformat(request.GET["period_start"]) if request.GET.get("period_start") else start
        )
        end = dt.date.fromisoformat(request.GET["period_end"]) if request.GET.get("period_end") else end
    except ValueError:
        pass
    form = forms.ReviewForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid() and "save" in request.POST:
        try:
            review = services.save_review(person, by=request.user, **form.values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Review saved as a draft."))
            return redirect("people:review", pk=review.pk)
    return _review_form_page(request, person, form)


@login_required
def review_edit(request, pk: int):
    review = _review(request, pk)
    if review.status != PerformanceReview.Status.DRAFT or not request.user.has_perm("people.review", review):
        raise PermissionDenied
    initial = {
        "period_start": review.period_start,
        "period_end": review.period_end,
        "overall": str(review.overall or ""),
        "strengths": review.strengths,
        "improvements": review.improvements,
        "accountability_link": review.accountability_link,
        **{f"rating_{k}": str(v) for k, v in review.ratings.items()},
    }
    form = forms.ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and "save" in request.POST:
        try:
            services.save_review(review.subject, by=request.user, review=review, **form.values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect("people:review", pk=review.pk)
    return _review_form_page(request, review.subject, form, review)


@login_required
def review(request, pk: int):
    review = _review(request, pk)
    shown = [
        {"key": key, "label": label, "data": review.measures.get(key, {}), "rating": review.ratings.get(key)}
        for key, label in measures.DIMENSIONS
    ]
    return render(
        request,
        "people/review.html",
        {
            "review": review,
            "shown": shown,
            "ack_form": forms.AcknowledgeForm(),
            "can_edit": review.status == PerformanceReview.Status.DRAFT
            and request.user.has_perm("people.review", review),
            "can_ack": review.status == PerformanceReview.Status.SUBMITTED
            and request.user.has_perm("people.acknowledge", review),
            "can_link": request.user.has_perm("people.review", review),
        },
    )


@login_required
@require_POST
def review_submit(request, pk: int):
    review = _review(request, pk, "people.review")
    try:
        services.submit_review(review, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Review submitted; %(person)s is asked to acknowledge it.") % {"person": review.subject},
        )
    return redirect("people:review", pk=review.pk)


@login_required
@require_POST
def review_acknowledge(request, pk: int):
    review = _review(request, pk, "people.acknowledge")
    form = forms.AcknowledgeForm(request.POST)
    form.is_valid()
    try:
        services.acknowledge_review(review, by=request.user, comment=form.cleaned_data.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Review acknowledged."))
    return redirect("people:review", pk=review.pk)


@login_required
@require_POST
def review_link(request, pk: int):
    review = _review(request, pk, "people.review")
    link = request.POST.get("accountability_link", "")
    try:
        services.link_accountability(review, by=request.user, link=link)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Accountability record linked."))
    return redirect("people:review", pk=review.pk)
