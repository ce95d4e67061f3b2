"""Issue 10, "Crash safety" of backups (REQ-DOC-07, §3.1(3) three copies): `huiyi backup create` is killed
with SIGKILL at random moments, twenty times — an interrupted backup is never listed or counted as a good
copy, the database's integrity check passes, and the next `huiyi backup create` succeeds and verifies.

The command runs against an installation of its own (the seeded database and 3 MB of uploaded files) with
three folder destinations. Each run is forked from a launcher that has set Django up once (``zygote.py``), so
the kills cost backups, not start-ups; the kill takes the command's whole process group (pg_dump with it on
PostgreSQL). The kill moment is uniform over the shortest whole run seen so far; a run that finishes before
its kill does not count, and runs go on until twenty were killed. After every run:

* every archive a destination lists that was not there before is complete: read back independently of
  Huiyi, its manifest's SHA-256 of the dump and of every file match (a copy being written is a hidden
  ``.partial``, never listed); the archives listed before are unchanged;
* ``huiyi backup verify`` of every new backup passes when it has its three copies, and fails — never counting
  it as good — when the kill came between two copies' renames;
* the database passes its integrity check (a backup only reads it).

Then the real `huiyi backup create` and `huiyi backup verify` succeed, and neither a ``.partial`` nor a killed
run's work folder (a whole database dump each) is left behind.
"""

import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import tarfile
import time

from .harness import HERE, PYTHON

KILLS = 20


def archive_problem(path) -> str:
    """'' when the archive is complete and every member matches its manifest's checksum, else the problem."""
    seen, manifest = {}, None
    try:
        with tarfile.open(path, mode="r|") as tar:
            for member in tar:
                data = tar.extractfile(member).read()
                if member.name == "manifest.json":
                    manifest = json.loads(data)
                else:
                    seen[member.name] = (hashlib.sha256(data).hexdigest(), len(data))
    except (tarfile.TarError, OSError, EOFError) as error:
        return f"unreadable: {error}"
    if manifest is None:
        return "no manifest"
    expected = {"files/" + f["path"]: (f["sha256"], f["size"]) for f in manifest["files"]}
    expected["database"] = (manifest["database"]["sha256"], manifest["database"]["size"])
    return (
        "" if seen == expected else f"members differ from the manifest: {sorted(set(seen) ^ set(expected))}"
    )


class Launcher:
    def __init__(self, installation):
        self.log = installation.data_dir / "launcher.log"
        self.process = subprocess.Popen(  # noqa: S603
            [PYTHON, str(HERE / "zygote.py")],
            env=installation.env,
            cwd=installation.data_dir,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def start(self, *argv: str) -> int:
        self.process.stdin.write(json.dumps({"argv": list(argv), "log": str(self.log)}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())["pid"]

    def outcome(self) -> tuple[int, float]:
        """(exit code, seconds) of the child started last."""
        line = self.process.stdout.readline()
        assert line, f"the launcher died:\n{self.log.read_text()[-3000:]}"
        answer = json.loads(line)
        return answer["exit"], answer["seconds"]

    def run(self, *argv: str) -> int:
        self.start(*argv)
        return self.outcome()[0]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def fingerprint(archives) -> set:
    return {(path, path.stat().st_size, path.stat().st_mtime_ns) for path in archives}


def listed(folders) -> dict[str, list]:
    """Backup name → the archives holding it, as `backup list` sees them (hidden partials are not)."""
    names: dict[str, list] = {}
    for folder in folders:
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name.startswith("huiyi-backup-") and path.name.endswith(".tar"):
                names.setdefault(path.name.removesuffix(".tar"), []).append(path)
    return names


def test_req_doc_07_kill_9_during_backup_create_never_leaves_a_copy_that_counts(make_installation, tmp_path):
    folders = [tmp_path / f"copy{n}" for n in (1, 2, 3)]
    installation = make_installation(HUIYI_BACKUP_DESTINATIONS=",".join(str(f) for f in folders))
    assert sum(p.stat().st_size for p in installation.media.rglob("*") if p.is_file()) > 3 * 1024 * 1024
    launcher = Launcher(installation)
    rng = random.Random()
    outcomes = []
    try:
        launcher.start("backup", "create")
        code, seconds = launcher.outcome()
        assert code == 0, installation.data_dir.joinpath("launcher.log").read_text()[-3000:]
        durations = [seconds]
        checked = listed(folders)
        assert len(checked) == 1 and all(len(archives) == 3 for archives in checked.values())
        known = fingerprint(path for archives in checked.values() for path in archives)
        while sum(code == -9 for _delay, code, _new in outcomes) < KILLS:
            assert len(outcomes) < 3 * KILLS, outcomes
            window = min(durations)
            pid = launcher.start("backup", "create")
            delay = rng.uniform(0, window)
            time.sleep(delay)
            with contextlib.suppress(ProcessLookupError):  # it may have finished first
                os.killpg(pid, signal.SIGKILL)
            code, seconds = launcher.outcome()
            if code == 0:
                durations.append(seconds)
            names = listed(folders)
            new = {name: archives for name, archives in names.items() if name not in checked}
            outcomes.append((round(delay, 2), code, {name: len(archives) for name, archives in new.items()}))
            assert fingerprint(path for name in checked for path in names[name]) == known, len(outcomes)
            for name, archives in new.items():
                for archive in archives:
                    assert archive_problem(archive) == "", (len(outcomes), archive)
                verified = launcher.run("backup", "verify", "--backup", name)
                if len(archives) == len(folders):
                    assert verified == 0, (len(outcomes), name)
                else:  # killed between two copies: reported, never counted as good
                    assert verified != 0, (len(outcomes), name, archives)
            checked.update(new)
            known |= fingerprint(path for archives in new.values() for path in archives)
            assert installation.db.integrity_problems() == [], len(outcomes)
    finally:
        launcher.close()
    print(f"backup runs (kill delay s, exit code, copies of the new backup): {outcomes}")

    created = installation.huiyi("backup", "create", timeout=600)
    assert created.returncode == 0, created.stderr[-3000:]
    verified = installation.huiyi("backup", "verify", timeout=600)
    assert verified.returncode == 0, verified.stdout + verified.stderr[-3000:]
    assert "All 3 copies verified." in verified.stdout
    leftovers = [
        p.name for folder in folders for p in folder.iterdir() if not p.name.startswith("huiyi-backup-")
    ]
    assert leftovers == []  # the killed runs' hidden partial copies are gone
    assert not list(installation.data_dir.glob("huiyi-backup-*"))  # and so are their work folders
    assert installation.db.integrity_problems() == []
