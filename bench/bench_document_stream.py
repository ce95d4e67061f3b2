"""Streamed upload and download of a big document (REQ-DOC-07, issue 8): server memory must stay flat.

    .venv/bin/python bench/bench_document_stream.py [--mb 50] [--port 8xxx] [--database-url postgres://…]

Builds the demo in a database of its own, starts the real server (`huiyi serve`: gunicorn, one worker) on a
localhost port, and as the project manager of HY-2026-105 files an N MB recording as a new version and
downloads it again — through the web pages (session + CSRF) and through the API (token) — for a high
document (stored as is) and a very-high one (encrypted at rest, decrypted as it streams). For each transfer it
prints the time and the server's resident memory (VmRSS of the gunicorn processes, sampled every 20 ms from
/proc): before, peak, and the growth. Flat means the growth stays far below the file's size.
"""

import argparse
import hashlib
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

PASSWORD = "bench-password-not-secret"  # noqa: S105


def free_port() -> int:
    for _ in range(50):
        port = random.randint(8100, 8999)  # noqa: S311
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit("no free port between 8100 and 8999")


def tree_rss_kb(root: int) -> int:
    """VmRSS summed over `root` and all its descendants (the serve command, gunicorn master and worker)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class Sampler:
    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()

    def __enter__(self):
        self.before = tree_rss_kb(self.pid)
        self.peak = self.before
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_kb(self.pid))
            time.sleep(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss_kb(self.pid))


def make_recording(path: Path, mb: int) -> str:
    """An MP4-looking file (an ftyp box, then random bytes) of `mb` MiB; returns its SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
        handle.write(head)
        digest.update(head)
        left = mb * 1024 * 1024 - len(head)
        while left > 0:
            block = os.urandom(min(left, 1024 * 1024))
            handle.write(block)
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def setup(database_url: str | None) -> dict:
    """Demo data in a fresh database; returns what the transfers need."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from bench.common import setup_django

    setup_django()
    from django.conf import settings
    from rest_framework.authtoken.models import Token

    from huiyi.core import demo
    from huiyi.documents.models import Confidentiality, Document
    from huiyi.projects.models import MeetingProject

    demo.build_demo(password=PASSWORD)
    project = MeetingProject.objects.get(code="HY-2026-105")
    lead = project.members.filter(role__key="project_manager").select_related("user").first().user
    lead.set_password(PASSWORD)
    lead.save()
    docs = Document.objects.filter(project=project)
    high = docs.exclude(confidentiality=Confidentiality.VERY_HIGH).first()
    very_high = docs.filter(confidentiality=Confidentiality.VERY_HIGH).first()
    return {
        "data_dir": settings.DATA_DIR,
        "database_url": os.environ["DATABASE_URL"],
        "username": lead.username,
        "token": Token.objects.get_or_create(user=lead)[0].key,
        "documents": {"high": high.pk, "very high (encrypted)": very_high.pk},
    }


def latest_version(document_pk: int) -> int:
    from huiyi.documents.models import DocumentVersion

    return (
        DocumentVersion.objects.filter(document_id=document_pk)
        .order_by("-number")
        .values_list("pk", flat=True)[0]
    )


def download(session, url: str, headers=None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with session.get(url, stream=True, headers=headers or {}, timeout=600) as response:
        response.raise_for_status()
        for chunk in response.iter_content(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50, help="file size in MiB (default 50)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one in 8100-8999)")
    parser.add_argument("--database-url", help="PostgreSQL URL of an empty database (default: SQLite)")
    args = parser.parse_args()
    import requests  # test extra; the client side of the benchmark only

    work = Path(tempfile.mkdtemp(prefix="huiyi-bench-stream-"))
    os.environ["HUIYI_DATA_DIR"] = str(work / "data")
    os.environ["HUIYI_HTTPS"] = "0"
    print("building the demo …", flush=True)
    info = setup(args.database_url)
    recording = work / "会议录像.mp4"
    sha = make_recording(recording, args.mb)
    port = args.port or free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(HUIYI_DATA_DIR=str(info["data_dir"]), DATABASE_URL=info["database_url"], HUIYI_HTTPS="0")
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "huiyi.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-worker",
        ],  # fmt: skip
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                requests.get(base + "/accounts/login/", timeout=60)
                break
            except requests.RequestException:
                time.sleep(0.2)
        web = requests.Session()
        page = web.get(base + "/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        signed_in = web.post(
            base + "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": info["username"], "password": PASSWORD},
            timeout=30,
        )
        if "/accounts/login/" in signed_in.url:
            raise SystemExit("could not sign in")
        api = requests.Session()
        api.headers["Authorization"] = f"Token {info['token']}"
        engine = info["database_url"].split(":")[0]
        print(f"server pid {server.pid} on {base}; {args.mb} MiB file; database {engine}")
        print(f"{'transfer':<44}{'time':>9}{'RSS before':>12}{'peak':>9}{'growth':>9}")
        for label, pk in info["documents"].items():
            for via in ("web", "api"):
                with Sampler(server.pid) as sampler:
                    started = time.perf_counter()
                    with open(recording, "rb") as handle:
                        if via == "web":
                            detail = web.get(f"{base}/documents/{pk}/", timeout=60)
                            csrf = re.search(
                                r'name="csrfmiddlewaretoken" value="([^"]+)"', detail.text
                            ).group(1)
                            answer = web.post(
                                f"{base}/documents/{pk}/versions/",
                                data={"csrfmiddlewaretoken": csrf, "change_note": "bench upload"},
                                files={"file": (recording.name, handle, "video/mp4")},
                                timeout=600,
                            )
                        else:
                            answer = api.post(
                                f"{base}/api/v1/documents/{pk}/versions/",
                                data={"change_note": "bench upload"},
                                files={"file": (recording.name, handle, "video/mp4")},
                                timeout=600,
                            )
                    answer.raise_for_status()
                    took = time.perf_counter() - started
                version = latest_version(pk)
                show(f"upload   {via:<4}{label}", took, sampler)
                with Sampler(server.pid) as sampler:
                    started = time.perf_counter()
                    if via == "web":
                        got, size = download(web, f"{base}/documents/versions/{version}/download/")
                    else:
                        got, size = download(api, f"{base}/api/v1/documents/{pk}/download/")
                    took = time.perf_counter() - started
                show(f"download {via:<4}{label}", took, sampler)
                if (got, size) != (sha, args.mb * 1024 * 1024):
                    raise SystemExit(f"{via} {label}: the downloaded bytes differ from the upload")
        print("all downloads identical to the uploaded file (SHA-256)")
        from bench.common import figure, print_results

        label, _took, growth = max(SHOWN, key=lambda shown: shown[2])
        slowest = max(SHOWN, key=lambda shown: shown[1])
        print_results(
            "document_stream",
            [
                figure(
                    f"{args.mb} MiB transfer, largest server RSS growth "
                    f"({' '.join(label.split())}, {engine})",
                    growth,
                    "MB",
                    f"flat: < {args.mb / 2:.0f} MB (half the file)",
                    growth < args.mb / 2,
                ),
                figure(
                    f"{args.mb} MiB transfer, slowest ({' '.join(slowest[0].split())}, {engine})",
                    slowest[1],
                    "s",
                ),  # fmt: skip
            ],
            engine=engine,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


#: (label, seconds, RSS growth in MB) of every transfer, for the RESULT line.
SHOWN: list[tuple[str, float, float]] = []


def show(label: str, took: float, sampler: Sampler) -> None:
    growth = (sampler.peak - sampler.before) / 1024
    SHOWN.append((label, took, growth))
    print(
        f"{label:<44}{took:8.2f}s{sampler.before / 1024:10.0f}MB{sampler.peak / 1024:7.0f}MB{growth:7.0f}MB"
    )


if __name__ == "__main__":
    main()
