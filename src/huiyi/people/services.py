"""Every change to people's records: one function per business action, in a transaction, audited.

    update_profile(user, *, by, **fields) -> StaffProfile                   # REQ-PPL-01, REQ-PPL-04
    add_certification(user, *, by, name, issuer, …) / update_certification / delete_certification
    update_module_plan(module, *, by, methods, expected_outcome, content, target_roles)   # REQ-PPL-03
    record_session(*, module, held_on, trainer, method, by, …) -> ModuleSession
    record_attendance(session, rows, *, by)   rows: [{user, attended, score}]
    give_feedback(subject, *, by, score, comment, project=None, given_on=None) -> PeerFeedback
    save_review(subject, *, by, period_start, period_end, ratings, …) / submit_review / acknowledge_review
    notify_expiring_certificates(today=None)                                # the daily job (tasks.py)

Bad input raises ``ValidationError`` keyed by field and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.accounts.models import Role, User
from huiyi.core.audit import record_event
from huiyi.core.notifications import notify
from huiyi.core.safe_urls import link_problem

from . import measures as measure_lib
from . import queries
from .models import (
    RATING_MAX,
    RATING_MIN,
    Certification,
    MandarinLevel,
    Method,
    ModuleAttendance,
    ModulePlan,
    ModuleSession,
    PeerFeedback,
    PerformanceReview,
    StaffProfile,
)

Status = PerformanceReview.Status
TEXT_MAX = 5000
ACCOUNTABILITY_LINK_MAX = PerformanceReview._meta.get_field("accountability_link").max_length


def profile_of(user: User) -> StaffProfile:
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    return profile


# ------------------------------------------------------------------------------------------------------
# profiles and certifications

PROFILE_FIELDS = {"job_title", "employee_number", "hired_on", "mandarin_level", "languages", "notes"}


@transaction.atomic
def update_profile(user: User, *, by, phone: str | None = None, **fields) -> StaffProfile:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    if "mandarin_level" in fields and fields["mandarin_level"] not in MandarinLevel.values:
        raise ValidationError({"mandarin_level": _("Choose a Mandarin level from the list.")})
    with set_actor(by):
        profile = profile_of(user)
        for name, value in fields.items():
            setattr(profile, name, value if value is not None else ("" if name != "hired_on" else None))
        profile.full_clean()
        profile.save()
        if phone is not None and phone != user.phone:
            old = user.phone
            user.phone = phone.strip()
            user.save(update_fields=["phone"])
            record_event(user, by, {"phone": (old, user.phone)})
    return profile


def _check_certificate(name: str, issuer: str, issued_on, expires_on) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the certificate.")
    if not (issuer or "").strip():
        errors["issuer"] = _("Name who issued it.")
    if issued_on and expires_on and expires_on < issued_on:
        errors["expires_on"] = _("The expiry date cannot be before the issue date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_certification(
    user: User, *, by, name: str, issuer: str, number: str = "", issued_on=None, expires_on=None
) -> Certification:
    _check_certificate(name, issuer, issued_on, expires_on)
    with set_actor(by):
        return Certification.objects.create(
            profile=profile_of(user),
            name=name.strip(),
            issuer=issuer.strip(),
            number=number.strip(),
            issued_on=issued_on,
            expires_on=expires_on,
            created_by=by,
        )


@transaction.atomic
def update_certification(cert: Certification, *, by, **fields) -> Certification:
    values = {f: getattr(cert, f) for f in ("name", "issuer", "number", "issued_on", "expires_on")}
    unknown = set(fields) - set(values)
    if unknown:
        raise TypeError(f"unknown certification fields: {sorted(unknown)}")
    values.update(fields)
    _check_certificate(values["name"], values["issuer"], values["issued_on"], values["expires_on"])
    with set_actor(by):
        for name, value in values.items():
            setattr(cert, name, value.strip() if isinstance(value, str) else value)
        cert.save()
    return cert


@transaction.atomic
def delete_certification(cert: Certification, *, by) -> None:
    with set_actor(by):
        cert.delete()


def notify_expiring_certificates(today: dt.date | None = None) -> int:
    """Tell HR about certificates expired or expiring within the rulebook's lead time; once per certificate
    and expiry date (the daily job may run again)."""
    today = today or timezone.localdate()
    certs = list(queries.expiring_certificates(today))
    if not certs:
        return 0
    hr = list(
        User.objects.filter(is_active=True, memberships__role__key="hr").distinct()
        or User.objects.filter(is_active=True, is_superuser=True)
    )
    sent = 0
    for cert in certs:
        person = cert.profile.user
        expired = cert.expires_on < today
        title = (
            _("Certificate expired: %(name)s of %(person)s (%(day)s)")
            if expired
            else _("Certificate expiring: %(name)s of %(person)s on %(day)s")
        ) % {"name": cert.name, "person": person, "day": cert.expires_on.isoformat()}
        for recipient in hr:
            if notify(
                recipient,
                title,
                body=_("Issued by %(issuer)s, number %(number)s. Arrange the renewal.")
                % {"issuer": cert.issuer, "number": cert.number or "—"},
                url=reverse("people:detail", args=[person.pk]),
                kind="people.certificate_expiry",
                dedupe_key=f"people.cert:{cert.pk}:{cert.expires_on.isoformat()}:{'x' if expired else 'w'}",
            ):
                sent += 1
    return sent


# ------------------------------------------------------------------------------------------------------
# the training plan


def _module(key: str, rulebook=None):
    module = queries.module_map(rulebook).get(key)
    if module is None:
        raise ValidationError({"module": _("This module is not in the rulebook's training plan.")})
    return module


@transaction.atomic
def update_module_plan(
    module: str,
    *,
    by,
    methods: Iterable[str],
    expected_outcome: dict,
    content: dict | None = None,
    target_roles: Iterable[str] = (),
) -> ModulePlan:
    _module(module)
    methods, target_roles = list(methods), list(target_roles)
    errors = {}
    if not methods:
        errors["methods"] = _("Choose at least one method.")
    elif set(methods) - set(Method.values):
        errors["methods"] = _("Unknown method.")
    unknown_roles = set(target_roles) - set(
        Role.objects.filter(key__in=target_roles).values_list("key", flat=True)
    )
    if unknown_roles:
        errors["target_roles"] = _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown_roles))}
    if errors:
        raise ValidationError(errors)
    with set_actor(by):
        plan, _created = ModulePlan.objects.get_or_create(module=module)
        plan.methods = methods
        plan.expected_outcome = expected_outcome or {}
        if content is not None:
            plan.content = content
        plan.target_roles = target_roles
        plan.save()
    return plan


@transaction.atomic
def record_session(
    *,
    module: str,
    held_on: dt.date,
    trainer: str,
    method: str,
    by,
    place: str = "",
    title: str = "",
    notes: str = "",
    rulebook=None,
) -> ModuleSession:
    """A session of a plan module; its pass mark is the rulebook's at the time (REQ-PPL-03)."""
    _module(module, rulebook)
    errors = {}
    if not (trainer or "").strip():
        errors["trainer"] = _("Name the trainer.")
    if method not in Method.values:
        errors["method"] = _("Choose a method from the list.")
    if held_on is None:
        errors["held_on"] = _("Give the date.")
    if errors:
        raise ValidationError(errors)
    with set_actor(by):
        return ModuleSession.objects.create(
            module=module,
            held_on=held_on,
            trainer=trainer.strip(),
            method=method,
            place=place.strip(),
            title=title.strip(),
            notes=notes,
            pass_mark=queries.pass_mark(rulebook),
            pass_mark_rule=queries.PASS_MARK_RULE,
            created_by=by,
        )


