"""Demo of document search: index the demo's documents and nothing else.

New versions are indexed by the post_save signal once their transaction commits; when the demo builder runs
inside one transaction (or a worker is not running), this catches up with every current version not yet
indexed. Call it after every demo that files documents::

    from huiyi.documents.search import demo as docsearch_demo
    docsearch_demo.build(projects, people)
"""

from __future__ import annotations

from huiyi.documents.models import Document

from . import services


def build(projects, people) -> dict[str, int]:
    return services.reindex(documents=Document.objects.all(), missing_only=True)
