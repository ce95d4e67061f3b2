"""Synthetic data for benchmarks: the demo organisation plus N meeting projects spread over units and phases.

Used by the bench/ scripts; never by the app. Deterministic for a given seed.
"""

import random
from datetime import timedelta

from django.utils import timezone

from huiyi.accounts.models import OrgUnit, Role, User
from huiyi.clients.models import Client
from huiyi.core import demo
from huiyi.projects.models import MeetingProject, MeetingType, Phase, ProjectMember
from huiyi.rulebook.services import active_version


def populate(projects: int = 2000, seed: int = 7) -> dict:
    """Build the demo once, then bulk-insert `projects` projects with teams (fast: bulk_create)."""
    if not User.objects.filter(username="admin").exists():
        demo.build_demo(password="bench-password-not-secret")
    rng = random.Random(seed)
    units = list(OrgUnit.objects.filter(kind="department"))
    clients = list(Client.objects.all())
    types = list(MeetingType.objects.all())
    users = list(User.objects.exclude(username="admin"))
    roles = list(Role.objects.all())
    version = active_version()
    now = timezone.now()
    start_code = MeetingProject.objects.count()
    batch = []
    for i in range(projects):
        start = now + timedelta(days=rng.randint(-200, 200), hours=rng.randint(0, 23))
        batch.append(
            MeetingProject(
                code=f"B-{start_code + i:06d}",
                name=f"基准测试会议 {i}",
                name_en=f"Benchmark meeting {i}",
                client=rng.choice(clients),
                org_unit=rng.choice(units),
                meeting_type=rng.choice(types),
                phase=rng.choice(Phase.values),
                start=start,
                end=start + timedelta(hours=rng.randint(2, 48)),
                expected_attendees=rng.randint(10, 2000),
                rulebook_version=version,
            )
        )
    created = MeetingProject.objects.bulk_create(batch, batch_size=500)
    members = [
        ProjectMember(project=project, user=user, role=rng.choice(roles))
        for project in created
        for user in rng.sample(users, 3)
    ]
    ProjectMember.objects.bulk_create(members, batch_size=1000, ignore_conflicts=True)
    return {"projects": MeetingProject.objects.count(), "members": ProjectMember.objects.count()}
