"""Shared set-up for the bench/ scripts: a database of their own, a timing helper, and the machine-readable
result line that bench/run_all collects (issue 10)."""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    """Point Huiyi at a fresh database (a temporary SQLite file unless DATABASE_URL is set) and migrate."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    data_dir = tempfile.mkdtemp(prefix="huiyi-bench-")
    os.environ.setdefault("HUIYI_DATA_DIR", data_dir)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiyi.settings")
    os.environ["HUIYI_HTTPS"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    collect_static()
    call_command("flush", interactive=False, verbosity=0)


def collect_static() -> None:
    """collectstatic with the manifest (hashed names, as pages need them) but without whitenoise's gzip and
    brotli copies: compressing ECharts and Bootstrap took minutes of CPU per bench script on 2 shared cores,
    and no benchmark measures compressed static files. The server (whitenoise) reads the same manifest."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages
    from django.core.management import call_command
    from django.utils.functional import empty

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    storages._backends = None
    storages.__dict__.pop("backends", None)
    storages._storages.clear()
    staticfiles_storage._wrapped = empty
    call_command("collectstatic", interactive=False, verbosity=0)


def measure(function, rounds: int) -> tuple[float, float]:
    """Median and 95th percentile of `rounds` calls, in milliseconds."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def queries_of(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def report(name: str, function, rounds: int, *, with_queries: bool = True) -> tuple[float, float]:
    """Prints median, p95 (ms) and the query count of `function`; returns (median, p95)."""
    function()  # warm-up
    median, p95 = measure(function, rounds)
    count = f"   queries {queries_of(function):3d}" if with_queries else ""
    print(f"{name:<56} median {median:8.2f} ms   p95 {p95:8.2f} ms{count}")
    return median, p95


def figure(name: str, value: float | None, unit: str, target: str | None = None, met: bool | None = None):
    """One figure of the RESULT line: what was measured, its value, its target (text), whether it is met."""
    rounded = None if value is None else round(float(value), 3)
    return {"figure": name, "value": rounded, "unit": unit, "target": target, "met": met}


def print_results(bench: str, figures: list[dict], **context) -> None:
    """The last line of a bench script, for bench/run_all: `RESULT {json}` (the prose above it stays)."""
    payload = {"bench": bench, **context, "figures": figures}
    print("RESULT " + json.dumps(payload, ensure_ascii=False), flush=True)


def database_label() -> str:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
