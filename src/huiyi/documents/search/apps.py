from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "huiyi.documents.search"
    label = "docsearch"
    verbose_name = _("Document search")

    def ready(self):
        from django.db.models.signals import post_save

        from huiyi.core.audit import register
        from huiyi.core.navigation import Module
        from huiyi.core.navigation import register as register_module
        from huiyi.documents.models import DocumentVersion

        from . import models, tasks

        # Indexing is recorded (when, which version, its status) but not the extracted text itself: the
        # trail must not become a second copy of every file's contents.
        register(models.DocumentText, exclude_fields=["text", "title_tokens", "tokens"])

        # Every stored version is indexed by the worker once its upload has committed.
        post_save.connect(
            tasks.on_version_saved, sender=DocumentVersion, dispatch_uid="docsearch.index_version"
        )
        register_module(
            Module(
                "docsearch",
                _("Search documents"),
                "docsearch:search",
                "search",
                "documents.view_document",
                secondary=True,
            )
        )
