"""Bench (issue 6, "reporting an incident to the first notification enqueued: under 1 s"): how long notify()
takes to write a notification with its deliveries (in-app, e-mail, three webhooks) and enqueue them on commit,
with a real huey queue (not immediate). Nothing is sent: no consumer runs. Run with

    .venv/bin/python bench/bench_notify.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import database_label, figure, print_results, report, setup_django  # noqa: E402


def main() -> None:
    setup_django()
    from django.db import transaction
    from huey.contrib.djhuey import HUEY

    from huiyi.accounts.models import User
    from huiyi.core.models import ChannelConfig
    from huiyi.core.notifications import notify

    HUEY.immediate = False
    user = User.objects.create_user("bench", email="bench@example.com", phone="13800000000")
    for n in range(3):
        ChannelConfig.objects.create(name=f"hook {n}", url=f"http://127.0.0.1:9/{n}", kinds=["incident"])
    counter = {"n": 0}

    def one():
        counter["n"] += 1
        with transaction.atomic():
            notify(user, f"设备故障 #{counter['n']}", body="主会场投影", url="/incidents/1/", kind="incident")

    median, p95 = report("notify() + 4 deliveries enqueued on commit (1 in-app)", one, 200)
    print(f"queued tasks: {len(HUEY.pending())}")
    print_results(
        "notify",
        [figure(f"notify() with 4 deliveries queued ({database_label()}): median", median, "ms")],
        engine=database_label(),
    )


if __name__ == "__main__":
    main()
