"""Every change to surveys, their templates, answers and client revisits (REQ-FBK-01…03, 07).

Each business action is one function, in a transaction, raising ``ValidationError({field: message})`` on
bad input and changing nothing then. Answers are validated against the project's pinned rulebook (the answer
scale); a personal link's second answer updates the first (one response per invitation, row-locked).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core import links
from huiyi.onsite.attendees.models import Attendee, Category
from huiyi.rulebook.services import rulebook_for

from . import scoring
from .models import (
    Answer,
    Audience,
    Dimension,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Revisit,
    Survey,
    SurveyTemplate,
)

LINK_PURPOSE = "surveys.answer"
#: A personal link stays readable this long after the survey closes (the page then says it is closed).
LINK_GRACE = timedelta(days=30)
MAX_TEXT = 2000
MAX_REVISIT_SCORE = 100


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def _clean_text(value, *, limit: int) -> str:
    text = "" if value is None else str(value)
    # Text no database stores (NUL, lone surrogates) is dropped rather than refused.
    text = text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")
    return text.strip()[:limit]


# -- templates --------------------------------------------------------------------------------------------

#: Wording of the default questions of §2.9(1), per rulebook dimension and audience (zh-Hans, English).
DEFAULT_WORDING = {
    Audience.ATTENDEES: {
        Dimension.AGENDA: ("您对本次会议的议程设置是否满意?", "How satisfied are you with the agenda?"),
        Dimension.CONTENT: (
            "您对会议内容的质量是否满意?",
            "How satisfied are you with the quality of the content?",
        ),
        Dimension.VENUE: (
            "您对会议场地的安排是否满意?",
            "How satisfied are you with the venue arrangements?",
        ),
        Dimension.TECHNICAL_SUPPORT: (
            "您对音视频、网络等技术支持是否满意?",
            "How satisfied are you with the technical support (sound, video, network)?",
        ),
        Dimension.OVERALL: (
            "您对本次会议的总体满意度如何?",
            "Overall, how satisfied are you with the meeting?",
        ),
    },
    Audience.CLIENT: {
        Dimension.AGENDA: (
            "贵方对会议议程的策划与执行是否满意?",
            "How satisfied are you with the agenda we planned and ran?",
        ),
        Dimension.CONTENT: (
            "贵方对会议内容与材料的质量是否满意?",
            "How satisfied are you with the content and materials?",
        ),
        Dimension.VENUE: (
            "贵方对场地选择与布置是否满意?",
            "How satisfied are you with the venue and its set-up?",
        ),
        Dimension.TECHNICAL_SUPPORT: (
            "贵方对技术保障与现场响应是否满意?",
            "How satisfied are you with technical support and on-site response?",
        ),
        Dimension.OVERALL: (
            "贵方对我们本次服务的总体满意度如何?",
            "Overall, how satisfied are you with our service?",
        ),
    },
}
DEFAULT_NAMES = {
    Audience.ATTENDEES: ("参会者满意度调查问卷", "Attendee satisfaction survey"),
    Audience.CLIENT: ("客户满意度调查问卷", "Client satisfaction questionnaire"),
}
DEFAULT_INTROS = {
    Audience.ATTENDEES: (
        "感谢您参加本次会议!请花一分钟告诉我们您的感受,帮助我们做得更好。",
        "Thank you for attending! Please take a minute to tell us how it went, so that we can do better.",
    ),
    Audience.CLIENT: (
        "感谢贵方的信任与合作!请对本次会议服务作出评价,我们将据此持续改进。",
        "Thank you for your trust. Please rate our service for this meeting; we will improve from it.",
    ),
}
SUGGESTIONS = ("您有哪些意见和建议?", "Any comments or suggestions?")


def default_template(audience: str, rulebook=None, *, by=None) -> SurveyTemplate:
    """The current version of the default template of §2.9(1) for ``audience``, created on first use.

    Its scale questions are the dimensions of the rulebook's survey weight group, in the rulebook's order,
    with no weight of their own (the project's rulebook gives it), then a free-text question for suggestions.
    """
    existing = (
        SurveyTemplate.objects.filter(is_default=True, audience=audience, superseded_at__isnull=True)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing
    if rulebook is None:
        from huiyi.rulebook.services import active_rulebook

        rulebook = active_rulebook()
    name, name_en = DEFAULT_NAMES[audience]
    intro, intro_en = DEFAULT_INTROS[audience]
    with transaction.atomic(), _actor(by):
        template = SurveyTemplate.objects.create(
            name=name,
            name_en=name_en,
            audience=audience,
            intro=intro,
            intro_en=intro_en,
            is_default=True,
            created_by=by,
        )
        position = 0
        for dimension, rule in scoring.dimension_rules(rulebook).items():
            position += 1
            zh, en = DEFAULT_WORDING[audience].get(dimension, (rule.name.zh_hans, rule.name.en))
            Question.objects.create(
                template=template,
                position=position,
                kind=QuestionKind.SCALE,
                text=zh,
                text_en=en,
                dimension=dimension,
            )
        Question.objects.create(
            template=template,
            position=position + 1,
            kind=QuestionKind.TEXT,
            text=SUGGESTIONS[0],
            text_en=SUGGESTIONS[1],
            required=False,
        )
    return template


def template_has_answers(template: SurveyTemplate) -> bool:
    return Response.objects.filter(survey__template=template).exists()


def _check_template_fields(fields: dict) -> dict:
    errors = {}
    cleaned = {}
    if "name" in fields:
        cleaned["name"] = _clean_text(fields["name"], limit=200)
        if not cleaned["name"]:
            errors["name"] = _("Give the template a name.")
    if "name_en" in fields:
        cleaned["name_en"] = _clean_text(fields["name_en"], limit=200)
    for key in ("intro", "intro_en"):
        if key in fields:
            cleaned[key] = _clean_text(fields[key], limit=MAX_TEXT)
    if "audience" in fields:
        if fields["audience"] not in Audience.values:
            errors["audience"] = _("Choose attendees or the client.")
        cleaned["audience"] = fields["audience"]
    unknown = set(fields) - {"name", "name_en", "intro", "intro_en", "audience"}
    if unknown:
        raise TypeError(f"unknown template fields: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)
    return cleaned


def create_template(
    *,
    by,
    name: str,
    audience: str,
    name_en: str = "",
    intro: str = "",
    intro_en: str = "",
    copy_from: SurveyTemplate | None = None,
) -> SurveyTemplate:
    """A new template (version 1), empty or with the questions of ``copy_from``."""
    cleaned = _check_template_fields(
        {"name": name, "name_en": name_en, "intro": intro, "intro_en": intro_en, "audience": audience}
    )
    with transaction.atomic(), _actor(by):
        template = SurveyTemplate.objects.create(created_by=by, **cleaned)
        if copy_from is not None:
            _copy_questions(copy_from, template)
    return template


def _copy_questions(source: SurveyTemplate, target: SurveyTemplate) -> dict[int, Question]:
    mapping = {}
    for q in source.questions.order_by("position"):
        old = q.pk
        q.pk = None
        q.template = target
        q.save()
        mapping[old] = q
    return mapping


def _writable(template: SurveyTemplate, by) -> tuple[SurveyTemplate, dict[int, Question]]:
    """The version an edit goes to: the template itself until answers exist, else a new version (the
    answered one is frozen and marked superseded). Returns it and {old question pk: its question in it}."""
    template = SurveyTemplate.objects.select_for_update().get(pk=template.pk)
    if template.superseded_at is not None:
        raise ValidationError(
            {"template": _("This is an old version of the template; edit its current version.")}
        )
    if not template_has_answers(template):
        return template, {q.pk: q for q in template.questions.all()}
    new = SurveyTemplate.objects.create(
        family=template.family,
        version=(
            SurveyTemplate.objects.filter(family=template.family).order_by("-version").first().version + 1
        ),
        name=template.name,
        name_en=template.name_en,
        audience=template.audience,
        intro=template.intro,
        intro_en=template.intro_en,
        is_default=template.is_default,
        created_by=by,
    )
    mapping = _copy_questions(template, new)
    template.superseded_at = timezone.now()
    template.save(update_fields=["superseded_at", "updated_at"])
    return new, mapping


def update_template(template: SurveyTemplate, *, by, **fields) -> SurveyTemplate:
    """Change name/introduction; returns the version that holds the change (new once answers exist)."""
    fields.pop("audience", None)  # the audience of a template never changes: its answers depend on it
    cleaned = _check_template_fields(fields)
    with transaction.atomic(), _actor(by):
        target, _mapping = _writable(template, by)
        for key, value in cleaned.items():
            setattr(target, key, value)
        target.save()
    return target


def _check_question(fields: dict) -> dict:
    errors = {}
    kind = fields.get("kind")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose the kind of question.")
    text = _clean_text(fields.get("text"), limit=300)
    if not text:
        errors["text"] = _("Write the question.")
    text_en = _clean_text(fields.get("text_en"), limit=300)
    dimension = fields.get("dimension") or ""
    if dimension not in ("", *Dimension.values):
        errors["dimension"] = _("Choose one of the dimensions or none.")
    weight = fields.get("weight")
    if weight in ("", None):
        weight = None
    else:
        try:
            weight = Decimal(str(weight))
        except (InvalidOperation, ValueError):
            weight = None
            errors["weight"] = _("The weight must be a number between 0 and 1.")
        else:
            if not weight.is_finite() or weight < 0 or weight > 1:
                errors["weight"] = _("The weight must be a number between 0 and 1.")
            elif kind != QuestionKind.SCALE:
                errors["weight"] = _("Only satisfaction-scale questions carry a weight.")
            else:
                weight = weight.quantize(Decimal("0.0001"))
    choices = []
    for item in fields.get("choices") or []:
        if isinstance(item, Mapping):
            zh, en = _clean_text(item.get("zh-hans"), limit=200), _clean_text(item.get("en"), limit=200)
        else:
            zh, en = _clean_text(item, limit=200), ""
        if zh or en:
            choices.append({"zh-hans": zh or en, "en": en or zh})
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        errors["choices"] = _("A choice question needs at least two options.")
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = []
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "text": text,
        "text_en": text_en,
        "dimension": dimension if kind == QuestionKind.SCALE else "",
        "weight": weight,
        "required": bool(fields.get("required", True)),
        "choices": choices,
    }


def add_question(template: SurveyTemplate, *, by, **fields) -> SurveyTemplate:
    cleaned = _check_question(fields)
    with transaction.atomic(), _actor(by):
        target, _mapping = _writable(template, by)
        last = target.questions.order_by("-position").values_list("position", flat=True).first() or 0
        Question.objects.create(template=target, position=last + 1, **cleaned)
    return target


def update_question(question: Question, *, by, **fields) -> SurveyTemplate:
    cleaned = _check_question(fields)
    with transaction.atomic(), _actor(by):
        target, mapping = _writable(question.template, by)
        current = mapping[question.pk]
        for key, value in cleaned.items():
            setattr(current, key, value)
        current.save()
    return target


def delete_question(question: Question, *, by) -> SurveyTemplate:
    with transaction.atomic(), _actor(by):
        target, mapping = _writable(question.template, by)
        mapping[question.pk].delete()
    return target


def move_question(question: Question, *, by, up: bool) -> SurveyTemplate:
    with transaction.atomic(), _actor(by):
        target, mapping = _writable(question.template, by)
        current = mapping[question.pk]
        ordered = list(target.questions.order_by("position"))
        index = ordered.index(current)
        other_index = index - 1 if up else index + 1
        if 0 <= other_index < len(ordered):
            other = ordered[other_index]
            a, b = current.position, other.position
            # positions are unique: park one outside the range while swapping
            current.position = max(q.position for q in ordered) + 1
            current.save(update_fields=["position"])
            other.position = a
            other.save(update_fields=["position"])
            current.position = b
            current.save(update_fields=["position"])
    return target


# -- surveys ----------------------------------------------------------------------------------------------


def collection_due(project, rulebook=None):
    """The deadline of collection (rule fbk.collect_deadline) from the meeting end, or None without rule."""
    from . import queries

    rulebook = rulebook or rulebook_for(project)
    return queries.deadline_from(project.end, queries.rule_of(rulebook, queries.COLLECT_METRIC))


def create_survey(
    project,
    *,
    by,
    template: SurveyTemplate,
    opens_at: datetime,
    closes_at: datetime,
    only_checked_in: bool = True,
    categories: list[str] | None = None,
) -> Survey:
    """Run ``template`` (its current version) for ``project``; the audience is the template's."""
    errors = {}
    categories = list(dict.fromkeys(categories or []))
    if template.superseded_at is not None:
        errors["template"] = _("Choose the current version of the template.")
    elif not template.questions.exists():
        errors["template"] = _("The template has no question yet.")
    if opens_at is None:
        errors["opens_at"] = _("Give the opening time.")
    if closes_at is None:
        errors["closes_at"] = _("Give the closing time.")
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = _("The survey must close after it opens.")
    bad = [c for c in categories if c not in Category.values]
    if bad:
        errors["categories"] = _("Unknown attendee category: %(value)s.") % {
            "value": ", ".join(map(str, bad))
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), _actor(by):
        return Survey.objects.create(
            project=project,
            template=template,
            audience=template.audience,
            opens_at=opens_at,
            closes_at=closes_at,
            only_checked_in=only_checked_in if template.audience == Audience.ATTENDEES else False,
            categories=categories if template.audience == Audience.ATTENDEES else [],
            created_by=by,
        )


def close_survey(survey: Survey, *, by, now=None) -> Survey:
    now = now or timezone.now()
    with transaction.atomic(), _actor(by):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.is_closed(now):
            raise ValidationError({"survey": _("The survey is closed already.")})
        survey.closed_at = max(now, survey.opens_at)
        survey.save(update_fields=["closed_at", "updated_at"])
    return survey


def reopen_survey(survey: Survey, *, by, now=None) -> Survey:
    now = now or timezone.now()
    with transaction.atomic(), _actor(by):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed_at is None or survey.closes_at <= now:
            raise ValidationError(
                {"survey": _("Only a survey closed early and still before its planned close can reopen.")}
            )
        survey.closed_at = None
        survey.final_responses = survey.final_targeted = None
        survey.save(update_fields=["closed_at", "final_responses", "final_targeted", "updated_at"])
    return survey


#: How long after a survey's end its figures are recorded: an answer accepted just before the end has
#: committed by then (a technical margin, not a deadline of the standard).
FINAL_COUNT_DELAY = timedelta(minutes=5)
FINAL_COUNT_BATCH = 500


def record_final_counts(*, now=None) -> int:
    """Record the responses and attendees targeted of every attendee survey whose collection has ended
    (REQ-FBK-02), in batches; returns how many were recorded. The rows are locked while their figures are
    counted, so a reopening waits and then clears them."""
    from .queries import collection_counts

    cutoff = (now or timezone.now()) - FINAL_COUNT_DELAY
    ended = Survey.objects.filter(
        Q(closes_at__lte=cutoff) | Q(closed_at__lte=cutoff),
        audience=Audience.ATTENDEES,
        final_targeted__isnull=True,
    ).order_by("pk")
    recorded = 0
    while True:
        with transaction.atomic():
            batch = list(ended.select_for_update(skip_locked=True, of=("self",))[:FINAL_COUNT_BATCH])
            if not batch:
                return recorded
            counts = collection_counts(batch)
            for survey in batch:
                survey.final_responses, survey.final_targeted = counts[survey.pk]
            Survey.objects.bulk_update(batch, ["final_responses", "final_targeted"])
        recorded += len(batch)


def record_analysis(survey: Survey, *, by, analysis: str, now=None) -> Survey:
    """The analysis of the collected feedback (§2.9(2)): done once collection has ended."""
    now = now or timezone.now()
    text = _clean_text(analysis, limit=10000)
    if not text:
        raise ValidationError({"analysis": _("Write the findings of the analysis.")})
    with transaction.atomic(), _actor(by):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.is_closed(now):
            raise ValidationError({"analysis": _("Close the survey before recording its analysis.")})
        survey.analysis = text
        survey.analysed_at = survey.analysed_at or now
        survey.analysed_by = survey.analysed_by or by
        survey.save(update_fields=["analysis", "analysed_at", "analysed_by", "updated_at"])
    return survey


# -- distribution -----------------------------------------------------------------------------------------


def invite_attendees(survey: Survey, *, by) -> int:
    """An invitation for every targeted attendee with an e-mail address who has none yet; e-mails are sent by
    the background worker. Returns how many invitations were added."""
    from . import queries

    if survey.audience != Audience.ATTENDEES:
        raise ValidationError({"survey": _("This survey is for the client, not for attendees.")})
    if survey.is_closed():
        raise ValidationError({"survey": _("The survey is closed.")})
    invited = set(
        Invitation.objects.filter(survey=survey, attendee__isnull=False).values_list("attendee_id", flat=True)
    )
    new = [
        Invitation(survey=survey, attendee=a, name=a.name, email=a.email, language=a.language)
        for a in queries.targeted_attendees(survey).exclude(email="").only("pk", "name", "email", "language")
        if a.pk not in invited
    ]
    with transaction.atomic(), _actor(by):
        Invitation.objects.bulk_create(new, ignore_conflicts=True)
        transaction.on_commit(lambda: _enqueue(survey))
    return len(new)


def invite_client(survey: Survey, *, by) -> int:
    """Invite the client's contacts with an e-mail address to the client questionnaire."""
    if survey.audience != Audience.CLIENT:
        raise ValidationError({"survey": _("This survey is for attendees, not for the client.")})
    if survey.is_closed():
        raise ValidationError({"survey": _("The survey is closed.")})
    existing = set(Invitation.objects.filter(survey=survey).values_list("email", flat=True))
    contacts = survey.project.client.contacts.exclude(email="").order_by("-is_primary", "name")
    new = [Invitation(survey=survey, name=c.name, email=c.email) for c in contacts if c.email not in existing]
    if not new and not existing:
        raise ValidationError({"survey": _("The client has no contact with an e-mail address.")})
    with transaction.atomic(), _actor(by):
        Invitation.objects.bulk_create(new)
        transaction.on_commit(lambda: _enqueue(survey))
    return len(new)


def _enqueue(survey: Survey) -> None:
    from . import tasks

    for pk in (
        Invitation.objects.filter(survey=survey, sent_at__isnull=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    ):
        tasks.send_invitation(pk)


def personal_link(invitation: Invitation, *, by=None) -> str:
    """A new personal link for ``invitation`` (the previous one is withdrawn); returns the token."""
    survey = invitation.survey
    lifetime = max(survey.closes_at - timezone.now(), timedelta(days=1)) + LINK_GRACE
    with transaction.atomic():
        if invitation.link_id:
            old = invitation.link
            if old.revoked_at is None:
                links.revoke(old)
        link, token = links.issue(
            LINK_PURPOSE,
            invitation,
            created_by=by,
            lifetime=lifetime,
            single_use=False,
            recipient=invitation.email or invitation.name,
        )
        invitation.link = link
        invitation.save(update_fields=["link"])
    return token


def personal_link_for_attendee(survey: Survey, attendee: Attendee, *, by=None) -> tuple[Invitation, str]:
    """The invitation of one attendee (created if needed) and a fresh personal link for it."""
    if attendee.project_id != survey.project_id:
        raise ValidationError({"attendee": _("The attendee belongs to another meeting.")})
    invitation, _created = Invitation.objects.get_or_create(
        survey=survey,
        attendee=attendee,
        defaults={"name": attendee.name, "email": attendee.email, "language": attendee.language},
    )
    return invitation, personal_link(invitation, by=by)


def invitation_for_token(token: str) -> Invitation:
    """The invitation a personal link opens; raises ``links.LinkError``."""
    link = links.resolve(token, LINK_PURPOSE)
    invitation = (
        Invitation.objects.select_related("survey__project", "survey__template", "attendee")
        .filter(pk=link.object_id, link=link)
        .first()
    )
    if invitation is None:
        raise links.LinkInvalid
    return invitation


def mark_sent(invitation_pk: int, *, error: str = "") -> None:
    values = {"attempts": Invitation.objects.get(pk=invitation_pk).attempts + 1, "last_error": error[:300]}
    if not error:
        values["sent_at"] = timezone.now()
    Invitation.objects.filter(pk=invitation_pk).update(**values)


# -- answers ----------------------------------------------------------------------------------------------


def _label(question: Question, number: int) -> str:
    return _("Question %(number)s «%(text)s»") % {"number": number, "text": question.text}


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) < 6:
        return int(value.strip())
    return None


def check_answers(survey: Survey, questions: list[Question], answers: Mapping, rulebook) -> list[tuple]:
    """[(question, value, text), …] from ``{question pk: value}``; ValidationError keyed ``q<pk>``, with a
    message naming the question, for every bad or missing answer."""
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": _("Send the answers as an object keyed by question id.")})
    low, high = scoring.scale(rulebook)
    known = {q.pk for q in questions}
    unknown = [key for key in answers if _as_int(key) not in known]
    if unknown:
        raise ValidationError(
            {
                "answers": _("No such question in this survey: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            }
        )
    given = {_as_int(key): value for key, value in answers.items()}
    rows, errors = [], {}
    for number, q in enumerate(questions, start=1):
        raw = given.get(q.pk)
        label = _label(q, number)
        empty = raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []
        if empty:
            if q.required:
                errors[f"q{q.pk}"] = _("%(question)s: an answer is required.") % {"question": label}
            continue
        if q.kind == QuestionKind.SCALE:
            value = _as_int(raw)
            if value is None or not low <= value <= high:
                errors[f"q{q.pk}"] = _("%(question)s: %(value)s is outside the scale %(low)s–%(high)s.") % {
                    "question": label,
                    "value": str(raw)[:20],
                    "low": low,
                    "high": high,
                }
            else:
                rows.append((q, value, ""))
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            values = raw if isinstance(raw, list | tuple) else [raw]
            if q.kind == QuestionKind.SINGLE and len(values) != 1:
                errors[f"q{q.pk}"] = _("%(question)s: choose one option.") % {"question": label}
                continue
            picked = [_as_int(v) for v in values]
            if any(v is None or not 0 <= v < len(q.choices) for v in picked):
                errors[f"q{q.pk}"] = _("%(question)s: the answer is not one of the options.") % {
                    "question": label
                }
                continue
            rows.extend((q, v, "") for v in dict.fromkeys(picked))
        else:
            if not isinstance(raw, str):
                errors[f"q{q.pk}"] = _("%(question)s: write the answer as text.") % {"question": label}
                continue
            text = _clean_text(raw, limit=MAX_TEXT)
            if text:
                rows.append((q, None, text))
            elif q.required:
                errors[f"q{q.pk}"] = _("%(question)s: an answer is required.") % {"question": label}
    if errors:
        raise ValidationError(errors)
    return rows


def _score(rows, weights, rulebook) -> Decimal | None:
    pairs = [
        (Decimal(value), weights[q.pk]) for q, value, _text in rows if q.pk in weights and value is not None
    ]
    score = scoring.weighted(pairs, rulebook)
    return scoring.rounded(score, "0.0001")


def submit(
    survey: Survey,
    answers: Mapping,
    *,
    invitation: Invitation | None = None,
    source: str = Response.Source.PUBLIC,
    language: str = "zh-hans",
    by=None,
    now=None,
) -> tuple[Response, bool]:
    """Record one response; through a personal link a second answer replaces the first (returns created
    False). Refused while the survey is not open, and for bad answers (nothing is changed then)."""
    now = now or timezone.now()
    if invitation is not None and invitation.survey_id != survey.pk:
        raise ValidationError({"token": _("This link belongs to another survey.")})
    if now < survey.opens_at:
        raise ValidationError(
            {
                "survey": _("The survey opens on %(when)s.")
                % {"when": timezone.localtime(survey.opens_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    if survey.is_closed(now):
        raise ValidationError(
            {"survey": _("The survey is closed; answers can no longer be given or changed.")}
        )
    rulebook = rulebook_for(survey.project)
    questions = list(survey.template.questions.order_by("position"))
    rows = check_answers(survey, questions, answers, rulebook)
    if not rows:
        raise ValidationError({"answers": _("Answer at least one question.")})
    score = _score(rows, scoring.effective_weights(questions, rulebook), rulebook)
    language = "en" if language == "en" else "zh-hans"
    with transaction.atomic(), _actor(by):
        response, created = None, True
        if invitation is not None:
            Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
            response = Response.objects.filter(invitation=invitation).first()
        if response is not None:
            created = False
            response.score, response.language, response.updated_at = score, language, now
            response.save(update_fields=["score", "language", "updated_at"])
            Answer.objects.filter(response=response).delete()
        else:
            try:
                with transaction.atomic():
                    response = Response.objects.create(
                        survey=survey,
                        invitation=invitation,
                        source=Response.Source.PERSONAL if invitation is not None else source,
                        language=language,
                        submitted_at=now,
                        updated_at=now,
                        score=score,
                        entered_by=by if source == Response.Source.STAFF else None,
                    )
            except IntegrityError as error:  # pragma: no cover — the invitation lock serialises answers
                raise ValidationError(
                    {"token": _("This link was answered at the same moment; try again.")}
                ) from error
        Answer.objects.bulk_create(
            [Answer(response=response, survey=survey, question=q, value=v, text=t) for q, v, t in rows]
        )
    return response, created


def answers_of(response: Response | None) -> dict[int, object]:
    """{question pk: value | [values] | text} of a response, to prefill the answer page."""
    if response is None:
        return {}
    result: dict[int, object] = {}
    for answer in response.answers.select_related("question"):
        q = answer.question
        if q.kind == QuestionKind.MULTIPLE:
            result.setdefault(q.pk, []).append(answer.value)
        elif q.kind == QuestionKind.TEXT:
            result[q.pk] = answer.text
        else:
            result[q.pk] = answer.value
    return result


# -- client revisits --------------------------------------------------------------------------------------


def _check_revisit(project, values: dict, *, today: date) -> dict:
    errors = {}
    contact = _clean_text(values.get("contact"), limit=120)
    if not contact:
        errors["contact"] = _("Name the person revisited.")
    channel = values.get("channel")
    if channel not in Revisit.Channel.values:
        errors["channel"] = _("Choose how the client was revisited.")
    outcome = values.get("outcome") or Revisit.Outcome.DONE
    if outcome not in Revisit.Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    on = values.get("on")
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on)
        except ValueError:
            on = None
    if not isinstance(on, date):
        errors["on"] = _("Give the date as YYYY-MM-DD.")
    elif on < timezone.localtime(project.start).date():
        errors["on"] = _("A revisit cannot be before the meeting.")
    elif outcome != Revisit.Outcome.PLANNED and on > today:
        errors["on"] = _("A revisit that took place cannot be in the future.")
    score = values.get("score")
    if score in ("", None):
        score = None
    else:
        parsed = _as_int(score)
        if parsed is None or not 0 <= parsed <= MAX_REVISIT_SCORE:
            errors["score"] = _("The score is a whole number from 0 to 100.")
        score = parsed
    if outcome == Revisit.Outcome.DONE and score is None and "score" not in errors:
        errors["score"] = _("Give the client's satisfaction score (0–100).")
    if outcome != Revisit.Outcome.DONE:
        score = None
    if errors:
        raise ValidationError(errors)
    return {
        "contact": contact,
        "channel": channel,
        "outcome": outcome,
        "on": on,
        "score": score,
        "notes": _clean_text(values.get("notes"), limit=MAX_TEXT),
    }


def record_revisit(project, *, by, **values) -> Revisit:
    cleaned = _check_revisit(project, values, today=timezone.localdate())
    with transaction.atomic(), _actor(by):
        return Revisit.objects.create(project=project, created_by=by, **cleaned)


def update_revisit(revisit: Revisit, *, by, **values) -> Revisit:
    merged = {
        "contact": revisit.contact,
        "channel": revisit.channel,
        "outcome": revisit.outcome,
        "on": revisit.on,
        "score": revisit.score,
        "notes": revisit.notes,
        **values,
    }
    cleaned = _check_revisit(revisit.project, merged, today=timezone.localdate())
    with transaction.atomic(), _actor(by):
        for key, value in cleaned.items():
            setattr(revisit, key, value)
        revisit.save()
    return revisit
