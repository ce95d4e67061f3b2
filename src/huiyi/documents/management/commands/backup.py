"""`huiyi backup create | verify | list | restore | genkey` — see huiyi.documents.backup."""

from django.core.management.base import BaseCommand, CommandError

from huiyi.documents.backup import core


class Command(BaseCommand):
    help = (
        "Backups of the database and uploaded files in three copies: create, verify, list, restore, genkey."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("create", help="Snapshot the database and files to every destination.")
        verify = actions.add_parser("verify", help="Check every copy of a backup (default: the newest).")
        verify.add_argument("--backup", metavar="NAME", help="Backup name (see `huiyi backup list`).")
        actions.add_parser("list", help="List backups and which destinations hold a copy.")
        restore = actions.add_parser("restore", help="Restore a backup into an empty installation.")
        restore.add_argument("name", metavar="NAME")
        restore.add_argument(
            "--into-empty",
            action="store_true",
            required=True,
            help="Required: restore into this (empty) installation.",
        )
        restore.add_argument(
            "--force", action="store_true", help="Overwrite an installation that already has data."
        )
        actions.add_parser("genkey", help="Print a new key for HUIYI_BACKUP_KEY.")

    def handle(self, *args, action, **options):
        try:
            return getattr(self, f"do_{action}")(**options)
        except core.BackupError as error:
            raise CommandError(str(error)) from error
        except ValueError as error:  # a malformed key
            raise CommandError(str(error)) from error

    def do_create(self, **options):
        result = core.create_backup()
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        manifest = result.manifest
        rows = sum(manifest["database"]["row_counts"].values())
        tables = len(manifest["database"]["row_counts"])
        size = sum(f["size"] for f in manifest["files"])
        self.stdout.write(
            f"Backup {result.name}: {manifest['database']['engine']} database ({rows} rows in "
            f"{tables} tables), {len(manifest['files'])} files ({size} bytes)"
            f"{', encrypted' if manifest['encrypted'] else ''}."
        )
        for copy in result.copies:
            self.stdout.write(f"  written: {copy}")
        for report in result.failed:
            self.stdout.write(self.style.ERROR(f"  FAILED  {report.destination}: {report.reason}"))
        if result.failed:
            total = len(result.copies) + len(result.failed)
            raise CommandError(
                f"Only {len(result.copies)} of {total} copies of {result.name} were written: "
                f"{len(result.failed)} destination(s) failed."
            )

    def do_verify(self, backup=None, **options):
        name, reports = core.verify_backup(backup)
        self.stdout.write(f"Backup {name}:")
        for report in reports:
            if report.ok:
                self.stdout.write(self.style.SUCCESS(f"  OK      {report.destination}"))
            else:
                self.stdout.write(self.style.ERROR(f"  FAILED  {report.destination}: {report.reason}"))
        failed = sum(not r.ok for r in reports)
        if failed:
            raise CommandError(f"{failed} of {len(reports)} copies of {name} failed verification.")
        self.stdout.write(f"All {len(reports)} copies verified.")

    def do_list(self, **options):
        dests, warnings = core.destinations()
        for index, dest in enumerate(dests, 1):
            self.stdout.write(f"[{index}] {dest.location}")
        errors = []
        backups = core.list_backups(errors=errors)
        for index, _location, reason in errors:
            self.stdout.write(self.style.ERROR(f"[{index + 1}] cannot be listed: {reason}"))
        if not backups:
            self.stdout.write("No backups.")
        for entry in backups:
            copies = " ".join(
                f"[{i}]{size}B" if size is not None else f"[{i}]missing"
                for i, size in enumerate(entry["copies"], 1)
            )
            flag = " encrypted" if entry["encrypted"] else ""
            self.stdout.write(f"{entry['name']}{flag}  {copies}")

    def do_restore(self, name, force=False, **options):
        report = core.restore_backup(name, force=force)
        self.stdout.write(f"Restored {name} from {report['source']}.")
        self.stdout.write("Rows per table (backup → restored):")
        for table, expected, actual in report["rows"]:
            mark = "ok" if expected == actual else "DIFFERENT"
            self.stdout.write(f"  {table}: {expected} → {actual} {mark}")
        self.stdout.write("Files (SHA-256):")
        for path, expected, actual in report["files"]:
            mark = "ok" if expected == actual else "DIFFERENT"
            self.stdout.write(f"  {path}: {expected[:16]} → {(actual or 'missing')[:16]} {mark}")
        if not report["ok"]:
            raise CommandError("The restored installation differs from the backup's manifest.")
        if report["undecryptable"]:
            raise CommandError(
                f"Restored, but {report['undecryptable']} very-high document version(s) were encrypted with "
                "a key this installation does not have: set HUIYI_SECRET_KEY (or HUIYI_DOCUMENT_KEYS) as the "
                "backed-up installation had it. The data is restored; only the key is missing."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report['rows'])} tables and {len(report['files'])} files match the manifest."
            )
        )

    def do_genkey(self, **options):
        from cryptography.fernet import Fernet

        self.stdout.write(Fernet.generate_key().decode())
