"""Issue 10: the demo organisation in a fresh database, served by `huiyi serve` as in production — shared by
bench/bench_pages.py (page load under locust) and bench/bench_memory.py (worker memory after N requests).

* :func:`prepare` — a fresh database (a temporary SQLite file, or with a PostgreSQL DATABASE_URL a new
  database on that server, dropped by :func:`cleanup`), migrated, static files collected, ``huiyi demo``;
* :func:`page_plan` — the main pages of the demo's busiest meeting (dashboard, projects, the project,
  attendees, check-in console and board, on-site cockpit, incidents, complaints, documents, KPIs, an API
  list) for a handful of signed-in roles; each (user, page) is opened once in-process first and kept only if
  it answers 200, so a page a role may not see is left out (and printed), never counted as an error;
* :func:`serve` — ``huiyi serve`` (gunicorn, 2 workers × 4 threads, no background worker) on a free port;
* :func:`worker_rss` — resident memory of each gunicorn worker (VmRSS from /proc).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.checkin import drop_database, free_port, fresh_database  # noqa: E402
from bench.common import collect_static  # noqa: E402

PASSWORD = "bench-password-not-secret"  # noqa: S105
#: Who signs in: the administrator and the roles that open these pages most.
USERS = ["admin", "han.mei", "zhao.min", "qian.hao", "zhou.jie", "zheng.yu"]


def prepare() -> dict:
    database_url, admin_url = fresh_database()
    data_dir = tempfile.mkdtemp(prefix="huiyi-bench-pages-")
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "HUIYI_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "huiyi.settings",
            "HUIYI_HTTPS": "0",
            "HUIYI_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from huiyi.core import demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    collect_static()
    demo.build_demo(password=PASSWORD)
    from django.conf import settings

    return {
        "database_url": database_url,
        "admin_url": admin_url,
        "data_dir": data_dir,
        "engine": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "seconds": time.perf_counter() - started,
    }


def page_plan(out=print) -> dict:
    """{password, users: [{username, pages: [[name, url], …]}]} for bench/locustfile.py."""
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from huiyi.projects.models import MeetingProject

    # The busiest meeting the on-site roles work on (the demo's history has bigger ones they do not see).
    busiest = MeetingProject.objects.annotate(n=Count("attendees", distinct=True)).order_by("-n", "pk")
    project = busiest.filter(members__user__username="zheng.yu").first() or busiest.first()
    p = project.pk
    pages = [
        ("dashboard", "/"),
        ("projects list", "/projects/"),
        ("project", f"/projects/{p}/"),
        ("attendees", f"/attendees/projects/{p}/"),
        ("check-in console", f"/checkin/projects/{p}/scan/"),
        ("check-in board", f"/checkin/projects/{p}/board/"),
        ("on-site cockpit", f"/onsite/projects/{p}/"),
        ("incidents", "/incidents/"),
        ("complaints", "/complaints/"),
        ("documents", "/documents/"),
        ("project documents", f"/documents/projects/{p}/"),
        ("KPIs", "/kpis/"),
        ("API projects", "/api/v1/projects/"),
    ]
    settings.ALLOWED_HOSTS = ["*"]
    from django.contrib.auth import get_user_model

    users = []
    left_out = []
    # A page a role may not open answers 403/404 here, which Django logs with a traceback: not news.
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL
    for username in USERS:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        allowed = []
        for name, url in pages:
            status = client.get(url).status_code
            if status == 200:
                allowed.append([name, url])
            else:
                left_out.append(f"{name} for {username} ({status})")
        users.append({"username": username, "pages": allowed})
    quiet.setLevel(level)
    out(
        f"pages of {project.code} ({project.attendees.count()} attendees) for {len(users)} users; "
        f"left out (not this role's): {', '.join(left_out) or 'none'}"
    )
    return {"password": PASSWORD, "users": users}


def serve(info: dict, workers: int = 2) -> tuple[subprocess.Popen, str]:
    from django.db import connections

    connections.close_all()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=info["database_url"],
        HUIYI_DATA_DIR=info["data_dir"],
        HUIYI_HTTPS="0",
        HUIYI_SECRET_KEY="bench-" + uuid.uuid4().hex,
        HUIYI_ALLOWED_HOSTS="127.0.0.1",
        HUIYI_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT / "src"),
    )
    # Logs to a file: an unread pipe would fill and block the workers.
    log = tempfile.NamedTemporaryFile(prefix="huiyi-bench-serve-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "huiyi.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    import http.client

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"huiyi serve stopped: {Path(log.name).read_text(errors='replace')[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            # Both workers must be up too: gunicorn forks them after the master binds.
            if connection.getresponse().status == 200 and len(worker_pids(server.pid)) >= workers:
                return server, base
        except OSError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit("huiyi serve did not answer within 120 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    return children


def worker_pids(root: int) -> list[int]:
    """gunicorn's workers under `huiyi serve`: the children of the gunicorn master."""
    children = _children()
    workers = []
    for master in children.get(root, []):
        try:
            command = Path(f"/proc/{master}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in command:
            workers.extend(children.get(master, []))
    return sorted(workers)


def worker_rss(root: int) -> dict[int, int]:
    """VmRSS in kB of each gunicorn worker."""
    rss = {}
    for pid in worker_pids(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[pid] = int(line.split()[1])
        except OSError:
            pass
    return rss


def cleanup(info: dict) -> None:
    from django.db import connections

    connections.close_all()
    if info.get("admin_url"):
        drop_database(info["admin_url"], info["database_url"])
    shutil.rmtree(info["data_dir"], ignore_errors=True)
