"""Demo records of kpis: the monthly report goes to the quality officer and the directors (REQ-QLT-09).

The dashboard's figures come from the other apps' demo records (projects, results, surveys, complaints,
incidents, improvement actions), so this only sets who receives the monthly report.
"""

from . import services


def build(projects, people) -> None:
    quality = people.get("quality_officer")
    if quality is None:
        return
    services.update_setting(
        by=quality, enabled=True, roles=["quality_officer", "project_director"], language="zh-hans"
    )
