"""Pages of the survey app: the project's feedback page, results and exports, the template editor, and the
public answer page (anonymous link or personal link, no account). Thin: forms in, services do the work."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.core import links
from huiyi.core.forms import apply_service_errors
from huiyi.onsite.attendees import qr
from huiyi.onsite.attendees.models import Category
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import rulebook_for

from . import exports, forms, queries, scoring, services, throttle
from .models import Audience, Question, QuestionKind, Response, Revisit, Survey, SurveyTemplate


def _require(request, permission: str, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _project(request, pk, permission="surveys.view") -> MeetingProject:
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    _require(request, permission, project)
    return project


def _survey(request, pk, permission="surveys.view") -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("project", "template"), pk=pk)
    _project(request, survey.project_id, permission)
    return survey


def _back(survey_or_project, anchor: str = ""):
    project_id = getattr(survey_or_project, "project_id", None) or survey_or_project.pk
    return redirect(reverse("surveys:project", args=[project_id]) + (f"#{anchor}" if anchor else ""))


def public_url(request, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("surveys:public", args=[survey.public_code]))


# -- the project's feedback page --------------------------------------------------------------------------


@login_required
def project_page(request, pk):
    project = _project(request, pk)
    status = queries.project_status(project)
    can_manage = request.user.has_perm("surveys.manage", project)
    rows = []
    for item in status["surveys"]:
        url = public_url(request, item.survey)
        rows.append(
            {
                "categories": [
                    str(label) for value, label in Category.choices if value in item.survey.categories
                ],
                "summary": item,
                "url": url,
                "qr": mark_safe(qr.make(url).svg_inline(scale=3, border=2, title=None)),  # noqa: S308 — segno's SVG
            }
        )
    context = {
        "project": project,
        "status": status,
        "rows": rows,
        "can_manage": can_manage,
        "can_revisit": request.user.has_perm("surveys.record_revisit", project),
        "survey_form": _new_survey_form(project) if can_manage else None,
        "revisit_form": forms.RevisitForm(initial={"on": timezone.localdate()}),
        "revisits": queries.revisits(project),
        "analysis_form": forms.AnalysisForm(),
    }
    return render(request, "surveys/project.html", context)


def _new_survey_form(project, data=None):
    opens = max(project.end - timedelta(minutes=30), project.start)
    deadline = services.collection_due(project)
    closes = deadline.due if deadline else project.end + timedelta(days=3)
    default = services.default_template(Audience.ATTENDEES, rulebook_for(project))
    return forms.SurveyForm(
        data,
        initial={
            "template": default.pk,
            "opens_at": timezone.localtime(opens),
            "closes_at": timezone.localtime(closes),
            "only_checked_in": True,
        },
    )


@login_required
def survey_add(request, pk):
    project = _project(request, pk, "surveys.manage")
    services.default_template(Audience.CLIENT, rulebook_for(project), by=request.user)
    form = _new_survey_form(project, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Survey created. Share its link or send the personal links."))
            return _back(survey, f"survey-{survey.pk}")
    return render(
        request,
        "surveys/form.html",
        {"project": project, "form": form, "title": _("New survey"), "form_id": "survey-form"},
        status=400 if form.errors else 200,
    )


def _action(request, survey, action, success: str, anchor: str = ""):
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return _back(survey, anchor or f"survey-{survey.pk}")


@login_required
@require_POST
def survey_invite(request, pk):
    survey = _survey(request, pk, "surveys.manage")
    if survey.audience == Audience.CLIENT:
        return _action(
            request,
            survey,
            lambda: services.invite_client(survey, by=request.user),
            _("The client's contacts are being sent their personal links."),
        )
    holder = {}

    def invite():
        holder["n"] = services.invite_attendees(survey, by=request.user)

    response = _action(request, survey, invite, _("Personal links are being sent by e-mail."))
    return response


@login_required
@require_POST
def survey_close(request, pk):
    survey = _survey(request, pk, "surveys.manage")
    return _action(
        request, survey, lambda: services.close_survey(survey, by=request.user), _("Survey closed.")
    )


@login_required
@require_POST
def survey_reopen(request, pk):
    survey = _survey(request, pk, "surveys.manage")
    return _action(
        request, survey, lambda: services.reopen_survey(survey, by=request.user), _("Survey reopened.")
    )


@login_required
@require_POST
def survey_analysis(request, pk):
    survey = _survey(request, pk, "surveys.manage")
    form = forms.AnalysisForm(request.POST)
    text = request.POST.get("analysis", "") if not form.is_valid() else form.cleaned_data["analysis"]
    return _action(
        request,
        survey,
        lambda: services.record_analysis(survey, by=request.user, analysis=text),
        _("Analysis recorded."),
    )


@login_required
@require_POST
def attendee_link(request, pk):
    """A personal link for one attendee, shown once (to hand over by SMS or in person)."""
    survey = _survey(request, pk, "surveys.manage")
    attendee = queries.targeted_attendees(survey).filter(pk=request.POST.get("attendee") or 0).first()
    if attendee is None or survey.audience != Audience.ATTENDEES:
        messages.error(request, _("Choose an attendee this survey targets."))
        return _back(survey, f"survey-{survey.pk}")
    _invitation, token = services.personal_link_for_attendee(survey, attendee, by=request.user)
    url = request.build_absolute_uri(reverse("surveys:personal", args=[token]))
    return render(
        request,
        "surveys/link.html",
        {"survey": survey, "project": survey.project, "attendee": attendee, "url": url},
    )


@login_required
def survey_qr(request, pk):
    survey = _survey(request, pk)
    code = qr.make(public_url(request, survey))
    import io

    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=10, border=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.png"'
    return response


# -- results and exports ----------------------------------------------------------------------------------


@login_required
def results(request, pk):
    survey = _survey(request, pk)
    language = translation.get_language() or "zh-hans"
    data = queries.results(survey, language=language)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "project": survey.project,
            "results": data,
            "charts": queries.chart_data(data),
            "can_manage": request.user.has_perm("surveys.manage", survey.project),
        },
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_xlsx(request, pk):
    survey = _survey(request, pk)
    language = translation.get_language() or "zh-hans"
    data = queries.results(survey, language=language, text_limit=None)
    return _download(
        exports.results_xlsx(survey, data, language=language),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"survey-{survey.project.code}-{survey.pk}.xlsx",
    )


@login_required
def export_pdf(request, pk):
    survey = _survey(request, pk)
    language = translation.get_language() or "zh-hans"
    data = queries.results(survey, language=language)
    return _download(
        exports.results_pdf(survey, data, language=language),
        "application/pdf",
        f"survey-{survey.project.code}-{survey.pk}.pdf",
    )


# -- revisits ---------------------------------------------------------------------------------------------


@login_required
def revisit_add(request, pk):
    project = _project(request, pk, "surveys.record_revisit")
    form = forms.RevisitForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_revisit(project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Revisit recorded."))
            return _back(project, "revisits")
    return render(
        request,
        "surveys/form.html",
        {"project": project, "form": form, "title": _("Record a client revisit"), "form_id": "revisit-form"},
        status=400 if form.errors else 200,
    )


@login_required
def revisit_edit(request, pk):
    revisit = get_object_or_404(Revisit.objects.select_related("project"), pk=pk)
    project = _project(request, revisit.project_id, "surveys.record_revisit")
    initial = {k: getattr(revisit, k) for k in ("contact", "channel", "on", "outcome", "score", "notes")}
    form = forms.RevisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_revisit(revisit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _back(project, "revisits")
    return render(
        request,
        "surveys/form.html",
        {"project": project, "form": form, "title": _("Edit a client revisit"), "form_id": "revisit-form"},
        status=400 if form.errors else 200,
    )


# -- template editor --------------------------------------------------------------------------------------


@login_required
def template_list(request):
    _require(request, "surveys.view_templates")
    services.default_template(Audience.ATTENDEES)
    services.default_template(Audience.CLIENT)
    templates = (
        SurveyTemplate.objects.filter(superseded_at__isnull=True)
        .prefetch_related("questions")
        .order_by("audience", "name")
    )
    return render(
        request,
        "surveys/templates.html",
        {"templates": templates, "can_manage": request.user.has_perm("surveys.manage_templates")},
    )


@login_required
def template_add(request):
    _require(request, "surveys.manage_templates")
    form = forms.TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.create_template(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("surveys:template", template.pk)
    return render(
        request,
        "surveys/form.html",
        {"form": form, "title": _("New survey template"), "form_id": "template-form"},
        status=400 if form.errors else 200,
    )


def _template_context(request, template, *, meta_form=None, new_form=None, failed=None):
    from huiyi.rulebook.services import active_rulebook

    rulebook = active_rulebook()
    questions = list(template.questions.order_by("position"))
    weights = scoring.effective_weights(questions, rulebook)
    items = []
    for q in questions:
        form = (
            failed[1]
            if failed and failed[0] == q.pk
            else forms.QuestionForm(
                initial={
                    "kind": q.kind,
                    "text": q.text,
                    "text_en": q.text_en,
                    "dimension": q.dimension,
                    "weight": q.weight,
                    "required": q.required,
                    "choices": forms.format_choices(q.choices),
                },
                prefix=f"q{q.pk}",
            )
        )
        items.append(
            {"question": q, "form": form, "weight": weights.get(q.pk), "options": q.options("zh-hans")}
        )
    versions = SurveyTemplate.objects.filter(family=template.family).order_by("-version")
    return {
        "template": template,
        "items": items,
        "versions": versions,
        "frozen": services.template_has_answers(template),
        "meta_form": meta_form
        or forms.TemplateForm(
            initial={k: getattr(template, k) for k in ("name", "name_en", "intro", "intro_en")}, editing=True
        ),
        "new_form": new_form
        or forms.QuestionForm(prefix="new", initial={"kind": QuestionKind.SCALE, "required": True}),
        "can_manage": request.user.has_perm("surveys.manage_templates") and template.is_current,
        "weight_total": sum(weights.values()) if weights else None,
    }


@login_required
def template_edit(request, pk):
    _require(request, "surveys.view_templates")
    template = get_object_or_404(SurveyTemplate, pk=pk)
    if request.method == "POST":
        _require(request, "surveys.manage_templates")
        form = forms.TemplateForm(request.POST, editing=True)
        if form.is_valid():
            try:
                target = services.update_template(template, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return _after_edit(request, template, target)
        return render(
            request, "surveys/template.html", _template_context(request, template, meta_form=form), status=400
        )
    return render(request, "surveys/template.html", _template_context(request, template))


def _after_edit(request, before, after):
    if after.pk != before.pk:
        messages.info(
            request,
            _("Version %(old)s has answers and stays as it was; your change is in the new version %(new)s.")
            % {"old": before.version, "new": after.version},
        )
    else:
        messages.success(request, _("Saved."))
    return redirect("surveys:template", after.pk)


@login_required
@require_POST
def question_add(request, pk):
    _require(request, "surveys.manage_templates")
    template = get_object_or_404(SurveyTemplate, pk=pk)
    form = forms.QuestionForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            target = services.add_question(template, by=request.user, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _after_edit(request, template, target)
    return render(
        request, "surveys/template.html", _template_context(request, template, new_form=form), status=400
    )


@login_required
@require_POST
def question_edit(request, pk):
    _require(request, "surveys.manage_templates")
    question = get_object_or_404(Question.objects.select_related("template"), pk=pk)
    template = question.template
    action = request.POST.get("action", "save")
    try:
        if action == "delete":
            target = services.delete_question(question, by=request.user)
        elif action in ("up", "down"):
            target = services.move_question(question, by=request.user, up=action == "up")
        else:
            form = forms.QuestionForm(request.POST, prefix=f"q{question.pk}")
            if not form.is_valid():
                return render(
                    request,
                    "surveys/template.html",
                    _template_context(request, template, failed=(question.pk, form)),
                    status=400,
                )
            try:
                target = services.update_question(question, by=request.user, **form.service_fields())
            except ValidationError as error:
                apply_service_errors(form, error)
                return render(
                    request,
                    "surveys/template.html",
                    _template_context(request, template, failed=(question.pk, form)),
                    status=400,
                )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("surveys:template", template.pk)
    return _after_edit(request, template, target)


# -- the answer page (no account) -------------------------------------------------------------------------


def _collect(request, questions) -> dict:
    answers = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == QuestionKind.MULTIPLE:
            values = request.POST.getlist(name)
            if values:
                answers[q.pk] = values
        else:
            value = request.POST.get(name)
            if value not in (None, ""):
                answers[q.pk] = value
    return answers


def _answer_page(
    request,
    survey: Survey,
    *,
    invitation=None,
    language: str,
    source=Response.Source.PUBLIC,
    by=None,
    template_name="surveys/answer.html",
):
    now = timezone.now()
    rulebook = rulebook_for(survey.project)
    low, high = scoring.scale(rulebook)
    questions = list(survey.template.questions.order_by("position"))
    existing = Response.objects.filter(invitation=invitation).first() if invitation is not None else None
    values = services.answers_of(existing)
    errors: dict = {}
    status = 200
    saved = False
    if request.method == "POST":
        if source != Response.Source.STAFF:
            if invitation is not None:
                allowed = throttle.allow_link(invitation.pk)
            else:
                allowed = throttle.allow_address(survey.pk, throttle.client_address(request))
            if not allowed:
                with translation.override(language):
                    response = render(
                        request,
                        template_name,
                        _answer_context(
                            survey, questions, values, {}, language, low, high, invitation, now, flood=True
                        ),
                        status=429,
                    )
                response["Retry-After"] = str(throttle.rate()[1])
                return response
        values = _collect(request, questions)
        try:
            with translation.override(language):
                services.submit(
                    survey, values, invitation=invitation, source=source, language=language, by=by
                )
        except ValidationError as error:
            errors = error.message_dict
            status = 400
        else:
            saved = True
            if source == Response.Source.STAFF:
                messages.success(request, _("Answer entered."))
                return redirect("surveys:enter", survey.pk)
            if invitation is None:  # the anonymous form starts empty for the next person at the same device
                values = {}
    with translation.override(language):
        context = _answer_context(
            survey,
            questions,
            values,
            errors,
            language,
            low,
            high,
            invitation,
            now,
            saved=saved,
            answered_before=existing is not None,
        )
        response = render(request, template_name, context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"  # the token never leaves the site; forms keep their Origin
    return response


def _answer_context(
    survey,
    questions,
    values,
    errors,
    language,
    low,
    high,
    invitation,
    now,
    *,
    saved=False,
    answered_before=False,
    flood=False,
):
    project = survey.project
    labels = dict(queries.scale_labels(low, high))
    items = []
    for number, q in enumerate(questions, start=1):
        value = values.get(q.pk, [] if q.kind == QuestionKind.MULTIPLE else "")
        chosen = {str(v) for v in (value if isinstance(value, list) else [value])}
        options = []
        if q.kind == QuestionKind.SCALE:
            options = [
                {"value": v, "label": str(labels[v]), "checked": str(v) in chosen}
                for v in range(high, low - 1, -1)
            ]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = [
                {"value": i, "label": o, "checked": str(i) in chosen}
                for i, o in enumerate(q.options(language))
            ]
        items.append(
            {
                "question": q,
                "number": number,
                "text": q.localized_text(language),
                "options": options,
                "value": value if q.kind == QuestionKind.TEXT else "",
                "error": " ".join(errors.get(f"q{q.pk}", [])),
            }
        )
    general = [m for key, messages_ in errors.items() if not key.startswith("q") for m in messages_]
    return {
        "survey": survey,
        "project": project,
        "meeting": project.name_en if language == "en" and project.name_en else project.name,
        "title": survey.template.localized_name(language),
        "intro": survey.template.localized_intro(language),
        "items": items,
        "errors": errors,
        "general_errors": general,
        "closed": survey.is_closed(now),
        "not_open": now < survey.opens_at,
        "saved": saved,
        "personal": invitation is not None,
        "name": invitation.name if invitation is not None else "",
        "answered_before": answered_before,
        "flood": flood,
        "LANGUAGE_CODE": language,
    }


def _public_language(request) -> str:
    language = translation.get_language() or "zh-hans"
    return "en" if language.startswith("en") else "zh-hans"


def answer_public(request, code):
    survey = Survey.objects.select_related("project", "template").filter(public_code=code[:32]).first()
    if survey is None:
        return render(
            request, "surveys/answer.html", {"link_error": _("This survey link is not valid.")}, status=404
        )
    return _answer_page(request, survey, language=_public_language(request))


def answer_personal(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except links.LinkError as error:
        return render(request, "surveys/answer.html", {"link_error": error.message}, status=410)
    return _answer_page(request, invitation.survey, invitation=invitation, language=invitation.language)


@login_required
def staff_entry(request, pk):
    """A paper questionnaire typed in by staff (source "staff")."""
    survey = _survey(request, pk, "surveys.manage")
    return _answer_page(
        request,
        survey,
        language=_public_language(request),
        source=Response.Source.STAFF,
        by=request.user,
        template_name="surveys/enter.html",
    )
