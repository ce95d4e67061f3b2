"""Demo plans: confirmed, signed and archived plans for projects past phase 1, one plan in review.

Called by the demo builder after the projects exist and before the quality demo evaluates them::

    from huiyi.projects.planning import demo as planning_demo
    planning_demo.build(list(MeetingProject.objects.order_by("code")), people)

The budget totals match the quality demo (src/huiyi/quality/demo.py): against its client budget of
1,000,000 the first project in phase 2 plans 1,068,000 (a deviation just over the rulebook's threshold),
the others 1,050,000. That project went through two versions: the client commented on v1's budget and
confirmed v2.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from huiyi.quality.demo import PLANNED_OK, PLANNED_OVER

from . import pdf, queries, services
from .models import PlanSection, PlanVersion

ALL_ACCEPTED = {section: (True, "") for section in PlanSection.values}
# Budget lines without catering; catering makes up the rest of the planned total.
BUDGET_LINES = [
    ("venue", "主会场及分会场租赁（含搭建）", Decimal("380000")),
    ("equipment", "LED 屏、投影、音响及灯光", Decimal("210000")),
    ("accommodation", "嘉宾住宿（两晚）", Decimal("120000")),
    ("materials", "会议手册、胸卡与背景板制作", Decimal("45000")),
    ("translation", "中英同声传译（两名译员及设备）", Decimal("35000")),
]
AGENDA = [
    (0, 30, "嘉宾签到", "主会场入口"),
    (30, 60, "开幕致辞", "主办方领导"),
    (90, 15, "茶歇", ""),
    (105, 75, "主题演讲", "特邀嘉宾"),
    (180, 90, "午餐", "酒店宴会厅"),
    (270, 120, "分论坛研讨", "三个分会场"),
]


def _person(people: dict, *keys: str):
    for key in keys:
        if people.get(key):
            return people[key]
    return next(iter(people.values()))


def _fill(version: PlanVersion, total: Decimal, by) -> None:
    project = version.project
    start, end = project.start, project.end
    services.update_goals(
        version,
        by=by,
        goals=f"{project.name}：明确会议主题与目标受众，提升主办方品牌影响力，保障会议安全、有序、高效。",
        technical_support="LED 主屏与双投影备份；专业音响；现场网络双线路；技术支持全程驻场。",
        catering="欢迎茶歇两次、自助午餐；提前收集清真及素食需求。",
        translation="主论坛提供中英同声传译；分论坛配交替传译。",
    )
    for offset, minutes, title, notes in AGENDA:
        begins = start + timedelta(minutes=offset)
        services.add_line(
            version,
            "agenda",
            by=by,
            starts_at=begins,
            ends_at=begins + timedelta(minutes=minutes),
            title=title,
            notes=notes,
        )
    resources = [
        ("venue", "主会场（剧院式）", 1, ""),
        ("equipment", "投影仪", 4, "含备用 1 台"),
        ("equipment", "同传设备", 1, "译员间 + 接收机"),
        ("staff", "礼仪接待", 8, ""),
        ("material", "会议手册", project.expected_attendees, ""),
    ]
    for kind, name, quantity, notes in resources:
        services.add_line(
            version,
            "resources",
            by=by,
            kind=kind,
            name=name,
            quantity=quantity,
            start=start,
            end=end,
            notes=notes,
        )
    others = sum(amount for _c, _d, amount in BUDGET_LINES)
    for category, description, amount in BUDGET_LINES:
        services.add_line(version, "budget", by=by, category=category, description=description, amount=amount)
    services.add_line(
        version, "budget", by=by, category="catering", description="茶歇与午餐", amount=total - others
    )


def _review_and_send(version: PlanVersion, planner, director, manager, scores=(86, 88)) -> str:
    services.submit_for_review(version, by=planner)
    services.review(
        version, reviewer=director, score=scores[0], comment="主题鲜明，议程节奏合理。", outcome="approve"
    )
    services.review(version, reviewer=manager, score=scores[1], comment="资源计划完整。", outcome="approve")
    services.conclude_review(version, by=director, outcome="approve", note="同意发送客户确认。")
    _version, token = services.send_to_client(version, by=planner, recipient="客户联系人")
    return token


def _confirm(version: PlanVersion, token: str, signer: str, planner) -> None:
    services.answer_as_client(token, answers=ALL_ACCEPTED, signer_name=signer, address="127.0.0.1")
    version.refresh_from_db()
    data = pdf.render(queries.version_detail(version.pk), "zh-hans")
    upload = SimpleUploadedFile(f"{version.project.code}-{version.label}-signed.pdf", data, "application/pdf")
    services.archive_signed_copy(version, upload, by=planner)


def build(projects: list, people: dict) -> list[PlanVersion]:
    """Create the demo plans; return the versions created."""
    planner = _person(people, "planner", "project_manager")
    director = _person(people, "project_director")
    manager = _person(people, "project_manager", "account_manager")
    created: list[PlanVersion] = []
    in_scope = [p for p in projects if not p.out_of_scope]
    failing = next((p for p in in_scope if p.phase == 2), None)
    for project in in_scope:
        if project.phase < 2:
            continue
        signer = _client_contact(project)
        v1 = services.create_version(project, by=planner)
        if project is failing:
            _fill(v1, PLANNED_OVER + Decimal("52000"), planner)
            token = _review_and_send(v1, planner, director, manager, scores=(82, 84))
            answers = {**ALL_ACCEPTED, "budget": (False, "餐饮标准偏高，请压缩预算后再发。")}
            services.answer_as_client(token, answers=answers, signer_name=signer)
            v2 = services.create_version(project, by=planner)
            services.update_goals(v2, by=planner, change_note="按客户意见下调餐饮标准")
            catering = v2.budget_lines.get(category="catering")
            services.update_line(catering, by=planner, amount=catering.amount - Decimal("52000"))
            token = _review_and_send(v2, planner, director, manager)
            _confirm(v2, token, signer, planner)
            created += [v1, v2]
        else:
            _fill(v1, PLANNED_OK, planner)
            token = _review_and_send(v1, planner, director, manager)
            _confirm(v1, token, signer, planner)
            created.append(v1)
    reviewing = next((p for p in in_scope if p.phase == 1), None)
    if reviewing is not None:
        version = services.create_version(reviewing, by=planner)
        _fill(version, PLANNED_OK, planner)
        services.submit_for_review(version, by=planner)
        services.review(
            version, reviewer=manager, score=84, comment="创意可再加强互动环节。", outcome="approve"
        )
        created.append(version)
    return created


def _client_contact(project) -> str:
    contact = (
        project.client.contacts.order_by("-is_primary", "pk").first()
        if hasattr(project.client, "contacts")
        else None
    )
    return contact.name if contact else project.client.name
