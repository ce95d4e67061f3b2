"""The demo sets the monthly report's recipients; the dashboard reads the demo's records (REQ-QLT-09)."""

import pytest

from huiyi.quality.kpis import demo, services
from huiyi.quality.kpis.models import MonthlyReport

pytestmark = pytest.mark.django_db


def test_REQ_QLT_09_demo_chooses_the_monthly_report_roles(people):
    demo.build([], {"quality_officer": people["quality"]})
    setting = services.current_setting()
    assert setting.enabled and setting.roles == ["project_director", "quality_officer"]
    assert set(services.recipients(setting).values_list("username", flat=True)) == {"qo", "director"}
    report = MonthlyReport.objects.get()  # last month's report, sent
    assert report.file.read(5) == b"%PDF-" and report.recipients == 2
