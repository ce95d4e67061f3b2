"""Demo surveys and revisits, through the services (REQ-FBK-01…03, 07).

* HY-2026-096 (ZJU executive training, ended about eight days ago): 80 participants are registered and most
  were scanned in at the door on the first morning (check-in services); the attendee survey of §2.9(1) ran
  from the closing session until the collection deadline with 60 answers (technical support scored lowest),
  its analysis was recorded two days later; the client answered the client questionnaire through a personal
  link; two revisits (telephone, then a visit).
* HY-2026-092 (dealer meeting, about sixteen days ago): a survey that collected few answers and was never
  analysed — the overdue steps show on its feedback page.

Every time is computed from the project's start and end. Needs the attendee and check-in apps (run after
their demos); adds attendees only to projects that have none.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from huiyi.onsite.attendees import services as attendees
from huiyi.onsite.attendees.models import Attendee
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import rulebook_for

from . import queries, scoring, services
from .models import Audience, Invitation, QuestionKind

TRAINING = "HY-2026-096"
DEALERS = "HY-2026-092"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = [
    "志强",
    "秀英",
    "建华",
    "丽娟",
    "海涛",
    "晓燕",
    "国平",
    "雪梅",
    "永刚",
    "文静",
    "俊杰",
    "佳怡",
    "宏伟",
    "玉兰",
    "振宇",
    "婷婷",
    "立新",
    "红霞",
    "明远",
    "静怡",
]
TRAINING_ORGS = [
    "浙江交通集团",
    "杭州银行",
    "海康威视",
    "吉利汽车",
    "浙江医药",
    "正泰电器",
    "农夫山泉",
    "浙能集团",
]
DEALER_ORGS = [
    "苏州东方汽车销售",
    "无锡新能源车城",
    "南通驰骋汽车",
    "常州东风名车",
    "嘉兴新能源汽车",
    "湖州鑫源汽贸",
]

COMMENTS = [
    "课程内容很实用,案例贴近企业实际。",
    "第二天下午投影仪有两次黑屏,希望提前检查设备。",
    "会场空调偏冷,建议调高一到两度。",
    "茶歇安排很贴心。",
    "希望增加小组讨论时间。",
    "签到很快,工作人员态度好。",
    "分会场的无线网络不太稳定。",
    "Materials in English would help international participants.",
    "<b>讲师</b>非常专业 & 互动充分",
    "建议提前一周发送日程和交通指引。",
]


def _people(n: int, orgs: list[str], rng: random.Random) -> list[dict]:
    people = []
    for index in range(n):
        name = SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]
        people.append(
            {
                "external_key": f"demo-{index + 1:03d}",
                "name": name if index < len(SURNAMES) else f"{name}{index // len(SURNAMES) + 1}",
                "organisation": orgs[index % len(orgs)],
                "email": f"p{index + 1:03d}@example.com",
                "category": "vip" if index < 4 else "speaker" if index < 7 else "guest",
                "language": "en" if index % 17 == 5 else "zh-hans",
            }
        )
    return people


def _register_and_check_in(project, people_data, tenths: int, by, rng) -> None:
    """Add the attendees (if the project has none) and scan most of them in at the door."""
    from huiyi.onsite.checkin import services as checkin
    from huiyi.onsite.checkin.models import CheckIn, PresenceEvent, ScanRecord

    if Attendee.objects.filter(project=project).exists():
        return
    created = [attendees.create_attendee(project, by=by, **values) for values in people_data]
    scanner = checkin.Scanner.for_user(by)
    opens = project.start - timedelta(minutes=40)
    arriving = created[: len(created) * tenths // 10]
    for attendee in arriving:
        key = f"demo-survey-{attendee.pk}"
        checkin.scan(
            scanner,
            code=attendee.ticket.code,
            device="gate-01",
            device_name="签到台 1 号机",
            project_id=project.pk,
            key=key,
        )
        at = opens + timedelta(seconds=rng.randint(0, 55 * 60))
        record = ScanRecord.objects.filter(user_id=by.pk, idempotency_key=key).first()
        if record is not None:  # the scan happened now; the attendee came on the first morning
            ScanRecord.objects.filter(pk=record.pk).update(received_at=at)
            CheckIn.objects.filter(scan_id=record.pk).update(checked_in_at=at, created_at=at)
            PresenceEvent.objects.filter(scan_id=record.pk).update(at=at)


def _answer(survey, rng, *, moment, invitation=None, tone: float = 0.0, comment: str = "") -> None:
    """One realistic answer: mostly 4–5, technical support a little lower; ``tone`` shifts it."""
    low, high = scoring.scale(rulebook_for(survey.project))
    answers = {}
    for question in survey.template.questions.all():
        if question.kind == QuestionKind.SCALE:
            base = rng.choices(range(high, low - 1, -1), weights=[46, 36, 12, 4, 2][: high - low + 1])[0]
            if question.dimension == "technical_support" and rng.random() < 0.35:
                base -= 1
            answers[question.pk] = max(low, min(high, round(base + tone)))
        elif question.kind == QuestionKind.TEXT and comment:
            answers[question.pk] = comment
    services.submit(
        survey,
        answers,
        invitation=invitation,
        language=invitation.language if invitation else "zh-hans",
        now=moment,
    )


def _training(project, people) -> None:
    manager = people.get("project_manager")
    account = people.get("account_manager") or manager
    director = people.get("on_site_director") or manager
    if manager is None:
        return
    rng = random.Random(96)
    _register_and_check_in(project, _people(80, TRAINING_ORGS, rng), 9, director, rng)
    rulebook = rulebook_for(project)
    now = timezone.now()
    template = services.default_template(Audience.ATTENDEES, rulebook, by=manager)
    deadline = services.collection_due(project, rulebook)
    closes = min(deadline.due if deadline else project.end + timedelta(days=3), now - timedelta(hours=1))
    survey = services.create_survey(
        project, by=manager, template=template, opens_at=project.end - timedelta(minutes=30), closes_at=closes
    )
    # Personal links for those who came (the e-mails went out at the closing session), a QR on the screen.
    targeted = list(queries.targeted_attendees(survey).order_by("pk"))
    invitations = []
    for attendee in targeted[:45]:
        invitation, _token = services.personal_link_for_attendee(survey, attendee, by=manager)
        Invitation.objects.filter(pk=invitation.pk).update(
            sent_at=project.end - timedelta(minutes=25), attempts=1
        )
        invitations.append(invitation)
    span = (closes - survey.opens_at).total_seconds()
    comments = iter(COMMENTS)
    for n in range(60):
        moment = survey.opens_at + timedelta(seconds=span * min(49 / 50, rng.random() ** 2.2))
        invitation = invitations[n] if n < 42 else None
        comment = next(comments, "") if n % 5 == 0 else ""
        _answer(survey, rng, moment=moment, invitation=invitation, comment=comment)
    # Two people changed their answers the next morning through their links (updated, not duplicated).
    for invitation in invitations[:2]:
        _answer(
            survey,
            rng,
            moment=project.end + timedelta(hours=16),
            invitation=invitation,
            tone=-0.5,
            comment="第二天补充:分会场网络不稳定。",
        )
    calendar_analysis = closes + timedelta(days=2)
    services.record_analysis(
        survey,
        by=manager,
        analysis=(
            "回收 60 份。课程内容与场地评价高;技术支持得分最低,集中在第二天下午投影黑屏与分会场无线网络。"
            "改进:开场前 1 小时完成设备联调,分会场加装一台无线接入点。"
        ),
        now=min(calendar_analysis, now - timedelta(minutes=30)),
    )

    client_template = services.default_template(Audience.CLIENT, rulebook, by=account)
    client_survey = services.create_survey(
        project,
        by=account,
        template=client_template,
        opens_at=project.end + timedelta(hours=2),
        closes_at=project.end + timedelta(days=10),
    )
    contact = project.client.contacts.order_by("-is_primary", "pk").first()
    invitation = Invitation.objects.create(
        survey=client_survey,
        name=contact.name if contact else "客户联系人",
        email=contact.email if contact else "",
    )
    services.personal_link(invitation, by=account)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=project.end + timedelta(hours=2), attempts=1)
    answers = {
        q.pk: v
        for q, v in zip(
            client_template.questions.filter(kind=QuestionKind.SCALE).order_by("position"),
            [5, 5, 4, 4, 5],
            strict=False,
        )
    }
    text = client_template.questions.filter(kind=QuestionKind.TEXT).first()
    if text is not None:
        answers[text.pk] = "整体组织有序,学员反馈好;希望下期提前确认分会场设备。"
    services.submit(
        client_survey, answers, invitation=invitation, now=project.end + timedelta(days=2, hours=3)
    )

    day = timezone.localtime(project.end).date()
    name = contact.name if contact else "客户联系人"
    services.record_revisit(
        project,
        by=account,
        contact=name,
        channel="phone",
        on=day + timedelta(days=3),
        outcome="done",
        score=90,
        notes="对课程与后勤满意;提出分会场网络问题,已记录改进。",
    )
    services.record_revisit(
        project,
        by=account,
        contact=name,
        channel="visit",
        on=min(day + timedelta(days=6), timezone.localdate()),
        outcome="done",
        score=88,
        notes="上门回访,确认下期培训意向,约定提前两周对接需求。",
    )


def _dealers(project, people) -> None:
    manager = people.get("project_manager")
    director = people.get("on_site_director") or manager
    if manager is None:
        return
    rng = random.Random(92)
    _register_and_check_in(project, _people(60, DEALER_ORGS, rng), 8, director, rng)
    rulebook = rulebook_for(project)
    now = timezone.now()
    template = services.default_template(Audience.ATTENDEES, rulebook, by=manager)
    deadline = services.collection_due(project, rulebook)
    closes = min(deadline.due if deadline else project.end + timedelta(days=3), now - timedelta(hours=1))
    survey = services.create_survey(
        project, by=manager, template=template, opens_at=project.end - timedelta(minutes=15), closes_at=closes
    )
    span = (closes - survey.opens_at).total_seconds()
    for n in range(17):
        moment = survey.opens_at + timedelta(seconds=span * min(19 / 20, rng.random() ** 3))
        _answer(survey, rng, moment=moment, tone=-3 / 5, comment="返程大巴等待时间过长。" if n == 3 else "")


def build(projects: list[MeetingProject], people: dict) -> None:
    by_code = {p.code: p for p in projects}
    if TRAINING in by_code:
        _training(by_code[TRAINING], people)
    if DEALERS in by_code:
        _dealers(by_code[DEALERS], people)
