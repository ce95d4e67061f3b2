"""`huiyi serve`: gunicorn and one background worker (huey) together, until Ctrl-C.

gunicorn runs the ``gthread`` worker class, named explicitly: each worker process serves requests on a few
threads and keeps a client's connection open between requests (HTTP keep-alive), holding idle connections
in its poller rather than in a thread. The ``sync`` class would ignore ``--keep-alive`` and close every
connection after one response. The keep-alive (``--keep-alive``, ``HUIYI_KEEP_ALIVE``, 5 s) must outlast a
client's pause between two requests: gunicorn's default of 2 s closed connections just as clients reused
them (a person or locust user clicking after 0.5-2 s), and the request in flight was reset. Behind a load
balancer or reverse proxy that keeps connections to Huiyi open, set it above the proxy's idle timeout.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Huiyi with gunicorn and run one background worker, until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HUIYI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HUIYI_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("HUIYI_WEB_WORKERS", "2")))
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=int(os.environ.get("HUIYI_KEEP_ALIVE", "5")),
            help="Seconds an idle client connection is kept open for its next request.",
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")

    def handle(self, *args, host, port, workers, keep_alive, no_worker, **options):
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "huiyi.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--keep-alive",
            str(keep_alive),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        children = [subprocess.Popen(web)]  # noqa: S603 (fixed argv, our own interpreter)
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "huiyi.cli", "worker"]))  # noqa: S603
        self.stdout.write(
            f"Huiyi is serving on http://{host}:{port}/ (database: "
            f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}). Ctrl-C stops it."
        )

        def stop(*_args):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, -15, -2, None)]
        if failed:
            raise SystemExit(failed[0])
