"""The demo organisation: a company, two subsidiaries with departments, one user per role, clients and
meeting projects spread over the five phases. Dates are relative to today so every page shows something true.
Later capabilities extend it with their own records (each through its own services)."""

import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from huiyi.accounts import services as accounts
from huiyi.accounts.models import Role, User
from huiyi.clients import services as client_services
from huiyi.core import scale
from huiyi.projects import services as projects
from huiyi.projects.models import MeetingProject, MeetingType, Phase

CREDENTIALS_FILE = "demo-credentials.json"

UNITS = [
    # code, parent, kind, zh, en
    ("hq", None, "company", "华东会展集团有限公司", "East China Meetings & Events Group"),
    ("hq-quality", "hq", "department", "质量管理部", "Quality Management"),
    ("hq-finance", "hq", "department", "财务部", "Finance"),
    ("hq-hr", "hq", "department", "人力资源部", "Human Resources"),
    ("sh", "hq", "subsidiary", "上海会务服务有限公司", "Shanghai Meeting Services Co., Ltd."),
    ("sh-accounts", "sh", "department", "客户部", "Client Services"),
    ("sh-planning", "sh", "department", "策划部", "Planning"),
    ("sh-execution", "sh", "department", "执行部", "Execution"),
    ("sh-tech", "sh", "department", "技术保障部", "Technical Support"),
    ("hz", "hq", "subsidiary", "杭州国际会议中心", "Hangzhou International Conference Centre"),
    ("hz-events", "hz", "department", "会务部", "Events"),
    ("hz-tech", "hz", "department", "工程技术部", "Engineering"),
]

# username, display name, role key, unit the role is held in
PEOPLE = [
    ("zhao.min", "赵敏", "project_director", "sh"),
    ("qian.hao", "钱浩", "project_manager", "sh-planning"),
    ("sun.li", "孙丽", "planner", "sh-planning"),
    ("li.qiang", "李强", "execution_supervisor", "sh-execution"),
    ("zhou.jie", "周杰", "on_site_director", "sh-execution"),
    ("wu.lei", "吴磊", "technical_support", "sh-tech"),
    ("zheng.yu", "郑雨", "reception", "sh-execution"),
    ("wang.gang", "王刚", "security", "sh-execution"),
    ("feng.yan", "冯燕", "medical", "sh-execution"),
    ("chen.jing", "陈静", "account_manager", "sh-accounts"),
    ("chu.hong", "褚红", "finance", "hq-finance"),
    ("wei.lan", "卫兰", "visual_design", "sh-planning"),
    ("jiang.tao", "蒋涛", "hr", "hq-hr"),
    ("shen.bo", "沈波", "project_execution", "sh-execution"),
    ("han.mei", "韩梅", "quality_officer", "hq"),
    ("yang.fan", "杨帆", "project_manager", "hz-events"),
]

CLIENTS = [
    (
        "上海浦江科技股份有限公司",
        "Shanghai Pujiang Technology Co., Ltd.",
        "enterprise",
        "91310115MA1K4ABC3X",
        "上海市浦东新区张江路 88 号",
        ("刘洋", "行政总监", "13800000001", "liu.yang@pujiang.example"),
    ),
    (
        "中国医学影像学会",
        "Chinese Society of Medical Imaging",
        "association",
        "51100000MJ0012345K",
        "北京市西城区南礼士路 12 号",
        ("黄蕾", "秘书长", "13800000002", "huang.lei@csmi.example"),
    ),
    (
        "杭州市商务局",
        "Hangzhou Municipal Bureau of Commerce",
        "government",
        "11330100MB1234567P",
        "杭州市上城区解放东路 18 号",
        ("许峰", "办公室主任", "13800000003", "xu.feng@hzcommerce.example"),
    ),
    (
        "浙江大学管理学院",
        "Zhejiang University School of Management",
        "institution",
        "12330000470003281Q",
        "杭州市西湖区余杭塘路 866 号",
        ("何静", "会议秘书", "13800000004", "he.jing@zju.example"),
    ),
    (
        "东方新能源汽车有限公司",
        "Orient New Energy Vehicles Co., Ltd.",
        "enterprise",
        "91320500MA1M9XY20L",
        "苏州工业园区星湖街 328 号",
        ("罗斌", "市场部经理", "13800000005", "luo.bin@orient-nev.example"),
    ),
]


@dataclass
class DemoResult:
    created: bool
    password: str
    usernames: list[str]


def demo_exists() -> bool:
    return User.objects.filter(username="admin").exists() and MeetingProject.objects.exists()


def credentials_path():
    return settings.DATA_DIR / CREDENTIALS_FILE


