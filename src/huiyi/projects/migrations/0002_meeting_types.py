from django.db import migrations

# REQ-GEN-01 (§1.2): the meeting types the specification names; an administrator may edit the list.
MEETING_TYPES = [
    ("board", "董事会", "Board meeting"),
    ("supervisory_board", "监事会", "Supervisory board meeting"),
    ("shareholders", "股东会", "Shareholders' meeting"),
    ("annual", "年度会议", "Annual meeting"),
    ("seminar", "专题研讨会", "Seminar"),
    ("internal_training", "内部培训会议", "Internal training"),
    ("external_negotiation", "外部合作洽谈会", "External cooperation negotiation"),
    ("academic_conference", "学术会议", "Academic conference"),
    ("business_meeting", "商务会议", "Business meeting"),
]


def seed(apps, schema_editor):
    MeetingType = apps.get_model("projects", "MeetingType")
    for position, (key, zh, en) in enumerate(MEETING_TYPES, start=1):
        MeetingType.objects.get_or_create(key=key, defaults={"name": {"zh-hans": zh, "en": en}, "position": position})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
