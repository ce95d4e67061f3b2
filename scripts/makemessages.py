"""Refresh every zh_Hans catalogue: the project's (src/huiyi/locale) and each app's (src/huiyi/<app>/locale).

    .venv/bin/python scripts/makemessages.py          # then translate what it lists, and `make messages`
    .venv/bin/python scripts/makemessages.py src/huiyi/people   # only that app's own catalogue

An app with its own catalogue is left out of the project's, so each string lives in one catalogue. The files
are rewritten without line wrapping, so a refresh changes only the lines whose messages changed. Prints the
entries still empty or fuzzy (the test suite refuses them).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "huiyi"
HUIYI = ROOT / ".venv" / "bin" / "huiyi"


def app_catalogue_dirs() -> list[Path]:
    return sorted(p.parent for p in SOURCE.glob("*/**/locale") if p.is_dir() and p.parent != SOURCE)


def makemessages(cwd: Path, ignore: list[str]) -> None:
    env = {**os.environ, "HUIYI_DATA_DIR": tempfile.mkdtemp(prefix="huiyi-messages-")}
    command = [str(HUIYI), "makemessages", "-l", "zh_Hans", "--no-location", "--ignore", "*/locale/*"]
    for pattern in ignore:
        command += ["--ignore", pattern]
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def unwrap_and_report(po: Path) -> list[str]:
    with po.open("rb") as source:
        catalog = read_po(source, locale="zh_Hans")
    with po.open("wb") as target:
        write_po(target, catalog, width=0)
    return [
        str(message.id)
        for message in catalog
        if message.id and (message.fuzzy or not message.string or not all(message.string))
    ]


def main(only: list[str]) -> int:
    apps = app_catalogue_dirs()
    chosen = [Path(a).resolve() for a in only]
    if chosen:
        for app in chosen:
            (app / "locale/zh_Hans/LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        apps = sorted(set(apps) | set(chosen))
    else:
        makemessages(SOURCE, [f"{app.relative_to(SOURCE)}/*" for app in apps])
    for app in chosen or apps:
        nested = [f"{other.relative_to(app)}/*" for other in apps if app in other.parents]
        makemessages(app, nested)
    missing = 0
    project = [] if chosen else [SOURCE / "locale/zh_Hans/LC_MESSAGES/django.po"]
    for po in project + [app / "locale/zh_Hans/LC_MESSAGES/django.po" for app in chosen or apps]:
        for message in unwrap_and_report(po):
            missing += 1
            print(f"{po.relative_to(ROOT)}: {message!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