def read_credentials() -> dict | None:
    path = credentials_path()
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _write_credentials(password: str, usernames: list[str]) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"password": password, "usernames": usernames}, handle, ensure_ascii=False)


def demo_password() -> str:
    return os.environ.get("HUIYI_DEMO_PASSWORD") or secrets.token_urlsafe(12)


@transaction.atomic
def build_demo(password: str | None = None) -> DemoResult:
    password = password or demo_password()
    accounts.ensure_default_roles(update_permissions=True)
    units = {}
    for code, parent, kind, zh, en in UNITS:
        units[code] = accounts.create_org_unit(
            code=code, name={"zh-hans": zh, "en": en}, kind=kind, parent=units.get(parent)
        )

    admin = User.objects.create_superuser(
        username="admin",
        password=password,
        email="admin@huiyi.example",
        display_name="系统管理员",
        org_unit=units["hq"],
    )
    people = {}
    for username, display_name, role_key, unit_code in PEOPLE:
        user = User.objects.create_user(
            username=username,
            password=password,
            display_name=display_name,
            email=f"{username}@huiyi.example",
            org_unit=units[unit_code],
        )
        accounts.grant_role(user, units[unit_code], role_key)
        people[role_key] = people.get(role_key) or user

    clients = []
    for zh, en, kind, code, address, contact in CLIENTS:
        client = client_services.create_client(
            name=zh,
            name_en=en,
            kind=kind,
            credit_code=code,
            address=address,
            org_unit=units["hz" if "杭州" in address else "sh"],
            created_by=admin,
        )
        name, title, phone, email = contact
        client_services.add_contact(
            client, name=name, title=title, phone=phone, email=email, is_primary=True, created_by=admin
        )
        clients.append(client)

    _build_projects(units, people, clients, admin)
    _extend(people)
    usernames = ["admin", *[p[0] for p in PEOPLE]]
    _write_credentials(password, usernames)
    return DemoResult(created=True, password=password, usernames=usernames)


def _extend(people) -> None:
    """Each capability adds its own records to the demo, through its own services."""
    from huiyi.closing import demo as closing_demo
    from huiyi.contracts import demo as contracts_demo
    from huiyi.documents import demo as documents_demo
    from huiyi.documents import filing_demo
    from huiyi.documents.borrowing import demo as borrowing_demo
    from huiyi.documents.disposition import demo as disposition_demo
    from huiyi.documents.search import demo as docsearch_demo
    from huiyi.feedback.complaints import demo as complaints_demo
    from huiyi.feedback.improvement import demo as improvement_demo
    from huiyi.feedback.surveys import demo as surveys_demo
    from huiyi.incidents import demo as incidents_demo
    from huiyi.incidents.preparedness import demo as preparedness_demo
    from huiyi.onsite.agenda import demo as liveagenda_demo
    from huiyi.onsite.attendees import demo as attendees_demo
    from huiyi.onsite.checkin import demo as checkin_demo
    from huiyi.onsite.inspections import demo as inspections_demo
    from huiyi.people import demo as people_demo
    from huiyi.projects.intake import demo as intake_demo
    from huiyi.projects.planning import demo as planning_demo
    from huiyi.projects.preparation import demo as preparation_demo
    from huiyi.quality import demo as quality_demo
    from huiyi.quality.audits import demo as supervision_demo
    from huiyi.quality.kpis import demo as kpis_demo
    from huiyi.resources import demo as resources_demo

    projects = list(MeetingProject.objects.order_by("code"))
    intake_demo.build(projects, people)
    planning_demo.build(projects, people)
    preparedness_demo.build(projects, people)  # imports the risks of HY-2026-103's plan
    resources_demo.build(projects, people)
    preparation_demo.build(projects, people)
    contracts_demo.build(projects, people)
    attendees_demo.build(projects, people)
    checkin_demo.build(projects, people)
    surveys_demo.build(projects, people)  # needs the attendees and check-ins
    inspections_demo.build(projects, people)
    liveagenda_demo.build(projects, people)
    documents_demo.build(projects, people)  # files the meeting day's attendee list and agenda
    borrowing_demo.build(projects, people)  # borrows HY-2026-105's attendee list
    disposition_demo.build(projects, people)
    incidents_demo.build(projects, people)
    people_demo.build(projects, people)  # reads tasks, surveys and incidents for the capability measures
    quality_demo.build(projects, people)
    complaints_demo.build(projects, people)
    improvement_demo.build(projects, people)
    supervision_demo.build(projects, people)  # audit, violation and the SOP library
    closing_demo.build(projects, people)  # its summary report reads every other app's figures
    filing_demo.build(projects, people)  # files the phase outputs, the summary report included
    docsearch_demo.build(projects, people)  # indexes every document filed above
    # A year of the organisation's earlier meetings, so that the KPI dashboard has figures and trends.
    scale.generate(scale.Plan.demo(), out=None)
    kpis_demo.build(projects, people)


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today + timedelta(days=day_offset), time(hour, minute)))


