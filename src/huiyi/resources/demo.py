"""Demo resources: venues, the equipment register, suppliers with scorecards, bookings and equipment checks.

Called by the demo builder after the projects (and their plans) exist::

    from huiyi.resources import demo as resources_demo
    resources_demo.build(list(MeetingProject.objects.order_by("code")), people)

Every in-scope project from phase 2 on gets bookings against its frozen plan's lines. In the first one
still in phase 2, one booking stays unconfirmed, the printed programmes are booked short of the plan (one
mismatch, CCP-04) and one microphone fails its volume reading (CCP-06). Projects past preparation had their
AV rehearsal.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from . import services
from .models import Booking, Equipment, Room

VENUES = [
    (
        "上海国际会议中心",
        "Shanghai International Convention Center",
        "上海",
        "浦东新区滨江大道 2727 号",
        "地铁 2 号线陆家嘴站 1 号口步行约 10 分钟；地下车库 400 个车位。",
        [
            (
                "黄浦厅",
                "7F",
                "2200",
                {"theatre": 1200, "classroom": 700, "banquet": 900, "reception": 1500},
                "LED 主屏 15m×5m、同传间 4 间、专业灯光音响",
            ),
            (
                "明珠厅",
                "5F",
                "650",
                {"theatre": 450, "classroom": 260, "banquet": 280, "u_shape": 60, "boardroom": 40},
                "双投影、无线话筒 8 支、有线网络",
            ),
        ],
    ),
    (
        "杭州国际会议中心",
        "Hangzhou International Conference Center",
        "杭州",
        "江干区解放东路 58 号",
        "地铁 4 号线市民中心站；距杭州东站约 15 分钟车程。",
        [
            (
                "1 号厅",
                "1F",
                "1500",
                {"theatre": 900, "classroom": 500, "banquet": 600, "herringbone": 450},
                "LED 屏、同传设备接口、千兆网络",
            ),
        ],
    ),
]

# name, category, model, serial, key equipment
EQUIPMENT = [
    *[(f"激光投影仪 {n}", "projector", "Epson CB-L1505U", f"PJ-{n:03d}", True) for n in range(1, 7)],
    ("线阵音箱系统", "sound", "L-Acoustics Kara", "SND-001", True),
    ("返送音箱", "sound", "Yamaha DXR12", "SND-002", False),
    *[(f"无线手持话筒 {n}", "microphone", "Shure ULXD24/B58", f"MIC-{n:03d}", True) for n in range(1, 4)],
    ("同传设备", "interpretation", "Bosch Integrus", "SI-001", True),
    ("千兆交换机", "network", "Huawei S5735", "NET-001", True),
    ("LED 面光灯组", "lighting", "ETC ColorSource", "LGT-001", False),
    ("视频会议终端", "video_conferencing", "Poly G7500", "VC-001", False),
]

SUPPLIERS = [
    (
        "华东视听工程有限公司",
        "av",
        "音视频集成工程专业承包二级",
        "刘工",
        "021-5888 1234",
        {"quality": 92, "delivery": 88, "price": 80, "service": 90},
    ),
    (
        "申城印务有限公司",
        "printing",
        "印刷经营许可证 沪印 2024-118",
        "何经理",
        "021-6422 8899",
        {"quality": 85, "delivery": 72, "price": 88, "service": 80},
    ),
    (
        "锦礼会务服务有限公司",
        "staffing",
        "礼仪服务资质 · 人力资源服务许可证",
        "陈主管",
        "021-6033 5566",
        {"quality": 78, "delivery": 80, "price": 75, "service": 82},
    ),
    (
        "味佳餐饮管理有限公司",
        "catering",
        "食品经营许可证 JY23101150012345",
        "杜经理",
        "021-5080 7777",
        {"quality": 58, "delivery": 60, "price": 70, "service": 55},
    ),
]


def _person(people: dict, *keys: str):
    for key in keys:
        if people.get(key):
            return people[key]
    return None


def _booker(project, people):
    candidates = [
        _person(people, key) for key in ("project_execution", "project_manager", "project_director")
    ]
    candidates += [member.user for member in project.members.select_related("user")]
    return next((u for u in candidates if u and u.has_perm("projects.change_meetingproject", project)), None)


def _letter(project, what: str) -> ContentFile:
    return ContentFile(f"{project.code} {what} 确认函 — 已盖章".encode(), name=f"{project.code}-{what}.pdf")


def _free(queryset, start, end):
    for item in queryset:
        field = "room" if isinstance(item, Room) else "equipment"
        if not Booking.objects.filter(**{field: item}, starts_at__lt=end, ends_at__gt=start).exists():
            yield item


def _registers(owner) -> dict:
    from .setup import ensure_scorecard_setup

    ensure_scorecard_setup()
    rooms = []
    for zh, en, city, address, transport, room_rows in VENUES:
        venue = services.create_venue(
            name=zh, name_en=en, city=city, address=address, transport_notes=transport, created_by=owner
        )
        for name, floor, area, capacities, facilities in room_rows:
            rooms.append(
                services.add_room(
                    venue,
                    name=name,
                    floor=floor,
                    area_m2=Decimal(area),
                    capacities=capacities,
                    facilities=facilities,
                    created_by=owner,
                )
            )
    today = timezone.localdate()
    now = timezone.now()
    for index, (name, category, model, serial, key) in enumerate(EQUIPMENT):
        # The video-conferencing unit has been left unmaintained for half a year: flagged overdue.
        last = today - timedelta(days=190 if category == "video_conferencing" else 20 + index)
        item = services.register_equipment(
            name=name,
            category=category,
            model_name=model,
            serial_number=serial,
            ccc_certified=True,
            ccc_certificate_no=f"2024010{index:02d}0{serial[-3:]}",
            is_key=key,
            last_maintenance_on=last,
            created_by=owner,
        )
        services.record_maintenance(
            item, performed_on=last, performed_by="吴磊", description="季度保养：清洁、紧固、功能测试"
        )
        for kind, readings in (
            ("electrical_safety", "绝缘电阻 ≥ 2 MΩ，接地良好"),
            ("performance", "开机自检正常"),
            ("operation", "遥控、切换正常"),
            ("compatibility", "HDMI / SDI 信号兼容"),
        ):
            services.record_test_report(
                item,
                kind=kind,
                passed=True,
                readings=readings,
                tester="吴磊",
                tested_at=now - timedelta(days=2),
            )
    for name, category, quantity, reorder in (
        ("投影灯泡 / 激光模组", "projector", 2, 1),
        ("话筒电池（5 号）", "microphone", 40, 20),
        ("HDMI 线 10 m", "other", 3, 4),
    ):
        services.add_spare_part(
            name=name, category=category, quantity=quantity, reorder_level=reorder, created_by=owner
        )
    suppliers = {}
    year = today.year
    for name, category, qualification, contact, phone, scores in SUPPLIERS:
        supplier = services.add_supplier(
            name=name,
            category=category,
            qualification=qualification,
            qualification_expires_on=date(year + 2, 12, 31),
            contact_name=contact,
            phone=phone,
            created_by=owner,
        )
        services.evaluate_supplier(
            supplier,
            period_start=date(year - 1, 1, 1),
            period_end=date(year - 1, 12, 31),
            scores=scores,
            by=owner,
            note="年度评审",
        )
        suppliers[category] = supplier
    return {"rooms": rooms, "suppliers": suppliers}


def _plan_names(project) -> dict:
    from huiyi.projects.planning.queries import frozen_plan_resources

    return {(line.kind, line.name): line.quantity for line in frozen_plan_resources(project)}


def _book_project(project, booker, registers, *, flawed: bool) -> list[Booking]:
    start, end = project.start - timedelta(hours=3), project.end + timedelta(hours=1)
    plan = _plan_names(project)
    venue_line = next((name for kind, name in plan if kind == "venue"), "")
    room = next(
        _free(Room.objects.filter(capacities__theatre__gte=project.expected_attendees), start, end), None
    )
    bookings = []

    def book(**fields):
        bookings.append(services.book(project, by=booker, starts_at=start, ends_at=end, **fields))
        return bookings[-1]

    if room is not None:
        hall = book(kind="venue", room=room, layout="theatre", plan_item=venue_line, supplier=None)
        services.attach_layout_drawing(
            hall,
            by=booker,
            drawing=ContentFile(_layout_drawing(project, room), name=f"{project.code}-layout.pdf"),
        )
    projectors = plan.get(("equipment", "投影仪"), 2)
    for device in list(_free(Equipment.objects.filter(category="projector"), start, end))[:projectors]:
        book(
            kind="equipment", equipment=device, plan_item="投影仪" if ("equipment", "投影仪") in plan else ""
        )
    for device in list(_free(Equipment.objects.filter(category="interpretation"), start, end))[:1]:
        book(
            kind="equipment",
            equipment=device,
            plan_item="同传设备" if ("equipment", "同传设备") in plan else "",
        )
    for device in list(_free(Equipment.objects.filter(category="microphone"), start, end))[:2]:
        book(kind="equipment", equipment=device)
    reception = plan.get(("staff", "礼仪接待"), 4)
    book(
        kind="staff",
        staff_role="reception",
        quantity=reception,
        supplier=registers["suppliers"]["staffing"],
        plan_item="礼仪接待" if ("staff", "礼仪接待") in plan else "",
    )
    programmes = plan.get(("material", "会议手册"), project.expected_attendees)
    book(
        kind="material",
        material="会议手册",
        quantity=programmes - 20 if flawed else programmes,  # the flawed project: 20 copies short of the plan
        supplier=registers["suppliers"]["printing"],
        plan_item="会议手册" if ("material", "会议手册") in plan else "",
    )
    for index, booking in enumerate(bookings):
        if flawed and index == len(bookings) - 1:
            continue  # the printer's confirmation has not come back yet
        services.confirm_booking(booking, by=booker, document=_letter(project, f"{booking.kind}-{index + 1}"))
    return bookings


def _check(project, bookings, checker, rulebook, *, flawed: bool) -> None:
    from .readings import rules_for_category

    failed_one = False
    for booking in bookings:
        if booking.kind != Booking.Kind.EQUIPMENT:
            continue
        readings = {}
        for rule in rules_for_category(booking.equipment.category, rulebook):
            value = rule.value[0] if isinstance(rule.value, tuple) else rule.value
            readings[rule.metric] = value
        if flawed and not failed_one and booking.equipment.category == "microphone":
            readings["volume_db"] = readings["volume_db"] - 7  # too quiet at the back rows
            failed_one = True
        services.record_equipment_check(
            booking, by=checker, readings_given=readings, functional=True, note="进场调试"
        )


def build(projects: list, people: dict) -> dict:
    """Create the demo registers, then bookings and checks for the in-scope projects from phase 2 on."""
    from huiyi.rulebook.services import rulebook_for

    owner = _person(people, "project_execution", "project_manager", "project_director")
    registers = _registers(owner)
    booked = [p for p in projects if not p.out_of_scope and p.phase >= 2]
    # The flawed one is a project still in phase 2, where CCP-04 is being worked on.
    flawed_project = next((p for p in booked if p.phase == 2), booked[0] if booked else None)
    for project in booked:
        booker = _booker(project, people)
        if booker is None:
            continue
        flawed = project is flawed_project
        bookings = _book_project(project, booker, registers, flawed=flawed)
        _check(project, bookings, booker, rulebook_for(project), flawed=flawed)
        if project.phase >= 3:
            services.record_rehearsal(
                project, by=booker, held_at=project.start - timedelta(days=1), note="全流程试音试视频"
            )
        if flawed:
            services.apply_proposal(
                project,
                {
                    "attendees": project.expected_attendees,
                    "layout": "theatre",
                    "tiers": ["basic", "standard"],
                },
                by=booker,
                override_reason="方案按主办方要求配置 4 台投影仪（含 1 台备用）与 8 名礼仪人员。",
            )
            services.record_material_acceptance(
                signed_by=booker,
                project=project,
                supplier=registers["suppliers"]["printing"],
                material="会议手册",
                material_class="paper",
                specification="A4 157g 铜版纸，骑马钉，四色印刷",
                quantity_ordered=project.expected_attendees,
                quantity_received=project.expected_attendees,
                appearance_ok=True,
                performance_ok=True,
                environmental_ok=True,
                storage_humidity=Decimal("55"),
                received_on=timezone.localdate(),
                result="accepted",
            )
    return registers


def _layout_drawing(project, room) -> bytes:
    """A theatre-style floor plan of the hall (stage, seat blocks, aisles, exits) drawn with ReportLab."""
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    from huiyi.reports.pdf import body_font

    font = body_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{project.name} · 场地布置图")
    pdf.setFont(font, 16)
    pdf.drawString(40, height - 50, f"{project.name} · 场地布置图(剧院式)")
    pdf.setFont(font, 10)
    pdf.drawString(40, height - 68, f"{room.name} · 预计 {project.expected_attendees} 人 · {project.code}")
    left, right, top, bottom = 60, width - 60, height - 100, 70
    pdf.rect(left, bottom, right - left, top - bottom)  # the hall
    stage_width = (right - left) * 0.5
    pdf.setFillGray(0.85)
    pdf.rect((left + right - stage_width) / 2, top - 60, stage_width, 45, fill=1)
    pdf.setFillGray(0)
    pdf.drawCentredString((left + right) / 2, top - 42, "主席台 / 舞台")
    rows, seats_per_block, seat = 12, 10, 14
    aisle = 40
    block_width = seats_per_block * seat
    start_x = (left + right - (3 * block_width + 2 * aisle)) / 2
    for block in range(3):
        x0 = start_x + block * (block_width + aisle)
        for row in range(rows):
            y = top - 100 - row * 20
            for n in range(seats_per_block):
                pdf.rect(x0 + n * seat + 2, y, seat - 4, 12)
    pdf.drawCentredString(start_x + block_width + aisle / 2, bottom + 40, "通道")
    pdf.drawCentredString(start_x + 2 * block_width + 1.5 * aisle, bottom + 40, "通道")
    pdf.drawString(left + 8, bottom + 10, "安全出口 ↙")
    pdf.drawRightString(right - 8, bottom + 10, "↘ 安全出口")
    pdf.drawString(left + 8, top - 20, "签到台")
    pdf.drawRightString(right - 8, top - 20, "音控台")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
