"""The training plan of §5.2(2) as the specification writes it: content, methods and expected outcome of each
module, and the roles it is for (our default; HR changes them on the training plan page)."""

from django.db import migrations

ALL = []
PLANS = [
    (
        "planning_budget",
        ("会议需求分析、议程设定、预算编制与控制", "Needs analysis, agenda setting, budgeting and cost control"),
        ["lecture", "case_study"],
        ("能独立完成中小型会议的策划与预算编制", "Plans and budgets a small or medium meeting on their own"),
        ["project_director", "project_manager", "planner", "account_manager", "finance"],
    ),
    (
        "venue_equipment",
        (
            "场地选择与布置、设备安装与调试、设备操作与维护",
            "Venue choice and set-up, equipment installation, operation and maintenance",
        ),
        ["drill", "simulation"],
        ("熟练掌握场地布置和设备管理技能", "Sets up venues and manages equipment with confidence"),
        ["execution_supervisor", "on_site_director", "technical_support", "project_execution"],
    ),
    (
        "communication",
        ("客户沟通技巧、跨部门协调、团队协作", "Client communication, cross-department coordination, teamwork"),
        ["role_play", "workshop"],
        ("提升沟通效率和团队协作能力", "Communicates efficiently and works well in a team"),
        ALL,
    ),
    (
        "risk_management",
        ("风险识别与评估、应急预案制定与演练", "Risk identification and assessment, emergency plans and drills"),
        ["case_study", "drill"],
        ("具备处理突发事件的初步能力", "Can handle an incident in its first minutes"),
        ["project_manager", "on_site_director", "execution_supervisor", "security", "medical", "technical_support"],
    ),
    (
        "regulations",
        ("行业法规与动态", "Regulations and industry developments"),
        ["lecture", "online"],
        ("了解会议服务相关法律法规和行业动态", "Knows the laws and regulations of meeting services and the trade's news"),
        ALL,
    ),
]


def create(apps, schema_editor):
    ModulePlan = apps.get_model("people", "ModulePlan")
    for key, content, methods, outcome, roles in PLANS:
        ModulePlan.objects.get_or_create(
            module=key,
            defaults={
                "content": {"zh-hans": content[0], "en": content[1]},
                "methods": methods,
                "expected_outcome": {"zh-hans": outcome[0], "en": outcome[1]},
                "target_roles": roles,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
