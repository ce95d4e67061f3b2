"""Demo attendees of the meeting-day project HY-2026-105 (浦江科技董事会第四次会议), imported the way an
organiser would: an .xlsx list with Chinese headers through the import service, then one cancellation."""

from __future__ import annotations

import io

from openpyxl import Workbook

from huiyi.projects.models import MeetingProject

from . import services
from .models import Attendee

PROJECT_CODE = "HY-2026-105"
HEADER = ["编号", "姓名", "单位", "职务", "手机", "邮箱", "类别", "座位", "饮食", "语言"]

BOARD = [
    ("陈国华", "董事长", "贵宾", "主-01", ""),
    ("刘建平", "副董事长", "贵宾", "主-02", ""),
    ("周晓梅", "董事、总经理", "演讲嘉宾", "主-03", ""),
    ("吴志强", "董事、财务总监", "演讲嘉宾", "主-04", ""),
    ("郑海波", "董事", "贵宾", "A-01", "不吃辣"),
    ("孙立新", "董事", "贵宾", "A-02", ""),
    ("马丽娟", "董事", "贵宾", "A-03", "素食"),
    ("黄永康", "独立董事", "贵宾", "A-04", ""),
    ("林静怡", "独立董事", "贵宾", "A-05", ""),
    ("何振宇", "独立董事", "演讲嘉宾", "A-06", ""),
    ("谢文斌", "监事会主席", "嘉宾", "A-07", ""),
    ("罗春燕", "监事", "嘉宾", "A-08", "清真"),
    ("高明远", "职工监事", "嘉宾", "A-09", ""),
]
OBSERVERS = [
    ("徐卫东", "副总经理", "研发中心", "演讲嘉宾"),
    ("朱红霞", "副总经理", "市场营销部", "嘉宾"),
    ("胡建军", "董事会秘书", "董事会办公室", "嘉宾"),
    ("郭晓峰", "总法律顾问", "法务部", "嘉宾"),
    ("杨秀英", "内审部总监", "内审部", "嘉宾"),
    ("冯志刚", "人力资源总监", "人力资源部", "嘉宾"),
    ("蒋丽萍", "证券事务代表", "董事会办公室", "嘉宾"),
    ("韩磊", "战略投资部总监", "战略投资部", "嘉宾"),
    ("曹雪峰", "信息技术总监", "信息技术部", "嘉宾"),
    ("彭晓东", "供应链总监", "供应链管理部", "嘉宾"),
    ("董丽华", "财务部经理", "财务部", "嘉宾"),
    ("袁博", "投资者关系经理", "董事会办公室", "嘉宾"),
]
EXTERNAL = [
    ("邓建国", "合伙人", "立信会计师事务所（特殊普通合伙）", "列席"),
    ("许文静", "高级经理", "立信会计师事务所（特殊普通合伙）", "列席"),
    ("傅晓明", "合伙人律师", "上海市锦天城律师事务所", "列席"),
    ("沈丽", "律师", "上海市锦天城律师事务所", "列席"),
    ("曾志伟", "保荐代表人", "中信证券股份有限公司", "列席"),
    ("吕佳", "项目经理", "中信证券股份有限公司", "列席"),
    ("Michael Turner", "Managing Director", "Harbour Capital Partners", "列席"),
    ("Sarah Lindqvist", "Investment Director", "Nordic Growth Fund", "列席"),
    ("苏晓燕", "董事长助理", "上海浦江投资控股有限公司", "列席"),
    ("魏强", "投资总监", "上海浦江投资控股有限公司", "列席"),
]
PRESS = [
    ("程晓璐", "记者", "第一财经", "媒体"),
    ("丁浩然", "摄影记者", "上海证券报", "媒体"),
]
STAFF = [
    ("王思远", "项目经理", "会务组"),
    ("李晓雯", "会务主管", "会务组"),
    ("张子豪", "技术支持", "技术组"),
    ("赵一鸣", "音响工程师", "技术组"),
    ("钱佳怡", "签到接待", "接待组"),
    ("孙悦", "签到接待", "接待组"),
    ("周子涵", "礼仪", "接待组"),
    ("吴雨桐", "礼仪", "接待组"),
    ("郑凯", "安保主管", "安保组"),
    ("冯晨", "安保", "安保组"),
    ("陈思琪", "会议记录", "董事会办公室"),
    ("褚明辉", "摄像", "宣传组"),
    ("卫婷", "茶歇服务", "后勤组"),
    ("蒋文博", "司机调度", "后勤组"),
    ("沈嘉怡", "医护", "后勤组"),
    ("韩雪", "翻译", "会务组"),
    ("杨帆", "现场协调", "会务组"),
    ("朱琳", "资料分发", "会务组"),
    ("秦浩", "网络保障", "技术组"),
    ("尤佳", "签到接待", "接待组"),
    ("许诺", "志愿者", "接待组"),
    ("何静", "志愿者", "接待组"),
]