def _build_projects(units, people, clients, admin) -> None:
    types = {t.key: t for t in MeetingType.objects.all()}
    roles = {r.key: r for r in Role.objects.all()}
    pujiang, imaging, commerce, zju, orient = clients
    plans = [
        # code, zh, en, client, type, unit, phase, start in days, start hour, days, attendees, venue
        (
            "HY-2026-101",
            "浦江科技 2027 年度经销商大会",
            "Pujiang Technology 2027 Dealer Conference",
            pujiang,
            "annual",
            "sh",
            Phase.NEEDS,
            75,
            9,
            2,
            420,
            "上海国际会议中心",
        ),
        (
            "HY-2026-102",
            "新能源汽车供应链合作洽谈会",
            "NEV Supply-Chain Cooperation Talks",
            orient,
            "external_negotiation",
            "sh",
            Phase.NEEDS,
            48,
            14,
            1,
            60,
            "苏州金鸡湖国际会议中心",
        ),
        (
            "HY-2026-103",
            "第十二届全国医学影像学术年会",
            "12th National Medical Imaging Congress",
            imaging,
            "academic_conference",
            "sh",
            Phase.RESOURCES,
            21,
            8,
            3,
            1200,
            "上海世博中心",
        ),
        (
            "HY-2026-104",
            "杭州跨境电商发展专题研讨会",
            "Hangzhou Cross-Border E-Commerce Seminar",
            commerce,
            "seminar",
            "hz",
            Phase.RESOURCES,
            12,
            9,
            1,
            180,
            "杭州国际会议中心 3 号厅",
        ),
        (
            "HY-2026-105",
            "浦江科技董事会第四次会议",
            "Pujiang Technology 4th Board Meeting",
            pujiang,
            "board",
            "sh",
            Phase.EXECUTION,
            0,
            9,
            1,
            60,
            "浦江科技总部 20 楼会议室",
        ),
        (
            "HY-2026-096",
            "浙大管理学院高管培训班",
            "ZJU Executive Training Programme",
            zju,
            "internal_training",
            "hz",
            Phase.EVALUATION,
            -9,
            9,
            2,
            80,
            "浙江大学紫金港校区",
        ),
        (
            "HY-2026-092",
            "东方新能源经销商商务会议",
            "Orient NEV Dealer Business Meeting",
            orient,
            "business_meeting",
            "sh",
            Phase.EVALUATION,
            -16,
            13,
            1,
            150,
            "苏州香格里拉大酒店",
        ),
        (
            "HY-2026-081",
            "杭州市外贸企业年度座谈会",
            "Hangzhou Foreign-Trade Enterprises Annual Forum",
            commerce,
            "annual",
            "hz",
            Phase.IMPROVEMENT,
            -55,
            14,
            1,
            240,
            "杭州国际会议中心 1 号厅",
        ),
    ]
    team_roles = ["project_manager", "planner", "account_manager", "on_site_director", "technical_support"]
    for code, zh, en, client, type_key, unit, phase, offset, hour, days, attendees, venue in plans:
        if offset == 0:  # running right now: three hours in, so the demo shows a morning already run
            now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            start, end = now - timedelta(hours=3), now + timedelta(hours=4)
        else:
            start, end = _at(offset, hour), _at(offset + days - 1, 18)
        pm = User.objects.get(username="yang.fan") if unit == "hz" else people["project_manager"]
        members = [(pm, roles["project_manager"])] + [(people[key], roles[key]) for key in team_roles[1:]]
        projects.create_project(
            code=code,
            name=zh,
            name_en=en,
            client=client,
            meeting_type=types[type_key],
            org_unit=units[unit],
            phase=phase,
            start=start,
            end=end,
            venue_name=venue,
            address=client.address,
            expected_attendees=attendees,
            created_by=admin,
            members=members,
        )
    projects.create_project(
        code="HY-2026-099",
        name="策划部内部周例会",
        name_en="Planning department weekly stand-up",
        client=pujiang,
        meeting_type=types["internal_training"],
        org_unit=units["sh-planning"],
        phase=Phase.NEEDS,
        start=_at(3, 10),
        end=_at(3, 10, 30),
        venue_name="公司 3 楼小会议室",
        expected_attendees=8,
        out_of_scope=MeetingProject.OutOfScope.INFORMAL,
        created_by=admin,
        members=[(people["planner"], roles["planner"])],
    )
