"""The organisation's default supplier scorecard set-up (criteria with weights, standing bands).

These are the organisation's own choices, like ERPNext's scorecard templates — not numbers of the standard —
and an administrator may change them. Migration 0002 seeds the same rows.
"""

from decimal import Decimal

from django.db import transaction

from .models import ScorecardCriterion, ScorecardStanding

CRITERIA = [
    ("quality", {"zh-hans": "质量", "en": "Quality"}, Decimal(40), 1),
    ("delivery", {"zh-hans": "交付准时", "en": "Delivery"}, Decimal(25), 2),
    ("price", {"zh-hans": "价格", "en": "Price"}, Decimal(20), 3),
    ("service", {"zh-hans": "服务配合", "en": "Service"}, Decimal(15), 4),
]
STANDINGS = [
    ("excellent", {"zh-hans": "优秀", "en": "Excellent"}, Decimal(90), True),
    ("good", {"zh-hans": "良好", "en": "Good"}, Decimal(75), True),
    ("acceptable", {"zh-hans": "合格", "en": "Acceptable"}, Decimal(60), True),
    ("poor", {"zh-hans": "不合格", "en": "Poor"}, Decimal(0), False),
]


@transaction.atomic
def ensure_scorecard_setup() -> None:
    """Create the default criteria and standings when none exist (never overwrites the organisation's)."""
    if not ScorecardCriterion.objects.exists():
        for key, name, weight, position in CRITERIA:
            ScorecardCriterion.objects.create(key=key, name=name, weight=weight, position=position)
    if not ScorecardStanding.objects.exists():
        for key, name, minimum, keeps in STANDINGS:
            ScorecardStanding.objects.create(key=key, name=name, min_score=minimum, keeps_qualified=keeps)