def _rows() -> list[list[str]]:
    rows = []
    company = "浦江科技股份有限公司"
    for index, (name, title, category, seat, dietary) in enumerate(BOARD, start=1):
        rows.append(
            [
                f"PJ-B{index:02d}",
                name,
                company,
                title,
                f"139{index:04d}{index * 37 % 10000:04d}",
                "",
                category,
                seat,
                dietary,
                "中文",
            ]
        )
    for index, (name, title, department, category) in enumerate(OBSERVERS, start=1):
        rows.append(
            [
                f"PJ-O{index:02d}",
                name,
                f"{company}{department}",
                title,
                f"137{index:04d}{index * 53 % 10000:04d}",
                "",
                category,
                f"B-{index:02d}",
                "",
                "中文",
            ]
        )
    for index, (name, title, organisation, category) in enumerate(EXTERNAL, start=1):
        english = name.isascii()
        email = f"{name.split()[0].lower()}@{organisation.split()[0].lower()}.example" if english else ""
        rows.append(
            [
                f"PJ-X{index:02d}",
                name,
                organisation,
                title,
                "" if english else f"136{index:04d}{index * 71 % 10000:04d}",
                email,
                category,
                f"C-{index:02d}",
                "",
                "English" if english else "中文",
            ]
        )
    for index, (name, title, organisation, category) in enumerate(PRESS, start=1):
        rows.append(
            [
                f"PJ-M{index:02d}",
                name,
                organisation,
                title,
                f"135{index:04d}{index * 89 % 10000:04d}",
                "",
                category,
                f"媒体区-{index}",
                "",
                "中文",
            ]
        )
    for index, (name, title, group) in enumerate(STAFF, start=1):
        rows.append(
            [
                f"PJ-S{index:02d}",
                name,
                f"上海会易会务服务有限公司·{group}",
                title,
                f"158{index:04d}{index * 97 % 10000:04d}",
                "",
                "工作人员",
                "",
                "",
                "中文",
            ]
        )
    return rows


def attendee_list_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "参会名单"
    sheet.append(HEADER)
    for row in _rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(projects: list[MeetingProject], people: dict) -> None:
    """About 60 attendees on the meeting-day project: board, observers, auditors and advisers, two press,
    the organiser's staff; VIPs and speakers with seats; one cancellation."""
    project = next((p for p in projects if p.code == PROJECT_CODE), None)
    if project is None:
        return
    organiser = people.get("project_manager")
    report = services.import_attendees(
        project, attendee_list_xlsx(), filename="参会名单.xlsx", by=organiser, dry_run=False
    )
    assert report.applied and not report.errors, report.errors  # the demo list is clean by construction
    absent = Attendee.objects.get(project=project, external_key="PJ-X06")
    services.cancel_attendee(absent, by=organiser, reason="临时行程冲突，改派邓建国列席")
