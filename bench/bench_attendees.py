"""Issue 5 benchmarks: importing 20,000 attendees and printing 20,000 badges.

    .venv/bin/python bench/bench_attendees.py [--rows 20000] [--bad 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiyi_bench .venv/bin/python bench/bench_attendees.py

Prints, for an .xlsx and a .csv file: the dry run, the first import (all rows created) and the re-import
(all rows updated) — wall time and peak Python memory (tracemalloc) plus the process's peak RSS — then the
import of a file with `--bad` bad rows (refused whole, then with bad rows skipped), then the A6 and A7 badge
PDFs of every attendee (time, size). Targets (issue 5): import ≤ 3 s and ≤ 300 MB; badges ≤ 30 s.
"""

import argparse
import io
import resource
import time
import tracemalloc
from datetime import timedelta

from common import database_label, figure, print_results, setup_django

HEADER = ["编号", "姓名", "单位", "职务", "手机", "邮箱", "类别", "座位", "饮食", "语言"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏晨浩宇欣怡子涵思远嘉"
CATEGORIES = ["嘉宾", "嘉宾", "嘉宾", "贵宾", "演讲嘉宾", "工作人员", "媒体"]
ORGANISATIONS = [
    "浦江科技股份有限公司",
    "东方新能源汽车有限公司",
    "上海市医学会",
    "浙江大学管理学院",
    "杭州跨境电商协会",
]


def rows(count: int, *, seat_suffix: str = "", bad: int = 0) -> list[list]:
    data = []
    for index in range(count):
        name = (
            SURNAMES[index % len(SURNAMES)] + GIVEN[(index // len(SURNAMES)) % len(GIVEN)] + GIVEN[index % 7]
        )
        row = [
            f"R{index:06d}",
            name,
            ORGANISATIONS[index % len(ORGANISATIONS)],
            "代表",
            f"13{index % 10}{index:08d}",
            f"user{index}@example.com",
            CATEGORIES[index % len(CATEGORIES)],
            f"{index // 40 + 1}排{index % 40 + 1}号{seat_suffix}",
            "素食" if index % 23 == 0 else "",
            "English" if index % 50 == 0 else "中文",
        ]
        data.append(row)
    step = max(1, count // max(bad, 1))
    for number in range(bad):  # spread the bad rows through the file
        row = data[(number * step) % count]
        if number % 3 == 0:
            row[1] = ""
        elif number % 3 == 1:
            row[6] = "国王"
        else:
            row[5] = "not-an-address"
    return data


def xlsx(data) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_gbk(data) -> bytes:
    import csv

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(data)
    return text.getvalue().encode("gbk")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: label → seconds (timed) or MB (memory), for the RESULT line.
MEASURED: dict[str, float] = {}


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    MEASURED[label] = elapsed
    print(f"{label:<52} {elapsed:7.2f} s   process peak RSS so far {peak_rss_mb():7.1f} MB")
    return result


def memory(label: str, function):
    """Peak memory allocated by Python while `function` runs (tracemalloc slows it down: not timed)."""
    tracemalloc.start()
    result = function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    MEASURED[f"memory {label}"] = peak / 2**20
    print(f"{label:<52} peak Python memory {peak / 2**20:7.1f} MB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--bad", type=int, default=30)
    args = parser.parse_args()
    setup_django()

    from django.utils import timezone

    from huiyi.accounts import services as accounts
    from huiyi.accounts.models import User
    from huiyi.clients.models import Client
    from huiyi.onsite.attendees import badges, services
    from huiyi.onsite.attendees.models import Attendee
    from huiyi.projects import services as projects
    from huiyi.projects.models import MeetingType

    accounts.ensure_default_roles(update_permissions=True)
    unit = accounts.create_org_unit(code="bench", name={"zh-hans": "基准", "en": "Bench"}, kind="company")
    user = User.objects.create_user(username="bench", password="x", org_unit=unit)
    client = Client.objects.create(name="基准客户", kind="enterprise", org_unit=unit)
    start = timezone.now() + timedelta(days=3)

    def project(code):
        return projects.create_project(
            code=code,
            name=f"基准大会 {code}",
            client=client,
            org_unit=unit,
            meeting_type=MeetingType.objects.first(),
            start=start,
            end=start + timedelta(hours=8),
            expected_attendees=args.rows,
        )

    print(f"# database: {database_label()}; {args.rows} rows; {args.bad} bad rows in the third file")
    files = {
        "xlsx": (xlsx(rows(args.rows)), xlsx(rows(args.rows, seat_suffix="(改)"))),
        "csv GBK": (csv_gbk(rows(args.rows)), csv_gbk(rows(args.rows, seat_suffix="(改)"))),
    }
    for kind, (first, second) in files.items():
        target = project(f"BENCH-{kind.split()[0].upper()}")
        print(f"-- {kind}: {len(first) / 2**20:.1f} MB")
        report = timed(
            f"{kind}: dry run",
            lambda t=target, f=first: services.import_attendees(t, f, by=user, dry_run=True),
        )
        assert report.created == args.rows, report.as_dict()
        report = timed(
            f"{kind}: import, {args.rows} created",
            lambda t=target, f=first: services.import_attendees(t, f, by=user, dry_run=False),
        )
        assert report.applied and report.created == args.rows
        report = timed(
            f"{kind}: re-import, {args.rows} updated",
            lambda t=target, f=second: services.import_attendees(t, f, by=user, dry_run=False),
        )
        assert report.applied and report.updated == args.rows
        assert Attendee.objects.filter(project=target).count() == args.rows

    print("-- memory (tracemalloc; a fresh project each)")
    for kind, (first, _second) in files.items():
        target = project(f"BENCH-MEM-{kind.split()[0].upper()}")
        report = memory(
            f"{kind}: import, {args.rows} created",
            lambda target=target, first=first: services.import_attendees(
                target, first, by=user, dry_run=False
            ),
        )
        assert report.applied

    bad_file = xlsx(rows(args.rows, bad=args.bad))
    target = project("BENCH-BAD")
    report = timed(
        f"xlsx with {args.bad} bad rows: refused whole",
        lambda: services.import_attendees(target, bad_file, by=user, dry_run=False),
    )
    assert not report.applied and report.bad_rows == args.bad
    assert not Attendee.objects.filter(project=target).exists()
    report = timed(
        f"xlsx with {args.bad} bad rows: skip bad rows",
        lambda: services.import_attendees(target, bad_file, by=user, dry_run=False, skip_bad_rows=True),
    )
    assert report.applied and report.created == args.rows - args.bad

    target = Attendee.objects.filter(project__code="BENCH-XLSX").first().project
    for size in ("a6", "a7"):
        queryset = (
            Attendee.objects.filter(project=target, status="active")
            .select_related("ticket")
            .order_by("name", "pk")
        )
        pdf = timed(
            f"badges {size.upper()}, {args.rows} pages",
            lambda queryset=queryset, size=size: badges.badges_pdf(
                target, queryset.iterator(chunk_size=2000), size
            ),
        )
        print(f"{'':<52} {len(pdf) / 2**20:7.1f} MB PDF, {len(pdf) // args.rows} bytes per badge")

    engine = database_label()
    results = []
    for label, value in MEASURED.items():
        if label.startswith("memory "):
            results.append(figure(f"attendees {label[7:]} ({engine}): peak Python memory", value, "MB",
                                  "≤ 300 MB", value <= 300))  # fmt: skip
        elif "bad rows" in label or "dry run" in label:
            results.append(figure(f"attendees {label} ({engine})", value, "s"))
        elif label.startswith("badges"):
            results.append(figure(f"{label} ({engine})", value, "s", "≤ 30 s", value <= 30))
        else:
            results.append(figure(f"attendees {label} ({engine})", value, "s", "≤ 3 s", value <= 3))
    print_results("attendees", results, engine=engine, rows=args.rows)


if __name__ == "__main__":
    main()
