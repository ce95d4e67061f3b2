"""`huiyi docsearch reindex [--missing] [--project CODE]` — (re)build the search index of documents."""

from django.core.management.base import BaseCommand, CommandError

from huiyi.documents.models import Document
from huiyi.documents.search import services


class Command(BaseCommand):
    help = "Document search: reindex the current version of every document."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        reindex = actions.add_parser("reindex", help="Extract and index the text of every current version.")
        reindex.add_argument("--missing", action="store_true", help="Only versions not indexed yet.")
        reindex.add_argument("--project", metavar="CODE", help="Only the documents of this meeting project.")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def do_reindex(self, missing=False, project=None, verbosity=1, **options):
        documents = Document.objects.all()
        if project:
            documents = documents.filter(project__code=project)
            if not documents.exists():
                raise CommandError(f"No document of a project with code {project!r}.")

        def progress(entry):
            if verbosity > 1:
                self.stdout.write(f"  {entry.version}: {entry.status} {entry.detail}".rstrip())

        counts = services.reindex(documents=documents, missing_only=missing, progress=progress)
        total = sum(counts.values())
        detail = ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "nothing to do"
        self.stdout.write(f"Indexed {total} document versions ({detail}).")
