"""The `huiyi` console command: Huiyi's own commands (serve, worker, demo, …) and Django's, in one place."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiyi.settings")
    argv = list(sys.argv if argv is None else ["huiyi", *argv])
    if len(argv) == 1:
        argv.append("help")
    if argv[1] == "worker":
        argv[1] = "run_huey"
    from django.core.management import execute_from_command_line
    from django.db.utils import InterfaceError, OperationalError

    try:
        execute_from_command_line(argv)
    except (OperationalError, InterfaceError) as error:
        print(f"huiyi: cannot use the database ({_database_label()}): {_first_line(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _database_label() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    return f"{engine} {db.get('HOST') or 'localhost'}:{db.get('PORT') or ''}/{db['NAME']}"


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else error.__class__.__name__


if __name__ == "__main__":
    sys.exit(main())
