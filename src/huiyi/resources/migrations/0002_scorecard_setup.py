"""The organisation's supplier scorecard set-up (like ERPNext's): criteria with weights and standing bands.

These are the organisation's own choices, not numbers of the standard; an administrator can change them.
"""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("quality", {"zh-hans": "质量", "en": "Quality"}, Decimal("40"), 1),
    ("delivery", {"zh-hans": "交付准时", "en": "Delivery"}, Decimal("25"), 2),
    ("price", {"zh-hans": "价格", "en": "Price"}, Decimal("20"), 3),
    ("service", {"zh-hans": "服务配合", "en": "Service"}, Decimal("15"), 4),
]
STANDINGS = [
    ("excellent", {"zh-hans": "优秀", "en": "Excellent"}, Decimal("90"), True),
    ("good", {"zh-hans": "良好", "en": "Good"}, Decimal("75"), True),
    ("acceptable", {"zh-hans": "合格", "en": "Acceptable"}, Decimal("60"), True),
    ("poor", {"zh-hans": "不合格", "en": "Poor"}, Decimal("0"), False),
]


def seed(apps, schema_editor):
    criterion = apps.get_model("resources", "ScorecardCriterion")
    standing = apps.get_model("resources", "ScorecardStanding")
    for key, name, weight, position in CRITERIA:
        criterion.objects.get_or_create(key=key, defaults={"name": name, "weight": weight, "position": position})
    for key, name, minimum, keeps in STANDINGS:
        standing.objects.get_or_create(key=key, defaults={"name": name, "min_score": minimum, "keeps_qualified": keeps})


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