def _score(value, row: int):
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"score": _("Row %(row)s: the score must be a number.") % {"row": row}}
        ) from None
    if not score.is_finite() or score < 0 or score > 100:
        raise ValidationError({"score": _("Row %(row)s: the score runs from 0 to 100.") % {"row": row}})
    return score.quantize(Decimal("0.01"))


@transaction.atomic
def record_attendance(session: ModuleSession, rows: Iterable[dict], *, by) -> list[ModuleAttendance]:
    """Set who attended and their scores; all rows or none. A person absent has no score."""
    rows = list(rows)
    users = {u.pk: u for u in User.objects.filter(pk__in=[_user_pk(r.get("user")) for r in rows])}
    cleaned = []
    seen = set()
    for number, row in enumerate(rows, start=1):
        pk = _user_pk(row.get("user"))
        if pk not in users:
            raise ValidationError({"user": _("Row %(row)s: unknown staff member.") % {"row": number}})
        if pk in seen:
            raise ValidationError({"user": _("Row %(row)s: the same person twice.") % {"row": number}})
        seen.add(pk)
        attended = bool(row.get("attended", True))
        score = _score(row.get("score"), number)
        if score is not None and not attended:
            raise ValidationError(
                {"score": _("Row %(row)s: a person who did not attend has no score.") % {"row": number}}
            )
        cleaned.append((users[pk], attended, score))
    saved = []
    with set_actor(by):
        for user, attended, score in cleaned:
            attendance, _created = ModuleAttendance.objects.update_or_create(
                session=session, user=user, defaults={"attended": attended, "score": score}
            )
            saved.append(attendance)
    return saved


def _user_pk(value) -> int | None:
    if isinstance(value, User):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------------------------------
# peer feedback and reviews


@transaction.atomic
def give_feedback(
    subject: User, *, by, score: int, comment: str = "", project=None, given_on: dt.date | None = None
) -> PeerFeedback:
    errors = {}
    if subject.pk == by.pk:
        errors["subject"] = _("Feedback is about a colleague, not yourself.")
    if not isinstance(score, int) or not RATING_MIN <= score <= RATING_MAX:
        errors["score"] = _("Give a score from %(low)s to %(high)s.") % {
            "low": RATING_MIN,
            "high": RATING_MAX,
        }
    if len(comment or "") > TEXT_MAX:
        errors["comment"] = _("The comment is too long.")
    if errors:
        raise ValidationError(errors)
    with set_actor(by):
        return PeerFeedback.objects.create(
            subject=subject,
            project=project,
            score=score,
            comment=(comment or "").strip(),
            given_on=given_on or timezone.localdate(),
            created_by=by,
        )


