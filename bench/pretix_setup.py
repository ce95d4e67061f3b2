"""Install pretix — the peer of the check-in comparison (issue 10) — in a virtual environment of its own and
give it one event with 20,000 tickets.

    .venv/bin/python bench/pretix_setup.py [--tickets 20000] [--database-url postgres://postgres@127.0.0.1:5432/x]

1. ``bench/pretix/venv`` (``python3 -m venv``), with ``pretix==2026.8.0`` and gunicorn installed by pip under
   the constraints in ``bench/pretix-requirements.txt`` — pretix's dependencies never touch Huiyi's .venv;
2. ``bench/pretix/pretix.cfg``: PostgreSQL database ``huiyi_bench_pretix`` on the server of --database-url
   (default: DATABASE_URL when it is PostgreSQL, else postgres://postgres@127.0.0.1:5432), no mail, the
   data directory ``bench/pretix/data``, Redis as cache when REDIS_URL is set (as pretix recommends);
3. creates the database if missing, ``python -m pretix migrate``;
4. ``bench/pretix_populate.py`` in pretix's venv: organizer, event, product, --tickets paid orders, check-in
   list, team API token allowed to check in; writes ``bench/pretix/data/bench.json``.

Idempotent: a second run reuses the venv (if pretix 2026.8.0 is in it), the database, the event and the
orders, and only adds what is missing. bench/pretix/ is git-ignored: no pretix code is ever committed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
HOME = BENCH / "pretix"
VENV = HOME / "venv"
PYTHON = VENV / "bin" / "python"
CONFIG = HOME / "pretix.cfg"
DATA = HOME / "data"
STATE = DATA / "bench.json"
CONSTRAINTS = BENCH / "pretix-requirements.txt"
VERSION = "2026.8.0"
DATABASE = "huiyi_bench_pretix"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url(database_url: str | None = None) -> str:
    """The PostgreSQL server (as an admin URL on its `postgres` database) the comparison runs on."""
    url = database_url or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = DEFAULT_SERVER
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def installed_version() -> str | None:
    if not PYTHON.exists():
        return None
    found = subprocess.run(
        [str(PYTHON), "-c", "import pretix; print(pretix.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() if found.returncode == 0 else None


def ensure_venv(out=print) -> None:
    version = installed_version()
    if version == VERSION:
        out(f"pretix {VERSION}: already installed in {VENV}")
        return
    started = time.perf_counter()
    if not PYTHON.exists():
        subprocess.run(["python3", "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run(
        [
            str(PYTHON),
            "-m",
            "pip",
            "install",
            "-q",
            "-c",
            str(CONSTRAINTS),
            f"pretix=={VERSION}",
            "gunicorn",
        ],
        check=True,
    )
    out(f"pretix {VERSION}: installed in {VENV} in {time.perf_counter() - started:.0f} s")


def write_config(admin_url: str) -> None:
    parts = urlsplit(admin_url)
    secret_file = HOME / "secret"
    if not secret_file.exists():
        secret_file.write_text(uuid.uuid4().hex + uuid.uuid4().hex)
    lines = [
        "[pretix]",
        "instance_name=Huiyi bench peer",
        "url=http://127.0.0.1",
        f"datadir={DATA}",
        "currency=EUR",
        "ecb_rates=False",
        "registration=False",
        "",
        "[django]",
        f"secret={secret_file.read_text().strip()}",
        "debug=False",
        "",
        "[database]",
        "backend=postgresql",
        f"name={DATABASE}",
        f"user={parts.username or 'postgres'}",
        f"password={parts.password or ''}",
        f"host={parts.hostname or '127.0.0.1'}",
        f"port={parts.port or 5432}",
        "",
        "[mail]",
        "from=pretix@bench.invalid",
        "host=127.0.0.1",
        "port=9",
        "",
        "[locale]",
        "default=en",
        "timezone=Asia/Shanghai",
    ]
    redis = os.environ.get("REDIS_URL", "")
    if redis:
        lines += ["", "[redis]", f"location={redis}", "sessions=false"]
    DATA.mkdir(parents=True, exist_ok=True)
    CONFIG.write_text("\n".join(lines) + "\n")


def env() -> dict:
    """The environment pretix's commands and its gunicorn run with."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}}
    clean.update(
        PRETIX_CONFIG_FILE=str(CONFIG), DJANGO_SETTINGS_MODULE="pretix.settings", VIRTUAL_ENV=str(VENV)
    )
    clean["PATH"] = f"{VENV / 'bin'}:{clean.get('PATH', '')}"
    return clean


def ensure_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def migrate(out=print) -> None:
    started = time.perf_counter()
    subprocess.run([str(PYTHON), "-m", "pretix", "migrate", "--noinput"], env=env(), cwd=HOME, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    out(f"pretix migrate: {time.perf_counter() - started:.0f} s")


def populate(tickets: int, *, reset_checkins: bool = False, out=print) -> dict:
    started = time.perf_counter()
    command = [str(PYTHON), str(BENCH / "pretix_populate.py"), "--tickets", str(tickets), "--out", str(STATE)]
    if reset_checkins:
        command.append("--reset-checkins")
    subprocess.run(command, env=env(), cwd=HOME, check=True)
    state = json.loads(STATE.read_text())
    out(f"pretix data: {len(state['secrets'])} tickets ready in {time.perf_counter() - started:.0f} s")
    return state


def ensure(tickets: int, database_url: str | None = None, out=print) -> dict:
    """Everything above; returns the event's state (organizer, event, list id, token, ticket secrets)."""
    admin_url = server_url(database_url)
    ensure_venv(out)
    write_config(admin_url)
    ensure_database(admin_url)
    migrate(out)
    return populate(tickets, reset_checkins=True, out=out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--database-url", help="a PostgreSQL URL naming the server (its database is ignored)")
    args = parser.parse_args()
    state = ensure(args.tickets, args.database_url)
    print(
        f"pretix ready: POST /api/v1/organizers/{state['organizer']}/checkinrpc/redeem/ with list "
        f"{state['list']}, {len(state['secrets'])} tickets; state in {STATE}"
    )


if __name__ == "__main__":
    sys.exit(main())
