"""Background indexing (huey): a stored version's text is extracted by the worker, not by the upload."""

from huey.contrib.djhuey import db_task

from huiyi.documents.models import DocumentVersion

from . import services


@db_task(retries=2, retry_delay=60)
def index_version(version_id: int) -> None:
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if version is not None:  # deleted meanwhile: nothing to index
        services.index_version(version)


def on_version_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of DocumentVersion: index the new version once its transaction has committed."""
    if created and not raw:
        from django.db import transaction

        transaction.on_commit(lambda: index_version(instance.pk))