def _check_ratings(ratings: dict, overall) -> dict:
    errors = {}
    clean = {}
    for key, value in (ratings or {}).items():
        if key not in measure_lib.DIMENSION_LABELS:
            errors["ratings"] = _("Unknown dimension: %(key)s.") % {"key": key}
            continue
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not RATING_MIN <= number <= RATING_MAX:
            errors[f"rating_{key}"] = _("Give a rating from %(low)s to %(high)s.") % {
                "low": RATING_MIN,
                "high": RATING_MAX,
            }
            continue
        clean[key] = number
    if overall not in (None, "") and (
        not str(overall).isdigit() or not RATING_MIN <= int(overall) <= RATING_MAX
    ):
        errors["overall"] = _("Give a rating from %(low)s to %(high)s.") % {
            "low": RATING_MIN,
            "high": RATING_MAX,
        }
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def save_review(
    subject: User,
    *,
    by,
    period_start: dt.date,
    period_end: dt.date,
    ratings: dict | None = None,
    overall: int | None = None,
    strengths: str = "",
    improvements: str = "",
    accountability_link: str = "",
    review: PerformanceReview | None = None,
    now=None,
) -> PerformanceReview:
    """Create or update a draft review; the measures are computed afresh over its period (REQ-PPL-05)."""
    if review is not None and review.status != Status.DRAFT:
        raise ValidationError(_("A submitted review can no longer be changed."))
    if subject.pk == by.pk:
        raise ValidationError({"subject": _("Nobody reviews themselves.")})
    if period_start is None or period_end is None:
        raise ValidationError({"period_end": _("Give the period.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    clean = _check_ratings(ratings or {}, overall)
    accountability_link = _check_accountability_link(accountability_link)
    computed = measure_lib.measures(subject, period_start, period_end + dt.timedelta(days=1), now=now)
    with set_actor(by):
        if review is None:
            review = PerformanceReview(subject=subject, reviewer=by, created_by=by)
        review.period_start, review.period_end = period_start, period_end
        review.measures = {m.key: m.as_data() for m in computed}
        review.ratings = clean
        review.overall = int(overall) if overall not in (None, "") else None
        review.strengths = strengths or ""
        review.improvements = improvements or ""
        review.accountability_link = accountability_link
        review.save()
    return review


@transaction.atomic
def submit_review(review: PerformanceReview, *, by, now=None) -> PerformanceReview:
    if review.status != Status.DRAFT:
        raise ValidationError(_("This review was submitted already."))
    if review.overall is None:
        raise ValidationError({"overall": _("Give the overall rating before submitting.")})
    with set_actor(by):
        review.status = Status.SUBMITTED
        review.submitted_at = now or timezone.now()
        review.save(update_fields=["status", "submitted_at", "updated_at"])
    notify(
        review.subject,
        _("Your performance review for %(start)s – %(end)s is ready")
        % {"start": review.period_start.isoformat(), "end": review.period_end.isoformat()},
        body=_("Read it and acknowledge it."),
        url=reverse("people:review", args=[review.pk]),
        kind="people.review",
        dedupe_key=f"people.review:{review.pk}:submitted",
    )
    return review


@transaction.atomic
def acknowledge_review(review: PerformanceReview, *, by, comment: str = "", now=None) -> PerformanceReview:
    if by.pk != review.subject_id:
        raise ValidationError(_("Only the person reviewed acknowledges the review."))
    if review.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted review can be acknowledged."))
    if len(comment or "") > TEXT_MAX:
        raise ValidationError({"employee_comment": _("The comment is too long.")})
    with set_actor(by):
        review.status = Status.ACKNOWLEDGED
        review.acknowledged_at = now or timezone.now()
        review.employee_comment = (comment or "").strip()
        review.save(update_fields=["status", "acknowledged_at", "employee_comment", "updated_at"])
    return review


def _check_accountability_link(link: str | None) -> str:
    """A path of this site, a web address or a reference; never a protocol-relative (``//host``) or a
    ``javascript:``/``data:`` link (issue 10)."""
    link = (link or "").strip()
    problem = link_problem(link)
    if problem:
        raise ValidationError({"accountability_link": problem})
    if len(link) > ACCOUNTABILITY_LINK_MAX:
        message = _("The accountability record is too long (at most %(max)d characters).")
        raise ValidationError({"accountability_link": message % {"max": ACCOUNTABILITY_LINK_MAX}})
    return link


@transaction.atomic
def link_accountability(review: PerformanceReview, *, by, link: str) -> PerformanceReview:
    """Record the accountability case a review led to (REQ-QLT-08); allowed at any status."""
    link = _check_accountability_link(link)
    with set_actor(by):
        review.accountability_link = link
        review.save(update_fields=["accountability_link", "updated_at"])
    return review
