"""A `huiyi` command launcher for the crash tests (issue 10): Django is set up once, then each command runs in
a child forked from it — `huiyi backup create` exactly as the command line runs it (`call_command`), minus the
few seconds of start-up, so that twenty kills cost twenty backups rather than twenty start-ups. Each child
leads a process group of its own (with pg_dump under it on PostgreSQL), for the test to SIGKILL whole.

Protocol, one JSON object per line: the test writes {"argv": [...], "log": path}; the launcher answers
{"pid": n} when the child runs, then {"pid": n, "exit": code, "seconds": s} when it is gone (-9: killed).
"""

import json
import os
import sys
import time


def run_child(argv: list[str], log: str) -> int:
    os.setpgid(0, 0)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(*argv)
        code = 0
    except CommandError as error:
        print(f"CommandError: {error}", file=sys.stderr)
        code = 1
    except BaseException as error:  # noqa: BLE001 - reported through the exit code and the log
        print(f"{error.__class__.__name__}: {error}", file=sys.stderr)
        code = 2
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def main() -> None:
    import django

    django.setup()
    from django.db import connections

    connections.close_all()
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os._exit(run_child(command["argv"], command["log"]))
        started = time.monotonic()
        print(json.dumps({"pid": pid}), flush=True)
        _pid, status = os.waitpid(pid, 0)
        seconds = time.monotonic() - started
        print(
            json.dumps({"pid": pid, "exit": os.waitstatus_to_exitcode(status), "seconds": seconds}),
            flush=True,
        )


if __name__ == "__main__":
    main()
