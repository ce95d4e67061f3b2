import csv
import io

import pytest
from openpyxl import Workbook


@pytest.fixture
def team(make_user, make_project, org):
    unit = org["north_events"]
    manager = make_user("project_manager", unit, username="pm")
    director = make_user("on_site_director", unit, username="director")
    reception = make_user("reception", unit, username="rec")
    tech = make_user("technical_support", unit, username="tech")
    finance = make_user("finance", unit, username="fin")
    project = make_project(
        unit,
        members=[
            (manager, "project_manager"),
            (director, "on_site_director"),
            (reception, "reception"),
            (tech, "technical_support"),
            (finance, "finance"),
        ],
        phase=3,
        start_in_days=2,
    )
    return {
        "project": project,
        "pm": manager,
        "director": director,
        "rec": reception,
        "tech": tech,
        "fin": finance,
    }


HEADER = ["姓名", "单位", "职务", "手机", "邮箱", "类别", "座位", "饮食", "语言"]
ROWS = [
    [
        "张伟",
        "浦江科技股份有限公司",
        "董事长",
        "13812345678",
        "zhang.wei@pujiang.example",
        "贵宾",
        "A-01",
        "",
        "中文",
    ],
    [
        "李娜",
        "浦江科技股份有限公司",
        "独立董事",
        "13912345678",
        "li.na@pujiang.example",
        "演讲嘉宾",
        "A-02",
        "清真",
        "",
    ],
    [
        "John Smith",
        "Acme Capital",
        "Observer",
        "+44 7700 900123",
        "john@acme.example",
        "guest",
        "B-01",
        "",
        "English",
    ],
    ["王芳", "上海会务服务有限公司", "会务", "", "wang.fang@huiyi.example", "工作人员", "", "", ""],
]


def csv_bytes(rows, header=HEADER, encoding="utf-8", bom=False) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
