"""Seeds the fault tests' template installation (issue 10): run once per test session, in a process of its
own, against the template's database and data folder (DATABASE_URL, HUIYI_DATA_DIR). Every fault test then
works on a copy. Prints one JSON line: who signs in, which meetings and tickets exist.

    python tests/faults/seed.py   → {"admin": {...}, "scanners": [...], "contested": {...}, ...}
"""

import io
import json
import os
import random
import sys
import uuid
from datetime import timedelta

#: The contested check-in: 16 scanners, 2,000 tickets (issue 10).
SCANNERS = 16
CONTESTED_TICKETS = 2000
#: The offline replay: three meetings with the same attendees, one per replay order.
REPLAY_MEETINGS = 3
REPLAY_TICKETS = 250
REPLAY_CANCELLED = 5
#: The import crash test: one empty meeting per killed import, plus the full-size runs.
IMPORT_MEETINGS = 40
ADMIN_PASSWORD = "faults-admin-" + uuid.uuid4().hex[:12]
#: Files of the restore drill and the backup crash test (incompressible, so the archive is as large).
DOCUMENT_SIZES = [2 * 1024 * 1024, 1024 * 1024, 200 * 1024, 5_000]


def main() -> dict:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management.sql import emit_post_migrate_signal
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from huiyi.accounts import services as accounts
    from huiyi.accounts.models import Role, User
    from huiyi.clients.models import Client
    from huiyi.documents import services as documents
    from huiyi.documents.search.models import DocumentText
    from huiyi.onsite.attendees.models import Attendee, Ticket, new_ticket_code
    from huiyi.projects import services as projects
    from huiyi.projects.models import MeetingType

    # The suite's test database may have been flushed by a transactional test: restore what migrations seed.
    emit_post_migrate_signal(0, False, "default")
    accounts.ensure_default_roles(update_permissions=True)
    rng = random.Random(10)
    unit = accounts.create_org_unit(
        code="faults", name={"zh-hans": "故障测试部", "en": "Faults"}, kind="company"
    )
    client = Client.objects.create(name="故障客户", name_en="Faults client", kind="enterprise", org_unit=unit)
    admin = User.objects.create_superuser(
        username="admin", email="admin@example.com", password=ADMIN_PASSWORD
    )
    admin.org_unit = unit
    admin.save(update_fields=["org_unit"])
    scanners = []
    for i in range(SCANNERS):
        user = User.objects.create_user(username=f"scanner{i:02d}", password=uuid.uuid4().hex, org_unit=unit)
        accounts.grant_role(user, unit, "reception")
        scanners.append(user)
    reception = Role.objects.get(key="reception")
    director = Role.objects.get(key="project_director")
    meeting_type = MeetingType.objects.order_by("pk").first()
    now = timezone.now()

    def meeting(code: str, expected: int, members=()):
        return projects.create_project(
            code=code,
            name=f"故障测试 {code}",
            name_en=f"Faults {code}",
            client=client,
            org_unit=unit,
            meeting_type=meeting_type,
            start=now - timedelta(hours=2),
            end=now + timedelta(hours=8),
            expected_attendees=expected,
            members=[(user, reception) for user in scanners] + list(members),
        )

    def attendees(project, count: int, prefix: str, cancelled: int = 0) -> list[str]:
        rows = Attendee.objects.bulk_create(
            [
                Attendee(
                    project=project,
                    external_key=f"{prefix}-{i}",
                    name=f"参会人 {i:05d}",
                    organisation=f"单位 {i % 97}",
                    category=rng.choice(["guest"] * 8 + ["vip", "press"]),
                    seat=f"{1 + i // 40}排{1 + i % 40}座",
                    status=Attendee.Status.CANCELLED if i < cancelled else Attendee.Status.ACTIVE,
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        if any(row.pk is None for row in rows):
            rows = list(Attendee.objects.filter(project=project).order_by("pk"))
        tickets = Ticket.objects.bulk_create(
            [Ticket(attendee=row, project=project, code=new_ticket_code()) for row in rows], batch_size=1000
        )
        return [ticket.code for ticket in tickets]

    contested = meeting("F-CONTESTED", CONTESTED_TICKETS)
    contested_codes = attendees(contested, CONTESTED_TICKETS, "c")
    replay = []
    for n in range(REPLAY_MEETINGS):
        project = meeting(f"F-REPLAY-{n + 1}", REPLAY_TICKETS)
        codes = attendees(project, REPLAY_TICKETS, f"r{n}", cancelled=REPLAY_CANCELLED)
        replay.append({"project": project.pk, "codes": codes, "cancelled": REPLAY_CANCELLED})
    imports = [meeting(f"F-IMPORT-{n + 1:02d}", 20_000).pk for n in range(IMPORT_MEETINGS)]

    # Documents with files (the restore drill compares every file's SHA-256; the backup test needs bytes).
    archive = meeting("F-DOCUMENTS", 10, members=[(admin, director)])
    documents.sign_agreement(archive, user=admin)
    doc_type = "agenda"  # a §3.5(1) type with a default retention class
    for index, size in enumerate(DOCUMENT_SIZES):
        data = b"\x89PNG\r\n\x1a\n" + os.urandom(size)
        documents.create_document(
            project=archive,
            doc_type=doc_type,
            title=f"现场照片 {index + 1}",
            by=admin,
            upload=SimpleUploadedFile(f"photo-{index + 1}.png", data, content_type="image/png"),
        )
    documents.create_document(
        project=archive,
        doc_type=doc_type,
        title="保密协议文本",
        confidentiality="very_high",
        by=admin,
        upload=SimpleUploadedFile(
            "secret.txt", "绝密：会场布置方案\n".encode() * 500, content_type="text/plain"
        ),
    )
    documents.create_document(
        project=archive,
        doc_type=doc_type,
        title="会议须知",
        by=admin,
        upload=SimpleUploadedFile("notes.txt", io.BytesIO("会议须知 notice\n".encode() * 100).read()),
    )
    tokens = [Token.objects.create(user=user).key for user in scanners]
    return {
        "admin": {
            "username": admin.username,
            "password": ADMIN_PASSWORD,
            "token": Token.objects.create(user=admin).key,
        },
        "scanners": tokens,
        "contested": {"project": contested.pk, "codes": contested_codes},
        "replay": replay,
        "imports": imports,
        "documents": {"project": archive.pk, "doc_type": doc_type, "text_table": DocumentText._meta.db_table},
    }


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main()) + "\n")
