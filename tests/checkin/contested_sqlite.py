"""Run by test_checkin_concurrency on SQLite: the contested check-in against a FILE database configured as
in production (WAL, immediate transactions). The suite's own SQLite test database lives in shared-cache
memory, whose table locks fail at once instead of waiting: it cannot show what the product does.

    python tests/checkin/contested_sqlite.py <threads> <tickets> <rounds>  → prints a JSON summary
"""

import json
import os
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(threads: int, tickets: int, rounds: int) -> dict:
    data_dir = tempfile.mkdtemp(prefix="huiyi-contested-")
    os.environ.update(
        {
            "HUIYI_DATA_DIR": data_dir,
            "DATABASE_URL": f"sqlite:///{data_dir}/contested.sqlite3",
            "DJANGO_SETTINGS_MODULE": "huiyi.settings",
            "HUIYI_HTTPS": "0",
            "HUIYI_LOG_LEVEL": "ERROR",
            "HUIYI_ALLOWED_HOSTS": "testserver",
        }
    )
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from huiyi.accounts import services as accounts
    from huiyi.accounts.models import Role, User
    from huiyi.clients.models import Client as Customer
    from huiyi.onsite.attendees.models import Attendee, Ticket
    from huiyi.onsite.checkin.models import CheckIn, ScanRecord
    from huiyi.projects import services as projects
    from huiyi.projects.models import MeetingType

    call_command("migrate", verbosity=0)
    accounts.ensure_default_roles(update_permissions=True)
    unit = accounts.create_org_unit(code="c", name={"zh-hans": "会务部", "en": "Events"}, kind="company")
    customer = Customer.objects.create(name="客户", name_en="Client", kind="enterprise", org_unit=unit)
    users = []
    for i in range(threads):
        user = User.objects.create_user(username=f"door{i}", password="x" * 12, org_unit=unit)
        accounts.grant_role(user, unit, "reception")
        users.append(user)
    start = timezone.now()
    project = projects.create_project(
        code="C-1",
        name="并发签到",
        client=customer,
        org_unit=unit,
        meeting_type=MeetingType.objects.order_by("pk").first(),
        start=start,
        end=start + timedelta(hours=4),
        expected_attendees=tickets,
        members=[(user, Role.objects.get(key="reception")) for user in users],
    )
    codes = []
    for i in range(tickets):
        attendee = Attendee.objects.create(project=project, external_key=str(i), name=f"参会人{i}")
        codes.append(Ticket.objects.create(attendee=attendee, project=project).code)
    tokens = [Token.objects.create(user=user).key for user in users]
    connection.close()

    barrier = threading.Barrier(threads)
    answers = defaultdict(list)
    errors = []
    lock = threading.Lock()

    def run(index):
        client = Client(HTTP_AUTHORIZATION=f"Token {tokens[index]}")
        try:
            barrier.wait()
            for round_ in range(rounds):
                for code in codes:
                    response = client.post(
                        "/api/v1/checkin/redeem/",
                        {"code": code, "device": f"door-{index}", "project": project.pk},
                        content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY=f"{index}-{round_}-{code}",
                    )
                    with lock:
                        if response.status_code == 200:
                            answers[code].append(response.json())
                        else:
                            errors.append([response.status_code, response.content[:200].decode()])
        except Exception as error:  # noqa: BLE001 - reported
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {
        "vendor": connection.vendor,
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
        "errors": errors[:5],
        "results": {code: dict(Counter(a["result"] for a in answers[code])) for code in codes},
        "times": {code: sorted({a["checked_in_at"] for a in answers[code]}) for code in codes},
        "checkins": CheckIn.objects.count(),
        "scans": ScanRecord.objects.count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(*(int(arg) for arg in sys.argv[1:4]))))
